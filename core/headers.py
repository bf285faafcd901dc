"""Headers every answer carries: nothing personal kept by a browser or a proxy, and no access to
the device's features the portal never uses."""

from django.conf import settings
from django.utils.cache import patch_cache_control

# The portal uses none of these: deny them to every page (and anything it might embed).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)


class PrivateAndPermissions:
    """`Cache-Control: no-store` on every answer to someone with a session (a signed-in
    person's pages and exports, a school's answers in progress: personal data), and a
    Permissions-Policy on every answer. Told by the session cookie, so it needs no database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            patch_cache_control(response, no_store=True, private=True)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
