"""Reads a press release in the forum's house format into a draft: a plain dict.

The house format, as in the seed release (see DOMAIN-NOTES.md):

    China Development Forum 2024 The Continuous Development of China      <- edition line
    Symposium on Digital Empowerment for Industrial Transformation (Keynote Speech)
    Hosted by … (DRC) and organized by … (CDRF), the … was held at <venue> in <city>
    from March 24th to March 25th. On the afternoon of March 25, the "<session>" took
    place, presided by <Name>, <title>; <title>. During the "keynote speech" segment, the
    guest speaker was LI Wenhai, <title>, <organisation>.
    <body paragraphs>
    (China Development Press Authors: …; Reviewer: …)                     <- byline
    --Background Information--
    <background>
    --Media Contact--
    CDRF                                                                  <- their organisation
    Guo Silu 18666028168/64255855-8014                                    <- name mobile/office-ext
    <address in Chinese, 邮编/电话/传真/网址/电邮, address in English, Tel/Fax/Website/E-mail>

`parse_release(text)` never raises on odd content: whatever it cannot place becomes a
translated warning in `draft["warnings"]`, and a fact it cannot find is left empty ("",
[] or None). The draft (dates in ISO form, phone numbers in E.164, kinds and roles the
values of the models' choices):

    language      the site language the release is written in: the default one, or the
                  Chinese one when its text before the first section is mostly Chinese
                  characters (the house format in Chinese, at the end of this module)
    forum         {name, short_name}
    edition       {year, theme, venue, city, start_date, end_date, host, organiser},
                  host and organiser as {name, short_name}
    session       {title, kind, note (the heading's "(Keynote Speech)"), date, part_of_day,
                  presiders: [person + {role}]}
    speeches      [{speaker: person + {title, organisation, printed_title}, kind,
                  segment ("keynote speech"), title (proposed), order}]
    report        {headline (proposed), body (<p> paragraphs), authors, reviewers,
                  credits: [{name, role}], publisher}
    background    text, paragraphs separated by a blank line
    media_contacts  [{name, organisation (as printed: "CDRF"), mobile, office, extension,
                  email}]
    organisation_contact  {organisation, address_<suffix> in each language, postal_code,
                  phone, phone_extension, fax, fax_extension, website, email}
    warnings      [message]

    person = {name, family_name, given_name, family_name_first, uppercase_family_name,
              titles (as printed, in order)}

Choices made here (the editor reviews every draft before anything is saved):
- Names read as in running text: "LI Wenhai" is "Li Wenhai", with `uppercase_family_name`
  recording that the release capitalised the family name. A name without capitals is
  read family name first ("Zhang Junkuo"), as Chinese names in these releases are.
- Lines cut mid-sentence (the seed's "industrial digital" / "development") are joined; a
  paragraph that lists "<lead>: First, … . Second, … ." is split into the lead and one
  paragraph per item, as the demo content does.
- The headline proposed is "<speaker>: <topic>", the topic being the session title
  without "Symposium on" and the like (the speech's proposed title too); with several
  speakers or none, the session title.
- The press office's address is keyed by column ("address_<suffix>", English and
  Chinese as the release prints them): the English one on one line, without the postal
  code (a field of its own), "Floor15" and "No.138" spaced, "Tower a" capitalised.
"""

import datetime
import html
import itertools
import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.html import strip_tags
from django.utils.translation import gettext, ngettext, pgettext

from forum.core import languages, names, scripts
from forum.core.phones import normalise_phone, split_extension
from forum.core.scripts import HAN, has_han
from forum.models.choices import (
    CreditRole,
    RoleAtSession,
    SessionKind,
    SessionPartOfDay,
    SpeechKind,
)

# --- Patterns ------------------------------------------------------------------------------

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))


def _day(suffix):
    """A date such as "March 24th" or "Mar. 24, 2024", its groups named by suffix."""
    return (
        rf"(?P<month{suffix}>{MONTH})\.?\s+(?P<day{suffix}>\d{{1,2}})(?:st|nd|rd|th)?\b"
        rf"(?:,?\s*(?P<year{suffix}>(?:19|20)\d\d)\b)?"
    )


