"""Complete word search: every passage that holds an expression (index/find_query.py), never a
ranked sample, with the matched spans, the count per document and the documents without a match.

What matches. The text is folded as the lexical index folds it (analyzer.fold: lower case, no
diacritics, compatibility forms such as ligatures decomposed) and soft hyphens are dropped. An
atom is a run of letters and digits; between two atoms a *soft* gap is whitespace or a single
hyphen or apostrophe. A query word matches a run of consecutive atoms with soft gaps between
them whose letters, joined, are the word's letters: so zij-instroom, zijinstroom and
"zij instroom" find each other, and "instroom" finds zij-instroom but not zijinstroom (a word
is matched whole, never inside a longer word). A prefix word (leraar*) matches the shortest
such run whose letters start with the prefix, to the end of its last atom; a suffix word
(*tekort) may start at any letter of its first atom, so it finds the compounds that end with it
(lerarentekort), and the match is shown from that atom's start. The words of a phrase match one
after the other, with any punctuation or whitespace between them.

How. The whole corpus is scanned, not the lexical index: its features are stems and stem
n-grams, which neither bound nor decide these matches. Each passage's folded text is kept per
store generation in one string, and each query word becomes one regular expression run over
it (a literal first character, so the scan skips quickly); AND, OR and NOT are set operations
on the passages the words hit. The scan is linear in the corpus: fast for thousands of
passages, not meant for millions.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .analyzer import fold
from .find_query import JOINERS, And, Node, Not, Or, Phrase, Word, parse, positive_phrases
from .records import Passage
from .store import Store

SEP = "\x00"  # between passages in the corpus string: neither a letter, a space nor a joiner
_SOFT = rf"(?:\s+|[{re.escape(JOINERS)}])"
_GAP = rf"(?:[^\w{SEP}]|_)+"  # between the words of a phrase: anything but letters, digits, SEP
_ATOM = re.compile(r"[^\W_]+")
_NOT_ATOM_BEFORE = r"(?<![^\W_].)"  # checked after the first character: no letter or digit before it
SNIPPET_CHARS = 240


class _FoldTable(dict):
    """str.translate table: each character to its folded form (analyzer.fold), filled on first
    sight; soft hyphens are dropped and SEP becomes a space."""

    def __missing__(self, cp: int) -> str:
        ch = chr(cp)
        value = "" if ch == "\xad" else " " if ch == SEP else fold(ch)
        self[cp] = value
        return value


_FOLD = _FoldTable()


def normalise(text: str) -> tuple[str, list[int] | None]:
    """The folded text and, when a character folded to more or fewer than one, the original
    offset of each folded character (None: the offsets are the text's own)."""
    folded = text.translate(_FOLD)
    if all(len(_FOLD[ord(ch)]) == 1 for ch in set(text) if not ch.isascii() or ch == SEP):
        return folded, None
    offsets = [i for i, ch in enumerate(text) for _ in range(len(_FOLD[ord(ch)]))]
    return folded, offsets


def word_pattern(word: Word, first: bool = True) -> str:
    """The regular expression of one query word over folded text (see the module doc). A suffix
    word that starts a phrase matches from inside its first atom (`matches` widens the span to
    the atom's start): the pattern then starts with a literal, which the scan finds quickly."""
    chars = [re.escape(c) for c in word.compact]
    if word.suffix:
        head = chars[0] if first else r"[^\W_]*" + chars[0]
    else:
        head = chars[0] + _NOT_ATOM_BEFORE
    body = head + "".join(f"{_SOFT}?{c}" for c in chars[1:])
    return body + (r"[^\W_]*" if word.prefix else r"(?![^\W_])")


def phrase_pattern(phrase: Phrase) -> re.Pattern:
    return re.compile(_GAP.join(word_pattern(w, i == 0) for i, w in enumerate(phrase.words)))


@dataclass
class FindHit:
    passage: Passage
    spans: list[tuple[int, int]]  # character spans of the matches in passage.text, sorted, disjoint

    def snippet(self, width: int = SNIPPET_CHARS) -> str:
        """The text around the first match with every match in it marked »so«; '…' where cut."""
        text = self.passage.text
        if not self.spans:
            return text[:width] + ("…" if len(text) > width else "")
        start = max(0, self.spans[0][0] - width // 3)
        end = min(len(text), start + width)
        if start:  # cut between words, not inside one
            space = text.find(" ", start, self.spans[0][0])
            start = space + 1 if space >= 0 else start
        if end < len(text):
            space = text.rfind(" ", self.spans[0][1], end)
            end = space if space >= 0 else end
        out, pos = [], start
        for s, e in self.spans:
            if s >= end:
                break
            s, e = max(s, start), min(e, end)
            if e > s:
                out += [text[pos:s], "»", text[s:e], "«"]
                pos = e
        out.append(text[pos:end])
        return ("…" if start else "") + "".join(out).strip() + ("…" if end < len(text) else "")

    def to_json(self) -> dict:
        p = self.passage
        return dict(
            passage_id=p.id,
            doc_id=p.doc_id,
            title=p.title,
            short=p.short,
            publisher=p.publisher,
            year=p.year,
            page=p.page,
            page_end=p.page_end,
            page_label=p.page_label,
            section=p.section,
            section_path=p.section_path,
            ocr=p.ocr,
            text=p.text,
            spans=[list(s) for s in self.spans],
            snippet=self.snippet(),
        )


@dataclass
class FindResult:
    expression: str
    hits: list[FindHit]  # in document order, then reading order
    per_document: dict[str, int]  # matching passages per document, documents with a match only
    documents_without: list[str]  # documents in scope without a match
    occurrences: int = 0  # matches over all hits (a passage can hold several)
    seconds: float = field(default=0.0, compare=False)

    @property
    def total(self) -> int:
        return len(self.hits)

    def to_json(self) -> dict:
        return {
            "expression": self.expression,
            "total": self.total,
            "occurrences": self.occurrences,
            "per_document": self.per_document,
            "documents_without": self.documents_without,
            "hits": [h.to_json() for h in self.hits],
        }


class FindCorpus:
    """The folded text of every passage of one store generation, in one string."""

    def __init__(self, version: tuple, doc_ids: list[str], passages: list[Passage]):
        self.version = version  # the store generation and its documents' citation fields
        self.doc_ids = doc_ids  # every document, passages or not
        self.passages = passages  # by document id, then reading order
        texts, self.offsets = [], []
        for p in passages:
            folded, offsets = normalise(p.text)
            texts.append(folded)
            self.offsets.append(offsets)
        lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
        self.starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]) if len(texts) else np.zeros(0, np.int64)
        self.text = SEP.join(texts) + SEP
        self.by_rowid = {p.rowid: i for i, p in enumerate(passages)}
        self._atom_starts: np.ndarray | None = None

    @classmethod
    def build(cls, store: Store) -> FindCorpus:
        """Every passage of the store, read in one transaction."""
        with store.read():
            version = _version(store)
            passages = [p for d in version[1] for p in store.document_passages(d.id)]
        return cls(version, [d.id for d in version[1]], passages)

    def original_span(self, i: int, s: int, e: int) -> tuple[int, int]:
        """A span in passage i's folded text as a span of its original text."""
        offsets = self.offsets[i]
        if offsets is None:
            return s, e
        return offsets[s], offsets[e - 1] + 1

    def matches(self, phrase: Phrase) -> dict[int, list[tuple[int, int]]]:
        """Passage index -> spans (in its folded text) of one phrase's matches."""
        spans = np.array([m.span() for m in phrase_pattern(phrase).finditer(self.text)], dtype=np.int64)
        if not len(spans):
            return {}
        if phrase.words[0].suffix:  # widen to the start of the atom the match begins in
            atoms = self.atom_starts()
            spans[:, 0] = atoms[np.searchsorted(atoms, spans[:, 0], side="right") - 1]
        where = np.searchsorted(self.starts, spans[:, 0], side="right") - 1
        spans -= self.starts[where][:, None]
        cuts = np.flatnonzero(np.diff(where)) + 1  # matches come in text order: one group per passage
        out = {}
        for i, group in zip(where[np.concatenate([[0], cuts])].tolist(), np.split(spans, cuts)):
            out[i] = list(map(tuple, group.tolist()))
        return out

    def atom_starts(self) -> np.ndarray:
        """The offsets in `text` where an atom starts, sorted (computed on first use)."""
        if self._atom_starts is None:
            self._atom_starts = np.array([m.start() for m in _ATOM.finditer(self.text)], dtype=np.int64)
        return self._atom_starts

    def find(self, expression: str | Node, allowed: set[int] | None = None) -> FindResult:
        """Every passage (among the rowids `allowed`, all when None) that holds the expression."""
        node = parse(expression) if isinstance(expression, str) else expression
        scope = (
            set(range(len(self.passages)))
            if allowed is None
            else {self.by_rowid[r] for r in allowed if r in self.by_rowid}
        )
        cache: dict[Phrase, dict[int, list[tuple[int, int]]]] = {}

        def hits_of(phrase: Phrase) -> dict[int, list[tuple[int, int]]]:
            if phrase not in cache:
                cache[phrase] = self.matches(phrase)
            return cache[phrase]

        chosen = sorted(_evaluate(node, scope, hits_of))
        shown = positive_phrases(node)
        hits = []
        for i in chosen:
            spans = [self.original_span(i, s, e) for ph in shown for s, e in hits_of(ph).get(i, [])]
            hits.append(FindHit(self.passages[i], _merge(spans)))
        per_doc: dict[str, int] = {}
        for h in hits:
            per_doc[h.passage.doc_id] = per_doc.get(h.passage.doc_id, 0) + 1
        in_scope = self.doc_ids if allowed is None else sorted({self.passages[i].doc_id for i in scope})
        text = expression if isinstance(expression, str) else ""
        without = [d for d in in_scope if d not in per_doc]
        return FindResult(text, hits, per_doc, without, sum(len(h.spans) for h in hits))


