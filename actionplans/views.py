"""Action plan pages. Plans are fetched through `visible_to`: a 404 for anyone else.

The editor saves one part at a time. With htmx a save swaps only that part's form, so unsaved
words elsewhere on the page stay; without JavaScript every form still works as a plain post.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from core.access import require
from core.roles import roles_for
from core.views import button_action, button_view, form_page, one_or_404
from schools.models import Hub
from workgroups.models import AcademicYear, Participation, WorkGroup

from . import permissions, selectors, services
from .forms import (
    ActionCreateForm,
    ActionForm,
    CommentForm,
    DeleteForm,
    MoveForm,
    PlanForm,
    PriorityCreateForm,
    PriorityForm,
    ReflectionForm,
    ReviewForm,
    VersionedForm,
)
from .models import Action, Priority
from .programme import INTENDED_OUTCOMES

HISTORY_PAGE_SIZE = 50


def _visible_plan(request, pk, *related):
    plans = selectors.plans_for_pages(request.user)
    return one_or_404(plans.select_related(*related) if related else plans, pk=pk)


def _editable_plan(request, pk):
    """The plan, for the editor: with last year's plan it may have started from."""
    plan = _visible_plan(request, pk, "carried_over_from__participation__academic_year")
    require(permissions.may_edit(request.user, plan))
    return plan


def _plan_url(name: str, plan, anchor: str = "") -> str:
    url = reverse(f"actionplans:{name}", args=[plan.pk])
    return f"{url}#{anchor}" if anchor else url


def _edit_url(plan, anchor: str = "") -> str:
    return _plan_url("plan-edit", plan, anchor)


def _detail_url(plan, anchor: str = "") -> str:
    return _plan_url("plan-detail", plan, anchor)


def _abilities(user, plan) -> dict:
    return {
        "can_edit": permissions.may_edit(user, plan),
        "can_share": permissions.may_share(user, plan),
        "can_review": permissions.may_review_now(user, plan),
        "can_comment": permissions.may_comment(user, plan),
    }


# --- lists and overviews ------------------------------------------------------------------------


def _year_from(request, years) -> int:
    """The year asked for in ?year=, if it is one we know; otherwise this year."""
    asked = request.GET.get("year", "")
    known = {year.start_year for year in years}
    if asked.isdigit() and int(asked) in known:
        return int(asked)
    return AcademicYear.start_year_for(timezone.localdate())


@login_required
@require_GET
def plan_list(request):
    """Each role's way in: the school's plans, the groups a person leads or oversees."""
    roles = roles_for(request.user)
    years = list(AcademicYear.objects.all())
    year = _year_from(request, years)
    context = {"years": years, "year": year}
    if roles.contact_school_ids:
        context["participations"] = (
            Participation.objects.filter(school_id__in=roles.contact_school_ids)
            .select_related("school", "work_group", "academic_year", "action_plan")
            .order_by("-academic_year__start_year", "school__name", "work_group__code")
        )
    if roles.is_specialist:
        context["led_groups"] = selectors.work_groups_with_plan_counts(
            WorkGroup.objects.filter(lead__user=request.user, academic_year__start_year=year)
        )
    if roles.hub_lead_hub_ids:
        context["hub_groups"] = selectors.work_groups_with_plan_counts(
            WorkGroup.objects.filter(
                hub_id__in=roles.hub_lead_hub_ids, academic_year__start_year=year
            )
        )
    if roles.is_national_staff or roles.hub_lead_hub_ids:
        context["hubs"] = Hub.objects.visible_to(request.user).filter(
            **({} if roles.is_national_staff else {"pk__in": roles.hub_lead_hub_ids})
        )
    return render(request, "actionplans/plan_list.html", context)


@login_required
@require_GET
def group_overview(request, pk):
    """The plans of one work group: the specialist's working view, read-only for others."""
    work_group = get_object_or_404(
        WorkGroup.objects.overseen_by(request.user).select_related(
            "hub", "academic_year", "lead__user"
        ),
        pk=pk,
    )
    context = {
        "work_group": work_group,
        "rows": selectors.group_overview(work_group),
        "is_lead": work_group.lead is not None and work_group.lead.user_id == request.user.pk,
    }
    return render(request, "actionplans/group_overview.html", context)


@login_required
@require_GET
def hub_overview(request, slug):
    """Every plan in the hub's groups for a year: the hub lead's read-only overview."""
    hub = get_object_or_404(Hub.objects.visible_to(request.user), slug=slug)
    roles = roles_for(request.user)
    if not (roles.is_national_staff or hub.pk in roles.hub_lead_hub_ids):
        raise Http404
    years = list(AcademicYear.objects.all())
    year = _year_from(request, years)
    context = {
        "hub": hub,
        "years": years,
        "year": year,
        "rows": selectors.hub_overview(hub, year),
    }
    return render(request, "actionplans/hub_overview.html", context)


