"""iCalendar (RFC 5545) files for sessions and editions (times: schedule.py)."""

import datetime
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils.translation import get_language, pgettext

from forum.programme.schedule import EVENT_TIME_ZONE, edition_period, location_text, session_period

PRODUCT_ID = "-//China Development Forum//cdfsite//EN"


def uid(kind, pk):
    """Stable across languages and requests: the same event keeps its identity."""
    host = urlsplit(settings.SITE_URL).hostname or "cdf.invalid"
    return f"cdf-{kind}-{pk}@{host}"


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
    if period.part_of_day:
        # An event on its date, the part of day named rather than hours made up for it.
        summary = pgettext("calendar event of a part of day", "%(title)s (%(part_of_day)s)") % {
            "title": summary,
            "part_of_day": period.part_of_day,
        }
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
