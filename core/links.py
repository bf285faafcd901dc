"""Links to many pages of one kind, for tables of records."""

from collections.abc import Callable

from django.urls import reverse

# A value every path converter the portal uses accepts (int, slug, str) and no address holds.
_MARKER = "2147483647"


def url_for_each(name: str) -> Callable[[object], str]:
    """`name`'s address for any one argument (a number or a slug: nothing to quote), from one
    reverse(): a table of records joins strings rather than reversing a URL a row."""
    head, tail = reverse(name, args=[_MARKER]).split(_MARKER)
    return lambda arg: f"{head}{arg}{tail}"
