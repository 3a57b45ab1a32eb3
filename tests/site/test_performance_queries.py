"""Query budgets: every public page and the busy admin change lists cost a small, constant
number of SQL queries, whatever the number of related rows. Each page is measured with a
few rows and with ten times as many; the counts must be equal and within the budget.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.models import Credit, MediaContact, Person, Report, Session, SessionRole
from tests.factories import (
    CreditFactory,
    EditionFactory,
    MediaContactFactory,
    OrganisationFactory,
    PersonFactory,
    PositionFactory,
    ReportFactory,
    SessionFactory,
    SessionRoleFactory,
    SpeechFactory,
)

pytestmark = pytest.mark.django_db


class Site:
    """An edition whose featured session, report and person grow by `add(n)`."""

    def __init__(self):
        press_office = OrganisationFactory()
        self.edition = EditionFactory(press_office=press_office, host=OrganisationFactory())
        self.session = SessionFactory(edition=self.edition)
        self.person = PersonFactory()
        self.report = ReportFactory(
            edition=self.edition, session=self.session, publisher=OrganisationFactory()
        )
        self.rows = 0

    def add(self, n):
        """n more of everything a page lists: speeches, roles, credits, contacts, reports,
        sessions, positions, people."""
        for _ in range(n):
            speaker = PersonFactory()
            speech = SpeechFactory(session=self.session, speaker=speaker)
            self.report.speeches.add(speech)
            SessionRoleFactory(
                session=self.session, person=PersonFactory(), role=SessionRole.Role.PANELLIST
            )
            CreditFactory(report=self.report, person=PersonFactory(), role=Credit.Role.AUTHOR)
            contact = MediaContactFactory(organisation=OrganisationFactory())
            self.report.media_contacts.add(contact)
            contact.editions.add(self.edition)
            other = ReportFactory(edition=self.edition, session=self.session)
            CreditFactory(report=other, person=self.person)
            SpeechFactory(session=SessionFactory(edition=self.edition), speaker=self.person)
            SessionRoleFactory(session=SessionFactory(edition=self.edition), person=self.person)
            PositionFactory(person=self.person)
        self.rows += n

    def pages(self):
        report = self.report
        edition = self.edition.slug
        session = f"{edition}/sessions/{self.session.slug}/"
        return {
            "home": "/en/",
            "about": "/zh-hans/about/",
            "report-list": "/en/reports/",
            "report-en": f"/en/reports/{report.slug_en}/",
            "report-zh": f"/zh-hans/reports/{report.slug_zh_hans}/",
            "person-list": "/zh-hans/people/",
            "person": f"/en/people/{self.person.slug}/",
            "edition": f"/zh-hans/{edition}/",
            "press": f"/en/{edition}/press/",
            "session-en": f"/en/{session}",
            "session-zh": f"/zh-hans/{session}",
            "search": "/en/search/?q=report",
            "feed": "/en/feeds/reports.atom",
            "sitemap": "/sitemap.xml",
        }


# The most queries each page may make (as measured; raise one only with a reason). A report
# page: the report with its edition, session and publisher; its credits, speeches and media
# contacts; the current edition (with its forum) for the navigation.
BUDGETS = {
    "home": 4,
    "about": 3,
    "report-list": 3,
    "report-en": 5,
    "report-zh": 5,
    "person-list": 3,
    "person": 6,
    "edition": 6,
    "press": 4,  # paginated: the edition, the count and the page of contacts, navigation
    "session-en": 5,
    "session-zh": 5,
    "search": 5,
    "feed": 3,
    "sitemap": 5,
}


def count_queries(client, path):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(context.captured_queries)


@pytest.fixture
def site(db):
    return Site()


def test_page_queries_constant_as_rows_grow_tenfold(client, site):
    # One site for every page: filling it runs the search index for each row.
    site.add(3)
    few = {page: count_queries(client, path) for page, path in site.pages().items()}
    site.add(27)
    many = {page: count_queries(client, path) for page, path in site.pages().items()}
    assert many == few
    assert {page: count for page, count in many.items() if count > BUDGETS[page]} == {}


def test_report_page_within_budget_with_many_rows(client, site, django_assert_max_num_queries):
    site.add(30)
    for page in ("report-en", "report-zh"):
        with django_assert_max_num_queries(8):
            assert client.get(site.pages()[page]).status_code == 200


# --- Admin change lists at scale -----------------------------------------------------------

CHANGE_LISTS = {
    "report": "/admin/forum/report/",
    "session": "/admin/forum/session/",
    "person": "/admin/forum/person/",
    "mediacontact": "/admin/forum/mediacontact/",
}
# Session, user and permissions, the count, the page of rows, and the filters' choices.
ADMIN_BUDGET = 12


def fill_admin(site, n):
    """n more reports (half with outdated translations), sessions, people and contacts.

    bulk_create: no save signals (search index, page cache), so thousands of rows are quick.
    """
    organisation = OrganisationFactory()
    # Editions grow too: the change lists' edition filters list them all.
    editions = [
        EditionFactory(forum=site.edition.forum, press_office=organisation) for _ in range(n // 50)
    ]
    editions.append(site.edition)
    reports = Report.objects.bulk_create(
        ReportFactory.build(
            edition=editions[index % len(editions)],
            session=site.session,
            translations_outdated=bool(index % 2),
        )
        for index in range(n)
    )
    Session.objects.bulk_create(
        SessionFactory.build(edition=editions[index % len(editions)]) for index in range(n)
    )
    Person.objects.bulk_create(PersonFactory.build() for _ in range(n))
    contacts = MediaContact.objects.bulk_create(
        MediaContactFactory.build(organisation=organisation) for _ in range(n)
    )
    MediaContact.editions.through.objects.bulk_create(
        MediaContact.editions.through(mediacontact=contact, edition=editions[index % len(editions)])
        for index, contact in enumerate(contacts)
    )
    assert len(reports) == n


# Plain, searched, sorted, filtered and second page (the admin's pages count from 1).
QUERIES = ("", "?q=report", "?o=2", "?is_published__exact=1", "?p=2")


def measure_admin(admin_client):
    return {
        (name, query): count_queries(admin_client, path + query)
        for name, path in CHANGE_LISTS.items()
        for query in QUERIES
        if not (name in ("report", "mediacontact") and query.startswith("?is_published"))
    }


def test_admin_change_lists_queries_constant(admin_client, site):
    fill_admin(site, 105)  # two pages of each
    few = measure_admin(admin_client)
    fill_admin(site, 945)
    many = measure_admin(admin_client)
    assert many == few
    assert {key: count for key, count in many.items() if count > ADMIN_BUDGET} == {}
