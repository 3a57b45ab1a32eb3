"""The three-way merge of a report saved over a newer version than the one its editor
loaded. Plain functions over plain data: each side is a dict of values per key (a content
column such as the English headline, a link such as "edition", a role's credits such as
"authors"), as workflow.current_values and the report form hold them.

For each field the editor could change, against the values of the loaded version (the
original):
- mine and theirs agree: nothing to merge;
- only they changed it (mine is the original): theirs is kept;
- only I changed it (theirs is the original): mine is applied;
- both changed it: a conflict, until the editor chooses mine or theirs, a choice made
  against exactly the values theirs holds now (the form tracks which version it saw).
Without the original (the history lacks the loaded version), every difference is a
conflict: nothing says who changed what.
"""

from dataclasses import dataclass, field

from forum.models import Report
from forum.models.reports import content_columns

MINE, THEIRS = "mine", "theirs"
CHOICES = (MINE, THEIRS)
CONFLICT = "conflict"
# The original value of a field, when the history does not have the loaded version.
UNKNOWN = object()


class Upload(str):
    """My newly uploaded image (its file name): never equal to a stored file's name."""


def same(key, first, second):
    """Whether two values of a field say the same: empty text and no value agree, and two
    bodies agree when they are the same once sanitised (as the page shows them)."""
    if isinstance(first, Upload) or isinstance(second, Upload):
        return False
    if key.startswith("body_") and key in content_columns():
        sanitize = Report._meta.get_field("body").sanitize
        return sanitize(first or "") == sanitize(second or "")
    if isinstance(first, str) or isinstance(second, str) or first is None or second is None:
        return (first or "") == (second or "")
    return first == second


def field_outcome(key, *, original, mine, theirs):
    """Whose value a field keeps: MINE (the sides agree, or only I changed it), THEIRS
    (only they changed it) or CONFLICT (both changed it, or the original is UNKNOWN)."""
    if same(key, mine, theirs):
        return MINE
    if original is UNKNOWN:
        return CONFLICT
    if same(key, mine, original):
        return THEIRS
    if same(key, theirs, original):
        return MINE
    return CONFLICT


@dataclass
class Merged:
    """What a merge decided: the keys that take their value, and the keys both changed
    that wait for a choice (in the order of `mine`). Every other key keeps mine."""

    theirs: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)


def three_way(*, original, mine, theirs, choices=None):
    """Merges `mine` (the fields I could change, as I submitted them) with `theirs` (every
    field as saved now) against `original` (the loaded version's values, or None when the
    history lacks it). `choices` ({key: MINE or THEIRS}) settle conflicts; anything else
    in it is ignored."""
    choices = choices or {}
    merged = Merged()
    for key, value in mine.items():
        base = UNKNOWN if original is None else original.get(key)
        outcome = field_outcome(key, original=base, mine=value, theirs=theirs[key])
        if outcome == CONFLICT and choices.get(key) in CHOICES:
            outcome = choices[key]
        if outcome == THEIRS:
            merged.theirs.append(key)
        elif outcome == CONFLICT:
            merged.conflicts.append(key)
    return merged
