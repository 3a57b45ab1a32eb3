"""The editor's desk in a real browser, and a concurrent edit through the plain form.

Playwright drives Debian's chromium through the report admin of the live demo site: two
people editing one report at once (a field-level merge), an unsaved edit followed by
Approve, an upload on a form with an error, a new image on a live report waiting for its
republication, the translators' queue, restoring a revision, and the admin in Chinese.
The browser tests are skipped, with the reason, when Playwright or chromium is missing;
the last test posts the admin's form without JavaScript (Django's test client).
"""

import re

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image
from reversion.models import Version

from forum.models import Credit, Edition, Person, Report
from forum.reports import workflow
from tests.browser import CHROMIUM, LAUNCH_ARGS, require_browser

Status = Report.Status
DEMO_REPORT = "li-wenhai-digital-empowerment-industrial-transformation"
ACTION = "#action-menu button[name=_action][value='{}']"
HAN = re.compile(r"[\u4e00-\u9fff]")


# --- Browser and people ------------------------------------------------------------------


@pytest.fixture
def browser():
    sync_api = require_browser()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


def sign_in(browser, live_site, username):
    """A page of `username`'s own browser session, on the admin home page."""
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{live_site}/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"cdf-{username}-2024")
    page.click("[type=submit]")
    page.wait_for_url(f"{live_site}/admin/")
    return page


def user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def change_url(live_site, report):
    return f"{live_site}{reverse('admin:forum_report_change', args=[report.pk])}"


def act(page, action):
    """Clicks an action-menu button (it posts the form) and waits for the next page."""
    with page.expect_navigation():
        page.click(ACTION.format(action))


def succeeded(page):
    errors = page.locator(".errornote, .messagelist .error").all_inner_texts()
    return not errors and page.locator(".messagelist .success").count() == 1


def rich_text(page, column):
    return page.locator(f".prose-editor:has(> #id_{column}) [contenteditable=true]")


def show_tab(page, column):
    """Shows a language tab of the form when the field is on a hidden one."""
    if not page.locator(f"#id_{column}").is_visible():
        page.click(f"li[aria-controls='tab_id_{column}']")


def image_file(tmp_path, name="tianjin-exchange.png"):
    path = tmp_path / name
    Image.new("RGB", (1200, 675), (30, 90, 160)).save(path)
    return path


# --- Reports made through the workflow ---------------------------------------------------


def new_report(author, state=Status.DRAFT, *, english_only=False, **columns):
    """A complete report made by `author` through the workflow, taken to `state`."""
    values = {
        "headline_en": "Shanghai opens a data exchange",
        "slug_en": "shanghai-data-exchange",
        "summary_en": "A new exchange trades data products.",
        "body_en": "<p>Shanghai has opened a data exchange.</p>",
        "headline_zh_hans": "上海开设数据交易所",
        "slug_zh_hans": "shanghai-shuju-jiaoyisuo",
        "summary_zh_hans": "新交易所交易数据产品。",
        "body_zh_hans": "<p>上海开设了数据交易所。</p>",
    }
    if english_only:
        values = {column: value for column, value in values.items() if column.endswith("_en")}
    values.update(columns)
    report = Report(edition=Edition.objects.get(year=2024), **values)
    workflow.report_save(report=report, user=author)
    for order, (slug, role) in enumerate(
        (("liu-changjie", Credit.Role.AUTHOR), ("cui-keliang", Credit.Role.REVIEWER)), start=1
    ):
        Credit.objects.create(
            report=report, person=Person.objects.get(slug=slug), role=role, order=order
        )
    editor = user("editor")
    if state in (Status.IN_REVIEW, Status.APPROVED, Status.PUBLISHED):
        workflow.report_submit(report=report, user=editor)
    if state in (Status.APPROVED, Status.PUBLISHED):
        workflow.report_approve(report=report, user=editor)
    if state == Status.PUBLISHED:
        workflow.report_publish(report=report, user=editor)
    return Report.objects.get(pk=report.pk)


def actions_of(report):
    return list(report.transitions.order_by("created_at", "pk").values_list("action", flat=True))


