"""A user's link review is training data: the link scorer fitted with a confirmed link scores that
pair higher than one fitted with the same link rejected (benchmarks/train_links.py)."""

from __future__ import annotations

import numpy as np
import pytest

from beleidsbank.index.link_features import FEATURES
from beleidsbank.index.store import Store
from benchmarks import train_links
from tests.test_reviews import DOC_A, DOC_B, _by_text, _review_link, two_documents

REC = DOC_A[2][0]
PROBLEMS = [DOC_A[0][0], DOC_A[1][0], DOC_B[0][0]]


@pytest.fixture
def store(tmp_path):
    s = two_documents(tmp_path)
    yield s
    s.close()


def _fitted_score(store: Store, confirmed: str) -> tuple[float, int]:
    """Review the recommendation's link to each problem (`confirmed` confirmed, the others
    rejected), fit on the reviews alone and score the confirmed pair."""
    for text in PROBLEMS:
        _review_link(store, REC, text, "confirmed" if text == confirmed else "rejected")
    rows = train_links.judged(store, None)
    model, x, y, valid, _ = train_links.train(store, rows, {})
    rec, prob = _by_text(store, REC), _by_text(store, confirmed)
    row = next(n for n, r in enumerate(rows) if r["problem"]["quote"] == prob.text and r["addresses"])
    assert rec.id and len(y) == len(rows) and not valid.any() and y.sum() == 1  # every review resolves
    return float(model.score(x[row : row + 1])[0]), len(rows)


def test_a_review_changes_the_trained_scorers_output(store):
    first, n = _fitted_score(store, PROBLEMS[0])
    assert n == len(PROBLEMS)  # a new verdict on the same link replaces the old one
    # the same pair, now rejected and another confirmed: the fitted scorer scores it lower
    _review_link(store, REC, PROBLEMS[0], "rejected")
    _, _ = _fitted_score(store, PROBLEMS[1])
    rows = train_links.judged(store, None)
    model, x, _, _, _ = train_links.train(store, rows, {})
    again = float(model.score(x[[r["problem"]["quote"] for r in rows].index(PROBLEMS[0])][None, :])[0])
    assert np.isfinite(first) and np.isfinite(again)
    assert first > again + 0.1
    assert len(model.coef) == len(FEATURES)
