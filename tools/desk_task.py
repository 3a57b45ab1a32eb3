"""The editor's bilingual task in a browser, counted: `make desk-task` (docs/editorial-workflow.md).

A trained editor, signed in to the admin, takes one report through the whole story with
the desk: creates it in English (headline, summary, a body of two paragraphs, the edition,
an author and a reviewer credited), submits it, translates it into Chinese (headline,
summary, body), approves and publishes both languages, corrects one English sentence (and
the Chinese sentence it was translated into, so that the translation stays current) and
republishes the correction. Playwright drives Debian's chromium; every interaction goes
through `Desk`, which counts:

- page loads: documents loaded in the main frame (a form post and the page it redirects
  to are one load; a picker's or the slug's background requests are none);
- clicks: every mouse click, including the one that puts the cursor in a field;
- keystrokes beyond the content: every key press, typing into a picker's search box and
  moving the cursor included, except the content itself, which goes into each field in
  one insertion (as if pasted: 0 keystrokes).

Counting starts on the admin home page the editor lands on after signing in, as in the
comparison with Wagtail: signing in (its page, the typing and the landing page) is not
counted, and every role that signs in is counted the same way. The task needs no second
role: an editor may create, submit, translate, approve and publish. The Chinese fields
are brought on the screen as the form offers: its "languages side by side" toggle (one
click, remembered by the browser), else a click on each field's language tab.

Afterwards, outside the count, it checks the result as a reader and as the editor: both
language pages are public and carry the corrected sentence, the old one is gone, and the
report's workflow history records the approval, the publication and the republication.

It prints a table of the counts per step and exits 1 when a step fails, a check fails or
a total is over the limits: 9 page loads, 30 clicks, 20 keystrokes.

    .venv/bin/python -m tools.desk_task [--base-url URL] [--json] [--port 8130]
        [--screenshots DIR]

Without --base-url it serves a fresh SQLite database with the demo content (gunicorn as
`make serve` starts it, on 127.0.0.1:8130) and removes it afterwards. With --base-url,
the site must have the demo accounts; each run makes a new report, its headlines marked
with a number of its own so that the slugs do not clash.
"""

import argparse
import json
import os
import re
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tools import serving
from tools.serving import HOST, Workspace, log

PORT = 8130
CHROMIUM = "/usr/bin/chromium"
# Chromium in a container, nothing fetched in the background (the browser tests' too).
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LIMITS = {"page loads": 9, "clicks": 30, "keystrokes": 20}
RULE = (
    "Counted from the admin home page after signing in: documents loaded in the main frame,"
    " every mouse click, every key press except the content (one insertion per field)."
)
ACCOUNTS = {"editor": ("editor", "cdf-editor-2024")}
TIMEOUT_MS = 20_000

# The report. Content goes in as one insertion per field (one per paragraph of a body).
ENGLISH = {
    "headline": "Tianjin opens a computing power exchange",
    "summary": "A new platform in Tianjin trades computing power between data centres.",
    "body": [
        "Tianjin has opened a platform on which data centres trade computing power.",
        "Trading starts in May.",
    ],
}
CHINESE = {
    "headline": "天津开设算力交易平台",
    "summary": "天津新平台在数据中心之间开展算力交易。",
    "body": ["天津开设了数据中心之间交易算力的平台。", "交易将于五月开始。"],
}
# English and Chinese, as the language registry names them.
EN, ZH = serving.site_languages().written
# The correction: the body's second paragraph (one sentence), in both languages.
CORRECTED = {EN: "Trading starts in June.", ZH: "交易将于六月开始。"}
EDITION = "2024"
CREDITS = {"authors": ("Liu", "Liu Changjie"), "reviewers": ("Cui", "Cui Keliang")}

# Where the desk's controls are (forum/reports/admin.py and its templates).
ACTION = "#action-menu button[name=_action][value='{}']"
ACTION_MENU_TOGGLE = "#action-menu [aria-haspopup], #action-menu [aria-expanded]"
SIDE_BY_SIDE = "button.bilingual-toggle"
SUCCESS = ".messagelist .success"
FAILURE = ".messagelist .error, .errornote, .errorlist"


class TaskError(Exception):
    """A step of the task could not be done; the message says which and why."""


@dataclass
class Step:
    name: str
    role: str
    page_loads: int = 0
    clicks: int = 0
    keystrokes: int = 0


