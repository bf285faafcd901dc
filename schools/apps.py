from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "schools"

    def ready(self):
        from accounts.grants import register
        from core.roles import provide_facts

        from . import summaries  # noqa: F401  (its receiver keeps the hub areas counted)
        from .facts import person_facts
        from .services import HUB_STAFF_GRANT, hub_staff_describe, hub_staff_give

        provide_facts(person_facts)
        # An invitation to a role at a hub carries this grant (accounts cannot import schools).
        register(HUB_STAFF_GRANT, give=hub_staff_give, describe=hub_staff_describe)
