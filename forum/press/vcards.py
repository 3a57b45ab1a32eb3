"""vCards (.vcf) of public media contacts, built only from `MediaContact.public_details()`.

vCard 3.0, the version both iOS and Android import reliably (iOS does not read 4.0), in
UTF-8. Per card:

- FN and N carry the name in the page language (the whole name in N's family part:
  names are stored whole, and Chinese ones read family name first); NICKNAME carries the
  name in the other language, so both scripts are on the phone and searchable.
- TEL;TYPE=CELL and TEL;TYPE=WORK in international form. vCard 3.0 has no tel: URI, so
  the extension follows the number after ";", the "wait" character that phones dial as
  an extension ("+86 10 6425 5855;8014"); the web pages' links use tel:…;ext=8014.
- ORG, TITLE, EMAIL (only if public), NOTE with languages spoken and hours.
"""

import uuid

import phonenumbers
import vobject
from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext, override, pgettext

from forum.core import languages
from forum.core.spoken_languages import SpokenLanguage

CONTENT_TYPE = "text/vcard; charset=utf-8"
PRODID = "-//China Development Forum//Media contacts//EN"


def _international(e164):
    number = phonenumbers.parse(e164, None)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _text(details, field, language_code):
    suffix = languages.suffix(language_code)
    return details.get(f"{field}_{suffix}", "")


def _raw_line(card, name, value, types):
    """A TEL line written as is: vobject would escape the ";" before an extension."""
    line = card.add(name)
    line.value = value
    line.type_param = types
    line.encoded = True
    return line


def contact_uid(contact):
    """Stable per contact, so a phone updates the card it imported before."""
    name = f"{settings.SITE_URL}/media-contacts/{contact.pk}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def contact_card(contact, language_code=None):
    """A vobject vCard of the contact's public details, in the language (default: active)."""
    language_code = language_code or languages.active()
    details = contact.public_details()
    others = [code for code in languages.CODES if code != language_code]
    name = _text(details, "name", language_code) or next(
        (_text(details, "name", code) for code in others if _text(details, "name", code)), ""
    )

    card = vobject.vCard()
    card.add("prodid").value = PRODID
    card.add("uid").value = contact_uid(contact)
    card.add("fn").value = name
    card.add("n").value = vobject.vcard.Name(family=name)
    other_names = [
        _text(details, "name", code)
        for code in others
        if _text(details, "name", code) and _text(details, "name", code) != name
    ]
    if other_names:
        card.add("nickname").value = ", ".join(other_names)
    organisation = details.get("organisation", {})
    organisation_name = organisation.get(languages.column("name", language_code)) or next(
        iter(organisation.values()), ""
    )
    if organisation_name:
        card.add("org").value = [organisation_name]
    if title := contact.text_in(details, "job_title", language_code):
        card.add("title").value = title
    if details.get("mobile"):
        _raw_line(card, "tel", _international(details["mobile"]), ["CELL", "VOICE"])
    if details.get("office_phone"):
        number = _international(details["office_phone"])
        if details.get("office_extension"):
            number = f"{number};{details['office_extension']}"
        _raw_line(card, "tel", number, ["WORK", "VOICE"])
    if details.get("fax"):
        _raw_line(card, "tel", _international(details["fax"]), ["WORK", "FAX"])
    if details.get("email"):
        email = card.add("email")
        email.value = details["email"]
        email.type_param = ["INTERNET", "WORK"]
    with override(language_code):
        note = []
        if details.get("languages"):
            labels = dict(SpokenLanguage.choices)
            note.append(
                gettext("Languages: %(languages)s")
                % {
                    "languages": pgettext("list of names", ", ").join(
                        str(labels[code]) for code in details["languages"] if code in labels
                    )
                }
            )
        if hours := contact.text_in(details, "hours", language_code):
            note.append(gettext("Hours: %(hours)s") % {"hours": hours})
        if note:
            card.add("note").value = "\n".join(note)
    return card


def serialize(contacts, language_code=None):
    """One .vcf text holding a card for each contact that has public details."""
    return "".join(
        contact_card(contact, language_code).serialize()
        for contact in contacts
        if contact.public_details()
    )


def vcard_response(contacts, filename, language_code=None):
    response = HttpResponse(serialize(contacts, language_code), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