# --- Two people at once ------------------------------------------------------------------


@pytest.mark.browser
def test_two_people_editing_different_fields_both_keep_their_change(browser, live_site):
    report = new_report(user("editor"))
    first = sign_in(browser, live_site, "editor")
    second = sign_in(browser, live_site, "reviewer")
    for page in (first, second):
        page.goto(change_url(live_site, report))

    first.fill("#id_summary_en", "The exchange lists 1,200 data products.")
    act(first, "save")
    assert succeeded(first)

    second.fill("#id_headline_en", "Shanghai's data exchange opens its doors")
    act(second, "save")
    # Nothing to choose: each changed a field the other did not touch.
    assert second.locator(".merge-conflict").count() == 0
    assert succeeded(second), second.locator("#content").inner_text()[:2000]

    report.refresh_from_db()
    assert report.summary_en == "The exchange lists 1,200 data products."
    assert report.headline_en == "Shanghai's data exchange opens its doors"


@pytest.mark.browser
def test_two_people_changing_the_same_field_choose_in_full_mine_or_theirs(browser, live_site):
    # Long texts that differ only near the end: the choice must show them in full.
    opening = "Shanghai's data exchange, the largest in the country by listed products, "
    original = opening + "opens to foreign buyers in the Lingang special area this spring"
    theirs = opening + "opens to foreign buyers in the Lingang special area next autumn"
    mine = opening + "opens to buyers from Hong Kong and Macao in the Lingang area first"
    report = new_report(user("editor"), summary_en=original)
    first = sign_in(browser, live_site, "editor")
    second = sign_in(browser, live_site, "reviewer")
    for page in (first, second):
        page.goto(change_url(live_site, report))

    first.fill("#id_summary_en", theirs)
    act(first, "save")
    assert succeeded(first)
    second.fill("#id_summary_en", mine)
    second.fill("#id_headline_en", "Shanghai's data exchange widens its market")
    act(second, "save")

    # Refused as a whole, nothing of theirs lost; the choice shows each version in full.
    conflict = second.locator(".merge-conflict:has(input[name='merge_summary_en'])")
    assert conflict.count() == 1, second.locator("#content").inner_text()[:2000]
    shown = conflict.inner_text()
    assert mine in shown and theirs in shown and original in shown
    assert second.locator(".merge-conflict").count() == 1  # only the field both changed
    report.refresh_from_db()
    assert (report.summary_en, report.headline_en) == (theirs, "Shanghai opens a data exchange")

    # Take theirs: their summary stays, my headline (which they did not touch) is saved.
    second.check("input[name='merge_summary_en'][value='theirs']")
    act(second, "save")
    assert succeeded(second), second.locator("#content").inner_text()[:2000]
    report.refresh_from_db()
    assert report.summary_en == theirs
    assert report.headline_en == "Shanghai's data exchange widens its market"

    # Once more on the same field, and this time take mine.
    first.goto(change_url(live_site, report))
    second.goto(change_url(live_site, report))
    first.fill("#id_summary_en", original)
    act(first, "save")
    assert succeeded(first)
    second.fill("#id_summary_en", mine)
    act(second, "save")
    second.check("input[name='merge_summary_en'][value='mine']")
    act(second, "save")
    assert succeeded(second), second.locator("#content").inner_text()[:2000]
    report.refresh_from_db()
    assert report.summary_en == mine


# --- Acting on the form's unsaved edits ---------------------------------------------------


