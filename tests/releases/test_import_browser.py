"""An author imports the seed press release in a real browser, with the keyboard: paste,
review, confirm, and the draft report is in the report list.

Drives Debian's chromium with Playwright (tests/browser.py) on the live demo site. The
demo site already holds the seed's report; it is deleted first, as if the release had
just arrived, so that the import makes it again (everything else in the release matches).
"""

import pytest

from forum.models import Person, Report, Session
from tests.releases.importing import seed_text
from tests.site import test_browser as walk  # skips this module too when there is no browser

pytestmark = pytest.mark.browser
# The browser, and the login, of the report's walk through the workflow.
browser = walk.browser
log_in = walk.log_in


def test_author_pastes_seed_reviews_confirms_and_finds_draft(browser, live_site):
    Report.objects.all().delete()
    people = Person.objects.count()
    page = log_in(browser, live_site, "author", "cdf-author-2024")

    # From the report list's tools to the import form.
    page.goto(f"{live_site}/admin/forum/report/")
    page.get_by_role("link", name="Import a press release").press("Enter")
    page.wait_for_url(f"{live_site}/admin/forum/report/import-release/")

    # Paste the release into the labelled field; send it from the keyboard.
    page.get_by_label("Text of the press release").fill(seed_text())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_upload"
    page.get_by_role("button", name="Read the release").press("Enter")
    page.wait_for_load_state()

    # The review: what was read beside the source, what matches, what will be created.
    assert page.get_by_role("heading", name="Source text").is_visible()
    assert "LI Wenhai, Vice Mayor" in page.locator(".release-source pre").inner_text()
    read = page.locator(".release-read").inner_text()
    assert "Symposium on Digital Empowerment for Industrial Transformation" in read
    plan = page.locator("#release-plan")
    session = Session.objects.get()
    session_row = plan.locator("tr", has_text="Symposium on Digital Empowerment").first
    assert f"matches #{session.pk}" in session_row.inner_text()
    report_row = plan.locator("tr.release-create")
    assert report_row.count() == 3  # the report and its two credits
    assert "Li Wenhai: Digital Empowerment" in report_row.first.inner_text()

    # Confirm from the keyboard: the new draft opens, with a message.
    page.get_by_role("button", name="Create the draft report").press("Enter")
    page.wait_for_url(f"{live_site}/admin/forum/report/*/change/")
    message = page.locator(".messagelist .success").inner_text()
    assert "The press release is imported as the draft report" in message

    report = Report.objects.get()
    assert (report.status, report.created_by.username) == (Report.Status.DRAFT, "author")
    assert Person.objects.count() == people

    # The report list shows the draft.
    page.goto(f"{live_site}/admin/forum/report/?state=draft")
    listed = page.locator("#result_list").inner_text()
    assert "Li Wenhai: Digital Empowerment for Industrial Transformation" in listed
    assert "Draft" in listed
