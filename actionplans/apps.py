from django.apps import AppConfig


class ActionplansConfig(AppConfig):
    name = "actionplans"

    def ready(self):
        from schools.selectors import register_next_step_provider

        from . import summaries  # noqa: F401  (its receiver keeps the plans' summary right)
        from .selectors import next_steps

        # The school page shows what is due on each plan without importing this app.
        register_next_step_provider(next_steps)
