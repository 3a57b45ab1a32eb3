"""Site search in English and Chinese, kept behind one small interface.

    results = search("天津", language_code, page=1)
    for hit in results.page: hit.kind, hit.object, hit.title, hit.snippet, hit.url

`search()`, `update_for()` and `rebuild_index()` delegate to the backend named by the
SEARCH_BACKEND setting (default: `DatabaseSearchBackend` below); text.py turns text into
terms, so a dedicated engine can
replace the database index without touching views or templates.

Ranking
-------
Every word of the query must occur (text.py says how a query becomes words: a Chinese
query is cut with jieba, whose dictionary gets the site's own names and terms here,
`load_site_words`). Documents holding a Chinese query as written come first, then those
whose title holds more of the query terms (headline matches), then those where the terms
occur most often in the text, then reports before editions, sessions, speeches and people.
"""

import html
import re
import uuid
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Case, CharField, Count, Max, Min, Prefetch, Q, Sum, Value, When
from django.db.models.functions import Concat
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.module_loading import import_string
from django.utils.text import capfirst

from forum.core import languages
from forum.core.names import has_han
from forum.core.scripts import convert
from forum.discovery.text import highlight, index_terms, parse_query, segmenter, snippet
from forum.models import (
    Edition,
    Forum,
    Organisation,
    Person,
    Report,
    SearchDocument,
    SearchTerm,
    Session,
    Speech,
    TermOverride,
    public,
)
from forum.models.dependencies import owners
from forum.programme.selectors import published_speeches, session_roles
from forum.reports import byline
from forum.reports.availability import page_languages

MAX_QUERY_LENGTH = 100  # characters; longer queries are refused (see the view)

# --- What is indexed --------------------------------------------------------------------


def html_to_text(value):
    """Rich text as plain text, one line per block."""
    value = re.sub(r"(?i)<br\s*/?>|</(p|li|h[1-6]|blockquote|tr)>", "\n", value or "")
    return html.unescape(strip_tags(value))


def column(obj, field, language_code):
    return getattr(obj, languages.column(field, language_code), "") or ""


def join(*parts):
    return "\n".join(str(part) for part in parts if part)


@dataclass
class IndexedText:
    title: str
    body: str
    url: str
    visible_from: object = None


class IndexedKind:
    """How one kind of page is indexed. Subclasses say which rows and which text."""

    kind = ""
    model = None
    kind_order = 0
    related = ()  # select_related() for the text and the results

    def public(self):
        """The rows search results may show; checked again when results are shown."""
        return self.model.objects.published().select_related(*self.related)

    def indexed(self):
        """The rows that belong in the index (what the public may see)."""
        return self.public()

    def languages(self, obj):
        return page_languages(obj)

    def text(self, obj, language_code):
        """IndexedText for the object in the (active) language, or None to leave it out."""
        raise NotImplementedError

    def label(self):
        return str(capfirst(self.model._meta.verbose_name))


class ReportKind(IndexedKind):
    kind = SearchDocument.Kind.REPORT
    model = Report
    kind_order = 0

    related = ("edition__forum", "session")

    def indexed(self):
        # Scheduled reports are indexed ahead with visible_from = published_at, so they
        # appear in results at their publication time without another save.
        # Speeches by unpublished people are left out (programme/selectors.py); the byline
        # keeps every name as printed.
        return Report.objects.released().prefetch_related(
            "credits__person", Prefetch("speeches", queryset=published_speeches())
        )

    def text(self, report, language_code):
        headline = column(report, "headline", language_code)
        if not headline:
            return None
        speakers = [speech.speaker.full_name(language_code) for speech in report.speeches.all()]
        credited = [person["name"] for person in byline.people(report, language_code)]
        # Readers know a speaker's or an author's name in any language: "Li Wenhai" on a
        # Chinese page, 李文海 on an English one, finds the reports that quote or credit him.
        other_names = [
            name
            for code in languages.CODES
            if code != language_code
            for name in (
                *(speech.speaker.full_name(code) for speech in report.speeches.all()),
                *(person["name"] for person in byline.people(report, code)),
            )
        ]
        return IndexedText(
            title=headline,
            body=join(
                column(report, "summary", language_code),
                html_to_text(column(report, "body", language_code)),
                " ".join(speakers),
                " ".join(credited),
                " ".join(
                    dict.fromkeys(name for name in other_names if name not in speakers + credited)
                ),
            ),
            url=report.get_absolute_url(),
            visible_from=report.published_at,
        )


