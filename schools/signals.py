"""What the register tells the apps above it, which it may not import."""

from django.dispatch import Signal

# Schools moved between hubs, opened, closed or changed phase, in the transaction that changed
# them; `hub_ids`: the hubs whose areas changed (None: any hub). The apps that count schools by
# hub area (the pathway summaries) work theirs out again.
register_changed = Signal()
