"""Revision comments are stored once and read in each reader's language."""

from django.utils import translation
from django.utils.translation import gettext_noop

from forum.core import revision_notes


def test_a_note_reads_in_the_readers_language():
    stored = revision_notes.note(gettext_noop("Reject"), comment="Needs a source.")
    with translation.override("en"):
        assert revision_notes.readable(stored) == "Reject: Needs a source."
    with translation.override("zh-hans"):
        assert revision_notes.readable(stored) == "退回: Needs a source."


def test_values_are_filled_after_translation_and_msgid_values_translated():
    stored = revision_notes.note(
        (
            gettext_noop("%(field)s: %(old)s → %(new)s"),
            {
                "field": revision_notes.msgid("mobile"),
                "old": revision_notes.msgid("yes"),
                "new": "—",
            },
        )
    )
    with translation.override("en"):
        assert revision_notes.readable(stored) == "Mobile: yes → —"
    with translation.override("zh-hans"):
        assert "Mobile" not in revision_notes.readable(stored)


def test_plain_text_and_admin_log_messages_still_read():
    assert revision_notes.readable("Saved by hand") == "Saved by hand"
    assert revision_notes.readable("") == ""
    with translation.override("en"):
        logged = revision_notes.readable('[{"changed": {"fields": ["Name"]}}]')
    assert logged == "Changed Name."
