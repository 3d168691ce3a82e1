"""Word classes for theme labels: whether a Dutch word is a noun, an adjective or a verb.

The spaCy lookup tables (spacy-lookups-data, already installed for the lemmatizer) list the
lemmas of Dutch adjectives, nouns and verbs; an inflected form is traced back to its lemma by
the regular endings (plural -en/-s/-'s, adjective -e, a long vowel written double in the lemma:
"duurzame" -> "duurzaam", "leraren" -> "leraar"). A word the tables do not know is taken for a
noun when it is long or hyphenated: Dutch writes new compounds as one word ("lerarentekort",
"zij-instroom", "mbo-hbo"), and those are what a field's own terms mostly are.
"""

from __future__ import annotations

import functools
import re

from .lexicon import lemma_table

VOWELS = "aeiou"
LONG_UNKNOWN = 9  # an unknown word of this length or more is taken for a compound noun


@functools.lru_cache(maxsize=1)
def _index() -> dict[str, frozenset[str]]:
    from spacy.lookups import load_lookups

    table = load_lookups("nl", ["lemma_index"]).get_table("lemma_index")
    return {pos: frozenset(table.get(pos) or ()) for pos in ("adj", "noun", "verb", "adp")}


def _undouble(stem: str) -> list[str]:
    """ "duurzam" -> "duurzaam", "lerar" -> "leraar": the long vowel of an open syllable."""
    m = re.match(rf"^(.*[^{VOWELS}])([{VOWELS}])([^{VOWELS}])$", stem)
    return [stem, m.group(1) + m.group(2) * 2 + m.group(3)] if m and m.group(2) != "i" else [stem]


def lemmas(word: str) -> list[str]:
    """The word and the lemmas its regular endings point to, most likely first."""
    w = word.lower()
    out = [w, lemma_table().get(w, w)]
    for end in ("'s", "s", "en", "e", "eren"):
        if w.endswith(end) and len(w) - len(end) >= 3:
            stem = w[: -len(end)]
            out += _undouble(stem)
            if stem[-1:] == stem[-2:-1]:  # "bussen" -> "bus"
                out.append(stem[:-1])
            if stem.endswith("v"):
                out.append(stem[:-1] + "f")
            if stem.endswith("z"):
                out.append(stem[:-1] + "s")
    return list(dict.fromkeys(out))


@functools.lru_cache(maxsize=65536)
def classes(word: str) -> frozenset[str]:
    """{"noun", "adj", "verb"} the word can be (by itself or a lemma of it); empty if unknown."""
    index = _index()
    w = word.lower()
    exact = {pos for pos, words in index.items() if w in words}
    derived = {pos for lemma in lemmas(w)[1:] for pos, words in index.items() if lemma in words}
    if not exact:
        return frozenset(derived)
    # a plural that is also an infinitive ("leraren", "bedrijven") is a noun too, where the noun
    # it is the plural of is not a short word that any infinitive's stem might be ("laten", "kiezen")
    plural = (
        exact == {"verb"}
        and w.endswith("en")
        and any(len(lemma) >= 6 and lemma in index["noun"] for lemma in lemmas(w)[1:])
    )
    return frozenset(exact | ({"noun"} if plural else set()))


def is_compound(word: str) -> bool:
    """A noun made of two (a field's term: "lerarentekort", "energietransitie", "zij-instroom"):
    hyphenated, or split into two known nouns of at least four letters each (a linking "s" or
    "en" allowed)."""
    w = word.lower()
    if "-" in w:
        return True
    nouns = _index()["noun"]
    for i in range(4, len(w) - 3):
        head, rest = w[i:], w[:i]
        if head in nouns and any(r in nouns for r in (rest, rest.removesuffix("s"), rest.removesuffix("en"))):
            return True
    return False


def noun(word: str) -> bool:
    """Whether the word can end a noun phrase: a noun (not only an adjective or a verb), or an
    unknown long or hyphenated word."""
    c = classes(word)
    if not c:
        return len(word) >= LONG_UNKNOWN or "-" in word or (len(word) <= 4 and word.isalpha())
    # "snelle", "digitale", "effectieve": an adjective's inflected form, whatever noun it resembles
    if word.endswith("e") and any(lemma in _index()["adj"] for lemma in _undouble(word[:-1])):
        return False  # "groene", "publieke": the inflected form of an adjective, even where a noun too
    return "noun" in c and not ("adj" in c and word.endswith("e") and word not in _index()["noun"])


def modifier(word: str) -> bool:
    """Whether the word can stand before a noun in a name: an adjective or a noun."""
    c = classes(word)
    if "adp" in c:  # "tijdens", "via": a preposition modifies nothing
        return False
    return bool(c & {"adj", "noun"}) or (not c and (len(word) >= LONG_UNKNOWN or "-" in word))
