"""The expression language of complete word search (`beleidsbank find`, the app's "Alle vermeldingen").

    leraren                 a word
    zij-instroom            a word; its hyphens and apostrophes do not count (see find.py)
    "tekort aan leraren"    an exact phrase: these words one after the other
    leraar*                 a prefix: every word that starts with "leraar"
    *tekort                 a suffix: every word that ends with "tekort" (lerarentekort);
                            *tekort* every word that holds it
    a b                     both (an implicit AND)
    a AND b, a EN b         both
    a OR b, a OF b          either
    NOT a, NIET a           not a
    (a OR b) NOT c          grouping

Operators are operators only in capitals (AND OR NOT, or Dutch EN OF NIET), so the common
Dutch words "en" and "of" stay words; a capitalised operator word is searched by quoting it
("OF"). NOT binds tighter than AND, AND tighter than OR. A query word is folded like the text
(lower case, no diacritics); punctuation inside a word other than a hyphen or apostrophe
splits it into a phrase ("d.w.z." is the phrase "d w z"), and a token without letters or
digits ("&", "-") is left out. Every error is a FindQueryError with a Dutch message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .analyzer import fold

MAX_CHARS = 1000  # sanity bounds of one expression
MAX_WORDS = 64
MAX_DEPTH = 32  # nested parentheses and NOTs

OPERATORS = {"AND": "AND", "EN": "AND", "OR": "OR", "OF": "OR", "NOT": "NOT", "NIET": "NOT"}
QUOTES = '"“”„'
# characters joined inside a word: hyphens (also the Unicode ones) and apostrophes
JOINERS = "-\u2010\u2011'\u2019"
_ATOM = re.compile(r"[^\W_]+")
_TOKEN = re.compile(rf"\s*(?:(?P<paren>[()])|(?P<quote>[{QUOTES}])|(?P<word>[^\s(){QUOTES}]+))")


class FindQueryError(ValueError):
    """An expression that cannot be read (Dutch message for users)."""


@dataclass(frozen=True)
class Word:
    """One query word: its letters and digits, folded (`compact`); `prefix`: more letters may
    follow it in the word; `suffix`: more letters may come before it."""

    compact: str
    prefix: bool = False
    suffix: bool = False


@dataclass(frozen=True)
class Phrase:
    """Words that must stand one after the other; a single word is a phrase of one."""

    words: tuple[Word, ...]
    text: str = field(default="", compare=False)  # as typed


@dataclass(frozen=True)
class And:
    parts: tuple


@dataclass(frozen=True)
class Or:
    parts: tuple


@dataclass(frozen=True)
class Not:
    part: object


Node = Phrase | And | Or | Not


def words_of(text: str, where: str) -> list[Word]:
    """The query words of one typed token or phrase: folded, split at punctuation other than the
    joiners, joiners removed; a trailing * makes the last word a prefix, a leading * the first
    word a suffix."""
    out = []
    for token in text.split():
        prefix, suffix = token.endswith("*"), token.startswith("*")
        core = token.strip("*")
        if "*" in core:
            raise FindQueryError(f"Een * mag alleen aan het begin of eind van een woord staan ({where}).")
        folded = fold(core)
        for j in JOINERS:
            folded = folded.replace(j, "")
        atoms = _ATOM.findall(folded.replace("\x00", " "))
        if (prefix or suffix) and not atoms:
            raise FindQueryError(f"Bij een * hoort minstens één letter of cijfer ({where}).")
        words = [Word(a) for a in atoms]
        if words and suffix:
            words[0] = Word(words[0].compact, suffix=True)
        if words and prefix:
            words[-1] = Word(words[-1].compact, prefix=True, suffix=words[-1].suffix)
        out.extend(words)
    return out


def _tokens(expr: str) -> list[tuple[str, str]]:
    """(kind, value): ("(", "("), (")", ")"), ("op", "AND"|"OR"|"NOT"), ("phrase", text), ("word", text)."""
    out, pos = [], 0
    while pos < len(expr):
        m = _TOKEN.match(expr, pos)
        if m is None:  # only trailing whitespace is left
            break
        pos = m.end()
        if m.group("paren"):
            out.append((m.group("paren"), m.group("paren")))
        elif m.group("quote"):
            end = next((i for i in range(pos, len(expr)) if expr[i] in QUOTES), -1)
            if end < 0:
                raise FindQueryError('Er ontbreekt een afsluitend aanhalingsteken (").')
            out.append(("phrase", expr[pos:end]))
            pos = end + 1
        else:
            word = m.group("word")
            out.append(("op", OPERATORS[word]) if word in OPERATORS else ("word", word))
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens, self.pos, self.n_words = tokens, 0, 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def parse(self) -> Node:
        node = self.or_(0)
        tok = self.peek()
        if tok is not None:
            if tok[0] == ")":
                raise FindQueryError("Er staat een sluithaakje ')' zonder openingshaakje '('.")
            raise FindQueryError(f"Onverwacht '{tok[1]}' in de zoekopdracht.")
        return node

    def or_(self, depth: int) -> Node:
        parts = [self.and_(depth)]
        while self.peek() == ("op", "OR"):
            self.pos += 1
            parts.append(self.and_(depth, after="OF/OR"))
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def and_(self, depth: int, after: str = "") -> Node:
        parts = [self.unary(depth, after)]
        while (tok := self.peek()) is not None and tok[0] != ")" and tok != ("op", "OR"):
            if tok == ("op", "AND"):
                self.pos += 1
                parts.append(self.unary(depth, "EN/AND"))
            else:
                parts.append(self.unary(depth))
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def unary(self, depth: int, after: str = "") -> Node:
        if depth > MAX_DEPTH:
            raise FindQueryError(f"De zoekopdracht is te diep genest (meer dan {MAX_DEPTH} niveaus).")
        tok = self.peek()
        if tok is None or tok[0] == ")" or tok in (("op", "AND"), ("op", "OR")):
            what = f"'{tok[1]}'" if tok else "het einde"
            if after:
                raise FindQueryError(f"Na {after} moet een woord of zinsnede volgen, niet {what}.")
            if self.pos and self.tokens[self.pos - 1][0] == "(":
                raise FindQueryError("Na een openingshaakje '(' moet een woord of zinsnede volgen.")
            raise FindQueryError(f"Voor {what} moet een woord of zinsnede staan.")
        self.pos += 1
        if tok == ("op", "NOT"):
            return Not(self.unary(depth + 1, "NIET/NOT"))
        if tok[0] == "(":
            node = self.or_(depth + 1)
            if self.peek() is None or self.peek()[0] != ")":
                raise FindQueryError("Er ontbreekt een sluithaakje ')'.")
            self.pos += 1
            return node
        return self.phrase(tok)

    def phrase(self, tok: tuple[str, str]) -> Node:
        kind, text = tok
        words = words_of(text, f'"{text}"' if kind == "phrase" else text)
        if not words and kind == "phrase":
            raise FindQueryError("Tussen de aanhalingstekens staat geen woord.")
        self.n_words += len(words)
        if self.n_words > MAX_WORDS:
            raise FindQueryError(f"De zoekopdracht heeft meer dan {MAX_WORDS} woorden.")
        return Phrase(tuple(words), text)


def _prune(node: Node) -> Node | None:
    """The tree without the tokens that held no letters or digits ('&', '-'); None when nothing is left."""
    if isinstance(node, Phrase):
        return node if node.words else None
    if isinstance(node, Not):
        part = _prune(node.part)
        return Not(part) if part is not None else None
    parts = tuple(p for p in (_prune(p) for p in node.parts) if p is not None)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else type(node)(parts)


def parse(expr: str) -> Node:
    """The tree of an expression, or FindQueryError (Dutch) when it cannot be read."""
    if not isinstance(expr, str) or not expr.strip():
        raise FindQueryError("De zoekopdracht is leeg.")
    if len(expr) > MAX_CHARS:
        raise FindQueryError(f"De zoekopdracht is langer dan {MAX_CHARS} tekens.")
    node = _prune(_Parser(_tokens(expr)).parse())
    if node is None:
        raise FindQueryError("De zoekopdracht bevat geen woord om naar te zoeken (letters of cijfers).")
    return node


def positive_phrases(node: Node, negated: bool = False) -> list[Phrase]:
    """The phrases whose matches a hit shows: those under an even number of NOTs."""
    if isinstance(node, Phrase):
        return [] if negated else [node]
    if isinstance(node, Not):
        return positive_phrases(node.part, not negated)
    return [p for part in node.parts for p in positive_phrases(part, negated)]
