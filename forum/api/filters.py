"""?edition=<slug> and ?language=<code> on every list of the API."""

from rest_framework.filters import BaseFilterBackend

from forum.core import languages

from .parameters import SLUG, QueryParameter, read_all

EDITION = QueryParameter(
    "edition",
    "Only items of this edition (its slug, e.g. 2024).",
    {"type": "string", "pattern": f"^{SLUG}$", "example": "2024"},
    "An edition's slug: letters, digits, hyphens and underscores, e.g. 2024.",
)
LANGUAGE = QueryParameter(
    "language",
    "Only items the site's pages list in this language: reports published in it, any "
    "other item in every language (a name known in one script only is shown as given). "
    "Every item still carries every language's texts (null where there is none).",
    {"type": "string", "enum": list(languages.CODES)},
    f"Use one of: {', '.join(languages.CODES)}.",
)


class EditionAndLanguageFilter(BaseFilterBackend):
    """Checks both parameters, then leaves the filtering to the view's filter_edition()
    and filter_language(): what "of an edition" and "in a language" mean differs by list.
    Items are found by id or slug whatever the parameters."""

    def filter_queryset(self, request, queryset, view):
        if view.action != "list":
            return queryset
        edition, language = read_all(request, EDITION, LANGUAGE)
        if edition:
            queryset = view.filter_edition(queryset, edition)
        if language:
            queryset = view.filter_language(queryset, language)
        return queryset

    def get_schema_operation_parameters(self, view):
        return [EDITION.openapi(), LANGUAGE.openapi()]
