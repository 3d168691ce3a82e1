"""Export formats: CSV for a Dutch Excel (BOM, semicolons, formulas neutralised), Markdown, RIS."""

import csv
import io

from beleidsbank.ui import export

ITEMS = [
    dict(
        id="a:0001",
        doc_id="a",
        title="Evaluerend advies",
        publisher="SEO Économisch Onderzoek",
        year=2020,
        page_label="46",
        section="3.1 Governance; structuur",
        kind="recommendation",
        text='Versterk de samenwerking; "ook" in het mbo — met één regiegroep.',
    ),
    dict(
        id="b:0002",
        doc_id="b",
        title="Masterplan",
        publisher="FOKOR",
        year=None,
        page_label="12",
        section="",
        kind="problem",
        text='=HYPERLINK("http://x") en meer',
    ),
]


def test_csv_for_dutch_excel():
    data = export.to_csv(ITEMS)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Uitgever", "Jaar", "Titel"]
    assert rows[1][0] == "SEO Économisch Onderzoek" and rows[1][6].startswith('Versterk de samenwerking; "ook"')
    assert rows[1][5] == "aanbeveling" and rows[2][5] == "probleem"
    assert rows[2][6].startswith("'=HYPERLINK")  # formula injection neutralised
    assert all(len(r) == len(rows[0]) for r in rows)


def test_markdown_escapes_markup_and_cites():
    md = export.to_markdown([dict(ITEMS[0], text="**vet** [link](javascript:alert(1)) <script>")])
    assert "\\*\\*vet\\*\\*" in md and "\\[link\\]" in md and "\\<script\\>" in md
    assert "SEO Économisch Onderzoek (2020)" in md and "p. 46" in md


def test_ris():
    ris = export.to_ris(ITEMS)
    assert ris.count("TY  - RPRT") == 2 and "PY  - 2020" in ris and "SP  - 46" in ris


def test_xlsx_opens_with_citations_accents_and_no_formulas():
    from openpyxl import load_workbook

    items = ITEMS + [dict(ITEMS[1], id="c:0003", text="+31 20 1234\x0b567 @SUM(A1) -3 dalen")]
    wb = load_workbook(io.BytesIO(export.to_xlsx(items)))
    ws = wb["Exportlijst"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0] == [
        "Uitgever",
        "Jaar",
        "Titel",
        "Pagina",
        "Sectie",
        "Soort",
        "Citaat",
        "Bronvermelding",
        "Document",
        "Id",
    ]
    assert len(rows) == 4
    assert rows[1][0] == "SEO Économisch Onderzoek" and rows[1][1] == 2020 and rows[1][3] == "46"
    assert rows[1][6] == 'Versterk de samenwerking; "ook" in het mbo — met één regiegroep.'
    assert rows[1][7] == "SEO Économisch Onderzoek (2020). Evaluerend advies, p. 46, 3.1 Governance; structuur."
    assert rows[1][5] == "aanbeveling" and rows[2][5] == "probleem"
    # formulas stay text: the value is the literal text, typed as a string, with Excel's quote prefix
    for r in (3, 4):
        cell = ws.cell(row=r, column=7)
        assert cell.data_type == "s" and cell.quotePrefix
    assert ws.cell(row=3, column=7).value == '=HYPERLINK("http://x") en meer'
    assert ws.cell(row=4, column=7).value == "+31 20 1234 567 @SUM(A1) -3 dalen"  # control char gone
    import zipfile

    sheet_xml = zipfile.ZipFile(io.BytesIO(export.to_xlsx(items))).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml


def test_docx_opens_with_quote_and_full_citation_per_item():
    import datetime

    from docx import Document

    items = ITEMS + [dict(ITEMS[0], id="c:0003", text="<script>alert(1)</script> **vet** \x07bel")]
    doc = Document(io.BytesIO(export.to_docx(items, today=datetime.date(2026, 11, 23))))
    paras = [p.text for p in doc.paragraphs]
    assert paras[0] == "Exportlijst beleidsbank"
    assert paras[1] == "3 citaten, samengesteld op 23-11-2026."
    body = paras[2:]
    assert len(body) == 9  # number, quote, citation per item
    assert body[0] == "1. aanbeveling"
    assert body[1] == '\u201cVersterk de samenwerking; "ook" in het mbo — met één regiegroep.\u201d'
    assert body[2] == "SEO Économisch Onderzoek (2020). Evaluerend advies, p. 46, 3.1 Governance; structuur."
    assert body[3] == "2. probleem" and body[4] == '\u201c=HYPERLINK("http://x") en meer\u201d'
    assert body[5] == "FOKOR (z.j.). Masterplan, p. 12."
    assert body[7] == "\u201c<script>alert(1)</script> **vet** bel\u201d"  # literal text, control char dropped
    assert doc.paragraphs[3].style.name == "Quote"


# -- the export list file and its storage per session ---------------------------

import json  # noqa: E402

import pytest  # noqa: E402

from beleidsbank.ui import exportlist  # noqa: E402


