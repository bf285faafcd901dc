from django.apps import AppConfig


class HubportalConfig(AppConfig):
    name = "hubportal"
    verbose_name = "Portal"
