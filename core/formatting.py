"""How the portal writes academic years, dates, times, days and money: each in one place.

Python calls these functions; templates use the filters of the same names (`{% load formatting %}`,
`{{ workshop.date|weekday_date }}`). Every date and time is shown in the portal's time zone
(London): an aware datetime is turned into local time first. An empty value gives "", so a
template can follow a filter with `|default:"—"`.

The named formats, and where each belongs:

    long_date        5 March 2026               a date in a sentence
    short_date       5 Mar 2026                 a date in a table or a list of records
    weekday_date     Thursday 5 March 2026      the day something happens (a workshop, a visit)
                     Thursday 5 March           the same where the year goes without saying
                                                (an e-mail's subject line): year=False
    short_weekday_date  Thu 5 March 2026        a day in a table of days and times
    date_time        5 March 2026, 14:30        when something was done, in a sentence
    short_date_time  5 Mar 2026 14:30           when something was done, in a table or list
    time_of_day      14:30
    time_range       09:00–12:00
    date_range       5 March to 12 April 2026   (20 December 2025 to 5 January 2026)
    academic_year_name  2025/26
    days             2.5                        a number of days: no ".0"
    pounds           £1,000
    percent          75%                        (– when there is nothing to divide by)
"""

from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

# The portal speaks British English only: the names are written here, once, rather than looked
# up through the translation machinery for every date of a big table.
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

TIME_RANGE_DASH = "–"  # an en dash, no spaces: 09:00–12:00


def academic_year_name(start_year: int) -> str:
    """The academic year that starts in September of `start_year`: 2025 → "2025/26"."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def _local(value):
    """A datetime in the portal's time zone (naive ones are taken as already local)."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _empty(value) -> bool:
    return value is None or value == ""


def _day_month(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]}"


def _hh_mm(value: time | datetime) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def long_date(value: date | datetime | None) -> str:
    if _empty(value):
        return ""
    value = _local(value)
    return f"{_day_month(value)} {value.year}"


def short_date(value: date | datetime | None) -> str:
    if _empty(value):
        return ""
    value = _local(value)
    return f"{value.day} {MONTHS[value.month - 1][:3]} {value.year}"


def weekday_date(value: date | datetime | None, *, year: bool = True) -> str:
    if _empty(value):
        return ""
    value = _local(value)
    day = f"{WEEKDAYS[value.weekday()]} {_day_month(value)}"
    return f"{day} {value.year}" if year else day


def short_weekday_date(value: date | datetime | None) -> str:
    if _empty(value):
        return ""
    value = _local(value)
    return f"{WEEKDAYS[value.weekday()][:3]} {_day_month(value)} {value.year}"


def date_time(value: datetime | None) -> str:
    if _empty(value):
        return ""
    value = _local(value)
    return f"{long_date(value)}, {_hh_mm(value)}"


def short_date_time(value: datetime | None) -> str:
    if _empty(value):
        return ""
    value = _local(value)
    return f"{short_date(value)} {_hh_mm(value)}"


def time_of_day(value: time | datetime | None) -> str:
    if _empty(value):
        return ""
    return _hh_mm(_local(value))


def time_range(start: time | datetime | None, end: time | datetime | None) -> str:
    """From one time to another: "09:00–12:00" (just the start when there is no end)."""
    if not end:
        return time_of_day(start)
    return f"{time_of_day(start)}{TIME_RANGE_DASH}{time_of_day(end)}"


def date_range(first: date | None, last: date | None) -> str:
    """From one day to another, the year said once when both fall in it."""
    if not first or not last:
        return long_date(first or last)
    first, last = _local(first), _local(last)
    if first == last:
        return long_date(first)
    start = _day_month(first) if first.year == last.year else long_date(first)
    return f"{start} to {long_date(last)}"


def days(value: Decimal | float | int | None) -> str:
    """A number of days as people write it: 2.5, 10 (no trailing ".0")."""
    if value in (None, ""):
        return ""
    number = Decimal(str(value)).normalize()
    return f"{number:f}"


def pounds(amount: Decimal | float | int | None) -> str:
    """A sum of money in whole pounds: £1,000."""
    if amount in (None, ""):
        return ""
    return f"£{int(amount):,}"


def percent(share: float | None) -> str:
    """A share (0 to 1) as a whole percentage: 0.754 → "75%"; none → "–"."""
    return "–" if share is None else f"{round(100 * share)}%"
