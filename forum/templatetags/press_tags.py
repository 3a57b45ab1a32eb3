from django import template
from django.utils.translation import gettext, pgettext

from forum.core import languages
from forum.core.phones import format_phone, tel_uri
from forum.core.spoken_languages import SpokenLanguage

register = template.Library()


@register.simple_tag
def contact_card(contact):
    """What a public page may print about a contact: its public details only, in the page
    language, phones in that language's style (national on Chinese pages)."""
    language_code = languages.active()
    details = contact.public_details()
    if not details:
        return None
    phones = []
    if details.get("mobile"):
        phones.append(
            {
                "label": gettext("Mobile"),
                "text": format_phone(details["mobile"], "", language_code),
                "uri": tel_uri(details["mobile"]),
            }
        )
    if details.get("office_phone"):
        extension = details.get("office_extension", "")
        phones.append(
            {
                "label": gettext("Office"),
                "text": format_phone(details["office_phone"], extension, language_code),
                "uri": tel_uri(details["office_phone"], extension),
            }
        )
    if details.get("fax"):
        phones.append(
            {
                "label": gettext("Fax"),
                "text": format_phone(details["fax"], "", language_code),
                "uri": "",
            }
        )
    labels = dict(SpokenLanguage.choices)
    organisation = details.get("organisation", {})
    return {
        "name": contact.text_in(details, "name", language_code),
        "job_title": contact.text_in(details, "job_title", language_code),
        # In the language, else as named in another (as on the vCard).
        "organisation": organisation.get(languages.column("name", language_code))
        or next(iter(organisation.values()), ""),
        "organisation_id": contact.organisation_id,
        "phones": phones,
        "email": details.get("email", ""),
        "languages": pgettext("list of names", ", ").join(
            str(labels[code]) for code in details.get("languages", []) if code in labels
        ),
        "hours": contact.text_in(details, "hours", language_code),
        "vcard_url": contact.get_vcard_url(),
        "vcard_filename": contact.vcard_filename(),
    }