@dataclass
class Result:
    steps: list = field(default_factory=list)
    checks: list = field(default_factory=list)  # [(description, passed)]
    error: str = ""

    def totals(self):
        return {
            "page loads": sum(step.page_loads for step in self.steps),
            "clicks": sum(step.clicks for step in self.steps),
            "keystrokes": sum(step.keystrokes for step in self.steps),
        }

    def over_limits(self):
        """{count: (measured, limit)} for every total above its limit."""
        totals = self.totals()
        return {
            name: (totals[name], limit) for name, limit in LIMITS.items() if totals[name] > limit
        }

    def failed_checks(self):
        return [description for description, passed in self.checks if not passed]

    @property
    def passed(self):
        return not self.error and not self.over_limits() and not self.failed_checks()

    def as_dict(self):
        return {
            "steps": [asdict(step) for step in self.steps],
            "totals": self.totals(),
            "limits": LIMITS,
            "rule": RULE,
            "checks": [{"check": text, "passed": passed} for text, passed in self.checks],
            "error": self.error,
            "passed": self.passed,
        }

    def table(self):
        rows = [("step", "role", "page loads", "clicks", "keystrokes")]
        rows += [
            (s.name, s.role, str(s.page_loads), str(s.clicks), str(s.keystrokes))
            for s in self.steps
        ]
        totals = self.totals()
        rows.append(("total", "", *(str(totals[name]) for name in LIMITS)))
        rows.append(("limit", "", *(str(limit) for limit in LIMITS.values())))
        widths = [max(len(row[i]) for row in rows) for i in range(5)]
        lines = []
        for index, row in enumerate(rows):
            cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
            cells += [cell.rjust(width) for cell, width in zip(row[2:], widths[2:], strict=True)]
            lines.append("  ".join(cells))
            if index in (0, len(rows) - 3):
                lines.append("  ".join("-" * width for width in widths))
        return "\n".join(lines)


