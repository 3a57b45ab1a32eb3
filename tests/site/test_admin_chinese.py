"""The Chinese admin shows Chinese: a walk through the pages editors use, each read in
English and in Chinese. A text run that is the same in both renderings and still holds
Latin words after taking out the data (names, headlines, addresses, numbers of the demo
content; usernames; addresses and file names) is an interface string left in English.
Text marked as being in another language (the switch to English) is not interface text.
"""

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags

from forum.core import languages
from forum.models import MediaContact, Report

pytestmark = pytest.mark.django_db

# Words kept in Latin letters in Chinese text too.
TERMS = re.compile(r"\b(?:CSV|XLSX|Excel|HTML|ASCII|URL|ID|UTC|vCard|csv|xlsx)\b")
MACHINE = re.compile(
    r"https?://\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\S*/\S*|\b[\w-]+\.(?:csv|xlsx|docx|txt|vcf|png|jpe?g|webp)\b|\d+"
)
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


class TextRuns(HTMLParser):
    """The text a person reads on a page: text nodes and the labels in attributes (title,
    placeholder, aria-label, alt, button values), outside scripts, styles, code, text boxes
    and hidden elements, and outside elements in a language other than the page's."""

    SKIPPED = {"script", "style", "textarea", "code", "template", "pre"}
    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "wbr",
    }
    LABELS = ("title", "placeholder", "aria-label", "alt")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page_language = None
        self.stack = []
        self.runs = set()

    def _hidden(self):
        return any(hidden for _, hidden in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.page_language = (attrs.get("lang") or "").lower()
        language = (attrs.get("lang") or "").lower()
        hidden = (
            tag in self.SKIPPED
            or bool(language and language != self.page_language)
            # Not shown to anyone (the admin's hidden form rows).
            or "hidden" in attrs
            or "hidden" in (attrs.get("class") or "").split()
        )
        if not (hidden or self._hidden()):
            for name in self.LABELS:
                if not self._boolean_icon(tag, attrs, name):
                    self._add(attrs.get(name))
            if tag == "input" and attrs.get("type") in ("submit", "button", "reset"):
                self._add(attrs.get("value"))
        if tag not in self.VOID:
            self.stack.append((tag, hidden))

    @staticmethod
    def _boolean_icon(tag, attrs, name):
        """Django's yes/no icons, whose English text static/js/admin-a11y.js translates."""
        return (
            tag == "img"
            and name == "alt"
            and "/admin/img/icon-" in (attrs.get("src") or "")
            and attrs.get("alt") in ("True", "False", "None")
        )

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if not self._hidden():
            self._add(data)

    def _add(self, text):
        text = re.sub(r"\s+", " ", text or "").strip()
        if text:
            self.runs.add(text)


def text_runs(response):
    parser = TextRuns()
    parser.feed(response.content.decode())
    return parser.runs


def data_pattern():
    """Every text of the content (all languages) and of the accounts, as one pattern."""
    texts = set()
    for model in [*apps.get_app_config("forum").get_models(), get_user_model()]:
        text_fields = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | models.EmailField)
        ]
        for obj in model.objects.all():
            texts.add(str(obj))
            for name in text_fields:
                value = getattr(obj, name) or ""
                texts.update(line.strip() for line in strip_tags(value).splitlines())
    texts = sorted((text for text in texts if LATIN_WORD.search(text)), key=len, reverse=True)
    return re.compile(
        "|".join(rf"(?<![A-Za-z]){re.escape(text)}(?![A-Za-z])" for text in texts) or "(?!)"
    )


def language_labels():
    """Each language's name in itself ("English"), as language choices show it, and its
    badge ("EN"), written in its own language so that editors find it (forum.core.languages)."""
    names = {language.badge for language in languages.LANGUAGES}
    for language in languages.LANGUAGES:
        with translation.override(language.code):
            names.add(str(language.name))
    return names


def english_left(run, data):
    """The Latin words of a run that are neither data, kept terms nor language names."""
    if run in language_labels():
        return []
    rest = TERMS.sub(" ", MACHINE.sub(" ", data.sub(" ", run)))
    return LATIN_WORD.findall(rest)


def admin_pages():
    report = Report.objects.order_by("pk").first()
    contact = MediaContact.objects.order_by("pk").first()
    return {
        "home": reverse("admin:index"),
        "report list": reverse("admin:forum_report_changelist"),
        "report add": reverse("admin:forum_report_add"),
        "report change": reverse("admin:forum_report_change", args=[report.pk]),
        "report history": reverse("admin:forum_report_history", args=[report.pk]),
        "report revisions": reverse("admin:forum_report_revisions", args=[report.pk]),
        "translation queue": reverse("admin:forum_report_outdated"),
        "media contacts": reverse("admin:forum_mediacontact_changelist"),
        "media contact add": reverse("admin:forum_mediacontact_add"),
        "media contact change": reverse("admin:forum_mediacontact_change", args=[contact.pk]),
        "media contact history": reverse("admin:forum_mediacontact_history", args=[contact.pk]),
        "media contact import": reverse("admin:forum_mediacontact_import"),
        "media contact export": reverse("admin:forum_mediacontact_export"),
        "sessions": reverse("admin:forum_session_changelist"),
        "people": reverse("admin:forum_person_changelist"),
    }


def visit(client, language, url):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200, (language, url, response.status_code)
    return response


@pytest.fixture
def editor_client(client, demo_with_accounts):
    client.force_login(get_user_model().objects.get(username="editor"))
    return client


# The admin languages in Chinese characters: Simplified, and Traditional, whose strings of
# third-party apps (import-export, reversion) come from the derived catalogue.
CHINESE = [code for code in languages.CODES if languages.writes_han(code)]


@pytest.mark.parametrize("language", CHINESE)
def test_the_chinese_admin_shows_no_english_interface_string(editor_client, language):
    data = data_pattern()
    left = {}
    for page, url in admin_pages().items():
        english = text_runs(visit(editor_client, languages.DEFAULT, url))
        chinese_response = visit(editor_client, language, url)
        assert f'<html lang="{language}"' in chinese_response.content.decode(), page
        for run in text_runs(chinese_response):
            if run in english and english_left(run, data):
                left.setdefault(page, []).append(run)
    assert not left, "English in the Chinese admin:\n" + "\n".join(
        f"{page}: {sorted(runs)}" for page, runs in left.items()
    )


def test_the_walk_finds_an_english_string(editor_client):
    """The check itself: an English label in a Chinese page is found, data is not."""
    data = data_pattern()
    headline = Report.objects.order_by("pk").first().headline_en
    assert not english_left(headline, data)
    assert english_left("Save and continue editing", data) == [
        "Save",
        "and",
        "continue",
        "editing",
    ]
    assert not english_left("导出 CSV 文件 contacts.csv", data)
