from django.db import models
from django.utils.translation import gettext_lazy as _

from forum.core import languages


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class PublishableQuerySet(models.QuerySet):
    """Editions, sessions, speeches and people have a simple published switch."""

    def published(self):
        return self.filter(is_published=True)


class PublishableModel(TimeStampedModel):
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Only published items appear on the public site."),
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True


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