@login_required
@require_GET
def participation_plan(request, participation_id):
    """Open a participation's plan, creating it on first open if placement did not."""
    participation = get_object_or_404(
        Participation.objects.visible_to(request.user).select_related("academic_year"),
        pk=participation_id,
    )
    plan = services.action_plan_create(participation=participation, acting_user=request.user)
    plan = _visible_plan(request, plan.pk)
    if permissions.may_edit(request.user, plan):
        return redirect("actionplans:plan-edit", pk=plan.pk)
    return redirect("actionplans:plan-detail", pk=plan.pk)


# --- reading a plan -----------------------------------------------------------------------------


@login_required
@require_GET
def plan_detail(request, pk):
    plan = _visible_plan(request, pk)
    context = {
        "plan": plan,
        "parts": selectors.plan_parts(plan),
        "last_review": selectors.latest_review(plan),
        "outcomes": _outcomes(plan),
        "review_form": ReviewForm(),
        **_abilities(request.user, plan),
    }
    return render(request, "actionplans/plan_detail.html", context)


@login_required
@require_GET
def plan_print(request, pk):
    plan = _visible_plan(request, pk)
    context = {
        "plan": plan,
        "parts": selectors.plan_parts(plan),
        "outcomes": _outcomes(plan),
    }
    return render(request, "actionplans/plan_print.html", context)


def _outcomes(plan) -> list[tuple[str, str]]:
    return [(heading.name, getattr(plan, heading.field)) for heading in INTENDED_OUTCOMES]


@login_required
@require_GET
def plan_changes(request, pk):
    """What changed since the last review (or an earlier one), old and new side by side."""
    plan = _visible_plan(request, pk)
    reviews = list(plan.reviews.select_related("reviewer"))
    asked = request.GET.get("review", "")
    review = next((r for r in reviews if str(r.pk) == asked), reviews[0] if reviews else None)
    context = {
        "plan": plan,
        "reviews": reviews,
        "changes": selectors.plan_changes(plan, review),
        **_abilities(request.user, plan),
    }
    return render(request, "actionplans/plan_changes.html", context)


@login_required
@require_GET
def plan_history(request, pk):
    """Every change to the plan, who made it and when."""
    plan = _visible_plan(request, pk)
    page = Paginator(selectors.plan_history(plan), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"plan": plan, "page": page, **_abilities(request.user, plan)}
    return render(request, "actionplans/plan_history.html", context)


# --- the workflow -------------------------------------------------------------------------------


plan_share = button_view(
    _editable_plan,
    lambda plan, user: services.action_plan_share(plan=plan, acting_user=user),
    success="The plan is shared with your specialist, who has been told.",
    redirect_to=_detail_url,
)


def _commented_plan(request, pk):
    plan = _visible_plan(request, pk)
    require(permissions.may_comment(request.user, plan))
    return plan


@login_required
@require_POST
def plan_review(request, pk):
    plan = _commented_plan(request, pk)

    return button_action(
        request,
        lambda data: services.action_plan_review(
            plan=plan, acting_user=request.user, comment=data["comment"]
        ),
        form=ReviewForm(request.POST),
        success="Your review is recorded and the school has been told.",
        redirect_to=_detail_url(plan),
    )


@login_required
@require_POST
def comment_create(request, pk):
    plan = _commented_plan(request, pk)

    def add(data):
        try:
            action = _action_of(plan, data["action"]) if data["action"] else None
        except services.PartRemoved as removed:
            raise ValidationError(
                f"{removed} Your comment was not added: “{data['body']}”"
            ) from removed
        return services.comment_add(
            plan=plan, action=action, body=data["body"], acting_user=request.user
        )

    return button_action(
        request,
        add,
        form=CommentForm(request.POST),
        success="Your comment is added.",
        redirect_to=lambda comment: _detail_url(
            plan, f"action-{comment.action_id}" if comment.action_id else "plan-comments"
        ),
        back_to=_detail_url(plan, "plan-comments"),
    )


# --- the editor ---------------------------------------------------------------------------------


