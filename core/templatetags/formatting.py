"""The portal's formats as template filters: `{% load formatting %}`, then `{{ day|long_date }}`.

Each filter is the function of the same name in `core.formatting`; see there for what each shows.
Two take a second value: `{{ workshop.starts_at|time_range:workshop.ends_at }}` and
`{{ half_term.starts_on|date_range:half_term.ends_on }}`.
"""

from django import template
from django.utils import timezone

from core import formatting

register = template.Library()

for name in (
    "long_date",
    "short_date",
    "weekday_date",
    "short_weekday_date",
    "date_time",
    "short_date_time",
    "time_of_day",
    "days",
    "pounds",
    "percent",
):
    register.filter(name, getattr(formatting, name))

register.filter("time_range", formatting.time_range)
register.filter("date_range", formatting.date_range)


@register.filter
def academic_year(value) -> str:
    """A year's name from its start year or from an academic year: 2025 → "2025/26"."""
    if value in (None, ""):
        return ""
    return formatting.academic_year_name(int(getattr(value, "start_year", value)))


@register.simple_tag
def local_now():
    """Now, for the filters: `{% local_now as now %}{{ now|time_of_day }}`."""
    return timezone.localtime()
