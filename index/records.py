"""The records the store hands out: frozen dataclasses, English field names.

No SQL here and no Dutch keys, except in `Evidence.to_json`, which writes the
shape the links table stores (and `beleidsbank links --json` prints).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Document:
    id: str
    path: str
    sha256: str
    title: str
    short: str
    publisher: str
    year: int | None
    kind: str
    language: str
    n_pages: int
    ingested_at: str


@dataclass(frozen=True)
class Passage:
    rowid: int
    id: str
    doc_id: str
    seq: int
    page: int
    page_end: int
    page_label: str
    section: str
    section_path: str
    kind: str
    start: int
    end: int
    text: str
    sentences: tuple[tuple[int, int], ...]  # character spans in `text`
    title: str
    short: str
    publisher: str
    year: int | None
    ocr: bool = False  # read by OCR (one of its pages)
    quality: str = "goed"  # the text quality of its worst page (QUALITIES)


# the text-quality verdicts of a page, best first (ingest/pdf_reader.py gives them)
QUALITIES = ("goed", "matig", "slecht")


def quality_level(quality: str) -> int:
    """0 for "goed", 1 for "matig", 2 for "slecht" (an unknown verdict counts as "goed")."""
    return QUALITIES.index(quality) if quality in QUALITIES else 0


@dataclass(frozen=True)
class PageVerdict:
    """What the reader said of one page: read by OCR or not, its text quality and why (Dutch)."""

    doc_id: str
    page: int
    ocr: bool
    quality: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class MetaOverride:
    """A user's correction of a document's metadata; None: the field as parsed."""

    doc_id: str
    title: str | None = None
    publisher: str | None = None
    year: int | None = None
    kind: str | None = None
    updated_at: str = ""


@dataclass(frozen=True)
class Statement:
    id: str
    doc_id: str
    seq: int
    start: int
    end: int
    page: int
    page_label: str
    section: str
    section_path: str
    passage_id: str | None
    kind: str
    confidence: float
    cue: str
    unit: str
    text: str
    theme: int | None
    short: str
    publisher: str
    year: int | None
    theme_label: str | None


@dataclass(frozen=True)
class Evidence:
    """Why a problem is linked to a recommendation."""

    meaning: float  # cosine of the two statements' vectors
    shared_words: tuple[str, ...]  # surface words whose stems both hold
    same_theme: bool
    section: str  # the shared section, same document only ("" if none)
    repeats: tuple[tuple[str, str], ...] = ()  # (statement id, page label) of the same problem stated elsewhere
    distance: int | None = None  # statements apart, same document only

    def to_json(self) -> dict:
        """The stored shape (Dutch keys, in this order)."""
        return {
            "betekenis": self.meaning,
            "gedeelde_woorden": list(self.shared_words),
            "thema": self.same_theme,
            "sectie": self.section,
            "afstand": self.distance,
            "ook_elders": [list(r) for r in self.repeats],
        }

    @classmethod
    def from_json(cls, d: dict) -> Evidence:
        return cls(
            meaning=d["betekenis"],
            shared_words=tuple(d.get("gedeelde_woorden", ())),
            same_theme=bool(d.get("thema")),
            section=d.get("sectie") or "",
            repeats=tuple((str(a), str(b)) for a, b in d.get("ook_elders") or ()),
            distance=d.get("afstand"),
        )


@dataclass(frozen=True)
class Link:
    """One ranked recommendation -> problem link, as computed and stored."""

    rec_id: str
    prob_id: str
    rank: int
    score: float
    scope: str  # "same-doc" or "cross-doc"
    evidence: Evidence


@dataclass(frozen=True)
class LinkedProblem:
    problem: Statement
    rank: int
    score: float
    scope: str
    evidence: Evidence


@dataclass(frozen=True)
class RecommendationLinks:
    recommendation: Statement
    problems: list[LinkedProblem]


@dataclass(frozen=True)
class Theme:
    id: int
    label: str
    terms: tuple[str, ...]
    size: int
    description: str = ""  # one line: what the theme is about
    parent: int | None = None  # the broader theme of a sub-theme; None at the top level
    members: tuple[str, ...] = ()  # statement ids, the most typical (closest to the centre) first

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "label": self.label,
            "terms": list(self.terms),
            "size": self.size,
            "description": self.description,
            "parent": self.parent,
            "typical": list(self.members[:TYPICAL]),
        }


TYPICAL = 5  # a theme's most typical statements shown with it


@dataclass(frozen=True, eq=False)
class Linkable:
    """A recommendation or problem with its vectors: what themes and links are computed over."""

    id: str
    doc_id: str
    seq: int
    section_path: str
    text: str
    vector: np.ndarray  # the statement's own embedding
    kind: str = ""
    context: np.ndarray | None = None  # its passage's embedding (None when it has no passage)
    confidence: float | None = None  # None: neutral
    unit: str = ""
    page_label: str = ""
    theme: int | None = None
