"""The admin pages editors live in, checked in a real browser: axe-core finds no serious or
critical WCAG 2.2 AA violation in English or Chinese; the keyboard reaches the form's
actions from the top, sees where it is in the rich-text area and leaves it with Tab; a
390 px wide phone shows the forms without sideways scrolling; the rich-text toolbar speaks
Chinese in the Chinese admin.

axe-core comes from node_modules (package.json, `npm ci`). Without it the test is skipped,
except in CI (CI=true), where a missing axe-core fails. Playwright and Debian's chromium as
in tests/browser.py.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings

from forum.models import MediaContact, Person, Report
from tests.browser import CHROMIUM, LAUNCH_ARGS, require_browser

sync_api = require_browser()
pytestmark = pytest.mark.browser

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = ("serious", "critical")


@pytest.fixture(scope="module")
def axe_source():
    if not AXE.exists():
        message = f"axe-core is missing ({AXE}): run `npm ci`"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return str(AXE)


@pytest.fixture
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


def editor_page(browser, live_site, language, width=1280):
    """A logged-in editor's page in the admin's `language`. The policy is bypassed only so
    that axe-core can be injected; the site's own scripts are files either way."""
    context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 900})
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_site}]
    )
    page = context.new_page()
    page.goto(f"{live_site}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "cdf-editor-2024")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_site}/admin/")
    return page


def admin_pages():
    report = Report.objects.order_by("pk").first()
    return {
        "home": "/admin/",
        "report list": "/admin/forum/report/",
        "report add": "/admin/forum/report/add/",
        "report change": f"/admin/forum/report/{report.pk}/change/",
        "report history": f"/admin/forum/report/{report.pk}/history/",
        "report delete (to the trash)": f"/admin/forum/report/{report.pk}/delete/",
        "reports in the trash": "/admin/forum/report/?trash=1",
        "media contacts": "/admin/forum/mediacontact/",
        "media contact change": (
            f"/admin/forum/mediacontact/{MediaContact.objects.order_by('pk').first().pk}/change/"
        ),
        "sessions": "/admin/forum/session/",
        "people": "/admin/forum/person/",
        # The Traditional form of a Chinese name, beside the Simplified one.
        "person change": (
            f"/admin/forum/person/{Person.objects.exclude(family_name_zh_hans='').first().pk}/change/"
        ),
        "press release import": "/admin/forum/report/import-release/",
    }


RELEASES = Path(settings.BASE_DIR) / "tests" / "releases"


def open_page(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("networkidle")


def axe_violations(page, axe_source):
    page.add_script_tag(path=axe_source)
    violations = page.evaluate(
        """async (tags) => (await axe.run(document, {runOnly: {type: "tag", values: tags}}))
            .violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
            }))""",
        WCAG_TAGS,
    )
    return [v for v in violations if v["impact"] in BLOCKING]


@pytest.mark.parametrize("language", ["en", "zh-hans", "zh-hant"])
def test_no_serious_or_critical_axe_violation(browser, live_site, axe_source, language):
    page = editor_page(browser, live_site, language)
    found = {}
    for name, path in admin_pages().items():
        open_page(page, live_site + path)
        violations = axe_violations(page, axe_source)
        if violations:
            found[name] = violations
    # The review of an English release and its Chinese twin: one bilingual draft.
    open_page(page, live_site + "/admin/forum/report/import-release/")
    page.set_input_files("#id_upload", str(RELEASES / "seed_release.txt"))
    page.set_input_files("#id_twin_upload", str(RELEASES / "seed_release_zh.txt"))
    page.click("#release-import-form input[type=submit]")
    page.wait_for_selector("#release-confirm-form")
    violations = axe_violations(page, axe_source)
    if violations:
        found["press release review (a pair)"] = violations
    assert not found, "\n".join(
        f"{name}: {v['impact']} {v['id']} {v['targets']}"
        for name, violations in found.items()
        for v in violations
    )


def focused(page, selector):
    """Whether the focused element is inside `selector`."""
    return page.evaluate(
        "(selector) => !!document.activeElement && !!document.activeElement.closest(selector)",
        selector,
    )


def test_keyboard_reaches_the_actions_and_leaves_the_rich_text(browser, live_site):
    page = editor_page(browser, live_site, "zh-hans")
    report = Report.objects.order_by("pk").first()
    open_page(page, f"{live_site}/admin/forum/report/{report.pk}/change/")

    # Second stop from the top: the link to the form's actions; Enter lands in them.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert focused(page, ".skip-to-actions")
    page.keyboard.press("Enter")
    assert focused(page, "#action-menu, .submit-row")

    # The rich-text area shows its focus, and Tab leaves it, also from inside a list.
    editor = page.locator(".field-body_zh_hans [contenteditable=true]")
    editor.click()
    outline = page.evaluate(
        "getComputedStyle(document.querySelector('.field-body_zh_hans .prose-editor')).outlineStyle"
    )
    assert outline != "none"
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("- 列表项")
    assert page.locator(".field-body_zh_hans [contenteditable=true] ul li").count() >= 1
    page.keyboard.press("Tab")
    assert not focused(page, ".prose-editor")

    # The toolbar and the block menu speak Chinese.
    titles = page.eval_on_selector_all(
        ".field-body_zh_hans .prose-menubar button[title]",
        "(buttons) => buttons.filter((b) => !b.classList.contains('hidden')).map((b) => b.title)",
    )
    assert titles
    assert not [title for title in titles if re.search(r"[A-Za-z]{2,}", title)], titles


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_forms_fit_a_phone(browser, live_site, language):
    page = editor_page(browser, live_site, language, width=390)
    report = Report.objects.order_by("pk").first()
    for path in (
        f"/admin/forum/report/{report.pk}/change/",
        "/admin/forum/report/add/",
        "/admin/forum/mediacontact/add/",
    ):
        open_page(page, live_site + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path}: {width} px wide"


def test_languages_side_by_side(browser, live_site):
    """The toggle shows each field's languages in two columns, headed by the languages'
    own names and the translation's state, and is remembered for the next form."""
    page = editor_page(browser, live_site, "zh-hans")
    report = Report.objects.order_by("pk").first()
    open_page(page, f"{live_site}/admin/forum/report/{report.pk}/change/")
    toggle = page.locator(".bilingual-toggle")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    english = page.locator(".field-headline_en")
    chinese = page.locator(".field-headline_zh_hans")
    assert english.is_visible() and chinese.is_visible()
    left, right = english.bounding_box(), chinese.bounding_box()
    assert left["x"] + left["width"] <= right["x"]
    assert abs(left["y"] - right["y"]) < 2
    heads = page.locator(".bilingual-pair[data-field=headline] .bilingual-head").all_inner_texts()
    assert [head.split()[0] for head in heads] == ["English", "简体中文"]
    assert "最新" in heads[1]

    open_page(page, f"{live_site}/admin/forum/report/add/")
    assert page.locator("body.bilingual-columns").count() == 1
