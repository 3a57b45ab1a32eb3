"""Publishing the programme: editions, sessions, speeches and people have a simple
published switch, which only editors flip (translators change these items' texts, not
whether the public sees them). The admin's list actions and change forms call these
functions; each checks the permission itself, so no caller can skip it."""

from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext

from forum.core.roles import is_editor
from forum.models import trash


def may_publish(user):
    """Whether `user` may publish or unpublish editions, sessions, speeches and people."""
    return is_editor(user)


@transaction.atomic
def programme_item_publish(*, item, user):
    """Puts an edition, session, speech or person on the public site.

    Side effects: saves `is_published` (and `updated_at`, which the page cache follows)
    and records the change in the item's admin history, as its change form does. An item
    already published is left as it is. Raises PermissionDenied for anyone but editors.
    """
    return _switch(item=item, user=user, published=True)


@transaction.atomic
def programme_item_unpublish(*, item, user):
    """Takes an edition, session, speech or person off the public site; the side effects
    and the refusal of programme_item_publish."""
    return _switch(item=item, user=user, published=False)


def _switch(*, item, user, published):
    if not may_publish(user):
        raise PermissionDenied(
            gettext(
                "Only editors can publish or unpublish editions, sessions, speeches and people."
            )
        )
    current = type(item)._default_manager.select_for_update().get(pk=item.pk)
    item.is_published = published
    if current.is_published == published:
        return item
    current.is_published = published
    current.save(update_fields=["is_published", "updated_at"])
    with translation.override(None):
        # Stored untranslated, as Django's change form stores it: read in each reader's language.
        label = str(capfirst(current._meta.get_field("is_published").verbose_name))
    LogEntry.objects.log_actions(
        user.pk,
        [current],
        CHANGE,
        change_message=[{"changed": {"fields": [label]}}],
        single_object=True,
    )
    return item


@transaction.atomic
def programme_item_trash(*, item, user):
    """Moves an edition, session or person to the trash (forum/models/trash.py): off the
    public site, with whatever is public only through it, until it is restored or purged.

    Side effects: those of forum.models.trash.move_to_trash. Raises PermissionDenied for
    anyone but editors (who publish and unpublish these items).
    """
    _check_trash_right(user)
    return trash.move_to_trash(item, user=user)


@transaction.atomic
def programme_item_restore_from_trash(*, item, user):
    """Restores an edition, session or person from the trash, as it was; the side effects
    and the refusal of programme_item_trash."""
    _check_trash_right(user)
    return trash.take_out_of_trash(item, user=user)


def _check_trash_right(user):
    if not may_publish(user):
        raise PermissionDenied(
            gettext("Only editors can move editions, sessions and people to the trash or back.")
        )
