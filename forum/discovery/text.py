"""Text analysis for site search: text and queries become the same terms.

How text becomes terms
----------------------
Every Han character (unigram) and every pair of neighbouring Han characters (bigram) of
a page is indexed. The index needs no dictionary: names and new coinages (李文海, 天开,
算力, "东数西算") are in it whatever a dictionary knows, and it is the same on SQLite and
PostgreSQL, neither of which segments Chinese.

How a query becomes words
-------------------------
Chinese readers do not type spaces: 天津算力 is two words, and the page may have them
apart ("天津……算力平台"). So a Chinese query is cut into words with jieba, whose
dictionary is completed with the site's own vocabulary (people's and organisations'
names, the editors' term overrides, session and edition titles: see `Segmenter` and
forum/discovery/search.py), and a page must hold every word, anywhere. A word is looked up
as the index holds it: one character as a unigram, two as a bigram, three or more as all
their bigrams plus a check that the word occurs as written. Characters the dictionary
does not know as part of a word stay together as one run (the bigram fallback: 算力, an
unknown name), so recall never depends on the dictionary; it only says where a query may
be cut. A page holding the whole query as written ranks higher. Particles (的 了 和 与 及
…) and punctuation are not words to look for.

jieba loads a 20 MB dictionary (about two seconds, cached in the temporary directory,
never in the repository): once per process, at the first Chinese query. Pages are
indexed without it.

Vocabulary and spelling
-----------------------
Text is NFKC-normalised (full-width "ＤＣＵ" matches "DCU") and Han characters are folded
to Simplified (forum/core/scripts.py), so 數據 typed on any Chinese site finds 数据 and the
Traditional pages' 數據 alike. A query typed in Taiwan's or Hong Kong's vocabulary also
looks for the site's word: each word is converted with OpenCC's `tw2sp` (Taiwan's phrases:
資料 → 数据, 晶片 → 芯片, 軟體 → 软件) and `hk2s` (Hong Kong's character forms), and a page
holding either the word as typed or the site's word matches.

Latin letters and digits form words, lower-cased, British spellings folded to American
ones (`american_spelling`: digitalisation → digitalization, colour → color, centre →
center, programme → program; a few rules and a short list of words each way), then reduced
to their stem with the Snowball English stemmer (computing, compute, computational ->
"comput"); a few very common English words are left out. Documents and queries go through
the same steps.
"""

import logging
import re
import tempfile
import threading
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
HAN_RUN_RE = re.compile(f"[{HAN}]+")
# Too common to tell pages apart; "s" is what "People's" leaves behind.
STOP_WORDS = frozenset(
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in",
        "is", "it", "its", "of", "on", "or", "s", "that", "the", "this", "to", "was", "were",
        "will", "with",
    }
)  # fmt: skip
# Chinese particles and conjunctions that stand alone in a query (天津的算力, 数据和算力):
# not looked for while the query has other words. Inside a word (目的, 和平) they are kept.
PARTICLES = frozenset("的地得了着过和与及或之而并")


def normalise(text):
    """NFKC (full-width letters and digits become ASCII), lower case, and Han characters
    in one script."""
    return scripts.fold(unicodedata.normalize("NFKC", text or "").lower())


# --- British and American spelling ------------------------------------------------------
# One form for both (the American one), before stemming, in text and queries alike.
# Rules cover the regular endings; EXCEPTIONS are words whose ending only looks British.

