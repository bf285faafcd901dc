from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("years/", views.year_on_year_view, name="year-on-year"),
    path("national/", views.national_view, name="national"),
    path("participations/", views.participation_list_view, name="participation-list"),
    path("schools/", views.school_list_view, name="school-list"),
    path(
        "exports/participations.<str:fmt>",
        views.participations_export_view,
        name="export-participations",
    ),
    path("exports/schools.<str:fmt>", views.schools_export_view, name="export-schools"),
    path(
        "exports/expressions-of-interest.<str:fmt>",
        views.interests_export_view,
        name="export-interests",
    ),
    path(
        "exports/groups/<int:pk>/register.<str:fmt>",
        views.register_export_view,
        name="export-register",
    ),
    path("personal-data/", views.personal_data_view, name="personal-data"),
    path("personal-data/access/", views.subject_access_create_view, name="subject-access-create"),
    path(
        "personal-data/access/<int:pk>/",
        views.subject_access_detail_view,
        name="subject-access-detail",
    ),
    path(
        "personal-data/access/<int:pk>/download/",
        views.subject_access_download_view,
        name="subject-access-download",
    ),
    path("personal-data/erase/", views.erasure_create_view, name="erasure-create"),
    path("personal-data/erasures/<int:pk>/", views.erasure_detail_view, name="erasure-detail"),
]
