"""iCalendar files: one workshop's "add to calendar" file and each person's private feed.

Times are London times with a VTIMEZONE, so calendars show them right across the clock change.
UIDs are stable (the object's id and the site's host), and SEQUENCE is the object's own counter,
bumped whenever its day or time changes, so a subscribed calendar moves the event.
"""

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from .models import SupportVisit, Workshop

PRODUCT_ID = "-//hubportal//Work groups//EN"


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "hubportal"


def workshop_uid(workshop: Workshop) -> str:
    return f"workshop-{workshop.pk}@{_host()}"


def visit_uid(visit: SupportVisit) -> str:
    return f"visit-{visit.pk}@{_host()}"


def _calendar(name: str, events: list[Event]) -> bytes:
    calendar = Calendar.new(prodid=PRODUCT_ID, name=name, subcomponents=events)
    if events:
        calendar.add_missing_timezones()
    return calendar.to_ical()


def workshop_event(workshop: Workshop, stamp: datetime) -> Event:
    group = workshop.work_group
    host = workshop.host_school
    lines = [group.title]
    if workshop.strand_labels:
        lines.append("Strands: " + ", ".join(workshop.strand_labels))
    if workshop.agenda:
        lines += ["", workshop.agenda]
    if workshop.material_links:
        lines += ["", "Materials:", *workshop.material_links]
    return Event.new(
        uid=workshop_uid(workshop),
        sequence=workshop.sequence,
        stamp=stamp,
        start=workshop.starts,
        end=workshop.ends,
        summary=f"{group.code} workshop {workshop.number}: {group.title}",
        location=f"{host.name}, {host.address}".rstrip(", ") if host else None,
        description="\n".join(lines),
    )


def visit_event(visit: SupportVisit, stamp: datetime) -> Event:
    participation = visit.participation
    group = participation.work_group
    lead = group.lead.user.get_full_name() if group.lead_id else "the work group lead"
    start = visit.starts
    return Event.new(
        uid=visit_uid(visit),
        sequence=visit.sequence,
        stamp=stamp,
        start=start,
        end=start + timedelta(hours=SupportVisit.DEFAULT_LENGTH_HOURS),
        summary=f"{visit.get_term_display()} support visit: {participation.school.name}",
        location=participation.school.name,
        description=f"{group.code} {group.title}: termly support visit by {lead}.",
    )


def workshop_ics(workshop: Workshop) -> bytes:
    """One workshop as an "add to calendar" file."""
    stamp = timezone.now()
    return _calendar(str(workshop), [workshop_event(workshop, stamp)])


def feed_ics(name: str, workshops: list, visits: list) -> bytes:
    """A person's feed: their workshops and support visits."""
    stamp = timezone.now()
    events = [workshop_event(w, stamp) for w in workshops]
    events += [visit_event(v, stamp) for v in visits]
    return _calendar(name, events)
