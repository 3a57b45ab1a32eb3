from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from forum.core import languages
from forum.core.titles import join_titles, title_at
from forum.core.uploads import ImageUploadField

from .common import PublishableModel, PublishableTrashQuerySet, TranslationCompleteness
from .fields import optional_link, part_of
from .trash import TrashableModel


class Person(TranslationCompleteness, TrashableModel, PublishableModel):
    """A speaker, chair, author or reviewer. Names are stored per language.

    Chinese names are written family name first (李文海) and so, by convention, is their
    English form ("Li Wenhai"); forum programmes often style it "LI Wenhai".

    A name is not a translation. Someone known only by the Latin form of their name
    (a pinyin name in a press release) has no Chinese name until someone who knows
    confirms the characters: their Chinese columns stay empty and Chinese pages show the
    name as given ("Liu Changjie"). Never fill them with a guessed rendering.
    """

    CONFIRMED_NAME_FIELD = "family_name"  # empty in a language until someone confirms it

    family_name = models.CharField(_("family name"), max_length=100)
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    family_name_first = models.BooleanField(
        _("family name first"),
        default=True,
        help_text=_("On for Chinese names (Li Wenhai); off for names like “Anna Smith”."),
    )
    uppercase_family_name = models.BooleanField(
        _("family name in capitals in English"),
        default=False,
        help_text=_("Styles the English name as “LI Wenhai”."),
    )
    honorific = models.CharField(
        _("honorific"), max_length=50, blank=True, help_text=_("For example Dr or Prof.")
    )
    biography = models.TextField(_("biography"), blank=True)
    photo = ImageUploadField(_("photo"), upload_to="people/", blank=True)
    slug = models.SlugField(
        _("slug"), max_length=120, unique=True, help_text=_("ASCII, e.g. li-wenhai.")
    )

    objects = PublishableTrashQuerySet.as_manager()
    # Nothing to translate is required: a name is not a translation (see above), so a
    # person without Chinese characters for their name is complete in Chinese.
    required_translations = ()

    class Meta:
        ordering = (languages.default_column("family_name"), languages.default_column("given_name"))
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.full_name() or f"#{self.pk}"

    def get_absolute_url(self):
        return reverse("forum:person-detail", kwargs={"slug": self.slug})

    def name_language(self, language_code=None):
        """The language whose columns name this person in `language_code` (default:
        active): that language when it has the name, else the first that has it. A person
        known only as "Liu Changjie" is "Liu Changjie" on Chinese pages too, never blank."""
        language_code = language_code or languages.active()
        candidates = [language_code, *(code for code in languages.CODES if code != language_code)]
        return next(
            (code for code in candidates if "".join(self._name_columns(code)).strip()),
            language_code,
        )

    def _name_columns(self, language_code):
        suffix = languages.suffix(language_code)
        return (
            getattr(self, f"family_name_{suffix}", "") or "",
            getattr(self, f"given_name_{suffix}", "") or "",
        )

    def name_parts(self, language_code=None):
        """(family name, given name) as shown in the language, with the fallback above."""
        return self._name_columns(self.name_language(language_code))

    def full_name(self, language_code=None):
        """The name in the given (default: active) language, in that language's order.

        Without a name in that language, the name as given in another (see name_language).
        """
        language_code = self.name_language(language_code)
        family, given = self._name_columns(language_code)
        if languages.writes_han(language_code):
            # 李文海; foreign names keep given-name order with a middle dot: 安娜·史密斯
            return (
                f"{family}{given}"
                if self.family_name_first
                else "·".join(part for part in (given, family) if part)
            )
        if self.uppercase_family_name:
            family = family.upper()
        parts = (family, given) if self.family_name_first else (given, family)
        return " ".join(part for part in parts if part)

    @property
    def name(self):
        return self.full_name()

    def current_positions(self):
        today = timezone.localdate()
        return [
            position
            for position in self.positions.all()
            if position.end_date is None or position.end_date >= today
        ]


class Position(models.Model):
    """A title a person holds at an organisation, with dates: titles change over time.

    Printed in each language's order (`label`): "Chairman, China Development Research
    Foundation" in English, 中国发展研究基金会理事长 in Chinese. Titles printed at a session
    or for a speech are not positions: they are stored as printed (SessionRole, Speech).
    """

    person = part_of("forum.Person", _("person"), related_name="positions")
    # A job title (职务, 職稱), not a headline (标题).
    title = models.CharField(pgettext_lazy("a person's position", "title"), max_length=255)
    organisation = optional_link("forum.Organisation", _("organisation"), related_name="positions")
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ("person", "order", "pk")
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="position_ends_after_start",
            )
        ]

    def __str__(self):
        return self.label() or f"#{self.pk}"

    def title_language(self, language_code=None):
        """The language whose title this position shows in `language_code` (default:
        active): that language when it has the title, else the first that has it, as a
        person's name falls back (Person.name_language). Never a guessed translation."""
        language_code = language_code or languages.active()
        candidates = [language_code, *languages.others(language_code)]
        return next(
            (code for code in candidates if self._title(code)),
            language_code,
        )

    def _title(self, language_code):
        return (getattr(self, languages.column("title", language_code)) or "").strip()

    def title_in(self, language_code=None):
        """The title alone in the language (default: active), falling back as `label`
        does: for structured data, which names the organisation apart."""
        return self._title(self.title_language(language_code))

    def label(self, language_code=None):
        """The position in the language (default: active), in that language's order:
        "Chairman, China Development Research Foundation"; 中国发展研究基金会理事长.

        A title missing in the language is shown as written in another, with the
        organisation's name in that language and in its order (the whole position in
        English on a Chinese page, not half of each); an organisation without a name in
        the title's language is named as it is elsewhere (Organisation.name_in)."""
        written = self.title_language(language_code)
        organisation = self.organisation.name_in(written) if self.organisation_id else ""
        return title_at(self._title(written), organisation, written)


def positions_label(positions, language_code=None):
    """Several positions in one line, in the language (default: active): joined by 、 in
    Chinese (中国发展研究基金会理事长、第十四届全国政协提案委员会副主任), by "; " in English."""
    language_code = language_code or languages.active()
    return join_titles((position.label(language_code) for position in positions), language_code)
