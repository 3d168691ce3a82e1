"""The comparison of sources per theme: where they agree, where one is silent, where they differ.

Plain data in (`CompareData`: the visible sources, their recommendations and problems, the stored
recommendation-problem links and themes; the recommendations' own embeddings), plain data out
(`Comparison`). Per theme and source:
- the number of recommendations and problems, and their share of all the source's recommendations
  and problems (a long report does not dominate every theme);
- agreements: recommendations of two or more sources that say the same thing, grouped exactly as
  the advice answers group them (`advise._group` over the texts embedded on their own);
- gaps: sources silent on a theme two or more others speak on, and problems no recommendation
  addresses (no stored link from any visible recommendation);
- differences: a problem that recommendations of two or more sources address (among the
  problems each is shown to address in the advice answers, `AdviseParams.linked`), where the
  sources' recommendations are not one agreement group: they advise different measures, or
  opposite ones where one asks against what another asks for (`opposition.opposed`).
Every part comes with its statements cited (document, page, section, text). `addressee` keeps
only the recommendations that ask that actor to act (`addressees.py`). Nothing of a document
outside `visible` is read (`gather`), so nothing of it can appear.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field

import numpy as np

from beleidsbank.settings import AdviseParams

from .addressees import addressees as find_addressees
from .advise import _group as group_similar  # the grouping of the advice answers, not a copy
from .advise_rank import _same_content
from .analyzer import analyze
from .opposition import opposed
from .own_vectors import missing, own_vectors
from .records import TYPICAL, Statement, Theme

KINDS = ("recommendation", "problem")
OTHER_THEME = "overig"  # the row of statements without a theme


@dataclass(frozen=True)
class Source:
    id: str
    short: str
    title: str
    publisher: str
    year: int | None


@dataclass
class CompareData:
    sources: list[Source]
    statements: list[Statement]  # recommendations and problems of the sources
    links: dict[str, list[tuple[str, int, float]]]  # recommendation id -> [(problem id, rank, score)]
    themes: list[Theme]


def gather(store, visible: frozenset[str] | None = None) -> CompareData:
    """What the comparison reads from the store, of the documents in `visible` only (None: all);
    a link counts only where both its ends are visible."""
    with store.read():
        docs = [d for d in store.documents() if visible is None or d.id in visible]
        ids = {d.id for d in docs}
        stmts = [s for s in store.statements() if s.kind in KINDS and s.doc_id in ids]
        links = {
            rl.recommendation.id: [(p.problem.id, p.rank, p.score) for p in rl.problems if p.problem.doc_id in ids]
            for rl in store.links_for()
            if rl.recommendation.doc_id in ids
        }
        # with `visible`, themes sized and labelled from the visible documents (store.themes)
        themes = store.themes() if visible is None else store.themes(visible=visible)
    sources = [Source(d.id, d.short, d.title, d.publisher, d.year) for d in docs]
    return CompareData(sources, stmts, links, themes)


@dataclass(frozen=True)
class Cited:
    """A statement as the comparison cites it."""

    id: str
    kind: str
    doc_id: str
    short: str
    page: int
    page_label: str
    section: str
    text: str
    addressees: tuple[str, ...] = ()
    group: int | None = None  # the agreement group it belongs to (differences)

    def to_json(self) -> dict:
        return asdict(self)


def cite(s: Statement, addressed: tuple[str, ...] = (), group: int | None = None) -> Cited:
    return Cited(s.id, s.kind, s.doc_id, s.short, s.page, s.page_label, s.section, s.text, addressed, group)


@dataclass(frozen=True)
class Agreement:
    id: int
    label: str
    sources: tuple[str, ...]
    statements: tuple[Cited, ...]

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Gap:
    """kind "silent_source": `doc_id` says nothing on a theme `others` speak on (their strongest
    statements cited); kind "unaddressed_problem": a problem of `doc_id` no advice addresses."""

    kind: str
    doc_id: str
    others: tuple[str, ...]
    statements: tuple[Cited, ...]

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Difference:
    """kind "opposite" or "different": what sources advise on one problem."""

    kind: str
    problem: Cited
    sources: tuple[str, ...]
    statements: tuple[Cited, ...]
    cues: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Counts:
    recommendations: int
    problems: int
    share: float

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class ThemeComparison:
    id: int | None
    label: str
    description: str
    parent: int | None
    per_source: dict[str, Counts]
    statements: dict[str, list[Cited]]  # per source its strongest statements on the theme
    typical: list[Cited] = field(default_factory=list)  # the theme's most typical statements
    agreements: list[Agreement] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Comparison:
    sources: list[Source]
    totals: dict[str, Counts]  # per source: all its (counted) recommendations and problems
    themes: list[ThemeComparison]
    addressee: str | None = None
    ungrouped: int = 0  # recommendations without an own embedding: left out of the agreements

    def to_json(self) -> dict:
        return {
            "documents": [s.id for s in self.sources],
            "sources": [dict(asdict(s), **self.totals[s.id].to_json()) for s in self.sources],
            "addressee": self.addressee,
            "ungrouped": self.ungrouped,
            "themes": [t.to_json() for t in self.themes],
        }

    def theme(self, theme_id) -> ThemeComparison | None:
        return next((t for t in self.themes if t.id == theme_id), None)


@dataclass
class _Member:
    """What `advise._group` reads of an item (and writes: `group`)."""

    id: str
    doc_id: str
    text: str
    group: int | None = None


def compare(
    data: CompareData,
    vectors: dict[str, np.ndarray],
    params: AdviseParams | None = None,
    *,
    top: int = 3,
    addressee: str | None = None,
) -> Comparison:
    """The comparison of `data`'s sources per theme. `vectors`: text -> its own embedding
    (`own_vectors`); a recommendation without one takes part in no agreement. With `addressee`
    it compares the advice to that actor: only the recommendations that address it count (no
    problems: they address no one), and problems without advice are not listed."""
    params = params or AdviseParams()
    addressed = {s.id: find_addressees(s.text) for s in data.statements if s.kind == "recommendation"}
    recs = [s for s in data.statements if s.kind == "recommendation" and addressee in (None, *addressed[s.id])]
    problems = [s for s in data.statements if s.kind == "problem"]
    counted = recs + problems if addressee is None else recs
    known = {t.id: t for t in data.themes}
    by_theme: dict[int | None, list[Statement]] = defaultdict(list)
    for s in counted:
        by_theme[s.theme if s.theme in known else None].append(s)
    docs = [s.id for s in data.sources]
    by_id = {s.id: s for s in counted}
    totals = _counts(counted, docs, None)
    rows = []
    for key in [t.id for t in data.themes if t.id in by_theme] + ([None] if None in by_theme else []):
        th = known.get(key)
        rows.append(
            ThemeComparison(
                id=key,
                label=th.label if th else OTHER_THEME,
                description=(getattr(th, "description", "") or "") if th else "",
                parent=getattr(th, "parent", None) if th else None,
                per_source=_counts(by_theme[key], docs, totals),
                statements=_strongest(by_theme[key], docs, top, addressed),
                typical=_typical(th, by_id, addressed),
            )
        )
    group_of = _agreements(rows, by_theme, vectors, params.group_threshold, addressed)
    _gaps(rows, by_theme, data)
    _differences(rows, recs + problems, data.links, group_of, params.linked, addressed)
    ungrouped = sum(1 for s in recs if s.text not in vectors)
    return Comparison(data.sources, totals, rows, addressee, ungrouped)


def _typical(theme: Theme | None, by_id: dict[str, Statement], addressed: dict) -> list[Cited]:
    """The theme's most typical statements (its stored members, closest to its centre first)
    among the counted ones: a hidden document's never."""
    members = [m for m in getattr(theme, "members", ()) if m in by_id]
    return [cite(by_id[m], addressed.get(m, ())) for m in members[:TYPICAL]]


