from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile_view, name="profile"),
    path("invitations/new/", views.invitation_create_view, name="invitation-create"),
    path("invitations/<str:token>/", views.invitation_accept_view, name="invitation-accept"),
]
