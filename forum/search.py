"""Site search in English and Chinese, kept behind one small interface.

    results = search("天津", "zh-hans", page=1)
    for hit in results.page: hit.kind, hit.object, hit.title, hit.snippet, hit.url

`search()`, `update_for()` and `rebuild_index()` delegate to the backend named by the
SEARCH_BACKEND setting (default: `DatabaseSearchBackend` below), so a dedicated engine can
replace the database index without touching views or templates.

How text becomes terms
----------------------
Chinese is written without spaces, and most Chinese words have two characters. We index
every Han character (unigram) and every pair of neighbouring Han characters (bigram)
instead of segmenting words with a dictionary (jieba) because:

* recall does not depend on a dictionary: names and new coinages (李文海, 天开, 算力,
  "东数西算") are found even though no dictionary knows them, and a segmenter that cuts
  "数字化" as one word would miss a search for "数字";
* queries of any length work: one character is looked up as a unigram, two as a bigram,
  three or more as all their bigrams plus a check that the run occurs as written (which
  removes false matches where the bigrams sit apart);
* it is plain Python with no model to load (jieba loads a 20 MB dictionary per process)
  and gives the same terms on SQLite and PostgreSQL, neither of which segments Chinese.

The price is a larger term table (about two rows per distinct character pair per
document), which is small for a forum's few thousand pages.

Latin letters and digits form words, lower-cased and reduced to their stem with the
Snowball English stemmer (computing, compute, computational -> "comput"); a few very
common English words are left out. Text is NFKC-normalised first, so full-width "ＤＣＵ"
matches "DCU". Documents and queries go through the same tokeniser.

Ranking
-------
All query terms must occur. Documents whose title holds more of the query terms come
first (headline matches), then those where the terms occur most often in the text, then
reports before editions, sessions, speeches and people.
"""

import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Count, Min, Q, Sum
from django.utils import timezone, translation
from django.utils.html import escape, strip_tags
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe
from django.utils.text import capfirst

from .availability import page_languages
from .models import (
    Credit,
    Edition,
    Forum,
    Person,
    Position,
    Report,
    SearchDocument,
    SearchTerm,
    Session,
    SessionRole,
    Speech,
)
from .models.common import LANGUAGE_CODES, translated_column

MAX_QUERY_LENGTH = 100  # characters; longer queries are refused (see the view)
MAX_TERM_LENGTH = 40

# --- Tokenising -------------------------------------------------------------------------

# CJK Unified Ideographs with Extension A, the compatibility block and Extensions B–G.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
TOKEN_RE = re.compile(rf"(?P<han>[{HAN}]+)|(?P<word>[^\W_{HAN}]+)")
WORD_RE = re.compile(rf"[^\W_{HAN}]+")
# Too common to tell pages apart; "s" is what "People's" leaves behind.
STOP_WORDS = frozenset(
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in",
        "is", "it", "its", "of", "on", "or", "s", "that", "the", "this", "to", "was", "were",
        "will", "with",
    }
)  # fmt: skip


