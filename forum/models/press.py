"""Media contacts: the press-office people printed under releases and on press pages.

Private by default. A contact is listed publicly only when it is public *and* active, and
even then each way of reaching the person (mobile, office line, fax, email) has its own
public flag, off by default. `public_details()` is the one place that decides what the
public may see; pages, vCards, public exports, feeds and the API all read through it.
"""

import re

import phonenumbers
import reversion
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from forum.core import languages
from forum.core.phones import format_phone, tel_uri
from forum.core.spoken_languages import SpokenLanguage, parse_languages

from . import public
from .common import NormalisedPhonesMixin, TimeStampedModel, translated_label
from .fields import extension_field, phone_field, required_link
from .trash import TrashableModel, TrashQuerySet

digits_only = RegexValidator(r"^\d{1,8}$", _("Digits only, e.g. 8014."))


class MediaContactQuerySet(TrashQuerySet):
    def public(self):
        """What the public may see: active contacts marked public. Views, feeds and the
        API all start here; each detail then has its own flag (see public_details())."""
        return self.filter(public.condition(self.model))

    def covering(self, edition):
        """Contacts for an edition's press list: linked to the edition, one of its public
        sessions or reports, or working at its press office. A draft's contacts wait for
        its publication: the press list is a public page, and drafts are not reviewed.

        Each link is its own `IN (subquery)`, read from the edition's side, rather than
        joins from every contact: no contact comes twice (no DISTINCT), and the plan does
        not depend on the tables' statistics (a restored database before ANALYZE)."""
        contacts = self.model._default_manager
        session, report = (
            self.model._meta.get_field(name).related_model for name in ("sessions", "reports")
        )
        via_sessions = Q(sessions__edition=edition) & public.condition(session, "sessions__")
        via_reports = Q(reports__edition=edition) & public.condition(report, "reports__")
        covers = (
            Q(pk__in=contacts.filter(editions=edition).values("pk"))
            | Q(pk__in=contacts.filter(via_sessions).values("pk"))
            | Q(pk__in=contacts.filter(via_reports).values("pk"))
        )
        if edition.press_office_id:
            covers |= Q(organisation=edition.press_office_id)
        return self.filter(covers)

    def speaking(self, code):
        """Contacts who speak the language with this code."""
        return self.filter(languages__regex=rf"(^|,){re.escape(code)}(,|$)")


# Every change is kept as a revision (who, when, what): admin, imports and merges.
COVERAGE = {"related_name": "media_contacts", "blank": True}

# A contact's details as editors see them: in history, imports and exports, in this order.
DETAIL_FIELDS = (
    *languages.columns("name", "job_title"),
    "organisation",
    "mobile",
    "mobile_public",
    "office_phone",
    "office_extension",
    "office_phone_public",
    "fax",
    "fax_public",
    "email",
    "email_public",
    "languages",
    *languages.columns("hours"),
)


