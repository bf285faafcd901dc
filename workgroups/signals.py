"""What work groups tell the apps above them, which they may not import."""

from django.dispatch import Signal

# Schools were placed in or withdrawn from groups, in the transaction that did it; `hub_years`:
# the (hub id, start year) pairs whose schools taking part changed. The apps that count what
# those schools do (action plans) work their summaries out again.
participations_changed = Signal()
