"""Fixtures of the page cache's tests: the cache switched on, commits, a small site."""

import pytest
from django.core.cache import caches

from forum.models import Credit
from forum.pagecache import store as page_cache
from tests.factories import (
    CreditFactory,
    EditionFactory,
    PersonFactory,
    ReportFactory,
    SessionFactory,
    SpeechFactory,
)


@pytest.fixture
def cached(settings):
    """The page cache switched on, empty before and after the test."""
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_TIMEOUT = 3600
    caches["default"].clear()
    page_cache._local_indexes.clear()
    yield
    caches["default"].clear()
    page_cache._local_indexes.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs the block's on-commit callbacks (the invalidations) as a commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def site(db):
    """An edition with two sessions, a published report in the first one crediting an
    author and quoting a speaker, and a report in the second one."""
    edition = EditionFactory()
    first, second = SessionFactory.create_batch(2, edition=edition)
    author, speaker, bystander = PersonFactory.create_batch(3)
    speech = SpeechFactory(session=first, speaker=speaker)
    report = ReportFactory(edition=edition, session=first)
    report.speeches.add(speech)
    CreditFactory(report=report, person=author, role=Credit.Role.AUTHOR)
    CreditFactory(report=report, role=Credit.Role.REVIEWER)
    other_report = ReportFactory(edition=edition, session=second)
    return {
        "edition": edition,
        "first": first,
        "second": second,
        "author": author,
        "speaker": speaker,
        "bystander": bystander,
        "speech": speech,
        "report": report,
        "other_report": other_report,
    }
