from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import views

# The admin signs people in through the portal's own sign-in: its rate limits and second factor.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "hubportal administration"
admin.site.site_title = "hubportal"

handler500 = "hubportal.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("account/", include("allauth.urls")),
    path("account/", include("accounts.urls")),
    path("", include("notifications.urls")),
    path("", include("schools.urls")),
    path("", include("enrolment.urls")),
    path("", include("workgroups.urls")),
    path("action-plans/", include("actionplans.urls")),
    path("reports/", include("reports.urls")),
]
