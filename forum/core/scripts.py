"""Chinese scripts: Traditional text converted from Simplified, and either folded to one.

Conversion uses OpenCC (phrase tables first, then characters: 头发 -> 頭髮 but 发展 ->
發展), with the configuration each derived language names in the registry (the
TRADITIONAL_CHINESE_CONVERSION setting). Site-wide term overrides ({Simplified: Traditional},
for names and institutions the tables get wrong) are kept out of OpenCC's reach and put
back as the editors wrote them. Search folds both scripts to Simplified so that a query in
either finds the same pages.
"""

from functools import lru_cache

import opencc

from forum.core import languages

# Characters of Unicode's private use area stand in for overridden terms while OpenCC
# converts the rest: no text the site publishes uses them and OpenCC leaves them alone.
_PLACEHOLDER_START = 0xF0000


@lru_cache(maxsize=8)
def _converter(config):
    return opencc.OpenCC(config)


def convert(text, code, terms=None):
    """The text of a derived language (`code`) for its source text, with `terms`
    ({source term: converted term}) as given, longest first."""
    if not text:
        return text
    config = languages.get(code).conversion
    kept = {}
    if terms:
        for number, term in enumerate(sorted(terms, key=len, reverse=True)):
            if term and term in text:
                placeholder = chr(_PLACEHOLDER_START + number)
                text = text.replace(term, placeholder)
                kept[placeholder] = terms[term]
    text = _converter(config).convert(text)
    for placeholder, replacement in kept.items():
        text = text.replace(placeholder, replacement)
    return text


def fold(text):
    """Han text in one script (Simplified) for search: 數據 and 数据 fold to the same
    characters, one for one, so positions found in the folded text hold in the original."""
    return _converter("t2s").convert(text) if text else text
