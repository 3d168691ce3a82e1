"""No read path leaks a hidden document (issue 18): viewers x collections x read paths.

Three documents, each in a collection: one open to all, one for user a, one for the role
editor. Every viewer (local use, reader a, reader b, editor c, admin d) reads every index-level
path with its `visible` set; the output, serialised, must not hold the id of a document the
viewer may not see (the ids also stand in every title and statement text, so a leaked title or
text is caught too). As a control, local use sees every document on every path, so each path
would show a hidden document if it were not restricted.

The store is made of synthetic rows with seeded vectors (FakeEmbedder), so the test needs no
model; `test_the_matrix_on_a_real_ingest` repeats search and advice over real PDFs with the
real model.
"""

from __future__ import annotations

import json
from dataclasses import asdict, is_dataclass
from types import SimpleNamespace

import numpy as np
import pytest

from beleidsbank.index import access, relations
from beleidsbank.index.advise import advise
from beleidsbank.index.compare import comparison
from beleidsbank.index.find import find
from beleidsbank.index.records import Evidence, Link, Theme
from beleidsbank.index.search import Searcher
from beleidsbank.index.store import Store
from tests.test_store import parsed, put

DIM = 8
# doc id -> (collection, who may see it)
DOCS = {"openbaar": "algemeen", "dossieranna": "dossier", "redactiestuk": "redactie"}
KINDS = ["problem", "other", "recommendation", "problem"]
USERS = {"a": "reader", "b": "reader", "c": "editor", "d": "admin"}
SEES = {  # viewer -> the documents it may see
    "lokaal": set(DOCS),
    "a": {"openbaar", "dossieranna"},
    "b": {"openbaar"},
    "c": {"openbaar", "redactiestuk"},
    "d": set(DOCS),
}


def texts(name: str) -> list[str]:
    return [
        f"Er is een groot tekort aan technici in de regio, meldt {name}.",
        f"Scholen werken samen met bedrijven volgens {name}.",
        f"Investeer in leraren en docenten techniek, adviseert {name}.",
        f"Het imago van techniek bij technici is negatief volgens {name}.",
    ]


class FakeEmbedder:
    """Seeded query and statement vectors: enough to rank, no model."""

    name = "nep-model"
    dim = DIM

    def encode_query(self, query: str) -> np.ndarray:
        v = np.random.default_rng(len(query)).normal(size=DIM).astype(np.float32)
        return v / np.linalg.norm(v)

    def encode_statements(self, texts: list[str]) -> np.ndarray:
        v = np.random.default_rng(len(texts)).normal(size=(len(texts), DIM)).astype(np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)


def _statements(doc) -> list:
    return [
        SimpleNamespace(
            seq=i,
            start=p.start,
            end=p.end,
            page=p.page,
            page_label=p.page_label,
            section=p.section,
            section_path=p.section_path,
            kind=KINDS[i],
            confidence=0.8,
            cue="cue",
            unit="sentence",
            text=p.text,
        )
        for i, p in enumerate(doc.doc.passages)
    ]


def _cross_links(store: Store) -> None:
    """Every recommendation linked to every problem of the other documents (if not yet): the
    links across documents that a hidden end must drop."""
    have = {(r.recommendation.id, p.problem.id) for r in store.links_for() for p in r.problems}
    stmts = store.statements()
    new = [
        Link(r.id, p.id, 10 + i, 0.5, "cross-doc", Evidence(0.5, ("technici",), False, ""))
        for i, (r, p) in enumerate(
            (r, p)
            for r in stmts
            if r.kind == "recommendation"
            for p in stmts
            if p.kind == "problem" and p.doc_id != r.doc_id
        )
        if (r.id, p.id) not in have
    ]
    store.put_links(new)


