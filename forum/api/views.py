"""Read-only API views. Each reads through the selectors the public pages use, built on
the models' published()/public() querysets: drafts and private contacts never appear."""

from django.db.models import Prefetch, Q
from django.utils.text import capfirst
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError

from forum.core import languages
from forum.models import Edition, Report, Session, Speech
from forum.press.selectors import press_list, public_contacts
from forum.programme.selectors import (
    published_editions,
    published_people,
    published_sessions,
    published_speeches,
    session_roles,
)
from forum.reports.selectors import reports_with_credits

from . import serializers

EDITION = OpenApiParameter(
    "edition", OpenApiTypes.STR, description="Only items of this edition (its slug, e.g. 2024)."
)
LANGUAGE = OpenApiParameter(
    "language",
    OpenApiTypes.STR,
    enum=list(languages.CODES),
    description="Only items that have a version in this language. Every item still "
    "carries both languages' texts (null where there is none).",
)


class FilteredViewSet(viewsets.ReadOnlyModelViewSet):
    """?edition=<slug> and ?language=<code> filters for every list."""

    edition_lookup = "edition__slug"
    # Translated fields a version in a language cannot do without.
    language_fields = ()

    def __init_subclass__(cls, **kwargs):
        # The API docs name each list and item after its model ("Speeches", "Speech").
        super().__init_subclass__(**kwargs)
        opts = cls.serializer_class.Meta.model._meta
        extend_schema_view(
            list=extend_schema(
                summary=str(capfirst(opts.verbose_name_plural)), parameters=[EDITION, LANGUAGE]
            ),
            retrieve=extend_schema(summary=str(capfirst(opts.verbose_name))),
        )(cls)

    def get_queryset(self):
        queryset = self.public()
        if self.action != "list":
            return queryset
        edition = self.request.query_params.get("edition")
        if edition:
            queryset = self.filter_edition(queryset, edition)
        language = self.request.query_params.get("language")
        if language:
            if language not in languages.CODES:
                raise ValidationError({"language": f"Use one of: {', '.join(languages.CODES)}."})
            queryset = self.filter_language(queryset, language)
        return queryset

    def filter_edition(self, queryset, slug):
        return queryset.filter(**{self.edition_lookup: slug}).distinct()

    def filter_language(self, queryset, language):
        for field in self.language_fields:
            column = languages.column(field, language)
            queryset = queryset.exclude(Q(**{f"{column}__isnull": True}) | Q(**{column: ""}))
        return queryset


class EditionViewSet(FilteredViewSet):
    serializer_class = serializers.EditionSerializer
    lookup_field = "slug"
    edition_lookup = "slug"
    language_fields = ("theme",)

    public = staticmethod(published_editions)


class SessionViewSet(FilteredViewSet):
    serializer_class = serializers.SessionSerializer
    language_fields = ("title",)

    def public(self):
        return published_sessions().prefetch_related(Prefetch("roles", queryset=session_roles()))


class SpeechViewSet(FilteredViewSet):
    serializer_class = serializers.SpeechSerializer
    edition_lookup = "session__edition__slug"
    language_fields = ("printed_title",)

    public = staticmethod(published_speeches)


class PersonViewSet(FilteredViewSet):
    serializer_class = serializers.PersonSerializer
    lookup_field = "slug"
    language_fields = ("family_name",)

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

    def filter_language(self, queryset, language):
        return queryset.filter(pk__in=Report.objects.public(language).values("pk"))


class MediaContactViewSet(FilteredViewSet):
    """Public contacts only, and of each only the details marked public."""

    serializer_class = serializers.MediaContactSerializer
    language_fields = ("name",)

    public = staticmethod(public_contacts)

    def filter_edition(self, queryset, slug):
        edition = Edition.objects.published().filter(slug=slug).first()
        return press_list(edition) if edition else queryset.none()
