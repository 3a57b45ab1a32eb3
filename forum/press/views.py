"""Public press pages: an edition's media contacts, and their vCards."""

from django.shortcuts import get_object_or_404
from django.views.generic import DetailView

from forum.models import Edition
from forum.press.selectors import press_list, public_contacts
from forum.press.vcards import vcard_response


class PressView(DetailView):
    """An edition's press page: its public media contacts and the press office."""

    template_name = "forum/press.html"
    slug_url_kwarg = "edition"

    def get_queryset(self):
        return Edition.objects.published().select_related("forum", "press_office")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["contacts"] = press_list(self.object)
        context["press_office"] = self.object.press_office
        return context


def contact_vcard(request, pk):
    """One public contact as a .vcf; a private or inactive contact is a 404."""
    contact = get_object_or_404(public_contacts(), pk=pk)
    return vcard_response([contact], contact.vcard_filename())


def press_list_vcard(request, edition):
    """Every public contact on an edition's press page, as one .vcf."""
    edition = get_object_or_404(Edition.objects.published(), slug=edition)
    return vcard_response(press_list(edition), f"cdf-{edition.slug}-media-contacts.vcf")
