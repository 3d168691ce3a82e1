"""Theme labels: the noun phrases of a theme's statements and headings that set it apart.

A label is what an advisor would call the topic: a short Dutch noun phrase of the field
("regionale samenwerking", "zij-instroom en omscholing", "lerarentekort"), taken from the
documents' own words, never from a list. Candidates are the noun phrases of each statement and
of the section headings above it (an adjective or noun run ending in a noun, or two such joined
by "en"; word classes from `theme_words`); each scores by how many of the theme's statements
hold it, by the class-based TF-IDF of its stems (how much more often they occur in this theme
than in the others), by the share of the theme's sources that use it, and by its form: a phrase
of two or three words or a compound noun names a topic, a short single noun ("beeld", "school")
rarely does. Plain data in and out.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np

from . import theme_words as words_
from .analyzer import STOP_WORDS, analyze
from .lexicon import PROBLEM_TERMS, imperative, infinitives, lemma_table, word_list
from .records import Theme

# words too general to name a theme in policy texts (they occur everywhere)
GENERIC = set(word_list("generic"))
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
MAX_PHRASE = 4
JOINS = ("en",)  # "meisjes en vrouwen", "zij-instroom en omscholing"
PREPOSITIONS = ("in", "voor", "van", "met", "op", "rond")
ARTICLES = ("de", "het")
NUMERALS = frozenset(
    "twee drie vier vijf zes zeven acht negen tien elf twaalf honderd duizend eerste tweede derde".split()
)
# a single plain noun ("docenten", "vaardigheden") gives way to a phrase of the theme that holds it
# ("hybride docenten", "kennis en vaardigheden") scoring at least this share of it: the phrase
# says which side of the noun the theme is about
EXTEND = 0.3
# a heading's phrase counts for each statement under it, at this weight: a heading names the topic
# of a whole section, but one report's many headings must not outvote the statements
HEADING_WEIGHT = 0.5
PARTICIPLE = re.compile(r"^ge\w{3,}[td]$")  # "gericht", "gebaseerd": no name for a theme
NUMBERING = re.compile(r"^\s*(?:[A-Z]?\d+(?:\.\d+)*|[A-Z](?:\.\d+)+|[IVX]+)[.)]?\s+")
# how much a phrase's form counts: two or three words, then a compound, then a single noun
FORM = {"phrase": 1.0, "long": 0.8, "compound": 0.8, "noun": 0.35}


# the one-word problem cues as one tuple: `str.startswith` tries them all in one call
CUE_STARTS = tuple(t for t in PROBLEM_TERMS if " " not in t)


def _cue_word(tok: str) -> bool:
    return tok.startswith(CUE_STARTS)


# a word's and a text's candidates are looked up once per process: the themes and each theme's
# sub-themes are labelled from the same texts (pure functions of their argument)
@functools.lru_cache(maxsize=65536)
def _end_word(w: str) -> bool:
    """A word that may begin or end a name: no stop word, generic word or problem cue."""
    return not (w in STOP_WORDS or w in GENERIC or w in NUMERALS or len(w) < 4 or _cue_word(w))


def _head(w: str) -> bool:
    return _end_word(w) and words_.noun(w) and not PARTICIPLE.match(w)


def _noun_phrase(gram: list[str]) -> bool:
    """Modifiers (adjectives, nouns) ending in a noun, or two such joined by "en" or by a
    preposition ("leraren in het basisonderwijs", "meisjes in techniek")."""
    if not (_end_word(gram[0]) and _head(gram[-1])):
        return False
    joins = [i for i, w in enumerate(gram) if w in JOINS or w in PREPOSITIONS]
    if len(joins) > 1 or (joins and not _head(gram[joins[0] - 1])):
        return False
    if len(gram) == 1:
        return not _verb(gram[0])  # "geven", "vraagt": a verb alone names no theme
    inner = gram[:1] + gram[1:-1]
    if joins and gram[joins[0]] in PREPOSITIONS and joins[0] + 1 < len(gram) - 1 and gram[joins[0] + 1] in ARTICLES:
        inner = [w for i, w in enumerate(inner) if i != joins[0] + 1]
    return all(w in JOINS or w in PREPOSITIONS or (_end_word(w) and words_.modifier(w)) for w in inner)


@functools.lru_cache(maxsize=16384)
def phrases(text: str) -> frozenset[str]:
    """Candidate label phrases of one text: its noun phrases of one to four words, none starting
    with an imperative (the verb of a recommendation)."""
    words = WORD.findall(text.lower())
    out = set()
    for i in range(len(words)):
        if i == 0 and len(words) > 1 and imperative(text.split()[0].strip("•-–*: "), words[0]):
            continue
        for n in range(1, MAX_PHRASE + 1):
            gram = words[i : i + n]
            if len(gram) < n:
                break
            if _noun_phrase(gram):
                out.add(" ".join(gram))
    return frozenset(out)


def heading_text(section_path: str | None, levels: int = 1) -> str:
    """The last `levels` headings of a section path ("A > B > C"), without their numbering."""
    parts = [p.strip() for p in (section_path or "").split(">") if p.strip()]
    return " . ".join(NUMBERING.sub("", p) for p in parts[-levels:])


def _verb(word: str) -> bool:
    """An infinitive ("geven", "ontwikkelen") or a finite form whose lemma is one ("vraagt", "zorgt");
    short verbs the lemma table lacks ("zien", "staat") are in GENERIC."""
    if word in infinitives() and "noun" not in words_.classes(word):
        return True
    lemma = lemma_table().get(word, word)
    return word.endswith("t") and lemma != word and lemma.endswith("en") and lemma in infinitives()


@functools.lru_cache(maxsize=65536)
def _stems(phrase: str) -> tuple[str, ...]:
    return tuple(sorted(set(analyze(phrase))))


@functools.lru_cache(maxsize=16384)
def _stem_set(text: str) -> frozenset[str]:
    return frozenset(analyze(text))


def _form(shown: str) -> float:
    n = len([w for w in shown.split() if w not in PREPOSITIONS and w not in ARTICLES])
    if n > 1:
        return FORM["phrase"] if n <= 3 else FORM["long"]
    return FORM["compound"] if words_.is_compound(shown) else FORM["noun"]


@dataclass
class _PhraseCounts:
    """What the labels are chosen from: per theme its size, stem counts, sources and the phrases
    its statements hold (by stems), with the surface forms each phrase takes."""

    sizes: Counter
    stem_tf: dict = field(default_factory=lambda: defaultdict(Counter))
    phrase_df: dict = field(default_factory=lambda: defaultdict(Counter))  # weighted (headings at half)
    phrase_n: dict = field(default_factory=lambda: defaultdict(Counter))  # statements holding it
    phrase_src: dict = field(default_factory=lambda: defaultdict(set))
    theme_src: dict = field(default_factory=lambda: defaultdict(set))
    surface: dict = field(default_factory=lambda: defaultdict(Counter))

    def shown(self, key: tuple) -> str:
        return self.surface[key].most_common(1)[0][0]


def _count_phrases(texts: list[str], assign: np.ndarray, sources: list[str], headings: list[str]) -> _PhraseCounts:
    c = _PhraseCounts(Counter(int(t) for t in assign))
    for text, src, t, head in zip(texts, sources, assign, headings):
        t = int(t)
        c.stem_tf[t].update(_stem_set(text) | _stem_set(head))
        c.theme_src[t].add(src)
        own = phrases(text)
        weights: dict[tuple, float] = {}
        # in sorted order: the surface form a label shows is the most common one, ties going to the
        # first seen, which must not depend on the order of a set (string hashes vary per process)
        for ph in sorted(own | phrases(head)):
            key = _stems(ph)
            if key:
                weights[key] = max(weights.get(key, 0.0), 1.0 if ph in own else HEADING_WEIGHT)
                c.surface[key][ph] += 1
        for key, w in weights.items():
            c.phrase_df[t][key] += w
            c.phrase_n[t][key] += 1
            c.phrase_src[(t, key)].add(src)
    return c


def _rank_phrases(c: _PhraseCounts) -> tuple[dict[int, list], dict[int, list]]:
    """Per theme, (score, phrase) best first: those held by 3 statements (2 in a small theme),
    and, as spares to tell two themes apart, all held by 2."""
    df = Counter(stem for counts in c.stem_tf.values() for stem in counts)
    k = max(len(c.sizes), 1)

    def weight(t: int, stem: str) -> float:
        return (c.stem_tf[t][stem] / c.sizes[t]) * math.log(1 + k / df[stem])

    ranked: dict[int, list] = {}
    spare: dict[int, list] = {}
    for t in c.sizes:
        scored = []
        held = c.phrase_n[t]
        least = 3 if any(n >= 3 for n in held.values()) else 2
        for key, n in c.phrase_df[t].items():
            if held[key] < 2 or not key:
                continue
            distinct = sum(weight(t, s) for s in key) / len(key)
            shared = math.sqrt(len(c.phrase_src[(t, key)]) / len(c.theme_src[t]))
            scored.append((n / c.sizes[t] * distinct * _form(c.shown(key)) * shared, key, held[key]))
        scored.sort(key=lambda x: (-x[0], x[1]))
        ranked[t] = [(score, key) for score, key, n in scored if n >= least]
        spare[t] = [(score, key) for score, key, n in scored]
    return ranked, spare


# a second phrase joins a label only when nearly as telling as the first: one near the margin comes
# and goes with every small change of the corpus
SECOND_PHRASE = 0.7


def _extended(key: tuple, score: float, scored: list, shown) -> tuple:
    """`key`, or where it is one plain noun the best phrase holding it within `EXTEND` of its score."""
    if len(key) != 1 or _form(shown(key)) != FORM["noun"]:
        return key
    longer = [(s, k) for s, k in scored if len(k) > 1 and set(key) <= set(k) and s >= EXTEND * score]
    return longer[0][1] if longer else key


def _choose(scored: list, spare: list, names: set[tuple], shown=str) -> list[tuple]:
    """The one or two phrases that name a theme. Two themes never share a name: where a larger
    theme already has the same label, this one adds its next best phrase ("techniekpact" twice
    became "techniekpact en ...")."""
    chosen: list[tuple] = []
    for score, key in scored:
        if not chosen:
            chosen.append(_extended(key, score, scored, shown))
        elif score >= SECOND_PHRASE * scored[0][0] and not set(key) & {s for c in chosen for s in c}:
            chosen.append(key)
            break
    if chosen and (tuple(chosen) in names or (len(chosen) == 1 and any(n[:1] == tuple(chosen) for n in names))):
        first = chosen[0]
        # each candidate is tried once, best first (a theme with no free name keeps its own)
        for _, extra in spare:
            if extra != first and not set(extra) & set(first) and (first, extra) not in names:
                return [first, extra]
    return chosen


def label(
    texts: list[str],
    assign: np.ndarray,
    sources: list[str] | None = None,
    fixed: dict[int, Theme] | None = None,
    headings: list[str] | None = None,
    taken: tuple[Theme, ...] = (),
) -> dict[int, Theme]:
    """{theme id: Theme(id, label="publiek-private samenwerking en regio", terms=(...), size=n)}.

    `headings`: per statement the headings above it (`heading_text`), whose phrases count as the
    statement's own. No theme gets a name in `taken` (a sub-theme not its parent's). The themes
    in `fixed` keep the label they have (a stored theme whose members stayed,
    `theme_update.kept_labels`); the others avoid it. Statements with theme -1 are left out.
    """
    kept = [i for i, t in enumerate(assign) if t >= 0]  # -1: no theme
    sources = sources or [""] * len(texts)
    headings = headings or [""] * len(texts)
    texts, sources = [texts[i] for i in kept], [sources[i] for i in kept]
    headings, assign = [headings[i] for i in kept], np.asarray(assign)[kept]
    counts = _count_phrases(texts, assign, sources, headings)
    ranked, spare = _rank_phrases(counts)
    out = {}
    fixed = {t: th for t, th in (fixed or {}).items() if t in counts.sizes}
    names: set[tuple] = {tuple(_stems(w) for w in th.terms) for th in [*fixed.values(), *taken]}
    for t, th in fixed.items():
        out[t] = Theme(t, th.label, th.terms, counts.sizes[t])
    for t in sorted(set(counts.sizes) - set(fixed), key=lambda t: (-counts.sizes[t], t)):
        chosen = _choose(ranked[t], spare[t], names, counts.shown)
        names.add(tuple(chosen))
        words = [counts.shown(key) for key in chosen]
        text = " en ".join(words) if words else f"thema {t + 1}"
        out[t] = Theme(t, text, tuple(words), counts.sizes[t])
    return dict(sorted(out.items()))
