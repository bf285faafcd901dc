"""Action plan pages. Plans are fetched through `visible_to`: a 404 for anyone else.

The editor saves one part at a time. With htmx a save swaps only that part's form, so unsaved
words elsewhere on the page stay; without JavaScript every form still works as a plain post.
"""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from schools.models import Hub
from schools.roles import roles_for
from workgroups.models import AcademicYear, Participation, WorkGroup

from . import selectors, services
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
)
from .models import Action, Priority
from .programme import INTENDED_OUTCOMES

HISTORY_PAGE_SIZE = 50


def _visible_plan(request, pk):
    return get_object_or_404(selectors.plans_for_pages(request.user), pk=pk)


def _editable_plan(request, pk):
    plan = _visible_plan(request, pk)
    if not services.can_edit(request.user, plan):
        raise Http404
    return plan


def _edit_url(plan, anchor: str = "") -> str:
    url = reverse("actionplans:plan-edit", args=[plan.pk])
    return f"{url}#{anchor}" if anchor else url


def _abilities(user, plan) -> dict:
    return {
        "can_edit": services.can_edit(user, plan),
        "can_share": services.can_share(user, plan),
        "can_review": services.can_review(user, plan),
        "can_comment": services.can_comment(user, plan),
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
    if services.can_edit(request.user, plan):
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


@login_required
@require_POST
def plan_share(request, pk):
    plan = _editable_plan(request, pk)
    try:
        services.action_plan_share(plan=plan, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "The plan is shared with your specialist, who has been told.")
    return redirect("actionplans:plan-detail", pk=plan.pk)


@login_required
@require_POST
def plan_review(request, pk):
    plan = _visible_plan(request, pk)
    if not services.can_comment(request.user, plan):
        raise Http404
    form = ReviewForm(request.POST)
    if not services.can_review(request.user, plan):
        messages.error(request, "Only a plan the school has shared can be reviewed.")
    elif not form.is_valid():
        messages.error(request, form.errors["comment"][0])
    else:
        services.action_plan_review(
            plan=plan, acting_user=request.user, comment=form.cleaned_data["comment"]
        )
        messages.success(request, "Your review is recorded and the school has been told.")
    return redirect("actionplans:plan-detail", pk=plan.pk)


@login_required
@require_POST
def comment_create(request, pk):
    plan = _visible_plan(request, pk)
    if not services.can_comment(request.user, plan):
        raise Http404
    form = CommentForm(request.POST)
    anchor = "plan-comments"
    if not form.is_valid():
        messages.error(request, "Write a comment (up to 5,000 characters) before sending it.")
    else:
        action = None
        try:
            if form.cleaned_data["action"]:
                action = _action_of(plan, form.cleaned_data["action"])
                anchor = f"action-{action.pk}"
        except services.PartRemoved as removed:
            messages.error(
                request, f"{removed} Your comment was not added: “{form.cleaned_data['body']}”"
            )
        else:
            services.comment_add(
                plan=plan, action=action, body=form.cleaned_data["body"], acting_user=request.user
            )
            messages.success(request, "Your comment is added.")
    return redirect(reverse("actionplans:plan-detail", args=[plan.pk]) + f"#{anchor}")


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
    saved = False
    if form.is_valid():
        try:
            save(form)
        except services.EditConflict as conflict:
            form.conflict = conflict
            form.rebase(conflict.current_version)
        except ValidationError as error:
            # Each change was valid alone, but merged with a colleague's they are not
            # (a due date now before the start date): nothing was saved.
            for message in error.messages:
                form.add_error(None, message)
        else:
            saved = True
    if not request.htmx:
        if saved:
            messages.success(request, "Saved.")
            return redirect(_edit_url(plan, anchor))
        return _render_editor(request, plan, {key: form})
    plan = _visible_plan(request, plan.pk)
    context = {"plan": plan, "form": fresh_form(plan) if saved else form, "saved": saved}
    return render(request, fragment, context)


@login_required
@require_POST
def plan_update(request, pk, section):
    plan = _editable_plan(request, pk)
    form_class = {"plan": PlanForm, "reflection": ReflectionForm}.get(section)
    if form_class is None:
        raise Http404
    return _save_part(
        request,
        plan,
        key=(section,),
        form=form_class(request.POST, instance=plan, prefix=section),
        save=lambda form: services.action_plan_update(
            plan=plan,
            version=form.cleaned_data["version"],
            changes=form.changes(),
            acting_user=request.user,
        ),
        fragment="actionplans/_plan_section_form.html",
        anchor=f"{section}-section",
        fresh_form=lambda plan: form_class(instance=plan, prefix=section),
    )


@login_required
@require_POST
def plan_carry_over(request, pk):
    plan = _editable_plan(request, pk)
    try:
        services.action_plan_carry_over(plan=plan, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Last year's plan is copied in: adjust it for this year.")
    return redirect(_edit_url(plan))


@login_required
@require_POST
def priority_create(request, pk):
    plan = _editable_plan(request, pk)
    form = PriorityCreateForm(request.POST, instance=Priority(plan=plan), prefix="new-priority")
    if not form.is_valid():
        return _render_editor(request, plan, {("new-priority",): form})
    priority = services.priority_create(
        plan=plan,
        title=form.cleaned_data["title"],
        areas=form.cleaned_data["areas"],
        description=form.cleaned_data["description"],
        acting_user=request.user,
    )
    messages.success(request, f"Priority “{priority.title}” added.")
    return redirect(_edit_url(plan, f"priority-{priority.pk}"))


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


def _answers_removed_parts(view):
    """A priority or action removed by someone else meanwhile: say so, and give back the
    person's words, so that nothing they wrote is lost."""

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

    return answer


@login_required
@require_POST
@_answers_removed_parts
def priority_update(request, pk, priority_id):
    plan = _editable_plan(request, pk)
    priority = _priority_of(plan, priority_id)
    prefix = f"priority-{priority.pk}"
    return _save_part(
        request,
        plan,
        key=("priority", priority.pk),
        form=PriorityForm(request.POST, instance=priority, prefix=prefix),
        save=lambda form: services.priority_update(
            priority=priority,
            version=form.cleaned_data["version"],
            changes=form.changes(),
            acting_user=request.user,
        ),
        fragment="actionplans/_priority_form.html",
        anchor=f"priority-{priority.pk}",
        fresh_form=lambda plan: PriorityForm(
            instance=_priority_of(plan, priority_id), prefix=prefix
        ),
    )


@login_required
@require_POST
@_answers_removed_parts
def action_update(request, pk, action_id):
    plan = _editable_plan(request, pk)
    action = _action_of(plan, action_id)
    prefix = f"action-{action.pk}"
    return _save_part(
        request,
        plan,
        key=("action", action.pk),
        form=ActionForm(request.POST, instance=action, prefix=prefix),
        save=lambda form: services.action_update(
            action=action,
            version=form.cleaned_data["version"],
            changes=form.changes(),
            acting_user=request.user,
        ),
        fragment="actionplans/_action_form.html",
        anchor=f"action-{action.pk}",
        fresh_form=lambda plan: ActionForm(instance=_action_of(plan, action_id), prefix=prefix),
    )


@login_required
@require_POST
@_answers_removed_parts
def action_create(request, pk, priority_id):
    plan = _editable_plan(request, pk)
    priority = _priority_of(plan, priority_id)
    form = ActionCreateForm(
        request.POST,
        instance=Action(plan=plan, priority=priority),
        prefix=f"new-action-{priority.pk}",
    )
    if not form.is_valid():
        return _render_editor(request, plan, {("new-action", priority.pk): form})
    action = services.action_create(
        priority=priority, acting_user=request.user, **form.cleaned_data
    )
    messages.success(request, "Action added.")
    return redirect(_edit_url(plan, f"action-{action.pk}"))


def _move(request, plan, move, anchor):
    form = MoveForm(request.POST)
    if form.is_valid():
        move(form.cleaned_data["direction"])
    return redirect(_edit_url(plan, anchor))


@login_required
@require_POST
@_answers_removed_parts
def priority_move(request, pk, priority_id):
    plan = _editable_plan(request, pk)
    priority = _priority_of(plan, priority_id)
    return _move(
        request,
        plan,
        lambda direction: services.priority_move(
            priority=priority, direction=direction, acting_user=request.user
        ),
        f"priority-{priority.pk}",
    )


@login_required
@require_POST
@_answers_removed_parts
def action_move(request, pk, action_id):
    plan = _editable_plan(request, pk)
    action = _action_of(plan, action_id)
    return _move(
        request,
        plan,
        lambda direction: services.action_move(
            action=action, direction=direction, acting_user=request.user
        ),
        f"action-{action.pk}",
    )


def _delete(request, plan, delete, done: str, anchor: str):
    form = DeleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The page was out of date: nothing was removed. Try again.")
        return redirect(_edit_url(plan, anchor))
    try:
        delete(form.cleaned_data["version"])
    except services.StaleDelete as error:
        messages.error(request, str(error))
        return redirect(_edit_url(plan, anchor))
    messages.success(request, done)
    return redirect(_edit_url(plan))


@login_required
@require_POST
@_answers_removed_parts
def priority_delete(request, pk, priority_id):
    plan = _editable_plan(request, pk)
    priority = _priority_of(plan, priority_id)
    return _delete(
        request,
        plan,
        lambda version: services.priority_delete(
            priority=priority, version=version, acting_user=request.user
        ),
        f"Priority “{priority.title}” removed. Its history keeps what it said.",
        f"priority-{priority.pk}",
    )


@login_required
@require_POST
@_answers_removed_parts
def action_delete(request, pk, action_id):
    plan = _editable_plan(request, pk)
    action = _action_of(plan, action_id)
    return _delete(
        request,
        plan,
        lambda version: services.action_delete(
            action=action, version=version, acting_user=request.user
        ),
        "Action removed. Its history keeps what it said.",
        f"action-{action.pk}",
    )
