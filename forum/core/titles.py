"""A title at an organisation, and a list of titles, as each language writes them.

Chinese puts the organisation first with no separator and stacks several titles with 、
(中国发展研究基金会理事长、第十四届全国政协提案委员会副主任); English puts the title first
("Chairman, China Development Research Foundation") and joins several with "; ". Which
languages write which way is the registry's answer (`languages.writes_han`).

Texts only: which language's title and organisation name a position shows (and how a
missing one falls back) is the model's, `forum.models.Position.label`.
"""

from forum.core import languages

HAN_LIST_SEPARATOR = "、"
LIST_SEPARATOR = "; "
TITLE_ORGANISATION_SEPARATOR = ", "


def title_at(title, organisation, language_code):
    """A title at an organisation in the language's order: "Chairman, China Development
    Research Foundation" in English, 中国发展研究基金会理事长 in Chinese. The title alone
    without an organisation (and the organisation alone without a title)."""
    title, organisation = (title or "").strip(), (organisation or "").strip()
    if not (title and organisation):
        return title or organisation
    if languages.writes_han(language_code):
        return f"{organisation}{title}"
    return f"{title}{TITLE_ORGANISATION_SEPARATOR}{organisation}"


def join_titles(titles, language_code):
    """Several titles in one line: joined by 、 in Chinese, by "; " in English; empty ones
    left out."""
    separator = HAN_LIST_SEPARATOR if languages.writes_han(language_code) else LIST_SEPARATOR
    return separator.join(text for text in ((title or "").strip() for title in titles) if text)
