"""iCalendar files for sessions and editions, read back with the icalendar library."""

import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest

from forum.models import Session
from forum.programme.schedule import session_period
from tests.factories import EditionFactory, SessionFactory

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")
SESSION_PATH = "2024/sessions/digital-empowerment-industrial-transformation/"


def calendar(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def events(cal):
    return list(cal.walk("VEVENT"))


@pytest.mark.parametrize(
    ("language_code", "summary"),
    [
        ("en", "Symposium on Digital Empowerment for Industrial Transformation (Afternoon)"),
        ("zh-hans", "数字化赋能产业转型专题研讨会（下午）"),
    ],
)
def test_an_afternoon_session_is_on_its_date_with_no_hours_made_up(
    client, demo, language_code, summary
):
    # The demo's session is "on the afternoon of 25 March": its hours are not known.
    cal = calendar(client.get(f"/{language_code}/{SESSION_PATH}calendar.ics"))
    [event] = events(cal)
    assert event["dtstart"].params["VALUE"] == "DATE"
    assert event.decoded("dtstart") == datetime.date(2024, 3, 25)
    assert event.decoded("dtend") == datetime.date(2024, 3, 26)  # exclusive: that one day
    assert str(event["SUMMARY"]) == summary
    assert "T14" not in cal.to_ical().decode()


def test_a_session_with_its_hours_is_in_beijing_time(client, db):
    session = SessionFactory(
        start_time=datetime.time(14, 0),
        end_time=datetime.time(17, 30),
        part_of_day=Session.PartOfDay.AFTERNOON,
    )
    url = f"/en/{session.edition.slug}/sessions/{session.slug}/calendar.ics"
    [event] = events(calendar(client.get(url)))
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert start == datetime.datetime.combine(session.date, datetime.time(14, 0), BEIJING)
    assert end == datetime.datetime.combine(session.date, datetime.time(17, 30), BEIJING)
    assert start.utcoffset() == datetime.timedelta(hours=8)
    assert event["dtstart"].params["TZID"] == "Asia/Shanghai"
    assert str(event["SUMMARY"]) == session.title_en  # the hours say when: no part of day


def test_session_calendar_carries_its_time_zone(client, db):
    session = SessionFactory(start_time=datetime.time(9, 30))
    url = f"/en/{session.edition.slug}/sessions/{session.slug}/calendar.ics"
    cal = calendar(client.get(url))
    [timezone] = cal.walk("VTIMEZONE")
    assert timezone["TZID"] == "Asia/Shanghai"
    assert cal["VERSION"] == "2.0"
    assert cal["PRODID"]


def test_session_calendar_is_in_the_page_language(client, demo):
    english = events(calendar(client.get(f"/en/{SESSION_PATH}calendar.ics")))[0]
    chinese = events(calendar(client.get(f"/zh-hans/{SESSION_PATH}calendar.ics")))[0]
    assert str(english["SUMMARY"]).startswith(
        "Symposium on Digital Empowerment for Industrial Transformation"
    )
    assert str(chinese["SUMMARY"]).startswith("数字化赋能产业转型专题研讨会")
    assert str(english["LOCATION"]) == "Diaoyutai State Guesthouse, Beijing"
    assert str(chinese["LOCATION"]) == "北京钓鱼台国宾馆"
    assert str(chinese["URL"]) == f"http://testserver/zh-hans/{SESSION_PATH}"
    assert chinese["SUMMARY"].params["LANGUAGE"] == "zh-hans"


def test_uid_is_stable_across_languages_and_downloads(client, demo):
    first = events(calendar(client.get(f"/en/{SESSION_PATH}calendar.ics")))[0]["UID"]
    again = events(calendar(client.get(f"/en/{SESSION_PATH}calendar.ics")))[0]["UID"]
    chinese = events(calendar(client.get(f"/zh-hans/{SESSION_PATH}calendar.ics")))[0]["UID"]
    assert first == again == chinese
    assert str(first).startswith(f"cdf-session-{Session.objects.get().pk}@")


def test_calendar_is_offered_as_a_download(client, demo):
    response = client.get(f"/en/{SESSION_PATH}calendar.ics")
    assert response["Content-Disposition"] == (
        'attachment; filename="cdf-2024-digital-empowerment-industrial-transformation.ics"'
    )


def test_edition_calendar_is_all_day_with_its_sessions(client, demo):
    cal = calendar(client.get("/en/2024/calendar.ics"))
    edition_event, session_event = events(cal)
    assert edition_event.decoded("dtstart") == datetime.date(2024, 3, 24)
    # DTEND of an all-day event is the day after the last day.
    assert edition_event.decoded("dtend") == datetime.date(2024, 3, 26)
    assert edition_event["dtstart"].params["VALUE"] == "DATE"
    assert str(edition_event["SUMMARY"]) == "China Development Forum 2024"
    assert session_event.decoded("dtstart") == datetime.date(2024, 3, 25)
    assert str(session_event["SUMMARY"]).endswith("(Afternoon)")


@pytest.mark.parametrize(
    ("part_of_day", "label"),
    [
        (Session.PartOfDay.MORNING, "Morning"),
        (Session.PartOfDay.AFTERNOON, "Afternoon"),
        (Session.PartOfDay.EVENING, "Evening"),
    ],
)
def test_a_part_of_day_is_the_date_alone_named(db, part_of_day, label):
    session = SessionFactory(part_of_day=part_of_day)
    period = session_period(session)
    assert (period.start, period.end, period.all_day) == (session.date, session.date, True)
    assert period.part_of_day == label


def test_a_start_without_an_end_gets_no_end_made_up(db):
    session = SessionFactory(start_time=datetime.time(15, 0), part_of_day="afternoon")
    period = session_period(session)
    assert period.start == datetime.datetime.combine(session.date, datetime.time(15), BEIJING)
    assert period.end is None
    assert period.part_of_day == ""


def test_exact_times_win_over_the_part_of_day(db):
    session = SessionFactory(start_time=datetime.time(15, 0), end_time=datetime.time(16, 15))
    period = session_period(session)
    assert period.start == datetime.datetime.combine(session.date, datetime.time(15), BEIJING)
    assert period.end == datetime.datetime.combine(session.date, datetime.time(16, 15), BEIJING)


def test_session_without_times_is_all_day(client, db):
    session = SessionFactory(part_of_day=Session.PartOfDay.ALL_DAY)
    url = f"/en/{session.edition.slug}/sessions/{session.slug}/calendar.ics"
    [event] = events(calendar(client.get(url)))
    assert event.decoded("dtstart") == session.date
    assert event.decoded("dtend") == session.date + datetime.timedelta(days=1)


def test_unpublished_session_has_no_calendar(client, db):
    session = SessionFactory(is_published=False)
    url = f"/en/{session.edition.slug}/sessions/{session.slug}/calendar.ics"
    assert client.get(url).status_code == 404


def test_unpublished_edition_has_no_calendar(client, db):
    edition = EditionFactory(is_published=False)
    assert client.get(f"/en/{edition.slug}/calendar.ics").status_code == 404


@pytest.mark.parametrize("language_code", ["en", "zh-hans"])
def test_edition_and_session_pages_link_to_their_calendars(client, demo, language_code):
    edition_page = client.get(f"/{language_code}/2024/").content.decode()
    session_page = client.get(f"/{language_code}/{SESSION_PATH}").content.decode()
    assert f'href="/{language_code}/2024/calendar.ics"' in edition_page
    assert f'href="/{language_code}/{SESSION_PATH}calendar.ics"' in session_page


@pytest.mark.parametrize("path", [f"{SESSION_PATH}calendar.ics", "2024/calendar.ics"])
@pytest.mark.parametrize("language_code", ["en", "zh-hans"])
def test_head_on_a_calendar_answers_like_get_without_a_body(client, demo, path, language_code):
    url = f"/{language_code}/{path}"
    get, head = client.get(url), client.head(url)
    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Type"] == get["Content-Type"] == "text/calendar; charset=utf-8"
    assert head["Content-Disposition"] == get["Content-Disposition"]


def test_head_on_an_unpublished_calendar_is_a_404(client, db):
    edition = EditionFactory(is_published=False)
    assert client.head(f"/en/{edition.slug}/calendar.ics").status_code == 404


@pytest.mark.parametrize(
    ("language_code", "part_of_day"),
    [("en", "Afternoon"), ("zh-hans", "下午"), ("zh-hant", "下午")],
)
def test_pages_print_the_part_of_day_and_no_hours(client, demo, language_code, part_of_day):
    for path in (SESSION_PATH, "2024/"):
        page = client.get(f"/{language_code}/{path}").content.decode()
        main = page.split("<main", 1)[1]
        assert part_of_day in main
        assert "14:00" not in page
        assert "17:30" not in page
