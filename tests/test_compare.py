"""The source comparison (index/compare.py) on made-up statements, links and embeddings: shares,
agreement groups, gaps, differences, addressees, the visible filter, and its Word and Excel
exports. No model: the recommendations' own embeddings are made up."""

from __future__ import annotations

import contextlib
import io
import json

import numpy as np
import pytest

from beleidsbank.index import compare as C
from beleidsbank.index.addressees import addressees, label_of, labels
from beleidsbank.index.opposition import opposed
from beleidsbank.index.own_vectors import missing, own_vectors
from beleidsbank.index.records import Document, Evidence, LinkedProblem, RecommendationLinks, Statement, Theme
from beleidsbank.settings import AdviseParams
from beleidsbank.ui import export_compare

SHORT = {"a": "Bron A", "b": "Bron B", "c": "Bron C", "h": "Geheim"}


def stmt(sid, doc, kind, text, theme, confidence=0.8, unit="sentence"):
    return Statement(
        id=sid,
        doc_id=doc,
        seq=int(sid.rsplit("s", 1)[-1]),
        start=0,
        end=len(text),
        page=3,
        page_label="3",
        section="2.1 Aanpak",
        section_path="2 Advies > 2.1 Aanpak",
        passage_id=f"{doc}:p0001",
        kind=kind,
        confidence=confidence,
        cue="",
        unit=unit,
        text=text,
        theme=theme,
        short=SHORT[doc],
        publisher="Uitgever",
        year=2024,
        theme_label=None,
    )