def _evaluate(node: Node, scope: set[int], hits_of) -> set[int]:
    """The passages of `scope` that satisfy a tree."""
    if isinstance(node, Phrase):
        return scope & hits_of(node).keys()
    if isinstance(node, Not):
        return scope - _evaluate(node.part, scope, hits_of)
    if isinstance(node, And):
        out = _evaluate(node.parts[0], scope, hits_of)
        for part in node.parts[1:]:
            if not out:
                break
            out &= _evaluate(part, out, hits_of)
        return out
    if isinstance(node, Or):
        out: set[int] = set()
        for part in node.parts:
            out |= _evaluate(part, scope - out, hits_of)
        return out
    raise TypeError(node)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, overlapping spans joined."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


_CACHE: dict[str, FindCorpus] = {}
_LOCK = threading.Lock()


def corpus_for(store: Store) -> FindCorpus:
    """The corpus of the store's current version, kept per data directory until it changes."""
    key = str(Path(store.data_dir).resolve())
    with _LOCK:
        current = _CACHE.get(key)
        if current is None or current.version != _version(store):
            current = _CACHE[key] = FindCorpus.build(store)
        return current


def _version(store: Store) -> tuple:
    """What the kept corpus depends on: the generation (an ingest or removal bumps it) and the
    documents' records (a metadata correction changes a citation but not the generation)."""
    return store.generation(), tuple(store.documents())


def find(store: Store, expression: str, visible: frozenset[str] | None = None, **filters) -> FindResult:
    """`expression` over the store's passages; `filters` as Store.passage_filter takes them
    (doc, publisher, year, kind); `visible`: the document ids the viewer may see (None: all),
    also the only documents "without a match" can name. FindQueryError (Dutch) when the
    expression cannot be read."""
    import time

    t0 = time.perf_counter()
    node = parse(expression)
    corpus = corpus_for(store)
    allowed = store.passage_filter(**{k: filters.get(k) for k in ("doc", "publisher", "year", "kind")}, visible=visible)
    result = corpus.find(node, allowed)
    result.expression = expression
    result.seconds = time.perf_counter() - t0
    return result