# -ise, -isation…: organise, organisation, digitalising -> -ize, -ization, -izing
_ISE = re.compile(r"^(\w{2,})is(e|ed|es|ing|er|ers|ation|ations|ational)$")
_ISE_EXCEPTIONS = frozenset(
    [
        "advertise",
        "advise",
        "anise",
        "apprise",
        "appraise",
        "arise",
        "bruise",
        "chastise",
        "chemise",
        "circumcise",
        "clockwise",
        "comprise",
        "compromise",
        "concise",
        "crise",
        "cruise",
        "demise",
        "despise",
        "devise",
        "disguise",
        "enterprise",
        "excise",
        "exercise",
        "expertise",
        "franchise",
        "guise",
        "improvise",
        "incise",
        "likewise",
        "merchandise",
        "mortise",
        "noise",
        "otherwise",
        "paradise",
        "poise",
        "porpoise",
        "praise",
        "precise",
        "premise",
        "promise",
        "raise",
        "reprise",
        "revise",
        "supervise",
        "surmise",
        "surprise",
        "televise",
        "tortoise",
        "treatise",
        "turquoise",
        "valise",
        "wise",
    ]
)
# -yse: analyse, paralysed, catalysing -> -yze (not "analyses", also analysis's plural)
_YSE = re.compile(r"^(\w{2,})ys(e|ed|ing|er|ers)$")
# -our: colour, labourers, favourite, behavioural -> -or
_OUR = re.compile(r"^(\w{2,})our(s|ed|ing|ite|ites|able|ably|al|er|ers|ful|less|hood|ist)?$")
_OUR_EXCEPTIONS = frozenset(
    [
        "amour",
        "contour",
        "detour",
        "devour",
        "flour",
        "glamour",
        "paramour",
        "scour",
        "troubadour",
        "velour",
    ]
)
# -tre, -bre, -gre: centre, metres, fibre, centred -> -ter, -ber, -ger
_RE = re.compile(r"^(\w+[tbg])re(s|d)?$")
_RE_EXCEPTIONS = frozenset(["macabre", "ogre", "timbre"])
# Single words the rules do not reach (-ogue, -ence, doubled l, -mme…).
_AMERICAN_WORDS = {
    "ageing": "aging",
    "aluminium": "aluminum",
    "analogue": "analog",
    "analogues": "analogs",
    "cancelled": "canceled",
    "cancelling": "canceling",
    "catalogue": "catalog",
    "catalogues": "catalogs",
    "counselling": "counseling",
    "counsellor": "counselor",
    "defence": "defense",
    "enrol": "enroll",
    "enrolment": "enrollment",
    "fulfil": "fulfill",
    "fulfilment": "fulfillment",
    "grey": "gray",
    "judgement": "judgment",
    "labelled": "labeled",
    "labelling": "labeling",
    "licence": "license",
    "licences": "licenses",
    "manoeuvre": "maneuver",
    "modelled": "modeled",
    "modelling": "modeling",
    "offence": "offense",
    "pretence": "pretense",
    "programme": "program",
    "programmes": "programs",
    "signalling": "signaling",
    "skilful": "skillful",
    "travelled": "traveled",
    "traveller": "traveler",
    "travellers": "travelers",
    "travelling": "traveling",
    "tyre": "tire",
    "tyres": "tires",
}


@lru_cache(maxsize=20_000)
def american_spelling(word):
    """The word (lower case) in American spelling when it is a British one: digitalisation
    -> digitalization, colours -> colors, centred -> centered, programme -> program."""
    if word in _AMERICAN_WORDS:
        return _AMERICAN_WORDS[word]
    if (match := _ISE.match(word)) and match[1] + "ise" not in _ISE_EXCEPTIONS:
        return f"{match[1]}iz{match[2]}"
    if match := _YSE.match(word):
        return f"{match[1]}yz{match[2]}"
    if (match := _OUR.match(word)) and match[1] + "our" not in _OUR_EXCEPTIONS:
        return f"{match[1]}or{match[2] or ''}"
    if (match := _RE.match(word)) and match[1] + "re" not in _RE_EXCEPTIONS:
        return f"{match[1]}er{'ed' if match[2] == 'd' else match[2] or ''}"
    return word


_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=20_000)
def stem(word):
    return _stemmer.stemWord(american_spelling(word))[:MAX_TERM_LENGTH]


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


# --- Chinese words ----------------------------------------------------------------------


class Segmenter:
    """jieba, loaded at the first use in the process, with the site's own words added.

    `use_words(version, words)` keeps the added words those of the version: the caller
    passes a cheap version key and a callable that reads the words, called only when the
    key changed. Words are Simplified (queries are folded before they are cut)."""

    def __init__(self):
        self._tokenizer = None
        self._lock = threading.Lock()
        self._words = frozenset()
        self.version = None

    @property
    def tokenizer(self):
        if self._tokenizer is None:
            with self._lock:
                if self._tokenizer is None:
                    import jieba  # noqa: PLC0415 (20 MB of dictionary: load only when needed)

                    jieba.setLogLevel(logging.WARNING)
                    tokenizer = jieba.Tokenizer()
                    # Its dictionary cache goes to the temporary directory, not the project.
                    tokenizer.tmp_dir = tempfile.gettempdir()
                    tokenizer.initialize()
                    self._tokenizer = tokenizer
        return self._tokenizer

    def use_words(self, version, words):
        if version == self.version and self._tokenizer is not None:
            return
        tokenizer = self.tokenizer
        with self._lock:
            wanted = frozenset(user_words(words()))
            for word in self._words - wanted:
                tokenizer.del_word(word)
            for word in wanted - self._words:
                tokenizer.add_word(word)
            self._words, self.version = wanted, version

    def cut(self, run):
        """The words of a run of Han characters, in order (no new words guessed: HMM off)."""
        return [word for word, _start, _end in self.tokenizer.tokenize(run, HMM=False)]