def build(data) -> Store:
    store = Store.create(data)
    base = np.random.default_rng(7).normal(size=(4, DIM)).astype(np.float32)
    for k, name in enumerate(DOCS):
        doc = parsed(name, texts(name), sha=name)
        vecs = base + 0.1 * np.random.default_rng(k).normal(size=base.shape).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        put(store, doc, vecs)
        stmts = _statements(doc)
        with store.write():
            relations.put_statements(
                store, name, stmts, doc.doc.passages, {s.seq: vecs[s.seq] for s in stmts if relations.needs_vector(s)}
            )
    with store.write():
        relations.rebuild(store)
        _cross_links(store)
        store.set_meta("model", FakeEmbedder.name)
        store.set_meta("dim", str(DIM))
        for name, role in USERS.items():
            store.add_user(name, role, access.hash_password("wachtwoord-" + name), access.now_iso())
        store.add_collection("algemeen", "Algemeen", True, access.now_iso())
        store.add_collection("dossier", "Dossier van a", False, access.now_iso())
        store.add_collection("redactie", "Redactie", False, access.now_iso())
        store.grant("dossier", "user", "a")
        store.grant("redactie", "role", "editor")
        for name, collection in DOCS.items():
            store.add_to_collection(collection, [name])
    return store


def _json(obj) -> str:
    def default(o):
        if is_dataclass(o):
            return asdict(o)
        if hasattr(o, "to_json"):
            return o.to_json()
        if isinstance(o, np.ndarray | np.generic):
            return o.tolist()
        return str(o)

    return json.dumps(obj, default=default, ensure_ascii=False)


def read_paths(store: Store, searcher: Searcher, visible) -> dict[str, object]:
    """Every index-level read path's output for one viewer."""
    recs = store.statements(kind="recommendation")
    return {
        "search": [
            h.to_json()
            for mode in ("hybrid", "dense", "lexical")
            for h in searcher.search("tekort technici", k=20, mode=mode, visible=visible)
        ],
        "find": find(store, "technici", visible=visible).to_json(),
        "find-without": find(store, "fietsenstalling", visible=visible).to_json(),
        "advise": advise(searcher, "Wat adviseren de bronnen over techniek?", visible=visible).to_json(),
        "advise-problems": advise(
            searcher, "Welke problemen zijn er met technici?", intent="problem", visible=visible
        ).to_json(),
        "links": store.links_for(visible=visible),
        "links-of-each": [store.links_for(rec_id=r.id, visible=visible) for r in recs],
        "themes": store.themes(visible=visible),
        "sub-themes": store.sub_themes(visible=visible),
        "compare": relations.compare(store, visible=visible).to_json(),
        "comparison": comparison(store, visible=visible, encode=FakeEmbedder().encode_statements).to_json(),
        "similar": [relations.similar_recommendations(store, r.id, visible=visible) for r in recs],
        "documents": store.documents(visible=visible),
        "document": [store.document(d, visible=visible) for d in DOCS],
        "passages": [store.document_passages(d, visible=visible) for d in DOCS],
        "passage-counts": store.passage_counts(visible=visible),
        "statements": store.statements(visible=visible),
        "statement": [store.statement(s.id, visible=visible) for s in store.statements()],
        "passage-statements": store.passage_statements(
            [p.id for d in DOCS for p in store.document_passages(d)], visible=visible
        ),
        "page-verdicts": store.page_verdicts(visible=visible),
        "page-words": [store.page_words(d, 1, visible=visible) for d in DOCS],
    }


@pytest.fixture(scope="module")
def matrix(tmp_path_factory):
    data = tmp_path_factory.mktemp("matrix")
    store = build(data)
    searcher = Searcher(data, embedder=FakeEmbedder())
    viewers = {"lokaal": access.LOCAL} | {n: access.viewer_for_user(store, n) for n in USERS}
    yield store, searcher, viewers
    searcher.close()
    store.close()


def test_viewers_see_what_their_collections_allow(matrix):
    store, _, viewers = matrix
    for name, viewer in viewers.items():
        assert {d for d in DOCS if viewer.sees(d)} == SEES[name], name
    assert viewers["lokaal"].visible is None and viewers["d"].visible is None


