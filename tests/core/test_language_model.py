"""The language model is checked at start-up: editors write exactly two languages, and a
derived language's source is one of them (forum/core/checks.py)."""

from django.core import checks
from django.test import override_settings

ENGLISH = ("en", "English")
SIMPLIFIED = ("zh-hans", "Simplified Chinese")
TRADITIONAL = ("zh-hant", "Traditional Chinese")


def language_errors():
    return [message.id for message in checks.run_checks() if message.id.startswith("forum.")]


def test_site_languages_pass_the_check():
    assert language_errors() == []


def test_one_written_language_fails_the_check():
    with override_settings(LANGUAGES=[ENGLISH]):
        assert language_errors() == ["forum.E001"]


def test_traditional_without_its_source_fails_the_check():
    with override_settings(LANGUAGES=[ENGLISH, TRADITIONAL]):
        assert language_errors() == ["forum.E001", "forum.E002"]


def test_language_the_registry_does_not_describe_fails_the_check():
    with override_settings(LANGUAGES=[ENGLISH, SIMPLIFIED, TRADITIONAL, ("fr", "French")]):
        assert language_errors() == ["forum.E003"]