class Desk:
    """One person's browser tab in the admin; counts what they do, step by step."""

    def __init__(self, browser, base_url, role, result, screenshots=None):
        self.base_url, self.role, self.result = base_url.rstrip("/"), role, result
        self.screenshots = screenshots
        self.context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.step = None
        self.dialogs = []
        self.page.on("load", self._loaded)
        self.page.on("dialog", self._dialog)

    def _loaded(self, _page):
        if self.step is not None:
            self.step.page_loads += 1

    def _dialog(self, dialog):
        # The task never leaves a page with unsaved changes: a warning here is a failure.
        self.dialogs.append(dialog.message or dialog.type)
        dialog.dismiss()

    def sign_in(self):
        """Signs in (not counted) and lands on the admin home page."""
        username, password = ACCOUNTS[self.role]
        self.page.goto(f"{self.base_url}/admin/login/?next=/admin/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        with self.page.expect_navigation():
            self.page.click("[type=submit]")
        if not self.page.url.endswith("/admin/"):
            raise TaskError(f"signing in as {username} failed (at {self.page.url})")

    def begin(self, name):
        self.step = Step(name, self.role)
        self.result.steps.append(self.step)

    def end(self):
        if self.screenshots:
            number = len(self.result.steps)
            name = re.sub(r"\W+", "-", self.step.name)
            path = Path(self.screenshots) / f"{number:02d}-{name}.png"
            self.page.screenshot(path=path, full_page=True)
        self.step = None

    # --- Counted interactions ----------------------------------------------------------

    def click(self, selector, navigates=False):
        target = self.page.locator(selector).first
        try:
            target.wait_for(state="visible")
        except Exception as error:
            raise TaskError(f"{self.step.name}: nothing to click at {selector!r}") from error
        self.step.clicks += 1
        if navigates:
            with self.page.expect_navigation(wait_until="load"):
                target.click()
        else:
            target.click()

    def press(self, key, count=1):
        for _ in range(count):
            self.page.keyboard.press(key)
            self.step.keystrokes += 1

    def type_keys(self, text):
        """Types `text` key by key: beyond the content (a picker's search), so counted."""
        self.page.keyboard.type(text)
        self.step.keystrokes += len(text)

    def focus(self, selector):
        """Puts the cursor in a field with one click, unless it is already there."""
        target = self.page.locator(selector).first
        if not target.is_visible():
            raise TaskError(f"{self.step.name}: the field {selector!r} is not on the screen")
        if not target.evaluate("element => element === document.activeElement"):
            self.click(selector)
        return target

    def content(self, selector, text):
        """Content into a text field: a click to get there, the text in one insertion."""
        self.focus(selector).fill(text)

    def rich_content(self, column, paragraphs):
        """Content into a rich-text field: paragraphs inserted, Enter between them."""
        self.focus(editor_of(column))
        for index, paragraph in enumerate(paragraphs):
            if index:
                self.press("Enter")
            self.page.keyboard.insert_text(paragraph)

    def replace_last_line(self, column, text):
        """Selects the last paragraph of a rich-text field and types over it (one line)."""
        paragraph = f"{editor_of(column)} p >> nth=-1"
        self.click(paragraph)
        self.press("End")
        self.press("Shift+Home")
        self.page.keyboard.insert_text(text)

    def pick(self, field_id, search, option):
        """Chooses `option` in an autocomplete field, typing `search` first if given."""
        self.click(f"#{field_id} + .select2 .select2-selection")
        if search:
            self.type_keys(search)
        self.click(f".select2-container--open .select2-results__option:has-text('{option}')")

    def show(self, column):
        """Brings a language's field on the screen: its language tab, if it is hidden."""
        if (
            self.page.locator(f"#id_{column}").first.is_visible()
            or self.page.locator(editor_of(column)).first.is_visible()
        ):
            return
        self.click(language_tab(column))

    def side_by_side(self):
        """Shows the languages in two columns (the form's toggle, remembered by the
        browser), when the form offers it and they are not shown so already."""
        toggle = self.page.locator(SIDE_BY_SIDE).first
        if toggle.count() and toggle.get_attribute("aria-pressed") != "true":
            self.click(SIDE_BY_SIDE)

    def act(self, action):
        """A button of the action menu: saves the form with its edits, then acts."""
        button = ACTION.format(action)
        if not self.page.locator(button).first.is_visible() and (
            self.page.locator(ACTION_MENU_TOGGLE).first.is_visible()
        ):
            self.click(ACTION_MENU_TOGGLE)
        if not self.page.locator(button).count():
            offered = self.page.locator("#action-menu button[name=_action]").evaluate_all(
                "buttons => buttons.map(b => b.value)"
            )
            raise TaskError(
                f"{self.step.name}: no “{action}” in the action menu (it has {offered})"
            )
        self.click(button, navigates=True)
        problems = self.page.locator(FAILURE).all_inner_texts()
        if problems or not self.page.locator(SUCCESS).count():
            raise TaskError(
                f"{self.step.name}: “{action}” was not done: "
                + (" | ".join(text.strip() for text in problems) or "no confirmation shown")
            )

    # --- Reading (not counted) ---------------------------------------------------------

    def value(self, selector):
        return self.page.locator(selector).first.input_value()


def language_tab(column):
    """The tab that shows a language's field (modeltranslation's tabs, as relabelled)."""
    return f"[aria-controls='tab_id_{column}'] .ui-tabs-anchor, a[href='#tab_id_{column}']"


def editor_of(column):
    """The rich-text editor of a body column (next to its hidden textarea)."""
    return f".prose-editor:has(> #id_{column}) [contenteditable=true]"


def run_task(base_url, browser=None, tag="", screenshots=None):
    """Runs the task against the site at `base_url`; returns a Result (never raises for a
    failed step: Result.error says which). `tag` marks the headlines of this run;
    `screenshots`, a folder, receives the page at the end of each step."""
    from playwright.sync_api import sync_playwright

    result = Result()
    if browser is None:
        with sync_playwright() as playwright:
            own = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            try:
                return _run(own, base_url, tag, result, screenshots)
            finally:
                own.close()
    return _run(browser, base_url, tag, result, screenshots)


def _run(browser, base_url, tag, result, screenshots):
    english = {**ENGLISH, "headline": f"{ENGLISH['headline']} {tag}".strip()}
    chinese = {**CHINESE, "headline": f"{CHINESE['headline']}{tag}"}
    desk = Desk(browser, base_url, "editor", result, screenshots)
    try:
        desk.sign_in()
        slugs = _task(desk, english, chinese)
        if desk.dialogs:
            raise TaskError(f"the browser warned while leaving a page: {desk.dialogs}")
        _verify(browser, desk, slugs, english, chinese, result)
    except TaskError as error:
        result.error = str(error)
    except Exception as error:  # a browser or server failure: report it, do not hide it
        result.error = f"{type(error).__name__}: {error}"
    try:
        if result.error and screenshots:
            desk.page.screenshot(path=Path(screenshots) / "failed.png", full_page=True)
    finally:
        desk.context.close()
    return result


def _column(field, code):
    """A translated field's column, as the form names its input ("id_" + column)."""
    return serving.site_languages().column(field, code)


def _task(desk, english, chinese):
    """The counted story. Returns the report's slugs {code: slug}."""
    desk.begin("create in English")
    desk.click("a[href$='/admin/forum/report/add/']", navigates=True)
    desk.content(f"#id_{_column('headline', EN)}", english["headline"])
    desk.content(f"#id_{_column('summary', EN)}", english["summary"])
    desk.rich_content(_column("body", EN), english["body"])
    desk.pick("id_edition", "", EDITION)
    for role, (search, name) in CREDITS.items():
        desk.pick(f"id_{role}", search, name)
    desk.end()

    # The slugs are never typed: filled from the headlines as they are typed, or on saving.
    desk.begin("submit")
    desk.act("submit")
    desk.end()
    slug_english = desk.value(f"#id_{_column('slug', EN)}")

    desk.begin("translate into Chinese")
    desk.side_by_side()
    for name in ("headline", "summary"):
        desk.show(_column(name, ZH))
        desk.content(f"#id_{_column(name, ZH)}", chinese[name])
    desk.show(_column("body", ZH))
    desk.rich_content(_column("body", ZH), chinese["body"])
    desk.end()

    desk.begin("approve and publish both")
    desk.act("approve_publish")
    desk.end()
    slug_chinese = desk.value(f"#id_{_column('slug', ZH)}")

    desk.begin("correct one sentence")
    for code in (EN, ZH):
        desk.show(_column("body", code))
        desk.replace_last_line(_column("body", code), CORRECTED[code])
    desk.end()

    desk.begin("republish")
    desk.act("republish")
    desk.end()
    return {EN: slug_english, ZH: slug_chinese}


def _verify(browser, desk, slugs, english, chinese, result):
    """Outside the count: the public pages (as a reader) and the history (as the editor)."""

    def check(condition, description):
        result.checks.append((description, bool(condition)))

    reader = browser.new_context(locale="en-GB")
    try:
        page = reader.new_page()
        for code, texts, old in (
            (EN, english, ENGLISH["body"][1]),
            (ZH, chinese, CHINESE["body"][1]),
        ):
            prefix, slug = f"/{code}", slugs[code]
            url = f"{desk.base_url}{prefix}/reports/{slug}/"
            response = page.goto(url)
            status = response.status if response else 0
            check(status == 200, f"{url} is public (HTTP {status})")
            if status != 200:
                continue
            article = page.locator("main").inner_text()
            check(
                page.locator("h1").first.inner_text().strip() == texts["headline"],
                f"{prefix}: the headline is “{texts['headline']}”",
            )
            corrected = CORRECTED[code]
            check(corrected in article, f"{prefix}: the corrected sentence “{corrected}” is shown")
            check(old not in article, f"{prefix}: the old sentence “{old}” is gone")
            check(texts["body"][0] in article, f"{prefix}: the first paragraph is shown")
    finally:
        reader.close()

    # The history's rows, newest first: the action is the third column.
    rows = desk.page.locator(".workflow-history tbody tr").evaluate_all(
        "rows => rows.map(row => (row.cells[2] || {}).textContent || '').map(t => t.trim())"
    )
    actions = [action.lower() for action in rows]
    check(
        bool(actions) and "republish" in actions[0],
        f"the workflow history's latest step is the republication ({rows[:1]})",
    )
    check(
        any(a.startswith("approve") for a in actions[1:]),
        "the workflow history records the approval",
    )
    check(
        any("publish" in a and "republish" not in a for a in actions[1:]),
        "the workflow history records the first publication",
    )


# --- Serving a fresh site -------------------------------------------------------------------


def serve_fresh_site(workspace, port):
    """A fresh SQLite database with the demo content, served by gunicorn; its base URL."""
    env = serving.site_env(
        DATABASE_URL=f"sqlite:///{workspace.work / 'desk.sqlite3'}",
        MEDIA_ROOT=workspace.work / "media",
        STATIC_ROOT=workspace.work / "static",
        # One process: the page cache is the process's memory unless REDIS_URL is set.
        AXES_ENABLED="false",
    )
    env.pop("REDIS_URL", None)
    log("desk-task", "filling a fresh database with the demo content")
    serving.fill_site(env)
    log("desk-task", f"serving it on {HOST}:{port}")
    workspace.serve("desk", port, env, workers=1)
    return f"http://{HOST}:{port}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", help="a running site with the demo accounts")
    parser.add_argument("--port", type=int, default=PORT, help="for the site served here")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--screenshots", metavar="DIR", help="save the page after each step")
    args = parser.parse_args(argv)
    # Playwright's sync API runs an event loop in this thread.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if args.base_url:
        tag = str(int(time.time()) % 100000)
        result = run_task(args.base_url, tag=tag, screenshots=args.screenshots)
    else:
        with Workspace("desk-task") as workspace:
            result = run_task(serve_fresh_site(workspace, args.port), screenshots=args.screenshots)
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        report(result)
    return 0 if result.passed else 1


def report(result):
    print(RULE)
    print(result.table())
    for description, passed in result.checks:
        print(f"  {'ok  ' if passed else 'FAIL'} {description}")
    if result.error:
        print(f"FAILED: {result.error}")
    for name, (measured, limit) in result.over_limits().items():
        print(f"OVER THE LIMIT: {measured} {name} (at most {limit})")
    print("PASSED" if result.passed else "FAILED")


if __name__ == "__main__":
    sys.exit(main())