def unit(*xs) -> np.ndarray:
    v = np.array(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


# theme 0: "lerarentekort", theme 1: "stages"; documents a, b, c (c says nothing on theme 1)
STATEMENTS = [
    stmt("a:s1", "a", "recommendation", "Het kabinet moet zij-instromers een bonus geven.", 0, 0.9),
    stmt("a:s2", "a", "problem", "Er is een groot tekort aan leraren in het vmbo.", 0),
    stmt("a:s3", "a", "recommendation", "Scholen moeten meer stageplaatsen bieden.", 1),
    stmt("a:s4", "a", "problem", "Stageplaatsen zijn schaars in de regio.", 1),
    stmt("b:s1", "b", "recommendation", "Geef zij-instromers een bonus van het kabinet.", 0, 0.85),
    stmt("b:s2", "b", "recommendation", "Werkgevers dienen de salarissen van leraren te verhogen.", 0, 0.7),
    stmt("b:s3", "b", "problem", "De werkdruk van leraren is te hoog.", 0),
    stmt("b:s4", "b", "recommendation", "Schaf de verplichte stage in het vmbo af.", 1),
    stmt("c:s1", "c", "recommendation", "Verkort de lerarenopleiding voor zij-instromers.", 0),
    stmt("c:s2", "c", "problem", "Veel leraren verlaten binnen vijf jaar het vak.", 0),
    stmt("c:s3", "c", "problem", "3 Lerarentekort", 0, unit="heading"),
    stmt("c:s4", "c", "recommendation", "Voer een verplichte stage in het vmbo in.", None),
]
VECTORS = {
    "a:s1": unit(1, 0.05, 0, 0),
    "b:s1": unit(1, 0, 0.05, 0),  # the same advice as a:s1
    "b:s2": unit(0, 1, 0, 0),
    "c:s1": unit(0, 0, 1, 0),
    "a:s3": unit(0, 0, 0, 1),
    "b:s4": unit(0, 0.3, 0, -1),
    "c:s4": unit(0.2, 0, 0, 1),
}
# recommendation -> [(problem, rank, score)]
LINKS = {
    "a:s1": [("a:s2", 1, 0.8)],
    "b:s1": [("a:s2", 1, 0.7)],
    "b:s2": [("a:s2", 2, 0.6), ("c:s2", 1, 0.5)],
    "c:s1": [("c:s2", 1, 0.7)],
    "a:s3": [("a:s4", 1, 0.7)],
    "b:s4": [("a:s4", 1, 0.6)],
    "c:s4": [("a:s4", 1, 0.65)],
}
THEMES = [
    Theme(0, "lerarentekort", ("lerarentekort",), 8, "Tekort aan leraren.", None, ("h:s1", "a:s1", "b:s2")),
    Theme(1, "stages", ("stages",), 4),
]
SOURCES = [C.Source(d, SHORT[d], f"Rapport {d}", "Uitgever", 2024) for d in ("a", "b", "c")]


def data(statements=STATEMENTS) -> C.CompareData:
    return C.CompareData(SOURCES, list(statements), dict(LINKS), list(THEMES))


def vectors() -> dict[str, np.ndarray]:
    by_id = {s.id: s for s in STATEMENTS}
    return {by_id[k].text: v for k, v in VECTORS.items()}


@pytest.fixture(scope="module")
def result() -> C.Comparison:
    return C.compare(data(), vectors(), AdviseParams(), top=3)


def test_shares_are_of_each_sources_own_statements(result):
    first = result.theme(0)
    # a: 1 recommendation and 1 problem of its 4 statements; c: 2 of 3 counted + the heading
    assert first.per_source["a"] == C.Counts(1, 1, 0.5)
    assert first.per_source["c"].recommendations == 1
    assert first.per_source["c"].share == pytest.approx(3 / 4)
    assert result.totals["b"].recommendations == 3 and result.totals["b"].problems == 1
    # a statement without a theme is counted under "overig", visibly
    other = result.theme(None)
    assert other.label == C.OTHER_THEME and other.per_source["c"].recommendations == 1


def test_agreement_groups_the_same_advice_of_two_sources_as_the_advice_answers(result):
    groups = result.theme(0).agreements
    assert len(groups) == 1
    assert set(groups[0].sources) == {"a", "b"}
    assert [c.id for c in groups[0].statements] == ["a:s1", "b:s1"]
    assert result.theme(0).description == "Tekort aan leraren."
    assert [c.id for c in result.theme(0).typical] == ["a:s1", "b:s2"]  # h is no source here
    cited = groups[0].statements[0]
    assert (cited.doc_id, cited.page_label, cited.section) == ("a", "3", "2.1 Aanpak")


def test_gaps_silent_sources_and_problems_without_advice(result):
    silent = [g for g in result.theme(1).gaps if g.kind == "silent_source"]
    assert [(g.doc_id, g.others) for g in silent] == [("c", ("a", "b"))]  # c's stage advice has no theme
    assert {c.doc_id for c in silent[0].statements} == {"a", "b"}  # what the others say, cited
    first = result.theme(0).gaps
    assert not [g for g in first if g.kind == "silent_source"]
    open_problems = [g.statements[0].id for g in first if g.kind == "unaddressed_problem"]
    assert open_problems == ["b:s3"]  # the heading c:s3 is no problem to address


def test_differences_different_and_opposite_measures_on_one_problem(result):
    diffs = {x.problem.id: x for x in result.theme(0).differences + result.theme(1).differences}
    # a:s2: a and b agree (one group), b's other advice differs
    assert diffs["a:s2"].kind == "different"
    assert {c.id for c in diffs["a:s2"].statements} == {"a:s1", "b:s1", "b:s2"}
    # a:s4 (stages): b asks to abolish the compulsory internship that c asks to introduce
    assert diffs["a:s4"].kind == "opposite"
    assert "schaf af" in diffs["a:s4"].cues
    # c:s2: b and c advise different measures
    assert set(diffs["c:s2"].sources) == {"b", "c"}


def test_sources_in_one_agreement_group_make_no_difference():
    only = {k: v for k, v in LINKS.items() if k in ("a:s1", "b:s1")}
    out = C.compare(C.CompareData(SOURCES, STATEMENTS, only, THEMES), vectors())
    assert out.theme(0).differences == []


def test_addressee_filter_keeps_the_advice_to_that_actor():
    out = C.compare(data(), vectors(), addressee="kabinet")
    recs = {c.id for th in out.themes for items in th.statements.values() for c in items}
    assert recs == {"a:s1"}
    assert out.totals["a"].problems == 0  # problems address no one
    assert out.theme(0).statements["a"][0].addressees == ("kabinet",)


ADDRESSED = [
    ("Scholen en werkgevers moeten samen meer leerplekken bieden.", ("scholen", "werkgevers")),
    ("Daarom moet het kabinet structureel investeren in bijscholing.", ("kabinet",)),
    ("Het ministerie zou meer regie moeten nemen.", ("ministerie",)),
    ("Wij roepen gemeenten op om de aanpak te steunen.", ("gemeenten",)),
    ("De commissie vraagt de minister om een plan.", ("ministerie",)),
    ("Aanbeveling aan de regio's: werk samen.", ("regio's",)),
    ("Werkgevers: bied zij-instromers een vast contract.", ("werkgevers",)),
    ("Er ligt een belangrijke rol voor provincies.", ("provincies",)),
    ("Het is van belang dat onderwijsinstellingen hun aanbod verbreden.", ("onderwijsinstellingen",)),
    ("De uitvoering moet door gemeenten worden opgepakt.", ("gemeenten",)),
    ("Om dit te bereiken, moeten hogescholen en bedrijven samenwerken.", ("onderwijsinstellingen", "werkgevers")),
    ("Zowel de minister van OCW als de sector dienen hier werk van te maken.", ("ministerie", "sector")),
    # no one is asked to act: an imperative, an actor as object or beneficiary, a possibility
    ("Investeer in de kwaliteit van docenten.", ()),
    ("Er moet meer geld naar scholen.", ()),
    ("Dit kan scholen helpen bij het werven.", ()),
    ("Zorg dat scholen voldoende middelen hebben.", ()),
    ("De aansluiting tussen opleidingen dient beter te worden.", ()),
    ("Door scholen te ondersteunen moet het tekort dalen.", ()),
    ("Het aanbod van goed en betaalbaar onderwijs dient te worden uitgebreid.", ()),
    ("Er dient een regeling te komen voor het gebruik door de overheid.", ()),
    ("De taken van de minister moeten helder omschreven zijn.", ()),
    ("Het kabinet vraagt om meer aandacht voor scholen.", ()),
]


@pytest.mark.parametrize("text,expected", ADDRESSED)
def test_addressees(text, expected):
    assert addressees(text) == expected


def test_addressee_labels_and_forms():
    assert "kabinet" in labels() and "werkgevers" in labels()
    assert label_of("Minister") == "ministerie"
    assert label_of("bedrijven") == "werkgevers"
    assert label_of("werkgevers") == "werkgevers"
    assert label_of("niemand in het bijzonder") is None


@pytest.mark.parametrize(
    "a,b,opposite",
    [
        ("Voer geen nieuwe toetsen in.", "Voer nieuwe toetsen in.", True),
        ("Schaf de bonus voor zij-instromers af.", "Behoud de bonus voor zij-instromers.", True),
        ("Investeer in omscholing in plaats van in campagnes.", "Start nieuwe campagnes.", True),
        ("Bouw de subsidie voor stages af.", "Verhoog de subsidie voor stages.", True),
        ("Verminder de uitstroom van docenten.", "Investeer in docenten.", False),
        ("Scholen moeten niet alleen lessen geven maar ook stages bieden.", "Scholen moeten lessen geven.", False),
        ("Bouw een netwerk van scholen.", "Verhoog de subsidie voor stages.", False),
    ],
)
def test_opposition(a, b, opposite):
    assert bool(opposed(a, b)) is opposite
    assert bool(opposed(b, a)) is opposite


class FakeStore:
    """The read methods `compare.gather` uses, over the made-up statements and a hidden document."""

    def __init__(self, index_dir):
        self.index_dir = index_dir
        hidden = [
            stmt("h:s1", "h", "recommendation", "Geheim advies over zij-instromers en een bonus.", 0),
            stmt("h:s2", "h", "problem", "Geheim probleem over stageplaatsen.", 1),
        ]
        self.stmts = STATEMENTS + hidden
        self.links = dict(LINKS, **{"h:s1": [("a:s2", 1, 0.9), ("h:s2", 2, 0.5)]})

    @contextlib.contextmanager
    def read(self):
        yield self

    def documents(self):
        return [Document(d, "", "", f"Rapport {d}", SHORT[d], "Uitgever", 2024, "", "nl", 9, "") for d in "abch"]

    def statements(self):
        return list(self.stmts)

    def themes(self, visible=None):
        return list(THEMES)

    def get_meta(self, key, default=None):
        return "test-model" if key == "model" else default

    def links_for(self):
        by_id = {s.id: s for s in self.stmts}
        ev = Evidence(0.5, (), False, "")
        return [
            RecommendationLinks(
                by_id[r], [LinkedProblem(by_id[p], rank, score, "cross-doc", ev) for p, rank, score in ps]
            )
            for r, ps in self.links.items()
        ]


def test_nothing_of_a_hidden_document_appears(tmp_path):
    store = FakeStore(tmp_path)
    texts = [s.text for s in store.stmts if s.kind == "recommendation"]
    own_vectors(tmp_path, "test-model", texts, lambda ts: np.stack([unit(1, 0.01 * i, 0, 0) for i in range(len(ts))]))
    seen = json.dumps(C.comparison(store).to_json(), ensure_ascii=False)
    assert "h:s1" in seen  # it is there when visible
    shown = json.dumps(C.comparison(store, visible=frozenset("abc")).to_json(), ensure_ascii=False)
    assert "Geheim" not in shown and '"h"' not in shown and "h:s" not in shown


def test_own_vectors_are_kept_beside_the_index_per_model(tmp_path):
    calls = []

    def encode(texts):
        calls.append(list(texts))
        return np.ones((len(texts), 4), dtype=np.float32)

    got = own_vectors(tmp_path, "m1", ["een", "twee", "een"], encode)
    assert set(got) == {"een", "twee"} and calls == [["een", "twee"]]
    assert missing(tmp_path, "m1", ["een", "twee", "drie"]) == 1
    own_vectors(tmp_path, "m1", ["een", "drie"], encode)
    assert calls[-1] == ["drie"]
    assert (tmp_path / "statement_vectors.npz").is_file()
    assert own_vectors(tmp_path, "m2", ["een"]) == {}  # another model's vectors are not used


def test_exports_open_in_word_and_excel(result):
    from docx import Document as Docx
    from openpyxl import load_workbook

    as_json = json.loads(json.dumps(dict(result.to_json())))
    as_json["themes"][0]["statements"]["a"][0]["text"] = "=SOM(A1) en \x07 een stuurteken"
    doc = Docx(io.BytesIO(export_compare.to_docx(as_json)))
    body = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "lerarentekort" in body and "Overeenstemming (1)" in body
    assert "Het kabinet moet zij-instromers een bonus geven." in cells  # the group, side by side
    assert "Bron A, p. 3" in cells
    wb = load_workbook(io.BytesIO(export_compare.to_xlsx(as_json)))
    matrix, rows = wb["Matrix"], list(wb["Uitspraken"].values)
    assert matrix["A2"].value == "lerarentekort" and matrix["B2"].value == pytest.approx(0.5)
    assert rows[0][:4] == ("Thema", "Onderdeel", "Groep", "Bron")
    formula = next(r for r in rows if r[7] and r[7].startswith("=SOM"))
    assert wb["Uitspraken"].cell(row=rows.index(formula) + 1, column=8).data_type == "s"