# paths whose unrestricted output names every document (the control): the rest show a document
# only through what it shares with others, or hold nothing in this store (page words)
CONTROL = (
    "search",
    "find",
    "find-without",
    "advise",
    "links",
    "compare",
    "comparison",
    "similar",
    "documents",
    "passages",
    "statements",
)


def test_local_use_sees_every_document_on_every_path(matrix):
    store, searcher, viewers = matrix
    out = read_paths(store, searcher, viewers["lokaal"].visible)
    for path in CONTROL:
        text = _json(out[path])
        assert all(d in text for d in DOCS), (path, text[:300])


@pytest.mark.parametrize("name", ["a", "b", "c", "d"])
def test_no_read_path_shows_a_hidden_document(matrix, name):
    store, searcher, viewers = matrix
    viewer = viewers[name]
    hidden = set(DOCS) - SEES[name]
    out = read_paths(store, searcher, viewer.visible)
    for path, value in out.items():
        text = _json(value)
        leaked = [d for d in hidden if d in text]
        assert not leaked, f"{name} ziet {leaked} via {path}"
    for path in ("search", "documents", "statements", "links"):
        text = _json(out[path])
        assert all(d in text for d in SEES[name]), (name, path)  # and what it may see, it sees


def answer_paths(store: Store, searcher: Searcher, visible) -> dict[str, object]:
    """The JSON answers the command line and the REST API give (beleidsbank/answers.py), and
    export items built for every passage and statement id."""
    from beleidsbank import answers
    from beleidsbank.settings import AdviseParams

    ids = [p.id for d in DOCS for p in store.document_passages(d)] + [s.id for s in store.statements()]
    return {
        "search": answers.search(searcher, "tekort technici", top_k=20, visible=visible),
        "advise": answers.advise(searcher, "Wat adviseren de bronnen over techniek?", AdviseParams(), visible=visible),
        "find": answers.find(store, "technici", visible=visible),
        "documents": answers.documents(store, visible=visible),
        "passages": list(answers.passages(store, visible=visible)),
        "statements": answers.statements(store, visible=visible),
        "links": answers.links(store, visible=visible),
        "compare": answers.compare(store, visible=visible, encode=FakeEmbedder().encode_statements),
        "export": answers.export_items(store, ids, visible=visible),
    }


@pytest.mark.parametrize("name", ["lokaal", "a", "b", "c", "d"])
def test_no_answer_or_export_item_shows_a_hidden_document(matrix, name):
    store, searcher, viewers = matrix
    out = answer_paths(store, searcher, viewers[name].visible)
    hidden = set(DOCS) - SEES[name]
    for path, value in out.items():
        text = _json(value)
        assert not [d for d in hidden if d in text], (name, path)
        if path != "compare":  # the comparison names a source only where it speaks on a theme
            assert all(d in text for d in SEES[name]), (name, path)
    kept = [item for item in out["export"] if item is not None]
    assert {item["doc_id"] for item in kept} == SEES[name]


def test_an_empty_visible_set_means_nothing_not_everything(matrix):
    store, searcher, _ = matrix
    nothing = frozenset()
    out = read_paths(store, searcher, nothing)
    for path, value in out.items():
        assert not any(d in _json(value) for d in DOCS), path
    assert searcher.search("technici", visible=nothing) == []
    assert find(store, "technici", visible=nothing).documents_without == []
    assert store.passage_filter(None, None, None, visible=nothing) == set()
    assert access.doc_filter(["openbaar"], nothing) == []


def test_filters_and_visible_combine(matrix):
    store, searcher, viewers = matrix
    b = viewers["b"].visible
    assert searcher.search("technici", doc=["dossieranna"], visible=b) == []
    hits = searcher.search("technici", doc=["openbaar", "dossieranna"], visible=b, mode="lexical")
    assert hits and {h.doc_id for h in hits} == {"openbaar"}
    assert find(store, "technici", doc=["dossieranna"], visible=b).to_json()["total"] == 0


