"""Time to rank the links of N recommendations against M problems (index/links.py).

Statements of an ingested store are copied (with small noise on their vectors, spread over
50 documents) to the sizes asked for: `python benchmarks/bench_links.py --data-dir DATA 1 5 20`.
Links and themes are recomputed in full at every ingest, so this is the cost an ingest pays
for them on a corpus of that size.
"""
import argparse
import sys, time, sqlite3
from pathlib import Path

import numpy as np
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from index import links as L
ap = argparse.ArgumentParser(description=__doc__)
ap.add_argument("--data-dir", required=True)
ap.add_argument("copies", type=int, nargs="*", default=[1, 5, 20])
args = ap.parse_args()
con = sqlite3.connect(Path(args.data_dir) / "beleidsbank.sqlite")
rows=con.execute("SELECT s.id,s.doc_id,s.seq,s.section_path,s.text,s.kind,s.vector,p.vector FROM statements s LEFT JOIN passages p ON p.id=s.passage_id WHERE s.vector IS NOT NULL").fetchall()
base=[dict(id=r[0],doc_id=r[1],seq=r[2],section_path=r[3] or '',text=r[4],kind=r[5],vector=np.frombuffer(r[6],dtype=np.float32),context=np.frombuffer(r[7],dtype=np.float32) if r[7] else None,theme=None) for r in rows]
rng=np.random.default_rng(0)
for mult in args.copies:
    items=[]
    for m in range(mult):
        for s in base:
            v=s['vector']+0.05*rng.normal(size=384).astype(np.float32); v/=np.linalg.norm(v)
            items.append(dict(s,id=f"{s['id']}#{m}",doc_id=f"{s['doc_id']}#{m%50}",vector=v))
    recs=[i for i in items if i['kind']=='recommendation']; probs=[i for i in items if i['kind']=='problem']
    t=time.perf_counter(); out=L.link(recs,probs); dt=time.perf_counter()-t
    print(f"{len(recs)} recs x {len(probs)} problems: {dt:.1f} s, {len(out)} links", flush=True)