def test_list_file_round_trip_keeps_order_accents_and_types():
    data = exportlist.dumps(ITEMS)
    assert json.loads(data)["formaat"] == "beleidsbank-exportlijst"
    back = exportlist.loads(data)
    assert [i["id"] for i in back] == ["a:0001", "b:0002"]
    assert back[0]["publisher"] == "SEO Économisch Onderzoek" and back[0]["year"] == 2020 and back[1]["year"] is None
    assert back[1]["text"] == ITEMS[1]["text"]


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "geen tekstbestand"),
        (b"{niet: json", "geen geldige JSON"),
        (b"[1, 2]", "geen exportlijst van beleidsbank"),
        (json.dumps({"formaat": "iets anders", "versie": 1, "items": []}).encode(), "geen exportlijst van beleidsbank"),
        (json.dumps({"formaat": "beleidsbank-exportlijst", "versie": 7, "items": []}).encode(), "versie 7"),
        (json.dumps({"formaat": "beleidsbank-exportlijst", "versie": 1, "items": {}}).encode(), "geen lijst 'items'"),
        (json.dumps({"formaat": "beleidsbank-exportlijst", "versie": 1, "items": ["x"]}).encode(), "Item 1"),
        (
            json.dumps(
                {"formaat": "beleidsbank-exportlijst", "versie": 1, "items": [dict(ITEMS[0], year="2020")]}
            ).encode(),
            "'year' moet een geheel getal",
        ),
        (
            json.dumps(
                {"formaat": "beleidsbank-exportlijst", "versie": 1, "items": [dict(ITEMS[0], text=" ")]}
            ).encode(),
            "geen tekst",
        ),
        (
            json.dumps(
                {"formaat": "beleidsbank-exportlijst", "versie": 1, "items": [dict(ITEMS[0], kind="<script>")]}
            ).encode(),
            "onbekende soort",
        ),
    ],
)
def test_bad_list_files_get_a_dutch_reason(data, reason):
    with pytest.raises(exportlist.ExportListError, match=reason):
        exportlist.loads(data)


def test_loaded_items_keep_known_fields_only_and_no_duplicates():
    payload = {
        "formaat": "beleidsbank-exportlijst",
        "versie": 1,
        "items": [dict(ITEMS[0], extra="<b>x</b>"), ITEMS[0], ITEMS[1]],
    }
    items = exportlist.loads(json.dumps(payload).encode())
    assert [i["id"] for i in items] == ["a:0001", "b:0002"] and "extra" not in items[0]
    assert exportlist.merge(items[:1], items) == items


def test_storage_per_token(tmp_path):
    token = exportlist.new_token()
    assert exportlist.valid_token(token) and not exportlist.valid_token("../../etc/passwd")
    assert exportlist.load(tmp_path, token) == []
    exportlist.save(tmp_path, token, ITEMS)
    assert [i["id"] for i in exportlist.load(tmp_path, token)] == ["a:0001", "b:0002"]
    exportlist.save(tmp_path, token, ITEMS[1:])
    assert [i["id"] for i in exportlist.load(tmp_path, token)] == ["b:0002"]
    assert list((tmp_path / "exportlijsten").iterdir()) == [tmp_path / "exportlijsten" / f"{token}.json"]
    with pytest.raises(ValueError):
        exportlist.path_for(tmp_path, "../x")
    assert exportlist.prune(tmp_path, keep_days=1) == 0
    import time as _time

    assert exportlist.prune(tmp_path, keep_days=1, now=_time.time() + 2 * 86400) == 1
    assert exportlist.load(tmp_path, token) == []


def _list_file(*items, raw: str | None = None) -> bytes:
    if raw is not None:
        return raw.encode("utf-8")
    return json.dumps({"formaat": "beleidsbank-exportlijst", "versie": 1, "items": list(items)}).encode()


@pytest.mark.parametrize(
    "data, reason",
    [
        ("[" * 5000 + "]" * 5000, "te diep genest"),
        ('{"formaat": "beleidsbank-exportlijst", "a": ' + "[" * 100_000, "te diep genest"),
        ('{"formaat": "beleidsbank-exportlijst", "versie": 1, "items": [], "x": ' + "9" * 4301 + "}", "cijfers"),
        ('{"formaat": "beleidsbank-exportlijst", "versie": 1.5, "items": []}', "kommagetal"),
        ('{"formaat": "beleidsbank-exportlijst", "versie": NaN, "items": []}', "kommagetal"),
    ],
)
def test_hostile_list_files_are_refused_before_they_parse(data, reason):
    with pytest.raises(exportlist.ExportListError, match=reason):
        exportlist.loads(_list_file(raw=data))


def test_list_fields_must_be_valid_unicode_and_in_range():
    with pytest.raises(exportlist.ExportListError, match="ongeldige Unicode"):
        # json.dumps writes a lone surrogate as the escape \ud800, which json.loads accepts
        exportlist.loads(_list_file(dict(ITEMS[0], text="a\ud800b")))
    with pytest.raises(exportlist.ExportListError, match="buiten het bereik"):
        exportlist.loads(_list_file(dict(ITEMS[0], year=10**11)))
    with pytest.raises(exportlist.ExportListError, match="buiten het bereik"):
        exportlist.loads(_list_file(dict(ITEMS[0], page=0)))
    assert exportlist.loads(b"\xef\xbb\xbf" + _list_file(ITEMS[0]))[0]["id"] == "a:0001"  # a BOM is fine


def test_only_minted_tokens_open_a_list(tmp_path):
    chosen = "0" * 32
    assert exportlist.valid_token(chosen) and not exportlist.minted(tmp_path, chosen)
    token = exportlist.mint(tmp_path)
    assert exportlist.minted(tmp_path, token) and exportlist.load(tmp_path, token) == []
    assert token != exportlist.mint(tmp_path)
