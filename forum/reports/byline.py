"""The byline: who wrote and reviewed a report, as printed.

Publishing freezes it (`Report.published_byline`, written by the workflow) in every
language, so a later change of a name or title does not rewrite old bylines. Pages, feeds,
search, JSON-LD and the API all read it here; before publication (previews) it is read
from the credits as they are now.

A frozen entry: {"role": "author", "label_<suffix>": "Authors",
                 "people": [{"slug": …, "name_<suffix>": …}]}, one key per language.

A person credited in a published byline who is not (or no longer) published keeps their
name there, as printed, but not the link: readers get the name without a slug (None), as
their page would be a 404.
"""

from django.utils.translation import override

from forum.core import languages
from forum.hant.services import converted
from forum.models import Credit, Person


def _text(frozen, field, code):
    """A frozen text in the language; for a byline frozen before a derived language
    existed, its source language's text converted."""
    key = languages.column(field, code)
    if key in frozen or code not in languages.DERIVED:
        return frozen[key]
    return converted(frozen.get(languages.column(field, languages.origin(code))) or "", code)


def snapshot(report):
    """The byline as it would be printed now, in every language: what publishing freezes."""
    groups = {}
    for credit in report.credits.all():
        groups.setdefault(credit.role, []).append(credit.person)
    entries = []
    for role, people in groups.items():
        label = Credit.Role(role).byline_label
        entry = {"role": role, "people": []}
        for code in languages.CODES:
            with override(code):
                entry[languages.column("label", code)] = str(label)
        for person in people:
            entry["people"].append(
                {"slug": person.slug}
                | {
                    languages.column("name", code): person.full_name(code)
                    for code in languages.CODES
                }
            )
        entries.append(entry)
    return entries


def _printed(report):
    """The frozen byline, or the one publishing would freeze for a report not yet public."""
    return report.published_byline or snapshot(report)


def _public_slugs(report):
    """Slugs in the byline whose person is published now (only they are linked).

    Reads the report's credits (prefetched by every page, feed and API list) and asks the
    database only about people no longer credited; kept on the report for the request.
    """
    if not hasattr(report, "_byline_public_slugs"):
        slugs = {person.get("slug") for entry in _printed(report) for person in entry["people"]}
        slugs.discard(None)
        published = {credit.person.slug: credit.person.is_public for credit in report.credits.all()}
        if others := slugs - published.keys():
            people = Person.objects.filter(slug__in=others).only("slug", "is_published")
            published |= {person.slug: person.is_public for person in people}
        report._byline_public_slugs = {slug for slug in slugs if published.get(slug)}
    return report._byline_public_slugs


def entries(report):
    """The byline as printed (frozen entries, see above), with "slug" None for a person
    whose page is not public."""
    public = _public_slugs(report)
    return [
        {
            **entry,
            "people": [
                {**person, "slug": person.get("slug") if person.get("slug") in public else None}
                for person in entry["people"]
            ],
        }
        for entry in _printed(report)
    ]


def _role(entry):
    # Early snapshots name the group by its English label only.
    if "role" in entry:
        return entry["role"]
    with override(languages.DEFAULT):
        labels = {str(Credit.Role(role).byline_label): role for role in Credit.Role.values}
    return labels.get(entry.get(languages.column("label", languages.DEFAULT)))


def groups(report, language_code=None):
    """[(label, [{"name", "slug"}])] in the language (default: the active one)."""
    code = language_code or languages.active()
    return [
        (
            _text(entry, "label", code),
            [
                {"name": _text(person, "name", code), "slug": person["slug"]}
                for person in entry["people"]
            ],
        )
        for entry in entries(report)
    ]


def people(report, language_code=None, role=None):
    """[{"name", "slug"}] of everyone credited (or only in `role`), in byline order."""
    code = language_code or languages.active()
    return [
        {"name": _text(person, "name", code), "slug": person["slug"]}
        for entry in entries(report)
        if role is None or _role(entry) == role
        for person in entry["people"]
    ]


def authors(report, language_code=None):
    return people(report, language_code, role=Credit.Role.AUTHOR)