class EditionKind(IndexedKind):
    kind = SearchDocument.Kind.EDITION
    model = Edition
    kind_order = 1

    related = ("forum", "host", "organiser")

    def text(self, edition, language_code):
        return IndexedText(
            title=edition.title,
            body=join(
                column(edition, "theme", language_code),
                column(edition, "summary", language_code),
                column(edition, "venue", language_code),
                column(edition, "city", language_code),
                edition.host and column(edition.host, "name", language_code),
                edition.organiser and column(edition.organiser, "name", language_code),
            ),
            url=edition.get_absolute_url(),
        )


class SessionKind(IndexedKind):
    kind = SearchDocument.Kind.SESSION
    model = Session
    kind_order = 2

    related = ("edition__forum",)

    def text(self, session, language_code):
        title = column(session, "title", language_code)
        if not title:
            return None
        people = [
            join(
                role.person.full_name(language_code), column(role, "printed_titles", language_code)
            )
            for role in session_roles().filter(session=session)
        ]
        return IndexedText(
            title=title,
            body=join(
                column(session, "summary", language_code),
                session.get_kind_display(),
                session.edition.title,
                column(session, "venue", language_code),
                column(session, "room", language_code),
                *people,
            ),
            url=session.get_absolute_url(),
        )


class SpeechKind(IndexedKind):
    kind = SearchDocument.Kind.SPEECH
    model = Speech
    kind_order = 3

    related = ("speaker", "session__edition__forum")

    def text(self, speech, language_code):
        speaker = speech.speaker.full_name(language_code)
        title = column(speech, "title", language_code) or speaker
        if not title:
            return None
        other_names = {speech.speaker.full_name(code) for code in languages.CODES} - {speaker}
        return IndexedText(
            title=title,
            body=join(
                speech.get_kind_display(),
                speaker,
                *sorted(other_names),
                column(speech, "printed_title", language_code),
                column(speech.session, "title", language_code),
                speech.session.edition.title,
            ),
            url=speech.get_absolute_url(),
        )


class PersonKind(IndexedKind):
    kind = SearchDocument.Kind.PERSON
    model = Person
    kind_order = 4

    def indexed(self):
        return self.public().prefetch_related("positions__organisation")

    def text(self, person, language_code):
        name = person.full_name(language_code)
        if not name:
            return None
        # As the person's page prints them (中国发展研究基金会理事长), so snippets read so too.
        positions = [position.label(language_code) for position in person.positions.all()]
        # Readers often know a speaker's name in another language: 李文海 on an English page.
        # Once each: 李文海 is the same in both Chinese scripts.
        other_names = dict.fromkeys(
            person.full_name(code) for code in languages.CODES if code != language_code
        )
        other_names.pop(name, None)
        return IndexedText(
            title=name,
            body=join(
                column(person, "honorific", language_code),
                column(person, "biography", language_code),
                *positions,
                *other_names,
            ),
            url=person.get_absolute_url(),
        )


KINDS = {
    kind.kind: kind
    for kind in (ReportKind(), EditionKind(), SessionKind(), SpeechKind(), PersonKind())
}
KIND_OF_MODEL = {kind.model: kind for kind in KINDS.values()}


# --- Results ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "report", "edition", "session", "speech", "person"
    kind_label: str
    object: object
    title: str  # safe HTML: escaped, matches in <mark>
    snippet: str  # safe HTML: escaped, matches in <mark>
    url: str


@dataclass(frozen=True)
class SearchResults:
    query: str
    language: str
    page: Page  # page.object_list holds the SearchHits of this page
    has_terms: bool  # False when the query held nothing to search for

    @property
    def hits(self):
        return self.page.object_list

    @property
    def count(self):
        return self.page.paginator.count


# --- The database backend ---------------------------------------------------------------