def _counts(stmts: list[Statement], docs: list[str], totals: dict[str, Counts] | None) -> dict[str, Counts]:
    """Per source its recommendations and problems among `stmts`, and their share of the
    source's `totals` (1.0 for the totals themselves)."""
    recs, probs = defaultdict(int), defaultdict(int)
    for s in stmts:
        (recs if s.kind == "recommendation" else probs)[s.doc_id] += 1
    out = {}
    for d in docs:
        n = recs[d] + probs[d]
        whole = (totals[d].recommendations + totals[d].problems) if totals else n
        out[d] = Counts(recs[d], probs[d], round(n / whole, 4) if whole else 0.0)
    return out


def _strongest(stmts: list[Statement], docs: list[str], top: int, addressed: dict) -> dict[str, list[Cited]]:
    """Per source its `top` most confident recommendations, then its `top` problems."""
    out = {}
    for d in docs:
        mine = sorted((s for s in stmts if s.doc_id == d), key=lambda s: (-s.confidence, s.id))
        recs = [cite(s, addressed.get(s.id, ())) for s in mine if s.kind == "recommendation"][:top]
        out[d] = recs + [cite(s) for s in mine if s.kind == "problem"][:top]
    return out


def _agreements(rows, by_theme, vectors, threshold: float, addressed: dict) -> dict[str, int]:
    """Each theme's agreement groups (as the advice answers group: the most confident
    recommendation first); recommendation id -> a number of its group, unique over themes."""
    group_of: dict[str, int] = {}
    for row in rows:
        recs = _without_repeats(
            sorted(
                (s for s in by_theme[row.id] if s.kind == "recommendation" and s.text in vectors),
                key=lambda s: (-s.confidence, s.id),
            )
        )
        if len(recs) < 2:
            continue
        members = [_Member(s.id, s.doc_id, s.text) for s in recs]
        mat = np.vstack([vectors[s.text] for s in recs])
        by_id = {s.id: s for s in recs}
        for g in group_similar(mat, members, threshold):
            number = len(group_of) + 1
            for m in g.members:
                group_of[m] = number
            cited = tuple(cite(by_id[m], addressed.get(m, ()), number) for m in g.members)
            row.agreements.append(Agreement(number, g.label, tuple(g.sources), cited))
    return group_of