@pytest.mark.browser
def test_an_unsaved_edit_warns_on_leaving_and_is_saved_with_the_approval(browser, live_site):
    report = new_report(user("editor"), Status.IN_REVIEW)
    page = sign_in(browser, live_site, "reviewer")
    page.goto(change_url(live_site, report))
    headline = page.locator("#id_headline_en")
    headline.click()
    headline.press("End")
    page.keyboard.type(" today")

    # Leaving with the edit unsaved asks first; staying keeps the edit.
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    with page.expect_event("dialog"):
        page.locator(".breadcrumbs a").last.click(no_wait_after=True)
    assert dialogs == ["beforeunload"]
    assert headline.input_value() == "Shanghai opens a data exchange today"

    # Approve with only the English changed: refused as a whole (the Chinese headline
    # would be outdated), nothing saved, and the edit is still in the form.
    act(page, "approve")
    assert page.locator(".errornote").count() == 1
    assert headline.input_value() == "Shanghai opens a data exchange today"
    report.refresh_from_db()
    assert (report.headline_en, report.status) == (
        "Shanghai opens a data exchange",
        Status.IN_REVIEW,
    )

    # With the Chinese headline updated too, Approve saves both and approves.
    show_tab(page, "headline_zh_hans")
    page.fill("#id_headline_zh_hans", "上海数据交易所今天开业")
    act(page, "approve")
    assert succeeded(page), page.locator("#content").inner_text()[:2000]
    assert dialogs == ["beforeunload"]  # the form's own buttons do not warn
    report.refresh_from_db()
    assert report.headline_en == "Shanghai opens a data exchange today"
    assert report.headline_zh_hans == "上海数据交易所今天开业"
    assert report.status == Status.APPROVED
    assert actions_of(report)[-1] == "approve"


# --- Uploads ------------------------------------------------------------------------------


@pytest.mark.browser
def test_an_upload_is_kept_when_the_form_has_an_error(browser, live_site, tmp_path):
    report = new_report(user("editor"))
    page = sign_in(browser, live_site, "editor")
    page.goto(change_url(live_site, report))
    page.set_input_files("#id_hero_image", image_file(tmp_path))
    page.fill("#id_hero_image_alt_en", "The trading floor of the exchange")
    page.fill("#id_slug_en", "not a slug!")
    act(page, "save")

    assert page.locator(".errornote").count() == 1
    assert page.locator(".field-slug_en .errorlist").count() == 1
    # The re-shown form says the image is kept; the reader of the form need not upload it again.
    image_row = page.locator(".field-hero_image")
    assert "tianjin-exchange.png" in image_row.inner_text()
    report.refresh_from_db()
    assert not report.hero_image

    page.fill("#id_slug_en", "shanghai-data-exchange")
    act(page, "save")
    assert succeeded(page), page.locator("#content").inner_text()[:2000]
    report.refresh_from_db()
    assert report.hero_image.name.startswith("reports/")
    assert report.hero_image.name.endswith(".png")
    assert report.hero_image_alt_en == "The trading floor of the exchange"


@pytest.mark.browser
def test_a_new_image_on_a_live_report_waits_for_the_republication(browser, live_site, tmp_path):
    report = Report.objects.get(slug_en=DEMO_REPORT)
    public_url = f"{live_site}/en/reports/{DEMO_REPORT}/"
    alt = "Li Wenhai speaking at the symposium"
    page = sign_in(browser, live_site, "editor")
    page.goto(change_url(live_site, report))
    page.set_input_files("#id_hero_image", image_file(tmp_path, "keynote.png"))
    page.fill("#id_hero_image_alt_en", alt)
    show_tab(page, "hero_image_alt_zh_hans")
    page.fill("#id_hero_image_alt_zh_hans", "李文海在研讨会上发言")
    act(page, "save")
    assert succeeded(page), page.locator("#content").inner_text()[:2000]

    # Saved in the working copy: the public page and the live row are as they were.
    reader = browser.new_page()
    reader.goto(public_url)
    assert reader.locator(f"main img[alt='{alt}']").count() == 0
    report.refresh_from_db()
    assert not report.hero_image
    assert report.pending_status

    act(page, "republish")
    assert succeeded(page), page.locator("#content").inner_text()[:2000]
    reader.goto(public_url)
    assert reader.locator(f"main img[alt='{alt}']").count() == 1
    report.refresh_from_db()
    assert report.hero_image and not report.pending_changes
    assert actions_of(report)[-1] == "republish"
    history = page.locator(".workflow-history")
    history.evaluate("node => { if (node.tagName === 'DETAILS') node.open = true; }")
    assert "republish" in history.inner_text().lower()


