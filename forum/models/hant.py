"""Editors' word on converted text (forum/hant/): site-wide terms and per-field overrides.

A derived language's text (Traditional Chinese) is converted from its source language's
text on every save; these tables hold what an editor corrected. A field override keeps
the source text it was written for, as translation freshness keeps sync points
(forum/reports/freshness.py): when the source text changes, the override is outdated and
the admin says so, while the page keeps the editor's text until they revise or remove it.
"""

import copy

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from forum.core import languages

from .common import TimeStampedModel


def _derived_choices():
    return [(code, languages.get(code).name) for code in languages.DERIVED]


def _first_derived():
    return next(iter(languages.DERIVED), "")


class TermOverride(TimeStampedModel):
    """A term converted the editors' way everywhere: a person's or an institution's name."""

    language = models.CharField(
        _("language"), max_length=10, choices=_derived_choices(), default=_first_derived
    )
    source = models.CharField(
        _("term as written"),
        max_length=200,
        help_text=_("As it appears in the text it is converted from (Simplified Chinese)."),
    )
    text = models.CharField(
        _("converted term"),
        max_length=200,
        help_text=_("How the term reads after conversion, wherever it occurs."),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ("language", "source")
        verbose_name = _("term override")
        verbose_name_plural = _("term overrides")
        constraints = [
            models.UniqueConstraint(
                fields=("language", "source"),
                name="term_override_unique",
                violation_error_message=_("This term already has an override."),
            )
        ]

    def __str__(self):
        return f"{self.source} → {self.text}"


class TraditionalOverrideQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
        )


class TraditionalOverride(TimeStampedModel):
    """An editor's text for one field of one item in a derived language, instead of the
    converted text."""

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of item"), on_delete=models.CASCADE
    )
    object_id = models.PositiveBigIntegerField(_("item"))
    item = GenericForeignKey("content_type", "object_id")
    field = models.CharField(_("field"), max_length=60)
    language = models.CharField(
        _("language"), max_length=10, choices=_derived_choices(), default=_first_derived
    )
    text = models.TextField(_("text"), blank=True)
    # The source language's text the override was written for: its sync point.
    source_text = models.TextField(_("source text when overridden"), blank=True, editable=False)
    # Kept in step with the item's source text by forum/hant/services.py, so lists filter on it.
    outdated = models.BooleanField(_("outdated"), default=False, db_index=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last saved by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TraditionalOverrideQuerySet.as_manager()

    class Meta:
        ordering = ("content_type", "object_id", "field")
        verbose_name = _("field override")
        verbose_name_plural = _("field overrides")
        constraints = [
            models.UniqueConstraint(
                fields=("content_type", "object_id", "field", "language"),
                name="traditional_override_unique",
                violation_error_message=_("This field already has an override."),
            )
        ]

    def __str__(self):
        return f"{self.content_type.name} #{self.object_id}: {self.field}"

    @property
    def source_language(self):
        return languages.origin(self.language)

    def clean(self):
        """The text must be what the item's own column accepts, as if an editor typed it
        there: a slug a valid slug that no other item has, a title no longer than its
        column. Otherwise saving it fails, or the item's page has no address. Which field
        and item may be overridden at all is the form's to say (forum/hant/admin.py)."""
        item = self.item
        if item is None or not self.field or not self.language:
            return
        column = languages.column(self.field, self.language)
        try:
            model_field = item._meta.get_field(column)
        except FieldDoesNotExist:
            return
        try:
            value = model_field.clean(self.text, item)
            if model_field.unique and value in model_field.empty_values:
                raise ValidationError(
                    _("This field identifies the item (its address): it cannot be empty."),
                    code="required",
                )
            # A copy: the item itself keeps its current text until the override is saved.
            candidate = copy.copy(item)
            setattr(candidate, column, value)
            candidate.validate_unique(
                exclude=[field.name for field in item._meta.fields if field.name != column]
            )
        except ValidationError as error:
            raise ValidationError({"text": error.messages}) from error

    def current_source(self):
        """The source language's text of the field now ("" when the item is gone)."""
        item = self.item
        if item is None:
            return ""
        return getattr(item, languages.column(self.field, self.source_language)) or ""
