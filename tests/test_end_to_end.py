"""End to end: the shipped corpus through the real pipeline (pypdf, spaCy, e5, FAISS, BM25) and the CLI."""

import json
import subprocess
import sys

import pytest

from beleidsbank.index.evaluate import holds
from beleidsbank.index.search import QueryError
from beleidsbank.index.store import Store

pytestmark = pytest.mark.slow

MANIFEST_IDS = {
    "nae-2026-silos",
    "ptvt-2026-talent",
    "ptvt-2023-toelichting",
    "seo-2020-techniekpact",
    "fokor-masterplan-rotterdam",
}


def test_corpus_ingested_with_metadata(corpus_data):
    store = Store.open(corpus_data)
    docs = {d.id: d for d in store.documents()}
    assert set(docs) == MANIFEST_IDS
    seo = docs["seo-2020-techniekpact"]
    assert seo.year == 2020 and seo.publisher.startswith("SEO") and seo.n_pages > 90
    # printed page labels follow the original: chapter 3 starts on printed page 46 region
    row = next(
        (
            p
            for p in store.document_passages("seo-2020-techniekpact")
            if "als iemand een positie verlaat kunnen zaken stilvallen" in p.text
        ),
        None,
    )
    assert row is not None
    page, label, section_path = row.page, row.page_label, row.section_path
    assert label.isdigit() and int(label) < page  # front matter pages are roman
    assert "3.1.2 Werking van het Techniekpact in de praktijk" in section_path
    # offsets point at the passage text
    for p in list(store.passages(range(1, 201)).values()):
        assert store.document_text(p.doc_id)[p.start : p.end] == p.text
    store.close()


def test_reingest_unchanged_is_noop(corpus_data, embedder):
    from beleidsbank.ingest.pipeline import ingest
    from tests.conftest import CORPUS

    gen = Store.open(corpus_data).generation()
    report = ingest([CORPUS], corpus_data, embedder=embedder)
    assert not report.added and not report.replaced and len(report.unchanged) == 5
    assert Store.open(corpus_data).generation() == gen


def test_search_finds_cited_passage(searcher):
    hits = searcher.search("Hoe kwetsbaar is de regionale uitvoering voor het vertrek van sleutelfiguren?", k=10)
    assert len(hits) == 10 and [h.rank for h in hits] == list(range(1, 11))
    hits = searcher.search("bedrijfsbezoeken binnen loopbaanoriëntatie veiligheidsprocedures leeftijdsgrenzen", k=5)
    top = hits[0]
    assert top.doc_id == "fokor-masterplan-rotterdam"
    assert holds(top.text, "de veiligheidsprocedures en leeftijdsgrenzen van invloed")
    s, e = top.best_sentence
    assert "veiligheidsprocedures" in top.text[s:e]


def test_english_query_over_dutch_text(searcher):
    query = "What share of apprentices stay with their employer after completing a work-based (BBL) programme?"
    hits = searcher.search(query, k=10)
    assert any(holds(h.text, "Ongeveer 80 procent van de leerlingen blijft in dienst bij de werkgever") for h in hits)


def test_modes_and_filters(searcher):
    for mode in ("hybrid", "dense", "lexical"):
        hits = searcher.search("lerarentekort in het technisch onderwijs", k=5, mode=mode)
        assert hits, mode
    hits = searcher.search("lerarentekort", k=20, doc=["ptvt-2026-talent"])
    assert hits and {h.doc_id for h in hits} == {"ptvt-2026-talent"}
    hits = searcher.search("techniek", k=20, year=[2020])
    assert {h.doc_id for h in hits} == {"seo-2020-techniekpact"}
    hits = searcher.search("techniek", k=20, publisher=["PTvT"])
    assert {h.doc_id for h in hits} <= {"ptvt-2026-talent", "ptvt-2023-toelichting"}


def test_statement_kind_filter(searcher):
    stmts = searcher.store.statements()
    for kind in ("recommendation", "problem"):
        holding = {s.passage_id for s in stmts if s.kind == kind}
        for mode in ("hybrid", "dense", "lexical"):
            hits = searcher.search("samenwerking tussen onderwijs en bedrijfsleven", k=10, mode=mode, kind=[kind])
            assert len(hits) == 10 and all(h.passage_id in holding for h in hits), (kind, mode)
    hits = searcher.search("samenwerking", k=10, kind=["problem"], doc=["nae-2026-silos"])
    assert hits and all(h.doc_id == "nae-2026-silos" and h.passage_id in holding for h in hits)


def test_links_point_at_stated_problems(searcher):
    """Headings can be labelled problem ("Gebrek aan diversiteit"), but a link points at the
    statements under them; every recommendation-problem pair is stored once, ranks from 1."""
    store = searcher.store
    heading_problems = sum(s.unit == "heading" for s in store.statements(kind="problem"))
    assert heading_problems > 0
    found = [rec for rec in store.links_for() if rec.problems]
    targets = {(p.problem.unit, p.problem.kind) for rec in found for p in rec.problems}
    assert targets and all(unit != "heading" and kind == "problem" for unit, kind in targets)
    for rec in found:
        ranks, ids = [p.rank for p in rec.problems], [p.problem.id for p in rec.problems]
        assert min(ranks) == 1 and len(ids) == len(set(ids))


def test_bad_queries_give_clear_errors(searcher):
    with pytest.raises(QueryError):
        searcher.search("   ")
    with pytest.raises(QueryError):
        searcher.search("de het een", mode="lexical")
    assert searcher.search("x" * 10_000, k=3) is not None
    assert searcher.search("<script>alert(1)</script> **vet** \x00\x1b[31m", k=3) is not None


def test_cli_json_and_batch(corpus_data, tmp_path):
    cli = [sys.executable, "-m", "beleidsbank.cli"]
    out = subprocess.run(
        cli + ["search", "zij-instroom in het onderwijs", "--json", "-k", "3", "--data-dir", str(corpus_data)],
        capture_output=True,
        text=True,
        check=True,
    )
    hits = json.loads(out.stdout)
    assert len(hits) == 3
    for key in ("rank", "score", "passage_id", "doc_id", "title", "page", "section", "text", "kind"):
        assert key in hits[0]
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"id": "a", "query": "lerarentekort"}\n{"id": "b", "query": "doorstroom mbo hbo"}\n')
    out = subprocess.run(
        cli + ["search", "--queries", str(queries), "--json", "-k", "2", "--data-dir", str(corpus_data)],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = [json.loads(ln) for ln in out.stdout.splitlines()]
    assert [r["id"] for r in lines] == ["a", "b"] and all(len(r["hits"]) == 2 for r in lines)


def test_model_mismatch_refused(corpus_data):
    from beleidsbank.index.search import Searcher
    from beleidsbank.index.store import StoreError

    with pytest.raises(StoreError):
        Searcher(corpus_data, model="sentence-transformers/all-MiniLM-L6-v2")
