"""The one answer to "you may not": the same 404 page as a missing object.

Services check their app's predicates and raise `PermissionDenied` through `require`; views do
not check again. `NotFoundForDenied`, a middleware, turns a `PermissionDenied` that reaches it
into the 404 a missing object gets, so a person cannot tell a record they may not touch from one
that does not exist. (A form's refusal is a `ValidationError`, which the view shows.)
"""

from django.core.exceptions import PermissionDenied
from django.core.handlers.exception import response_for_exception
from django.http import Http404


def require(allowed: bool) -> None:
    """Go on if `allowed`; otherwise refuse with `PermissionDenied`."""
    if not allowed:
        raise PermissionDenied


class NotFoundForDenied:
    """Answers `PermissionDenied` from any view with the 404 page of a missing object."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            return response_for_exception(request, Http404())
        return None
