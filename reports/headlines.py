"""The headline figures as people read them: a label, a value to sort by, the words shown, and
the list behind the figure. The year-on-year view and the national view show the same list."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from types import SimpleNamespace
from typing import NamedTuple
from urllib.parse import urlencode

from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import reverse

from core.formatting import days, percent, pounds
from enrolment.models import InterestStatus
from workgroups.programme import PHASES, Phase

from .figures import Figures


def number(value) -> str:
    """A whole number with thousands separators, as intcomma writes it, without its locale work."""
    return f"{value:,}" if isinstance(value, int) else intcomma(value)


def of(part, whole) -> str:
    return f"{number(part)} of {number(whole)}"


@cache
def _path(name: str) -> str:
    # A national table links some 1,200 figures: each list's path is worked out once.
    return reverse(name)


def url(name: str, **params) -> str:
    query = urlencode({key: value for key, value in params.items() if value not in (None, "")})
    return _path(name) + (f"?{query}" if query else "")


def participations_url(hub, year, **params) -> str:
    return url("reports:participation-list", hub=hub.slug, year=year, **params)


def schools_url(hub, year, **params) -> str:
    return url("reports:school-list", hub=hub.slug, year=year, **params)


def interests_url(hub, year, **params) -> str:
    # The review queue lists every hub a person reviews for; a hub lead reviews one.
    return url("enrolment:eoi-list", academic_year__start_year=year, **params)


def cohort_url(hub, year) -> str:
    return url("workgroups:cohort", hub=hub.slug, year=year)


@dataclass(frozen=True)
class Headline:
    key: str
    label: str
    value: Callable[[Figures], float | int | None]
    shown: Callable[[Figures], str] | None = None
    link: Callable | None = None  # (hub, year) → the list behind the figure

    def text(self, figures: Figures) -> str:
        if self.shown:
            return self.shown(figures)
        value = self.value(figures)
        return "–" if value is None else number(value)


def _phase_headlines(key: str, label: str, figure: str, link: Callable) -> list[Headline]:
    """One headline a phase: `figure` names the Figures dict by phase, `link(hub, year, phase)`
    the list behind it."""
    return [
        Headline(
            f"{key}_{phase}",
            label.format(PHASES[phase].name),
            lambda f, phase=phase: getattr(f, figure)[phase],
            link=lambda hub, year, phase=phase: link(hub, year, phase),
        )
        for phase in Phase
    ]


_TAKING_PART = _phase_headlines(
    "in",
    "In {}",
    "taking_part",
    lambda hub, year, phase: participations_url(hub, year, phase=phase),
)
_REACHED = _phase_headlines(
    "reached", "Ever reached {}", "funnel", lambda hub, y, phase: schools_url(hub, y, reached=phase)
)

HEADLINES = [
    Headline(
        "schools",
        "Schools taking part",
        lambda f: f.schools,
        link=lambda hub, year: participations_url(hub, year),
    ),
    *_TAKING_PART,
    Headline(
        "withdrawn",
        "Withdrawn",
        lambda f: f.withdrawn,
        link=lambda hub, year: participations_url(hub, year, show="withdrawn"),
    ),
    *_REACHED,
    Headline(
        "coverage",
        "Coverage of open primary schools",
        lambda f: f.coverage,
        shown=lambda f: f"{percent(f.coverage)} ({of(f.covered, f.open_primary)})",
        link=lambda hub, year: schools_url(hub, year, open_primary="on", taken_part="yes"),
    ),
    Headline(
        "interests",
        "Expressions of interest",
        lambda f: f.interests_total,
        link=interests_url,
    ),
    *(
        Headline(
            f"interests_{status}",
            label,
            lambda f, status=status: f.interests_with(status=status),
            link=lambda hub, year, status=status: interests_url(hub, year, status=status),
        )
        for status, label in (
            (InterestStatus.TO_REVIEW, "Interests waiting for the hub's decision"),
            (InterestStatus.WAITLISTED, "Interests on the waiting list"),
            (InterestStatus.PLACED, "Interests placed"),
        )
    ),
    Headline(
        "places",
        "Places filled",
        lambda f: f.places,
        shown=lambda f: of(f.places, f.capacity),
        link=cohort_url,
    ),
    Headline(
        "attendance",
        "Workshop attendance",
        lambda f: f.attendance_rate,
        shown=lambda f: percent(f.attendance_rate),
        link=lambda hub, year: participations_url(hub, year),
    ),
    Headline(
        "below_full",
        "Lead participants below full attendance",
        lambda f: f.below_full_attendance,
        link=lambda hub, year: participations_url(hub, year, below_full="on"),
    ),
    Headline(
        "visits_done",
        "Support visits done",
        lambda f: f.visits_done,
        shown=lambda f: of(f.visits_done, f.visits_due) + " due",
        link=lambda hub, year: participations_url(hub, year, visits="done"),
    ),
    Headline(
        "visits_scheduled",
        "Support visits scheduled",
        lambda f: f.visits_scheduled,
        link=lambda hub, year: participations_url(hub, year, visits="scheduled"),
    ),
    Headline(
        "visits_overdue",
        "Support visits overdue",
        lambda f: f.visits_overdue,
        link=lambda hub, year: participations_url(hub, year, visits="overdue"),
    ),
    Headline(
        "plans",
        "Action plans written",
        lambda f: f.plans_written,
        link=lambda hub, year: participations_url(hub, year),
    ),
    Headline(
        "plans_missing",
        "Schools without an action plan",
        lambda f: f.plans_missing,
        link=lambda hub, year: participations_url(hub, year, plan="none"),
    ),
    Headline(
        "actions_at_risk",
        "Actions at risk or off track",
        lambda f: f.actions_at_risk,
        link=lambda hub, year: participations_url(hub, year, plan="at_risk"),
    ),
    *(
        Headline(
            f"grants_{status}",
            f"Grants {status}",
            lambda f, status=status: f.grants[status]["count"],
            shown=lambda f, status=status: (
                f"{number(f.grants[status]['count'])} ({pounds(f.grants[status]['amount'])})"
            ),
            link=lambda hub, year, status=status: participations_url(
                hub, year, grant=status, show="" if status == "due" else "all"
            ),
        )
        for status in ("due", "claimed", "paid")
    ),
    Headline(
        "release_days",
        "Release days used",
        lambda f: f.release_days_used,
        shown=lambda f: f"{days(f.release_days_used)} of {f.release_days_allowed}",
        link=lambda hub, year: participations_url(hub, year, phase=Phase.DEVELOPMENT),
    ),
]
HEADLINE_BY_KEY = {headline.key: headline for headline in HEADLINES}


class Cell(NamedTuple):
    """A figure as shown, and the list behind it (a tuple: big tables unpack it cheaply)."""

    text: str
    link: str | None


def cells(hub, year: int, figures: Figures) -> list[Cell]:
    """The headlines of one hub and year, each with the link to its list."""
    return cells_with_links(hub, figures, links_for(year))


# A hub whose slug stands in the links until a row's hub is known: a table of every hub builds
# each link once and puts each hub's slug in, rather than encoding some 1,200 query strings.
_ANY_HUB = SimpleNamespace(slug="{hub}")
_SLOT = urlencode({"hub": _ANY_HUB.slug}).partition("=")[2]


def links_for(year: int) -> list[str | None]:
    """Each headline's link for the year, with a slot for the hub."""
    return [headline.link(_ANY_HUB, year) if headline.link else None for headline in HEADLINES]


def cells_with_links(hub, figures: Figures, links: list[str | None]) -> list[Cell]:
    """The headlines of one hub, with `links_for` the year filled in for it."""
    return [
        Cell(headline.text(figures), link and link.replace(_SLOT, hub.slug))
        for headline, link in zip(HEADLINES, links, strict=True)
    ]


def sorted_by(headline: Headline, rows: list, *, descending: bool) -> list:
    """(hub, figures) rows by one headline; "no figure" (say, no attendance yet) always last."""
    known = [row for row in rows if headline.value(row[1]) is not None]
    unknown = [row for row in rows if headline.value(row[1]) is None]
    known.sort(key=lambda row: headline.value(row[1]), reverse=descending)
    return known + unknown
