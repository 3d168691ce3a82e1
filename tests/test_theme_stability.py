"""Adding a document on another subject leaves the existing themes alone (real model, real corpus)."""

from __future__ import annotations

import shutil

import pytest

from beleidsbank.index.store import Store
from beleidsbank.index.theme_build import is_overig
from beleidsbank.ingest.pipeline import ingest
from tests.pdf_factory import flow, write_text_pdf

# short policy notes on subjects the shipped corpus (technical education and the labour market)
# does not treat: what a user adds beside it
SUBJECTS = {
    "water": [
        ("Waterveiligheid in de delta", "h1"),
        "De dijken langs de grote rivieren voldoen op veel plaatsen niet aan de nieuwe normen.",
        "Er is een tekort aan ruimte voor de rivier, waardoor de kans op overstromingen toeneemt.",
        "Door de bodemdaling in het veenweidegebied stijgen de kosten van het waterbeheer.",
        "Het kabinet moet de dijkversterking versnellen en de middelen daarvoor structureel vastleggen.",
        "Waterschappen moeten meer ruimte geven aan waterberging in de uiterwaarden.",
        "Investeer in het monitoren van de grondwaterstand in het veenweidegebied.",
        "Gemeenten moeten bij nieuwbouw rekening houden met hevige neerslag en wateroverlast.",
    ],
    "zorg": [
        ("Wachttijden in de geestelijke gezondheidszorg", "h1"),
        "De wachttijden voor de geestelijke gezondheidszorg zijn opgelopen tot meer dan een half jaar.",
        "Huisartsen kunnen patiënten met complexe klachten nergens naartoe verwijzen.",
        "Het ontbreekt aan afspraken tussen zorgverzekeraars en zorgaanbieders over de capaciteit.",
        "Zorgverzekeraars moeten meer behandelplekken inkopen voor patiënten met ernstige klachten.",
        "Het ministerie moet de administratieve lasten van zorgverleners verminderen.",
        "Versterk de praktijkondersteuning bij de huisarts voor lichte psychische klachten.",
        "Regio's moeten wachtlijstbemiddeling gezamenlijk organiseren.",
    ],
    "defensie": [
        ("Materieel van de krijgsmacht", "h1"),
        "De voorraden munitie van de krijgsmacht zijn onvoldoende voor langdurige inzet.",
        "Door verouderd materieel is een deel van de voertuigen niet inzetbaar.",
        "De aanschaf van nieuwe systemen duurt door de lange aanbestedingen vele jaren.",
        "Defensie moet de voorraden munitie aanvullen en meerjarig financieren.",
        "Het kabinet moet de aanbestedingsprocedures voor materieel verkorten.",
        "Werk bij de aanschaf van materieel samen met andere Europese landen.",
    ],
}


def themes_of(data) -> tuple[dict, dict]:
    """(statement id -> theme id, theme id -> label), "overig" (what fits no theme) as no theme."""
    store = Store.open(data)
    try:
        labels = {t.id: t.label for t in store.themes() if not is_overig(t)}
        return {i.id: (i.theme if i.theme in labels else None) for i in store.linkable()}, labels
    finally:
        store.close()


def themes_all(data) -> dict:
    store = Store.open(data)
    try:
        return {i.id: i.theme for i in store.linkable()}
    finally:
        store.close()


@pytest.mark.parametrize("subject", sorted(SUBJECTS))
def test_a_document_on_another_subject_changes_at_most_two_theme_labels(subject, corpus_data, embedder, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(corpus_data, data)
    members0, labels0 = themes_of(data)
    blocks = [("h1", s[0]) if isinstance(s, tuple) else ("body", s) for s in SUBJECTS[subject]]
    pdf = write_text_pdf(tmp_path / f"notitie-{subject}.pdf", flow(blocks))
    report = ingest([pdf], data, embedder=embedder)
    assert report.added and not report.skipped
    members1, labels1 = themes_of(data)
    changed = [t for t, label in labels0.items() if labels1.get(t) != label]
    assert len(changed) <= 2, [(labels0[t], labels1.get(t)) for t in changed]
    moved = [s for s, t in members0.items() if t is not None and members1.get(s) != t]
    assert not moved
    assert len(members1) > len(members0)  # the note's statements were found
    assert all(t is not None for t in themes_all(data).values())  # each in a theme or in "overig"