def _editor_context(plan, bound: dict | None = None) -> dict:
    """Every form of the editor; `bound` holds the one a person just sent back with errors."""
    bound = bound or {}
    parts = selectors.plan_parts(plan)
    for priority in parts.priorities:
        priority.form = bound.get(("priority", priority.pk)) or PriorityForm(
            instance=priority, prefix=f"priority-{priority.pk}"
        )
        priority.new_action_form = bound.get(("new-action", priority.pk)) or ActionCreateForm(
            instance=Action(plan=plan, priority=priority), prefix=f"new-action-{priority.pk}"
        )
        for action in priority.action_list:
            action.form = bound.get(("action", action.pk)) or ActionForm(
                instance=action, prefix=f"action-{action.pk}"
            )
    return {
        "plan": plan,
        "parts": parts,
        "plan_form": bound.get(("plan",)) or PlanForm(instance=plan, prefix="plan"),
        "reflection_form": bound.get(("reflection",))
        or ReflectionForm(instance=plan, prefix="reflection"),
        "new_priority_form": bound.get(("new-priority",))
        or PriorityCreateForm(instance=Priority(plan=plan), prefix="new-priority"),
        "previous_plan": (
            selectors.previous_plan_for(plan.participation)
            if plan.is_empty and not parts.priorities
            else None
        ),
        "outcome_headings": INTENDED_OUTCOMES,
    }


@login_required
@require_GET
def plan_edit(request, pk):
    plan = _editable_plan(request, pk)
    context = {**_editor_context(plan), **_abilities(request.user, plan)}
    return render(request, "actionplans/plan_edit.html", context)


def _render_editor(request, plan, bound: dict, extra: dict | None = None):
    context = {**_editor_context(plan, bound), **_abilities(request.user, plan), **(extra or {})}
    return render(request, "actionplans/plan_edit.html", context)


def _save_part(request, plan, *, key, form, save, fragment, anchor, fresh_form):
    """Validate, save through a service, and answer: the part's fragment (htmx) or the page.

    On a conflict the form keeps the person's words, shows what the other person saved, and
    takes the saved version as its starting point, so saving again is a deliberate choice.
    """

    def answer(form, saved):
        if not request.htmx:
            return _render_editor(request, plan, {key: form})
        fresh = _visible_plan(request, plan.pk)
        context = {
            **_abilities(request.user, fresh),
            "plan": fresh,
            "form": fresh_form(fresh) if saved else form,
            "saved": saved,
        }
        response = render(request, fragment, context)
        if saved:
            # The plan's status and its Share button change with a save: sent out of band.
            response.content += render_to_string(
                "actionplans/_plan_saved_oob.html", context, request=request
            ).encode()
        return response

    try:
        return form_page(
            request,
            form,
            act=save,
            success="Saved.",
            redirect_to=_edit_url(plan, anchor),
            page=lambda form: answer(form, False),
            partial=answer,
        )
    except services.EditConflict as conflict:
        form.conflict = conflict
        form.rebase(conflict.current_version)
        return answer(form, False)


@login_required
@require_POST
def plan_update(request, pk, section):
    plan = _editable_plan(request, pk)
    form_class = {"plan": PlanForm, "reflection": ReflectionForm}.get(section)
    if form_class is None:
        raise Http404
    form = form_class(request.POST, instance=plan, prefix=section)
    return _save_part(
        request,
        plan,
        key=(section,),
        form=form,
        save=lambda data: services.action_plan_update(
            plan=plan, version=data["version"], changes=form.changes(), acting_user=request.user
        ),
        fragment="actionplans/_plan_section_form.html",
        anchor=f"{section}-section",
        fresh_form=lambda plan: form_class(instance=plan, prefix=section),
    )


plan_carry_over = button_view(
    _editable_plan,
    lambda plan, user: services.action_plan_carry_over(plan=plan, acting_user=user),
    success="Last year's plan is copied in: adjust it for this year.",
    redirect_to=_edit_url,
)


def _add_part(request, plan, *, key, form, act, success):
    """A new priority or action: added, the editor opens at it; refused, the editor again with
    the form's errors."""
    return form_page(
        request,
        form,
        act=act,
        success=success,
        redirect_to=lambda part: _edit_url(plan, f"{part._meta.model_name}-{part.pk}"),
        page=lambda form: _render_editor(request, plan, {key: form}),
    )


@login_required
@require_POST
def priority_create(request, pk):
    plan = _editable_plan(request, pk)
    return _add_part(
        request,
        plan,
        key=("new-priority",),
        form=PriorityCreateForm(request.POST, instance=Priority(plan=plan), prefix="new-priority"),
        act=lambda data: services.priority_create(plan=plan, acting_user=request.user, **data),
        success=lambda priority: f"Priority “{priority.title}” added.",
    )


def _of_plan(plan, model, pk):
    """The plan's priority or action; PartRemoved if someone removed it meanwhile, a 404 if
    it never belonged to this plan."""
    part = model.objects.filter(plan=plan, pk=pk).first()
    if part is None:
        if model.history.filter(plan_id=plan.pk, id=pk).exists():
            raise services.PartRemoved(model._meta.model_name, pk)
        raise Http404
    part.plan = plan
    return part


def _priority_of(plan, priority_id) -> Priority:
    return _of_plan(plan, Priority, priority_id)


