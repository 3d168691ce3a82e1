"""Advice answers: "Wat adviseren de bronnen over X?" answered with statements, not passages.

`advise(searcher, question)` recognises the question's intent and language (intent.py), ranks
the recommendations (or, for a problem question, the problems) by the signals of
advise_table.py, weighed by `AdviseParams`, and returns an `AdviceAnswer`:
- `items`: the ranked statements, each with its passage, citation fields and the top statements
  it is linked to (the problems a recommendation addresses, the recommendations that address a
  problem), with the link's score and evidence;
- `groups`: answer items from different sources that say the same thing (cosine of the items'
  own embeddings at or above `group_threshold`, complete linkage: every pair that close);
- `sources_without`: the documents (within the filters) none of whose statements stands out in
  meaning from the question's candidates (`without_z`).
Every source with advice on the question gets its best statement into the answer: an advisor
asks what each source says, so a source is not crowded out by a longer one.
A fact question is answered with recommendations too; the app shows passages for it.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from dataclasses import asdict, dataclass, field

import numpy as np

from beleidsbank.settings import AdviseParams

from .addressees import addresses
from .advise_rank import _ranked, _same_content, _with_advice, _without_repeats  # noqa: F401 (compare, tests)
from .advise_table import StatementTable, rescale
from .intent import recognise
from .records import Statement
from .search import QueryError, Searcher, clean_query

OTHER_KIND = {"recommendation": "problem", "problem": "recommendation"}
_TABLES: dict[int, StatementTable] = {}  # id(store) -> its table of the last generation seen
_LOCK = threading.Lock()


@dataclass
class LinkedItem:
    """A statement linked to an answer item, with the link's score, scope and evidence."""

    id: str
    kind: str
    doc_id: str
    page: int
    page_label: str
    section: str
    text: str
    passage_id: str | None
    passage_text: str
    score: float
    scope: str
    evidence: dict
    short: str = ""
    publisher: str = ""
    year: int | None = None


@dataclass
class AdviceItem:
    """A ranked recommendation (or problem) of the answer; `linked` are the problems it
    addresses (or the recommendations that address it)."""

    id: str
    kind: str
    doc_id: str
    page: int
    page_label: str
    section: str
    section_path: str
    text: str
    passage_id: str | None
    passage_text: str
    score: float
    group: int | None
    short: str
    publisher: str
    year: int | None
    signals: dict
    linked: list[LinkedItem] = field(default_factory=list)

    def to_json(self) -> dict:
        d = asdict(self)
        d[OTHER_KIND[self.kind] + "s"] = d.pop("linked")
        return d


@dataclass
class Group:
    """Answer items of two or more sources that say the same thing."""

    id: int
    label: str
    members: list[str]
    sources: list[str]

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class AdviceAnswer:
    query: str
    intent: str
    language: str
    topic: str
    kind: str  # the kind of the ranked items: recommendation or problem
    items: list[AdviceItem]
    groups: list[Group]
    sources_without: list[str]
    sources: list[str]  # the documents the answer looked at (within the filters)
    elapsed_ms: float = 0.0

    @property
    def recommendations(self) -> list[AdviceItem]:
        return self.items if self.kind == "recommendation" else []

    @property
    def problems(self) -> list[AdviceItem]:
        return self.items if self.kind == "problem" else []

    def to_json(self, qid=None) -> dict:
        out = {"id": qid} if qid is not None else {}
        out.update(query=self.query, intent=self.intent, language=self.language, topic=self.topic)
        out["recommendations"] = [i.to_json() for i in self.recommendations]
        out["problems"] = [i.to_json() for i in self.problems]
        out["groups"] = [g.to_json() for g in self.groups]
        out["sources_without"] = list(self.sources_without)
        out["elapsed_ms"] = round(self.elapsed_ms, 1)
        return out


def table_for(searcher: Searcher) -> StatementTable:
    """The statement table of the searcher's store at its current generation."""
    store = searcher.store
    with _LOCK:
        with store.read():
            gen = store.generation()
            table = _TABLES.get(id(store))
            if table is None or table.generation != gen:
                table = _TABLES[id(store)] = StatementTable(store, gen)
            model = store.get_meta("model") or searcher.embedder.name
        if table.own is None:
            table.fill_own(store.index_dir, model, searcher.embedder.encode_statements)
    return table


