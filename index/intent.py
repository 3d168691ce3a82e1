"""What a question asks for and in which language: intent (advice, problem, fact), language
(nl, en) and the topic words, by general rules over the words of the question.

Intent. A policy advisor's question names what it wants with a small, closed vocabulary:
verbs and nouns of advising ("adviseren", "aanbevelen", "recommend", "maatregelen") or of
trouble ("knelpunten", "problemen", "barriers"). A question that names neither asks for a
fact. When a question names both ("Wat adviseren de bronnen over de knelpunten bij ..."), the
cue that comes first decides: in Dutch and English questions the head of the question (what is
asked for) precedes its topic (what it is about).

Language. Short texts have too few words for the share test of ingest/language.py, so a query
is judged by counting its function and question words per language; a tie (no such words, or
as many of each) goes to Dutch, the language of the corpus.

Topic. The words after the topic preposition that follows the cue ("... over X", "... about
X"); without one, the question with its frame words (question words, cue words, "bronnen",
"sources") left out. Retrieval matches statements on the topic, not on the frame every advice
question shares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

INTENTS = ("advice", "problem", "fact")

# word prefixes (lower case); a question word matches a cue when it starts with one
_ADVICE_CUES = (
    "advis",
    "advie",
    "aanbevel",
    "aanbeveling",
    "aanraden",
    "raden",
    "aangeraden",
    "maatregel",
    "oploss",
    "voorstel",
    "stellen voor",
    "aanpak",
    "recommend",
    "advice",
    "advise",
    "suggest",
    "propos",
    "measure",
    "solution",
    "should",
)
_PROBLEM_CUES = (
    "knelpunt",
    "probleem",
    "problem",
    "obstakel",
    "belemmer",
    "barrière",
    "barriere",
    "barrier",
    "bottleneck",
    "obstacle",
    "uitdaging",
    "tekort",
    "hindernis",
    "risico",
    "challenge",
    "shortage",
    "difficult",
    "moeilijkhed",
    "issues",
    "risk",
    "gaat er mis",
    "goes wrong",
)

_WORDS = {
    "nl": """de het een van en dat die niet zijn voor met op aan er ook als bij door om maar naar dan deze
             dit wordt worden uit nog heeft hebben kan zal meer geen wel tot onder hun ze zij wij ons hoe
             wat welke wie waar waarom wanneer noemen zeggen bronnen adviseren over moet moeten kunnen""",
    "en": """the of and to is that for with as by this are be from at or an it not have has was were which
             their they will can more been its also these other such than into would should there about
             we our you what how who where why when do does did sources recommend say mention""",
}
_WORD_SETS = {lang: frozenset(words.split()) for lang, words in _WORDS.items()}

# the topic starts after one of these, once a cue has been seen
_TOPIC_PREPOSITIONS = (
    "over",
    "omtrent",
    "inzake",
    "rond",
    "rondom",
    "betreffende",
    "voor",
    "bij",
    "about",
    "on",
    "regarding",
    "concerning",
    "for",
    "in",
)
# words of the question's frame, never of its topic
_FRAME = frozenset(
    """wat welke wie hoe waar waarom wanneer zeggen noemen geven doen de het een bronnen documenten
       rapporten stukken zij ze er what which who how where why when do does did the a an sources documents
       reports say mention give they there is are over about on""".split()
)

_TOKEN = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


@dataclass(frozen=True)
class Intent:
    intent: str  # advice, problem or fact
    language: str  # nl or en
    topic: str  # the words the question is about ("" when it has none)
    cue: str  # the word that decided the intent ("" for a fact question)


def _cue_at(words: list[str], cues: tuple[str, ...]) -> tuple[int, str]:
    """(index, word) of the first word that starts with a cue (multi-word cues over the joined
    text); (len(words), "") when none does."""
    for i, w in enumerate(words):
        rest = " ".join(words[i : i + 3])
        if any(w.startswith(c) if " " not in c else rest.startswith(c) for c in cues):
            return i, w
    return len(words), ""


def language(text: str) -> str:
    """'en' when the text holds more English than Dutch function and question words, else 'nl'."""
    words = [w.lower() for w in _TOKEN.findall(text or "")]
    counts = {lang: sum(w in s for w in words) for lang, s in _WORD_SETS.items()}
    return "en" if counts["en"] > counts["nl"] else "nl"


def topic_of(words: list[str], cue_index: int) -> str:
    """The words after the first topic preposition behind the cue; else the non-frame words."""
    for i in range(cue_index + 1, len(words)):
        if words[i] in _TOPIC_PREPOSITIONS and i + 1 < len(words):
            return " ".join(words[i + 1 :])
    return " ".join(w for w in words if w not in _FRAME)


def recognise(question: str) -> Intent:
    """Intent, language and topic of a question."""
    words = [w.lower() for w in _TOKEN.findall(question or "")]
    a_at, a_word = _cue_at(words, _ADVICE_CUES)
    p_at, p_word = _cue_at(words, _PROBLEM_CUES)
    if a_at == p_at == len(words):
        return Intent("fact", language(question), " ".join(w for w in words if w not in _FRAME), "")
    kind, at, cue = ("advice", a_at, a_word) if a_at <= p_at else ("problem", p_at, p_word)
    topic = topic_of(words, at) or " ".join(w for w in words if w not in _FRAME)
    return Intent(kind, language(question), topic, cue)