def normalise(text):
    """NFKC (full-width letters and digits become ASCII) and lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=20_000)
def stem(word):
    return _stemmer.stemWord(word)[:MAX_TERM_LENGTH]


def bigrams(run):
    return [run[i : i + 2] for i in range(len(run) - 1)]


def index_terms(text):
    """Counter of the terms of a text: Han unigrams and bigrams, stemmed words."""
    counts = Counter()
    for match in TOKEN_RE.finditer(normalise(text)):
        run = match.group("han")
        if run:
            counts.update(run)
            counts.update(bigrams(run))
        elif (word := match.group("word")) not in STOP_WORDS:
            counts[stem(word)] += 1
    return counts


@dataclass(frozen=True)
class ParsedQuery:
    terms: frozenset  # index terms that must all occur
    phrases: tuple  # Han runs of three or more characters that must occur as written
    han_runs: tuple  # every Han run of the query, for highlighting
    stems: frozenset  # stems of the query's words, for highlighting

    def __bool__(self):
        return bool(self.terms)


def parse_query(query):
    terms, phrases, han_runs, stems = set(), [], [], set()
    for match in TOKEN_RE.finditer(normalise(query)):
        run = match.group("han")
        if run:
            han_runs.append(run)
            if len(run) == 1:
                terms.add(run)
            else:
                terms.update(bigrams(run))
            if len(run) >= 3:
                phrases.append(run)
        elif (word := match.group("word")) not in STOP_WORDS:
            terms.add(stem(word))
            stems.add(stem(word))
    return ParsedQuery(frozenset(terms), tuple(phrases), tuple(han_runs), frozenset(stems))


# --- Highlighting -----------------------------------------------------------------------


def match_spans(text, parsed):
    """Sorted, merged (start, end) spans of the text that match the query."""
    spans = []
    for run in parsed.han_runs:
        start = text.find(run)
        while start != -1:
            spans.append((start, start + len(run)))
            start = text.find(run, start + len(run))
    if parsed.stems:
        spans.extend(
            match.span()
            for match in WORD_RE.finditer(text)
            if stem(normalise(match.group())) in parsed.stems
        )
    merged = []
    for start, end in sorted(spans):
        # Overlapping, touching or only a space apart: one <mark> for "computing power".
        if merged and (start <= merged[-1][1] or not text[merged[-1][1] : start].strip()):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def mark(text, spans, start=0, end=None):
    """text[start:end] escaped, with the spans wrapped in <mark>."""
    end = len(text) if end is None else end
    parts, position = [], start
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start >= span_end:
            continue
        parts.append(escape(text[position:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    parts.append(escape(text[position:end]))
    return mark_safe("".join(parts))  # noqa: S308 (every piece of text is escaped above)


def highlight(text, parsed):
    return mark(text, match_spans(text, parsed))


def snippet(text, parsed, length=240, before=60):
    """An excerpt around the first match, escaped, with matches in <mark>."""
    text = re.sub(r"\s+", " ", text or "").strip()
    spans = match_spans(text, parsed)
    start = max(0, spans[0][0] - before) if spans else 0
    if start:
        # Start at a word boundary in Latin text (Chinese can be cut anywhere).
        space = text.find(" ", start, start + 20)
        if space != -1 and (not spans or space < spans[0][0]):
            start = space + 1
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", end - 20, end)
        if space > start and (not spans or space > spans[0][1]):
            end = space
    body = mark(text, spans, start, end)
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(f"{prefix}{body}{suffix}")  # noqa: S308 (escaped by mark())


# --- What is indexed --------------------------------------------------------------------


def html_to_text(value):
    """Rich text as plain text, one line per block."""
    value = re.sub(r"(?i)<br\s*/?>|</(p|li|h[1-6]|blockquote|tr)>", "\n", value or "")
    return html.unescape(strip_tags(value))


def column(obj, field, language_code):
    return getattr(obj, translated_column(field, language_code), "") or ""


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

    def indexed(self):
        """The rows that belong in the index (what the public may see)."""
        return self.model.objects.published()

    def public(self):
        """The rows search results may show; checked again when results are shown."""
        return self.model.objects.published()

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

    def indexed(self):
        # Scheduled reports are indexed ahead with visible_from = published_at, so they
        # appear in results at their publication time without another save.
        return Report.objects.filter(
            status=Report.Status.PUBLISHED, published_at__isnull=False
        ).prefetch_related("credits__person", "speeches__speaker")

    def public(self):
        return Report.objects.published().select_related("edition__forum", "session")

    def text(self, report, language_code):
        headline = column(report, "headline", language_code)
        if not headline:
            return None
        speakers = [speech.speaker.full_name(language_code) for speech in report.speeches.all()]
        byline = [
            person.get(f"name_{language_code.replace('-', '_')}", "")
            for entry in (report.published_byline or report.byline_snapshot())
            for person in entry["people"]
        ]
        return IndexedText(
            title=headline,
            body=join(
                column(report, "summary", language_code),
                html_to_text(column(report, "body", language_code)),
                " ".join(speakers),
                " ".join(byline),
            ),
            url=report.get_absolute_url(),
            visible_from=report.published_at,
        )


class EditionKind(IndexedKind):
    kind = SearchDocument.Kind.EDITION
    model = Edition
    kind_order = 1

    def indexed(self):
        return Edition.objects.published().select_related("forum", "host", "organiser")

    def public(self):
        return Edition.objects.published().select_related("forum")

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

    def indexed(self):
        return Session.objects.published().select_related("edition__forum")

    def public(self):
        return Session.objects.published().select_related("edition__forum")

    def text(self, session, language_code):
        title = column(session, "title", language_code)
        if not title:
            return None
        people = [
            join(
                role.person.full_name(language_code), column(role, "printed_titles", language_code)
            )
            for role in session.roles.select_related("person")
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

    def indexed(self):
        return Speech.objects.published().select_related("speaker", "session__edition__forum")

    def public(self):
        return Speech.objects.published().select_related("speaker", "session__edition__forum")

    def text(self, speech, language_code):
        speaker = speech.speaker.full_name(language_code)
        title = column(speech, "title", language_code) or speaker
        if not title:
            return None
        return IndexedText(
            title=title,
            body=join(
                speech.get_kind_display(),
                speaker,
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
        return Person.objects.published().prefetch_related("positions__organisation")

    def text(self, person, language_code):
        name = person.full_name(language_code)
        if not name:
            return None
        positions = [
            join(
                column(position, "title", language_code),
                position.organisation and column(position.organisation, "name", language_code),
            )
            for position in person.positions.all()
        ]
        # Readers often know a speaker's name in the other language: 李文海 on /en/.
        other_names = [person.full_name(code) for code in LANGUAGE_CODES if code != language_code]
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
        parsed = parse_query(query)
        rows = self._ranked_rows(parsed, language) if parsed else SearchTerm.objects.none()
        paginator = Paginator(rows, per_page)
        page_of_rows = paginator.page(page)
        hits = self._hits([row["document"] for row in page_of_rows], parsed, language)
        return SearchResults(
            query, language, Page(hits, page_of_rows.number, paginator), bool(parsed)
        )

    def _ranked_rows(self, parsed, language):
        now = timezone.now()
        rows = SearchTerm.objects.filter(
            Q(document__visible_from__isnull=True) | Q(document__visible_from__lte=now),
            term__in=parsed.terms,
            document__language=language,
        )
        for phrase in parsed.phrases:
            rows = rows.filter(
                document__in=SearchDocument.objects.filter(
                    Q(title__contains=phrase) | Q(body__contains=phrase), language=language
                )
            )
        return (
            rows.values("document")
            .annotate(
                matched=Count("pk"),
                title_matched=Count("pk", filter=Q(in_title__gt=0)),
                body_hits=Sum("in_body"),
                order=Min("document__kind_order"),
            )
            .filter(matched=len(parsed.terms))
            .order_by("-title_matched", "-body_hits", "order", "document")
        )

    def _hits(self, document_ids, parsed, language):
        documents = SearchDocument.objects.in_bulk(document_ids)
        objects = {}
        for kind, indexed_kind in KINDS.items():
            pks = [doc.object_id for doc in documents.values() if doc.kind == kind]
            if pks:
                objects[kind] = indexed_kind.public().in_bulk(pks)
        length = 120 if language.startswith("zh") else 240
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


# --- The interface ----------------------------------------------------------------------


@lru_cache(maxsize=1)
def get_backend():
    path = getattr(settings, "SEARCH_BACKEND", "forum.search.DatabaseSearchBackend")
    return import_string(path)()


def search(query, language, page=1, per_page=10):
    """Results for the query among pages in the language; see SearchResults."""
    return get_backend().search(query, language, page=page, per_page=per_page)


def rebuild_index():
    return get_backend().rebuild()


def _dependants(instance):
    """(model, pk) of the indexed objects whose text includes something of the instance."""
    if isinstance(instance, Report):
        yield Report, instance.pk
    elif isinstance(instance, Credit):
        yield Report, instance.report_id
    elif isinstance(instance, Forum):
        for edition in Edition.objects.filter(forum_id=instance.pk):
            yield from _dependants(edition)
    elif isinstance(instance, Edition):
        yield Edition, instance.pk
        for session in Session.objects.filter(edition_id=instance.pk):
            yield from _dependants(session)
    elif isinstance(instance, Session):
        yield Session, instance.pk
        for pk in Speech.objects.filter(session_id=instance.pk).values_list("pk", flat=True):
            yield Speech, pk
    elif isinstance(instance, SessionRole):
        yield Session, instance.session_id
    elif isinstance(instance, Speech):
        yield Speech, instance.pk
        for pk in Report.objects.filter(speeches=instance.pk).values_list("pk", flat=True):
            yield Report, pk
    elif isinstance(instance, Person):
        yield Person, instance.pk
        for pk in Speech.objects.filter(speaker_id=instance.pk).values_list("pk", flat=True):
            yield Speech, pk
        sessions = SessionRole.objects.filter(person_id=instance.pk).values_list("session_id")
        for pk in Session.objects.filter(pk__in=sessions).values_list("pk", flat=True):
            yield Session, pk
        reports = Report.objects.filter(
            Q(credits__person_id=instance.pk) | Q(speeches__speaker_id=instance.pk)
        ).values_list("pk", flat=True)
        for pk in set(reports):
            yield Report, pk
    elif isinstance(instance, Position):
        yield Person, instance.person_id


def update_for(instance, deleted=False):
    """Bring the index up to date after the instance was saved or deleted (see signals)."""
    backend = get_backend()
    model = type(instance)
    for dependant_model, pk in dict.fromkeys(_dependants(instance)):
        if deleted and dependant_model is model and pk == instance.pk:
            backend.remove(model, pk)
        elif pk is not None:
            backend.update(dependant_model, pk)
