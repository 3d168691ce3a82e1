"""What a statement rule is. Each rule names one cue of a recommendation or a problem, or one
adjustment or veto of such cues; what it reads (a pattern, a word list, or a test for what a
pattern cannot say); its weight; the context it applies in; and example statements on which it
must fire (tests/test_rules.py runs them). The rules themselves are data, in
recommendation_rules.py and problem_rules.py; statements.py applies them.

Kinds:
- recommendation, problem: a cue of that kind, of confidence `weight`. A `pooled` problem rule
  finds problem words: the words of all pooled rules make one problem cue (see statements.py).
- adjustment: adds `weight` to the cues of `target` (a rule's name, or a kind) where it fires.
- veto: where it fires, every cue below `weight` is dropped; at 1.0 the statement is no
  candidate at all and no other rule runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from beleidsbank.index.lexicon import PROBLEM_TERMS, word_list

DATA = Path(__file__).with_name("data")
REC, PROB, ADJUST, VETO = "recommendation", "problem", "adjustment", "veto"
UNITS = frozenset({"sentence", "list_item", "heading"})
ITEMS = frozenset({"list_item", "heading"})
SENTENCE = frozenset({"sentence"})
LIST_ITEM = frozenset({"list_item"})
LONG_SENTENCE = 40  # tokens: an imperative deep in a sentence this long is a weaker cue
THRESHOLD = 0.5  # the confidence a cue needs to decide a statement's kind


def _stems(name: str) -> re.Pattern:
    return re.compile("|".join(re.escape(w) for w in word_list(name, DATA)), re.I)


# headings that make the statements under them candidates of a kind
REC_SECTION = _stems("recommendation_sections")
PROB_SECTION = _stems("problem_sections")
# problem cues that name a topic (see statements._names_topic)
TOPIC_NOUNS = word_list("topic_nouns", DATA)
# nouns that label a part of a document before its number ("Vraag 3", "Stap 1", "Artikel 10.2.e")
LABEL_NOUNS = frozenset(word_list("label_nouns", DATA))
# a number that labels a part, an article or a paragraph: "6", "10.2.e", "4.1", "2a", "(b)"
LABEL_CODE = re.compile(r"^\(?\d+(?:[.\-]\d+)*(?:[.\-]?[a-z])?\)?\.?$|^\(?[a-z]\)$")
# the word lists lexicon rules read
LEXICONS = {"problem_terms": PROBLEM_TERMS, "problem_lemmas": word_list("problem_lemmas", DATA)}

BULLET = re.compile(r"^\s*(?:[•●▪■□◦○➢►▶✓✔\-–—*·]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s*")
# problem nouns at the end of a compound: "lerarentekort", "taalachterstand", "personeelsprobleem"
COMPOUND_PROBLEM = re.compile(
    r"\b\w{3,}(tekort|tekorten|achterstand|knelpunt|knelpunten|probleem|problemen|krimp|uitval|mismatch)\b"
)
REMEDY = re.compile(
    r"\b(weg te nemen|aan te pakken|te voorkomen|te verminderen|tegen te gaan|terug te dringen|op te lossen|"
    r"te verkleinen|te doorbreken|het aanpakken van|het wegnemen van|het terugdringen van|het voorkomen van|"
    r"het tegengaan van)\b"
    # an outcome in which the problem shrinks: "Hierdoor verminderen drempels en groeit de instroom"
    r"|\b(verminderen|vermindert|verkleinen|verkleint|verdwijnen|verdwijnt|nemen af|neemt af)\s+(de |het )?"
    r"\w*(drempel|belemmering|tekort|knelpunt|barrière|achterstand)"
)
# what a remedy does to its object, as a participle: "kan worden versterkt", "kunnen worden opgepakt"
REMEDIED = (
    r"(versterkt|ingezet|verbeterd|uitgebreid|vergroot|gestimuleerd|gecreëerd|versoepeld|vereenvoudigd|verkleind|"
    r"versneld|opgepakt|aangepakt|opgelost|benut|opgeschaald|gebundeld|gestroomlijnd|geïntegreerd|verbreed|"
    r"weggenomen|weggewerkt|verminderd)"
)
# the word after a nominal action's infinitive ("Versterken van", "Focussen op"); words before one
# that look like a comparative and are not ("Beter benutten van", not "Onder ..."); verbs no action names
ACTION_NEXT = frozenset({"van", "op", "in", "met", "door", "voor", "we", "wij"})
NOT_MODIFIER = frozenset({"onder", "over", "achter", "hier", "daar", "waar", "per", "naar", "weer", "zeer", "voor"})
MODALS = frozenset({"kunnen", "moeten", "zullen", "willen", "mogen", "hebben", "zijn", "worden", "gaan", "blijven"})
# nouns that name a section of problems rather than state one ("2.1.1 Knelpunten", "The Perception
# Barrier")
SECTION_NOUN = re.compile(r"^(knelpunt|uitdaging|probleem|problem|barri|challenge|gap|krimp|hurdle|oorza)", re.I)


class Example(NamedTuple):
    text: str
    unit: str = "sentence"
    section: str = ""  # the statement's section path
    kind: str | None = None  # the kind the statement gets, where this rule decides it


def rec(text: str, unit: str = "sentence", section: str = "") -> Example:
    """An example that the rules make a recommendation."""
    return Example(text, unit, section, REC)


def prob(text: str, unit: str = "sentence", section: str = "") -> Example:
    return Example(text, unit, section, PROB)


def other(text: str, unit: str = "sentence", section: str = "") -> Example:
    return Example(text, unit, section, "other")


@dataclass(frozen=True)
class Context:
    units: frozenset[str] = UNITS
    long: bool | None = None  # True: only sentences of LONG_SENTENCE tokens or more; False: all but those
    max_tokens: int | None = None
    section: str = ""  # REC or PROB: only under a heading of that kind


@dataclass
class Parsed:
    """What the rules read of one statement."""

    text: str  # as in the document
    body: str  # without its bullet
    low: str  # body in lower case
    unit: str
    tokens: list  # spaCy tokens without punctuation, bullet, label or priority number
    first: str  # the first word, without a glued priority number ("9Zorg" -> "Zorg")
    lemmas: list[str]
    leaf: str  # the heading it stands under
    rec_ctx: bool  # that heading names recommendations ...
    prob_ctx: bool  # ... or problems
    rec_anc: bool  # a heading further up names recommendations

    @property
    def itemish(self) -> bool:
        return self.unit in ("list_item", "heading")

    @property
    def long(self) -> bool:
        return self.unit == "sentence" and len(self.tokens) >= LONG_SENTENCE

    @property
    def headlike(self) -> bool:
        """A heading, or a fragment without a sentence end (a table cell, a column head)."""
        return self.unit == "heading" or (self.unit == "sentence" and not re.search(r"[.!?:;)]\W*$", self.body))


@dataclass
class Evidence:
    """The cues found for one statement: (confidence, cue) per kind, the problem words, and the
    names of the rules that fired."""

    rec: list[tuple[float, str]] = field(default_factory=list)
    prob: list[tuple[float, str]] = field(default_factory=list)
    hits: list[str] = field(default_factory=list)
    fired: list[str] = field(default_factory=list)

    def add(self, rule: Rule, weight: float, cue: str) -> None:
        (self.rec if rule.kind == REC else self.prob).append((weight, cue))
        self.fired.append(rule.name)

    def adjust(self, rule: Rule) -> None:
        """An adjustment of all problem cues, or all recommendation cues."""
        if rule.target == PROB:
            self.prob = [(x + rule.weight, c) for x, c in self.prob]
        else:
            self.rec = [(x + rule.weight, c) for x, c in self.rec]
        self.fired.append(rule.name)

    def veto(self, rule: Rule) -> None:
        self.rec = [(x, c) for x, c in self.rec if x >= rule.weight]
        self.prob = [(x, c) for x, c in self.prob if x >= rule.weight]
        self.fired.append(rule.name)


Test = Callable[[Parsed, Evidence], "str | None"]  # the cue where it holds, else None


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str  # REC, PROB, ADJUST or VETO
    weight: float
    pattern: re.Pattern | None = None
    lexicon: str = ""  # a word list of LEXICONS: an entry starts a word (on "low") or is a lemma
    test: Test | None = None  # what a pattern cannot say
    on: str = "low"  # what it reads: "low" (the text in lower case), "body" (as written), "lemmas"
    anchored: bool = False  # the pattern must match at the start
    requires: re.Pattern | None = None  # a second pattern that must match too
    unless: re.Pattern | None = None  # a pattern that stops the rule
    ignore: re.Pattern | None = None  # words blanked out before a lexicon is read
    pooled: bool = False  # a problem word rule (see the module docstring)
    new_only: bool = False  # pooled: a word an earlier pooled rule found does not count again
    target: str = ""  # ADJUST: the rule or kind it adjusts
    cue: str = ""  # the cue shown; empty: the matched words
    cue_len: int | None = 30  # the matched words are cut to this length
    context: Context = Context()
    examples: tuple[Example, ...] = ()  # statements on which the rule fires
    misses: tuple[Example, ...] = ()  # statements on which it must not fire
