"""Whether two recommendations ask for opposite things: one asks for what the other asks against.

A general lexical mechanism over the word list index/data/opposition.txt. A recommendation is
cut into clauses (at punctuation and clause words); a clause asks AGAINST what it names when it
holds an odd number of turning words: a negation ("niet", "geen"), a verb of less or ending
("afschaffen", "verminderen", a separable "bouw ... af"); what follows "in plaats van" is asked
against when the clause asks for the rest. Two recommendations are opposed when a clause of one
asks against what a clause of the other asks for, and the clause asked against shares most
(`SHARE`) of its content words with the other: "geen nieuwe regels" and "voer nieuwe regels in"
are opposed; "verminder de uitstroom van docenten" and "investeer in docenten" are not (the
second says nothing about outflow). Plain text in, plain data out.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .analyzer import STOP_WORDS, analyze
from .lexicon import DATA, PROBLEM_TERMS, imperative, word_list

TOKEN = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*|[,;:.!?()]")
PUNCTUATION = {",", ";", ":", ".", "!", "?", "(", ")"}
IPV = re.compile(r"\bi\.\s?p\.\s?v\.?", re.IGNORECASE)  # "i.p.v.": in plaats van
SHARE = 2 / 3  # of the content words of the clause asked against that the other clause must hold
SHORT = 3  # content words of a short clause


def _entries(name: str) -> dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]]:
    """label -> (words, separated particle) per entry: "bouw ... af" is (("bouw",), ("af",))."""
    out = {}
    for line in (DATA / f"{name}.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        key, _, rest = line.partition(":")
        items = []
        for entry in (e.strip().lower() for e in rest.split(",") if e.strip()):
            head, _, particle = entry.partition("...")
            items.append((tuple(head.split()), tuple(particle.split())))
        out[key.strip()] = tuple(items)
    return out


@functools.lru_cache(maxsize=1)
def _lists():
    return _entries("opposition")


@functools.lru_cache(maxsize=1)
def _cue_words() -> frozenset[str]:
    return frozenset(w for entries in _lists().values() for head, part in entries for w in head + part)


@functools.lru_cache(maxsize=1)
def _generic() -> frozenset[str]:
    return frozenset(s for w in word_list("generic") for s in analyze(w))


def _at(tokens: list[str], i: int, words: tuple[str, ...]) -> bool:
    return tuple(tokens[i : i + len(words)]) == words


def _clauses(tokens: list[str]) -> list[list[str]]:
    clause_words = {h[0] for h, _ in _lists()["clause"]}
    out, cur = [], []
    for w in tokens:
        if w in PUNCTUATION or w in clause_words:
            if cur:
                out.append(cur)
            cur = []
        else:
            cur.append(w)
    if cur:
        out.append(cur)
    return out


def _turns(clause: list[str]) -> tuple[int, list[str]]:
    """How many turning words the clause holds, and which."""
    lists, n, cues, i = _lists(), 0, [], 0
    while i < len(clause):
        hit = next((h for h, _ in lists["not_negation"] if _at(clause, i, h)), None)
        if hit:
            i += len(hit)
            continue
        for name in ("negation", "decrease"):
            for head, particle in lists[name]:
                if _at(clause, i, head) and (not particle or particle[0] in clause[i + len(head) :]):
                    n += 1
                    cues.append(" ".join(head + particle))
                    i += len(head) - 1
                    break
            else:
                continue
            break
        i += 1
    return n, cues


def _content(words: list[str]) -> frozenset[str]:
    """The clause's content stems: no stop, generic or turning words, and no problem words
    ("tekort", "knelpunt"): a problem is never asked for, so asking against it opposes no one."""
    cue = _cue_words()
    kept = [w for w in words if w not in cue and w not in STOP_WORDS and not _problem_word(w)]
    return frozenset(s for w in kept for s in analyze(w) if len(s) > 2) - _generic()


def _problem_word(word: str) -> bool:
    return any(word.startswith(t) for t in PROBLEM_TERMS if " " not in t)


@dataclass(frozen=True)
class Part:
    """A clause (or the part of one before or after "in plaats van"): for (+1) or against (-1)."""

    sign: int
    content: frozenset[str]
    cues: tuple[str, ...]


def _opens_with_imperative(text: str) -> bool:
    """Whether the statement opens with an imperative ("Schaf ... af", "- Voer ... in")."""
    first = next(iter(re.findall(r"[^\W\d_]+", text or "")), "")
    return bool(first) and imperative(first, first.lower())


def parts(text: str) -> list[Part]:
    """The clauses of `text` that ask something (an imperative opens the statement, or the clause
    holds a word of obligation: "moet", "dient", "zou"), with what each asks for or against; a
    clause that only describes ("burgers die de app niet kunnen gebruiken") asks nothing."""
    instead = [h for h, _ in _lists()["instead"]]
    directive = {h[0] for h, _ in _lists()["directive"]}
    out = []
    for n_clause, clause in enumerate(_clauses(TOKEN.findall(IPV.sub("in plaats van", text or "").lower()))):
        if not (directive & set(clause) or (n_clause == 0 and _opens_with_imperative(text))):
            continue
        cut = next((i for i in range(len(clause)) for h in instead if _at(clause, i, h)), None)
        pieces = [(clause, 1)] if cut is None else [(clause[:cut], 1), (clause[cut:], -1)]
        for words, flip in pieces:
            n, cues = _turns(words)
            sign = (-1) ** n * flip
            content = _content(words)
            if content:
                out.append(Part(sign, content, tuple(cues) + (("in plaats van",) if flip < 0 else ())))
    return out


def opposed(a: str, b: str) -> tuple[str, ...]:
    """The cue words by which `a` and `b` ask for opposite things, () when they do not."""
    pa, pb = parts(a), parts(b)
    for x in pa:
        for y in pb:
            if x.sign == y.sign:
                continue
            against, other = (x, y) if x.sign < 0 else (y, x)
            shared = len(against.content & other.content)
            # one shared word opposes two short clauses only ("geen campagnes" / "start campagnes"):
            # in a long one it is a word in passing
            if shared >= SHARE * len(against.content) and (shared >= 2 or len(other.content) <= SHORT):
                return tuple(dict.fromkeys(x.cues + y.cues))
    return ()
