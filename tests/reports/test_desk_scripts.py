"""The desk's scripts in a real browser: slugs filled from headlines as they are typed
(pinyin for Chinese, from the server) until edited by hand, and times completed with the
reader's own zone. Skipped, with the reason, without Playwright or chromium."""

import datetime

import pytest
from django.utils import timezone

from forum.models import Report
from forum.reports import workflow
from tests.browser import CHROMIUM, LAUNCH_ARGS, require_browser
from tests.factories import CreditFactory, ReportFactory, UserFactory

PASSWORD = "correct-horse-battery"


@pytest.fixture
def browser():
    sync_api = require_browser()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def signed_in(browser, live_server, transactional_db):
    UserFactory(username="root", superuser=True)

    def page_in(zone="Asia/Shanghai"):
        context = browser.new_context(locale="en-GB", timezone_id=zone)
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.goto(f"{live_server.url}/admin/login/?next=/admin/")
        page.fill("#id_username", "root")
        page.fill("#id_password", PASSWORD)
        page.click("[type=submit]")
        page.wait_for_url(f"{live_server.url}/admin/")
        return page

    return page_in


def with_script(page, name):
    """Loads a desk script unless the page already does."""
    if page.locator(f"script[src*='js/{name}']").count() == 0:
        page.add_script_tag(url=f"/static/js/{name}")


@pytest.mark.browser
def test_slugs_follow_headlines_until_edited_by_hand(signed_in, live_server):
    page = signed_in()
    page.goto(f"{live_server.url}/admin/forum/report/add/")
    with_script(page, "slug-fill.js")
    page.locator("#id_headline_en").press_sequentially("Green growth: a new path")
    expect = require_browser().expect
    expect(page.locator("#id_slug_en")).to_have_value("green-growth-a-new-path")
    type_hidden(page, "#id_headline_zh_hans", "绿色增长新路径")
    expect(page.locator("#id_slug_zh_hans")).to_have_value("lv-se-zeng-zhang-xin-lu-jing")
    # A slug edited by hand is left alone, while the other language's still follows (its
    # answer coming back shows the script had its turn).
    page.locator("#id_slug_en").fill("green-path")
    page.locator("#id_headline_en").press_sequentially(" today")
    type_hidden(page, "#id_headline_zh_hans", "绿色增长")
    expect(page.locator("#id_slug_zh_hans")).to_have_value("lv-se-zeng-zhang")
    assert page.locator("#id_slug_en").input_value() == "green-path"


def type_hidden(page, selector, text):
    """Chinese fields are on a hidden tab: set the value and tell the page, as typing does."""
    page.locator(selector).evaluate(
        """(field, text) => {
            field.value = text;
            field.dispatchEvent(new Event("input", {bubbles: true}));
        }""",
        text,
    )


@pytest.mark.browser
def test_times_show_the_readers_zone_beside_the_sites(signed_in, live_server):
    report = ReportFactory(status=Report.Status.APPROVED, published_at=None)
    CreditFactory(report=report, role="author")
    CreditFactory(report=report, role="reviewer")
    editor = UserFactory(username="editor-for-schedule", superuser=True)
    workflow.report_publish(
        report=report, user=editor, publish_at=timezone.now() + datetime.timedelta(days=2)
    )
    revisions = f"{live_server.url}/admin/forum/report/{report.pk}/revisions/"

    london = signed_in("Europe/London")
    london.goto(revisions)
    local = london.locator(".schedule-panel .local-time")
    assert "Europe/London" in local.inner_text()
    assert "Asia/Shanghai" in london.locator(".schedule-panel time").inner_text()

    shanghai = signed_in("Asia/Shanghai")
    shanghai.goto(revisions)
    assert shanghai.locator(".schedule-panel time").count() == 1
    assert shanghai.locator(".local-time").count() == 0
