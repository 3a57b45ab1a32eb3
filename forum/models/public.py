"""Public now: the one place that decides what the public may see, for every kind of item.

Each kind has a rule: its own switch (an editor's "published" tick; a report's status),
for reports a publication time that must have come, and the items it belongs to that must
be public too (a session's edition; a speech's session and speaker); an item in the trash
(forum/models/trash.py) is never public. From that one table
come both forms every other module asks:

- `condition(model)`: a Q for querysets (`published()`, `public()`), pages, feeds,
  sitemaps, search, the API, the page cache and the admin's filters;
- `is_public(obj)`: the same answer for one item already in hand (a byline link, JSON-LD,
  an image's folder).
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from .choices import ReportStatus


@dataclass(frozen=True)
class Rule:
    switch: dict  # {field: the value that makes the item public}
    publication_time: str = ""  # the field whose time must have come (empty: none)
    belongs_to: tuple = ()  # the foreign keys whose items must be public too
    # Has a trash (forum/models/trash.py): an item in it is never public, whatever its
    # switch, as if unpublished.
    trashable: bool = False


RULES = {
    "forum.Edition": Rule(switch={"is_published": True}, trashable=True),
    "forum.Person": Rule(switch={"is_published": True}, trashable=True),
    "forum.Session": Rule(switch={"is_published": True}, belongs_to=("edition",), trashable=True),
    # A speech by someone whose page is not public is left out everywhere, name and all.
    "forum.Speech": Rule(switch={"is_published": True}, belongs_to=("session", "speaker")),
    # A person's role at a session is seen with the person's page and the session's.
    "forum.SessionRole": Rule(switch={}, belongs_to=("session", "person")),
    "forum.Report": Rule(
        switch={"status": ReportStatus.PUBLISHED},
        publication_time="published_at",
        trashable=True,
    ),
    # Media contacts have no publication time: listed while public and still active.
    "forum.MediaContact": Rule(switch={"is_public": True, "is_active": True}, trashable=True),
}


def now():
    """The clock every "public now" question reads."""
    return timezone.now()


def _rule(model):
    return RULES[model._meta.label]


def released(model, prefix=""):
    """Q: switched on, with a publication time set (whether or not it has come)."""
    rule = _rule(model)
    wanted = Q(**{f"{prefix}{field}": value for field, value in rule.switch.items()})
    if rule.trashable:
        wanted &= Q(**{f"{prefix}deleted_at__isnull": True})
    if rule.publication_time:
        wanted &= Q(**{f"{prefix}{rule.publication_time}__isnull": False})
    for link in rule.belongs_to:
        parent = model._meta.get_field(link).related_model
        wanted &= condition(parent, f"{prefix}{link}__")
    return wanted


def condition(model, prefix=""):
    """Q: what the public may see now. `prefix` reaches the item through a relation
    ("session__" from a speech)."""
    rule = _rule(model)
    public = released(model, prefix)
    if rule.publication_time:
        public &= Q(**{f"{prefix}{rule.publication_time}__lte": now()})
    return public


def scheduled(model, prefix=""):
    """Q: released for a time still to come (only items with a publication time)."""
    rule = _rule(model)
    if not rule.publication_time:
        return Q(pk__in=[])
    return released(model, prefix) & Q(**{f"{prefix}{rule.publication_time}__gt": now()})


def is_released(obj):
    """The instance form of released()."""
    rule = _rule(type(obj))
    if any(getattr(obj, field) != value for field, value in rule.switch.items()):
        return False
    if rule.trashable and obj.deleted_at is not None:
        return False
    if rule.publication_time and getattr(obj, rule.publication_time) is None:
        return False
    return all(is_public(getattr(obj, link)) for link in rule.belongs_to)


def is_public(obj):
    """The instance form of condition(): may the public see this item now?"""
    rule = _rule(type(obj))
    if not is_released(obj):
        return False
    return not rule.publication_time or getattr(obj, rule.publication_time) <= now()


def is_scheduled(obj):
    """The instance form of scheduled()."""
    rule = _rule(type(obj))
    return (
        bool(rule.publication_time)
        and is_released(obj)
        and getattr(obj, rule.publication_time) > now()
    )
