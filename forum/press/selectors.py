"""Reads of media contacts for public pages, vCards and the API.

`MediaContact.objects.public()` says which contacts the public may see; each contact's
`public_details()` then says which of its details (forum/models/press.py).
"""

from forum.models import MediaContact


def public_contacts():
    """Active public contacts; pages show only `public_details()` of each."""
    return MediaContact.objects.public().select_related("organisation")


def press_list(edition):
    """The public contacts on an edition's press page and in its contacts.vcf, in the
    contacts' order, the id breaking ties so that consecutive pages never repeat or skip one."""
    return public_contacts().covering(edition).order_by(*MediaContact._meta.ordering, "pk")