def _action_of(plan, action_id) -> Action:
    action = _of_plan(plan, Action, action_id)
    action.priority = _priority_of(plan, action.priority_id)
    return action


# The fields that hold a person's own words: handed back when their part was removed.
WORDS = {"title", "description", "owner", "success_criteria", "resources"}


def _part_post(view):
    """A post about one priority or action (signed in, POST only). If someone else removed it
    meanwhile, say so and give back the person's words, so that nothing they wrote is lost."""

    @functools.wraps(view)
    def answer(request, pk, **kwargs):
        try:
            return view(request, pk, **kwargs)
        except services.PartRemoved as removed:
            plan = _editable_plan(request, pk)
            words = [
                value
                for key, value in request.POST.items()
                if key.rsplit("-", 1)[-1] in WORDS and value.strip()
            ]
            context = {"plan": plan, "removed": removed, "words": words}
            if request.htmx:
                return render(request, "actionplans/_removed.html", context)
            return _render_editor(request, plan, {}, extra=context)

    return login_required(require_POST(answer))


@dataclass(frozen=True)
class Part:
    """A priority or an action: the editor saves, moves and removes both the same way."""

    name: str  # the services' keyword for it, and the start of its anchor and fragment
    find: Callable  # (plan, id) -> the part, as _of_plan finds it
    form: type[VersionedForm]
    update: Callable
    move: Callable
    delete: Callable
    removed: Callable  # (part) -> what to say once it is removed

    def anchor(self, part) -> str:
        return f"{self.name}-{part.pk}"


PRIORITY = Part(
    name="priority",
    find=_priority_of,
    form=PriorityForm,
    update=services.priority_update,
    move=services.priority_move,
    delete=services.priority_delete,
    removed=lambda priority: (
        f"Priority “{priority.title}” removed. Its history keeps what it said."
    ),
)
ACTION = Part(
    name="action",
    find=_action_of,
    form=ActionForm,
    update=services.action_update,
    move=services.action_move,
    delete=services.action_delete,
    removed=lambda action: "Action removed. Its history keeps what it said.",
)


def _update_part(request, pk, part_id, kind: Part):
    plan = _editable_plan(request, pk)
    part = kind.find(plan, part_id)
    prefix = kind.anchor(part)
    form = kind.form(request.POST, instance=part, prefix=prefix)
    return _save_part(
        request,
        plan,
        key=(kind.name, part.pk),
        form=form,
        save=lambda data: kind.update(
            **{kind.name: part},
            version=data["version"],
            changes=form.changes(),
            acting_user=request.user,
        ),
        fragment=f"actionplans/_{kind.name}_form.html",
        anchor=prefix,
        fresh_form=lambda plan: kind.form(instance=kind.find(plan, part_id), prefix=prefix),
    )


def _move_part(request, pk, part_id, kind: Part):
    plan = _editable_plan(request, pk)
    part = kind.find(plan, part_id)
    return button_action(
        request,
        lambda data: kind.move(
            **{kind.name: part}, direction=data["direction"], acting_user=request.user
        ),
        form=MoveForm(request.POST),
        redirect_to=_edit_url(plan, kind.anchor(part)),
    )


def _delete_part(request, pk, part_id, kind: Part):
    plan = _editable_plan(request, pk)
    part = kind.find(plan, part_id)

    def delete(data):
        try:
            kind.delete(**{kind.name: part}, version=data["version"], acting_user=request.user)
        except services.StaleDelete as stale:
            raise ValidationError(str(stale)) from stale

    return button_action(
        request,
        delete,
        form=DeleteForm(request.POST),
        success=kind.removed(part),
        redirect_to=_edit_url(plan),
        back_to=_edit_url(plan, kind.anchor(part)),
    )


# Saving, moving and removing a priority or an action: `part_id` in the URL names it.
priority_update = _part_post(functools.partial(_update_part, kind=PRIORITY))
priority_move = _part_post(functools.partial(_move_part, kind=PRIORITY))
priority_delete = _part_post(functools.partial(_delete_part, kind=PRIORITY))
action_update = _part_post(functools.partial(_update_part, kind=ACTION))
action_move = _part_post(functools.partial(_move_part, kind=ACTION))
action_delete = _part_post(functools.partial(_delete_part, kind=ACTION))


@_part_post
def action_create(request, pk, priority_id):
    plan = _editable_plan(request, pk)
    priority = _priority_of(plan, priority_id)
    prefix = f"new-action-{priority.pk}"
    return _add_part(
        request,
        plan,
        key=("new-action", priority.pk),
        form=ActionCreateForm(
            request.POST, instance=Action(plan=plan, priority=priority), prefix=prefix
        ),
        act=lambda data: services.action_create(
            priority=priority, acting_user=request.user, **data
        ),
        success="Action added.",
    )
