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
]
