"""Headers every answer carries: nothing personal kept by a browser or a proxy, and no access to
the device's features the portal never uses."""

from django.utils.cache import patch_cache_control

# The portal uses none of these: deny them to every page (and anything it might embed).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)


class PrivateAndPermissions:
    """`Cache-Control: no-store` on every answer to a signed-in person (their pages and exports
    hold personal data), and a Permissions-Policy on every answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
