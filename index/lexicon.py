"""Dutch word knowledge shared by the statement rules (ingest) and the theme labels (index):
the lookup lemma table, the infinitives it leads to, the imperative test, the problem words,
and the loader of the word lists in `data/` (plain text, one entry a line)."""

from __future__ import annotations

import functools
import re
from pathlib import Path

DATA = Path(__file__).with_name("data")


@functools.cache
def word_list(name: str, folder: Path = DATA) -> tuple[str, ...]:
    """The entries of the word list `folder/name.txt`, in file order: one entry a line, `#`
    starts a comment, blank lines are skipped, and an entry in double quotes keeps its spaces."""
    out = []
    for line in (folder / f"{name}.txt").read_text(encoding="utf-8").splitlines():
        entry = line.split("#", 1)[0].strip()
        if len(entry) > 1 and entry[0] == entry[-1] == '"':
            entry = entry[1:-1]
        if entry:
            out.append(entry)
    return tuple(out)


# problem words: lemma or surface prefixes (folded, lower case)
PROBLEM_TERMS = word_list("problem_terms")


@functools.lru_cache(maxsize=1)
def lemma_table():
    from spacy.lookups import load_lookups

    # the table spaCy's lookup lemmatizer uses (spacy-lookups-data)
    return load_lookups("nl", ["lemma_lookup"]).get_table("lemma_lookup")


@functools.lru_cache(maxsize=1)
def infinitives() -> frozenset[str]:
    table = lemma_table()
    return frozenset(v for v in table.values() if isinstance(v, str) and v.endswith("en") and len(v) > 4)


def imperative_candidates(word: str) -> list[str]:
    w = word.lower()
    out = [w + "en", w + w[-1:] + "en", w + "n"]
    m = re.match(r"^(.*?)([aeou])\2([^aeiou])$", w)  # maak -> maken, schaal -> schalen
    if m:
        out.append(m.group(1) + m.group(2) + m.group(3) + "en")
    if w.endswith("f"):
        out.append(w[:-1] + "ven")
        m = re.match(r"^(.*?)([ae])\2f$", w)  # geef -> geven
        if m:
            out.append(m.group(1) + m.group(2) + "ven")
    if w.endswith("s"):
        out.append(w[:-1] + "zen")
        m = re.match(r"^(.*?)([aeo])\2s$", w)  # lees -> lezen
        if m:
            out.append(m.group(1) + m.group(2) + "zen")
    return out


# common imperatives the lookup table does not lead back to an infinitive
IMPERATIVES = frozenset(word_list("imperatives"))
# clause-initial words that are never an imperative
NOT_IMPERATIVE = frozenset(word_list("not_imperative"))
# particles of separable verbs
SEPARABLE = word_list("separable")


def imperative(first: str, lemma: str) -> bool:
    """Whether a clause-initial word is a Dutch imperative ("Verminder", "Maak", "Zorg")."""
    w = first.lower()
    if not first[:1].isupper() or w in NOT_IMPERATIVE or len(w) < 3 or not w.isalpha() or first.isupper():
        return False
    if w.endswith("e") and w not in ("doe",):  # adjectives and nouns ("Goede", "Nieuwe")
        return False
    if w in IMPERATIVES:
        return True
    if w.startswith("ge") and lemma != w and not lemma.startswith("ge"):
        return False  # a past participle ("Gelet hierop", "Gezien", "Gericht op"), not "Geef" or "Gebruik"
    if w.endswith(("en", "ing", "heid", "isch", "ische", "lijk", "lijke", "end")):
        return False  # "end": a present participle ("Funderend onderwijs")
    known = infinitives()
    for particle in SEPARABLE:
        # a separable verb's imperative splits ("Stroom door"), so "Doorstroom" and "Afstroom" are nouns
        rest = w[len(particle) :]
        if w.startswith(particle) and len(rest) > 2 and any(c in known for c in imperative_candidates(rest)):
            return False
    if lemma != w and lemma.endswith("en") and lemma in known:
        return True
    if w in lemma_table() and lemma_table()[w] == w:
        return False  # a word the table knows as its own lemma is a noun ("Onderzoek", "Rol")
    return any(c in known for c in imperative_candidates(w))
