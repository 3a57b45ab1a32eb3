"""The trash: deleting a report, edition, session, person or media contact in the admin
moves it here instead of deleting it, so that a mistake can be undone.

An item in the trash keeps everything it had: its parts (a session's speeches, a report's
credits), its links (a report's speeches and contacts, a session's edition), its workflow
history and its revisions. forum/models/public.py keeps it off every public page, feed,
sitemap, search result, API list and vCard, as if it had been unpublished, and with it
whatever is public only through it (a trashed edition's sessions, a trashed session's
speeches, a trashed person's speeches and roles). Restoring puts it back as it was.

Only `purge()` (the purge_trash command) deletes for good, once an item has been in the
trash longer than RETENTION; its workflow history and revisions go with it then.

The capabilities' services (programme, reports workflow, press) decide who may move what
to the trash and back; these functions do it.
"""

from datetime import timedelta
from typing import NamedTuple

import reversion
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from reversion.models import Version

from .fields import user_link

RETENTION = timedelta(days=30)


class TrashableModel(models.Model):
    trash_retention = RETENTION  # read by the admin (forum/core/admin.py TrashMixin)

    deleted_at = models.DateTimeField(
        _("moved to the trash"), null=True, blank=True, editable=False, db_index=True
    )
    deleted_by = user_link(_("moved to the trash by"), blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def in_trash(self):
        return self.deleted_at is not None

    @property
    def purged_after(self):
        """When purge_trash may delete this item for good (None outside the trash)."""
        return self.deleted_at + RETENTION if self.deleted_at else None


class TrashQuerySet(models.QuerySet):
    """Mixed into the querysets of the models with a trash."""

    def in_trash(self):
        return self.filter(deleted_at__isnull=False)

    def outside_trash(self):
        return self.filter(deleted_at__isnull=True)


def move_to_trash(item, *, user):
    """Puts `item` in the trash (an item already there is left as it is).

    Returns the item as stored. Side effects: saves `deleted_at`, `deleted_by` and
    `updated_at` (the page cache and the search index follow the save as they follow
    unpublishing) and records the step in the item's admin history. The caller checks the
    user's right.
    """
    item = _locked(item)
    if item.in_trash:
        return item
    item.deleted_at, item.deleted_by = timezone.now(), user
    item.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    _log(item, user, gettext_noop("Moved to the trash."))
    return item


def take_out_of_trash(item, *, user):
    """Restores `item` from the trash as it was, with its parts, links, history and
    revisions (nothing of them was removed). Side effects as move_to_trash()."""
    item = _locked(item)
    if not item.in_trash:
        return item
    item.deleted_at, item.deleted_by = None, None
    item.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    _log(item, user, gettext_noop("Restored from the trash."))
    return item


def _locked(item):
    # The row as stored (the admin may hand over a report with its working copy applied).
    return type(item)._default_manager.select_for_update().get(pk=item.pk)


def _log(item, user, message):
    with translation.override(None):
        # Stored untranslated, as Django stores its own messages: read in each reader's language.
        LogEntry.objects.log_actions(
            user.pk, [item], CHANGE, change_message=message, single_object=True
        )


def trashable_models():
    """The models with a trash, in the order purge() deletes them: an item's dependants
    (a report of a session, a session of an edition) before the items they need."""
    from django.apps import apps

    return [
        apps.get_model("forum", name)
        for name in ("Report", "Session", "Edition", "MediaContact", "Person")
    ]


class Entry(NamedTuple):
    model: str  # "forum.Report"
    pk: int
    label: str


def purge(*, older_than=RETENTION, dry_run=False):
    """Deletes for good what has been in the trash longer than `older_than`, with its parts,
    its workflow history (cascades) and its revisions.

    Returns (purged, kept): lists of Entry, read before the deletion. An item that
    something outside the trash still needs (an edition whose session was restored, a
    person credited on a live report) is kept, and purged by a later run once nothing
    needs it. With dry_run, nothing is deleted and `purged` lists what would be (without
    asking what is still needed).
    """
    cutoff = timezone.now() - older_than
    purged, kept = [], []
    for model in trashable_models():
        for item in model._default_manager.filter(deleted_at__lt=cutoff).order_by("pk"):
            entry = Entry(model._meta.label, item.pk, str(item))
            if dry_run:
                purged.append(entry)
                continue
            try:
                with transaction.atomic():
                    _delete_for_good(item)
            except ProtectedError:
                kept.append(entry)
            else:
                purged.append(entry)
    return purged, kept


def _delete_for_good(item):
    # Revisions of the item and of its parts that are kept with it (a report's credits).
    parts = list(item.credits.all()) if item._meta.label == "forum.Report" else []
    for obj in (item, *parts):
        if reversion.is_registered(type(obj)):  # editions, sessions and people have none
            Version.objects.get_for_object(obj).delete()
    item.delete()
