from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportedRecord(models.Model):
    """Remembers which row a data file created, and what it held when loaded.

    Loaders use it to stay idempotent and to leave alone rows an editor has changed
    since: a row whose values no longer match `row_checksum` is the editor's.
    """

    source = models.CharField(_("source"), max_length=100)
    key = models.CharField(_("key"), max_length=100)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    # What the data file said, and what the row held right after loading it.
    source_checksum = models.CharField(_("source checksum"), max_length=64)
    row_checksum = models.CharField(_("row checksum"), max_length=64)
    loaded_at = models.DateTimeField(_("loaded"), auto_now=True)

    class Meta:
        ordering = ("source", "key")
        verbose_name = _("imported record")
        verbose_name_plural = _("imported records")
        constraints = [
            models.UniqueConstraint(fields=("source", "key"), name="imported_record_unique_key")
        ]

    def __str__(self):
        return f"{self.source}:{self.key}"
