"""Small pieces of the ORM every app's selectors share."""

from django.db.models import IntegerField, Subquery


class SubqueryCount(Subquery):
    """How many rows a queryset (usually filtered on an `OuterRef`) has, as a column of the outer
    query: one small counting subquery a row, where `Count` over a join would group every column.
    """

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()

    def __init__(self, queryset, **extra):
        # Only the rows matter: no ordering (and its joins), one column.
        super().__init__(queryset.order_by().values("pk"), **extra)