def test_a_link_across_documents_is_dropped_when_either_end_is_hidden(matrix):
    store, _, viewers = matrix
    every = store.links_for()
    assert any(r.recommendation.doc_id != p.problem.doc_id for r in every for p in r.problems)
    for name in ("a", "b", "c"):
        seen = SEES[name]
        for r in store.links_for(visible=viewers[name].visible):
            assert r.recommendation.doc_id in seen
            assert all(p.problem.doc_id in seen for p in r.problems)


def test_a_theme_label_that_quotes_a_hidden_document_is_made_again(matrix):
    """A stored label may name a phrase of one document only; a viewer who may not see that
    document gets a label made from the statements it sees."""
    store, _, viewers = matrix
    theme = store.themes()[0]
    with store.write():
        store.con.execute("UPDATE themes SET label='dossieranna', terms='[\"dossieranna\"]' WHERE id=?", (theme.id,))
    try:
        assert store.themes(visible=viewers["a"].visible)[0].label == "dossieranna"  # a sees it: kept
        for name in ("b", "c"):
            shown = store.themes(visible=viewers[name].visible)
            assert shown and not any("dossieranna" in _json(t) for t in shown), name
            assert "dossieranna" not in _json(relations.compare(store, visible=viewers[name].visible).to_json())
    finally:
        with store.write():
            store.con.execute(
                "UPDATE themes SET label=?, terms=? WHERE id=?", (theme.label, json.dumps(list(theme.terms)), theme.id)
            )


def test_the_matrix_on_a_real_ingest(corpus_data, embedder, tmp_path):
    """The shipped corpus (real PDFs, real model) with two documents put in closed collections:
    search, advice, find and links for each account show nothing of what it may not see."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(corpus_data, data)  # the session's corpus stays as it is
    store = Store.open(data)
    ids = [d.id for d in store.documents()]
    secret_a, secret_editor = ids[0], ids[-1]
    with store.write():
        for name, role in USERS.items():
            store.add_user(name, role, access.hash_password("wachtwoord-" + name), access.now_iso())
        store.add_collection("dossier", "Dossier", False, access.now_iso())
        store.add_collection("redactie", "Redactie", False, access.now_iso())
        store.grant("dossier", "user", "a")
        store.grant("redactie", "role", "editor")
        store.add_to_collection("dossier", [secret_a])
        store.add_to_collection("redactie", [secret_editor])
    searcher = Searcher(data, embedder=embedder)
    try:

        def outputs(visible) -> str:
            return _json(
                {
                    "search": [
                        h.to_json() for h in searcher.search("tekort aan technisch personeel", k=30, visible=visible)
                    ],
                    "advise": advise(
                        searcher, "Wat adviseren de bronnen over samenwerking?", visible=visible
                    ).to_json(),
                    "find": find(store, "techniek", visible=visible).to_json(),
                    "links": store.links_for(visible=visible),
                    "compare": relations.compare(store, visible=visible).to_json(),
                }
            )

        assert secret_a in outputs(None) and secret_editor in outputs(None)  # the control
        hidden = {"a": {secret_editor}, "b": {secret_a, secret_editor}, "c": {secret_a}, "d": set()}
        for name, ids_hidden in hidden.items():
            text = outputs(access.viewer_for_user(store, name).visible)
            assert not [d for d in ids_hidden if d in text], name
    finally:
        searcher.close()
        store.close()


def test_a_sub_theme_shows_only_its_visible_members(matrix):
    """Sub-themes are known by their members (their statements name the broad theme)."""
    store, _, viewers = matrix
    members = tuple(s.id for s in store.statements() if s.kind in ("recommendation", "problem"))
    sub = Theme(99, "dossieranna", ("dossieranna",), len(members), "beschrijving", 0, members)
    for name in ("b", "c"):
        (shown,) = relations.visible_themes([sub], store.statements(visible=viewers[name].visible))
        assert "dossieranna" not in _json(shown), name
        assert shown.size == len(shown.members) == sum(m.startswith(tuple(SEES[name])) for m in members)
        assert shown.description and shown.description in _json(store.statements(visible=viewers[name].visible))
    assert relations.visible_themes([sub], []) == []
