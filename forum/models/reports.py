import copy as copy_module

from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField

from forum.core import languages
from forum.core.richtext import RICH_TEXT_EXTENSIONS
from forum.core.uploads import ImageUploadField

from . import public
from .choices import CreditRole, ReportStatus
from .common import (
    PersonInRole,
    TimeStampedModel,
    TranslationCompleteness,
    once_per_role,
    translated_label,
)
from .fields import optional_link, part_of, required_link, user_link
from .trash import TrashableModel, TrashQuerySet

# Slugs are ASCII in both languages (pinyin for Chinese): non-Latin slugs break links
# in mail clients and chat apps.
ascii_slug = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    _(
        "Use lower-case ASCII letters, digits and hyphens (pinyin for Chinese), "
        "e.g. li-wenhai-keynote."
    ),
)


# The translated texts that make up a report's content (what the working copy holds).
CONTENT_FIELDS = ("headline", "summary", "body", "slug", "hero_image_alt")


def content_columns():
    return [languages.column(name, code) for name in CONTENT_FIELDS for code in languages.EDITED]


# What else a reader sees of a report. For a live report, changes to these wait in the
# working copy too, under these keys: links by id (None for none), the image by its stored
# file name, many-to-many links as sorted ids, credits as [[person id, role], …] in byline
# order. SCALAR_LINKS are the ones held in the report's own row.
LINKED_FIELDS = (
    "edition",
    "session",
    "publisher",
    "hero_image",
    "include_background",
    "speeches",
    "media_contacts",
    "credits",
)
SCALAR_LINKS = ("edition", "session", "publisher", "hero_image", "include_background")


class ReportQuerySet(TrashQuerySet):
    """What the public may see of reports, stated once; pages, feeds, sitemaps, search, the
    page cache, the API and the admin's filters all read these."""

    def released(self):
        """Published by an editor, now or at a scheduled time: pages will show them."""
        return self.filter(public.released(self.model))

    def published(self):
        """Public now: released and the publication time has come."""
        return self.filter(public.condition(self.model))

    def scheduled(self):
        """Released for a time still to come."""
        return self.filter(public.scheduled(self.model))

    def in_language(self, language_code=None):
        """Reports that have a version in the language (default: the active one)."""
        code = language_code or languages.active()
        # A report published in one language only is also read in the languages derived
        # from it (Simplified-only is Traditional too).
        return self.exclude(**{f"{languages.column('slug', code)}__isnull": True}).filter(
            models.Q(single_language="") | models.Q(single_language=languages.origin(code))
        )

    def public(self, language_code=None):
        """What a reader of the language may see now: published and in that language."""
        return self.published().in_language(language_code)


