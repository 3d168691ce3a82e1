"""Scale machinery: index type by size, BM25 over posting lists, base + delta generations."""

import math

import numpy as np
import pytest

from beleidsbank.index import snapshot, vectors
from beleidsbank.index.analyzer import features
from beleidsbank.index.lexical import K1, B, LexicalIndex
from beleidsbank.index.store import Store
from tests.test_store import parsed, put, unit_vectors

WORDS = (
    "tekort technici onderwijs leraren regio bedrijven scholen samenwerking techniekonderwijs "
    "zij-instroom stage werkplek arbeidsmarkt opleiding vakmanschap innovatie beroepen"
).split()


def texts(n, seed=0, length=12):
    rng = np.random.default_rng(seed)
    return [" ".join(rng.choice(WORDS, size=length)) + "." for _ in range(n)]


def brute_bm25(term_strings, query):
    """BM25 the textbook way: every passage scored against the query's distinct features."""
    docs = [s.split() for s in term_strings]
    n = len(docs)
    avg = sum(map(len, docs)) / n
    scores = np.zeros(n)
    for f in set(features(query)):
        df = sum(f in d for d in docs)
        if not df:
            continue
        idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
        for i, d in enumerate(docs):
            tf = d.count(f)
            if tf:
                scores[i] += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * len(d) / avg))
    return scores


def test_lexical_scores_equal_brute_force_bm25():
    from beleidsbank.index.lexical import passage_terms

    terms = [passage_terms("2.1 Kiezen", t) for t in texts(60)]
    index = LexicalIndex.build(np.arange(100, 160), terms)
    for query in ("tekort aan technici", "samenwerking scholen en bedrijven in de regio", "onderwijs"):
        want = brute_bm25(terms, query)
        ids, scores = index.search(query, 10)
        order = sorted(range(60), key=lambda i: (-want[i], i))[:10]
        assert ids.tolist() == [100 + i for i in order]
        assert np.allclose(scores, want[order], rtol=1e-4)


def test_lexical_with_deletions_and_delta_scores_like_a_rebuild():
    from beleidsbank.index.lexical import passage_terms

    terms = [passage_terms("Sectie", t) for t in texts(80, seed=3)]
    ids = np.arange(1, 81)
    base = LexicalIndex.build(ids[:60], terms[:60])
    delta = LexicalIndex.build(ids[60:], terms[60:])
    deleted = np.array([3, 7, 40])
    combined = LexicalIndex.combine(base, delta, deleted)
    keep = [i for i in range(80) if ids[i] not in deleted]
    rebuilt = LexicalIndex.build(ids[keep], [terms[i] for i in keep])
    assert combined.live_rowids().tolist() == ids[keep].tolist()
    for query in ("tekort technici", "stage werkplek opleiding", "innovatie"):
        a_ids, a_sc = combined.search(query, 20)
        b_ids, b_sc = rebuilt.search(query, 20)
        assert a_ids.tolist() == b_ids.tolist()
        assert np.allclose(a_sc, b_sc, rtol=1e-5)
    assert combined.term_idf(["tekort"]) == pytest.approx(rebuilt.term_idf(["tekort"]))


def test_lexical_index_round_trip(tmp_path):
    terms = [" ".join(features(t)) for t in texts(20)]
    index = LexicalIndex.build(np.arange(20), terms)
    index.save(tmp_path / "lexical-1.npz")
    again = LexicalIndex.load(tmp_path / "lexical-1.npz")
    a, b = index.search("technici regio", 5), again.search("technici regio", 5)
    assert a[0].tolist() == b[0].tolist() and np.allclose(a[1], b[1])


def test_index_kind_follows_size(monkeypatch, tmp_path):
    monkeypatch.setattr(vectors, "APPROX_THRESHOLD", 2000)
    small = vectors.build(np.arange(500), unit_vectors(500, dim=16))
    assert vectors.kind_of(small) == "flat"
    vecs = unit_vectors(3000, dim=16, seed=2)
    ids = np.arange(10, 3010)
    big = vectors.build(ids, vecs)
    assert vectors.kind_of(big) == "ivf" and big.nlist == vectors.ivf_nlist(3000)
    vectors.save(big, tmp_path / "dense-1.faiss")
    big = vectors.load(tmp_path / "dense-1.faiss")
    assert vectors.kind_of(big) == "ivf" and big.nprobe == vectors.ivf_nprobe(big.nlist)
    assert vectors.index_ids(big).tolist() == ids.tolist()
    assert np.allclose(big.reconstruct(17), vecs[7], atol=1e-3)  # float16 storage
    # an approximate index still finds a stored vector's own passage first
    for i in (0, 1234, 2999):
        got, _ = vectors.search(big, vecs[i], 10)
        assert got[0] == ids[i]
    allowed = ids[::7]
    got, _ = vectors.search(big, vecs[0], 10, allowed_ids=allowed)
    assert set(got.tolist()) <= set(allowed.tolist()) and got[0] == ids[0]


