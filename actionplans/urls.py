from django.urls import path

from . import views

app_name = "actionplans"

urlpatterns = [
    path("", views.plan_list, name="plan-list"),
    path("groups/<int:pk>/", views.group_overview, name="group-overview"),
    path("hubs/<slug:slug>/", views.hub_overview, name="hub-overview"),
    path(
        "participations/<int:participation_id>/",
        views.participation_plan,
        name="participation-plan",
    ),
    path("<int:pk>/", views.plan_detail, name="plan-detail"),
    path("<int:pk>/print/", views.plan_print, name="plan-print"),
    path("<int:pk>/changes/", views.plan_changes, name="plan-changes"),
    path("<int:pk>/history/", views.plan_history, name="plan-history"),
    path("<int:pk>/share/", views.plan_share, name="plan-share"),
    path("<int:pk>/review/", views.plan_review, name="plan-review"),
    path("<int:pk>/comments/", views.comment_create, name="comment-create"),
    path("<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("<int:pk>/edit/<slug:section>/", views.plan_update, name="plan-update"),
    path("<int:pk>/carry-over/", views.plan_carry_over, name="plan-carry-over"),
    path("<int:pk>/priorities/", views.priority_create, name="priority-create"),
    path(
        "<int:pk>/priorities/<int:part_id>/",
        views.priority_update,
        name="priority-update",
    ),
    path(
        "<int:pk>/priorities/<int:part_id>/move/",
        views.priority_move,
        name="priority-move",
    ),
    path(
        "<int:pk>/priorities/<int:part_id>/delete/",
        views.priority_delete,
        name="priority-delete",
    ),
    path(
        "<int:pk>/priorities/<int:priority_id>/actions/",
        views.action_create,
        name="action-create",
    ),
    path("<int:pk>/actions/<int:part_id>/", views.action_update, name="action-update"),
    path("<int:pk>/actions/<int:part_id>/move/", views.action_move, name="action-move"),
    path("<int:pk>/actions/<int:part_id>/delete/", views.action_delete, name="action-delete"),
]