class Report(TranslationCompleteness, TrashableModel, TimeStampedModel):
    """The article about a speech or session, published in English and Chinese."""

    Status = ReportStatus

    edition = required_link("forum.Edition", _("edition"), related_name="reports")
    session = optional_link("forum.Session", _("session"), related_name="reports")
    speeches = models.ManyToManyField(
        "forum.Speech", verbose_name=_("speeches"), related_name="reports", blank=True
    )
    headline = models.CharField(_("headline"), max_length=255)
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("The standfirst under the headline.")
    )
    body = ProseEditorField(_("body"), blank=True, extensions=RICH_TEXT_EXTENSIONS, sanitize=True)
    slug = models.CharField(
        _("slug"),
        max_length=120,
        unique=True,
        validators=[ascii_slug],
        help_text=_("ASCII in both languages; pinyin for Chinese."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        _("publication date"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("A future date schedules the publication."),
    )
    publisher = optional_link(
        "forum.Organisation", _("publisher"), related_name="published_reports"
    )
    hero_image = ImageUploadField(_("image"), upload_to="reports/", blank=True)
    hero_image_alt = models.CharField(
        _("image description"),
        max_length=255,
        blank=True,
        help_text=_("Describes the image for readers who cannot see it."),
    )
    include_background = models.BooleanField(
        _("show background information"),
        default=True,
        help_text=_("Prints the forum's background text under the report."),
    )
    media_contacts = models.ManyToManyField(
        "forum.MediaContact", verbose_name=_("media contacts"), related_name="reports", blank=True
    )
    # Set by forum.reports.workflow when a report is created and saved.
    created_by = user_link(_("created by"), blank=True, editable=False)
    updated_by = user_link(_("last saved by"), blank=True, editable=False)
    # --- Workflow (see forum/reports/workflow.py) ---
    original_language = models.CharField(
        _("original language"),
        max_length=10,
        choices=languages.EDITED_CHOICES,
        default=languages.DEFAULT,
        help_text=_("Translators work on the other language."),
    )
    single_language = models.CharField(
        _("published in one language only"),
        max_length=10,
        choices=languages.EDITED_CHOICES,
        blank=True,
        editable=False,
        help_text=_("Set by an editor; the other language's page then points to this one."),
    )
    pending_changes = models.JSONField(
        _("working copy"),
        default=dict,
        blank=True,
        editable=False,
        # Also holds the links a reader sees (LINKED_FIELDS), under their names.
        help_text=_("Changes to a published report, waiting for review: {column: text}."),
    )
    pending_status = models.CharField(
        _("working copy status"), max_length=20, choices=Status.choices, blank=True, editable=False
    )
    translation_sync = models.JSONField(
        _("translation sync points"), default=dict, blank=True, editable=False
    )
    # Kept in step with translation_sync by forum.reports.freshness.record_sync(), so lists
    # can filter on it.
    translations_outdated = models.BooleanField(
        _("translation outdated"), default=False, db_index=True, editable=False
    )
    published_byline = models.JSONField(
        _("byline as published"), default=list, blank=True, editable=False
    )
    live_updated_at = models.DateTimeField(
        _("public text last changed"), null=True, blank=True, editable=False
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ReportQuerySet.as_manager()
    required_translations = ("headline", "summary", "body", "slug")

    class Meta:
        ordering = ("-published_at", "-pk")
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self):
        return translated_label(self, "headline")

    def save(self, *args, **kwargs):
        # Sanitise on every save, whatever the path (admin, loader, services), and the
        # working copy too: previews show it and publishing copies it to the live text.
        sanitize = self._meta.get_field("body").sanitize
        for language_code in languages.CODES:
            column = languages.column("body", language_code)
            setattr(self, column, sanitize(getattr(self, column) or ""))
            if column in (self.pending_changes or {}):
                self.pending_changes[column] = sanitize(self.pending_changes[column] or "")
        super().save(*args, **kwargs)

    def missing_translations(self, language_code):
        missing = super().missing_translations(language_code)
        if self.hero_image and not getattr(self, languages.column("hero_image_alt", language_code)):
            missing.append("hero_image_alt")
        return missing

    def get_absolute_url(self):
        return reverse("forum:report-detail", kwargs={"slug": self.slug})

    # The instance forms of ReportQuerySet's rules, for one report already in hand.
    @property
    def is_released(self):
        return public.is_released(self)

    @property
    def is_public(self):
        return public.is_public(self)

    @property
    def is_scheduled(self):
        return public.is_scheduled(self)

    def working_values(self):
        """The texts being edited: live columns overlaid with the working copy."""
        values = {column: getattr(self, column) for column in content_columns()}
        values.update(
            {key: value for key, value in (self.pending_changes or {}).items() if key in values}
        )
        return values

    def apply_working_copy(self):
        """Puts the working copy's texts and row links on this (unsaved) instance, e.g. to
        edit it; relations (speeches, contacts, credits) stay as they are."""
        columns = set(content_columns())
        for key, value in (self.pending_changes or {}).items():
            if key in columns or key in ("hero_image", "include_background"):
                setattr(self, key, value)
            elif key in SCALAR_LINKS:
                setattr(self, f"{key}_id", value)
        return self

    def working_copy(self):
        """An unsaved copy of this report showing the working content (for previews)."""
        copy = copy_module.copy(self).apply_working_copy()
        copy.published_byline = []  # show the credits as they are now
        return copy

    def available_languages(self):
        """Languages in which the public can read this report."""
        codes = (
            languages.with_derived([self.single_language])
            if self.single_language
            else languages.CODES
        )
        return [code for code in codes if getattr(self, languages.column("slug", code))]


class Credit(PersonInRole):
    """One ordered credit line of a report: a person in a role."""

    Role = CreditRole

    report = part_of("forum.Report", _("report"), related_name="credits")
    person = required_link("forum.Person", _("person"), related_name="credits")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.AUTHOR)

    class Meta:
        ordering = ("report", "order", "pk")
        verbose_name = _("credit")
        verbose_name_plural = _("credits")
        constraints = [
            once_per_role(
                "report", "credit_unique", _("This person is already credited in this role.")
            )
        ]
