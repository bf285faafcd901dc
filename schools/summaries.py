"""The summary of hub areas the national figures read (`HubArea`): each hub's open primary
schools. Kept by the receiver of `register_changed`, which the services that move schools
between hubs and the register import send in their transaction; `summaries_rebuild` makes it
again from the register.
"""

from django.db.models import Count
from django.dispatch import receiver

from core.locks import hold_until_commit

from .models import Hub, HubArea, School, area_hub
from .signals import register_changed


def hub_areas_refresh(*, hub_ids=None) -> None:
    """Count again the open primary schools of the hubs given (None: every hub)."""
    hubs = Hub.objects.all() if hub_ids is None else Hub.objects.filter(pk__in=hub_ids)
    hub_ids = set(hubs.values_list("pk", flat=True))
    hold_until_commit(*(("hub area", hub_id) for hub_id in hub_ids))
    schools = (
        School.objects.primary()
        .open()
        .filter(in_england=True)
        .annotate(area=area_hub())
        .filter(area__in=hub_ids)
        .order_by()
        .values("area")
        .annotate(n=Count("pk"))
    )
    counted = {row["area"]: row["n"] for row in schools}
    HubArea.objects.filter(hub_id__in=hub_ids).delete()
    HubArea.objects.bulk_create(
        HubArea(hub_id=hub_id, open_primary=counted.get(hub_id, 0)) for hub_id in hub_ids
    )


def summaries_rebuild() -> dict[str, int]:
    """Count every hub's area again from the register; how many hubs."""
    hub_areas_refresh()
    return {"hub areas": HubArea.objects.count()}


@receiver(register_changed)
def _register_changed(sender, hub_ids=None, **kwargs):
    hub_areas_refresh(hub_ids=hub_ids)
