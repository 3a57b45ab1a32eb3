"""What shows what: the one map of which objects a change of another object touches.

Both the page cache (forum/pagecache) and the search index (forum/discovery) read it:
when an object changes, the pages of its *owners* may show something else — a name, a
title, a longer or shorter list — and their search documents may hold other text.

Each `Shows` line says: the page of an `owner` object shows `part` objects, reached from
the owner by `lookups` (Django lookups, OR-ed); `lists` names the lists on the owner's
page that the part belongs to (the page cache's collection tags, "session:5/speeches"),
and `text` says whether the owner's search document includes the part's text.

A many-to-many link between an owner and its parts (a report's speeches, the editions a
contact covers) is found from the same lines: `link_tables()` names the tables the
lookups cross, and a change of links touches the owners of the objects on either side.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q


@dataclass(frozen=True)
class Shows:
    owner: str
    part: str
    lookups: tuple[str, ...]
    lists: tuple[str, ...] = ()
    text: bool = False


SHOWS = (
    # Reports: the byline and the speeches' speakers are part of a report's text. Pages
    # leave out whoever is not published: publishing or withdrawing a person changes the
    # lists they are in (programme/selectors.py), as well as the text.
    Shows("Report", "Credit", ("credits",), lists=("credits",), text=True),
    Shows(
        "Report",
        "Person",
        ("credits__person", "speeches__speaker"),
        lists=("credits", "speeches"),
        text=True,
    ),
    Shows("Report", "Speech", ("speeches",), lists=("speeches",), text=True),
    Shows("Report", "Session", ("speeches__session",), lists=("speeches",)),
    Shows("Report", "MediaContact", ("media_contacts",), lists=("contacts",)),
    # Editions list their sessions (with presiders and speeches), reports and contacts.
    Shows("Edition", "Forum", ("forum",), text=True),
    Shows("Edition", "Organisation", ("host", "organiser"), text=True),
    Shows("Edition", "Session", ("sessions",), lists=("sessions", "contacts")),
    Shows("Edition", "SessionRole", ("sessions__roles",), lists=("sessions",)),
    Shows(
        "Edition",
        "Person",
        ("sessions__roles__person", "sessions__speeches__speaker"),
        lists=("sessions",),
    ),
    Shows("Edition", "Speech", ("sessions__speeches",), lists=("sessions",)),
    # A report's contacts join the edition's press list when it is published.
    Shows("Edition", "Report", ("reports",), lists=("reports", "contacts")),
    Shows(
        "Edition",
        "MediaContact",
        (
            "media_contacts",
            "sessions__media_contacts",
            "reports__media_contacts",
            "press_office__media_contacts",  # the press office's own staff
        ),
        lists=("contacts",),
    ),
    # Sessions: their presiders, speeches and reports; the edition's title is in their text.
    Shows("Session", "Forum", ("edition__forum",), text=True),
    Shows("Session", "Edition", ("edition",), text=True),
    Shows("Session", "SessionRole", ("roles",), lists=("roles",), text=True),
    Shows("Session", "Person", ("roles__person",), lists=("roles",), text=True),
    Shows("Session", "Person", ("speeches__speaker",), lists=("speeches",)),
    Shows("Session", "Speech", ("speeches",), lists=("speeches",)),
    Shows("Session", "Report", ("reports",), lists=("reports",)),
    # Speeches have no page of their own, but a search document: speaker, session, edition.
    Shows("Speech", "Forum", ("session__edition__forum",), text=True),
    Shows("Speech", "Edition", ("session__edition",), text=True),
    Shows("Speech", "Session", ("session",), text=True),
    Shows("Speech", "Person", ("speaker",), text=True),
    # People: positions, speeches, session roles, and the reports they wrote or spoke in.
    Shows("Person", "Position", ("positions",), lists=("positions",), text=True),
    Shows("Person", "Speech", ("speeches",), lists=("speeches", "reports")),
    Shows("Person", "Session", ("speeches__session",), lists=("speeches",)),
    Shows("Person", "Session", ("session_roles__session",), lists=("roles",)),
    Shows("Person", "SessionRole", ("session_roles",), lists=("roles",)),
    Shows("Person", "Credit", ("credits",), lists=("reports",)),
    Shows("Person", "Report", ("credits__report", "speeches__reports"), lists=("reports",)),
)

# Site-wide lists a model's objects appear in: the lists of reports, people…, and the
# current edition in every page's navigation.
LISTED_IN = {
    "Report": ("reports",),
    "Session": ("sessions",),
    "Person": ("people",),
    "Edition": ("editions",),
    "Forum": ("forums",),
}

# What the public sees of a model is what these models show; nothing else needs watching.
WATCHED_MODELS = tuple(dict.fromkeys(name for line in SHOWS for name in (line.owner, line.part)))


def model_of(name):
    return apps.get_model("forum", name)


def link_tables(*, text=False):
    """The through models of the many-to-many fields the lookups cross (with text=True,
    only those of lines whose part's text is in the owner's search document): adding or
    removing a link there changes the lists (or text) of the owners of either side."""
    tables = {}
    for line in SHOWS:
        if text and not line.text:
            continue
        for lookup in line.lookups:
            model = model_of(line.owner)
            for step in lookup.split("__"):
                field = model._meta.get_field(step)
                if field.many_to_many:
                    tables[field.remote_field.through if field.concrete else field.through] = None
                model = field.related_model
    return tuple(tables)


def linked_objects(through, instance, model, pk_set):
    """The instance and the `model` objects an m2m_changed signal names: pk_set, or with
    pk_set None (a clear, read before it), every object still linked in the table."""
    if pk_set is None:
        columns = {field.related_model: field.attname for field in through._meta.fields}
        source, target = columns[type(instance)], columns[model]
        pk_set = through.objects.filter(**{source: instance.pk}).values_list(target, flat=True)
    return [instance, *model._base_manager.filter(pk__in=list(pk_set))]


def owners(instance, *, text=False):
    """[(owner model, owner pk, lists)] of the objects whose pages list the instance, or
    with text=True, whose search documents include its text.

    Reads the database as it is now: call it before a delete and after a save.
    """
    if instance.pk is None:
        return []
    name = type(instance).__name__
    found = []
    for line in SHOWS:
        if line.part != name or not (line.text if text else line.lists):
            continue
        owner = model_of(line.owner)
        condition = Q(*((lookup, instance.pk) for lookup in line.lookups), _connector=Q.OR)
        for pk in set(owner._base_manager.filter(condition).values_list("pk", flat=True)):
            found.append((owner, pk, line.lists))
    return found


def affects_search(model):
    """Whether a change of the model can change search results: it has a search document
    (its own text includes others'), or some document includes its text."""
    name = model.__name__
    return any(line.text and name in (line.owner, line.part) for line in SHOWS)
