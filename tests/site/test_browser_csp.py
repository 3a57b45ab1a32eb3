"""The Content-Security-Policy in a real browser: the admin still works under it.

An editor opens a report's and a session's change form: the language tabs switch, the
prose editor takes typing, the autocomplete opens, the export form's "Select all" works,
and the browser reports no policy violation (nor any other error) on the way; public
pages in both languages are clean too. Skipped, with the reason, when Playwright or
Debian's chromium is missing (as tests/site/test_browser.py).
"""

import pytest

from forum.models import Report, Session
from tests.browser import CHROMIUM, LAUNCH_ARGS, require_browser

sync_api = require_browser()
pytestmark = pytest.mark.browser


@pytest.fixture
def browser_page():
    """A page that records every console message and script error."""
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        page = browser.new_page()
        page.problems = []
        page.on(
            "console",
            lambda message: (
                message.type in ("error", "warning")
                and page.problems.append(f"{page.url}: {message.text}")
            ),
        )
        page.on("pageerror", lambda error: page.problems.append(f"{page.url}: {error}"))
        yield page
        browser.close()


def visit(page, url):
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    assert response.status == 200, url


def test_admin_works_under_the_policy(live_site, browser_page):
    page = browser_page
    visit(page, f"{live_site}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "cdf-editor-2024")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_site}/admin/")

    report = Report.objects.published().first()
    visit(page, f"{live_site}/admin/forum/report/{report.pk}/change/")
    # The policy is really there, with a nonce for the prose editor's import map.
    assert "nonce-" in page.evaluate(
        "document.querySelector('script[type=importmap]').nonce ? 'nonce-' : ''"
    )

    # Language tabs (modeltranslation, jQuery UI from our static files).
    assert not page.locator("#id_headline_zh_hans").is_visible()
    page.click("li[aria-controls='tab_id_headline_zh_hans']")
    assert page.locator("#id_headline_zh_hans").is_visible()
    assert not page.locator("#id_headline_en").is_visible()

    # The prose editor (an ES module loaded through the import map) takes typing.
    page.click("li[aria-controls='tab_id_body_en']")
    editor = page.locator("#id_body_en").locator("xpath=..").locator("[contenteditable=true]")
    editor.click()
    page.keyboard.press("End")
    page.keyboard.type(" Typed under the policy.")
    assert "Typed under the policy." in page.locator("#id_body_en").input_value()

    # The select2 autocomplete opens and lists the edition.
    page.click("#id_edition + .select2 .select2-selection")
    # "Searching…" first, then the results: wait for a result, not the placeholder.
    page.wait_for_selector(
        ".select2-container--open .select2-results__option:not(.loading-results)"
    )
    assert "2024" in page.locator(".select2-results__option").first.inner_text()
    page.keyboard.press("Escape")

    # The workflow panel is there (a plain form: nothing inline).
    assert page.locator(".workflow-panel").is_visible()

    session = Session.objects.first()
    visit(page, f"{live_site}/admin/forum/session/{session.pk}/change/")
    page.click("li[aria-controls='tab_id_title_zh_hans']")
    assert page.locator("#id_title_zh_hans").is_visible()

    # The media-contact export form: "Select all" without an inline handler.
    visit(page, f"{live_site}/admin/forum/mediacontact/")
    page.locator("#action-toggle").check()
    page.select_option("select[name=action]", "export_admin_action")
    page.click("button[name=index]")
    page.wait_for_load_state("networkidle")
    toggle = page.locator("input.select-toggle:visible")
    toggle.uncheck()
    boxes = page.locator(".selectable-field-export-row input[type=checkbox]:visible")
    assert boxes.count() > 1
    assert not any(boxes.nth(i).is_checked() for i in range(boxes.count()))
    toggle.check()
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))

    # The import page.
    visit(page, f"{live_site}/admin/forum/mediacontact/import/")

    assert page.problems == []


def test_public_pages_and_api_docs_work_under_the_policy(live_site, browser_page):
    page = browser_page
    report = Report.objects.published().first()
    for path in (
        "/en/",
        "/zh-hans/",
        report.get_absolute_url(),
        "/en/2024/",
        "/zh-hans/2024/press/",
        "/en/search/?q=computing+power",
    ):
        visit(page, f"{live_site}{path}")
    visit(page, f"{live_site}/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock")  # Swagger UI rendered the schema
    assert page.problems == []
