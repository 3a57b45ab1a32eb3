from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField

from forum.richtext import RICH_TEXT_EXTENSIONS

from .common import LANGUAGE_CODES, TimeStampedModel, TranslationCompleteness, translated_column

# Slugs are ASCII in both languages (pinyin for Chinese): non-Latin slugs break links
# in mail clients and chat apps.
ascii_slug = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    _(
        "Use lower-case ASCII letters, digits and hyphens (pinyin for Chinese), "
        "e.g. li-wenhai-keynote."
    ),
)


class ReportQuerySet(models.QuerySet):
    def published(self):
        """What the public may see. Every public view, feed and sitemap uses this."""
        return self.filter(status=Report.Status.PUBLISHED, published_at__lte=timezone.now())

    def in_language(self, language_code=None):
        """Reports that have a version in the language (default: the active one)."""
        code = language_code or get_language() or "en"
        return self.exclude(**{f"{translated_column('slug', code)}__isnull": True})


class Report(TranslationCompleteness, TimeStampedModel):
    """The article about a speech or session, published in English and Chinese."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    edition = models.ForeignKey(
        "forum.Edition",
        verbose_name=_("edition"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    session = models.ForeignKey(
        "forum.Session",
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="reports",
        null=True,
        blank=True,
    )
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
    publisher = models.ForeignKey(
        "forum.Organisation",
        verbose_name=_("publisher"),
        on_delete=models.PROTECT,
        related_name="published_reports",
        null=True,
        blank=True,
    )
    hero_image = models.ImageField(_("image"), upload_to="reports/", blank=True)
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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    objects = ReportQuerySet.as_manager()
    required_translations = ("headline", "summary", "body", "slug")

    class Meta:
        ordering = ("-published_at", "-pk")
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self):
        return self.headline or self.headline_en or self.headline_zh_hans or f"#{self.pk}"

    def save(self, *args, **kwargs):
        # Sanitise on every save, whatever the path (admin, loader, services).
        sanitize = self._meta.get_field("body").sanitize
        for language_code in LANGUAGE_CODES:
            column = translated_column("body", language_code)
            setattr(self, column, sanitize(getattr(self, column) or ""))
        super().save(*args, **kwargs)

    def missing_translations(self, language_code):
        missing = super().missing_translations(language_code)
        if self.hero_image and not getattr(
            self, translated_column("hero_image_alt", language_code)
        ):
            missing.append("hero_image_alt")
        return missing

    def get_absolute_url(self):
        return reverse("forum:report-detail", kwargs={"slug": self.slug})

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    def byline_groups(self):
        """Credits grouped by role in credit order: [("Authors", [people]), ...]."""
        groups = {}
        for credit in self.credits.all():
            groups.setdefault(credit.role, []).append(credit.person)
        return [(Credit.Role(role).byline_label, people) for role, people in groups.items()]


class Credit(models.Model):
    """One ordered credit line of a report: a person in a role."""

    class Role(models.TextChoices):
        AUTHOR = "author", _("Author")
        REVIEWER = "reviewer", _("Reviewer")
        EDITOR = "editor", _("Editor")
        TRANSLATOR = "translator", _("Translator")
        PHOTOGRAPHER = "photographer", _("Photographer")

        @property
        def byline_label(self):
            # The publisher's byline headings: "Authors: …; Reviewer: …" / "撰稿：…；审核：…"
            return {
                "author": _("Authors"),
                "reviewer": _("Reviewer"),
                "editor": _("Editor"),
                "translator": _("Translator"),
                "photographer": _("Photographer"),
            }[self.value]

    report = models.ForeignKey(
        "forum.Report", verbose_name=_("report"), on_delete=models.CASCADE, related_name="credits"
    )
    person = models.ForeignKey(
        "forum.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="credits"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.AUTHOR)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ("report", "order", "pk")
        verbose_name = _("credit")
        verbose_name_plural = _("credits")
        constraints = [
            models.UniqueConstraint(
                fields=("report", "person", "role"),
                name="credit_unique",
                violation_error_message=_("This person is already credited in this role."),
            )
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.person}"
