from django.db import models
from django.utils.translation import gettext_lazy as _

from forum.core import languages

from . import public
from .trash import TrashQuerySet


def translated_label(instance, field):
    """A translated field's text for __str__: in the active language, else in the first
    language that has it, else "#<pk>", so that admin lists and logs never show a blank."""
    return getattr(instance, field) or languages.first_text(instance, field) or f"#{instance.pk}"


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class PersonInRole(models.Model):
    """A person in a role, in order, at a session or in a report's byline. Subclasses add
    the `person` and `role` fields and the constraint from `once_per_role()`."""

    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.get_role_display()}: {self.person}"


def once_per_role(owner, name, message):
    """A person holds a role once per owner (session or report)."""
    return models.UniqueConstraint(
        fields=(owner, "person", "role"), name=name, violation_error_message=message
    )


class PublishableQuerySet(models.QuerySet):
    """Editions, sessions, speeches, people and their roles: what the public may see now,
    as forum/models/public.py decides it (a speech also needs its session and speaker)."""

    def published(self):
        return self.filter(public.condition(self.model))


class PublishableTrashQuerySet(TrashQuerySet, PublishableQuerySet):
    """Sessions and people: published() and the trash's filters."""


class PublishableModel(TimeStampedModel):
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Only published items appear on the public site."),
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_public(self):
        """The instance form of published(): the switch, and the items it belongs to."""
        return public.is_public(self)


class TranslationCompleteness:
    """Reports which required translated fields are empty in each language.

    Models list the translated fields a page cannot do without in
    `required_translations`; the admin shows the result as "EN ✓ / 中文 ✗".
    """

    required_translations: tuple[str, ...] = ()

    def missing_translations(self, language_code):
        return [
            name
            for name in self.required_translations
            if not (getattr(self, languages.column(name, language_code), "") or "").strip()
        ]

    def is_translation_complete(self, language_code):
        return not self.missing_translations(language_code)


class NormalisedPhonesMixin:
    """Normalises phone fields to E.164 in clean(), moving a typed extension to its field.

    `phone_fields` maps each phone field to its extension field (or None). An editor may
    type "64255855-8014", "010-64255855 ext. 8014" or "64255855转8014".
    """

    phone_fields: dict[str, str | None] = {}

    def clean(self):
        from django.core.exceptions import ValidationError

        from forum.core.phones import normalise_phone, split_extension

        super().clean()
        errors = {}
        for name, extension_field in self.phone_fields.items():
            raw = getattr(self, name) or ""
            number, extension = split_extension(raw) if extension_field else (raw, "")
            try:
                setattr(self, name, normalise_phone(number))
            except ValidationError as error:
                errors[name] = error.messages
                continue
            if extension:
                current = getattr(self, extension_field)
                if current and current != extension:
                    errors[extension_field] = [
                        _("The number says extension %(typed)s but this field says %(current)s.")
                        % {"typed": extension, "current": current}
                    ]
                setattr(self, extension_field, extension)
        if errors:
            raise ValidationError(errors)
