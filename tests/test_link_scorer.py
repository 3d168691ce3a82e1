"""The learned link scorer: pair features, the hand formula as fallback, and training that
moves the scores the way the judged pairs say."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from beleidsbank.index import link_scorer, links
from beleidsbank.index.link_features import FEATURES, LinkSpace
from beleidsbank.index.records import Linkable
from beleidsbank.settings import LinkParams


def _unit(v):
    return (v / np.linalg.norm(v)).astype(np.float32)


def _statements(seed: int = 0):
    rng = np.random.default_rng(seed)
    topics = [rng.normal(size=16) for _ in range(3)]
    words = ["docenten tekort lerarenopleiding", "techniek meisjes instroom", "subsidie regels bedrijven"]
    recs, probs = [], []
    for d in range(2):
        for t, topic in enumerate(topics):
            recs.append(
                Linkable(
                    f"d{d}:r{t}",
                    f"d{d}",
                    10 * t,
                    f"H{t}",
                    f"Verbeter {words[t]}",
                    _unit(topic + 0.3 * rng.normal(size=16)),
                    "recommendation",
                )
            )
            probs.append(
                Linkable(
                    f"d{d}:p{t}",
                    f"d{d}",
                    10 * t + 1,
                    f"H{t}",
                    f"Er is een probleem met {words[t]}",
                    _unit(topic + 0.3 * rng.normal(size=16)),
                    "problem",
                    confidence=0.9,
                    unit="list_item",
                )
            )
    return recs, probs


def test_features_of_synthetic_pairs():
    recs, probs = _statements()
    space = LinkSpace(recs, probs, replace(LinkParams(), candidates=3, csls_k=2))
    x = space.features(np.array([0, 0, 0]), np.array([0, 1, 3]))
    f = {name: x[:, n] for n, name in enumerate(FEATURES)}
    assert x.shape == (3, len(FEATURES))
    # problem 0: same document, same topic, same section, next statement; 3: the same topic elsewhere
    assert f["same_doc"].tolist() == [1.0, 1.0, 0.0]
    assert f["section"][0] == 1.0 and f["section"][1] == 0.0 and f["section"][2] == 0.0
    assert f["proximity"][0] > 0.9 and f["proximity"][2] == 0.0
    assert f["cos_statement"][0] > f["cos_statement"][1]
    assert f["words"][0] > f["words"][1] and f["words"][2] > 0
    assert f["forward_rank"][0] < f["forward_rank"][1]
    assert f["list_item"].tolist() == [1.0, 1.0, 1.0]
    # every own-document problem is a candidate, besides the nearest ones
    assert set(space.candidates(0).tolist()) >= {0, 1, 2}


def test_missing_or_mismatched_file_falls_back_to_the_hand_formula(tmp_path, monkeypatch):
    recs, probs = _statements()
    assert link_scorer.load(tmp_path / "absent.json") is None
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": 1, "features": ["other"], "mean": [0], "scale": [1], "coef": [1], "bias": 0}')
    assert link_scorer.load(bad) is None
    monkeypatch.setattr(link_scorer, "DEFAULT_PATH", tmp_path / "absent.json")
    hand = links.link(recs, probs, replace(LinkParams(), learned=False))
    assert links.link(recs, probs, LinkParams()) == hand


def test_training_moves_scores_the_judged_way(tmp_path, monkeypatch):
    recs, probs = _statements()
    space = LinkSpace(recs, probs, replace(LinkParams(), candidates=3, csls_k=2))
    rows = np.repeat(np.arange(len(recs)), len(probs))
    cols = np.tile(np.arange(len(probs)), len(recs))
    x = space.features(rows, cols)
    # judged: a recommendation addresses the problem of its own topic in the OTHER document only
    y = np.array(
        [float(recs[i].id[-1] == probs[j].id[-1] and recs[i].doc_id != probs[j].doc_id) for i, j in zip(rows, cols)]
    )
    before = link_scorer.fit(x, np.zeros_like(y) + (x[:, FEATURES.index("same_doc")] > 0), l2=1.0)
    after = link_scorer.fit(x, y, l2=1.0)
    cross_true, same_topic = (y > 0), (x[:, FEATURES.index("same_doc")] > 0)
    assert after.score(x)[cross_true].mean() > before.score(x)[cross_true].mean()
    assert after.score(x)[same_topic].mean() < before.score(x)[same_topic].mean()
    # stored and used by link(): the first cross-document link is the judged one
    path = tmp_path / "scorer.json"
    after.save(path)
    monkeypatch.setattr(link_scorer, "DEFAULT_PATH", path)
    found = [
        lk for lk in links.link(recs, probs, replace(LinkParams(), candidates=3, csls_k=2)) if lk.rec_id == "d0:r1"
    ]
    assert next(lk.prob_id for lk in found if lk.scope == "cross-doc") == "d1:p1"
