"""When and where sessions and editions take place, as calendars, structured data and the
API give it.

Times are Beijing time (Asia/Shanghai, UTC+08:00), where the forum meets, whatever the
server's TIME_ZONE. A session with only a part of day gets that part's usual hours; one
with neither times nor a part of day, and every edition, is an all-day event.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.translation import gettext

from forum.models import Session

EVENT_TIME_ZONE = ZoneInfo("Asia/Shanghai")

# The forum's usual hours for a part of the day.
PART_OF_DAY_HOURS = {
    Session.PartOfDay.MORNING: (datetime.time(9, 0), datetime.time(12, 0)),
    Session.PartOfDay.AFTERNOON: (datetime.time(14, 0), datetime.time(17, 30)),
    Session.PartOfDay.EVENING: (datetime.time(18, 30), datetime.time(21, 0)),
}


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


def location_text(*parts):
    """ "Room, Venue, City" in the page language's order (Chinese: city first)."""
    text = ""
    for part in (part for part in parts if part):
        text = gettext("%(venue)s, %(city)s") % {"venue": text, "city": part} if text else part
    return text
