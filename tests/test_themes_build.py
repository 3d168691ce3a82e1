"""Themes as a user meets them (issue 19): every statement in a theme or "overig", noun-phrase
labels, descriptions and typical statements, and the user's edits replayed on every rebuild."""

from __future__ import annotations

import dataclasses

import numpy as np

from beleidsbank.index import theme_build, theme_edits, theme_labels
from beleidsbank.index.records import Linkable
from beleidsbank.index.theme_edits import Edit
from beleidsbank.settings import ThemeParams

PARAMS = ThemeParams(min_theme_size=4, max_themes=3)

TOPICS = {
    "leraren": [
        "Er is een groot lerarentekort in het basisonderwijs.",
        "Investeer in de opleiding van leraren in het basisonderwijs.",
        "Het lerarentekort raakt vooral scholen in de grote steden.",
        "Zorg voor zij-instroom en omscholing naar het leraarschap.",
        "Zij-instroom en omscholing moeten eenvoudiger worden.",
        "Leraren in het basisonderwijs hebben te weinig tijd.",
    ],
    "regio": [
        "De regionale samenwerking tussen scholen en bedrijven is versnipperd.",
        "Versterk de regionale samenwerking tussen onderwijs en werkgevers.",
        "Regionale samenwerking vraagt om vaste afspraken per regio.",
        "Werkgevers in de regio missen een vast aanspreekpunt.",
        "Maak regionale samenwerking onderdeel van het bestuursakkoord.",
        "Bedrijven in de regio willen meer stageplekken bieden.",
    ],
}


def _item(sid: str, doc: str, seq: int, text: str, vector, kind: str = "problem") -> Linkable:
    return Linkable(
        id=sid, doc_id=doc, seq=seq, section_path="2 Hoofdstuk > 2.1 Kansen", text=text, vector=vector, kind=kind
    )


def _items(rng) -> list[Linkable]:
    """Statements of two topics from two sources, with vectors that tell the topics apart."""
    centres = {t: rng.normal(size=24) for t in TOPICS}
    out = []
    for t, texts in TOPICS.items():
        for n, text in enumerate(texts):
            doc = "ab"[n % 2]
            v = (centres[t] + 0.2 * rng.normal(size=24)).astype(np.float32)
            kind = "recommendation" if text.split()[0] in ("Investeer", "Zorg", "Versterk", "Maak") else "problem"
            out.append(_item(f"{doc}:s{len(out):04d}", doc, len(out), text, v, kind))
    return out


def test_every_statement_gets_a_theme_and_a_labelled_theme_has_a_description():
    items = _items(np.random.default_rng(1))
    stray = _item("c:s0099", "c", 99, "Een zin over iets heel anders.", -items[0].vector)
    assign, built = theme_build.build(items + [stray], {}, PARAMS)
    assert (assign >= 0).all()
    by_id = {t.id: t for t in built}
    for t in built:
        if theme_build.is_overig(t):
            continue
        assert t.description and t.members and t.size == len(t.members)
        # the description is the most typical recommendation, shortened
        typical = [i for m in t.members for i in items if i.id == m and i.kind == "recommendation"]
        assert not typical or t.description == theme_build.shorten(typical[0].text)
    assert sum(t.size for t in by_id.values()) == len(items) + 1


def test_labels_prefer_a_noun_phrase_of_the_field_over_a_single_word():
    texts = TOPICS["regio"]
    labels = theme_labels.label(texts, np.zeros(len(texts), dtype=np.int64), ["a", "b"] * 3)
    assert labels[0].label.startswith("regionale samenwerking")
    assert "zij-instroom en omscholing" in theme_labels.phrases("Zorg voor zij-instroom en omscholing.")
    # an adjective or a verb alone names no theme
    assert not theme_labels.phrases("Duurzame stimuleren.") & {"duurzame", "stimuleren"}


def test_headings_count_towards_a_label_at_half_weight():
    texts = ["Scholen missen geld.", "Scholen zoeken docenten.", "Scholen willen ruimte."]
    heads = [theme_labels.heading_text("3 Analyse > 3.2 Doorstroom mbo-hbo")] * 3
    assert heads[0] == "Doorstroom mbo-hbo"
    labels = theme_labels.label(texts, np.zeros(3, dtype=np.int64), ["a", "b", "c"], headings=heads)
    assert "doorstroom mbo-hbo" in labels[0].label


def test_edits_are_replayed_by_member_statements():
    keys = [f"d:{i}" for i in range(12)]
    assign = np.repeat([0, 1, 2], 4)
    edits = [
        Edit("rename", (tuple(keys[:4]),), "eigen naam"),
        Edit("merge", (tuple(keys[4:8]), tuple(keys[8:]))),
        Edit("split", (tuple(keys[:4]),), "deel", tuple(keys[:2])),
    ]
    out, names = theme_edits.replay(edits, assign, keys)
    assert set(out[4:].tolist()) == {1}
    assert out[0] == out[1] != out[2] == out[3] == 0
    assert names[0] == "eigen naam" and names[int(out[0])] == "deel"
    # replaying on the edited assignment changes nothing (edits are replayed after every ingest)
    again, names2 = theme_edits.replay(edits, out, keys)
    assert np.array_equal(again, out) and names2 == names
    # renumbered themes (a fresh clustering) are found by their statements
    shuffled, names3 = theme_edits.replay(edits[:1], np.repeat([2, 0, 1], 4), keys)
    assert names3 == {2: "eigen naam"}


def test_a_rename_survives_a_rebuild_of_the_stored_themes():
    items = _items(np.random.default_rng(2))
    assign, built = theme_build.build(items, {}, PARAMS)
    first = next(t for t in built if not theme_build.is_overig(t))
    members = tuple(theme_build.statement_key(i.doc_id, i.text) for i, a in zip(items, assign) if a == first.id)
    edits = [Edit("rename", (members,), "mijn thema")]
    stored = {t.id: t for t in built}
    again = [dataclasses.replace(i, theme=int(a)) for i, a in zip(items, assign)]
    assign2, built2 = theme_build.build(again, stored, PARAMS, edits)
    assert {t.id: t.label for t in built2}[first.id] == "mijn thema"
    assert np.array_equal(assign, assign2)


def test_the_word_views_components_are_those_of_the_svd():
    """The LSA components come from the smaller Gram matrix: the same as the SVD's, up to sign,
    for a matrix wider than tall and one taller than wide."""
    from beleidsbank.index.themes import _exact_components

    rng = np.random.default_rng(7)
    for shape in ((30, 70), (70, 30)):
        d = rng.standard_normal(shape)
        u, sv, _ = np.linalg.svd(d, full_matrices=False)
        got = _exact_components(d, 5)
        assert got.shape == (shape[0], 5)
        assert np.allclose(np.abs(got), np.abs(u[:, :5] * sv[:5]), atol=1e-4)