def _without_repeats(recs: list[Statement]) -> list[Statement]:
    """`recs` without the ones their source repeats (a summary restates a chapter), as the advice
    answers leave them out: the later of two statements of one source with nearly the same
    content stems (`advise._same_content`)."""
    kept: list[Statement] = []
    seen: dict[str, list[frozenset]] = defaultdict(list)
    for s in recs:
        stems = frozenset(analyze(s.text))
        if not any(_same_content(stems, other) for other in seen[s.doc_id]):
            seen[s.doc_id].append(stems)
            kept.append(s)
    return kept


def _gaps(rows, by_theme, data: CompareData) -> None:
    """Sources silent on a theme that two or more others speak on; problems no visible
    recommendation is linked to (a heading names a topic, it is no problem to address)."""
    linked = {p for problems in data.links.values() for p, _, _ in problems}
    for row in rows:
        speaking = [d for d, c in row.per_source.items() if c.recommendations + c.problems]
        for d in row.per_source:
            if d not in speaking and len(speaking) >= 2:
                cited = tuple(c for o in speaking for c in row.statements[o][:1])
                row.gaps.append(Gap("silent_source", d, tuple(speaking), cited))
        open_problems = sorted(
            (s for s in by_theme[row.id] if s.kind == "problem" and s.unit != "heading" and s.id not in linked),
            key=lambda s: (-s.confidence, s.id),
        )
        row.gaps += [Gap("unaddressed_problem", s.doc_id, (), (cite(s),)) for s in open_problems]


def _differences(rows, stmts, links, group_of: dict[str, int], linked_top: int, addressed: dict) -> None:
    """Per problem the recommendations of two or more sources that address it (the problem is
    among their `linked_top` links; per source its `PER_SOURCE` best linked) and are not all
    one agreement group."""
    by_id = {s.id: s for s in stmts}
    row_of = {row.id: row for row in rows}
    addressing: dict[str, list[tuple[float, Statement]]] = defaultdict(list)
    for rec_id, problems in links.items():
        if rec_id in by_id:
            for p, rank, score in problems:
                if rank <= linked_top:
                    addressing[p].append((score, by_id[rec_id]))
    for pid, scored in sorted(addressing.items()):
        problem = by_id.get(pid)
        row = row_of.get(problem.theme if problem and problem.theme in row_of else None) if problem else None
        if row is None or len({r.doc_id for _, r in scored}) < 2:
            continue
        recs = _best_per_source(scored)
        pairs = [(a, b) for i, a in enumerate(recs) for b in recs[i + 1 :] if a.doc_id != b.doc_id]
        apart = [(a, b) for a, b in pairs if group_of.get(a.id) is None or group_of.get(a.id) != group_of.get(b.id)]
        if not apart:
            continue  # the sources agree on it: an agreement, no difference
        cues = next((c for a, b in apart if (c := opposed(a.text, b.text))), ())
        cited = tuple(cite(r, addressed.get(r.id, ()), group_of.get(r.id)) for r in recs)
        sources = tuple(dict.fromkeys(r.doc_id for r in recs))
        row.differences.append(Difference("opposite" if cues else "different", cite(problem), sources, cited, cues))
    for row in rows:
        row.differences.sort(key=lambda x: (x.kind != "opposite", -len(x.sources), x.problem.id))


PER_SOURCE = 2  # recommendations per source shown for a difference: its best linked ones


def _best_per_source(scored: list[tuple[float, Statement]]) -> list[Statement]:
    out: dict[str, list[Statement]] = defaultdict(list)
    for _, r in sorted(scored, key=lambda x: (-x[0], x[1].id)):
        if len(out[r.doc_id]) < PER_SOURCE:
            out[r.doc_id].append(r)
    return [r for d in sorted(out) for r in out[d]]


def texts_to_embed(data: CompareData) -> list[str]:
    """The recommendation texts whose own embeddings the agreements need."""
    return [s.text for s in data.statements if s.kind == "recommendation"]


def comparison(
    store,
    *,
    visible: frozenset[str] | None = None,
    addressee: str | None = None,
    top: int = 3,
    params: AdviseParams | None = None,
    encode=None,
) -> Comparison:
    """`compare` over the store's documents in `visible`, with the recommendations' own embeddings
    kept beside the index (`own_vectors`); the missing ones are embedded with `encode` (the
    embedder's `encode_statements`), or, without it, left out of the agreements."""
    data = gather(store, visible)
    vectors = own_vectors(store.index_dir, store.get_meta("model") or "", texts_to_embed(data), encode)
    return compare(data, vectors, params, top=top, addressee=addressee)


def to_embed(store, visible: frozenset[str] | None = None) -> int:
    """How many recommendations `comparison` would embed first (0: it answers at once)."""
    texts = texts_to_embed(gather(store, visible))
    return missing(store.index_dir, store.get_meta("model") or "", texts)