def test_dense_index_with_delta_equals_flat_rebuild():
    vecs = unit_vectors(300, dim=16, seed=4)
    ids = np.arange(1, 301)
    deleted = np.array([5, 50, 150])
    base = vectors.build(ids[:250], vecs[:250])
    view = vectors.DenseIndex(base, deleted, ids[250:], vecs[250:])
    keep = ~np.isin(ids, deleted)
    full = vectors.build(ids[keep], vecs[keep])
    assert view.ntotal == full.ntotal and view.ids().tolist() == ids[keep].tolist()
    for q in unit_vectors(5, dim=16, seed=9):
        a, b = vectors.search(view, q, 20), vectors.search(full, q, 20)
        assert a[0].tolist() == b[0].tolist() and np.allclose(a[1], b[1], atol=1e-6)
        allowed = ids[keep][::3]
        a, b = vectors.search(view, q, 10, allowed), vectors.search(full, q, 10, allowed)
        assert a[0].tolist() == b[0].tolist()
    assert np.array_equal(view.reconstruct(260), vecs[259]) and np.array_equal(view.reconstruct(2), vecs[1])


def _docs(n_docs, per_doc=6, seed=0):
    out = []
    for d in range(n_docs):
        out.append(parsed(f"doc{d}", texts(per_doc, seed=seed + d), sha=f"s{seed + d}"))
    return out


def test_incremental_generations_search_like_a_full_rebuild(tmp_path):
    deltas = dict(delta_min_base=0, delta_max_fraction=10.0)
    store = Store.create(tmp_path)
    docs = _docs(8)
    for i, d in enumerate(docs[:6]):
        put(store, d, unit_vectors(6, seed=i), **deltas)
    # the first generation was a full build; the later ones deltas on it
    base = int(store.get_meta("index_base"))
    assert base == 1 and store.generation() == 6
    with store.write():  # replace one document, remove another
        store.delete_document("doc2")
        gen = store.bump_generation()
        snapshot.write_indexes(store, gen, 8, **deltas)
    snapshot.prune(store, gen)
    put(store, parsed("doc0", texts(6, seed=50), sha="new"), unit_vectors(6, seed=50), **deltas)
    assert (tmp_path / "index" / f"delta-{store.generation()}.npz").exists()
    assert int(store.get_meta("index_base")) == base
    names = {p.name for p in (tmp_path / "index").iterdir()}
    assert {f"dense-{base}.faiss", f"lexical-{base}.npz", f"delta-{store.generation()}.npz"} == names
    with store.read():
        snap = snapshot.load(store, 8)
        rebuilt_dense, rebuilt_lex = snapshot.build_indexes(store, 8)
        want = snapshot.store_rowids(store)
    assert snap.base == base
    assert snapshot.index_rowids(snap.dense).tolist() == want.tolist()
    for q in unit_vectors(4, seed=77):
        a, b = vectors.search(snap.dense, q, 15), vectors.search(rebuilt_dense, q, 15)
        assert a[0].tolist() == b[0].tolist() and np.allclose(a[1], b[1], atol=1e-6)
    for query in ("tekort technici", "scholen en bedrijven", "zij-instroom in het onderwijs"):
        a, b = snap.lexical.search(query, 15), rebuilt_lex.search(query, 15)
        assert a[0].tolist() == b[0].tolist() and np.allclose(a[1], b[1], rtol=1e-5)
    store.close()


def test_large_change_rebuilds_and_old_base_is_pruned(tmp_path):
    deltas = dict(delta_min_base=0, delta_max_fraction=0.2)
    store = Store.create(tmp_path)
    put(store, _docs(1, per_doc=20)[0], unit_vectors(20), **deltas)
    put(store, parsed("klein", texts(2, seed=9), sha="k"), unit_vectors(2, seed=9), **deltas)
    assert int(store.get_meta("index_base")) == 1  # 2 of 20: a delta
    gen = put(store, parsed("groot", texts(10, seed=8), sha="g"), unit_vectors(10, seed=8), **deltas)
    assert int(store.get_meta("index_base")) == gen  # 12 of 20: a rebuild
    assert sorted(p.name for p in (tmp_path / "index").iterdir()) == [f"dense-{gen}.faiss", f"lexical-{gen}.npz"]
    store.close()


def test_a_stale_delta_of_another_history_is_not_served(tmp_path):
    deltas = dict(delta_min_base=0)
    store = Store.create(tmp_path)
    put(store, _docs(1, per_doc=10)[0], unit_vectors(10), **deltas)
    gen = put(store, parsed("x", texts(1, seed=5), sha="x"), unit_vectors(1, seed=5), **deltas)
    delta = tmp_path / "index" / f"delta-{gen}.npz"
    keep = delta.read_bytes()
    # a writer of the next generation, killed after writing its delta, then another one commits
    with store.write():
        store.delete_document("x")
        gen2 = store.bump_generation()
        snapshot.write_indexes(store, gen2, 8, **deltas)
        (tmp_path / "index" / f"delta-{gen2}.npz").write_bytes(keep)  # the wrong history's file
    with store.read():
        snap = snapshot.load(store, 8)
    assert snapshot.index_rowids(snap.dense).tolist() == list(range(1, 11))
    assert snap.lexical.live_rowids().tolist() == list(range(1, 11))
    store.close()