# --- The translators' queue ---------------------------------------------------------------


@pytest.mark.browser
def test_the_translators_queue_lists_missing_and_outdated_and_takes_translation_done(
    browser, live_site
):
    untranslated = new_report(
        user("author"),
        english_only=True,
        headline_en="Hainan opens a free-trade port",
        slug_en="hainan-free-trade-port",
    )
    before = "<p>Lenders back the data centres.</p><p>Participants met in Beijing.</p>"
    after = "<p>Lenders back the new data centres.</p><p>Participants met in Tianjin.</p>"
    changed = new_report(user("editor"), Status.PUBLISHED, body_en=before)
    changed.body_en = after
    workflow.report_save(report=changed, user=user("editor"), expected_version=changed.version)

    page = sign_in(browser, live_site, "translator")
    page.goto(f"{live_site}{reverse('admin:forum_report_outdated')}")
    missing = page.locator(f"#queue-report-{untranslated.pk}").locator("xpath=..")
    assert missing.locator(".queue-missing").count() >= 3  # headline, summary, body
    outdated = page.locator(f"#queue-report-{changed.pk}").locator("xpath=..")
    body_task = outdated.locator(".queue-outdated").filter(has=page.locator(".paragraph-diff"))
    assert body_task.count() == 1
    paragraphs = body_task.locator(".paragraph-diff > li").all_inner_texts()
    # One entry per paragraph: "centres." and "Participants" are not run together.
    assert len(paragraphs) == 2, paragraphs
    assert "Participants" not in paragraphs[0]
    added = [text.strip() for text in body_task.locator(".paragraph-diff ins").all_inner_texts()]
    assert added == ["new", "Tianjin."]

    # The translator updates the Chinese body from the queue and marks the translation done.
    body_task.locator("a.button").click()
    page.wait_for_load_state()
    rich_text(page, "body_zh_hans").fill("贷款方支持新的数据中心。与会者在天津会面。")
    act(page, "save")
    assert succeeded(page), page.locator("#content").inner_text()[:2000]
    page.goto(f"{live_site}{reverse('admin:forum_report_outdated')}")
    assert page.locator(f"#queue-report-{changed.pk}").count() == 0
    ready = page.locator(".queue-ready tr").filter(has_text=str(changed))
    with page.expect_navigation():
        ready.locator("button[type=submit]").click()
    assert succeeded(page)
    assert page.locator(".queue-ready tr").filter(has_text=str(changed)).count() == 0
    changed.refresh_from_db()
    assert actions_of(changed)[-1] == "translated"
    assert changed.pending_status == Status.IN_REVIEW
    assert "Tianjin" not in changed.body_en  # still the live text until published


# --- Restoring a revision ----------------------------------------------------------------


@pytest.mark.browser
def test_restoring_a_revision_asks_first_and_changes_nothing_until_confirmed(browser, live_site):
    editor = user("editor")
    report = new_report(editor, headline_en="Shanghai opens a data exchange")
    old_version = Version.objects.get_for_object(report).first()
    report.headline_en = "Shanghai's data exchange is open"
    workflow.report_save(report=report, user=editor, expected_version=report.version)
    report.refresh_from_db()
    saved_version = report.version

    page = sign_in(browser, live_site, "editor")
    page.goto(f"{live_site}{reverse('admin:forum_report_revisions', args=[report.pk])}")
    restore = f"a[href$='/revisions/{old_version.pk}/restore/']"
    page.click(restore)
    page.wait_for_load_state()
    preview = page.locator(".restore-preview")
    # The preview's headline row: the current text and the restored one, as a diff.
    changed = preview.locator("tr.changed").filter(has_text="Headline").filter(has_text="EN")
    assert changed.count() == 1, preview.inner_text()
    assert diff_sides(changed.locator("td").last) == (
        "Shanghai's data exchange is open",
        "Shanghai opens a data exchange",
    )
    report.refresh_from_db()
    assert (report.headline_en, report.version) == (
        "Shanghai's data exchange is open",
        saved_version,
    )

    # "No, go back" leaves it as it is; "Yes" restores it as a new revision.
    with page.expect_navigation():
        preview.locator("a.cancel-link").click()
    report.refresh_from_db()
    assert report.version == saved_version
    page.click(restore)
    page.wait_for_load_state()
    with page.expect_navigation():
        page.click(".restore-confirm button[type=submit]")
    assert succeeded(page)
    report.refresh_from_db()
    assert report.headline_en == "Shanghai opens a data exchange"
    assert report.version > saved_version


