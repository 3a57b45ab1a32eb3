"""The language registry (forum/core/languages.py) is the one place that names languages."""

import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

from forum.core import languages
from forum.models import Report

ROOT = Path(__file__).resolve().parents[2]
# The product's code: everything but the registry itself, the settings it reads and the
# migrations (a record of what the schema was). Tests and tools speak the site's URLs.
CHECKED = [ROOT / "forum", ROOT / "cdfsite"]
ALLOWED = [ROOT / "forum" / "core", ROOT / "forum" / "migrations", ROOT / "cdfsite" / "settings"]


# Templates, style sheets, scripts, the Makefile and tools: the same rule, read as text.
# Vendored front-end code is not ours to change.
CHECKED_TEXT = [
    ROOT / "templates",
    ROOT / "static" / "css",
    ROOT / "static" / "js",
    ROOT / "Makefile",
    ROOT / "tools",
]


def spellings():
    """Regexes for every way code could name a site language."""
    for language in languages.LANGUAGES:
        texts = {
            language.code,
            language.tag,
            language.og_locale,
            language.suffix,
            translation.to_locale(language.code),  # the catalogue's folder: "zh_Hans"
        }
        for text in texts:
            yield re.compile(rf"[\"'/]{re.escape(text)}[\"'/]")
            if len(text) > 2:
                # Unquoted too (":lang(zh-Hans)", "-l zh_Hans"); a two-letter code alone
                # would match words of English text.
                yield re.compile(rf"(?<![\w-]){re.escape(text)}(?![\w-])")
        yield re.compile(rf"\w_{re.escape(language.suffix)}\b")  # a column: "body_zh_hans"


def offending_lines(path, patterns):
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if any(pattern.search(line) for pattern in patterns):
            yield f"{path.relative_to(ROOT)}:{number}: {line.strip()}"


def test_registry_follows_settings():
    assert tuple(code for code, _name in settings.LANGUAGES) == languages.CODES
    assert languages.DEFAULT == settings.LANGUAGE_CODE


def test_columns_are_the_ones_modeltranslation_made():
    for code in languages.CODES:
        field = Report._meta.get_field(languages.column("headline", code))
        assert field.language == code


def test_spread_and_keyed_follow_the_order_of_the_languages_editors_write():
    assert languages.keyed("a", "b") == dict(zip(languages.EDITED, ("a", "b"), strict=True))
    assert languages.spread("headline", "a", "b") == {
        languages.column("headline", code): text
        for code, text in zip(languages.EDITED, ("a", "b"), strict=True)
    }


def test_traditional_chinese_is_public_and_derived_from_simplified():
    assert languages.CODES == ("en", "zh-hans", "zh-hant")
    assert languages.EDITED == ("en", "zh-hans")
    assert languages.DERIVED == {"zh-hant": "zh-hans"}
    assert languages.get("zh-hant").tag == "zh-Hant"
    assert languages.origin("zh-hant") == "zh-hans"
    assert languages.with_derived(["zh-hans"]) == ("zh-hans", "zh-hant")
    assert languages.with_derived(["en"]) == ("en",)


def test_no_module_outside_the_registry_spells_a_language():
    offenders = []
    patterns = list(spellings())
    for folder in CHECKED:
        for path in folder.rglob("*.py"):
            if any(path.is_relative_to(allowed) for allowed in ALLOWED):
                continue
            offenders.extend(offending_lines(path, patterns))
    assert offenders == []


def test_no_template_style_sheet_script_makefile_or_tool_spells_a_language():
    """Templates ask the registry through context and tags (LANGUAGE_TAG, HAN_PAGE), style
    sheets select :lang(zh), the Makefile asks `manage.py written_locales`, and tools ask
    the registry (tools.serving.site_languages())."""
    patterns = list(spellings())
    paths = [
        path
        for place in CHECKED_TEXT
        for path in ([place] if place.is_file() else sorted(place.rglob("*")))
        if path.is_file() and path.suffix not in {".png", ".jpg", ".ico", ".woff2"}
    ]
    offenders = [line for path in paths for line in offending_lines(path, patterns)]
    assert offenders == []
