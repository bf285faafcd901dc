from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("account/notifications/", views.preferences, name="preferences"),
    path("outbox/", views.outbox_list, name="outbox-list"),
    path("outbox/resend-failed/", views.outbox_resend_failed, name="outbox-resend-failed"),
    path("outbox/<int:pk>/", views.outbox_detail, name="outbox-detail"),
    path("outbox/<int:pk>/resend/", views.outbox_resend, name="outbox-resend"),
]
