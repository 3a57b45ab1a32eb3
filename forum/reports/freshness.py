"""Translation freshness, field by field.

For each translated field we remember the pair of texts (English, Chinese) that were last
known to match: `Report.translation_sync = {"body": {<suffix>: "...", …}}`.
A language's text is *outdated* when the other language has changed since that pair was
recorded and it has not. When both sides have changed (a translator updated the
counterpart) the current pair becomes the new sync point. Storing the source text of the
sync point, rather than timestamps, is what lets translators see exactly what changed.
"""

import difflib
import html
import re
from dataclasses import dataclass

from django.utils.html import strip_tags

from forum.core import languages
from forum.core.scripts import HAN

# The fields whose translations must keep up with each other (slugs need not).
TRACKED_FIELDS = ("headline", "summary", "body", "hero_image_alt")
# The fields a language's page needs when the other language has them: what translators
# are asked for (a slug too, so that the page has an address).
TRANSLATED_FIELDS = ("headline", "slug", "summary", "body", "hero_image_alt")

# Where one paragraph of rich text ends and the next begins: split there *before* removing
# the tags, or "lenders.</p><p>Participants" reads "lenders.Participants".
_BLOCK_BOUNDARY = re.compile(
    r"</?(?:p|h[1-6]|li|ul|ol|blockquote|div|pre|table|tr|td|th)\b[^>]*>|<br\s*/?>",
    re.IGNORECASE,
)
# Words of Latin text, single characters of Chinese text, and the spaces between.
_TOKENS = re.compile(rf"[{HAN}]|[^\s{HAN}]+|\s+")


def paragraphs(text):
    """The paragraphs of a text (rich or plain) as plain text, without empty ones."""
    pieces = _BLOCK_BOUNDARY.split(text or "")
    pieces = [line for piece in pieces for line in piece.split("\n")]
    cleaned = (" ".join(html.unescape(strip_tags(piece)).split()) for piece in pieces)
    return [piece for piece in cleaned if piece]