def advise(
    searcher: Searcher,
    query: str,
    top_k: int = 10,
    doc: list[str] | None = None,
    publisher: list[str] | None = None,
    year: list[int] | None = None,
    params: AdviseParams | None = None,
    intent: str | None = None,
    visible: frozenset[str] | None = None,
    addressee: str | None = None,
) -> AdviceAnswer:
    """The advice answer to `query` (`intent` overrides the recognised one: the user's switch;
    `visible`: the document ids the viewer may see, None: all; items, linked statements and
    sources without advice come from those documents only; `addressee`: only recommendations
    that ask this actor to act, a label of `addressees.labels()`)."""
    started = time.perf_counter()
    params = params or AdviseParams()
    query = clean_query(query, searcher.params.max_query_chars)
    if not query:
        raise QueryError("Geef een zoekvraag op.")
    recognised = recognise(query)
    if not recognised.topic:
        recognised = dataclasses.replace(recognised, topic=query)
    intent = intent or recognised.intent
    kind = "problem" if intent == "problem" else "recommendation"
    table = table_for(searcher)
    sources = _sources(searcher, doc, publisher, year, visible)
    idx = np.flatnonzero(table.mask(kind, set(sources)))
    if addressee and kind == "recommendation":  # read from the text (addressees.py); no problem addresses anyone
        idx = idx[np.array([addresses(table.stmts[i].text, addressee) for i in idx], dtype=bool)] if len(idx) else idx
    qvec = searcher.embedder.encode_query(query)
    hits = searcher.search(
        query, k=params.passages, doc=doc, publisher=publisher, year=year, kind=[kind], vector=qvec, visible=visible
    )
    tvec = qvec if recognised.topic == query else searcher.embedder.encode_query(recognised.topic)
    scores, signals = _score(table, idx, qvec, recognised, hits, kind, params, tvec)
    has_advice = _with_advice(table, idx, table.vectors[idx] @ qvec, params.without_z)
    order = _ranked(table, idx, scores, top_k, has_advice)
    without = [d for d in sources if d not in has_advice]
    items = _items(searcher, table, idx, order, scores, signals, params, visible)
    own = table.own[[table.index[it.id] for it in items]] if len(items) > 1 else None
    groups = _group(own, items, params.group_threshold)
    return AdviceAnswer(
        query=query,
        intent=intent,
        language=recognised.language,
        topic=recognised.topic,
        kind=kind,
        items=items,
        groups=groups,
        sources_without=without,
        sources=sources,
        elapsed_ms=(time.perf_counter() - started) * 1000,
    )


def _sources(searcher: Searcher, doc, publisher, year, visible=None) -> list[str]:
    """The documents within the filters and `visible`, in the store's order."""
    with searcher.store.read():
        docs = searcher.store.documents(visible=visible)
    pubs = [p.lower() for p in publisher or []]
    return [
        d.id
        for d in docs
        if (not doc or d.id in doc)
        and (not year or d.year in year)
        and (not pubs or any(p in (d.publisher or "").lower() for p in pubs))
    ]


def _score(table: StatementTable, idx: np.ndarray, qvec, recognised, hits, kind: str, params: AdviseParams, tvec=None):
    """The combined score of each statement in `idx`, and its signals (name -> array); `tvec`: the
    topic's query vector (default the question's), against the statements' own embeddings."""
    if len(idx) == 0:
        return np.zeros(0, dtype=np.float32), {}
    topic = recognised.topic
    lexical = params.lexical_factor_en if recognised.language == "en" else 1.0
    cos_all = table.vectors @ qvec
    other = np.flatnonzero(table.kinds == OTHER_KIND[kind])
    linked_scale = np.zeros(len(table), dtype=np.float32)
    if len(other):
        linked_scale[other] = rescale(cos_all[other], params.pool)
    top_hit = max((h.score for h in hits), default=0.0)
    by_passage = {h.passage_id: (h.score / top_hit if top_hit > 0 else 0.0) for h in hits}
    signals = {
        "statement": rescale(cos_all[idx], params.pool),
        "context": rescale(table.context[idx] @ qvec, params.pool),
        "passage": np.array([max(by_passage.get(table.stmts[i].passage_id, 0.0), 0.0) for i in idx], dtype=np.float32),
        "section": table.section_share(topic, idx) * lexical,
        "words": table.word_share(topic, idx) * lexical,
        "linked": table.linked_closeness(linked_scale, idx),
        "own": rescale(table.own[idx] @ (qvec if tvec is None else tvec), params.pool),
        "confidence": table.certainty(idx),
    }
    weights = {
        "statement": params.w_statement,
        "context": params.w_context,
        "passage": params.w_passage,
        "section": params.w_section,
        "words": params.w_words,
        "linked": params.w_linked,
        "own": params.w_own,
        "confidence": params.w_confidence,
    }
    scores = sum(weights[name] * values for name, values in signals.items())
    return np.asarray(scores, dtype=np.float32), signals


