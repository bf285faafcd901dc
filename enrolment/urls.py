from django.urls import path

from . import views

app_name = "enrolment"

urlpatterns = [
    # Public: no sign-in.
    path("work-groups/", views.catalogue_index, name="catalogue-index"),
    path("work-groups/<slug:slug>/", views.hub_catalogue, name="hub-catalogue"),
    path("work-groups/<slug:slug>/interest/", views.phase_choose, name="phase-choose"),
    path("work-groups/<slug:slug>/interest/<str:phase>/", views.eoi_create, name="eoi-create"),
    path("interest/schools/", views.school_lookup, name="school-lookup"),
    path("interest/check/<str:token>/", views.eoi_check, name="eoi-check"),
    path("interest/sent/<str:reference>/", views.eoi_sent, name="eoi-sent"),
    # The hub lead's review.
    path("review/", views.eoi_list, name="eoi-list"),
    path("review/place/", views.eoi_place_many, name="eoi-place-many"),
    path("review/place-suggested/", views.eoi_place_suggested, name="eoi-place-suggested"),
    path("review/groups/", views.groups_suggest, name="groups-suggest"),
    path("review/groups/accept/", views.group_accept, name="group-accept"),
    path("review/<str:reference>/", views.eoi_detail, name="eoi-detail"),
    path("review/<str:reference>/place/", views.eoi_place, name="eoi-place"),
    path("review/<str:reference>/unplace/", views.eoi_unplace, name="eoi-unplace"),
    path("review/<str:reference>/waitlist/", views.eoi_waitlist, name="eoi-waitlist"),
    path("review/<str:reference>/decline/", views.eoi_decline, name="eoi-decline"),
    path("review/<str:reference>/override/", views.eoi_override, name="eoi-override"),
    path("review/<str:reference>/check/", views.eoi_check_now, name="eoi-check-now"),
]
