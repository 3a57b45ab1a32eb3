"""Read-only API views. Each starts from the model's published()/public() queryset, the
same that decides what the public pages show: drafts and private contacts never appear."""

from django.db.models import Prefetch, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError

from forum.availability import reports_available_in
from forum.models import (
    Credit,
    Edition,
    MediaContact,
    Person,
    Report,
    Session,
    SessionRole,
    Speech,
)
from forum.models.common import LANGUAGE_CODES, translated_column

from . import serializers

EDITION = OpenApiParameter(
    "edition", OpenApiTypes.STR, description="Only items of this edition (its slug, e.g. 2024)."
)
LANGUAGE = OpenApiParameter(
    "language",
    OpenApiTypes.STR,
    enum=list(LANGUAGE_CODES),
    description="Only items that have a version in this language. Every item still "
    "carries both languages' texts (null where there is none).",
)


def filtered(plural, singular):
    return extend_schema_view(
        list=extend_schema(summary=plural, parameters=[EDITION, LANGUAGE]),
        retrieve=extend_schema(summary=singular),
    )


class FilteredViewSet(viewsets.ReadOnlyModelViewSet):
    """?edition=<slug> and ?language=<code> filters for every list."""

    edition_lookup = "edition__slug"
    # Translated fields a version in a language cannot do without.
    language_fields = ()

    def get_queryset(self):
        queryset = self.public_queryset()
        if self.action != "list":
            return queryset
        edition = self.request.query_params.get("edition")
        if edition:
            queryset = self.filter_edition(queryset, edition)
        language = self.request.query_params.get("language")
        if language:
            if language not in LANGUAGE_CODES:
                raise ValidationError({"language": f"Use one of: {', '.join(LANGUAGE_CODES)}."})
            queryset = self.filter_language(queryset, language)
        return queryset

    def filter_edition(self, queryset, slug):
        return queryset.filter(**{self.edition_lookup: slug}).distinct()

    def filter_language(self, queryset, language):
        for field in self.language_fields:
            column = translated_column(field, language)
            queryset = queryset.exclude(Q(**{f"{column}__isnull": True}) | Q(**{column: ""}))
        return queryset


@filtered("Editions", "Edition")
class EditionViewSet(FilteredViewSet):
    serializer_class = serializers.EditionSerializer
    lookup_field = "slug"
    edition_lookup = "slug"
    language_fields = ("theme",)

    def public_queryset(self):
        return Edition.objects.published().select_related("forum", "host", "organiser")


@filtered("Sessions", "Session")
class SessionViewSet(FilteredViewSet):
    serializer_class = serializers.SessionSerializer
    language_fields = ("title",)

    def public_queryset(self):
        return (
            Session.objects.published()
            .select_related("edition__forum")
            .prefetch_related(
                Prefetch("roles", queryset=SessionRole.objects.select_related("person"))
            )
        )


@filtered("Speeches", "Speech")
class SpeechViewSet(FilteredViewSet):
    serializer_class = serializers.SpeechSerializer
    edition_lookup = "session__edition__slug"
    language_fields = ("printed_title",)

    def public_queryset(self):
        return Speech.objects.published().select_related("speaker", "session__edition")


@filtered("People", "Person")
class PersonViewSet(FilteredViewSet):
    serializer_class = serializers.PersonSerializer
    lookup_field = "slug"
    language_fields = ("family_name",)

    def public_queryset(self):
        return Person.objects.published().prefetch_related("positions__organisation")

    def filter_edition(self, queryset, slug):
        """People who spoke, chaired or wrote at the edition."""
        return queryset.filter(
            Q(speeches__in=Speech.objects.published().filter(session__edition__slug=slug))
            | Q(session_roles__session__in=Session.objects.published().filter(edition__slug=slug))
            | Q(credits__report__in=Report.objects.published().filter(edition__slug=slug))
        ).distinct()


@filtered("Reports", "Report")
class ReportViewSet(FilteredViewSet):
    serializer_class = serializers.ReportSerializer

    def public_queryset(self):
        return (
            Report.objects.published()
            .select_related("edition", "publisher")
            .prefetch_related(
                "speeches", Prefetch("credits", queryset=Credit.objects.select_related("person"))
            )
        )

    def filter_language(self, queryset, language):
        return queryset.filter(pk__in=reports_available_in(language).values("pk"))


@filtered("Media contacts", "Media contact")
class MediaContactViewSet(FilteredViewSet):
    """Public contacts only, and of each only the details marked public."""

    serializer_class = serializers.MediaContactSerializer
    language_fields = ("name",)

    def public_queryset(self):
        return MediaContact.objects.public().select_related("organisation")

    def filter_edition(self, queryset, slug):
        edition = Edition.objects.published().filter(slug=slug).first()
        return queryset.covering(edition) if edition else queryset.none()