def word_diff(before, after):
    """[(kind, text)] with kind "same", "removed" or "added": words of Latin text, single
    characters of Chinese, so that one changed character shows as one."""
    old, new = _TOKENS.findall(before), _TOKENS.findall(after)
    parts = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(("same", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("removed", "".join(old[i1:i2])))
        if j2 > j1:
            parts.append(("added", "".join(new[j1:j2])))
    return parts


@dataclass(frozen=True)
class ParagraphChange:
    kind: str  # "added", "removed" or "changed"
    text: str  # the paragraph as it is now ("removed": as it was)
    words: tuple = ()  # for "changed": word_diff of the paragraph


def paragraph_diff(before, after):
    """[ParagraphChange] from one text to another, paragraph by paragraph: whole paragraphs
    added or removed, and the words changed within a paragraph that was edited."""
    old, new = paragraphs(before), paragraphs(after)
    changes = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        # An edited paragraph pairs with its old self; what is left over was added or cut,
        # and so was a paragraph that shares too little with the one in its place.
        paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for offset in range(paired):
            was, now = old[i1 + offset], new[j1 + offset]
            words = word_diff(was, now)
            kept = sum(len(text) for kind, text in words if kind == "same")
            if kept * 2 >= min(len(was), len(now)):
                changes.append(ParagraphChange("changed", now, tuple(words)))
            else:
                changes += [ParagraphChange("removed", was), ParagraphChange("added", now)]
        changes.extend(ParagraphChange("removed", text) for text in old[i1 + paired : i2])
        changes.extend(ParagraphChange("added", text) for text in new[j1 + paired : j2])
    return changes


@dataclass(frozen=True)
class OutdatedField:
    field: str
    language_code: str  # the language whose text is out of date
    source_language_code: str
    source_before: str  # the source text the translation was made from
    source_now: str

    @property
    def column(self):
        return languages.column(self.field, self.language_code)

    kind = "outdated"

    def source_diff(self):
        """A line diff of the source language's paragraphs (tags removed): "-" and "+"
        lines, with one line of context."""
        before, now = paragraphs(self.source_before), paragraphs(self.source_now)
        return list(difflib.unified_diff(before, now, lineterm="", n=1))[2:]

    def paragraph_diff(self):
        return paragraph_diff(self.source_before, self.source_now)


@dataclass(frozen=True)
class MissingField:
    """A field the other language has and this one lacks: a translation not yet made."""

    field: str
    language_code: str  # the language without the text
    source_language_code: str
    source_now: str
    kind = "missing"

    @property
    def column(self):
        return languages.column(self.field, self.language_code)


def _other(language_code):
    return next(code for code in languages.EDITED if code != language_code)


def _values(values, field):
    return {
        languages.suffix(code): values.get(languages.column(field, code)) or ""
        for code in languages.EDITED
    }


def updated_sync(sync, before, after):
    """The sync record after a save that changed `before` into `after` ({column: text}).

    A field with no record yet takes its previous pair as the sync point when both
    languages were filled (reports loaded or created before any tracking), otherwise the
    new pair once both languages exist.
    """
    sync = dict(sync or {})
    for field in TRACKED_FIELDS:
        recorded = sync.get(field)
        if recorded is None:
            previous = _values(before, field)
            if not all(previous.values()):
                current = _values(after, field)
                if all(current.values()):
                    sync[field] = current
                continue
            recorded = sync[field] = previous
        current = _values(after, field)
        if not all(current.values()):
            # A text emptied is not a change of its counterpart, and whatever is written
            # there next translates the other language as it is then: a new sync point
            # once both languages are filled again.
            del sync[field]
        elif all(current[key] != recorded.get(key, "") for key in current):
            sync[field] = current
    return sync


def outdated_fields(sync, values):
    """[OutdatedField] for the working texts `values` against the sync record."""
    outdated = []
    for field in TRACKED_FIELDS:
        recorded = (sync or {}).get(field)
        if recorded is None:
            continue
        current = _values(values, field)
        if not all(current.values()) or not all(recorded.get(key) for key in current):
            continue  # an empty text is missing, not outdated (missing_fields)
        for code in languages.EDITED:
            own, other = languages.suffix(code), languages.suffix(_other(code))
            if current[other] != recorded.get(other, "") and current[own] == recorded.get(own, ""):
                outdated.append(
                    OutdatedField(
                        field, code, _other(code), recorded.get(other, ""), current[other]
                    )
                )
    return outdated


def accept_as_current(sync, values, field):
    """An editor's override: treat the current pair of texts as matching."""
    sync = dict(sync or {})
    sync[field] = _values(values, field)
    return sync


def outdated_translations(report):
    """[OutdatedField] of the report's working content (what translators have to update)."""
    return outdated_fields(report.translation_sync, report.working_values())


def record_sync(report, sync):
    """Gives the (unsaved) report a new sync record and the outdated flag derived from it,
    which admin lists and the translation queue filter on: every path that changes the
    sync record (a save, an editor's override) goes through here, so the two never
    disagree. Call it once the report's working values are in place."""
    report.translation_sync = sync
    report.translations_outdated = bool(outdated_translations(report))


def missing_fields(values, codes=None):
    """[MissingField] for the working texts `values`: fields empty in a language of `codes`
    (default: every edited language) while another language has them."""
    missing = []
    for field in TRANSLATED_FIELDS:
        current = {
            code: (values.get(languages.column(field, code)) or "").strip()
            for code in languages.EDITED
        }
        for code in codes or languages.EDITED:
            source = next((other for other in languages.EDITED if current[other]), None)
            if not current[code] and source:
                missing.append(MissingField(field, code, source, current[source]))
    return missing


def translation_tasks(report, codes=None):
    """What translators have to do on a report, field by field: [MissingField | OutdatedField]
    in the languages `codes` (default: those the report is published in)."""
    codes = codes or ([report.single_language] if report.single_language else languages.EDITED)
    values = report.working_values()
    tasks = missing_fields(values, codes) + [
        item
        for item in outdated_fields(report.translation_sync, values)
        if item.language_code in codes
    ]
    order = {field: index for index, field in enumerate(TRANSLATED_FIELDS)}
    return sorted(tasks, key=lambda task: (order[task.field], codes.index(task.language_code)))
