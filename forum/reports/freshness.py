"""Translation freshness, field by field.

For each translated field we remember the pair of texts (English, Chinese) that were last
known to match: `Report.translation_sync = {"body": {<suffix>: "...", …}}`.
A language's text is *outdated* when the other language has changed since that pair was
recorded and it has not. When both sides have changed (a translator updated the
counterpart) the current pair becomes the new sync point. Storing the source text of the
sync point, rather than timestamps, is what lets translators see exactly what changed.
"""

import difflib
from dataclasses import dataclass

from django.utils.html import strip_tags

from forum.core import languages

# The fields whose translations must keep up with each other (slugs need not).
TRACKED_FIELDS = ("headline", "summary", "body", "hero_image_alt")


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

    def source_diff(self):
        """A line diff of the source language's text (tags removed), for translators."""
        before = strip_tags(self.source_before).replace("</p>", "\n").splitlines()
        now = strip_tags(self.source_now).replace("</p>", "\n").splitlines()
        return list(difflib.unified_diff(before, now, lineterm="", n=1))[2:]


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
        if all(current[key] != recorded.get(key, "") for key in current):
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
