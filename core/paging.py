"""Pages of a long list."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, Window


class KeyedPaginator(Paginator):
    """A paginator for a long, ordered queryset whose rows carry joined rows (`select_related`),
    such as a search matching thousands of schools.

    A page takes two small queries where Paginator's take a count and a page that joins and
    sorts every match: the page's keys are picked by the list's own filter and order, with no
    join, and a window count over the same scan gives the length of the list; then only those
    rows are read with their joins. A page number that is not a page falls back to Paginator.

    `rows`, if given, turns the page's queryset into what the page shows (values, say).
    """

    def __init__(self, object_list, per_page, *, rows=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.rows = rows

    def get_page(self, number):
        try:
            asked = int(number)
        except (TypeError, ValueError):
            asked = 1
        if asked >= 1:
            bottom = (asked - 1) * self.per_page
            keyed = list(
                self.object_list.annotate(_listed=Window(Count("pk"))).values_list("pk", "_listed")[
                    bottom : bottom + self.per_page
                ]
            )
            if keyed:
                self.count = keyed[0][1]
                return Page(self._rows([pk for pk, _ in keyed]), asked, self)
        return super().get_page(number)

    def _get_page(self, object_list, number, paginator):
        keys = object_list.select_related(None).values("pk")
        return super()._get_page(self._rows(keys), number, paginator)

    def _rows(self, keys):
        rows = self.object_list.filter(pk__in=keys)
        return self.rows(rows) if self.rows else rows
