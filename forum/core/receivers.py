"""Image renditions are made when an image is saved, so that the first reader of a page
does not wait for them (forum/core/images.py)."""

import logging

from django.db.models.signals import post_save

from forum.core.images import IMAGE_FIELDS, RenditionError, renditions

logger = logging.getLogger(__name__)


def _make_on_save(sender, instance, raw=False, **kwargs):
    if raw:
        return
    field_name, kind = IMAGE_FIELDS[sender._meta.label]
    field_file = getattr(instance, field_name)
    if not field_file:
        return
    try:
        renditions(field_file, kind)
    except RenditionError as error:
        # The page falls back to the original file; the save itself must not fail.
        logger.warning("No renditions for %s: %s", field_file.name, error)


def connect():
    """Called from ForumConfig.ready()."""
    for label in IMAGE_FIELDS:
        post_save.connect(_make_on_save, sender=label, dispatch_uid=f"renditions-{label}")
