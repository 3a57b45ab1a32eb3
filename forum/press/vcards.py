"""vCards (.vcf) of public media contacts, built from `MediaContact.public_details()`.

vCard 3.0 (RFC 2426), the version iOS Contacts, Android and Outlook all import (none of
them reliably imports 4.0), in UTF-8. Every card is valid by RFC 2426: the tests check
each one they produce with an independent validator (tests/press/rfc2426.py).
Per card:

- FN carries the name in the page language; N the same name split into family and given
  names (`forum.core.names.split_name()`, by the contact's "family name first" choice:
  the one thing read from the contact rather than its public details, being a rule);
  NICKNAME carries the name in the other language, so both scripts are on the phone and
  searchable.
- TEL;TYPE=CELL and TEL;TYPE=WORK in international form. vCard 3.0 has no tel: URI, and a
  raw ";" or "," splits a 3.0 value, so the extension is written as the English pages
  and libphonenumber write it: "+86 10 6425 5855 ext. 8014". The web pages' links use
  tel:…;ext=8014.
- ORG, TITLE, EMAIL (only if public), NOTE with languages spoken and hours.

A list of cards (an edition's contacts.vcf) is streamed: one query for the contacts,
read in chunks, each card sent as it is written. The query runs and the first card is
written before the view returns (forum/core/outage.py `started`), so a database that
fails then gives the bilingual 503 page, not a download broken off after a 200.
"""

import uuid

import phonenumbers
import vobject
from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext, override, pgettext

from forum.core import languages
from forum.core.names import split_name
from forum.core.outage import started
from forum.core.spoken_languages import SpokenLanguage

CONTENT_TYPE = "text/vcard; charset=utf-8"
PRODID = "-//China Development Forum//Media contacts//EN"
# Contacts read from the database at a time while a list of cards is streamed.
CHUNK_SIZE = 200


def _international(e164, extension=""):
    """libphonenumber's international form, extension included: "+86 10 6425 5855 ext. 8014"."""
    number = phonenumbers.parse(e164, None)
    number.extension = extension or None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _text(details, field, language_code):
    return details.get(languages.column(field, language_code), "")


def _add_tel(card, number, types):
    line = card.add("tel")
    line.value = number
    line.type_param = types


def contact_uid(contact):
    """Stable per contact, so a phone updates the card it imported before."""
    name = f"{settings.SITE_URL}/media-contacts/{contact.pk}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def contact_card(contact, language_code=None):
    """A vobject vCard of the contact's public details, in the language (default: active);
    None for a contact with no public details (private or inactive)."""
    language_code = language_code or languages.active()
    details = contact.public_details()
    if not details:
        return None
    # public_details() names the contact in every language (the name as given).
    name = _text(details, "name", language_code)

    card = vobject.vCard()
    card.add("prodid").value = PRODID
    card.add("uid").value = contact_uid(contact)
    card.add("fn").value = name
    family, given = split_name(name, contact.family_name_first)
    card.add("n").value = vobject.vcard.Name(family=family, given=given)
    # The name as written in the other languages (not a conversion of this one's).
    other_names = list(
        dict.fromkeys(
            other
            for code in languages.EDITED
            if code != languages.origin(language_code)
            and (other := _text(details, "name", code))
            and other != name
        )
    )
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
        _add_tel(card, _international(details["mobile"]), ["CELL", "VOICE"])
    if details.get("office_phone"):
        number = _international(details["office_phone"], details.get("office_extension"))
        _add_tel(card, number, ["WORK", "VOICE"])
    if details.get("fax"):
        _add_tel(card, _international(details["fax"]), ["WORK", "FAX"])
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


def _folded(text, limit=75):
    """The card with every line folded at 75 octets (RFC 2426 2.6), never inside a UTF-8
    character: vobject leaves lines shorter than 75 characters whole, and a line of
    Chinese that long is three times as many octets."""
    folded = []
    for line in text.replace("\r\n ", "").split("\r\n"):
        pieces, start, size = [], 0, 0
        for index, character in enumerate(line):
            width = len(character.encode())
            if size + width > limit:
                pieces.append(line[start:index])
                start, size = index, 1  # a continuation line starts with a space
            size += width
        pieces.append(line[start:])
        folded.append("\r\n ".join(pieces))
    return "\r\n".join(folded)


def serialized_cards(contacts, language_code):
    """The .vcf text of each contact that has public details, one card at a time.

    A stream broken off (a failing database, a client gone) closes the contacts' iterator
    at once: on PostgreSQL it holds a server-side cursor, which would otherwise be closed
    whenever it is collected, inside some later transaction that no longer knows it."""
    try:
        for contact in contacts:
            card = contact_card(contact, language_code)
            if card is not None:
                yield _folded(card.serialize())
    finally:
        close = getattr(contacts, "close", None)
        if close is not None:
            close()


def _attachment(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def vcard_response(contact, filename):
    """One contact's card, in the active language."""
    content = "".join(serialized_cards([contact], languages.active()))
    return _attachment(HttpResponse(content, content_type=CONTENT_TYPE), filename)


def vcard_stream_response(contacts, filename):
    """A card for each contact of a queryset, streamed in the active language: one query,
    its rows read CHUNK_SIZE at a time, so a list of thousands starts at once and never
    sits whole in memory. The query runs now, in the view (see the module docstring)."""
    # The language is fixed now: the other cards are written after the view has returned.
    cards = serialized_cards(contacts.iterator(chunk_size=CHUNK_SIZE), languages.active())
    stream = started(cards, "The contact list (.vcf)")
    return _attachment(StreamingHttpResponse(stream, content_type=CONTENT_TYPE), filename)
