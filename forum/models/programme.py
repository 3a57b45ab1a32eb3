from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from forum.core import languages

from .choices import RoleAtSession, SessionKind, SessionPartOfDay, SpeechKind
from .common import (
    PersonInRole,
    PublishableModel,
    PublishableQuerySet,
    PublishableTrashQuerySet,
    TimeStampedModel,
    TranslationCompleteness,
    once_per_role,
    translated_label,
)
from .fields import optional_link, part_of, required_link
from .trash import TrashableModel, TrashQuerySet


class Forum(TimeStampedModel):
    """The series, e.g. the China Development Forum, held once a year as an edition."""

    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    mandate = models.CharField(_("mandate"), max_length=255, blank=True)
    background = models.TextField(
        _("background"),
        blank=True,
        help_text=_("Shown on the About page and as “Background Information” under reports."),
    )
    first_year = models.PositiveSmallIntegerField(_("first held"), null=True, blank=True)
    slug = models.SlugField(_("slug"), unique=True)

    class Meta:
        ordering = (languages.default_column("name"),)
        verbose_name = _("forum")
        verbose_name_plural = _("forums")

    def __str__(self):
        return translated_label(self, "name")


class EditionQuerySet(TrashQuerySet, PublishableQuerySet):
    def current(self):
        """The newest published edition, shown on the home page."""
        return self.published().order_by("-start_date").first()


class EditionManager(models.Manager.from_queryset(EditionQuerySet)):
    def get_queryset(self):
        # An edition's title names its forum ("China Development Forum 2024"): without the
        # join every list of editions (admin filters, choices) costs a query per edition.
        return super().get_queryset().select_related("forum")


class Edition(TranslationCompleteness, TrashableModel, PublishableModel):
    """One yearly meeting of a forum."""

    forum = required_link("forum.Forum", _("forum"), related_name="editions")
    year = models.PositiveSmallIntegerField(_("year"))
    slug = models.SlugField(_("slug"), unique=True, help_text=_("Used in addresses, e.g. 2024."))
    theme = models.CharField(_("theme"), max_length=255, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    host = optional_link("forum.Organisation", _("host"), related_name="hosted_editions")
    organiser = optional_link(
        "forum.Organisation", _("organiser"), related_name="organised_editions"
    )
    press_office = optional_link(
        "forum.Organisation",
        _("press office"),
        related_name="press_editions",
        help_text=_("Its address block is printed on the press page and under reports."),
    )

    objects = EditionManager()
    required_translations = ("theme", "venue")

    class Meta:
        ordering = ("-start_date",)
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="edition_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            )
        ]

    def __str__(self):
        return self.title

    @property
    def title(self):
        # "China Development Forum 2024" / "中国发展高层论坛2024年年会"
        return gettext("%(forum)s %(year)s") % {"forum": self.forum.name, "year": self.year}

    def get_absolute_url(self):
        return reverse("forum:edition-detail", kwargs={"edition": self.slug})


class Session(TranslationCompleteness, TrashableModel, PublishableModel):
    """A symposium, plenary or roundtable within an edition."""

    Kind = SessionKind
    PartOfDay = SessionPartOfDay

    edition = required_link("forum.Edition", _("edition"), related_name="sessions")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SYMPOSIUM)
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    slug = models.SlugField(_("slug"), max_length=120, help_text=_("ASCII, unique in its edition."))
    date = models.DateField(_("date"))
    part_of_day = models.CharField(
        _("part of day"),
        max_length=10,
        choices=PartOfDay.choices,
        blank=True,
        help_text=_("When no exact times are known."),
    )
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    room = models.CharField(_("room"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = PublishableTrashQuerySet.as_manager()
    required_translations = ("title",)

    class Meta:
        ordering = ("date", "order", "start_time", "pk")
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(
                fields=("edition", "slug"),
                name="session_slug_unique_in_edition",
                violation_error_message=_("Another session of this edition has this slug."),
            ),
            models.CheckConstraint(
                condition=models.Q(end_time__isnull=True)
                | models.Q(start_time__isnull=True)
                | models.Q(end_time__gt=models.F("start_time")),
                name="session_ends_after_start",
                violation_error_message=_("The end time must be after the start time."),
            ),
        ]

    def __str__(self):
        return translated_label(self, "title")

    def get_absolute_url(self):
        return reverse(
            "forum:session-detail", kwargs={"edition": self.edition.slug, "slug": self.slug}
        )

    def clean(self):
        edition = self.edition if self.edition_id else None
        if edition and self.date and not (edition.start_date <= self.date <= edition.end_date):
            raise ValidationError(
                {
                    "date": _("The date must fall within the edition (%(start)s – %(end)s).")
                    % {"start": edition.start_date, "end": edition.end_date}
                }
            )


class SessionRole(PersonInRole):
    """A person's appearance at a session: the role and the title(s) printed for them then.

    Titles are stored on the appearance, not looked up from the person's positions, so a
    2024 page keeps its 2024 titles after a promotion.
    """

    Role = RoleAtSession
    # Roles of unpublished people are left out of every page, feed and API list, not
    # shown by name (forum/models/public.py).
    objects = PublishableQuerySet.as_manager()

    session = part_of("forum.Session", _("session"), related_name="roles")
    person = required_link("forum.Person", _("person"), related_name="session_roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CHAIR)
    printed_titles = models.TextField(
        _("titles as printed"),
        blank=True,
        help_text=_("The person's titles as printed for this session, one per line."),
    )

    class Meta:
        constraints = [
            once_per_role(
                "session",
                "session_role_unique",
                _("This person already has this role at the session."),
            )
        ]
        ordering = ("session", "order", "pk")
        verbose_name = _("role at a session")
        verbose_name_plural = _("roles at the session")

    def printed_title_list(self):
        return _lines(self.printed_titles)


def _lines(text):
    """The titles of a printed-title field, one per line, as printed (never reordered)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class Speech(TranslationCompleteness, PublishableModel):
    Kind = SpeechKind

    session = part_of("forum.Session", _("session"), related_name="speeches")
    speaker = required_link("forum.Person", _("speaker"), related_name="speeches")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.KEYNOTE)
    title = models.CharField(_("title"), max_length=255, blank=True)
    printed_title = models.CharField(
        _("speaker's title as printed"),
        max_length=255,
        blank=True,
        help_text=_("The speaker's title as printed for this speech, e.g. Vice Mayor, …"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    required_translations = ("printed_title",)

    class Meta:
        ordering = ("session", "order", "pk")
        verbose_name = _("speech")
        verbose_name_plural = _("speeches")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.speaker}"

    def get_absolute_url(self):
        return f"{self.session.get_absolute_url()}#speech-{self.pk}"

    def printed_title_list(self):
        """The speaker's titles as printed, one per line (an imported release may give
        several); pages join them in the language's way (forum.core.titles.join_titles)."""
        return _lines(self.printed_title)
