from django.urls import path

from . import views

app_name = "workgroups"

urlpatterns = [
    path("groups/", views.cohort_view, name="cohort"),
    path("groups/mine/", views.specialist_home_view, name="my-work-groups"),
    path("groups/new/", views.work_group_create_view, name="work-group-create"),
    path("groups/copy/", views.work_group_copy_view, name="work-group-copy"),
    path("groups/<int:pk>/", views.work_group_detail_view, name="work-group-detail"),
    path("groups/<int:pk>/edit/", views.work_group_edit_view, name="work-group-edit"),
    path(
        "groups/<int:pk>/complete/",
        views.work_group_complete_view,
        name="work-group-complete",
    ),
    path(
        "groups/<int:pk>/schools/",
        views.participation_create_view,
        name="participation-create",
    ),
    path("participations/mine/", views.my_participation_view, name="my-participation"),
    path(
        "participations/<int:pk>/",
        views.participation_detail_view,
        name="participation-detail",
    ),
    path("participations/<int:pk>/edit/", views.participation_edit_view, name="participation-edit"),
    path(
        "participations/<int:pk>/grant/",
        views.participation_grant_view,
        name="participation-grant",
    ),
    path(
        "participations/<int:pk>/withdraw/",
        views.participation_withdraw_view,
        name="participation-withdraw",
    ),
    path("workshops/<int:pk>/", views.workshop_detail_view, name="workshop-detail"),
    path("workshops/<int:pk>/schedule/", views.workshop_schedule_view, name="workshop-schedule"),
    path("workshops/<int:pk>/attendance/", views.attendance_mark_view, name="attendance-mark"),
    path(
        "workshops/<int:pk>/attendance/rest-present/",
        views.attendance_rest_present_view,
        name="attendance-rest-present",
    ),
    path("workshops/<int:pk>/invite/", views.workshop_invite_view, name="workshop-invite"),
    path("workshops/<int:pk>/calendar.ics", views.workshop_ics_view, name="workshop-ics"),
    path("visits/<int:pk>/schedule/", views.visit_schedule_view, name="visit-schedule"),
    path("visits/<int:pk>/record/", views.visit_record_view, name="visit-record"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("calendar/reset/", views.calendar_reset_view, name="calendar-reset"),
    path("calendar/<str:token>.ics", views.calendar_feed_view, name="calendar-feed"),
]
