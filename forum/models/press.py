from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from forum.phones import format_phone, tel_uri

from .common import NormalisedPhonesMixin, TimeStampedModel

digits_only = RegexValidator(r"^\d{1,8}$", _("Digits only, e.g. 8014."))


class MediaContactQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)


class MediaContact(NormalisedPhonesMixin, TimeStampedModel):
    """A press-office contact printed under releases. Private unless marked public."""

    phone_fields = {"mobile": None, "office_phone": "office_extension"}

    name = models.CharField(_("name"), max_length=120)
    organisation = models.ForeignKey(
        "forum.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="media_contacts",
    )
    job_title = models.CharField(_("job title"), max_length=255, blank=True)
    mobile = models.CharField(
        _("mobile"),
        max_length=32,
        blank=True,
        help_text=_("International form, e.g. +86 186 6602 8168."),
    )
    office_phone = models.CharField(
        _("office phone"),
        max_length=32,
        blank=True,
        help_text=_("Without the extension, e.g. +86 10 6425 5855."),
    )
    office_extension = models.CharField(
        _("extension"),
        max_length=8,
        blank=True,
        validators=[digits_only],
    )
    email = models.EmailField(_("email"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Only public contacts appear on public pages. New contacts are private."),
    )

    objects = MediaContactQuerySet.as_manager()

    class Meta:
        ordering = ("order", "name_en")
        verbose_name = _("media contact")
        verbose_name_plural = _("media contacts")

    def __str__(self):
        return self.name or self.name_en or self.name_zh_hans or f"#{self.pk}"

    def formatted_mobile(self, language_code):
        return format_phone(self.mobile, "", language_code)

    def formatted_office_phone(self, language_code):
        return format_phone(self.office_phone, self.office_extension, language_code)

    def mobile_uri(self):
        return tel_uri(self.mobile)

    def office_phone_uri(self):
        return tel_uri(self.office_phone, self.office_extension)
