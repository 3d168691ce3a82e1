"""Synthetic corpora of any size made from the real passages of an ingested store.

    .venv/bin/python -m benchmarks.synth --source data --out /tmp/scale-100k --passages 100000

How a synthetic passage is made (seeded, reproducible):
- take a random real passage of the source store as its base; it gives the
  section heading, page and the document metadata (publisher, year);
- keep each of the base's sentences with probability 0.5 and replace the
  others by a random sentence of any real passage, so the text stays real
  Dutch with the sentence-count and length distribution of the corpus, but
  the combinations are new;
- its stored terms are the analyzer's features of the section plus those of
  each sentence (exactly what `passage_terms` gives for the joined text);
- its vector is the real stored vectors of the source passages of its
  sentences, averaged with the sentences' lengths as weights, plus Gaussian
  noise (sd `--noise` per dimension, default 0.02: noise norm ~0.39, cosine
  ~0.92 to the mixture), re-normalised. No embedding model runs.
Every 100 synthetic passages form one document (`synth-000001`, ...). The
document rows carry no full text (the search path never reads it).

The output is an ordinary beleidsbank data directory whose rows are committed
but whose index files are not built yet (see bench_scale.py, which times that).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import scipy.sparse as sp

REPO = Path(__file__).resolve().parent.parent

PER_DOC = 100


class Source:
    """The real passages, their sentences and vectors, from an ingested store."""

    def __init__(self, data_dir: Path):
        from beleidsbank.index.analyzer import features
        from beleidsbank.index.store import Store

        store = Store.open(Path(data_dir))
        try:
            rowids = store.passage_rowids()
            by_rowid = store.passages(rowids)
            rows = [by_rowid[int(r)] for r in rowids]  # in rowid order
            self.docs = {d.id: (d.title, d.short, d.publisher, d.year, d.kind, d.language) for d in store.documents()}
            self.statement_vectors = np.vstack([s.vector for s in store.linkable()] or [np.empty((0, 384), np.float32)])
            self.model = {k: v for k in ("model", "dim") if (v := store.get_meta(k)) is not None}
            self.vectors = store.vectors_of(rowids, int(store.get_meta("dim", "384")))
        finally:
            store.close()
        self.passages = rows
        self.sent_text, self.sent_feat, self.sent_src = [], [], []
        self.passage_sents = []
        for i, r in enumerate(rows):
            text, spans = r.text, [list(s) for s in r.sentences] or [[0, len(r.text)]]
            ids = []
            for a, b in spans:
                s = text[a:b].strip()
                if not s:
                    continue
                ids.append(len(self.sent_text))
                self.sent_text.append(s)
                self.sent_feat.append(" ".join(features(s)))
                self.sent_src.append(i)
            self.passage_sents.append(ids)
        self.section_feat = [" ".join(features(r.section)) for r in rows]
        self.sent_src = np.array(self.sent_src)
        self.sent_len = np.array([len(s) for s in self.sent_text], dtype=np.float32)


def generate(source: Source, n: int, seed: int = 0, noise: float = 0.02, batch: int = 10_000):
    """Yield (passage tuple, vector) batches: (doc_no, seq, base, text, sentences, terms), vectors."""
    rng = np.random.default_rng(seed)
    n_src, n_sent = len(source.passages), len(source.sent_text)
    dim = source.vectors.shape[1]
    for start in range(0, n, batch):
        m = min(batch, n - start)
        bases = rng.integers(n_src, size=m)
        rows, w_rows, w_cols, w_vals = [], [], [], []
        for j, b in enumerate(bases):
            sents = [s if rng.random() < 0.5 else int(rng.integers(n_sent)) for s in source.passage_sents[b]] or [
                int(rng.integers(n_sent))
            ]
            texts = [source.sent_text[s] for s in sents]
            spans, pos = [], 0
            for t in texts:
                spans.append([pos, pos + len(t)])
                pos += len(t) + 1
            i = start + j
            terms = " ".join([source.section_feat[b]] + [source.sent_feat[s] for s in sents]).strip()
            rows.append((i // PER_DOC, i % PER_DOC, int(b), " ".join(texts), spans, terms))
            for s in sents:
                w_rows.append(j)
                w_cols.append(source.sent_src[s])
                w_vals.append(source.sent_len[s])
        w = sp.csr_matrix((np.array(w_vals, dtype=np.float32), (w_rows, w_cols)), shape=(m, n_src))
        w = sp.diags(1.0 / np.asarray(w.sum(axis=1)).ravel()) @ w
        vecs = np.asarray(w @ source.vectors, dtype=np.float32)
        vecs += rng.normal(0.0, noise, size=(m, dim)).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        yield rows, vecs


def write_store(source: Source, out: Path, n: int, seed: int = 0, noise: float = 0.02, log=print) -> float:
    """Create the data directory `out` with n synthetic passages (rows only). Returns seconds."""
    from beleidsbank.index.store import Store

    t0 = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    store = Store.create(out)
    with store.write():
        for k, v in source.model.items():
            store.set_meta(k, v)
        done = 0
        for rows, vecs in generate(source, n, seed, noise):  # a batch holds whole documents
            by_doc: dict[int, list[int]] = {}
            for j, (doc_no, *_) in enumerate(rows):
                by_doc.setdefault(doc_no, []).append(j)
            for doc_no, js in by_doc.items():
                store.put_document(
                    _synthetic_document(source, doc_no, [rows[j] for j in js]), vecs[js], [rows[j][5] for j in js]
                )
            done += len(rows)
            log(f"  {done}/{n} passages written ({time.perf_counter() - t0:.0f} s)")
    store.close()
    return time.perf_counter() - t0


def _synthetic_document(source: Source, doc_no: int, rows: list[tuple]) -> SimpleNamespace:
    """A parsed document (as `Store.put_document` takes it) of generated passage rows, named after
    the source document of its first passage."""
    first = source.passages[rows[0][2]]
    title, short, publisher, year, kind, language = source.docs.get(first.doc_id, next(iter(source.docs.values())))
    meta = SimpleNamespace(
        id=f"synth-{doc_no:06d}",
        title=f"{title} (synthetisch {doc_no})",
        short=short,
        publisher=publisher,
        year=year,
        kind=kind,
        language=language,
    )
    passages = []
    for _, seq, b, text, spans, _ in rows:
        p = source.passages[b]
        passages.append(
            SimpleNamespace(
                seq=seq,
                page=p.page,
                page_end=p.page,
                page_label=p.page_label,
                section=p.section,
                section_path=p.section_path,
                kind=p.kind,
                start=0,
                end=len(text),
                text=text,
                sentences=spans,
            )
        )
    return SimpleNamespace(
        meta=meta,
        path=f"/synth/{doc_no}.pdf",
        sha256=f"synth{doc_no}",
        n_pages=PER_DOC,
        doc=SimpleNamespace(text="", passages=passages),
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source", default=str(REPO / "data"))
    ap.add_argument("--out", required=True)
    ap.add_argument("--passages", type=int, required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--noise", type=float, default=0.02)
    args = ap.parse_args()
    secs = write_store(Source(Path(args.source)), Path(args.out), args.passages, args.seed, args.noise)
    print(f"{args.passages} passages in {secs:.1f} s")


if __name__ == "__main__":
    main()