@reversion.register()
class MediaContact(NormalisedPhonesMixin, TrashableModel, TimeStampedModel):
    """A press-office contact printed under releases. Private unless marked public."""

    phone_fields = {"mobile": None, "office_phone": "office_extension", "fax": None}
    CONFIRMED_NAME_FIELD = "name"  # empty in a language until someone confirms it
    # The details that reach the public only when their own flag is on.
    DETAIL_FLAGS = {
        "mobile": "mobile_public",
        "office_phone": "office_phone_public",
        "fax": "fax_public",
        "email": "email_public",
    }

    # A person's name (姓名), not an organisation's (名称).
    name = models.CharField(pgettext_lazy("a person's name", "name"), max_length=120)
    # How a vCard splits the name into family and given names (forum/press/vcards.py).
    family_name_first = models.BooleanField(
        _("family name first"),
        default=True,
        help_text=_("On for Chinese names (Li Wenhai); off for names like “Anna Smith”."),
    )
    organisation = required_link(
        "forum.Organisation", _("organisation"), related_name="media_contacts"
    )
    job_title = models.CharField(_("job title"), max_length=255, blank=True)
    mobile = phone_field(
        _("mobile"), help_text=_("A mobile number, e.g. 186 6602 8168 or +86 186 6602 8168.")
    )
    mobile_public = models.BooleanField(_("mobile is public"), default=False)
    office_phone = phone_field(
        _("office phone"),
        help_text=_(
            "E.g. 010 6425 5855. An extension typed here (64255855-8014, ext. 8014, "
            "转8014) moves to the extension field."
        ),
    )
    office_extension = extension_field(_("extension"), validators=[digits_only])
    office_phone_public = models.BooleanField(_("office phone is public"), default=False)
    fax = phone_field(_("fax"))
    fax_public = models.BooleanField(_("fax is public"), default=False)
    email = models.EmailField(_("email"), blank=True)
    email_public = models.BooleanField(_("email is public"), default=False)
    languages = models.CharField(
        _("languages spoken"),
        max_length=100,
        blank=True,
        help_text=_("Codes separated by commas, e.g. zh,en."),
    )
    hours = models.CharField(
        _("hours"),
        max_length=255,
        blank=True,
        help_text=_("When journalists can call, e.g. Weekdays 9:00–18:00 (Beijing time)."),
    )
    # What the contact covers: their press pages list them.
    editions = models.ManyToManyField(
        "forum.Edition",
        verbose_name=_("editions covered"),
        help_text=_("The contact is listed on these editions' press pages."),
        **COVERAGE,
    )
    sessions = models.ManyToManyField(
        "forum.Session", verbose_name=_("sessions covered"), **COVERAGE
    )
    notes = models.TextField(
        _("internal notes"), blank=True, help_text=_("Never shown on the public site.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_(
            "Public contacts are listed with their name, title and organisation; each "
            "number and the email address also need their own public tick. "
            "New contacts are private."
        ),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive contacts (people who have left) are never shown publicly."),
    )

    objects = MediaContactQuerySet.as_manager()

    class Meta:
        ordering = ("order", languages.default_column("name"))
        verbose_name = _("media contact")
        verbose_name_plural = _("media contacts")

    def __str__(self):
        return translated_label(self, "name")

    # --- Validation -----------------------------------------------------------------

    def clean(self):
        errors = {}
        try:
            super().clean()  # normalises the phone numbers to E.164
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if self.mobile and "mobile" not in errors and not _is_mobile(self.mobile):
            errors.setdefault("mobile", []).append(
                ValidationError(
                    _("“%(number)s” is a landline, not a mobile: put it under office phone."),
                    code="not_mobile",
                    params={"number": format_phone(self.mobile)},
                )
            )
        try:
            self.languages = ",".join(parse_languages(self.languages))
        except ValidationError as error:
            errors.setdefault("languages", []).extend(error.error_list)
        if not errors:
            for field, message in self.duplicate_errors().items():
                errors.setdefault(field, []).append(message)
        if errors:
            raise ValidationError(errors)

    def duplicate_keys(self):
        """{field: value} that identify a person: same email, mobile or direct line.

        The office number alone does not: colleagues share the switchboard
        (+86 10 6425 5855) and differ by extension.
        """
        keys = {}
        if self.email:
            keys["email"] = self.email.casefold()
        if self.mobile:
            keys["mobile"] = self.mobile
        if self.office_phone and self.office_extension:
            keys["office_phone"] = f"{self.office_phone};ext={self.office_extension}"
        return keys

    def duplicate_errors(self):
        """Errors for each detail another contact already has, naming that contact."""
        others = MediaContact.objects.exclude(pk=self.pk) if self.pk else MediaContact.objects
        # An import checks rows it has already added against the file itself.
        others = others.exclude(pk__in=getattr(self, "_duplicate_check_excludes", ()))
        lookups = {
            "email": lambda value: Q(email__iexact=value),
            "mobile": lambda value: Q(mobile=value),
            "office_phone": lambda value: Q(
                office_phone=self.office_phone, office_extension=self.office_extension
            ),
        }
        messages = {
            "email": _("%(contact)s (#%(id)s) already has this email address."),
            "mobile": _("%(contact)s (#%(id)s) already has this mobile number."),
            "office_phone": _(
                "%(contact)s (#%(id)s) already has this office number and extension."
            ),
        }
        errors = {}
        for field, value in self.duplicate_keys().items():
            other = others.filter(lookups[field](value)).only("pk", *languages.columns("name"))
            other = other.first()
            if other is not None:
                errors[field] = ValidationError(
                    gettext("%(message)s Edit that contact, or merge the two in the list.")
                    % {"message": messages[field] % {"contact": other, "id": other.pk}},
                    code="duplicate",
                )
        return errors

    # --- What the public sees ---------------------------------------------------------

    @property
    def is_listed(self):
        return public.is_public(self)

    def is_detail_public(self, field):
        return (
            self.is_listed
            and bool(getattr(self, field))
            and getattr(self, self.DETAIL_FLAGS[field])
        )

    def public_details(self):
        """Only the details the public may see, for pages, vCards, public exports, feeds
        and the API. Empty for a private or inactive contact. Keys (each present only
        when public and not empty):

        name_<suffix>, job_title_<suffix> (one per site language), organisation
        ({"name_<suffix>": …}), mobile (E.164), office_phone (E.164), office_extension,
        fax (E.164), email, languages (spoken-language codes), hours_<suffix>.

        The name is there in every language: a name is not a translation, so a contact
        known only by the Latin form ("Guo Silu", no confirmed characters) is listed as
        "Guo Silu" in Chinese too, never blank and never with guessed characters.
        """
        if not self.is_listed:
            return {}
        details = {}
        for field in ("name", "job_title"):
            for language_code in languages.CODES:
                column = languages.column(field, language_code)
                if value := (getattr(self, column) or "").strip():
                    details[column] = value
        name_columns = [languages.column("name", code) for code in languages.CODES]
        if given := next((details[c] for c in name_columns if c in details), ""):
            for column in name_columns:
                details.setdefault(column, given)
        organisation = {
            column: getattr(self.organisation, column)
            for column in languages.columns("name")
            if getattr(self.organisation, column)
        }
        if organisation:
            details["organisation"] = organisation
        for field in self.DETAIL_FLAGS:
            if self.is_detail_public(field):
                details[field] = getattr(self, field)
                if field == "office_phone" and self.office_extension:
                    details["office_extension"] = self.office_extension
        if self.languages:
            details["languages"] = self.languages.split(",")
        for language_code in languages.CODES:
            column = languages.column("hours", language_code)
            if value := (getattr(self, column) or "").strip():
                details[column] = value
        return details

    def text_in(self, details, field, language_code):
        """A translated detail in the language, else in the other one ("" if neither)."""
        wanted = languages.column(field, language_code)
        if details.get(wanted):
            return details[wanted]
        return next(
            (
                details[languages.column(field, code)]
                for code in languages.CODES
                if details.get(languages.column(field, code))
            ),
            "",
        )

    # --- Display helpers ------------------------------------------------------------

    def language_list(self):
        return self.languages.split(",") if self.languages else []

    def get_languages_display(self):
        labels = dict(SpokenLanguage.choices)
        return pgettext("list of names", ", ").join(
            str(labels[code]) for code in self.language_list()
        )

    def formatted_mobile(self, language_code):
        return format_phone(self.mobile, "", language_code)

    def formatted_office_phone(self, language_code):
        return format_phone(self.office_phone, self.office_extension, language_code)

    def mobile_uri(self):
        return tel_uri(self.mobile)

    def office_phone_uri(self):
        return tel_uri(self.office_phone, self.office_extension)

    def vcard_filename(self):
        name = slugify(languages.first_text(self, "name"))
        return f"{name or f'contact-{self.pk}'}.vcf"

    def get_vcard_url(self):
        return reverse("forum:contact-vcard", kwargs={"pk": self.pk})


def _is_mobile(e164):
    number = phonenumbers.parse(e164, None)
    return phonenumbers.number_type(number) not in {
        phonenumbers.PhoneNumberType.FIXED_LINE,
        phonenumbers.PhoneNumberType.TOLL_FREE,
        phonenumbers.PhoneNumberType.PREMIUM_RATE,
        phonenumbers.PhoneNumberType.SHARED_COST,
    }