segmenter = Segmenter()


def user_words(texts):
    """The Han runs of two or more characters of the texts (names, terms, titles), folded
    to Simplified: the words jieba should keep whole."""
    found = set()
    for text in texts:
        for run in HAN_RUN_RE.findall(normalise(text)):
            if len(run) >= 2:
                found.add(run)
    return found


def chinese_words(run):
    """The words of a query's run of Han characters: jieba's, with characters it leaves
    alone kept together (an unknown name or coinage is one run, looked up by its bigrams)
    and a lone character joined to the word beside it; particles left as words of their
    own (one character each) for the caller to drop."""
    words = []
    for word in segmenter.cut(run):
        single = len(word) == 1 and word not in PARTICLES
        if single and words and words[-1][1]:
            words[-1] = (words[-1][0] + word, True)
        else:
            words.append((word, single))
    # A lone character between words (李 文海, 天津 市) belongs to its neighbour.
    merged = []
    for index, (word, single) in enumerate(words):
        alone = single and len(word) == 1
        if alone and merged and merged[-1] not in PARTICLES:
            merged[-1] += word
        elif alone and index + 1 < len(words) and words[index + 1][0] not in PARTICLES:
            words[index + 1] = (word + words[index + 1][0], words[index + 1][1])
        else:
            merged.append(word)
    return merged


# --- Queries ----------------------------------------------------------------------------


@dataclass(frozen=True)
class WordForm:
    """One way of writing a query word: the index terms it needs and, for three or more
    Han characters, the text that must occur as written."""

    text: str
    terms: frozenset
    phrase: str = ""


def han_form(word):
    if len(word) == 1:
        return WordForm(word, frozenset({word}))
    return WordForm(word, frozenset(bigrams(word)), word if len(word) >= 3 else "")


@dataclass(frozen=True)
class ParsedQuery:
    words: tuple  # of tuples of WordForm: every word must match in one of its forms
    phrase: str  # the query's Chinese as written, when it is several words (ranks higher)
    han_runs: tuple  # the Chinese words in every form, for highlighting
    stems: frozenset  # stems of the query's words, for highlighting

    @property
    def terms(self):
        """Every index term the query looks for."""
        return frozenset(term for forms in self.words for form in forms for term in form.terms)

    @property
    def phrases(self):
        """The words that must occur as written (in the form typed)."""
        return tuple(forms[0].phrase for forms in self.words if forms[0].phrase)

    def __bool__(self):
        return bool(self.words)


def parse_query(query):
    """The words of a query; Chinese ones cut by `chinese_words` and also looked for in
    the mainland's vocabulary (scripts.mainland_forms)."""
    typed = unicodedata.normalize("NFKC", query or "").lower()
    folded = scripts.fold(typed)
    if len(folded) != len(typed):  # fold() is one for one; keep positions in any case
        typed = folded
    words, particles, han_runs, stems, runs = [], [], [], set(), []
    for match in TOKEN_RE.finditer(folded):
        run = match.group("han")
        if run:
            position, found = match.start(), 0
            for word in chinese_words(run):
                as_typed = typed[position : position + len(word)]
                position += len(word)
                forms = (han_form(word), *map(han_form, scripts.mainland_forms(as_typed)))
                if word in PARTICLES:
                    particles.append(forms)
                else:
                    words.append(forms)
                    han_runs.extend(form.text for form in forms)
                    found += 1
            runs.append((run, found))
        elif (word := match.group("word")) not in STOP_WORDS:
            stems.add(stem(word))
            words.append((WordForm(stem(word), frozenset({stem(word)})),))
    if not words:  # only particles: look for them after all
        words = particles
        han_runs.extend(form.text for forms in particles for form in forms)
    words = list(dict.fromkeys(words))
    # One run of Chinese cut into several words: pages holding it as written rank first.
    phrase = runs[0][0] if len(runs) == 1 and runs[0][1] > 1 else ""
    if phrase:
        han_runs.insert(0, phrase)
    return ParsedQuery(tuple(words), phrase, tuple(dict.fromkeys(han_runs)), frozenset(stems))


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
