"""The portal's URLs and the bench's two floors, resolved first."""

from django.urls import path

from hubportal.urls import urlpatterns as portal_urlpatterns

from . import views

urlpatterns = [
    path("bench/hello", views.hello, name="bench-hello"),
    path("bench/hello-signed-in", views.hello_signed_in, name="bench-hello-signed-in"),
    *portal_urlpatterns,
]
