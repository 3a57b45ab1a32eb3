"""Revision comments written once and read in each reader's language.

A revision's comment is stored when something is saved, in whatever language the person
saving uses; the history is read later by people using the other language. So the desk
stores what happened as message ids with their values (JSON) and translates when the
history is shown. A person's own words (a rejection's reason) are kept as written.
Comments stored as plain text (older revisions) are shown as they are.
"""

import json

from django.contrib.admin.models import LogEntry
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext


def note(*messages, comment="", change_message=""):
    """The comment to store. `messages` are msgids (mark them with gettext_noop) or
    (msgid, {values}) pairs; `comment` is a person's own words; `change_message` is a
    Django admin log entry's change message (JSON), translated as the admin's history does."""
    parts = [[message, {}] if isinstance(message, str) else list(message) for message in messages]
    return json.dumps(
        {"notes": parts, "log": change_message, "comment": comment}, ensure_ascii=False
    )


def msgid(text):
    """A value to be translated when read (a field's verbose name, "yes"): its msgid."""
    with translation.override(None):
        return {"msgid": str(text)}


def _value(value):
    return gettext(value["msgid"]) if isinstance(value, dict) and "msgid" in value else value


def _decoded(stored):
    if not stored or not stored.startswith("{"):
        return None
    try:
        data = json.loads(stored)
    except ValueError:
        return None
    return data if isinstance(data, dict) and "notes" in data else None


def readable(stored):
    """The stored comment in the active language."""
    data = _decoded(stored)
    if data is None:
        return LogEntry(change_message=stored or "").get_change_message()
    pieces = []
    for message, values in data.get("notes") or []:
        text = gettext(message)
        if values:
            text = text % {key: _value(value) for key, value in values.items()}
        pieces.append(capfirst(text))
    if data.get("log"):
        pieces.append(LogEntry(change_message=data["log"]).get_change_message())
    text = " ".join(piece for piece in pieces if piece)
    if comment := (data.get("comment") or "").strip():
        return f"{text}: {comment}" if text else comment
    return text
