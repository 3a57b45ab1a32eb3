"""vCard downloads of public media contacts: one contact, or an edition's press list."""

from django.shortcuts import get_object_or_404

from .models import Edition
from .vcards import vcard_response
from .views import public_contacts


def contact_vcard(request, pk):
    """One public contact as a .vcf; a private or inactive contact is a 404."""
    contact = get_object_or_404(public_contacts(), pk=pk)
    return vcard_response([contact], contact.vcard_filename())


def press_list_vcard(request, edition):
    """Every public contact on an edition's press page, as one .vcf."""
    edition = get_object_or_404(Edition.objects.published(), slug=edition)
    contacts = public_contacts().covering(edition)
    return vcard_response(contacts, f"cdf-{edition.slug}-media-contacts.vcf")
