"""Stored themes are kept when documents are added (index/theme_update.py)."""

from __future__ import annotations

import numpy as np

from beleidsbank.index import theme_update, themes
from beleidsbank.index.records import Theme
from beleidsbank.settings import ThemeParams

PARAMS = ThemeParams(min_theme_size=10)


def blobs(centres: np.ndarray, n: int, spread: float, rng) -> np.ndarray:
    """`n` unit vectors around each centre."""
    x = np.repeat(centres, n, axis=0) + spread * rng.standard_normal((len(centres) * n, centres.shape[1]))
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def setup(rng, dims: int = 32):
    centres = np.eye(dims)[:4]
    old = blobs(centres[:3], 20, 0.08, rng)
    previous = np.repeat(np.arange(3), 20)
    return centres, old, previous


def test_existing_statements_keep_their_theme_and_near_ones_join():
    rng = np.random.default_rng(1)
    centres, old, previous = setup(rng)
    near = blobs(centres[1:2], 5, 0.08, rng)
    meaning = np.vstack([old, near])
    prev = np.concatenate([previous, -np.ones(5, dtype=int)])
    assign = theme_update.update(meaning, meaning, prev, [f"s{i}" for i in range(len(meaning))], PARAMS)
    assert (assign[:60] == previous).all()
    assert (assign[60:] == 1).all()


def test_a_new_subject_forms_a_new_theme_and_stray_statements_get_none():
    rng = np.random.default_rng(2)
    centres, old, previous = setup(rng)
    other = blobs(centres[3:4], 15, 0.08, rng)  # a document on another subject
    stray = blobs(np.eye(32)[10:12], 1, 0.01, rng)  # two statements near nothing, too few for a theme
    meaning = np.vstack([old, other, stray])
    prev = np.concatenate([previous, -np.ones(17, dtype=int)])
    assign = theme_update.update(meaning, meaning, prev, [f"s{i}" for i in range(len(meaning))], PARAMS)
    assert (assign[:60] == previous).all()
    new = set(assign[60:75].tolist())
    assert len(new) == 1 and new.pop() >= 3  # one new theme, under a new id
    assert (assign[75:] == -1).all()


def test_too_few_statements_on_a_new_subject_get_no_theme():
    rng = np.random.default_rng(3)
    centres, old, previous = setup(rng)
    other = blobs(centres[3:4], 4, 0.08, rng)
    meaning = np.vstack([old, other])
    prev = np.concatenate([previous, -np.ones(4, dtype=int)])
    assign = theme_update.update(meaning, meaning, prev, [f"s{i}" for i in range(len(meaning))], PARAMS)
    assert (assign[60:] == -1).all()


def test_the_store_is_reclustered_when_most_statements_are_new():
    assert theme_update.should_update(np.array([0, 0, 1, -1]))
    assert not theme_update.should_update(np.array([0, -1, -1, -1]))
    assert not theme_update.should_update(np.array([], dtype=int))


def test_labels_stay_while_the_members_stay():
    previous = np.array([0] * 10 + [1] * 10)
    grown = np.array([0] * 10 + [1] * 10 + [1] * 2)
    swamped = np.array([0] * 10 + [1] * 10 + [0] * 30)
    stored = {0: Theme(0, "lerarentekort", ("lerarentekort",), 10), 1: Theme(1, "regio", ("regio",), 10)}
    prev = np.concatenate([previous, -np.ones(2, dtype=int)])
    assert set(theme_update.kept_labels(prev, grown, stored)) == {0, 1}
    prev = np.concatenate([previous, -np.ones(30, dtype=int)])
    assert set(theme_update.kept_labels(prev, swamped, stored)) == {1}


def test_a_kept_label_is_not_given_to_another_theme():
    texts = ["investeer in de regionale samenwerking"] * 4
    texts += ["versterk de regionale samenwerking in het beroepsonderwijs"] * 4
    assign = np.array([0] * 4 + [1] * 4)
    fixed = {0: Theme(0, "regionale samenwerking", ("regionale samenwerking",), 4)}
    out = themes.label(texts, assign, ["a", "b"] * 4, fixed)
    assert out[0].label == "regionale samenwerking"
    assert out[1].label != "regionale samenwerking"