def test_count_matrix_is_the_same_in_any_chunk_size():
    from beleidsbank.index.postings import count_matrix

    terms = [" ".join(features(t)) for t in texts(50, seed=11)]
    one = count_matrix(terms, chunk=1000)
    many = count_matrix(iter(terms), chunk=7)
    assert one[0] == many[0]
    for a, b in zip(one[1:], many[1:]):
        assert np.array_equal(a, b)


def _exhaustive(index, query, k, allowed=None):
    idx, w = [], []
    for parts, idf, _ in index._lists(query):
        for i, tf in parts:
            keep = np.ones(len(i), dtype=bool) if index.dead is None else ~index.dead[i]
            if allowed is not None:
                keep &= allowed[i]
            idx.append(i[keep])
            w.append(index._weights(i[keep], tf[keep], idf))
    idx = np.concatenate(idx)
    acc = np.bincount(idx, weights=np.concatenate(w))
    c = np.flatnonzero(acc)
    o = np.lexsort((index.rowids[c], -acc[c]))[:k]
    return index.rowids[c[o]].tolist(), acc[c[o]]


def test_pruned_lexical_search_is_exact():
    """MaxScore skips most of the long posting lists here; the top k must not change."""
    rng = np.random.default_rng(5)
    vocab = [f"woord{i}" for i in range(400)]
    p = 1.0 / np.arange(1, 401)
    p /= p.sum()
    terms = [" ".join(rng.choice(vocab, size=int(rng.integers(20, 80)), p=p)) for _ in range(3000)]
    base = LexicalIndex.build(np.arange(1, 2501), terms[:2500])
    delta = LexicalIndex.build(np.arange(2501, 3001), terms[2500:])
    indexes = [LexicalIndex.build(np.arange(1, 3001), terms), LexicalIndex.combine(base, delta, np.arange(1, 2501, 9))]
    allowed = rng.random(3000) < 0.3
    for index in indexes:
        for q in ("woord0 woord1 woord2 woord150", "woord3 woord77 woord301", "woord0 woord5 woord9 woord12 woord399"):
            for k in (1, 10, 100):
                ids, sc = index.search(q, k)
                want_ids, want_sc = _exhaustive(index, q, k)
                assert ids.tolist() == want_ids and np.allclose(sc, want_sc, rtol=1e-5)
            ids, sc = index.search(q, 10, allowed)
            assert ids.tolist() == _exhaustive(index, q, 10, allowed)[0]


def test_device_falls_back_to_the_cpu(monkeypatch):
    import torch

    from beleidsbank.index.embed import pick_device
    from beleidsbank.settings import Settings

    def device(env):
        return pick_device(Settings.from_env(env).device)

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert device({"BELEIDSBANK_DEVICE": "cuda"}) == "cpu"
    assert device({}) == "cpu"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert device({}) == "cuda"
    assert device({"BELEIDSBANK_DEVICE": "cpu"}) == "cpu"


def test_narrow_filter_on_an_approximate_index_is_exact(monkeypatch):
    monkeypatch.setattr(vectors, "APPROX_THRESHOLD", 1000)
    vecs = unit_vectors(2000, dim=16, seed=6)
    ids = np.arange(1, 2001)
    index = vectors.build(ids, vecs)
    assert vectors.kind_of(index) != "flat"
    allowed = ids[100:160]
    q = unit_vectors(1, dim=16, seed=8)[0]
    got, sc = vectors.search(index, q, 10, allowed)
    exact = allowed[np.argsort(-(vecs[100:160] @ q), kind="stable")[:10]]
    assert got.tolist() == exact.tolist()


def test_a_delta_that_only_removes_is_served_from_its_files(tmp_path):
    deltas = dict(delta_min_base=0, delta_max_fraction=10.0)
    store = Store.create(tmp_path)
    put(store, _docs(1, per_doc=10)[0], unit_vectors(10), **deltas)
    put(store, parsed("x", texts(2, seed=5), sha="x"), unit_vectors(2, seed=5), **deltas)
    with store.write():
        store.delete_document("x")
        store.delete_document("doc0")
        gen = store.bump_generation()
        snapshot.write_indexes(store, gen, 8, **deltas)
    put(store, parsed("y", texts(3, seed=6), sha="y"), unit_vectors(3, seed=6), **deltas)
    with store.write():
        store.delete_document("y")
        gen = store.bump_generation()
        snapshot.write_indexes(store, gen, 8, **deltas)
    assert int(store.get_meta("index_base")) == 1
    with store.read():
        dense, lexical, _ = snapshot.load_files(store, gen, 1)  # raises if the files are unusable
        snap = snapshot.load(store, 8)
    assert dense.ntotal == 0 and lexical.n_live == 0
    assert snap.base == 1 and vectors.search(snap.dense, unit_vectors(1)[0], 5)[0].size == 0
    assert snap.lexical.search("tekort", 5)[0].size == 0
    store.close()
