"""The byline: who wrote and reviewed a report, as printed.

Publishing freezes it (`Report.published_byline`, written by the workflow) in every
language, so a later change of a name or title does not rewrite old bylines. Pages, feeds,
search, JSON-LD and the API all read it here; before publication (previews) it is read
from the credits as they are now.

A frozen entry: {"role": "author", "label_<suffix>": "Authors",
                 "people": [{"slug": …, "name_<suffix>": …}]}, one key per language.
"""

from django.utils.translation import override

from forum.core import languages
from forum.models import Credit


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


def entries(report):
    """The frozen byline, or the one publishing would freeze for a report not yet public."""
    return report.published_byline or snapshot(report)


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
            entry[languages.column("label", code)],
            [
                {"name": person[languages.column("name", code)], "slug": person["slug"]}
                for person in entry["people"]
            ],
        )
        for entry in entries(report)
    ]


def people(report, language_code=None, role=None):
    """[{"name", "slug"}] of everyone credited (or only in `role`), in byline order."""
    code = language_code or languages.active()
    return [
        {"name": person[languages.column("name", code)], "slug": person["slug"]}
        for entry in entries(report)
        if role is None or _role(entry) == role
        for person in entry["people"]
    ]


def authors(report, language_code=None):
    return people(report, language_code, role=Credit.Role.AUTHOR)
