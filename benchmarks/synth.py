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
import json
import sqlite3
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp

REPO = Path(__file__).resolve().parent.parent

PER_DOC = 100


class Source:
    """The real passages, their sentences and vectors, from an ingested store."""

    def __init__(self, data_dir: Path):
        from beleidsbank.index.analyzer import features

        con = sqlite3.connect(str(Path(data_dir) / "beleidsbank.sqlite"))
        rows = con.execute(
            "SELECT p.doc_id, p.page, p.page_label, p.section, p.section_path, p.kind, p.text, p.sentences, p.vector "
            "FROM passages p ORDER BY p.rowid").fetchall()
        self.docs = {r[0]: r[1:] for r in con.execute(
            "SELECT id, title, short, publisher, year, kind, language FROM documents")}
        self.statement_vectors = np.vstack([np.frombuffer(v, dtype=np.float32) for (v,) in con.execute(
            "SELECT vector FROM statements WHERE vector IS NOT NULL ORDER BY id")] or [np.empty((0, 384), np.float32)])
        self.model = dict(con.execute("SELECT key, value FROM meta WHERE key IN ('model', 'dim')"))
        con.close()
        self.passages = rows
        self.vectors = np.vstack([np.frombuffer(r[8], dtype=np.float32) for r in rows])
        self.sent_text, self.sent_feat, self.sent_src = [], [], []
        self.passage_sents = []
        for i, r in enumerate(rows):
            text, spans = r[6], json.loads(r[7]) or [[0, len(r[6])]]
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
        self.section_feat = [" ".join(features(r[3])) for r in rows]
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
            sents = [s if rng.random() < 0.5 else int(rng.integers(n_sent)) for s in source.passage_sents[b]] \
                or [int(rng.integers(n_sent))]
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
    from beleidsbank.index.store import Store, passage_id

    t0 = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    store = Store(out)
    con = store.con
    con.execute("PRAGMA synchronous=OFF")
    doc_keys = list(source.docs)
    with store.write():
        for k, v in source.model.items():
            store.set_meta(k, v)
        done = 0
        for rows, vecs in generate(source, n, seed, noise):
            docs = {}
            for doc_no, seq, b, *_ in rows:
                if seq == 0 or doc_no not in docs:
                    docs[doc_no] = b
            for doc_no, b in docs.items():
                src_doc = source.passages[b][0]
                title, short, publisher, year, kind, language = source.docs.get(src_doc, source.docs[doc_keys[0]])
                con.execute("INSERT OR IGNORE INTO documents VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
                            (f"synth-{doc_no:06d}", f"/synth/{doc_no}.pdf", f"synth{doc_no}",
                             f"{title} (synthetisch {doc_no})", short, publisher, year, kind, language,
                             PER_DOC, "", "[]", "2026-01-01T00:00:00"))
            con.executemany(
                "INSERT INTO passages(id, doc_id, seq, page, page_end, page_label, section, section_path, "
                "kind, start, end, text, sentences, terms, vector) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                ((passage_id(f"synth-{doc_no:06d}", seq), f"synth-{doc_no:06d}", seq,
                  source.passages[b][1], source.passages[b][1], source.passages[b][2], source.passages[b][3],
                  source.passages[b][4], source.passages[b][5], 0, len(text), text, json.dumps(spans), terms,
                  vecs[j].tobytes())
                 for j, (doc_no, seq, b, text, spans, terms) in enumerate(rows)))
            done += len(rows)
            log(f"  {done}/{n} passages written ({time.perf_counter() - t0:.0f} s)")
    store.close()
    return time.perf_counter() - t0


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
