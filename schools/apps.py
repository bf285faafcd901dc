from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "schools"

    def ready(self):
        from . import summaries  # noqa: F401  (its receiver keeps the hub areas counted)
