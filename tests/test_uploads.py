"""Document identity and uploads: an id comes from a document's source and content, never from
its file name alone; uploads are staged and moved into place only when their ingest commits."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from beleidsbank.index.records import Document
from beleidsbank.index.store import StoreError
from beleidsbank.ingest.document import file_hash
from beleidsbank.ingest.identity import Resolver, Upload
from beleidsbank.ingest.manifest import slug_id
from beleidsbank.ui import uploads
from tests import pdf_factory as pf

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def note_pdf(path: Path, subject: str) -> Path:
    """A one-page note whose text is about `subject` (distinct subjects give distinct content)."""
    lines = [(f"Notitie over {subject}", "h1"), ""]
    lines += pf.wrap(
        f"Deze notitie beschrijft de aanpak van {subject} in de regio. De gemeente wil dat scholen en "
        f"bedrijven samen werken aan {subject}. Het rijk moet de financiering van {subject} structureel maken."
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    return pf.write_text_pdf(path, [lines])


def stored(doc_id: str, path: Path, sha: str = "0" * 64, title: str = "") -> Document:
    return Document(doc_id, str(Path(path).resolve()), sha, title or doc_id, "", "Uitgever", 2024, "nota", "nl", 1, "")


# -- ids from names ------------------------------------------------------------------------


def test_slug_ids_are_readable_and_distinct_for_any_script():
    assert slug_id(Path("Nota Techniek (2024).pdf")) == "nota-techniek-2024"
    assert slug_id(Path("Straße über Ærø.pdf")) == "strasse-uber-aero"
    others = [
        "Политика.pdf",
        "Экономика.pdf",
        "政策文件.pdf",
        "سياسة.pdf",
        "नीति.pdf",
        "a" * 100 + ".pdf",
        "a" * 101 + ".pdf",
    ]
    ids = [slug_id(Path(n)) for n in others]
    assert len(set(ids)) == len(ids) and "document" not in ids
    assert all(i.isascii() and len(i) <= 90 for i in ids)
    assert ids == [slug_id(Path(n)) for n in others]  # stable


# -- safe stored names ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "given",
    [
        "é" * 300 + ".pdf",  # 600 bytes
        "𝔑" * 100 + ".pdf",  # 400 bytes of 4-byte characters
        "../../etc/passwd.pdf",
        "..\\..\\windows\\nota.pdf",
        "..",
        ".",
        "",
        "\x1b[31mrood\x1b[0m\n.pdf",
        "nota\u202egpj.pdf",  # a right-to-left override that disguises the extension
        "\u200bnul\ufeffbreedte\u2066.pdf",
        ".verborgen.pdf",
        "nota\x00.pdf",
    ],
)
def test_hostile_upload_names_become_safe_file_names(tmp_path, given):
    name = uploads.upload_name(given)
    assert name.endswith(".pdf") and "/" not in name and "\\" not in name and not name.startswith(".")
    assert len(name.encode("utf-8")) <= 255
    assert not any(ord(c) < 32 or c in "\u202e\u2066\u200b\ufeff" for c in name)
    (tmp_path / name).write_bytes(b"%PDF-1.4")  # the file system takes it
    assert uploads.upload_name(name) == name  # a kept name stays as it is


# -- the upload plan -----------------------------------------------------------------------


def test_plan_asks_about_names_of_stored_documents_and_keeps_both_twins(tmp_path):
    docs = [
        stored("ptvt-2026-talent", CORPUS / "ptvt-2026-talent.pdf", sha="a" * 64),
        stored("nota-2024", tmp_path / "uploads" / "Nota (2024).pdf", sha="b" * 64),
    ]
    files = [
        ("ptvt-2026-talent.pdf", b"nieuw 1"),
        ("nota-2024.pdf", b"nieuw 2"),  # another name, the same id
        ("verslag.pdf", b"een"),
        ("verslag.pdf", b"twee"),  # same name in one upload
        ("kopie.pdf", b"bestaat"),
    ]
    docs.append(stored("kopie-elders", tmp_path / "elders.pdf", sha=hashlib.sha256(b"bestaat").hexdigest()))
    plan = uploads.plan(files, docs)
    assert [[d.id for d in p.matches] for p in plan] == [["ptvt-2026-talent"], ["nota-2024"], [], [], []]
    assert [p.name for p in plan[2:4]] == ["verslag.pdf", "verslag-2.pdf"] and plan[3].twin


def test_stage_never_takes_the_file_of_another_document(tmp_path):
    data = tmp_path / "data"
    cited = uploads.folder(data) / "nota.pdf"
    docs = [stored("nota", cited)]
    plan = uploads.plan([("nota.pdf", b"nieuw"), ("nota.pdf", b"ook nieuw")], docs)
    staging = uploads.stage(data, plan, {}, docs)  # not confirmed: two new documents
    assert [u.path.name for u in staging.uploads] == ["nota-2.pdf", "nota-3.pdf"]
    assert all(u.updates is None and u.file.read_bytes() for u in staging.uploads)
    confirmed = uploads.stage(data, plan, {0: "nota"}, docs)
    assert confirmed.uploads[0].path == cited and confirmed.uploads[0].updates == "nota"
    uploads.finish(data, staging, {}, docs)
    uploads.finish(data, confirmed, {}, docs)
    assert not (data / uploads.STAGING).exists() or not any((data / uploads.STAGING).iterdir())


def test_a_committed_upload_left_in_staging_by_a_kill_is_moved_into_place(tmp_path):
    data = tmp_path / "data"
    left = data / uploads.STAGING / "afgebroken" / "nota.pdf"
    left.parent.mkdir(parents=True)
    left.write_bytes(b"nieuwe versie")
    cited = uploads.folder(data) / "nota.pdf"
    cited.parent.mkdir(parents=True)
    cited.write_bytes(b"oude versie")
    docs = [stored("nota", cited, sha=hashlib.sha256(b"nieuwe versie").hexdigest())]
    uploads.finish(data, uploads.stage(data, [], {}, docs), {}, docs)
    assert cited.read_bytes() == b"nieuwe versie" and not left.exists()


# -- the resolver's rules --------------------------------------------------------------------


def test_resolver_rules(tmp_path):
    a = note_pdf(tmp_path / "a" / "nota-2024.pdf", "stages")
    b = note_pdf(tmp_path / "b" / "Nota (2024).pdf", "bijscholing")
    same = tmp_path / "c" / "andere-naam.pdf"
    same.parent.mkdir()
    shutil.copy(a, same)
    corpus_copy = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus_copy, ignore=shutil.ignore_patterns("*.py", "*.md"))
    known = {"nota-2024": stored("nota-2024", a, file_hash(a))}
    ids = Resolver(known)
    assert ids.resolve(a, file_hash(a))[0] == "nota-2024"  # same source: that document
    other, meta = ids.resolve(b, file_hash(b))
    assert other.startswith("nota-2024-") and meta is None  # same slug, another source: its own id
    assert Resolver(known).resolve(b, file_hash(b))[0] == other  # stable
    assert Resolver(known).resolve(same, file_hash(same))[0] == "nota-2024"  # same content: unchanged
    shipped = corpus_copy / "ptvt-2026-talent.pdf"
    assert Resolver(known).resolve(shipped, file_hash(shipped))[0] == "ptvt-2026-talent"  # the manifest's id
    # two new files of one slug in one run get two ids
    run = Resolver({})
    assert run.resolve(a, file_hash(a))[0] == "nota-2024" and run.resolve(b, file_hash(b))[0] == other


def test_confirmed_update_keeps_the_manifest_metadata(tmp_path):
    shipped = CORPUS / "ptvt-2026-talent.pdf"
    doc = replace(stored("ptvt-2026-talent", shipped, file_hash(shipped)), title="oude titel")
    new = note_pdf(tmp_path / "staging" / "ptvt-2026-talent.pdf", "techniekonderwijs")
    up = Upload(new, tmp_path / "uploads" / "ptvt-2026-talent.pdf", updates="ptvt-2026-talent")
    doc_id, meta = Resolver({doc.id: doc}, [up]).resolve(new, file_hash(new))
    assert doc_id == "ptvt-2026-talent"
    assert meta.title == "Waar is in Nederland talent te winnen?" and meta.year == 2026  # from corpus/manifest.toml
    # a document without a manifest keeps its stored metadata
    elsewhere = replace(doc, path=str(tmp_path / "weg.pdf"))
    _, kept = Resolver({doc.id: elsewhere}, [up]).resolve(new, file_hash(new))
    assert (kept.title, kept.publisher, kept.year) == ("oude titel", "Uitgever", 2024)
    # not confirmed: a new document, even with the shipped document's name
    new_id, _ = Resolver({doc.id: doc}, [replace(up, updates=None)]).resolve(new, file_hash(new))
    assert new_id.startswith("ptvt-2026-talent-")


# -- through the ingest (real model, real store) ---------------------------------------------


def add_upload(data: Path, files: list[tuple[str, bytes]], embedder, chosen=None):
    """What the Toevoegen page does: plan, stage, ingest, finish."""
    from beleidsbank.index.store import Store
    from beleidsbank.ingest.pipeline import ingest

    def documents():
        store = Store.open(data)
        try:
            return store.documents()
        finally:
            store.close()

    docs = documents()
    plan = uploads.plan(files, docs)
    staging = uploads.stage(data, plan, dict(chosen or {}), docs)
    report = None
    try:
        report = ingest([], data, embedder=embedder, uploads=staging.uploads)
    finally:
        before = {d.id: d.path for d in docs}
        replaced = {i: before[i] for i in (report.replaced if report else []) if i in before}
        uploads.finish(data, staging, replaced, documents())
    return plan, staging, report


def docs_of(data: Path) -> dict[str, Document]:
    from beleidsbank.index.store import Store

    store = Store.open(data)
    try:
        return {d.id: d for d in store.documents()}
    finally:
        store.close()


def test_uploads_never_replace_a_document_unasked_and_a_failed_run_changes_nothing(tmp_path, embedder, monkeypatch):
    from beleidsbank.index import snapshot
    from beleidsbank.ingest.pipeline import ingest

    corpus, data = tmp_path / "corpus", tmp_path / "data"
    corpus.mkdir()
    shutil.copy(CORPUS / "manifest.toml", corpus)
    shutil.copy(CORPUS / "ptvt-2026-talent.pdf", corpus)
    ingest([corpus], data, embedder=embedder)
    shipped = docs_of(data)["ptvt-2026-talent"]
    first = note_pdf(tmp_path / "src" / "een.pdf", "stages").read_bytes()
    second = note_pdf(tmp_path / "src" / "twee.pdf", "bijscholing").read_bytes()
    third = note_pdf(tmp_path / "src" / "drie.pdf", "gastlessen").read_bytes()

    # the shipped document's name, not confirmed: a new document; the shipped one is untouched
    plan, _, report = add_upload(data, [("ptvt-2026-talent.pdf", first)], embedder)
    assert [d.id for d in plan[0].matches] == ["ptvt-2026-talent"]
    (new_id,) = report.added
    assert new_id.startswith("ptvt-2026-talent-") and not report.replaced
    assert docs_of(data)["ptvt-2026-talent"] == shipped
    upload_dir = uploads.folder(data)
    assert (upload_dir / "ptvt-2026-talent.pdf").read_bytes() == first

    # confirmed: the shipped document gets the new file and keeps its manifest metadata
    # (the name is now that of two documents: the shipped one and the upload; the user picks one)
    plan, staging, report = add_upload(data, [("ptvt-2026-talent.pdf", second)], embedder, {0: "ptvt-2026-talent"})
    assert [d.id for d in plan[0].matches] == ["ptvt-2026-talent", new_id]
    assert report.replaced == ["ptvt-2026-talent"] and not report.added
    now = docs_of(data)["ptvt-2026-talent"]
    assert (now.title, now.publisher, now.year) == (shipped.title, shipped.publisher, shipped.year)
    assert Path(now.path).read_bytes() == second and Path(now.path).parent == upload_dir.resolve()
    assert (corpus / "ptvt-2026-talent.pdf").read_bytes() == (CORPUS / "ptvt-2026-talent.pdf").read_bytes()
    assert not any(staging.folder.parent.iterdir())  # nothing staged is left

    # a run that fails while writing the index: the previous file and the index stay as they were
    before = docs_of(data)

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(snapshot, "write_indexes", disk_full)
    with pytest.raises((OSError, StoreError)):
        add_upload(data, [("ptvt-2026-talent.pdf", third)], embedder, {0: "ptvt-2026-talent"})
    monkeypatch.undo()
    assert docs_of(data) == before
    assert Path(before["ptvt-2026-talent"].path).read_bytes() == second
    assert (upload_dir / "ptvt-2026-talent.pdf").read_bytes() == first
    assert sorted(p.name for p in upload_dir.iterdir()) == ["ptvt-2026-talent-2.pdf", "ptvt-2026-talent.pdf"]
    assert not any(staging.folder.parent.iterdir())

    # two files of one name in one upload: both are ingested, each under its own name and id
    fourth = note_pdf(tmp_path / "src" / "vier.pdf", "werkplekleren").read_bytes()
    plan, _, report = add_upload(data, [("verslag.pdf", third), ("verslag.pdf", fourth)], embedder)
    assert len(report.added) == 2 and report.added[0] == "verslag" and not report.skipped
    assert {Path(docs_of(data)[i].path).name for i in report.added} == {"verslag.pdf", "verslag-2.pdf"}


def test_cli_ingest_updates_by_source_path_and_never_by_slug(tmp_path, embedder):
    from beleidsbank.ingest.pipeline import ingest

    data = tmp_path / "data"
    a = note_pdf(tmp_path / "a" / "nota-2024.pdf", "stages")
    ingest([a], data, embedder=embedder)
    b = note_pdf(tmp_path / "b" / "Nota (2024).pdf", "bijscholing")
    report = ingest([b], data, embedder=embedder)  # slugs to the same id: gets its own
    (other,) = report.added
    assert other.startswith("nota-2024-") and set(docs_of(data)) == {"nota-2024", other}
    note_pdf(a, "gastlessen")  # a new version at the same path updates its document
    report = ingest([a], data, embedder=embedder)
    assert report.replaced == ["nota-2024"] and not report.added
    assert ingest([tmp_path], data, embedder=embedder).unchanged == ["nota-2024", other]


def test_app_asks_before_an_upload_updates_a_document(monkeypatch, tmp_path, embedder):
    from streamlit.testing.v1 import AppTest

    data = tmp_path / "data"
    monkeypatch.setenv("BELEIDSBANK_DATA", str(data))
    first = note_pdf(tmp_path / "src" / "een.pdf", "stages").read_bytes()
    second = note_pdf(tmp_path / "src" / "twee.pdf", "bijscholing").read_bytes()
    app = str(Path(__file__).resolve().parent.parent / "ui" / "app.py")
    at = AppTest.from_file(app, default_timeout=300).run()
    at.switch_page("views/toevoegen.py").run()

    def upload(*files):
        at.file_uploader(key="upload_pdfs").set_value([(n, b, "application/pdf") for n, b in files]).run()
        next(b for b in at.button if b.label == "Toevoegen aan de index").click().run()
        assert not at.exception, at.exception

    upload(("nota.pdf", first))
    assert any("1 nieuw" in s.value for s in at.success) and not at.checkbox
    assert str(data) not in " ".join(c.value for c in at.caption)  # no server path on the page
    # the name of a stored document: nothing happens before the user answers; cancelling changes nothing
    upload(("nota.pdf", second))
    assert [c.key for c in at.checkbox] == ["bijwerken-0"] and "Bestaand document" in at.checkbox[0].label
    next(b for b in at.button if b.label == "Annuleren").click().run()
    assert not at.checkbox and (uploads.folder(data) / "nota.pdf").read_bytes() == first
    # not ticked: a new document of its own; two files of one name in one upload: both reported
    upload(("nota.pdf", second), ("nota.pdf", second[:200]))
    next(b for b in at.button if b.label == "Doorgaan").click().run()
    assert any("1 nieuw" in w.value and "1 overgeslagen" in w.value for w in [*at.warning, *at.success])
    assert list(at.get("dataframe")[0].value["bestand"]) == ["nota-3.pdf"]
    assert any("een ander bestand in deze upload heeft dezelfde naam" in c.value for c in at.caption)
    assert (uploads.folder(data) / "nota.pdf").read_bytes() == first
    assert (uploads.folder(data) / "nota-2.pdf").read_bytes() == second
    assert sorted(p.name for p in uploads.folder(data).iterdir()) == ["nota-2.pdf", "nota.pdf"]
