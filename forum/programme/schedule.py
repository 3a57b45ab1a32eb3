"""When and where sessions and editions take place, as calendars, structured data and the
API give it.

Times are Beijing time (Asia/Shanghai, UTC+08:00), where the forum meets, whatever the
server's TIME_ZONE. Only the times an editor entered are given: a session with only a part
of day ("afternoon") is an event on its date, no hours (calendars and structured data
carry dates alone, pages and calendar titles say "Afternoon"); one with a start and no
end has no end. A session with neither, and every edition, is an all-day event.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.translation import gettext

from forum.models import Session

EVENT_TIME_ZONE = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Period:
    """When something happens: aware datetimes, or dates (inclusive) for all-day events."""

    start: datetime.datetime | datetime.date
    end: datetime.datetime | datetime.date | None
    all_day: bool
    # The label of a session's part of day ("Afternoon", in the active language) when its
    # dates are all that is known; empty otherwise.
    part_of_day: str = ""


def _at(day, time):
    return datetime.datetime.combine(day, time, tzinfo=EVENT_TIME_ZONE)


def session_period(session):
    if session.start_time:
        end = session.end_time and _at(session.date, session.end_time)
        return Period(_at(session.date, session.start_time), end, False)
    part = session.part_of_day
    label = "" if part in ("", Session.PartOfDay.ALL_DAY) else Session.PartOfDay(part).label
    return Period(session.date, session.date, True, str(label))


def edition_period(edition):
    return Period(edition.start_date, edition.end_date, True)


def location_text(*parts):
    """ "Room, Venue, City" in the page language's order (Chinese: city first)."""
    text = ""
    for part in (part for part in parts if part):
        text = gettext("%(venue)s, %(city)s") % {"venue": text, "city": part} if text else part
    return text
