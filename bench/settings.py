"""The portal's own settings, with the two floor pages `make bench` measures every page against.

Served only by the bench's gunicorn (DJANGO_SETTINGS_MODULE=bench.settings); production URLs
never hold them.
"""

from hubportal.settings import *  # noqa: F403
from hubportal.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.urls"

# The signed-in floor's template lives beside the bench, not among the portal's templates.
TEMPLATES = [
    {**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]},
    *TEMPLATES[1:],
]
