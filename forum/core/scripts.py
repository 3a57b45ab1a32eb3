"""Chinese scripts: Traditional text converted from Simplified, and either folded to one.

Conversion uses OpenCC (phrase tables first, then characters: 头发 -> 頭髮 but 发展 ->
發展), with the configuration each derived language names in the registry (the
TRADITIONAL_CHINESE_CONVERSION setting). Site-wide term overrides ({Simplified: Traditional},
for names and institutions the tables get wrong) are kept out of OpenCC's reach and put
back as the editors wrote them. Search folds both scripts to Simplified so that a query in
either finds the same pages.

Content (reports, names, institutions) is converted character by character, its mainland
vocabulary kept; the interface catalogue (`interface=True`, `manage.py derive_catalogues`)
with the language's interface configuration, Taiwan's vocabulary (搜索 -> 搜尋). Both
take the derived language's quotation marks: 「」 for “” and 『』 for ‘’ in Han text.
"""

import re
from functools import lru_cache

import opencc

from forum.core import languages

# CJK Unified Ideographs with Extension A, the compatibility block and Extensions B–G:
# a character class body, for search tokens and name checks alike.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
HAN_CHARACTER = re.compile(f"[{HAN}]")


def has_han(text):
    """Whether the text holds Chinese characters."""
    return bool(HAN_CHARACTER.search(text or ""))


# ‘…’ around text with a Chinese character in it: a quotation, not an apostrophe
# (don’t, the forum’s), which stays as it is.
_SINGLE_QUOTED_HAN = re.compile(f"‘([^‘’]*[{HAN}][^‘’]*)’")
_DOUBLE_QUOTES = str.maketrans({"“": "「", "”": "」"})

# Characters of Unicode's private use area stand in for overridden terms while OpenCC
# converts the rest: no text the site publishes uses them and OpenCC leaves them alone.
_PLACEHOLDER_START = 0xF0000


@lru_cache(maxsize=8)
def _converter(config):
    return opencc.OpenCC(config)


def corner_quotes(text, han=None):
    """Han text with corner brackets for curly quotation marks: 「」 for “” and 『』 for
    ‘’ around Chinese text (an apostrophe in an English word stays). Text with no Chinese
    character is left alone unless `han` says it is Chinese (an interface string such as
    “%(title)s”)."""
    if not text or not (has_han(text) if han is None else han):
        return text
    return _SINGLE_QUOTED_HAN.sub(r"『\1』", text).translate(_DOUBLE_QUOTES)


def convert(text, code, terms=None, *, interface=False):
    """The text of a derived language (`code`) for its source text, with `terms`
    ({source term: converted term}) as given, longest first. `interface`: an interface
    string (the language's interface configuration; every string is Chinese)."""
    if not text:
        return text
    language = languages.get(code)
    config = (
        (language.interface_conversion or language.conversion) if interface else language.conversion
    )
    kept = {}
    if terms:
        for number, term in enumerate(sorted(terms, key=len, reverse=True)):
            if term and term in text:
                placeholder = chr(_PLACEHOLDER_START + number)
                text = text.replace(term, placeholder)
                kept[placeholder] = terms[term]
    text = _converter(config).convert(text)
    for form, preferred in language.preferred_forms.items():
        text = text.replace(form, preferred)
    for placeholder, replacement in kept.items():
        text = text.replace(placeholder, replacement)
    if language.corner_quotes:
        text = corner_quotes(text, han=True if interface else None)
    return text


def fold(text):
    """Han text in one script (Simplified) for search: 數據 and 数据 fold to the same
    characters, one for one, so positions found in the folded text hold in the original."""
    return _converter("t2s").convert(text) if text else text


# OpenCC configurations that turn Taiwan's and Hong Kong's writing into mainland
# Simplified: `tw2sp` converts Taiwan's phrases too (資料 → 数据, 晶片 → 芯片, 軟體 → 软件);
# `hk2s` has no phrase table in OpenCC 1.4, only Hong Kong's character forms.
REGIONAL_TO_SIMPLIFIED = ("tw2sp", "hk2s")


def mainland_forms(text):
    """The text as the mainland writes it, read as Taiwan's and as Hong Kong's Chinese:
    the forms that differ from the text folded (fold()), for search to look for as well."""
    if not text or not has_han(text):
        return []
    folded = fold(text)
    forms = (_converter(config).convert(text) for config in REGIONAL_TO_SIMPLIFIED)
    return [form for form in dict.fromkeys(forms) if form and form != folded]