SECTION = re.compile(r"^[-—–=*_]{2,}\s*(?P<title>[^-—–=*_].*?)\s*[-—–=*_]{2,}$")
YEAR = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)(?!\d)")
HEADING_NOTE = re.compile(r"^(?P<title>.*?)\s*[(（](?P<note>[^()（）]*)[)）]$")
HOST = re.compile(r"\b[Hh]osted by\s+(?P<text>[^.]+?)(?=,|\s+and\s+(?:co-)?organi[sz]ed by\b|$)")
ORGANISER = re.compile(r"\b(?:co-)?[Oo]rgani[sz]ed by\s+(?P<text>[^.]+?)(?=,|\.\s|\.$|$)")
ORGANISATION = re.compile(r"^(?P<name>.*?)\s*(?:[(（](?P<short>[^()（）]+)[)）])?$")
HELD = re.compile(r"\bheld\s+(?P<preposition>at|in)\s+(?:the\s+)?")
PLACE_END = re.compile(rf"\s+(?:from|on|between)\s+(?:{MONTH})\b|,\s+|$", re.I)
EDITION_DATES = re.compile(
    rf"\bfrom\s+{_day(1)}\s*(?:to|until|till|through|-|–|—)\s*"
    rf"(?:(?P<month2>{MONTH})\.?\s+)?(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\b"
    rf"(?:,?\s*(?P<year2>(?:19|20)\d\d)\b)?",
    re.I,
)
SINGLE_DATE = re.compile(rf"\b[Oo]n\s+{_day(1)}", re.I)
SESSION_TIME = re.compile(
    rf"\b(?:[Oo]n|[Ii]n) the (?P<part>morning|afternoon|evening|night) of\s+{_day(1)}", re.I
)
SESSION_TITLE = re.compile(
    r"\bthe\s+[\"“](?P<title>[^\"”]{3,200})[\"”]\s+(?:took place|was held|opened|convened)"
)
PRESIDED = re.compile(
    r"\b(?P<verb>(?:co-)?presided(?: over)?|(?:co-)?chaired|moderated)\s+by\s+", re.I
)
SEGMENT = re.compile(
    r"\b[Dd]uring the\s+[\"“']?(?P<segment>[^\"”',.]{1,60}?)[\"”']?\s+(?:segment|session|part)"
    r"\s*,\s*(?:the\s+)?(?:(?:guest|keynote|main|featured|invited)\s+)?speakers?\s+"
    r"(?:was|were|included|is|are)\s+"
)
# The byline's labels in English and in Chinese (作者：…　审校：…).
CREDIT_LABELS_ZH = {
    "作者": CreditRole.AUTHOR,
    "撰稿": CreditRole.AUTHOR,
    "撰文": CreditRole.AUTHOR,
    "文字": CreditRole.AUTHOR,
    "记者": CreditRole.AUTHOR,
    "审校": CreditRole.REVIEWER,
    "审核": CreditRole.REVIEWER,
    "审稿": CreditRole.REVIEWER,
    "审定": CreditRole.REVIEWER,
    "责任编辑": CreditRole.EDITOR,
    "责编": CreditRole.EDITOR,
    "编辑": CreditRole.EDITOR,
    "翻译": CreditRole.TRANSLATOR,
    "译者": CreditRole.TRANSLATOR,
    "摄影": CreditRole.PHOTOGRAPHER,
    "图片": CreditRole.PHOTOGRAPHER,
}
CREDIT_LABEL = (
    r"(?:Authors?|Writers?|Reviewers?|Editors?|Translators?|Photographers?|Photos?|"
    + "|".join(sorted(CREDIT_LABELS_ZH, key=len, reverse=True))
    + ")"
)
BYLINE = re.compile(
    r"^[(（]?\s*(?P<publisher>[^()（）:：;；]{0,80}?)[\s,，]*"
    rf"(?P<roles>{CREDIT_LABEL}"
    r"\s*[:：].*?)[\s.。]*[)）]?[\s.。]*$"
)
# Roles are separated by ";" in English and often by a space only in Chinese.
CREDIT = re.compile(
    rf"(?P<label>{CREDIT_LABEL})\s*[:：]\s*(?P<names>.*?)(?=\s*[;；]|\s*{CREDIT_LABEL}\s*[:：]|$)"
)
CREDIT_ROLES = {
    "author": CreditRole.AUTHOR,
    "writer": CreditRole.AUTHOR,
    "reviewer": CreditRole.REVIEWER,
    "editor": CreditRole.EDITOR,
    "translator": CreditRole.TRANSLATOR,
    "photographer": CreditRole.PHOTOGRAPHER,
    "photo": CreditRole.PHOTOGRAPHER,
}
LIST_SEPARATOR = re.compile(r"\s*(?:[,，、;；&]|\band\b)\s*")
# A line that continues the one before it starts a list item only as "2. " or "2) ".
LIST_ITEM = re.compile(r"^\d+[.)、]\s")
ORDINALS = ("First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth")
ORDINAL = re.compile(rf"(?:(?<=[.:!?。：] )|^)(?P<ordinal>{'|'.join(ORDINALS)}),")
SENTENCE_END = re.compile(r"[.。](?=\s|$)")
ABBREVIATIONS = {"co", "ltd", "inc", "corp", "no", "mr", "mrs", "ms", "dr", "prof", "st", "jr"}
ABBREVIATIONS |= {"sr", "dept", "univ", "vs", "govt", "hon", "gen", "rep"}
# Words that make a phrase a title or an organisation, not a person's name.
NOT_NAME_TEXT = """
of the and for on in at to a an chairman chairwoman chair director deputy vice president
minister mayor governor secretary professor dean chief executive officer head manager
member fellow senior founder founding partner general ambassador party ceo cfo
committee council centre center university government foundation group company bank
association institute ministry commission academy department bureau office national
people's municipality province state corporation china international research
technology development reform science economics economy trade finance affairs planning
health education security energy
"""
NOT_NAME_WORDS = frozenset(NOT_NAME_TEXT.split())
CAPITALISED_FAMILY_NAME = re.compile(r"^[A-Z][A-Z'’-]+$")
NAME_WORD = re.compile(r"^[A-Z][A-Za-z'’-]*\.?$")
CJK_NAME = re.compile(rf"^[{HAN}]{{2,4}}$")
KEY_VALUE = re.compile(r"^(?P<key>[^:：\d]{1,20}?)\s*[:：]\s*(?P<value>\S.*)$")
DETAIL_KEYS = {
    "邮编": "postal_code",
    "邮政编码": "postal_code",
    "postcode": "postal_code",
    "post code": "postal_code",
    "postal code": "postal_code",
    "zip": "postal_code",
    "zip code": "postal_code",
    "电话": "phone",
    "tel": "phone",
    "tel.": "phone",
    "telephone": "phone",
    "phone": "phone",
    "传真": "fax",
    "fax": "fax",
    "网址": "website",
    "网站": "website",
    "website": "website",
    "web": "website",
    "电邮": "email",
    "邮箱": "email",
    "电子邮件": "email",
    "电子邮箱": "email",
    "e-mail": "email",
    "email": "email",
}
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
CONTACT = re.compile(
    r"^(?P<name>[^\d+,，:：()（）@/;；]{2,40}?)\s*[:：]?\s*"
    r"(?P<numbers>[+(（]?\d[\d\s()（）+\-–/;；,，、.]*(?:(?:ext\.?|x|转|分机)\s*\d[\d\s\-/;；,，、]*)*)$",
    re.I,
)
NUMBER_SEPARATOR = re.compile(r"\s*(?:[/;；,，、]|\bor\b)\s*")
POSTAL_CODE = re.compile(r"(?<!\d)\d{6}(?!\d)")
TOPIC = re.compile(
    r"^(?:Symposium|Roundtable|Round-table|Round Table|Panel(?: Discussion)?|Session|Seminar"
    r"|Dialogue|Luncheon|Workshop)\s+on\s+(?P<topic>\S.*)$",
    re.I,
)
# Each alternative is named by the kind it stands for; the first word found decides.
SESSION_KIND = re.compile(
    rf"\b(?:(?P<{SessionKind.LUNCHEON}>luncheon)|(?P<{SessionKind.ROUNDTABLE}>round[- ]?table)"
    rf"|(?P<{SessionKind.PANEL}>panel)|(?P<{SessionKind.SYMPOSIUM}>symposium)"
    rf"|(?P<{SessionKind.PLENARY}>plenary|opening ceremony|economic summit))\b",
    re.I,
)
SPEECH_KIND = re.compile(
    rf"\b(?:(?P<{SpeechKind.KEYNOTE}>keynote)|(?P<{SpeechKind.OPENING}>opening)"
    rf"|(?P<{SpeechKind.CLOSING}>closing)|(?P<{SpeechKind.PANEL}>panel|discussion|dialogue)"
    rf"|(?P<{SpeechKind.ADDRESS}>address)|(?P<{SpeechKind.REMARKS}>remarks?))\b",
    re.I,
)
PARTS_OF_DAY = {
    "morning": SessionPartOfDay.MORNING,
    "afternoon": SessionPartOfDay.AFTERNOON,
    "evening": SessionPartOfDay.EVENING,
    "night": SessionPartOfDay.EVENING,
}
SESSION_ROLES = {
    "presided": RoleAtSession.PRESIDER,
    "co-presided": RoleAtSession.PRESIDER,
    "chaired": RoleAtSession.CHAIR,
    "co-chaired": RoleAtSession.CO_CHAIR,
    "moderated": RoleAtSession.MODERATOR,
}
QUOTES = "\"'“”‘’「」『』"
WARNING_EXCERPT = 80
WARNED_LINES = 5
# Characters a reader does not see that would split a name (王\u200b思远): zero-width spaces
# and joiners, direction marks, embeddings and overrides, word joiners, byte-order marks.
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b[^>]*>.*?(?:</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
TAG = re.compile(r"</?[A-Za-z][^<>]*>|<!--.*?(?:-->|$)", re.DOTALL)
# Facts are looked for in the first paragraph's first characters (the seed's has 800):
# no pattern then ever reads a whole 2 MB paragraph.
INTRO_CHARACTERS = 5000


# --- The draft ----------------------------------------------------------------------------


def parse_release(text):
    """The draft of everything the release states (see the module docstring).

    Never raises on odd content: what cannot be placed is a warning in draft["warnings"].
    """
    text = _clean(text if isinstance(text, str) else "")
    warnings = []
    sections = _sections(_lines(text), warnings)
    chinese = written_in_chinese(sections["head"])
    if chinese and _in_traditional(sections["head"]):
        # The Chinese columns are the Simplified ones: a release in Traditional characters
        # is read folded to Simplified, for an editor to check.
        warnings = [
            gettext(
                "The release is written in Traditional characters: it was converted to "
                "Simplified ones for the Chinese columns. Check the converted text, names "
                "above all."
            )
        ]
        sections = _sections(_lines(scripts.fold(text)), warnings)
    head, body_lines, byline = _head(sections["head"], warnings, chinese)
    paragraphs = _paragraphs(body_lines)
    intro = paragraphs[0][:INTRO_CHARACTERS] if paragraphs else ""

    if chinese:
        forum, edition = _edition_zh(head, intro, text, warnings)
        session = _session_zh(head, intro, edition, warnings)
        speeches = _speeches_zh(intro, session, warnings)
    else:
        forum, edition = _edition(head, intro, text, warnings)
        session = _session(head, intro, edition, warnings)
        speeches = _speeches(intro, session, warnings)
    report = _report(paragraphs, byline, session, speeches, warnings, chinese)
    contacts, office = _contacts(sections["contacts"], warnings, chinese)
    draft = {
        # The house format in English (the default language) or in Chinese characters.
        "language": languages.HAN_SCRIPT if chinese else languages.DEFAULT,
        "forum": forum,
        "edition": edition,
        "session": session,
        "speeches": speeches,
        "report": report,
        "background": "\n\n".join(_paragraphs(sections["background"])),
        "media_contacts": contacts,
        "organisation_contact": office,
        "warnings": warnings,
    }
    return {key: value if key in KEEP_MARKUP else _plain(value) for key, value in draft.items()}


# Parts of the draft that are not plain text read from the release: the body is escaped
# paragraphs, the background is escaped where it is shown, warnings are the parser's own.
KEEP_MARKUP = {"background", "language", "warnings"}


def _plain(value, key=""):
    """Titles, names and the other plain-text fields without markup a release may carry
    (<img src=x onerror=…> in a title is neither kept in it nor in its slug)."""
    if key == "body":
        return value
    if isinstance(value, dict):
        return {name: _plain(each, name) for name, each in value.items()}
    if isinstance(value, list):
        return [_plain(each, key) for each in value]
    if isinstance(value, str) and "<" in value:
        return re.sub(r"\s+", " ", strip_tags(value)).strip()
    return value


def _clean(text):
    """The release's text without markup (the content of script and style elements
    included) and without the invisible characters that would split a name: zero-width
    and joining characters, direction controls, byte-order marks."""
    # The line and paragraph separators end a line, as the limits count them.
    text = INVISIBLE.sub("", text.replace("\u2028", "\n").replace("\u2029", "\n"))
    if "<" in text:
        text = SCRIPT_OR_STYLE.sub("", text)
        # Tag by tag, never more than the text: what only looks like one ("增速<5%") stays.
        text = TAG.sub("", text)
    return text


def _in_traditional(lines):
    """Whether the release's text is in Traditional characters: folding it to Simplified
    changes several characters (a Simplified release is left as it is)."""
    text = "".join(lines)
    return sum(1 for one, other in zip(text, scripts.fold(text), strict=False) if one != other) >= 3


def _missing(warnings, what):
    warnings.append(gettext("Not found in the release: %(what)s.") % {"what": what})


def _left_out(warnings, lines):
    for line in lines[:WARNED_LINES]:
        excerpt = line if len(line) <= WARNING_EXCERPT else f"{line[:WARNING_EXCERPT]}…"
        warnings.append(gettext("Left out, as it fits nowhere: “%(text)s”.") % {"text": excerpt})
    if len(lines) > WARNED_LINES:
        count = len(lines) - WARNED_LINES
        warnings.append(
            ngettext(
                "Left out as well: %(count)s more line.",
                "Left out as well: %(count)s more lines.",
                count,
            )
            % {"count": count}
        )


# --- Lines and sections -------------------------------------------------------------------


def _lines(text):
    """The release's non-empty lines, spaces collapsed (blank lines carry no meaning)."""
    text = text.replace("\ufeff", "").replace("\u3000", " ").replace("\xa0", " ")
    lines = (re.sub(r"\s+", " ", line).strip() for line in text.splitlines())
    return [line for line in lines if line]


def _sections(lines, warnings):
    """{"head", "background", "contacts"}: lines before and under the "--…--" headings."""
    sections = {"head": [], "background": [], "contacts": []}
    current = sections["head"]
    for line in lines:
        marker = SECTION.match(line) if len(line) <= 100 else None
        if not marker:
            current.append(line)
            continue
        title = marker.group("title").casefold()
        if "background" in title or "背景" in title:
            current = sections["background"]
        elif "contact" in title or "联系" in title:
            current = sections["contacts"]
        else:
            warnings.append(
                gettext(
                    "The section “%(title)s” is not part of the house format; its text was "
                    "left out."
                )
                % {"title": marker.group("title")}
            )
            current = []
    return sections


def _head(lines, warnings, chinese=False):
    """(headings, body lines, byline match or None) of the lines before the first section.

    Headings are the first lines that end without a full stop (at most three, none of them
    the byline); the body runs from there to the byline; what follows the byline is left
    out with a warning.
    """
    headings = []
    for line, following in itertools.pairwise([*lines[:3], ""]):
        if len(line) > 200 or line[-1] in ".!?。！？" or BYLINE.match(line):
            break
        # A Chinese lead may open with its date (3月25日下午，…): not the heading's rest.
        opens_with_date = chinese and LEAD_DATE_ZH.match(following)
        if following and _continues(line, len(line), following) and not opens_with_date:
            break
        headings.append(line)
    rest = lines[len(headings) :]
    for index, line in enumerate(rest):
        if len(line) <= 400 and (byline := BYLINE.match(line)):
            _left_out(warnings, rest[index + 1 :])
            return headings, rest[:index], byline
    if chinese:
        _missing(
            warnings,
            pgettext("missing from a press release", "the byline, “%(marker)s”")
            % {"marker": "（作者：… 审校：…）"},
        )
    else:
        _missing(
            warnings,
            pgettext("missing from a press release", "the byline, “(Authors: …; Reviewer: …)”"),
        )
    return headings, rest, None


def _paragraphs(lines):
    """Lines as paragraphs: cut lines joined, "First, … Second, …" lists split."""
    paragraphs, lengths = [], []  # each paragraph as its lines, joined once at the end
    for line in lines:
        if paragraphs and _continues(paragraphs[-1][-1], lengths[-1], line):
            previous = paragraphs[-1][-1]
            # Chinese text has no spaces between words: a cut line is joined as it is.
            close = previous.endswith("-") or (_han_at(previous[-1]) and _han_at(line[0]))
            paragraphs[-1].append(line if close else f" {line}")
            lengths[-1] += len(line) + 1
        else:
            paragraphs.append([line])
            lengths.append(len(line))
    return [piece for lines in paragraphs for piece in _split_enumeration("".join(lines))]


def _continues(previous, length, line):
    """Whether `line` is the rest of a sentence that `previous` (the last line of a
    paragraph of `length` characters) broke off."""
    tail = previous.rstrip(QUOTES + ")]）」』 ")
    if not tail or tail[-1] in ".!?:。！？：…":
        return False
    if line[0].islower() or (line[0].isdigit() and not LIST_ITEM.match(line)):
        return True
    if tail[-1] in ",;，；-–—":
        return True
    # A long paragraph cut before a capitalised word (a name); a short one is a heading.
    return length > 120


def _split_enumeration(paragraph):
    """ "Measures: First, … . Second, … ." -> ["Measures:", "First, … .", "Second, … ."]."""
    starts = []
    for match in ORDINAL.finditer(paragraph):
        if match.group("ordinal") == ORDINALS[len(starts)]:
            starts.append(match.start())
            if len(starts) == len(ORDINALS):
                break
    if len(starts) < 2:
        return [paragraph]
    bounds = [0, *starts, len(paragraph)]
    pieces = (paragraph[start:end].strip() for start, end in itertools.pairwise(bounds))
    return [piece for piece in pieces if piece]


def _sentence(text, start):
    """The text from `start` to the end of its sentence (abbreviations such as "Co." and
    initials such as "P.R." do not end it)."""
    for match in SENTENCE_END.finditer(text, start):
        word = re.search(r"([A-Za-z]+)$", text[max(start, match.start() - 10) : match.start()])
        if word and (word.group(1).casefold() in ABBREVIATIONS or len(word.group(1)) == 1):
            continue
        return text[start : match.start()]
    return text[start:].rstrip(" .。")


# --- Forum, edition, session ----------------------------------------------------------------


def _edition(headings, intro, text, warnings):
    forum = {"name": "", "short_name": ""}
    edition = {
        "year": None,
        "theme": "",
        "venue": "",
        "city": "",
        "start_date": "",
        "end_date": "",
        "host": _organisation(_group(HOST.search(intro), "text")),
        "organiser": _organisation(_group(ORGANISER.search(intro), "text")),
    }
    line = next((heading for heading in headings if YEAR.search(heading)), "")
    if year := YEAR.search(line):
        forum = _organisation(line[: year.start()].strip(" ,:-–—|" + QUOTES))
        edition["year"] = int(year.group("year"))
        edition["theme"] = line[year.end() :].strip(" ,:：-–—|年" + QUOTES)
    _check_edition_line(forum, edition, text, warnings)

    held = HELD.search(intro)
    clause = _sentence(intro, held.start()) if held else ""
    if held:
        place = clause[held.end() - held.start() :]
        place = place[: PLACE_END.search(place).start()]
        venue, _in, city = place.rpartition(" in ")
        if held.group("preposition") == "in" and not venue:
            edition["city"] = city
        else:
            edition["venue"], edition["city"] = (venue, city) if venue else (city, "")
    if not edition["venue"]:
        _missing(warnings, pgettext("missing from a press release", "the venue"))
    dates = EDITION_DATES.search(clause) or SINGLE_DATE.search(clause)
    if dates:
        start = _date(dates, "1", edition["year"], warnings)
        end = start
        if "day2" in dates.re.groupindex:
            month = dates.group("month2") or dates.group("month1")
            end = _date_of(month, dates.group("day2"), dates.group("year2"), start, warnings)
        edition["start_date"], edition["end_date"] = _iso(start), _iso(end)
    if not edition["start_date"]:
        _missing(warnings, pgettext("missing from a press release", "the edition’s dates"))
    return forum, edition


def _check_edition_line(forum, edition, text, warnings):
    """What the edition line (English or Chinese) left unsaid: warnings, and the forum's
    short name from "(CDF)" after its name anywhere in the release."""
    if not edition["year"]:
        _missing(
            warnings,
            pgettext(
                "missing from a press release",
                "the edition line (the forum’s name, the year, the theme)",
            ),
        )
    if forum["name"] and not forum["short_name"]:
        short = re.search(rf"{re.escape(forum['name'])}\s*[(（]([^()（）]{{1,20}})[)）]", text)
        forum["short_name"] = short.group(1).strip() if short else ""
    if edition["year"] and not edition["theme"]:
        _missing(warnings, pgettext("missing from a press release", "the edition’s theme"))
    for role, what in (
        ("host", pgettext("missing from a press release", "the host")),
        ("organiser", pgettext("missing from a press release", "the organiser")),
    ):
        if not edition[role]["name"]:
            _missing(warnings, what)


def _group(match, name):
    return match.group(name) if match else ""


def _organisation(text):
    """ "the China Development Research Foundation (CDRF)" -> its name and short name."""
    parts = ORGANISATION.match(re.sub(r"^the\s+", "", text.strip(), flags=re.I))
    return {"name": parts.group("name").strip(), "short_name": (parts.group("short") or "").strip()}


def _date(match, suffix, year, warnings):
    groups = (match.group(f"{part}{suffix}") for part in ("month", "day", "year"))
    return _date_of(*groups, year, warnings)


def _date_of(month, day, year, default_year, warnings):
    """A date from its printed parts; None (with a warning) if it is not one."""
    if isinstance(default_year, datetime.date):
        default_year = default_year.year
    year = int(year) if year else default_year
    if not year:
        return None
    try:
        return datetime.date(year, MONTHS[month.casefold()], int(day))
    except ValueError:
        warnings.append(gettext("“%(value)s” is not a date.") % {"value": f"{month} {day}, {year}"})
        return None


def _iso(date):
    return date.isoformat() if date else ""


def _session(headings, intro, edition, warnings):
    line = next((heading for heading in headings if not YEAR.search(heading)), "")
    _left_out(
        warnings, [heading for heading in headings if heading != line and not YEAR.search(heading)]
    )
    note = HEADING_NOTE.match(line)
    title = (note.group("title") if note else line).strip(QUOTES + " ")
    if not title and (quoted := SESSION_TITLE.search(intro)):
        title = quoted.group("title").strip()
    if not title:
        _missing(warnings, pgettext("missing from a press release", "the session’s title"))
    kind = _kind(SESSION_KIND, title)
    session = {
        "title": title,
        "kind": str(kind or (SessionKind.OTHER if title else "")),
        "note": note.group("note").strip() if note else "",
        "date": "",
        "part_of_day": "",
        "presiders": _presiders(intro),
    }
    # The edition's own dates ("from March 24th to …") are not the session's.
    held = HELD.search(intro)
    after = len(_sentence(intro, held.start())) + held.start() if held else 0
    time = SESSION_TIME.search(intro, after) or SINGLE_DATE.search(intro, after)
    if time:
        session["date"] = _iso(_date(time, "1", edition["year"], warnings))
        part = time.groupdict().get("part")
        session["part_of_day"] = str(PARTS_OF_DAY[part.casefold()]) if part else ""
    elif edition["start_date"] and edition["start_date"] == edition["end_date"]:
        session["date"] = edition["start_date"]
    if not session["date"]:
        _missing(warnings, pgettext("missing from a press release", "the session’s date"))
    elif edition["start_date"] and not (
        edition["start_date"] <= session["date"] <= (edition["end_date"] or session["date"])
    ):
        warnings.append(
            gettext("The session’s date, %(date)s, is not within the edition’s dates.")
            % {"date": session["date"]}
        )
    if not session["presiders"]:
        _missing(
            warnings, pgettext("missing from a press release", "who presided over the session")
        )
    return session


def _presiders(intro):
    presiders = []
    for match in PRESIDED.finditer(intro):
        role = SESSION_ROLES.get(match.group("verb").split()[0].casefold(), "presider")
        for person in _people(_sentence(intro, match.end())):
            presiders.append({**person, "role": str(role)})
    return presiders


def _speeches(intro, session, warnings):
    speeches = []
    for match in SEGMENT.finditer(intro):
        segment = match.group("segment")
        kind = _kind(SPEECH_KIND, segment) or _kind(SPEECH_KIND, session["note"])
        for person in _people(_sentence(intro, match.end())):
            if not kind:
                warnings.append(
                    gettext("What kind of speech %(name)s gave is not said; marked as remarks.")
                    % {"name": person["name"]}
                )
            title, _comma, organisation = _title_and_organisation(person["titles"])
            speeches.append(_speech(person, title, organisation, kind, segment, len(speeches)))
    if len(speeches) == 1:
        speeches[0]["title"] = _topic(session["title"])
    if not speeches:
        _missing(
            warnings,
            pgettext("missing from a press release", "the speakers (“the guest speaker was …”)"),
        )
    return speeches


def _speech(person, title, organisation, kind, segment, before):
    """A speech as the draft holds it, English or Chinese: the speaker with their titles as
    printed, numbered after the `before` speeches read already."""
    return {
        "speaker": {
            **person,
            "title": title,
            "organisation": organisation,
            "printed_title": "\n".join(person["titles"]),
        },
        "kind": str(kind or SpeechKind.REMARKS),
        "segment": segment.strip(),
        "title": "",
        "order": before + 1,
    }


def _kind(pattern, text):
    """The kind (a choice's value) named by the first alternative of `pattern` in `text`."""
    match = pattern.search(text)
    return match.lastgroup if match else ""


def _title_and_organisation(titles):
    """("Vice Mayor", ",", "the People's Government of …") from the first printed title."""
    first = titles[0] if titles else ""
    if ", " in first:
        return first.partition(", ")
    return first.partition(" of ")


def _topic(title):
    match = TOPIC.match(title)
    return match.group("topic") if match else title


# --- People -------------------------------------------------------------------------------


def _people(clause):
    """People named in a clause: "LI Wenhai, Vice Mayor, …; WANG Yi, President, …; and …".

    Titles of one person are separated by ";" like people are: a part starts a new person
    if it starts with "and " or with a name (2 to 4 capitalised words that are no title
    or organisation); where the release capitalises family names, only such a name does.
    """
    parts = []
    for part in re.split(r"\s*[;；]\s*", clause.strip(" .。")):
        joined = re.match(r"^and\s+", part)
        part = part[joined.end() :] if joined else part
        pieces = re.split(r",?\s+and\s+(?=[A-Z])", part)
        parts.append((bool(joined), pieces[0]))
        for piece in pieces[1:]:
            if _looks_like_name(piece.partition(",")[0]):
                parts.append((True, piece))
            else:
                parts[-1] = (parts[-1][0], f"{parts[-1][1]} and {piece}")
    capitals = any(_capitalised(part.partition(",")[0]) for _and, part in parts)
    people = []
    for joined, part in parts:
        name, _comma, titles = (piece.strip() for piece in part.partition(","))
        if not part:
            continue
        # "…, and Chen Qiang, Deputy Administrator": after "and", a name starts a person
        # even where the release capitalises other family names.
        starts = (
            not people
            or (joined and _looks_like_name(name))
            or ((joined or _looks_like_name(name)) and (_capitalised(name) or not capitals))
        )
        if starts and name:
            people.append({**_name(name), "titles": [titles] if titles else []})
        elif people:
            people[-1]["titles"].append(part.strip())
    return people


def _capitalised(name):
    words = name.split()
    return _looks_like_name(name) and any(CAPITALISED_FAMILY_NAME.match(word) for word in words)


def _looks_like_name(text):
    words = text.split()
    return (
        2 <= len(words) <= 4
        and all(NAME_WORD.match(word) for word in words)
        and not any(word.casefold() in NOT_NAME_WORDS for word in words)
    ) or bool(CJK_NAME.match(text))


def _name(raw):
    """ "LI Wenhai" -> {"name": "Li Wenhai", "family_name": "Li", "given_name": "Wenhai", …}."""
    if CJK_NAME.match(raw):
        family, given = names.split_name(raw)
        return {
            "name": raw,
            "family_name": family,
            "given_name": given,
            "family_name_first": True,
            "uppercase_family_name": False,
        }
    words = raw.split()
    leading = len(list(itertools.takewhile(CAPITALISED_FAMILY_NAME.match, words)))
    trailing = len(list(itertools.takewhile(CAPITALISED_FAMILY_NAME.match, reversed(words))))
    uppercase = 0 < max(leading, trailing) < len(words)
    if uppercase and leading:
        family, given, family_first = words[:leading], words[leading:], True
    elif uppercase:
        family, given, family_first = words[-trailing:], words[:-trailing], False
    else:
        family, given, family_first = words[:1], words[1:], True
    family_name = " ".join(word.title() if uppercase else word for word in family)
    given_name = " ".join(given)
    parts = (family_name, given_name) if family_first else (given_name, family_name)
    return {
        "name": " ".join(part for part in parts if part),
        "family_name": family_name,
        "given_name": given_name,
        "family_name_first": family_first,
        "uppercase_family_name": uppercase,
    }


# --- Report -------------------------------------------------------------------------------


def _report(paragraphs, byline, session, speeches, warnings, chinese=False):
    credits = []
    for credit in CREDIT.finditer(byline.group("roles") if byline else ""):
        label = credit.group("label")
        role = CREDIT_LABELS_ZH.get(label) or CREDIT_ROLES[label.casefold().rstrip("s")]
        for name in LIST_SEPARATOR.split(credit.group("names").strip(" .。")):
            # Names in Chinese characters may be separated by a space only: 刘某 王某.
            pieces = name.split() if _all_han(name.replace(" ", "")) else [name]
            credits.extend(
                {"name": piece.strip(), "role": str(role)} for piece in pieces if piece.strip()
            )
    if not paragraphs:
        _missing(warnings, pgettext("missing from a press release", "the text of the report"))
    if len(speeches) == 1:
        colon = "：" if chinese else ": "
        headline = colon.join(filter(None, (speeches[0]["speaker"]["name"], speeches[0]["title"])))
    else:
        headline = session["title"]
    return {
        "headline": headline,
        "body": "\n".join(
            f"<p>{html.escape(paragraph, quote=False)}</p>" for paragraph in paragraphs
        ),
        "authors": [each["name"] for each in credits if each["role"] == CreditRole.AUTHOR],
        "reviewers": [each["name"] for each in credits if each["role"] == CreditRole.REVIEWER],
        "credits": credits,
        "publisher": byline.group("publisher").strip(" ,，") if byline else "",
    }


# --- Media contacts and the press office --------------------------------------------------


def _contacts(lines, warnings, chinese=False):
    """(media contacts, the press office's details) from the "--Media Contact--" lines."""
    contacts, chinese_address, english_address = [], [], []
    details = {
        "postal_code": "",
        "phone": "",
        "phone_extension": "",
        "fax": "",
        "fax_extension": "",
        "website": "",
        "email": "",
    }
    organisation, office_of, leftovers = "", "", []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        pair = KEY_VALUE.match(line)
        field = DETAIL_KEYS.get(pair.group("key").casefold()) if pair else None
        in_address = bool(chinese_address or english_address or any(details.values()))
        # The address block is the office of the organisation whose contacts precede it.
        office_of = office_of if in_address else organisation
        if field:
            _detail(details, field, pair.group("key"), pair.group("value"), warnings)
        elif contact := _contact(line, organisation, warnings):
            contacts.append(contact)
        elif (
            has_han(line)
            and not in_address
            and len(line) <= 80
            and not re.search(r"[\d,，]", line)
            and _contact(following, "", [])
        ):
            organisation = line  # 中国发展研究基金会: the organisation of the contacts below
        elif has_han(line):
            chinese_address.append(line)
        elif not in_address and len(line) <= 80 and not re.search(r"[\d,]", line):
            organisation = line  # "CDRF": the organisation of the contacts below it
        elif contacts or in_address:
            english_address.append(line)
        else:
            leftovers.append(line)
    _left_out(warnings, leftovers)
    if not contacts and chinese:
        _missing(
            warnings,
            pgettext("missing from a press release", "the media contacts (“%(marker)s”)")
            % {"marker": "——媒体联系人——"},
        )
    elif not contacts:
        _missing(
            warnings,
            pgettext("missing from a press release", "the media contacts (“--Media Contact--”)"),
        )
    english = " ".join(english_address)
    if not details["postal_code"] and (code := POSTAL_CODE.search(english)):
        details["postal_code"] = code.group()
    english = _tidy_address(english, details["postal_code"])
    office = {
        "organisation": office_of if chinese_address or english or any(details.values()) else "",
        **languages.spread("address", english, "\n".join(chinese_address)),
        **details,
    }
    return contacts, office


def _detail(details, field, key, value, warnings):
    value = value.strip()
    extension = ""
    if field == "postal_code":
        code = POSTAL_CODE.search(value)
        value = code.group() if code else ""
    elif field in ("phone", "fax"):
        number, extension = split_extension(value)
        value = _phone(number, key, warnings)
    elif field == "website":
        value = value if re.match(r"^https?://", value, re.I) else f"https://{value}"
    elif field == "email":
        try:
            validate_email(value)
        except ValidationError:
            warnings.append(gettext("“%(value)s” is not an email address.") % {"value": value})
            value = ""
    if not value:
        return
    if details[field] and details[field] != value:
        warnings.append(
            gettext("“%(key)s” differs from before: “%(value)s”; the first is kept.")
            % {"key": key, "value": value}
        )
        return
    details[field] = value
    if extension and f"{field}_extension" in details:
        details[f"{field}_extension"] = extension


def _contact(line, organisation, warnings):
    """A media contact from "Guo Silu 18666028168/64255855-8014", or None."""
    email = EMAIL.search(line)
    match = CONTACT.match(EMAIL.sub("", line).strip(" ,，;；/") if email else line)
    if not match or not re.search(r"[^\W\d_]", match.group("name")):
        return None
    numbers = [piece for piece in NUMBER_SEPARATOR.split(match.group("numbers")) if piece]
    if sum(char.isdigit() for char in match.group("numbers")) < 7:
        return None
    name = match.group("name").strip()
    contact = {
        "name": name,
        "organisation": organisation,
        "mobile": "",
        "office": "",
        "extension": "",
        "email": email.group() if email else "",
    }
    for piece in numbers:
        number, extension = split_extension(piece)
        e164 = _phone(number, name, warnings)
        if not e164:
            continue
        kind = phonenumbers.number_type(phonenumbers.parse(e164))
        slot = "mobile" if kind == phonenumbers.PhoneNumberType.MOBILE else "office"
        if kind == phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE and contact[slot]:
            slot = "mobile"
        if contact[slot]:
            warnings.append(
                gettext(
                    "“%(number)s” (%(name)s) was left out: a contact has one mobile and one "
                    "office number."
                )
                % {"number": piece, "name": name}
            )
            continue
        contact[slot] = e164
        if slot == "office":
            contact["extension"] = extension
    return contact


def _phone(number, whose, warnings):
    try:
        return normalise_phone(number)
    except ValidationError:
        warnings.append(
            gettext("“%(number)s” (%(whose)s) is not a phone number.")
            % {"number": number, "whose": whose}
        )
        return ""


def _tidy_address(address, postal_code):
    """One line, without the postal code: "Floor15, Tower a, …, No.138 …, Beijing, 100011,
    China" -> "Floor 15, Tower A, …, No. 138 …, Beijing, China"."""
    if postal_code:
        address = re.sub(rf",?\s*(?<!\d){postal_code}(?!\d)", "", address)
    address = re.sub(r"\b(Floor|Room|Suite|Tower|Block|Unit|No\.)\s*(?=\d)", r"\1 ", address)
    address = re.sub(
        r"\b(Tower|Block|Building|Unit|Gate|Zone)\s+([a-z])\b",
        lambda match: f"{match.group(1)} {match.group(2).upper()}",
        address,
    )
    return address.strip(" ,")


# --- The house format in Chinese ------------------------------------------------------------
#
# The same parts in the same order, as the press office writes them in Chinese:
#
#     中国发展高层论坛2024年年会 持续发展的中国                              <- edition line
#     数字化赋能产业转型专题研讨会（主旨演讲）                                <- session line
#     中国发展高层论坛2024年年会由国务院发展研究中心主办、中国发展研究基金会承办，于3月24日
#     至25日在北京钓鱼台国宾馆举行。3月25日下午，“数字化赋能产业转型专题研讨会”举行，会议
#     由中国发展研究基金会理事长、第十四届全国政协提案委员会副主任张军扩主持。在“主旨演讲”
#     环节，天津市人民政府副市长李文海作为嘉宾发表演讲。
#     <body>
#     （中国发展出版社 作者：… 审校：…）                                      <- byline
#     ——背景信息——  /  ——媒体联系人——  (contacts: 王小明 13800000000/64255855转8014)
#
# Titles come before names and several titles of one person are joined by 、: a name is
# the two to four characters that end a title run (国家能源局副局长陈强: 国家能源局副局长,
# 陈强). Dates have no year (3月25日下午): the edition's year is theirs.

# Words that end a title, so that what follows them is a name.
# The one list of title words (长 covers 部长, 市长, 理事长, 秘书长…; 官 covers 首席执行官;
# 学家 covers 首席经济学家).
TITLE_ENDINGS_ZH = (  # noqa: SIM905
    "长 主任 主席 书记 委员 常委 理事 董事 监事 总裁 经理 总监 教授 研究员 院士 学者 专家 大使 "
    "代表 顾问 参赞 参事 专员 特使 学家 创始人 合伙人 负责人 发言人 官 总理 主编 编辑 记者 博士 "
    "讲师 领事 议员 秘书 主管 干事 首席 成员 员 师 总统 首相 司令 得主 获得者 总编 主笔 作家 "
    "CEO CFO COO CTO"
).split()
TITLE_END_ZH = re.compile(f"(?:{'|'.join(sorted(TITLE_ENDINGS_ZH, key=len, reverse=True))})$")
# A title as printed, split into its organisation and its job title (天津市人民政府 | 副市长).
JOB_TITLE_ZH = re.compile(
    r"^(?P<organisation>.+?)(?P<title>(?:常务|执行|名誉|荣誉|首席|高级|资深|联合)?副?"
    r"(?:理事长|董事长|秘书长|委员长|总经理|总编辑|总干事|首席执行官|执行官|首席经济学家|经济学家"
    r"|[市局部院行会校所社司省处馆署台厅县区镇团组队科室州]长"
    r"|主任|主席|书记|总裁|经理|总监|教授|研究员|院士|大使|代表|顾问|创始人|合伙人|负责人|总理"
    r"|主编|委员|常委|理事|董事|监事|秘书|议员|干事|CEO))$"
)
CITIES_ZH = (  # noqa: SIM905
    "北京 上海 天津 重庆 香港 澳门 广州 深圳 杭州 南京 成都 武汉 西安 苏州 厦门 青岛 大连 "
    "博鳌 海口 三亚 沈阳 长沙 郑州 济南 合肥 福州 昆明 哈尔滨 长春 宁波 无锡"
).split()
PLACE_ZH = re.compile(rf"^(?P<city>{'|'.join(CITIES_ZH)}|[{HAN}]{{2,4}}市)(?P<venue>.*)$")
DATE_ZH = (
    r"(?:(?P<year{0}>(?:19|20)\d\d)\s*年\s*)?(?P<month{0}>\d{{1,2}})\s*月\s*(?P<day{0}>\d{{1,2}})"
    r"\s*[日号]"
)
EDITION_DATES_ZH = re.compile(
    DATE_ZH.format(1)
    + r"(?:\s*(?:至|到|-|–|—|~|～)\s*(?:(?P<year2>(?:19|20)\d\d)\s*年\s*)?"
    + r"(?:(?P<month2>\d{1,2})\s*月\s*)?(?P<day2>\d{1,2})\s*[日号])?"
)
PARTS_OF_DAY_ZH = {
    "上午": SessionPartOfDay.MORNING,
    "早上": SessionPartOfDay.MORNING,
    "清晨": SessionPartOfDay.MORNING,
    "下午": SessionPartOfDay.AFTERNOON,
    "晚上": SessionPartOfDay.EVENING,
    "晚间": SessionPartOfDay.EVENING,
    "傍晚": SessionPartOfDay.EVENING,
    "夜间": SessionPartOfDay.EVENING,
    "全天": SessionPartOfDay.ALL_DAY,
}
LEAD_DATE_ZH = re.compile(r"(?:(?:19|20)\d\d\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*[日号]")
SESSION_TIME_ZH = re.compile(DATE_ZH.format(1) + rf"\s*(?P<part>{'|'.join(PARTS_OF_DAY_ZH)})?")
HOST_ZH = re.compile(r"由(?P<text>[^，。、,由]+?)(?:共同|联合)?主办")
ORGANISER_ZH = re.compile(r"(?:[、，,]|由)(?:由)?(?P<text>[^，。、,由]+?)(?:共同|联合)?承办")
HELD_ZH = re.compile(r"在(?P<place>[^，。,在]{2,60}?)(?:隆重)?(?:举行|召开|举办|开幕)")
SESSION_TITLE_ZH = re.compile(
    r"[“\"「](?P<title>[^”\"」]{2,200})[”\"」](?:在[^，。]{0,30})?(?:举行|召开|举办|开幕)"
)
# Who presided: a clause ending with 主持 (主持会议, 共同主持), with or without 由 or 会议由
# before the names, and 主持并致辞 when the presider also gave an address.
PRESIDED_ZH = re.compile(
    r"^(?:(?:[^、，。由]{0,10}?(?:会议|会|论坛|活动|对话|随后|会上|其后|本场|本次|此次))?由)?"
    r"(?P<text>[^。]+?)(?:共同)?主持(?:了)?(?:会议|本场会议|研讨会|论坛)?"
    r"(?:并(?P<also>致(?:开幕|闭幕|欢迎)?辞|讲话|发言))?$"
)
# What others did "由…": hosted, organised, held (由A主办，B主持 is no statement of who
# presided that goes on after the comma).
NOT_PRESIDING_ZH = re.compile(r"主办|承办|协办|支持|指导|举行|召开|举办")
# A clause that opens the statement of who presided (会议由…) and goes on after a comma.
PRESIDED_OPEN_ZH = re.compile(
    r"^(?:[^、，。由]{0,10}?(?:会议|会|论坛|活动|对话|随后|会上|其后|本场|本次|此次))?由"
)
SEGMENT_ZH = re.compile(r"在[“\"「']?(?P<segment>[^”\"」'，。,]{1,30}?)[”\"」']?环节[，,：:]?\s*")
SPEAKERS_LEAD_ZH = re.compile(r"^[^、，。]{0,10}?嘉宾(?:为|是|包括|有)[：:]?")
SPEAKERS_VERB_ZH = re.compile(
    r"(?:先后|分别|依次|共同)?(?:作为[^、，。]{0,10}?嘉宾)?(?:先后|分别|依次)?"
    r"(?:(?:发表|作|做|进行)了?[^、，。]{0,12})?$"
)
# What the speakers gave, ending the statement of who spoke: 先后发表演讲, 发表主旨演讲,
# 作主旨演讲, 致辞, 作为嘉宾发表演讲…
SPEECH_VERB_ZH = re.compile(
    r"(?:作为[^、，。]{0,10}?嘉宾)?(?:先后|分别|依次|相继|共同)?(?:作为[^、，。]{0,10}?嘉宾)?"
    r"(?P<what>(?:发表|作|做|进行)了?(?:[^、，。]{0,6}?)(?:演讲|讲话|致辞|发言|报告)"
    r"|致(?:开幕|闭幕|欢迎)?辞)$"
)
# Words that open the sentence of who spoke without being part of it.
SPEAKERS_OPENING_ZH = re.compile(
    r"^(?:并(?:致辞|讲话|发言)?|随后|会上|会议上|其间|期间|之后|接着|此后)[，,]?\s*"
)
SESSION_KIND_ZH = re.compile(
    rf"(?:(?P<{SessionKind.LUNCHEON}>午餐会)|(?P<{SessionKind.ROUNDTABLE}>圆桌)"
    rf"|(?P<{SessionKind.PANEL}>小组讨论|分组讨论)|(?P<{SessionKind.SYMPOSIUM}>研讨会)"
    rf"|(?P<{SessionKind.PLENARY}>全体大会|开幕式|经济峰会))"
)
SPEECH_KIND_ZH = re.compile(
    rf"(?:(?P<{SpeechKind.KEYNOTE}>主旨)|(?P<{SpeechKind.OPENING}>开幕)"
    rf"|(?P<{SpeechKind.CLOSING}>闭幕)|(?P<{SpeechKind.PANEL}>讨论|对话|圆桌)"
    rf"|(?P<{SpeechKind.ADDRESS}>致辞|讲话)|(?P<{SpeechKind.REMARKS}>发言|点评))"
)
TOPIC_ZH = re.compile(r"^(?P<topic>.+?)(?:专题研讨会|研讨会|圆桌会议?|分论坛|午餐会|专题会议?)$")
LATIN_NAME_AFTER_TITLE = re.compile(
    rf"^(?P<title>.*[{HAN}）)])\s*(?P<name>[A-Z][A-Za-z'’.\-]*(?:\s+[A-Za-z][A-Za-z'’.\-]*){{1,3}})$"
)
# A name written with a middle dot, with whatever Chinese characters precede it: where the
# name starts is told by a title word (_dotted_name_zh).
DOTTED_NAME = re.compile(rf"(?P<name>[{HAN}]+(?:[·•‧・][{HAN}]+)+)$")
_HAN_AT = re.compile(f"[{HAN}，。、；：！？“”（）]")


def written_in_chinese(lines):
    """Whether a release (its lines before the first section) is written in Chinese: more
    Chinese characters than Latin letters. The English release's address block is under
    its own section, so its characters do not count."""
    text = "".join(lines)
    han = sum(1 for char in text if has_han(char))
    return han > 0 and han >= sum(1 for char in text if char.isascii() and char.isalpha())


def _han_at(char):
    return bool(_HAN_AT.match(char))


def _all_han(text):
    return bool(text) and all(has_han(char) for char in text)


def _sentences_zh(text):
    """The sentences of a Chinese paragraph, each without its full stop."""
    return [piece.strip() for piece in re.split(r"[。！？]", text) if piece.strip()]


def _edition_zh(headings, intro, text, warnings):
    forum = {"name": "", "short_name": ""}
    host, organiser = HOST_ZH.search(intro), ORGANISER_ZH.search(intro)
    edition = {
        "year": None,
        "theme": "",
        "venue": "",
        "city": "",
        "start_date": "",
        "end_date": "",
        "host": _organisation(_group(host, "text")),
        "organiser": _organisation(_group(organiser, "text")),
    }
    line = next((heading for heading in headings if YEAR.search(heading)), "")
    if year := YEAR.search(line):
        forum = _organisation(line[: year.start()].strip(" ,，:：-–—|" + QUOTES))
        edition["year"] = int(year.group("year"))
        # 2024年年会 and 2024年会 alike: the theme follows the meeting's name.
        theme = re.sub(r"^\s*年\s*(?:年会|会议|会)?", "", line[year.end() :])
        theme = re.sub(r"^[\s,，:：\-–—|·]*(?:主题\s*[:：为是]?)?", "", theme)
        edition["theme"] = theme.strip(" ,，:：-–—|" + QUOTES)
    _check_edition_line(forum, edition, text, warnings)

    held_sentence = next((each for each in _sentences_zh(intro) if HELD_ZH.search(each)), "")
    if held := HELD_ZH.search(held_sentence):
        place = PLACE_ZH.match(held.group("place"))
        if place:
            edition["city"] = place.group("city")
            edition["venue"] = place.group("venue").strip()
        else:
            edition["venue"] = held.group("place").strip()
    if not edition["venue"]:
        _missing(warnings, pgettext("missing from a press release", "the venue"))
    if dates := EDITION_DATES_ZH.search(held_sentence):
        start = _date_zh(dates, "1", edition["year"], warnings)
        end = start
        if dates.group("day2"):
            end = _date_zh_of(
                dates.group("year2") or (start.year if start else edition["year"]),
                dates.group("month2") or dates.group("month1"),
                dates.group("day2"),
                warnings,
            )
        edition["start_date"], edition["end_date"] = _iso(start), _iso(end)
    if not edition["start_date"]:
        _missing(warnings, pgettext("missing from a press release", "the edition’s dates"))
    return forum, edition


def _date_zh(match, suffix, year, warnings):
    return _date_zh_of(
        match.group(f"year{suffix}") or year,
        match.group(f"month{suffix}"),
        match.group(f"day{suffix}"),
        warnings,
    )


def _date_zh_of(year, month, day, warnings):
    """A date from "2024年3月25日" or "3月25日" with the edition's year; None with a warning
    when it is no date."""
    if not year:
        return None
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        warnings.append(
            gettext("“%(value)s” is not a date.") % {"value": f"{year}年{month}月{day}日"}
        )
        return None


def _session_zh(headings, intro, edition, warnings):
    line = next((heading for heading in headings if not YEAR.search(heading)), "")
    _left_out(
        warnings, [heading for heading in headings if heading != line and not YEAR.search(heading)]
    )
    note = HEADING_NOTE.match(line)
    title = (note.group("title") if note else line).strip(QUOTES + " ")
    if not title and (quoted := SESSION_TITLE_ZH.search(intro)):
        title = quoted.group("title").strip()
    if not title:
        _missing(warnings, pgettext("missing from a press release", "the session’s title"))
    kind = _kind(SESSION_KIND_ZH, title)
    sentences = _sentences_zh(intro)
    presiders = []
    for text in _roles_zh(intro)[0]:
        people = _people_zh(text, warnings)
        presiders += [{**person, "role": str(RoleAtSession.PRESIDER)} for person in people]
    session = {
        "title": title,
        "kind": str(kind or (SessionKind.OTHER if title else "")),
        "note": note.group("note").strip() if note else "",
        "date": "",
        "part_of_day": "",
        "presiders": presiders,
    }
    # The edition's own dates (its sentence: "于3月24日至25日在北京…举行") are not the session's.
    held = next((index for index, each in enumerate(sentences) if HELD_ZH.search(each)), -1)
    time = next(
        (found for each in sentences[held + 1 :] if (found := SESSION_TIME_ZH.search(each))),
        None,
    )
    if time:
        session["date"] = _iso(_date_zh(time, "1", edition["year"], warnings))
        part = time.group("part")
        session["part_of_day"] = str(PARTS_OF_DAY_ZH[part]) if part else ""
    elif edition["start_date"] and edition["start_date"] == edition["end_date"]:
        session["date"] = edition["start_date"]
    if not session["date"]:
        _missing(warnings, pgettext("missing from a press release", "the session’s date"))
    elif edition["start_date"] and not (
        edition["start_date"] <= session["date"] <= (edition["end_date"] or session["date"])
    ):
        warnings.append(
            gettext("The session’s date, %(date)s, is not within the edition’s dates.")
            % {"date": session["date"]}
        )
    if not presiders:
        _missing(
            warnings, pgettext("missing from a press release", "who presided over the session")
        )
    return session


def _clauses_zh(sentence):
    """The clauses of a Chinese sentence, cut at ，and ；(and , ;) outside quotes and
    brackets: “能源，转型”专题研讨会 stays whole."""
    clauses, depth, straight, start = [], 0, False, 0
    for index, char in enumerate(sentence):
        if char in "“「『《（(":
            depth += 1
        elif char in "”」』》）)":
            depth = max(depth - 1, 0)
        elif char == '"':
            straight = not straight
        elif char in "，；,;" and not depth and not straight:
            clauses.append(sentence[start:index])
            start = index + 1
    clauses.append(sentence[start:])
    return [clause.strip() for clause in clauses if clause.strip()]


def _roles_zh(intro):
    """(what names each presider group, the statements of who spoke) of a Chinese lead.

    The sentences are read clause by clause (cut at ，and ；): a clause ending with 主持
    names who presided (由 or 会议由 before the names or not; 主持并致辞 is an address by
    them as well); a clause ending with what was given (先后发表演讲, 发表主旨演讲, 作主旨演讲,
    发表演讲, 致辞, 作为嘉宾发表演讲…) names speakers, the verb stripped before the names
    are read, and clauses of people just before it (陈强，李文海先后发表演讲) are theirs too.
    Where a sentence has a segment (在“主旨演讲”环节), only such sentences name speakers,
    with or without a verb; else speakers are read after who presided, in the same
    sentence or the next. A statement is (segment, the words of what was given, the text
    naming the people, whether its names were already read as presiders)."""
    sentences = _sentences_zh(intro)
    segmented = any(SEGMENT_ZH.search(sentence) for sentence in sentences)
    presided, statements, presided_at = [], [], None
    for index, sentence in enumerate(sentences):
        segment, pending, opened = None, [], ""
        in_reach = presided_at is not None and index <= presided_at + 1
        for clause in _clauses_zh(sentence):
            if opened:  # 会议由…，…主持: the statement of who presided goes on
                clause, opened = f"{opened}，{clause}", ""
            if (found := SEGMENT_ZH.search(clause)) and found.group("segment"):
                segment, pending = found.group("segment"), []
                clause = clause[found.end() :].strip()
                if not clause:
                    continue
            if match := PRESIDED_ZH.match(clause):
                presided.append(match.group("text"))
                if match.group("also"):
                    statements.append(("", match.group("also"), match.group("text"), True))
                presided_at, in_reach, pending = index, True, []
                continue
            clause = SPEAKERS_LEAD_ZH.sub("", SPEAKERS_OPENING_ZH.sub("", clause))
            verb = SPEECH_VERB_ZH.search(clause)
            opens = PRESIDED_OPEN_ZH.match(clause) and "主持" in sentence
            if opens and not verb and not NOT_PRESIDING_ZH.search(clause):
                opened = clause
                continue
            clause = re.sub(r"^由", "", clause)
            verb = SPEECH_VERB_ZH.search(clause)
            people = clause[: verb.start()].strip(" 并") if verb else ""
            readable = segment is not None if segmented else in_reach
            if verb and people and readable:
                names = "、".join([*pending, people])
                statements.append((segment or "", verb.group("what"), names, False))
                pending = []
            elif segment is not None and (clause := SPEAKERS_VERB_ZH.sub("", clause)):
                pending.append(clause)  # a segment's speakers, whatever their verb
            elif readable and clause and _people_only_zh(clause):
                pending.append(clause)
            else:
                pending = []
        if segment is not None and pending:
            statements.append((segment, "", "、".join(pending), False))
    return presided, statements


def _people_only_zh(text):
    """Whether a clause names people and nothing else (titles, then a name)."""
    quiet = []
    return bool(_people_zh(text, quiet)) and not quiet


def _speeches_zh(intro, session, warnings):
    speeches = []
    for segment, words, clause, presiding in _roles_zh(intro)[1]:
        kind = (
            _kind(SPEECH_KIND_ZH, segment)
            or _kind(SPEECH_KIND_ZH, words)
            or _kind(SPEECH_KIND_ZH, session["note"])
        )
        # The names of a presider who also gave an address were read (and warned of) once.
        for person in _people_zh(clause, [] if presiding else warnings):
            if not kind:
                warnings.append(
                    gettext("What kind of speech %(name)s gave is not said; marked as remarks.")
                    % {"name": person["name"]}
                )
            title, organisation = _job_title_zh(person["titles"])
            speeches.append(_speech(person, title, organisation, kind, segment, len(speeches)))
    if len(speeches) == 1:
        topic = TOPIC_ZH.match(session["title"])
        speeches[0]["title"] = topic.group("topic") if topic else session["title"]
    if not speeches:
        _missing(
            warnings,
            pgettext("missing from a press release", "the speakers (“%(marker)s”)")
            % {"marker": "……发表演讲"},
        )
    return speeches


def _job_title_zh(titles):
    """("副市长", "天津市人民政府") from the first title as printed, 天津市人民政府副市长."""
    first = titles[0] if titles else ""
    match = JOB_TITLE_ZH.match(first)
    return (match.group("title"), match.group("organisation")) if match else (first, "")


def _people_zh(clause, warnings):
    """People named with their titles before them: "中国发展研究基金会理事长、第十四届全国
    政协提案委员会副主任张军扩" is one person with two titles; "国家能源局副局长陈强、天津市
    人民政府副市长李文海" two. A part of the 、-separated run that ends with a name ends a
    person; a part that ends with a title is one more title of the next name."""
    pieces = []
    for piece in re.split(r"\s*[、，,；;]\s*", clause.strip(" 。")):
        pieces += _split_joined_zh(piece)
    people, titles = [], []
    for index, piece in enumerate(pieces):
        title, name = _title_and_name_zh(piece, last=index == len(pieces) - 1)
        if name is None:
            titles.append(piece)
            continue
        if name == "":
            warnings.append(
                gettext("Which part of “%(text)s” is the name is not clear; left out.")
                % {"text": piece}
            )
            titles = []
            continue
        people.append({**_name(name), "titles": [*titles, title] if title else titles})
        titles = []
    return people


def _split_joined_zh(piece):
    """ "国家能源局副局长陈强和天津市人民政府副市长李文海" -> both people: 和, 与 and 及 join
    two people only where the text before them ends with a name (工业和信息化部 stays)."""
    parts, start = [], 0
    for match in re.finditer(r"[和与及]", piece):
        before = piece[start : match.start()]
        if match.end() < len(piece) and _title_and_name_zh(before, last=True)[1]:
            parts.append(before)
            start = match.end()
    return [*parts, piece[start:]]


def _title_and_name_zh(piece, last):
    """(title, name) of a part such as "国家能源局副局长陈强"; (piece, None) when it is only
    a title (a name follows in a later part), and (piece, "") when a last part has no name
    that can be told from its title."""
    piece = piece.strip()
    if latin := LATIN_NAME_AFTER_TITLE.match(piece):
        return latin.group("title").strip(), latin.group("name")
    if dotted := DOTTED_NAME.search(piece):
        return _dotted_name_zh(piece, dotted)
    best, best_score = None, 0
    if not last and TITLE_END_ZH.search(piece):
        best, best_score = (piece, None), 2
    # Two to four characters, or five with a compound family name (欧阳青云峰).
    sizes = (3, 2, 4, 5) if names.is_compound_surname(piece[-5:-3]) else (3, 2, 4)
    for size in sizes:
        if len(piece) < size or not _all_han(piece[-size:]):
            continue
        title, name = piece[:-size], piece[-size:]
        title_fits = bool(TITLE_END_ZH.search(title)) if title else None
        score = (2 if title_fits else 1 if title_fits is None else 0) + names.is_chinese_name(name)
        # A compound family name wins a tie (局长长孙示例: 长孙示例, not 孙示例).
        score += 0.5 * (size >= 3 and names.is_compound_surname(name[:2]))
        if score > best_score:
            best, best_score = (title, name), score
    if best is not None and best_score >= 2:
        return best
    # Neither a title nor a name that can be told from its title: never a silent guess.
    return piece, ""


def _dotted_name_zh(piece, dotted):
    """(title, name) of a part ending with a name written with a middle dot (a foreign
    name in Chinese characters, 安娜·史密斯, or 爱新觉罗·明). Where such a name starts cannot
    be told without a dictionary: it is what follows a title word (…首席执行官安娜·史密斯),
    or the whole part when it starts with at most five characters before the dot (a name
    after titles in parts of its own); else (piece, "") for a warning."""
    start = dotted.start()
    first_dot = names.MIDDLE_DOTS.search(piece, start).start()
    for end in range(first_dot - 1, start, -1):
        if TITLE_END_ZH.search(piece[:end]):
            return piece[:end].strip(), piece[end:]
    before = piece[:start].strip()
    if TITLE_END_ZH.search(before) or (not before and first_dot - start <= 5):
        return before, piece[start:]
    return piece, ""
