"""The summary of action plans the hub and national figures read (`HubYearPlans`), kept right
by the services that change plans and actions and by the receiver of work groups' signal when
schools are placed or withdrawn. `summaries_rebuild` makes it again from the plans.

What counts: the plans of schools taking part (withdrawn ones aside), by status, and their
actions at risk or off track.
"""

from collections import defaultdict

from django.db.models import Count, Q
from django.dispatch import receiver

from core.locks import hold_until_commit
from workgroups.models import Participation
from workgroups.signals import participations_changed
from workgroups.summaries import in_hub_years

from .models import Action, ActionPlan, HubYearPlans
from .programme import NEEDS_ATTENTION

WITHDRAWN = Participation.Status.WITHDRAWN


def hub_year_of(plan: ActionPlan) -> tuple[int, int]:
    """The (hub id, start year) pair whose figures the plan counts in."""
    group = plan.participation.work_group
    return (group.hub_id, group.academic_year.start_year)


def _count(hub_years=None) -> dict:
    """The plans and actions of the hub years given (None: every one), counted (2 queries)."""
    figures: dict = defaultdict(dict)
    plans = ActionPlan.objects.exclude(participation__status=WITHDRAWN)
    actions = Action.objects.filter(status__in=NEEDS_ATTENTION).exclude(
        plan__participation__status=WITHDRAWN
    )
    if hub_years is not None:
        plans = plans.filter(in_hub_years(hub_years, "participation__work_group__"))
        actions = actions.filter(in_hub_years(hub_years, "plan__participation__work_group__"))
    group = "participation__work_group__"
    for row in (
        plans.order_by()
        .values(f"{group}hub_id", f"{group}academic_year__start_year", "status")
        .annotate(n=Count("pk"))
    ):
        key = (row[f"{group}hub_id"], row[f"{group}academic_year__start_year"])
        figures[key][row["status"]] = row["n"]
    group = "plan__participation__work_group__"
    for row in (
        actions.order_by()
        .values(f"{group}hub_id", f"{group}academic_year__start_year")
        .annotate(n=Count("pk"), plans=Count("plan", distinct=True))
    ):
        key = (row[f"{group}hub_id"], row[f"{group}academic_year__start_year"])
        figures[key].update(actions_at_risk=row["n"], plans_at_risk=row["plans"])
    return figures


def _rows(figures: dict, hub_years=None) -> list[HubYearPlans]:
    return [
        HubYearPlans(hub_id=hub_id, start_year=year, **counted)
        for (hub_id, year), counted in figures.items()
        if hub_years is None or (hub_id, year) in hub_years
    ]


def plans_refresh(*, hub_years) -> None:
    """Count again the plans of the (hub id, start year) pairs given."""
    hub_years = set(hub_years)
    if not hub_years:
        return
    hold_until_commit(*(("plans", *hub_year) for hub_year in hub_years))
    stale = Q()
    for hub_id, year in hub_years:
        stale |= Q(hub_id=hub_id, start_year=year)
    HubYearPlans.objects.filter(stale).delete()
    HubYearPlans.objects.bulk_create(_rows(_count(hub_years), hub_years))


def summaries_rebuild() -> dict[str, int]:
    """Count every hub year's plans again from the plans; how many rows."""
    HubYearPlans.objects.all().delete()
    HubYearPlans.objects.bulk_create(_rows(_count()))
    return {"hub years of action plans": HubYearPlans.objects.count()}


@receiver(participations_changed)
def _participations_changed(sender, hub_years, **kwargs):
    """Schools placed or withdrawn: the plans that count are those of schools taking part."""
    plans_refresh(hub_years=hub_years)