class DatabaseSearchBackend:
    """Search over the SearchDocument/SearchTerm tables (SQLite and PostgreSQL alike)."""

    def search(self, query, language, page=1, per_page=10):
        """One page of results. Raises django.core.paginator.InvalidPage for a bad page."""
        if has_han(query):
            load_site_words()
        parsed = parse_query(query)
        rows = self._ranked_rows(parsed, language) if parsed else SearchTerm.objects.none()
        paginator = Paginator(rows, per_page)
        page_of_rows = paginator.page(page)
        hits = self._hits([row["document"] for row in page_of_rows], parsed, language)
        return SearchResults(
            query, language, Page(hits, page_of_rows.number, paginator), bool(parsed)
        )

    @staticmethod
    def _as_written(text, prefix=""):
        """Q: the document's title or text holds the (Simplified) text as written, in the
        document's script: a derived language's documents hold it converted."""
        found = Q()
        for form in {text, *(convert(text, code) for code in languages.DERIVED)}:
            found |= Q(**{f"{prefix}title__contains": form}) | Q(
                **{f"{prefix}body__contains": form}
            )
        return found

    def _holding(self, form):
        """Q: the document holds the word form (its terms, and as written if it must)."""
        terms = sorted(form.terms)
        with_terms = SearchTerm.objects.filter(term__in=terms).values("document")
        if len(terms) > 1:
            with_terms = with_terms.annotate(found=Count("pk")).filter(found=len(terms))
        found = Q(pk__in=with_terms.values("document"))
        return found & self._as_written(form.phrase) if form.phrase else found

    def _ranked_rows(self, parsed, language):
        # Scheduled reports are indexed ahead (ReportKind.indexed); their documents open
        # on the clock that decides "public now", and the results are checked again
        # against public() in _hits().
        documents = SearchDocument.objects.filter(
            Q(visible_from__isnull=True) | Q(visible_from__lte=public.now()), language=language
        )
        for forms in parsed.words:  # every word, in one of its forms
            found = Q()
            for form in forms:
                found |= self._holding(form)
            documents = documents.filter(found)
        as_written = (
            Max(Case(When(self._as_written(parsed.phrase, "document__"), then=1), default=0))
            if parsed.phrase
            else Value(0)
        )
        return (
            SearchTerm.objects.filter(document__in=documents, term__in=parsed.terms)
            .values("document")
            .annotate(
                as_written=as_written,
                title_matched=Count("pk", filter=Q(in_title__gt=0)),
                body_hits=Sum("in_body"),
                order=Min("document__kind_order"),
            )
            .order_by("-as_written", "-title_matched", "-body_hits", "order", "document")
        )

    def _hits(self, document_ids, parsed, language):
        documents = SearchDocument.objects.in_bulk(document_ids)
        objects = {}
        for kind, indexed_kind in KINDS.items():
            pks = [doc.object_id for doc in documents.values() if doc.kind == kind]
            if pks:
                objects[kind] = indexed_kind.public().in_bulk(pks)
        length = 120 if languages.writes_han(language) else 240
        hits = []
        with translation.override(language):
            for document_id in document_ids:
                document = documents[document_id]
                obj = objects.get(document.kind, {}).get(document.object_id)
                if obj is None:  # no longer public (changed without a save signal)
                    continue
                hits.append(
                    SearchHit(
                        kind=document.kind,
                        kind_label=KINDS[document.kind].label(),
                        object=obj,
                        title=highlight(document.title, parsed),
                        snippet=snippet(document.body, parsed, length=length, before=length // 4),
                        url=document.url,
                    )
                )
        return hits

    # --- Keeping the index current ---

    @transaction.atomic
    def update(self, model, pk):
        """Index the object in each language it is public in; remove it where it is not."""
        indexed_kind = KIND_OF_MODEL[model]
        obj = indexed_kind.indexed().filter(pk=pk).first()
        texts = {}
        if obj is not None:
            for language_code in indexed_kind.languages(obj):
                with translation.override(language_code):
                    text = indexed_kind.text(obj, language_code)
                if text is not None:
                    texts[language_code] = text
        self._write(indexed_kind, pk, texts)

    def remove(self, model, pk):
        SearchDocument.objects.filter(kind=KIND_OF_MODEL[model].kind, object_id=pk).delete()

    def _write(self, indexed_kind, pk, texts):
        existing = {
            doc.language: doc
            for doc in SearchDocument.objects.filter(kind=indexed_kind.kind, object_id=pk)
        }
        for language_code, text in texts.items():
            document = existing.pop(language_code, None)
            title, body = text.title[:500], text.body
            unchanged = document and (
                (document.title, document.body, document.url, document.visible_from)
                == (title, body, text.url, text.visible_from)
            )
            if unchanged:
                continue
            document = document or SearchDocument(
                kind=indexed_kind.kind, object_id=pk, language=language_code
            )
            document.title, document.body, document.url = title, body, text.url
            document.visible_from = text.visible_from
            document.kind_order = indexed_kind.kind_order
            document.save()
            document.terms.all().delete()
            in_title, in_body = index_terms(title), index_terms(body)
            SearchTerm.objects.bulk_create(
                SearchTerm(
                    document=document,
                    term=term,
                    in_title=in_title.get(term, 0),
                    in_body=in_body.get(term, 0),
                )
                for term in in_title.keys() | in_body.keys()
            )
        for document in existing.values():
            document.delete()

    @transaction.atomic
    def rebuild(self):
        """Empty the index and index every public object again. Returns the documents."""
        SearchDocument.objects.all().delete()
        for indexed_kind in KINDS.values():
            for pk in indexed_kind.indexed().values_list("pk", flat=True):
                self.update(indexed_kind.model, pk)
        return SearchDocument.objects.count()


# --- The site's own words for the Chinese segmenter -------------------------------------

SITE_WORDS_VERSION = "search:site-words-version"


def site_words():
    """The Chinese names and terms of the site, as stored (one query): people's full
    names, organisations' and forums' names, session titles and the editors' term
    overrides, in every Chinese column."""
    parts = [
        TermOverride.objects.order_by().values_list("source", flat=True),
        TermOverride.objects.order_by().values_list("text", flat=True),
    ]
    for code in languages.CODES:
        if not languages.writes_han(code):
            continue
        family, given = languages.column("family_name", code), languages.column("given_name", code)
        full_name = Concat(family, given, output_field=CharField())
        parts.append(
            Person.objects.order_by().annotate(word=full_name).values_list("word", flat=True)
        )
        for model, fields in ((Organisation, ("name", "short_name")), (Forum, ("name",))):
            parts.extend(
                model.objects.order_by().values_list(languages.column(field, code), flat=True)
                for field in fields
            )
        parts.append(
            Session.objects.order_by().values_list(languages.column("title", code), flat=True)
        )
    first, *others = parts
    return [word for word in first.union(*others) if word]


def site_words_changed():
    """A name, term or title changed: every process reloads the site's words at its next
    Chinese query (the version is shared through the cache)."""
    cache.set(SITE_WORDS_VERSION, uuid.uuid4().hex, None)


def _site_words_version():
    version = cache.get(SITE_WORDS_VERSION)
    if version is None:  # a fresh cache: start a version every process will share
        cache.add(SITE_WORDS_VERSION, uuid.uuid4().hex, None)
        version = cache.get(SITE_WORDS_VERSION)
    # A cache that keeps nothing (Redis down): keep the words loaded, if any.
    return version or segmenter.version or "uncached"


def load_site_words():
    """jieba's dictionary with the site's words, read again only when they changed."""
    segmenter.use_words(_site_words_version(), site_words)


# --- The interface ----------------------------------------------------------------------


@lru_cache(maxsize=1)
def get_backend():
    path = getattr(settings, "SEARCH_BACKEND", "forum.discovery.search.DatabaseSearchBackend")
    return import_string(path)()


def search(query, language, page=1, per_page=10):
    """Results for the query among pages in the language; see SearchResults."""
    return get_backend().search(query, language, page=page, per_page=per_page)


def rebuild_index():
    return get_backend().rebuild()


def documents_showing(instance):
    """[(model, pk)] of the search documents that hold text of the instance: its own and
    its owners' (forum/models/dependencies.py). Reads the database as it is now."""
    found = [(owner, pk) for owner, pk, _lists in owners(instance, text=True)]
    if type(instance) in KIND_OF_MODEL:
        found.insert(0, (type(instance), instance.pk))
    return list(dict.fromkeys(found))


def update_documents(documents, *, deleted=None):
    """Bring the documents up to date; `deleted` (model, pk) is removed from the index."""
    backend = get_backend()
    for model, pk in documents:
        if (model, pk) == deleted:
            backend.remove(model, pk)
        elif pk is not None:
            backend.update(model, pk)
