from django.urls import path

from . import views

app_name = "schools"

urlpatterns = [
    path("hubs/", views.hub_list, name="hub-list"),
    path("hubs/mine/", views.my_hub, name="my-hub"),
    path("hubs/<slug:slug>/", views.hub_detail, name="hub-detail"),
    path("schools/", views.school_search, name="school-search"),
    path("schools/mine/", views.my_school, name="my-school"),
    path("schools/<int:urn>/", views.school_detail, name="school-detail"),
]
