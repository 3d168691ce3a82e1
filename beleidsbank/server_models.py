"""The shapes of the REST API's answers, for its OpenAPI schema (/openapi.json).

They describe what beleidsbank/answers.py builds (the CLI's --json), field for field; the
answers are sent as built, these models only document and let a client (or schemathesis)
check them. Nested objects the index describes itself (evidence of a link, cells of a
comparison, groups of an advice answer) are left open (`dict`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ApiErrorBody(BaseModel):
    fout: str
    """What went wrong, in Dutch."""
    code: int
    """The HTTP status."""


class Hit(_Open):
    rank: int
    score: float
    passage_id: str
    doc_id: str
    title: str
    short: str
    publisher: str
    year: int | None
    page: int
    page_label: str
    section: str
    section_path: str
    text: str
    kind: str
    best_sentence: list[int]
    dense_score: float
    lexical_score: float
    ocr: bool
    quality: str


class DocumentRow(_Open):
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
    passages: int
    warnings: list[str]


class PassageRow(_Open):
    id: str
    doc_id: str
    seq: int
    page: int
    page_end: int
    page_label: str
    section: str
    section_path: str
    kind: str
    ocr: bool
    quality: str
    text: str


class StatementRow(_Open):
    id: str
    doc_id: str
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
    theme_label: str | None


class LinkedProblem(StatementRow):
    score: float
    rank: int
    scope: str
    evidence: dict


class LinkRow(_Open):
    recommendation: StatementRow
    problems: list[LinkedProblem]


class _Page(BaseModel):
    total: int
    """Items in all pages together."""
    offset: int
    limit: int


class DocumentPage(_Page):
    items: list[DocumentRow]


class PassagePage(_Page):
    items: list[PassageRow]


class StatementPage(_Page):
    items: list[StatementRow]


class LinkPage(_Page):
    items: list[LinkRow]


class AdviceAnswer(_Open):
    query: str
    intent: str
    language: str
    topic: str
    recommendations: list[dict]
    problems: list[dict]
    groups: list[dict]
    sources_without: list[str]
    elapsed_ms: float


class FindAnswer(_Open):
    expression: str
    total: int
    occurrences: int
    per_document: dict[str, int]
    documents_without: list[str]
    hits: list[dict]
    offset: int
    limit: int


class Comparison(_Open):
    documents: list[str]
    themes: list[dict]


class IngestAnswer(BaseModel):
    added: list[str]
    replaced: list[str]
    unchanged: list[str]
    skipped: list[dict[str, str]]
    passages: int
    warnings: list[str]


class ReviewIn(BaseModel):
    """A verdict: `link` (rec_id, prob_id), `label` (statement_id, with `rejected` the right
    label) or `result` (query, passage_id); verdict: bevestig/verwerp (or confirmed/rejected)."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["link", "label", "result"]
    verdict: str
    rec_id: str | None = None
    prob_id: str | None = None
    statement_id: str | None = None
    label: str | None = None
    query: str | None = None
    passage_id: str | None = None
    note: str = ""


class ReviewAnswer(BaseModel):
    melding: str
    review: dict
