"""Public press pages: an edition's media contacts, and their vCards."""

from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe
from django.views.generic import ListView
from django.views.generic.detail import SingleObjectMixin

from forum.models import Edition
from forum.press.selectors import press_list, public_contacts
from forum.press.vcards import vcard_response, vcard_stream_response


class PressView(SingleObjectMixin, ListView):
    """An edition's press page: the press office, and its public media contacts a page at a
    time (`?page=N`; a page number out of range is a 404).

    The edition is the page's `object` (the page cache tags the page with its contacts
    collection); the contacts of this page are `contacts`, with `page_obj` for the links.
    """

    template_name = "forum/press.html"
    slug_url_kwarg = "edition"
    paginate_by = 50

    def get(self, request, *args, **kwargs):
        self.object = self.get_object(
            queryset=Edition.objects.published().select_related("forum", "press_office")
        )
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return press_list(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["contacts"] = context["object_list"]
        context["press_office"] = self.object.press_office
        return context


@require_safe
def contact_vcard(request, pk):
    """One public contact as a .vcf; a private or inactive contact is a 404."""
    contact = get_object_or_404(public_contacts(), pk=pk)
    return vcard_response(contact, contact.vcard_filename())


@require_safe
def press_list_vcard(request, edition):
    """Every public contact on an edition's press page, as one streamed .vcf."""
    edition = get_object_or_404(Edition.objects.published(), slug=edition)
    return vcard_stream_response(press_list(edition), f"cdf-{edition.slug}-media-contacts.vcf")
