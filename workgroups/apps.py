from django.apps import AppConfig


class WorkgroupsConfig(AppConfig):
    name = "workgroups"

    def ready(self):
        # The school page shows the pathway without importing this app: we hand it our entries.
        from schools.selectors import register_next_step_provider, register_pathway_provider

        from . import summaries  # noqa: F401  (its receiver keeps the summaries right)
        from .selectors import next_steps, pathway_entries

        register_pathway_provider(pathway_entries)
        register_next_step_provider(next_steps)
