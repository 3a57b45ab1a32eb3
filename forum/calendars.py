"""iCalendar (RFC 5545) files for sessions and editions, and the times they share with
the structured data.

Times are Beijing time (Asia/Shanghai, UTC+08:00), where the forum meets, whatever the
server's TIME_ZONE. A session with only a part of day gets that part's usual hours; one
with neither times nor a part of day, and every edition, is an all-day event.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils.translation import get_language, gettext

from .models import Session

EVENT_TIME_ZONE = ZoneInfo("Asia/Shanghai")

# The forum's usual hours for a part of the day.
PART_OF_DAY_HOURS = {
    Session.PartOfDay.MORNING: (datetime.time(9, 0), datetime.time(12, 0)),
    Session.PartOfDay.AFTERNOON: (datetime.time(14, 0), datetime.time(17, 30)),
    Session.PartOfDay.EVENING: (datetime.time(18, 30), datetime.time(21, 0)),
}

PRODUCT_ID = "-//China Development Forum//cdfsite//EN"


@dataclass(frozen=True)
class Period:
    """When something happens: aware datetimes, or dates (inclusive) for all-day events."""

    start: datetime.datetime | datetime.date
    end: datetime.datetime | datetime.date | None
    all_day: bool


def _at(day, time):
    return datetime.datetime.combine(day, time, tzinfo=EVENT_TIME_ZONE)


def session_period(session):
    hours = PART_OF_DAY_HOURS.get(session.part_of_day)
    if session.start_time:
        end = session.end_time
        if end is None and hours and hours[1] > session.start_time:
            end = hours[1]
        return Period(_at(session.date, session.start_time), end and _at(session.date, end), False)
    if hours:
        return Period(_at(session.date, hours[0]), _at(session.date, hours[1]), False)
    return Period(session.date, session.date, True)


def edition_period(edition):
    return Period(edition.start_date, edition.end_date, True)


def uid(kind, pk):
    """Stable across languages and requests: the same event keeps its identity."""
    host = urlsplit(settings.SITE_URL).hostname or "cdf.invalid"
    return f"cdf-{kind}-{pk}@{host}"


def location_text(*parts):
    """ "Room, Venue, City" in the page language's order (Chinese: city first)."""
    text = ""
    for part in (part for part in parts if part):
        text = gettext("%(venue)s, %(city)s") % {"venue": text, "city": part} if text else part
    return text


def _add_period(event, period):
    event.add("dtstart", period.start)
    if period.all_day:
        # DTEND of an all-day event is exclusive: the day after the last day.
        event.add("dtend", period.end + datetime.timedelta(days=1))
    elif period.end:
        event.add("dtend", period.end)


def _calendar(name):
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # As text, so a line break in a title is escaped (an X- property is raw otherwise).
    calendar.add("x-wr-calname", icalendar.vText(name))
    calendar.add("x-wr-timezone", EVENT_TIME_ZONE.key)
    return calendar


def _event(*, kind, obj, summary, description, location, url, period, organiser):
    event = icalendar.Event()
    event.add("uid", uid(kind, obj.pk))
    event.add("dtstamp", obj.updated_at.astimezone(datetime.UTC))
    event.add("summary", summary)
    _add_period(event, period)
    if location:
        event.add("location", location)
    event.add("description", "\n\n".join(part for part in (description, url) if part))
    event.add("url", url)
    event.add("status", "CONFIRMED")
    if organiser is not None and organiser.email:
        event.add(
            "organizer",
            icalendar.vCalAddress(f"mailto:{organiser.email}"),
            parameters={"cn": organiser.name},
        )
    if language := get_language():
        for name in ("summary", "location", "description"):
            if name in event:
                event[name].params["language"] = language
    return event


def session_event(session, absolute_url):
    edition = session.edition
    return _event(
        kind="session",
        obj=session,
        summary=session.title,
        description=session.summary,
        location=location_text(session.room, session.venue or edition.venue, edition.city),
        url=absolute_url(session.get_absolute_url()),
        period=session_period(session),
        organiser=edition.organiser,
    )


def edition_event(edition, absolute_url):
    return _event(
        kind="edition",
        obj=edition,
        summary=edition.title,
        description=edition.summary or edition.theme,
        location=location_text(edition.venue, edition.city),
        url=absolute_url(edition.get_absolute_url()),
        period=edition_period(edition),
        organiser=edition.organiser,
    )


def session_calendar(session, absolute_url):
    """The .ics bytes for one session, in the active language."""
    calendar = _calendar(session.title)
    calendar.add_component(session_event(session, absolute_url))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def edition_calendar(edition, sessions, absolute_url):
    """The .ics bytes for an edition: the whole meeting, then each published session."""
    calendar = _calendar(edition.title)
    calendar.add_component(edition_event(edition, absolute_url))
    for session in sessions:
        calendar.add_component(session_event(session, absolute_url))
    calendar.add_missing_timezones()
    return calendar.to_ical()
