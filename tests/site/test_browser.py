"""A report's way from author to translator to reviewer to editor, in a real browser.

Drives Debian's chromium with Playwright through the real admin pages, then reads both
public pages. Skipped, with the reason, when Playwright or the browser is missing.
"""

import pytest

from forum.models import Report
from tests.browser import CHROMIUM, LAUNCH_ARGS, require_browser

sync_api = require_browser()
pytestmark = pytest.mark.browser


@pytest.fixture
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


def log_in(browser, live_site, username, password):
    page = browser.new_page()
    page.goto(f"{live_site}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_site}/admin/")
    return page


def choose(page, field_id, text):
    """Pick `text` in an admin autocomplete (select2) field."""
    page.click(f"#{field_id} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", text)
    page.click(f".select2-results__option:has-text('{text}')")


def open_tab(page, column):
    """Show a language tab; a translator's form has no tabs (the source text is read-only)."""
    tab = page.locator(f"li[aria-controls='tab_id_{column}']")
    if tab.count():
        tab.click()


def type_rich_text(page, column, text):
    editor = page.locator(f"#id_{column}").locator("xpath=..").locator("[contenteditable=true]")
    editor.click()
    page.keyboard.type(text)


def take_action(page, action, comment=""):
    """Saves the form and takes a step with the action menu's button."""
    if comment:
        page.fill("#action-menu textarea[name=workflow_comment]", comment)
    page.click(f"#action-menu button[name=_action][value={action}]")
    page.wait_for_load_state()
    assert page.locator(".messagelist .success").count() == 1, page.locator(
        ".messagelist"
    ).inner_text()


def test_report_walks_from_author_to_publication(browser, live_site):
    # The author drafts the English report and credits an author and a reviewer.
    author = log_in(browser, live_site, "author", "cdf-author-2024")
    author.goto(f"{live_site}/admin/forum/report/add/")
    author.fill("#id_headline_en", "Tianjin opens a computing power exchange")
    author.fill("#id_slug_en", "tianjin-computing-power-exchange")
    author.fill("#id_summary_en", "A new platform trades computing power.")
    type_rich_text(author, "body_en", "Tianjin has opened a computing power trading platform.")
    choose(author, "id_edition", "2024")
    choose(author, "id_authors", "Liu")
    choose(author, "id_reviewers", "Cui")
    take_action(author, "save")
    report = Report.objects.get(slug_en="tianjin-computing-power-exchange")
    assert report.status == Report.Status.DRAFT
    assert author.locator(".workflow-panel").is_visible()
    take_action(author, "submit")

    # The public cannot see it.
    public = browser.new_page()
    assert public.goto(f"{live_site}/en/reports/tianjin-computing-power-exchange/").status == 404

    # The translator adds the Chinese version in the Chinese tabs.
    translator = log_in(browser, live_site, "translator", "cdf-translator-2024")
    translator.goto(f"{live_site}/admin/forum/report/{report.pk}/change/")
    for column, text in (
        ("headline_zh_hans", "天津开设算力交易平台"),
        ("slug_zh_hans", "tianjin-suanli-jiaoyi"),
        ("summary_zh_hans", "新平台开展算力交易。"),
    ):
        open_tab(translator, column)
        translator.fill(f"#id_{column}", text)
    open_tab(translator, "body_zh_hans")
    type_rich_text(translator, "body_zh_hans", "天津已开设算力交易平台。")
    take_action(translator, "save")
    assert translator.locator(".errornote").count() == 0

    # The reviewer approves but cannot publish.
    reviewer = log_in(browser, live_site, "reviewer", "cdf-reviewer-2024")
    reviewer.goto(f"{live_site}/admin/forum/report/{report.pk}/change/")
    take_action(reviewer, "approve", "Checked the figures")
    assert reviewer.locator("button[name=_action][value=publish]").count() == 0

    # The editor publishes; both language pages show the report.
    editor = log_in(browser, live_site, "editor", "cdf-editor-2024")
    editor.goto(f"{live_site}/admin/forum/report/{report.pk}/change/")
    take_action(editor, "publish")

    english = public.goto(f"{live_site}/en/reports/tianjin-computing-power-exchange/")
    assert english.status == 200
    assert public.locator("h1").inner_text() == "Tianjin opens a computing power exchange"
    assert "Liu Changjie" in public.locator(".byline").inner_text()
    public.click("a[hreflang='zh-Hans']")
    assert public.url.endswith("/zh-hans/reports/tianjin-suanli-jiaoyi/")
    assert public.locator("h1").inner_text() == "天津开设算力交易平台"
    assert "天津已开设算力交易平台。" in public.locator(".article-body").inner_text()
    assert public.locator("html").get_attribute("lang") == "zh-Hans"