def diff_sides(cell):
    """(before, after) of a diff cell: the text without its <ins>, and without its <del>."""
    return tuple(
        cell.evaluate(
            """(cell, removed) => {
                const copy = cell.cloneNode(true);
                copy.querySelectorAll(removed).forEach(node => node.remove());
                return copy.textContent.replace(/\\s+/g, " ").trim();
            }""",
            removed,
        )
        for removed in ("ins", "del")
    )


# --- The Chinese admin --------------------------------------------------------------------


@pytest.mark.browser
def test_the_chinese_admin_labels_the_action_menu_in_chinese(browser, live_site):
    report = new_report(user("editor"), Status.IN_REVIEW)
    page = sign_in(browser, live_site, "editor")
    with page.expect_navigation():
        page.click("form.admin-language button[value='zh-hans']")
    page.goto(change_url(live_site, report))
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    labels = [
        text.strip() for text in page.locator("#action-menu button[name=_action]").all_inner_texts()
    ]
    assert len(labels) >= 3, labels  # save, approve, reject at least
    for label in labels:
        assert HAN.search(label) and not re.search(r"[A-Za-z]", label), labels
    english_labels = {workflow.action_label(action) for action in workflow.TRANSITIONS}
    assert not english_labels & set(labels)


# --- Without JavaScript ------------------------------------------------------------------


def test_a_concurrent_edit_through_the_plain_form_loses_nobodys_change(
    demo_with_accounts, form_data, page_text
):
    """Two sessions post the admin's form as a browser without JavaScript would."""
    report = new_report(user("editor"))
    url = reverse("admin:forum_report_change", args=[report.pk])
    first, second = Client(), Client()
    first.force_login(user("editor"))
    second.force_login(user("reviewer"))
    first_form = form_data(first.get(url))
    second_form = form_data(second.get(url))

    # Different fields: both are kept.
    first_form.update(summary_en="The exchange lists 1,200 data products.", _action="save")
    assert first.post(url, first_form).status_code == 302
    second_form.update(headline_en="Shanghai's data exchange opens its doors", _action="save")
    assert second.post(url, second_form).status_code == 302
    report.refresh_from_db()
    assert report.summary_en == "The exchange lists 1,200 data products."
    assert report.headline_en == "Shanghai's data exchange opens its doors"

    # The same field: the second save is refused and shows both texts in full.
    first_form = form_data(first.get(url))
    second_form = form_data(second.get(url))
    theirs = "The exchange lists 1,200 data products from 300 companies, most of them " * 2
    mine = "The exchange lists 1,200 data products from 300 companies, half of them " * 2
    first_form.update(summary_en=theirs.strip(), _action="save")
    assert first.post(url, first_form).status_code == 302
    second_form.update(
        summary_en=mine.strip(), body_en="<p>Shanghai's exchange is open.</p>", _action="save"
    )
    refused = second.post(url, second_form)
    assert refused.status_code == 200
    assert mine.strip() in page_text(refused) and theirs.strip() in page_text(refused)
    report.refresh_from_db()
    assert report.summary_en == theirs.strip()

    # Taking theirs keeps their summary and saves my body, which they did not touch.
    again = form_data(refused)
    again.update(merge_summary_en="theirs", _action="save")
    assert second.post(url, again).status_code == 302
    report.refresh_from_db()
    assert report.summary_en == theirs.strip()
    assert report.body_en == "<p>Shanghai's exchange is open.</p>"
    assert report.headline_en == "Shanghai's data exchange opens its doors"
