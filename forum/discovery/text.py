"""Text analysis for site search: text and queries become the same terms.

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
matches "DCU", and Han characters are folded to Simplified (forum/core/scripts.py), so
數據 typed on any Chinese site finds 数据 and the Traditional pages' 數據 alike. Documents
and queries go through the same tokeniser.
"""

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from django.utils.html import escape
from django.utils.safestring import mark_safe

from forum.core import scripts
from forum.core.scripts import HAN

MAX_TERM_LENGTH = 40

# --- Tokenising -------------------------------------------------------------------------

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
    """NFKC (full-width letters and digits become ASCII), lower case, and Han characters
    in one script."""
    return scripts.fold(unicodedata.normalize("NFKC", text or "").lower())


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
    # Query runs are folded to one script: look for them in the text folded the same way
    # (one character for one, so the positions hold in the text as written).
    folded = scripts.fold(text)
    haystack = folded if len(folded) == len(text) else text
    for run in parsed.han_runs:
        start = haystack.find(run)
        while start != -1:
            spans.append((start, start + len(run)))
            start = haystack.find(run, start + len(run))
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
