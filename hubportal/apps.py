from django.apps import AppConfig
from django.db.backends.signals import connection_created


class HubportalConfig(AppConfig):
    name = "hubportal"
    verbose_name = "Portal"

    def ready(self):
        from . import changes

        connection_created.connect(changes.watch, dispatch_uid="hubportal.changes.watch")
