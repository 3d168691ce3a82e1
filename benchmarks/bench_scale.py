"""Scale benchmark: index build, size, memory, latency, recall and one-document updates
on synthetic corpora of 10k, 100k and 1M passages made from the real ones.

    .venv/bin/beleidsbank ingest corpus --data-dir /tmp/bb/src        # the source: the shipped corpus
    nice .venv/bin/python -m benchmarks.bench_scale run --source /tmp/bb/src --work /tmp/bb \\
        --sizes 10000 100000 1000000

Per size it makes a data directory with synthetic passages (benchmarks/synth.py
says how: real sentences recombined, real stored vectors mixed plus noise, no
embedding), then, each step in its own process so that memory figures are that
step's alone:

- build:  the index files of one generation from the SQLite rows, as an ingest
          writes them (seconds, peak RSS, bytes on disk);
- search: a fresh process opens a Searcher (real model for the query vectors,
          the index files), answers the dev queries in each mode and reports
          p50/p95/p99 latency and its resident memory (VmRSS / VmHWM, with the
          anonymous and file-backed parts);
- recall: dense recall@10 of the served index against exact search over the
          stored vectors, for the dev queries and for 300 real statement
          vectors (embedded with the query prompt), with a sweep of nprobe;
- add:    one real document (the passages of a shipped PDF, with their stored
          vectors) added in a write transaction: time to write the new
          generation's index files, and time for a reader that holds the
          previous generation to load the new one; then its passages must be found.

Subcommands `build`, `search`, `recall`, `add`, `compare` run one step on a
data directory and print one JSON line; `run` does it all and prints tables.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks import latency

REPO = Path(__file__).resolve().parent.parent

QUERIES = REPO.parent / "shared" / "eval" / "dev_queries.jsonl"


def proc_memory() -> dict:
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, val = line.partition(":")
        if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
            out[key] = int(val.split()[0]) * 1024
    return out


def dir_size(path: Path, pattern: str = "*") -> int:
    return sum(p.stat().st_size for p in Path(path).glob(pattern) if p.is_file())


def index_files(data: Path) -> list[Path]:
    return sorted(p for p in (data / "index").glob("*") if p.is_file() and not p.name.endswith(".tmp"))


# -- steps -------------------------------------------------------------------------
def step_build(data: Path, kind: str | None = None) -> dict:
    from beleidsbank.index import snapshot, vectors
    from beleidsbank.index.store import Store

    store = Store.create(data)
    dim = int(store.get_meta("dim", "384"))
    t0 = time.perf_counter()
    with store.write():
        gen = store.bump_generation()
        if kind:
            store.index_dir.mkdir(parents=True, exist_ok=True)
            dense, lexical = snapshot.build_indexes(store, dim, kind=kind)
            dpath, lpath = snapshot._paths(store, gen)
            vectors.save(dense, dpath)
            lexical.save(lpath)
            store.set_meta("index_base", str(gen))
        else:
            snapshot.write_indexes(store, gen, dim, rebuild=True)
    snapshot.prune(store, gen)
    secs = time.perf_counter() - t0
    n = store.passage_count()
    store.close()
    d = vectors.load(data / "index" / f"dense-{gen}.faiss")
    return {
        "step": "build",
        "passages": n,
        "build_s": secs,
        "dense_kind": vectors.kind_of(d),
        "dense_bytes": (data / "index" / f"dense-{gen}.faiss").stat().st_size,
        "lexical_bytes": (data / "index" / f"lexical-{gen}.npz").stat().st_size,
        "sqlite_bytes": dir_size(data, "beleidsbank.sqlite*"),
        "peak_rss": proc_memory()["VmHWM"],
    }


def step_search(data: Path, repeat: int) -> dict:
    queries = [json.loads(ln)["query"] for ln in QUERIES.read_text().splitlines() if ln.strip()]
    from beleidsbank.index.analyzer import features
    from beleidsbank.index.embed import Embedder
    from beleidsbank.index.search import Searcher
    from beleidsbank.settings import Settings

    mem0 = proc_memory()
    t0 = time.perf_counter()
    embedder = Embedder(params=Settings.from_env().embedding)
    model_s = time.perf_counter() - t0
    mem_model = proc_memory()
    searcher = Searcher(data, embedder=embedder)
    t0 = time.perf_counter()
    searcher.search(queries[0], mode="hybrid")  # loads the indexes
    load_s = time.perf_counter() - t0
    for q in queries[1:4]:
        searcher.search(q)
    out = {
        "step": "search",
        "queries": len(queries),
        "repeat": repeat,
        "model_load_s": model_s,
        "index_load_s": load_s,
        "rss_before_model": mem0["VmRSS"],
        "rss_model": mem_model["VmRSS"],
    }
    out.update(latency.percentiles(searcher, queries, repeat))
    # the parts of one hybrid query, averaged: query embedding, lexical index alone
    t = time.perf_counter()
    qvecs = np.vstack([embedder.encode_query(q) for q in queries])
    out["embed_query_ms"] = (time.perf_counter() - t) * 1000 / len(queries)
    snap = searcher._current()
    t = time.perf_counter()
    for q in queries:
        snap.lexical.search(q, 100)
    out["lexical_only_ms"] = (time.perf_counter() - t) * 1000 / len(queries)
    touched = []
    for q in queries:
        posts = [snap.lexical._postings(f) for f in set(features(q))]
        touched.append(sum(len(p[0]) for p in posts if p is not None))
    out["postings_per_query"] = float(np.mean(touched))
    out["postings_total"] = int(snap.lexical.nnz)
    out.update(proc_memory())
    np.save(data / "dev_query_vectors.npy", qvecs)
    searcher.close()
    return out


def exact_topk(data: Path, q: np.ndarray, k: int = 10, chunk: int = 100_000) -> np.ndarray:
    """Exact top-k rowids per query, streaming the stored vectors from SQLite."""
    from beleidsbank.index.store import Store

    store = Store.open(data)
    best_s = np.full((len(q), k), -np.inf, dtype=np.float32)
    best_i = np.full((len(q), k), -1, dtype=np.int64)
    rowids = store.passage_rowids()
    for a in range(0, len(rowids), chunk):
        ids, vecs = store.vectors_between(int(rowids[a]), int(rowids[min(a + chunk, len(rowids)) - 1]), q.shape[1])
        sc = q @ vecs.T
        all_s = np.concatenate([best_s, sc], axis=1)
        all_i = np.concatenate([best_i, np.broadcast_to(ids, sc.shape)], axis=1)
        top = np.argsort(-all_s, axis=1, kind="stable")[:, :k]
        best_s = np.take_along_axis(all_s, top, 1)
        best_i = np.take_along_axis(all_i, top, 1)
    store.close()
    return best_i


def statement_vectors(source: Path) -> np.ndarray:
    """The recommendation and problem vectors of the real store `source` (queries for recall)."""
    from beleidsbank.index.store import Store

    store = Store.open(Path(source))
    try:
        return np.vstack([s.vector for s in store.linkable()])
    finally:
        store.close()


def recall_at(index, q: np.ndarray, truth: np.ndarray, k: int = 10) -> tuple[float, float]:
    from beleidsbank.index import vectors

    hits, times = 0, []
    for qi, t in zip(q, truth):
        t0 = time.perf_counter()
        ids, _ = vectors.search(index, qi, k)
        times.append((time.perf_counter() - t0) * 1000)
        hits += len(set(ids.tolist()) & set(t.tolist()))
    return hits / truth.size, float(np.percentile(times, 95))


def step_recall(data: Path, source: Path, n_statements: int = 300) -> dict:
    import faiss

    from beleidsbank.index import snapshot, vectors
    from beleidsbank.index.store import Store

    dev = np.load(data / "dev_query_vectors.npy")
    st = statement_vectors(source)
    st = st[np.random.default_rng(1).choice(len(st), min(n_statements, len(st)), replace=False)]
    store = Store.open(data)
    with store.read():
        snap = snapshot.load(store, dev.shape[1])
    store.close()
    index = snap.dense
    out = {"step": "recall", "kind": vectors.kind_of(index), "ntotal": int(index.ntotal)}
    t0 = time.perf_counter()
    truth_dev, truth_st = exact_topk(data, dev), exact_topk(data, st)
    out["exact_s"] = time.perf_counter() - t0
    out["recall_dev"], out["p95_ms_dev"] = recall_at(index, dev, truth_dev)
    out["recall_statements"], out["p95_ms_statements"] = recall_at(index, st, truth_st)
    base = getattr(index, "base", index)
    if isinstance(base, faiss.IndexIVF):
        sweep = {}
        keep = base.nprobe
        for nprobe in (16, 32, 64, 128, 256, 512, 1024):
            base.nprobe = nprobe
            sweep[nprobe] = [*recall_at(index, dev, truth_dev), *recall_at(index, st, truth_st)]
        base.nprobe = keep
        out["nprobe_sweep"] = sweep  # nprobe -> [recall dev, p95 ms dev, recall statements, p95 ms]
        out["nlist"] = int(base.nlist)
    return out


def step_compare(data: Path, source: Path, kinds: list[str]) -> dict:
    """Build other dense index kinds over the same vectors (in memory) for the type choice."""
    import faiss

    from beleidsbank.index import snapshot, vectors
    from beleidsbank.index.store import Store

    dev = np.load(data / "dev_query_vectors.npy")
    st = statement_vectors(source)
    st = st[np.random.default_rng(1).choice(len(st), min(300, len(st)), replace=False)]
    truth_dev, truth_st = exact_topk(data, dev), exact_topk(data, st)
    store = Store.open(data)
    dim = int(store.get_meta("dim", "384"))
    out = {"step": "compare"}
    for kind in kinds:
        with store.read():
            ids = snapshot.store_rowids(store)
            rng = np.random.default_rng(0)
            rss0 = proc_memory()["VmRSS"]
            t0 = time.perf_counter()

            def sample(m, rng=rng, ids=ids):
                return snapshot._vectors_of(store, dim, np.sort(rng.choice(ids, m, replace=False)))

            index = vectors.build_streaming(
                len(ids), dim, snapshot._vector_chunks(store, dim, ids), sample=sample, kind=kind
            )
            build_s = time.perf_counter() - t0
            rss = proc_memory()["VmRSS"] - rss0
        res = {"build_s": build_s, "rss_added": rss}
        if kind == "hnsw":
            hnsw = faiss.downcast_index(index.index).hnsw
            for ef in (32, 64, 128, 256):
                hnsw.efSearch = ef
                res[f"ef{ef}"] = [*recall_at(index, dev, truth_dev), *recall_at(index, st, truth_st)]
        elif kind == "ivf":
            for nprobe in (16, 32, 48, 64):
                index.nprobe = nprobe
                res[f"nprobe{nprobe}"] = [*recall_at(index, dev, truth_dev), *recall_at(index, st, truth_st)]
        else:
            res["exact"] = [*recall_at(index, dev, truth_dev), *recall_at(index, st, truth_st)]
        out[kind] = res
        del index
    store.close()
    return out


def copy_of(source: Path, doc_id: str, new_id: str):
    """Document `doc_id` of the store `source` as a parsed document named `new_id` (for
    `Store.put_document`), with its stored passage vectors and terms."""
    from types import SimpleNamespace

    from beleidsbank.index.store import Store

    src = Store.open(source)
    try:
        d = src.document(doc_id)
        passages = src.document_passages(doc_id)
        rowids = [p.rowid for p in passages]
        vecs, terms = src.vectors_of(rowids, int(src.get_meta("dim", "384"))), list(src.terms_of(rowids))
        text = src.document_text(doc_id)
    finally:
        src.close()
    meta = SimpleNamespace(
        id=new_id, title=d.title, short=d.short, publisher=d.publisher, year=d.year, kind=d.kind, language=d.language
    )
    parts = [
        SimpleNamespace(
            **{
                f: getattr(p, f)
                for f in (
                    "seq",
                    "page",
                    "page_end",
                    "page_label",
                    "section",
                    "section_path",
                    "kind",
                    "start",
                    "end",
                    "text",
                )
            },
            sentences=[list(s) for s in p.sentences],
        )
        for p in passages
    ]
    return (
        SimpleNamespace(
            meta=meta, path=d.path, sha256=d.sha256, n_pages=d.n_pages, doc=SimpleNamespace(text=text, passages=parts)
        ),
        vecs,
        terms,
    )


def step_add(data: Path, source: Path, doc_id: str) -> dict:
    """Add one real document's passages (stored vectors and terms) as a new document, timed."""
    from beleidsbank.index import snapshot
    from beleidsbank.index.store import Store

    new_id = f"toegevoegd-{int(time.time())}"
    doc, vecs, terms = copy_of(Path(source), doc_id, new_id)
    store = Store.create(data)
    dim = int(store.get_meta("dim", "384"))
    with store.read():
        t0 = time.perf_counter()
        before = snapshot.load(store, dim)  # a reader holding the current generation
        load_before_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    with store.write():
        store.put_document(doc, vecs, terms)
        t1 = time.perf_counter()
        gen = store.bump_generation()
        snapshot.write_indexes(store, gen, dim)
        index_s = time.perf_counter() - t1
    snapshot.prune(store, gen)
    total_s = time.perf_counter() - t0
    written = sum(
        p.stat().st_size
        for p in index_files(data)
        if p.name.startswith(("delta-", "dense-", "lexical-")) and p.name.split(".")[0].endswith(f"-{gen}")
    )
    with store.read():
        t0 = time.perf_counter()
        after = snapshot.load(store, dim)
        load_after_s = time.perf_counter() - t0
    new_rowids = [p.rowid for p in store.document_passages(new_id)]
    vec = vecs[0]
    from beleidsbank.index import vectors

    ids, _ = vectors.search(after.dense, vec, 10)
    found_dense = bool(set(ids.tolist()) & set(new_rowids))
    # the synthetic passages reuse these very sentences, so search within the new document
    lex_ids, _ = after.lexical.search(doc.doc.passages[0].text[:200], 10, np.isin(after.lexical.rowids, new_rowids))
    found_lex = bool(set(lex_ids.tolist()) & set(new_rowids))
    # and remove it again (the store is as before, one generation on): time to remove one document
    t0 = time.perf_counter()
    with store.write():
        store.delete_document(new_id)
        gen2 = store.bump_generation()
        snapshot.write_indexes(store, gen2, dim)
    snapshot.prune(store, gen2)
    remove_s = time.perf_counter() - t0
    store.close()
    del before
    return {
        "step": "add",
        "doc": doc_id,
        "passages_added": len(vecs),
        "generation": gen,
        "served_from_base": after.base,
        "index_write_s": index_s,
        "add_total_s": total_s,
        "bytes_written": written,
        "reader_load_before_s": load_before_s,
        "reader_load_after_s": load_after_s,
        "found_dense": found_dense,
        "found_lexical": found_lex,
        "remove_s": remove_s,
    }


