"""Small fixed-window counters in the cache, to stop floods of submissions and look-ups."""

import hashlib

from django.core.cache import cache

# (attempts, seconds). Many schools reach the portal through one public address (a local
# authority's or a trust's broadband), so the per-address limit only stops floods; the honeypot,
# and the limits per submitter's e-mail and per school, do the fine work.
SUBMISSIONS_PER_ADDRESS = (300, 60 * 60)
SUBMISSIONS_PER_EMAIL = (5, 60 * 60)
SUBMISSIONS_PER_SCHOOL = (5, 60 * 60)
LOOKUPS_PER_ADDRESS = (120, 60)


def client_address(request) -> str:
    """The address the request came from.

    The portal is served by gunicorn directly (docker-compose has no proxy in front), so
    REMOTE_ADDR is the client; an X-Forwarded-For header would be the client's own claim.
    """
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _spend(scope: str, key: str, limit: int, window: int) -> bool:
    """Count one attempt; True while the key is within its limit for the current window."""
    digest = hashlib.sha256(f"{scope}:{key.strip().lower()}".encode()).hexdigest()
    cache_key = f"enrolment:ratelimit:{digest}"
    cache.add(cache_key, 0, timeout=window)
    try:
        count = cache.incr(cache_key)
    except ValueError:
        # The window ended between add() and incr(): this attempt starts the next one.
        cache.set(cache_key, 1, timeout=window)
        count = 1
    return count <= limit


def submission_allowed(*, address: str, email: str, school: str) -> bool:
    """Count a submission from this address, for this e-mail and school; False once any of
    them is over its limit."""
    by_address = _spend("submit-address", address, *SUBMISSIONS_PER_ADDRESS)
    by_email = _spend("submit-email", email, *SUBMISSIONS_PER_EMAIL)
    by_school = _spend("submit-school", school, *SUBMISSIONS_PER_SCHOOL)
    return by_address and by_email and by_school


def lookup_allowed(*, address: str) -> bool:
    return _spend("lookup-address", address, *LOOKUPS_PER_ADDRESS)
