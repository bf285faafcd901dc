from django.urls import path

from . import views

app_name = "schools"

urlpatterns = [
    path("hubs/", views.hub_list, name="hub-list"),
    path("hubs/mine/", views.my_hub, name="my-hub"),
    path("hubs/<slug:slug>/", views.hub_detail, name="hub-detail"),
    path("hubs/<slug:slug>/area/", views.hub_area, name="hub-area"),
    path("hubs/<slug:slug>/staff/invite/", views.hubstaff_invite, name="hubstaff-invite"),
    path("hubs/<slug:slug>/staff/<int:pk>/remove/", views.hubstaff_remove, name="hubstaff-remove"),
    path("schools/", views.school_search, name="school-search"),
    path("schools/autocomplete/", views.school_autocomplete, name="school-autocomplete"),
    path("schools/mine/", views.my_school, name="my-school"),
    path("schools/<int:urn>/", views.school_detail, name="school-detail"),
    path("schools/<int:urn>/hub/", views.school_hub_set, name="school-hub-set"),
    path("register/imports/", views.register_import_list, name="register-import-list"),
    path("register/imports/<int:pk>/", views.register_import_detail, name="register-import-detail"),
]
