"""Export formats: CSV for a Dutch Excel (BOM, semicolons, formulas neutralised), Markdown, RIS."""
import csv
import io

from ui import export

ITEMS = [
    dict(id="a:0001", doc_id="a", title="Evaluerend advies", publisher="SEO Économisch Onderzoek", year=2020,
         page_label="46", section="3.1 Governance; structuur", kind="recommendation",
         text="Versterk de samenwerking; \"ook\" in het mbo — met één regiegroep."),
    dict(id="b:0002", doc_id="b", title="Masterplan", publisher="FOKOR", year=None, page_label="12", section="",
         kind="problem", text="=HYPERLINK(\"http://x\") en meer"),
]


def test_csv_for_dutch_excel():
    data = export.to_csv(ITEMS)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Uitgever", "Jaar", "Titel"]
    assert rows[1][0] == "SEO Économisch Onderzoek" and rows[1][6].startswith("Versterk de samenwerking; \"ook\"")
    assert rows[1][5] == "aanbeveling" and rows[2][5] == "probleem"
    assert rows[2][6].startswith("'=HYPERLINK")          # formula injection neutralised
    assert all(len(r) == len(rows[0]) for r in rows)


def test_markdown_escapes_markup_and_cites():
    md = export.to_markdown([dict(ITEMS[0], text="**vet** [link](javascript:alert(1)) <script>")])
    assert "\\*\\*vet\\*\\*" in md and "\\[link\\]" in md and "\\<script\\>" in md
    assert "SEO Économisch Onderzoek (2020)" in md and "p. 46" in md


def test_ris():
    ris = export.to_ris(ITEMS)
    assert ris.count("TY  - RPRT") == 2 and "PY  - 2020" in ris and "SP  - 46" in ris
