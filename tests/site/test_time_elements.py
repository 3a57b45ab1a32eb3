"""Every <time datetime="…"> of the public pages is a valid HTML date, time or global date
and time: never microseconds, a moment always with its offset."""

import datetime
import re

import pytest

from forum.models import Report
from forum.templatetags.forum_tags import machine_time

VALID = re.compile(
    r"\d{4}-\d{2}-\d{2}"  # a date
    r"|\d{2}:\d{2}(:\d{2})?"  # a time
    r"|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})"  # a moment and its offset
)
WITH_MICROSECONDS = datetime.datetime(2024, 3, 25, 6, 30, 15, 123456, tzinfo=datetime.UTC)


def test_a_moment_is_given_to_the_second_with_its_offset():
    # 06:30 UTC is 14:30 in Beijing, the site's zone.
    assert machine_time(WITH_MICROSECONDS) == "2024-03-25T14:30:15+08:00"


def test_dates_and_times_are_given_as_html_wants_them():
    assert machine_time(datetime.date(2024, 3, 25)) == "2024-03-25"
    assert machine_time(datetime.time(14, 0)) == "14:00"
    assert machine_time(datetime.time(14, 0, 5, 999)) == "14:00:05"
    assert machine_time(None) == ""


@pytest.mark.parametrize(
    "path", ["/en/", "/en/reports/", "/zh-hans/reports/", "/en/search/?q=digital", "/en/2024/"]
)
def test_every_time_element_of_a_page_is_valid(client, demo, path):
    Report.objects.published().update(published_at=WITH_MICROSECONDS)
    page = client.get(path).content.decode()
    values = re.findall(r'<time[^>]*\sdatetime="([^"]*)"', page)
    assert values
    assert [value for value in values if not VALID.fullmatch(value)] == []


def test_a_report_page_gives_its_publication_to_the_second(client, demo):
    report = Report.objects.published().first()
    Report.objects.filter(pk=report.pk).update(published_at=WITH_MICROSECONDS)
    page = client.get(report.get_absolute_url()).content.decode()
    assert '<time datetime="2024-03-25T14:30:15+08:00">' in page
    assert ".123456" not in page