# -- driver ------------------------------------------------------------------------
def sub(args: list[str]) -> dict:
    cmd = [sys.executable, "-m", "benchmarks.bench_scale"] + args
    res = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    if res.returncode != 0:
        sys.stderr.write(res.stderr[-3000:])
        raise SystemExit(f"step failed: {' '.join(args)}")
    line = [ln for ln in res.stdout.splitlines() if ln.startswith("{")][-1]
    return json.loads(line)


def run(args) -> None:
    from benchmarks.synth import Source, write_store

    work = Path(args.work)
    print(f"# uptime: {os.popen('uptime').read().strip()}")
    source = None
    results = {}
    for n in args.sizes:
        data = work / f"scale-{n}"
        if not (data / "beleidsbank.sqlite").exists() or args.regenerate:
            if data.exists():
                import shutil

                shutil.rmtree(data)
            source = source or Source(Path(args.source))
            secs = write_store(source, data, n, log=lambda *_: None)
            print(f"[{n}] generated in {secs:.0f} s", flush=True)
        r = {"build": sub(["build", str(data)])}
        print(f"[{n}] build: {json.dumps(r['build'])}", flush=True)
        r["search"] = sub(["search", str(data), "--repeat", str(args.repeat)])
        print(f"[{n}] search: {json.dumps(r['search'])}", flush=True)
        r["recall"] = sub(["recall", str(data), "--source", args.source])
        print(f"[{n}] recall: {json.dumps(r['recall'])}", flush=True)
        r["add"] = sub(["add", str(data), "--source", args.source, "--doc", args.doc])
        print(f"[{n}] add: {json.dumps(r['add'])}", flush=True)
        results[n] = r
    print(f"# uptime: {os.popen('uptime').read().strip()}")
    gib = 1024**3
    print(
        "\n| passages | dense index | build s | index on disk MB (dense + lexical) | SQLite MB | build peak RSS GB "
        "| search RSS GB (anon + file) | hybrid p50/p95/p99 ms | dense p50/p95/p99 ms | lexical p50/p95/p99 ms "
        "| recall@10 dev / statements | add 1 doc: index write s, reader reload s |"
    )
    print("|" + " --- |" * 12)
    for n, r in results.items():
        b, s, c, a = r["build"], r["search"], r["recall"], r["add"]
        print(
            f"| {n:,} | {b['dense_kind']} | {b['build_s']:.1f} "
            f"| {b['dense_bytes'] / 1e6:.0f} + {b['lexical_bytes'] / 1e6:.0f} "
            f"| {b['sqlite_bytes'] / 1e6:.0f} | {b['peak_rss'] / gib:.2f} "
            f"| {s['VmRSS'] / gib:.2f} ({s['RssAnon'] / gib:.2f} + {s['RssFile'] / gib:.2f}) "
            + " | ".join("/".join(f"{x:.0f}" for x in s[m]) for m in ("hybrid", "dense", "lexical"))
            + f" | {c['recall_dev']:.3f} / {c['recall_statements']:.3f} "
            f"| {a['index_write_s']:.2f}, {a['reader_load_after_s']:.2f} |"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sp = ap.add_subparsers(dest="cmd", required=True)
    p = sp.add_parser("run")
    p.add_argument("--source", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--doc", default="ptvt-2026-talent")
    p.add_argument("--regenerate", action="store_true")
    p = sp.add_parser("build")
    p.add_argument("data")
    p.add_argument("--kind", default=None)
    p = sp.add_parser("search")
    p.add_argument("data")
    p.add_argument("--repeat", type=int, default=3)
    p = sp.add_parser("recall")
    p.add_argument("data")
    p.add_argument("--source", required=True)
    p = sp.add_parser("compare")
    p.add_argument("data")
    p.add_argument("--source", required=True)
    p.add_argument("--kinds", nargs="+", default=["flat", "ivf", "hnsw"])
    p = sp.add_parser("add")
    p.add_argument("data")
    p.add_argument("--source", required=True)
    p.add_argument("--doc", default="ptvt-2026-talent")
    args = ap.parse_args()
    if args.cmd == "run":
        run(args)
        return
    data = Path(args.data)
    if args.cmd == "build":
        out = step_build(data, args.kind)
    elif args.cmd == "search":
        out = step_search(data, args.repeat)
    elif args.cmd == "recall":
        out = step_recall(data, Path(args.source))
    elif args.cmd == "compare":
        out = step_compare(data, Path(args.source), args.kinds)
    else:
        out = step_add(data, Path(args.source), args.doc)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
