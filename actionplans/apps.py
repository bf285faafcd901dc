from django.apps import AppConfig


class ActionplansConfig(AppConfig):
    name = "actionplans"

    def ready(self):
        from . import summaries  # noqa: F401  (its receiver keeps the plans' summary right)
