from django.db import models
from django.utils.translation import gettext_lazy as _

from forum.core import languages
from forum.core.phones import format_phone
from forum.core.uploads import ImageUploadField

from .choices import OrganisationKind
from .common import NormalisedPhonesMixin, TimeStampedModel, translated_label
from .fields import extension_field, phone_field


class Organisation(NormalisedPhonesMixin, TimeStampedModel):
    """A host, organiser, publisher, press office or a person's affiliation."""

    phone_fields = {"phone": "phone_extension", "fax": "fax_extension"}

    Kind = OrganisationKind

    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(
        _("short name"), max_length=60, blank=True, help_text=_("For example DRC or CDRF.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    address = models.TextField(_("address"), blank=True, help_text=_("One line per printed line."))
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    phone = phone_field(
        _("phone"), help_text=_("Stored in international form, e.g. +86 10 6425 5855.")
    )
    phone_extension = extension_field(_("phone extension"))
    fax = phone_field(_("fax"))
    fax_extension = extension_field(_("fax extension"))
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    logo = ImageUploadField(_("logo"), upload_to="organisations/", blank=True)

    class Meta:
        ordering = (languages.default_column("name"),)
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return translated_label(self, "name")

    def name_in(self, language_code=None):
        """The name in the language (default: active), else in the first language that has
        one: as the site shows every name, never blank and never guessed."""
        language_code = language_code or languages.active()
        return getattr(self, languages.column("name", language_code)) or languages.first_text(
            self, "name"
        )

    @property
    def display_short_name(self):
        return self.short_name or self.name

    def address_lines(self):
        return [line.strip() for line in (self.address or "").splitlines() if line.strip()]

    def website_label(self):
        return self.website.removeprefix("https://").removeprefix("http://").rstrip("/")

    def formatted_phone(self, language_code):
        return format_phone(self.phone, self.phone_extension, language_code)

    def formatted_fax(self, language_code):
        return format_phone(self.fax, self.fax_extension, language_code)
