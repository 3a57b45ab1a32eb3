"""Read-only API views. Each reads through the selectors the public pages use, built on
the models' published()/public() querysets: drafts and private contacts never appear."""

from django.db.models import Prefetch, Q
from django.utils.text import capfirst
from django.views.generic import View
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import serializers as drf_serializers
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.views import APIView

from forum.models import Edition, Report, Session, Speech
from forum.press.selectors import press_list, public_contacts
from forum.programme.selectors import (
    published_editions,
    published_people,
    published_sessions,
    published_speeches,
    session_roles,
)
from forum.reports.availability import listed_in
from forum.reports.selectors import reports_with_credits

from . import serializers
from .filters import EditionAndLanguageFilter
from .parameters import SLUG

# What an operation answers besides its data (DRF's error bodies), documented once for all.
NOT_FOUND = OpenApiResponse(
    inline_serializer("Error", {"detail": drf_serializers.CharField()}),
    "No such item (or, for a list, a page past the last one).",
)
NUL = OpenApiResponse(OpenApiTypes.STR, "The address contains a NUL character.")
INVALID = OpenApiResponse(
    {
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
        "example": {"page_size": ["A whole number from 1 to 100."]},
    },
    "Invalid parameters, each named with what it accepts; or, as plain text, an address "
    "containing a NUL character.",
)


class FilteredViewSet(viewsets.ReadOnlyModelViewSet):
    """?edition=<slug> and ?language=<code> filters for every list."""

    filter_backends = [EditionAndLanguageFilter]
    edition_lookup = "edition__slug"

    def __init_subclass__(cls, **kwargs):
        # The API docs name each list and item after its model ("Speeches", "Speech").
        super().__init_subclass__(**kwargs)
        opts = cls.serializer_class.Meta.model._meta
        errors = {404: NOT_FOUND, (400, "text/plain"): NUL}
        extend_schema_view(
            list=extend_schema(
                summary=str(capfirst(opts.verbose_name_plural)),
                responses={200: cls.serializer_class, (400, "application/json"): INVALID, **errors},
            ),
            retrieve=extend_schema(
                summary=str(capfirst(opts.verbose_name)),
                responses={200: cls.serializer_class, **errors},
            ),
        )(cls)

    def get_queryset(self):
        return self.public()

    def filter_edition(self, queryset, slug):
        return queryset.filter(**{self.edition_lookup: slug}).distinct()

    def filter_language(self, queryset, language):
        """What the pages in the language list (forum/reports/availability.py): every item
        has its page in every language but a report published in one only."""
        return listed_in(queryset, language)


class EditionViewSet(FilteredViewSet):
    serializer_class = serializers.EditionSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG
    edition_lookup = "slug"

    public = staticmethod(published_editions)


class SessionViewSet(FilteredViewSet):
    serializer_class = serializers.SessionSerializer

    def public(self):
        return published_sessions().prefetch_related(Prefetch("roles", queryset=session_roles()))


class SpeechViewSet(FilteredViewSet):
    serializer_class = serializers.SpeechSerializer
    edition_lookup = "session__edition__slug"

    public = staticmethod(published_speeches)


class PersonViewSet(FilteredViewSet):
    serializer_class = serializers.PersonSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG

    public = staticmethod(published_people)

    def filter_edition(self, queryset, slug):
        """People who spoke, chaired or wrote at the edition."""
        return queryset.filter(
            Q(speeches__in=Speech.objects.published().filter(session__edition__slug=slug))
            | Q(session_roles__session__in=Session.objects.published().filter(edition__slug=slug))
            | Q(credits__report__in=Report.objects.published().filter(edition__slug=slug))
        ).distinct()


class ReportViewSet(FilteredViewSet):
    serializer_class = serializers.ReportSerializer

    def public(self):
        return reports_with_credits(Report.objects.published())


class MediaContactViewSet(FilteredViewSet):
    """Public contacts only, and of each only the details marked public."""

    serializer_class = serializers.MediaContactSerializer

    public = staticmethod(public_contacts)

    def filter_edition(self, queryset, slug):
        edition = Edition.objects.published().filter(slug=slug).first()
        return press_list(edition) if edition else queryset.none()


class DocsView(SpectacularSwaggerSplitView):
    """The API's documentation page (Swagger UI), an HTML page and nothing else.

    OPTIONS answers as any Django view does, with the allowed methods and no body. DRF's
    answer is its description of the view as data, which the page's only renderer, an
    HTML template renderer, has no template for: OPTIONS was a server error.
    """

    def options(self, request, *args, **kwargs):
        return View.options(self, request, *args, **kwargs)


class NoSuchAddress(APIView):
    """Any other address under /api/v1/: DRF's JSON 404, as for an unknown id, rather than
    the site's HTML page (a person's address with a character no slug has)."""

    schema = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise NotFound()
