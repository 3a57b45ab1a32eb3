"""Slugs made from titles: ASCII in every language (the models' ascii_slug rule), pinyin
without tones for Chinese characters, so that links survive mail clients and chat apps.

The admin fills a slug from the headline as it is typed (static/js/slug-fill.js asks the
report admin's slug address, which calls these) and when a form is saved with it blank.
"""

import re

from django.utils.text import slugify

from forum.core import languages
from forum.core.scripts import HAN

MAX_LENGTH = 120  # the slug columns' length
_HAN_RUN = re.compile(f"[{HAN}]+")


def _romanised(text):
    """The text with every run of Chinese characters in pinyin, syllable by syllable.

    Whole runs go to pypinyin so that it reads a character by its phrase (银行 yin hang,
    行长 hang zhang); the syllables become separate words. pypinyin is imported here, not
    at start-up: its dictionaries take about 55 MB, which public workers never need.
    """
    from pypinyin import Style, lazy_pinyin  # noqa: PLC0415

    return _HAN_RUN.sub(
        lambda run: " " + " ".join(lazy_pinyin(run.group(), style=Style.NORMAL)) + " ", text
    )


def slug_from_title(text, language_code):
    """A slug for a title in a language: lower-case ASCII words joined with hyphens, at most
    MAX_LENGTH characters, cut between words; "" when nothing in the title can be spelled
    in ASCII. Chinese characters are written in pinyin without tones (ü as v) whatever the
    language, so that an English title quoting a Chinese name keeps it.

    ValueError for a language the site does not have.
    """
    if not languages.is_site_language(language_code):
        raise ValueError(f"not a site language: {language_code!r}")
    # slugify drops what is not ASCII after decomposing accents (é → e).
    slug = slugify(_romanised(text or "").replace("_", " "))
    return _shortened(slug, MAX_LENGTH)


def _shortened(slug, limit):
    if len(slug) <= limit:
        return slug
    cut = slug[: limit + 1]
    # Cut at the last hyphen that fits; a single word longer than the limit is cut.
    return cut.rsplit("-", 1)[0] if "-" in cut else slug[:limit]


def unique_slug(model, column, base, exclude_pk=None):
    """`base`, or `base-2`, `base-3`…: the first that no other row of `model` has in
    `column`, kept within MAX_LENGTH. ValueError for an empty base."""
    if not base:
        raise ValueError("an empty slug cannot be made unique")
    rows = model._default_manager.all()
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    # One query for the usual case (the base and its numbered forms share its start)…
    taken = set(rows.filter(**{f"{column}__startswith": base}).values_list(column, flat=True))
    candidate, number = _shortened(base, MAX_LENGTH), 1
    # … and one more for each numbered form of a base shortened to make room.
    while candidate in taken or (
        not candidate.startswith(base) and rows.filter(**{column: candidate}).exists()
    ):
        number += 1
        ending = f"-{number}"
        candidate = _shortened(base, MAX_LENGTH - len(ending)).rstrip("-") + ending
    return candidate
