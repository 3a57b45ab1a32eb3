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

    language      the site language the release is written in (the default one)
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
from django.utils.translation import gettext, ngettext, pgettext

from forum.core import languages
from forum.core.names import HAN, has_han
from forum.core.phones import normalise_phone, split_extension
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
BYLINE = re.compile(
    r"^[(（]?\s*(?P<publisher>[^()（）:：;；]{0,80}?)[\s,，]*"
    r"(?P<roles>(?:Authors?|Writers?|Reviewers?|Editors?|Translators?|Photographers?|Photos?)"
    r"\s*[:：].*?)[\s.。]*[)）]?[\s.。]*$"
)
CREDIT = re.compile(
    r"(?P<label>Authors?|Writers?|Reviewers?|Editors?|Translators?|Photographers?|Photos?)"
    r"\s*[:：]\s*(?P<names>[^;；]*)"
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
# Facts are looked for in the first paragraph's first characters (the seed's has 800):
# no pattern then ever reads a whole 2 MB paragraph.
INTRO_CHARACTERS = 5000


# --- The draft ----------------------------------------------------------------------------


def parse_release(text):
    """The draft of everything the release states (see the module docstring).

    Never raises on odd content: what cannot be placed is a warning in draft["warnings"].
    """
    text = text if isinstance(text, str) else ""
    warnings = []
    sections = _sections(_lines(text), warnings)
    head, body_lines, byline = _head(sections["head"], warnings)
    paragraphs = _paragraphs(body_lines)
    intro = paragraphs[0][:INTRO_CHARACTERS] if paragraphs else ""

    forum, edition = _edition(head, intro, text, warnings)
    session = _session(head, intro, edition, warnings)
    speeches = _speeches(intro, session, warnings)
    report = _report(paragraphs, byline, session, speeches, warnings)
    contacts, office = _contacts(sections["contacts"], warnings)
    return {
        # The house format is the release in the site's default language (English).
        "language": languages.DEFAULT,
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
        if "background" in title:
            current = sections["background"]
        elif "contact" in title:
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


def _head(lines, warnings):
    """(headings, body lines, byline match or None) of the lines before the first section.

    Headings are the first lines that end without a full stop (at most three, none of them
    the byline); the body runs from there to the byline; what follows the byline is left
    out with a warning.
    """
    headings = []
    for line, following in itertools.pairwise([*lines[:3], ""]):
        if len(line) > 200 or line[-1] in ".!?。！？" or BYLINE.match(line):
            break
        if following and _continues(line, len(line), following):
            break
        headings.append(line)
    rest = lines[len(headings) :]
    for index, line in enumerate(rest):
        if len(line) <= 400 and (byline := BYLINE.match(line)):
            _left_out(warnings, rest[index + 1 :])
            return headings, rest[:index], byline
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
            paragraphs[-1].append(line if paragraphs[-1][-1].endswith("-") else f" {line}")
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
    else:
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
            speeches.append(
                {
                    "speaker": {
                        **person,
                        "title": title,
                        "organisation": organisation,
                        "printed_title": "\n".join(person["titles"]),
                    },
                    "kind": str(kind or SpeechKind.REMARKS),
                    "segment": segment.strip(),
                    "title": "",
                    "order": len(speeches) + 1,
                }
            )
    if len(speeches) == 1:
        speeches[0]["title"] = _topic(session["title"])
    if not speeches:
        _missing(
            warnings,
            pgettext("missing from a press release", "the speakers (“the guest speaker was …”)"),
        )
    return speeches


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
        starts = not people or (
            (joined or _looks_like_name(name)) and (_capitalised(name) or not capitals)
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
        return {
            "name": raw,
            "family_name": raw[0],
            "given_name": raw[1:],
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


def _report(paragraphs, byline, session, speeches, warnings):
    credits = []
    for credit in CREDIT.finditer(byline.group("roles") if byline else ""):
        role = CREDIT_ROLES[credit.group("label").casefold().rstrip("s")]
        for name in LIST_SEPARATOR.split(credit.group("names").strip(" .。")):
            if name.strip():
                credits.append({"name": name.strip(), "role": str(role)})
    if not paragraphs:
        _missing(warnings, pgettext("missing from a press release", "the text of the report"))
    if len(speeches) == 1:
        headline = ": ".join(filter(None, (speeches[0]["speaker"]["name"], speeches[0]["title"])))
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


def _contacts(lines, warnings):
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
    for line in lines:
        pair = KEY_VALUE.match(line)
        field = DETAIL_KEYS.get(pair.group("key").casefold()) if pair else None
        in_address = bool(chinese_address or english_address or any(details.values()))
        # The address block is the office of the organisation whose contacts precede it.
        office_of = office_of if in_address else organisation
        if field:
            _detail(details, field, pair.group("key"), pair.group("value"), warnings)
        elif contact := _contact(line, organisation, warnings):
            contacts.append(contact)
        elif has_han(line):
            chinese_address.append(line)
        elif not in_address and len(line) <= 80 and not re.search(r"[\d,]", line):
            organisation = line  # "CDRF": the organisation of the contacts below it
        elif contacts or in_address:
            english_address.append(line)
        else:
            leftovers.append(line)
    _left_out(warnings, leftovers)
    if not contacts:
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
