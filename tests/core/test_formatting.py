"""The portal's formats: each written once in core.formatting, the same in Python and templates."""

from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest
import time_machine
from django.template import engines

from core.formatting import (
    academic_year_name,
    date_range,
    date_time,
    days,
    long_date,
    percent,
    pounds,
    short_date,
    short_date_time,
    short_weekday_date,
    time_of_day,
    time_range,
    weekday_date,
)
from workgroups.models import AcademicYear

THURSDAY = date(2026, 3, 5)
# 13:30 UTC in July is 14:30 in London (summer time); in January it is 13:30 (GMT).
SUMMER_AFTERNOON = datetime(2026, 7, 2, 13, 30, tzinfo=UTC)
WINTER_AFTERNOON = datetime(2026, 1, 8, 13, 30, tzinfo=UTC)


def render(source: str, **context) -> str:
    return engines["django"].from_string("{% load formatting %}" + source).render(context)


@pytest.mark.parametrize(
    ("start_year", "name"), [(2025, "2025/26"), (1999, "1999/00"), (2009, "2009/10")]
)
def test_an_academic_year_is_named_by_its_start_and_the_next_years_last_two_digits(
    start_year, name
):
    assert academic_year_name(start_year) == name
    assert AcademicYear.name_for(start_year) == name
    assert AcademicYear(start_year=start_year).name == name


def test_each_date_format_shows_a_day_as_the_portal_writes_it():
    assert long_date(THURSDAY) == "5 March 2026"
    assert short_date(THURSDAY) == "5 Mar 2026"
    assert weekday_date(THURSDAY) == "Thursday 5 March 2026"
    assert weekday_date(THURSDAY, year=False) == "Thursday 5 March"
    assert short_weekday_date(THURSDAY) == "Thu 5 March 2026"


def test_a_moment_is_shown_in_london_time_summer_and_winter():
    assert date_time(SUMMER_AFTERNOON) == "2 July 2026, 14:30"
    assert short_date_time(SUMMER_AFTERNOON) == "2 Jul 2026 14:30"
    assert time_of_day(SUMMER_AFTERNOON) == "14:30"
    assert date_time(WINTER_AFTERNOON) == "8 January 2026, 13:30"


def test_a_moment_late_in_the_evening_in_utc_is_the_next_day_in_london():
    assert long_date(datetime(2026, 7, 5, 23, 30, tzinfo=UTC)) == "6 July 2026"


@pytest.mark.parametrize(
    "function",
    [
        long_date,
        short_date,
        weekday_date,
        short_weekday_date,
        date_time,
        short_date_time,
        time_of_day,
        days,
        pounds,
    ],
)
def test_nothing_is_shown_as_nothing(function):
    assert function(None) == ""
    assert function("") == ""


def test_a_time_range_is_joined_by_an_en_dash():
    assert time_range(time(9), time(12)) == "09:00–12:00"
    assert time_range(time(13, 15), None) == "13:15"


@pytest.mark.parametrize(
    ("first", "last", "shown"),
    [
        (date(2026, 2, 23), date(2026, 3, 27), "23 February to 27 March 2026"),
        (date(2025, 12, 20), date(2026, 1, 4), "20 December 2025 to 4 January 2026"),
        (THURSDAY, THURSDAY, "5 March 2026"),
        (THURSDAY, None, "5 March 2026"),
    ],
)
def test_a_date_range_names_the_year_once_when_both_ends_share_it(first, last, shown):
    assert date_range(first, last) == shown


def test_days_pounds_and_percentages():
    assert days(Decimal("2.5")) == "2.5"
    assert days(Decimal("3.0")) == "3"
    assert days(Decimal("10.0")) == "10"
    assert days(0) == "0"
    assert pounds(Decimal("1000.00")) == "£1,000"
    assert pounds(250) == "£250"
    assert percent(0.754) == "75%"
    assert percent(None) == "–"


def test_the_filters_are_the_functions():
    assert render(
        "{{ d|long_date }}|{{ d|short_date }}|{{ d|weekday_date }}|{{ d|short_weekday_date }}",
        d=THURSDAY,
    ) == ("5 March 2026|5 Mar 2026|Thursday 5 March 2026|Thu 5 March 2026")
    assert render(
        "{{ m|date_time }}|{{ m|short_date_time }}|{{ m|time_of_day }}", m=SUMMER_AFTERNOON
    ) == ("2 July 2026, 14:30|2 Jul 2026 14:30|14:30")
    shown = render("{{ n|days }} {{ n|pounds }} {{ share|percent }}", n=Decimal("2.5"), share=0.5)
    assert shown == "2.5 £2 50%"


def test_the_two_value_filters_take_their_second_value_as_the_argument():
    assert render("{{ a|time_range:b }}", a=time(9), b=time(12)) == "09:00–12:00"
    assert (
        render("{{ a|date_range:b }}", a=date(2026, 2, 23), b=date(2026, 3, 27))
        == "23 February to 27 March 2026"
    )


def test_an_empty_date_lets_the_template_say_what_to_show_instead():
    assert render('{{ d|long_date|default:"—" }}', d=None) == "—"


def test_the_academic_year_filter_takes_a_start_year_or_an_academic_year():
    assert render("{{ y|academic_year }}", y=2025) == "2025/26"
    assert render("{{ y|academic_year }}", y=AcademicYear(start_year=2030)) == "2030/31"
    assert render("{{ y|academic_year }}", y=None) == ""


def test_now_is_given_to_the_filters_in_london_time():
    with time_machine.travel(SUMMER_AFTERNOON, tick=False):
        assert render("{% local_now as now %}{{ now|time_of_day }} {{ now|long_date }}") == (
            "14:30 2 July 2026"
        )
