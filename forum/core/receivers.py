"""Image renditions follow each save (forum/core/images.py): made when an image is saved,
so that the first reader of a page does not wait for them, in the folder its owner's
state calls for and removed from the other one (a report published, withdrawn or
scheduled, a person unpublished); a replaced image's and a deleted owner's are dropped,
and a deleted person's or organisation's upload with them (a report's revisions may
bring it back, so its upload stays).

All of it once the transaction commits: a rolled-back publication leaves nothing public,
and an image that is still shown but whose renditions are gone is rendered again.
"""

import logging
from functools import partial

import reversion
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save

from forum.core import images

logger = logging.getLogger(__name__)


def _remember_image(sender, instance, raw=False, **kwargs):
    """The stored name before the save, to drop the renditions of a replaced image."""
    if raw or instance.pk is None:
        return
    field = images.IMAGE_FIELDS[sender._meta.label].field
    rows = sender._base_manager.filter(pk=instance.pk).values_list(field, flat=True)
    instance._image_before_save = rows.first() or ""


def _follow(name, before, kind, public):
    if before and before != name:
        images.discard(before, kind)
    if not name:
        return
    images.discard(name, kind, public=not public)
    try:
        images.renditions_of(name, kind, public=public)
    except images.RenditionError as error:
        # The page shows no image until a readable one is uploaded; the save stands.
        logger.warning("No renditions for %s: %s", name, error)


def _on_save(sender, instance, raw=False, **kwargs):
    if raw:
        return
    field, kind, _public_when = images.IMAGE_FIELDS[sender._meta.label]
    name = getattr(instance, field).name or ""
    before = getattr(instance, "_image_before_save", "")
    public = images.owner_is_public(instance)
    transaction.on_commit(partial(_follow, name, before, kind, public), robust=True)


def _forget(name, kind, *, upload):
    images.discard(name, kind)
    if upload:
        default_storage.delete(name)


def _on_delete(sender, instance, **kwargs):
    field, kind, _public_when = images.IMAGE_FIELDS[sender._meta.label]
    name = getattr(instance, field).name
    if name:
        # The upload goes too, unless revisions may bring the row back (reports).
        upload = not reversion.is_registered(sender)
        transaction.on_commit(partial(_forget, name, kind, upload=upload), robust=True)


def connect():
    """Called from ForumConfig.ready()."""
    for label in images.IMAGE_FIELDS:
        uid = f"renditions-{label}"
        pre_save.connect(_remember_image, sender=label, dispatch_uid=f"{uid}-before")
        post_save.connect(_on_save, sender=label, dispatch_uid=uid)
        post_delete.connect(_on_delete, sender=label, dispatch_uid=f"{uid}-delete")
