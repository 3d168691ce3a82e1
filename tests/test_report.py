"""beleidsbank.report: dated markdown sections in docs/ replaced by key, the rest kept."""

from __future__ import annotations

import pytest

from beleidsbank.report import eval_markdown, table, write_section


def test_write_section_creates_replaces_and_keeps_the_rest(tmp_path):
    doc = tmp_path / "docs" / "evaluation.md"
    write_section(
        doc,
        "dev_queries",
        "dev_queries.jsonl",
        "beleidsbank eval q.jsonl",
        "| a |\n| --- |\n| 1 |",
        date="2026-01-01",
        rev="abc1234",
    )
    text = doc.read_text()
    assert "<!-- section: dev_queries -->" in text and "Measured 2026-01-01, commit abc1234." in text
    assert "`beleidsbank eval q.jsonl`" in text

    doc.write_text("# Evaluation\n\nHand-written text.\n\n" + text)
    write_section(
        doc, "dev_links", "dev_links.jsonl", "beleidsbank eval l.jsonl", "links body", date="2026-01-02", rev=""
    )
    write_section(
        doc, "dev_queries", "dev_queries.jsonl", "beleidsbank eval q.jsonl", "new body", date="2026-01-03", rev=""
    )
    text = doc.read_text()
    assert text.startswith("# Evaluation\n\nHand-written text.")
    assert text.count("<!-- section: dev_queries -->") == 1 and "new body" in text and "| 1 |" not in text
    assert "links body" in text and "Measured 2026-01-02." in text
    assert text.index("new body") < text.index("links body")  # replaced in place, not moved


def test_section_key_is_a_plain_name(tmp_path):
    with pytest.raises(ValueError):
        write_section(tmp_path / "x.md", "a -->", "t", "c", "b")


def test_tables():
    assert table(["a", "b"], [[0.5, "x|y"]]) == "| a | b |\n| --- | --- |\n| 0.500 | x\\|y |"
    queries = {
        "hybrid": {
            "all": {"ndcg@10": 0.5, "recall@10": 0.6, "mrr@10": 0.7, "hit@5": 0.8},
            "n": {"all": 16},
            "queries": {},
        }
    }
    assert "| hybrid | all | 16 | 0.500 | 0.600 | 0.700 | 0.800 |" in eval_markdown("queries", queries)
    links = {"recall@5": 0.5, "found": 13, "pairs": 26, "recall@5_combined": 0.25}
    assert "| 0.500 | 13/26 | 0.250 |" in eval_markdown("links", links)
    stmts = {
        "kind": "problem",
        "recall": 0.9,
        "found": 9,
        "gold": 10,
        "labelled_in_gold_passages": 20,
        "precision_lower_bound": 0.4,
        "missed": ["p1"],
    }
    assert "| problem | 0.900 | 9/10 | 20 | 0.400 | p1 |" in eval_markdown("statements", stmts)
