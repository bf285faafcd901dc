from django.urls import path

from . import views

app_name = "workgroups"

urlpatterns = [
    path("groups/", views.cohort, name="cohort"),
    path("groups/mine/", views.my_work_groups, name="my-work-groups"),
    path("groups/new/", views.work_group_create, name="work-group-create"),
    path("groups/copy/", views.work_group_copy, name="work-group-copy"),
    path("groups/<int:pk>/", views.work_group_detail, name="work-group-detail"),
    path("groups/<int:pk>/edit/", views.work_group_edit, name="work-group-edit"),
    path("groups/<int:pk>/complete/", views.work_group_complete, name="work-group-complete"),
    path("groups/<int:pk>/schools/", views.participation_create, name="participation-create"),
    path("participations/mine/", views.my_participation, name="my-participation"),
    path("participations/<int:pk>/", views.participation_detail, name="participation-detail"),
    path("participations/<int:pk>/edit/", views.participation_edit, name="participation-edit"),
    path("participations/<int:pk>/grant/", views.participation_grant, name="participation-grant"),
    path(
        "participations/<int:pk>/withdraw/",
        views.participation_withdraw,
        name="participation-withdraw",
    ),
    path("workshops/<int:pk>/", views.workshop_detail, name="workshop-detail"),
    path("workshops/<int:pk>/schedule/", views.workshop_schedule, name="workshop-schedule"),
    path("workshops/<int:pk>/attendance/", views.attendance_mark, name="attendance-mark"),
    path(
        "workshops/<int:pk>/attendance/rest-present/",
        views.attendance_rest_present,
        name="attendance-rest-present",
    ),
    path("workshops/<int:pk>/invite/", views.workshop_invite, name="workshop-invite"),
    path("workshops/<int:pk>/calendar.ics", views.workshop_ics, name="workshop-ics"),
    path("visits/<int:pk>/schedule/", views.visit_schedule, name="visit-schedule"),
    path("visits/<int:pk>/record/", views.visit_record, name="visit-record"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/reset/", views.calendar_reset, name="calendar-reset"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
]
