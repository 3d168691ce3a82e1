"""The SQLite store and derived indexes: round trip, replace, remove, generations."""

import numpy as np
import pytest

from beleidsbank.index import snapshot
from beleidsbank.index.lexical import passage_terms
from beleidsbank.index.store import Store, passage_id
from beleidsbank.ingest.document import ParsedDocument
from beleidsbank.ingest.manifest import DocMeta
from beleidsbank.ingest.passages import Doc, Passage


def parsed(doc_id: str, texts: list[str], sha: str = "abc") -> ParsedDocument:
    full, passages, pos = [], [], 0
    for i, t in enumerate(texts):
        passages.append(
            Passage(
                seq=i,
                start=pos,
                end=pos + len(t),
                text=t,
                page=i + 1,
                page_end=i + 1,
                page_label=str(i + 3),
                section="2.1 Kiezen",
                section_path="2 Dynamiek > 2.1 Kiezen",
                kind="paragraph",
                sentences=[(0, len(t))],
            )
        )
        full.append(t)
        pos += len(t) + 1
    meta = DocMeta(id=doc_id, title=f"Titel {doc_id}", short=doc_id, publisher="Uitgever", year=2020)
    return ParsedDocument(
        meta=meta,
        path=f"/tmp/{doc_id}.pdf",
        sha256=sha,
        n_pages=len(texts),
        doc=Doc(text="\n".join(full), passages=passages, blocks=[]),
        warnings=[],
    )


def unit_vectors(n: int, dim: int = 8, seed: int = 0) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def put(store, doc, vecs, **deltas):
    """Store `doc` as a new generation; `deltas`: snapshot.write_indexes's delta_min_base and
    delta_max_fraction."""
    with store.write():
        store.put_document(doc, vecs, [passage_terms(p.section, p.text) for p in doc.doc.passages])
        gen = store.bump_generation()
        snapshot.write_indexes(store, gen, vecs.shape[1], **deltas)
    snapshot.prune(store, gen)
    return gen


def test_round_trip(tmp_path):
    store = Store.create(tmp_path)
    doc = parsed("a", ["Het tekort aan technici groeit.", "Scholen werken samen met bedrijven."])
    vecs = unit_vectors(2)
    gen = put(store, doc, vecs)
    assert store.generation() == gen == 1
    [row] = store.documents()
    assert (row.id, row.title, row.year, row.n_pages, row.sha256) == ("a", "Titel a", 2020, 2, "abc")
    assert store.document_text("a") == doc.doc.text
    rows = store.passages([1, 2])
    assert [r.id for r in rows.values()] == [passage_id("a", 0), passage_id("a", 1)]
    assert rows[1].page_label == "3" and rows[1].section_path == "2 Dynamiek > 2.1 Kiezen"
    assert rows[2].sentences == ((0, len(doc.doc.passages[1].text)),)
    ids, stored = store.vectors_between(0, 2**62, 8)  # every passage
    assert np.array_equal(stored, vecs) and ids.tolist() == [1, 2]
    snap = snapshot.load(store, 8)
    assert snap.dense.ntotal == 2 and snap.generation == 1
    rid, _ = snap.lexical.search("technici", 5)
    assert rid.tolist() == [1]
    store.close()


def test_replace_and_remove_keep_indexes_consistent(tmp_path):
    store = Store.create(tmp_path)
    put(store, parsed("a", ["een", "twee", "drie"]), unit_vectors(3))
    put(store, parsed("b", ["vier"]), unit_vectors(1, seed=1))
    put(store, parsed("a", ["vijf"], sha="new"), unit_vectors(1, seed=2))  # a changed: replaced
    assert {d.id: d.sha256 for d in store.documents()} == {"a": "new", "b": "abc"}
    snap = snapshot.load(store, 8)
    n = store.passage_count()
    assert n == 2 and snap.dense.ntotal == 2 and len(snap.lexical.rowids) == 2
    files = sorted(p.name for p in store.index_dir.iterdir())
    assert files == ["dense-3.faiss", "lexical-3.npz"]  # old generations pruned
    with store.write():
        assert store.delete_document("b")
        assert not store.delete_document("zzz")
    store.close()


def test_missing_index_files_are_rebuilt_from_rows(tmp_path):
    store = Store.create(tmp_path)
    put(store, parsed("a", ["het tekort aan technici", "lerarentekort"]), unit_vectors(2))
    for p in store.index_dir.iterdir():
        p.unlink()
    snap = snapshot.load(store, 8)
    assert snap.dense.ntotal == 2
    assert snap.lexical.search("lerarentekort", 3)[0].tolist()[0] == 2  # n-grams also reach "tekort"
    store.close()


def test_failed_write_rolls_back(tmp_path):
    store = Store.create(tmp_path)
    put(store, parsed("a", ["een"]), unit_vectors(1))
    with pytest.raises(RuntimeError):
        with store.write():
            store.put_document(parsed("b", ["twee"]), unit_vectors(1), ["twee"])
            store.bump_generation()
            raise RuntimeError("killed")
    assert [d.id for d in store.documents()] == ["a"] and store.generation() == 1
    store.close()


def test_publisher_filter_takes_wildcards_literally(tmp_path):
    store = Store.create(tmp_path)
    for doc_id, publisher in (("a", "Raad 100% Techniek"), ("b", "Ministerie van OCW"), ("c", "SEO_Amsterdam")):
        doc = parsed(doc_id, [f"Tekst van {doc_id}."], sha=doc_id)
        doc.meta.publisher = publisher
        put(store, doc, unit_vectors(1, seed=ord(doc_id)))
    by_rowid = {r: p.doc_id for r, p in store.passages(list(range(1, 4))).items()}

    def docs(*publishers):
        return sorted(by_rowid[r] for r in store.passage_filter(None, list(publishers), None))

    assert docs("%") == ["a"] and docs("_") == ["c"] and docs("100%") == ["a"]
    assert docs("ocw") == ["b"] and docs("o_w") == [] and docs("\\") == []
    store.close()