def _passage_texts(searcher: Searcher, table: StatementTable, passage_ids: set[str]) -> dict[str, str]:
    """Passage id -> text; a document's passages are read once per store generation."""
    docs = {pid.rsplit(":", 1)[0] for pid in passage_ids if pid} - table.texts_read
    if docs:
        with searcher.store.read():
            for d in docs:
                table.passage_texts.update((p.id, p.text) for p in searcher.store.document_passages(d))
        table.texts_read |= docs
    return table.passage_texts


def _items(searcher, table, idx, order, scores, signals, params, visible=None) -> list[AdviceItem]:
    """The answer items at the positions `order`, with their linked statements (within `visible`)."""
    chosen = [table.stmts[idx[j]] for j in order]
    linked = {s.id: [k for k in table.links.get(s.id, []) if _sees(table, k.other, visible)] for s in chosen}
    linked = {sid: ks[: params.linked] for sid, ks in linked.items()}
    others = {k.other: table.stmts[table.index[k.other]] for ks in linked.values() for k in ks}
    texts = _passage_texts(searcher, table, {s.passage_id for s in chosen + list(others.values()) if s.passage_id})
    items = []
    for j, s in zip(order, chosen):
        item = _item(s, float(scores[j]), texts, {n: round(float(v[j]), 4) for n, v in signals.items()})
        for k in linked[s.id]:
            o = others.get(k.other)
            if o is not None:
                item.linked.append(_linked(o, k, texts))
        items.append(item)
    return items


def _sees(table: StatementTable, statement_id: str, visible) -> bool:
    i = table.index.get(statement_id)
    return i is not None and (visible is None or table.stmts[i].doc_id in visible)


def _item(s: Statement, score: float, texts: dict[str, str], signals: dict) -> AdviceItem:
    return AdviceItem(
        id=s.id,
        kind=s.kind,
        doc_id=s.doc_id,
        page=s.page,
        page_label=s.page_label,
        section=s.section,
        section_path=s.section_path,
        text=s.text,
        passage_id=s.passage_id,
        passage_text=texts.get(s.passage_id or "", ""),
        score=round(score, 4),
        group=None,
        short=s.short,
        publisher=s.publisher,
        year=s.year,
        signals=signals,
    )


def _linked(o: Statement, k, texts: dict[str, str]) -> LinkedItem:
    return LinkedItem(
        id=o.id,
        kind=o.kind,
        doc_id=o.doc_id,
        page=o.page,
        page_label=o.page_label,
        section=o.section,
        text=o.text,
        passage_id=o.passage_id,
        passage_text=texts.get(o.passage_id or "", ""),
        score=round(float(k.score), 4),
        scope=k.scope,
        evidence=k.evidence,
        short=o.short,
        publisher=o.publisher,
        year=o.year,
    )


def _group(vectors, items: list[AdviceItem], threshold: float) -> list[Group]:
    """Groups of answer items whose statements all lie within `threshold` cosine of each other
    (`vectors`: the items' texts embedded on their own, symmetric prompt; None for fewer than
    two items), kept when they span two or more sources; an item joins the first group (by
    rank) it fits. The vectors a statement got inside its passage are no use here: they carry
    the passage's and the document's voice as much as the statement's meaning."""
    if vectors is None:
        return []
    clusters: list[list[int]] = []
    for n in range(len(items)):
        for c in clusters:
            if all(float(vectors[n] @ vectors[m]) >= threshold for m in c):
                c.append(n)
                break
        else:
            clusters.append([n])
    groups = []
    for c in clusters:
        sources = list(dict.fromkeys(items[n].doc_id for n in c))
        if len(sources) < 2:
            continue
        gid = len(groups) + 1
        for n in c:
            items[n].group = gid
        label = items[c[0]].text
        groups.append(Group(gid, label if len(label) <= 90 else label[:87] + "...", [items[n].id for n in c], sources))
    return groups
