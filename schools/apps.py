from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "schools"

    def ready(self):
        from core.roles import provide_facts

        from . import summaries  # noqa: F401  (its receiver keeps the hub areas counted)
        from .facts import person_facts

        provide_facts(person_facts)
