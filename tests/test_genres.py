"""Statements across genres: question-and-answer documents, motions, letters, e-mails, advisory
reports, tables and English resolutions keep their labels, headings, formulas and signatures out
of the recommendations and problems. Every sentence here is written for the test."""

import pytest

from beleidsbank.ingest.clean import Block
from beleidsbank.ingest.nlp import dutch
from beleidsbank.ingest.passages import Doc
from beleidsbank.ingest.statements import classify, extract


def kind_of(text: str, unit: str = "sentence", section: str = "") -> str:
    return classify(text, dutch(True)(text), unit, section)[0]


def doc_of(*blocks: tuple[str, str]) -> Doc:
    """A document of (kind, text) blocks, one after the other."""
    text, spans = "", []
    for kind, body in blocks:
        start = len(text)
        text += body + "\n"
        spans.append((start, start + len(body), Block(kind, body, 1, section=("Beslispunten",))))
    return Doc(text, [], spans)


@pytest.mark.parametrize(
    "text",
    [
        "Vraag 4",
        "Antwoord 11",
        "Antwoord 2 en 3",
        "• Artikel 5.1.2.e",
        "5.1.2.e; 5.1.2.i; 5.2",
        "Reactie:",
        "Aanbeveling:",
        "Hoogachtend,",
        "Met vriendelijke groet,",
        "Yours sincerely,",
        "Sent: Tue 4/6/2021 10:02:31 AM",
        "Van: secretariaat directie Wonen",
        "Stel een inwoner wil bezwaar maken tegen het besluit over de toeslag.",
        "Stel dat de gemeente de subsidie stopzet, wat gebeurt er dan met de plannen?",
        "Welke maatregelen neemt u om de wachttijden in de jeugdzorg terug te dringen?",
        "Stap 2 in dit proces is het ordenen van de verzamelde bestanden.",
        "Gelet hierop is een nadere toelichting op de planning gegeven.",
        "Ter info: het overleg van donderdag is verplaatst naar vrijdag.",
        "Op grond van de Woo moet een verzoek binnen vier weken worden afgehandeld.",
        "gehoord de beraadslaging,",
        "en gaat over tot de orde van de dag.",
    ],
)
def test_labels_formulas_and_lookalikes_are_other(text):
    unit = "list_item" if text.startswith("•") else "sentence"
    assert kind_of(text, unit) == "other", text


@pytest.mark.parametrize(
    "text",
    [
        "verzoekt de regering, om voor 1 januari een plan voor betaalbare huurwoningen voor te leggen,",
        "De Afdeling adviseert de toelichting op dit punt aan te vullen.",
        "Requests the Secretary-General to report to the Council within sixty days.",
        "Stel een regionale regiegroep in die de aanpak coördineert.",
    ],
)
def test_requests_for_action_are_recommendations(text):
    assert kind_of(text) == "recommendation", text


@pytest.mark.parametrize(
    "text",
    [
        "Uit de memorie van toelichting blijkt niet dat de gevolgen voor kleine gemeenten zijn onderzocht.",
        "Veel besluiten zijn voor burgers niet goed vindbaar.",
        "Deploring the repeated failure of the parties to meet their obligations,",
    ],
)
def test_shortcomings_are_problems(text):
    assert kind_of(text) == "problem", text


def test_a_motion_is_cut_into_its_clauses():
    motion = (
        "De Kamer, gehoord de beraadslaging, constaterende dat steeds meer huurders hun energierekening niet "
        "kunnen betalen; overwegende dat voorkomen moet worden dat huishoudens worden afgesloten; verzoekt de "
        "regering, om een noodfonds voor deze huishoudens in te stellen, en gaat over tot de orde van de dag."
    )
    stmts = extract(doc_of(("paragraph", motion)))
    kinds = {s.text.split(",")[0].split(" dat ")[0]: s.kind for s in stmts}
    assert kinds["gehoord de beraadslaging"] == "other"
    assert kinds["constaterende"] == "problem"
    assert kinds["overwegende"] == "other"
    assert kinds["verzoekt de regering"] == "recommendation"
    assert kinds["en gaat over tot de orde van de dag."] == "other"


def test_table_rows_are_never_recommendations_or_problems():
    rows = (
        ("table_row", "12 3-4-2021 E-mail Verminder de wachttijden Deels openbaar 5.1.2.e"),
        ("table_row", "13 5-4-2021 Nota Tekort aan personeel bij de uitvoering Niet openbaar 5.1.1.c"),
    )
    stmts = extract(doc_of(*rows, ("paragraph", "Verminder de wachttijden in de jeugdzorg.")))
    assert [(s.unit, s.kind) for s in stmts] == [
        ("table_row", "other"),
        ("table_row", "other"),
        ("sentence", "recommendation"),
    ]
