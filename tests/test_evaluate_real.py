"""The real-PDF benchmark's scoring rules (index/evaluate_real.py), on made-up gold."""

from beleidsbank.index.evaluate_real import (
    FileInput,
    intact,
    leaked,
    overall,
    predicted_kind,
    publisher_right,
    score_file,
    title_right,
)


def test_title_matches_normalised_or_covering():
    gold = {"title": "Nota over 'techniek' in het mbo", "title_ok": ["Techniek in het mbo"]}
    assert title_right("Nota over ‘techniek’ in het MBO", gold)
    assert title_right("Techniek in het mbo", gold)
    assert title_right("Nota over techniek in het mbo.", gold)
    assert not title_right("Nota", gold)
    assert not title_right("", gold)
    assert not title_right("Tweede Kamer der Staten-Generaal", gold)


def test_publisher_by_name_or_acronym():
    assert publisher_right("Ministerie van Volksgezondheid, Welzijn en Sport", "Ministerie van VWS")
    assert publisher_right("Ministerie van VWS", "Ministerie van Volksgezondheid, Welzijn en Sport")
    assert publisher_right("Tweede Kamer der Staten-Generaal", "Tweede Kamer")
    assert not publisher_right("Ministerie van OCW", "Ministerie van VWS")
    assert publisher_right("", None)
    assert not publisher_right("Raad van State", None)


def test_intact_needs_one_passage_and_tolerates_ocr_only_for_scans():
    passages = ["Eerste zin. De Woo is op 1 mei 2022 in werking getreden.", "Andere tekst."]
    assert intact("De Woo is op 1 mei 2022 in werking getreden.", passages, scanned=False)
    split = ["De Woo is op 1 mei", "2022 in werking getreden."]
    assert not intact("De Woo is op 1 mei 2022 in werking getreden.", split, scanned=False)
    ocr = ["De Woo is op l mei 2022 in werking getreden,"]
    assert not intact("De Woo is op 1 mei 2022 in werking getreden.", ocr, scanned=False)
    assert intact("De Woo is op 1 mei 2022 in werking getreden.", ocr, scanned=True)
    assert not intact("De Woo is op 1 mei 2022 in werking getreden.", ["Iets heel anders over de Woo."], True)


def test_furniture_and_labels():
    assert leaked("Pagina 3 van 10", ["tekst pagina 3 van 10 meer"])
    assert not leaked("Pagina 3 van 10", ["tekst"])
    stmts = [("Antwoord 6", "other"), ("Wij adviseren de regering meer te doen.", "recommendation")]
    assert predicted_kind("adviseren de regering meer te doen", stmts) == "recommendation"
    assert predicted_kind("Antwoord 6", stmts) == "other"
    assert predicted_kind("niet aanwezig in enige uitspraak", stmts) == "other"


def test_score_file_and_overall():
    gold = {
        "file": "a.pdf",
        "title": "Een titel",
        "year": 2021,
        "publisher": None,
        "sentences": ["Zin een.", "Zin twee."],
        "furniture": ["ISSN 0921 - 7398"],
        "questions": [{"query": "vraag", "quote": "Zin een."}],
        "statements": [{"quote": "Zin twee.", "kind": "problem"}],
    }
    got = FileInput(title="Een titel", year=2021, passages=["Zin een. Zin twee."], doc_id="a")
    got.statements.append(("Zin twee.", "problem"))
    f = score_file(gold, got, lambda q: [("a", "Zin een. Zin twee.")])
    assert f["sentences"] == [2, 2] and f["furniture"] == [1, 0]
    assert f["title_right"] and f["year_right"] and f["publisher_right"]
    assert f["questions"] == [1, 1] and f["statements"] == [1, 1]
    refused = score_file(gold, FileInput(refused="geen tekst"), None)
    assert not refused["ingested"] and refused["sentences"] == [2, 0] and refused["questions"] == [1, 0]
    o = overall([f, refused])
    assert o["files"] == 2 and o["ingested"] == 1 and o["sentences_intact"]["share"] == 0.5
