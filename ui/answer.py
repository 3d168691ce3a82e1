"""The advice answer as the app lays it out: plain functions over the answer of `advise()`.

`advise()` returns dataclasses (`AdviceAnswer`; a saved answer is the same shape as dicts): the
intent and language, the kind of the ranked items (recommendations, or problems for a problem
question), each item with the statements on the other side of its links (the problems a
recommendation addresses, the recommendations that address a problem), the groups of items that
say the same thing in different sources, and the sources without an answer. The page shows the
items per source. No Streamlit and no store here, so this is tested alone.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, is_dataclass

INTENTS = ("advice", "problem", "fact")
KINDS = ("recommendation", "problem")


def as_dict(obj) -> dict:
    """A dataclass (nested ones too) or a mapping as a plain dict."""
    if is_dataclass(obj) and not isinstance(obj, type):
        return asdict(obj)
    return dict(obj or {})


@dataclass
class Entry:
    """One statement of the answer with the statements on the other side of its links."""

    item: dict
    linked: list[dict] = field(default_factory=list)
    group: dict | None = None  # the group of sources that say the same thing (two or more sources)


@dataclass
class Answer:
    query: str
    intent: str
    language: str
    kind: str  # of the ranked items: recommendation or problem
    entries: list[Entry]  # ranked
    sources_without: list[str]

    @property
    def sources(self) -> list[str]:
        """The sources that answer, in the order of their best entry."""
        return list(dict.fromkeys(e.item["doc_id"] for e in self.entries))

    @property
    def linked_kind(self) -> str:
        return "recommendation" if self.kind == "problem" else "problem"

    def per_source(self) -> dict[str, list[Entry]]:
        out: dict[str, list[Entry]] = {d: [] for d in self.sources}
        for e in self.entries:
            out[e.item["doc_id"]].append(e)
        return out


def _groups(raw: dict) -> dict[str, dict]:
    """Statement id -> its group, for groups that span two or more sources."""
    out = {}
    for g in raw.get("groups") or ():
        g = as_dict(g)
        members = [m if isinstance(m, str) else as_dict(m).get("id", "") for m in g.get("members") or ()]
        sources = list(dict.fromkeys(g.get("sources") or ()))
        if len(sources) < 2:
            continue
        group = {"label": g.get("label") or "", "members": members, "sources": sources}
        for m in members:
            out.setdefault(m, group)
    return out


def _items(raw: dict) -> tuple[str, list]:
    """The kind of the ranked items and the items: `items` (the dataclass), or the JSON shape's
    `recommendations` or `problems` list."""
    kind = raw.get("kind")
    if raw.get("items") is not None:
        return kind or "recommendation", raw["items"]
    if raw.get("problems") and not raw.get("recommendations"):
        return "problem", raw["problems"]
    return kind or "recommendation", raw.get("recommendations") or []


def from_advise(raw, query: str = "") -> Answer:
    """The answer of `advise()` (dataclass or dict) as ranked entries."""
    raw = as_dict(raw)
    groups = _groups(raw)
    kind, items = _items(raw)
    kind = kind if kind in KINDS else "recommendation"
    other = "recommendations" if kind == "problem" else "problems"
    entries = []
    for r in items:
        r = as_dict(r)
        linked = [as_dict(p) for p in (r.get("linked") if r.get("linked") is not None else r.get(other)) or ()]
        entries.append(Entry(item=r, linked=linked, group=groups.get(r.get("id", ""))))
    intent = raw.get("intent") or "advice"
    return Answer(
        query=raw.get("query") or query,
        intent=intent if intent in INTENTS else "advice",
        language=raw.get("language") or "",
        kind=kind,
        entries=entries,
        sources_without=list(raw.get("sources_without") or ()),
    )


def export_items(entry: Entry, docs: dict) -> list[dict]:
    """Export list items for an entry and its linked statements (the entry first); `docs` maps a
    document id to its store Document, for the title, publisher and year of the citation."""
    out = []
    for s in [entry.item] + entry.linked:
        kind = s.get("kind") or ""
        doc = docs.get(s.get("doc_id"))
        page = s.get("page")
        out.append(
            dict(
                id=str(s.get("id") or s.get("passage_id") or ""),
                doc_id=s.get("doc_id") or "",
                title=doc.title if doc else s.get("short") or s.get("doc_id") or "",
                publisher=s.get("publisher") or (doc.publisher if doc else ""),
                year=s.get("year") or (doc.year if doc else None),
                page_label=str(s.get("page_label") or page or ""),
                page=page if isinstance(page, int) and page > 0 else None,
                section=s.get("section") or "",
                kind=kind if kind in ("recommendation", "problem") else "other",
                text=s.get("text") or "",
            )
        )
    return [i for i in out if i["id"] and i["text"].strip()]
