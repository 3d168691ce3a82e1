"""Unreadable PDFs are reported by name with a reason, skipped, and the rest is ingested."""

import re
import subprocess
import sys

import pytest

from beleidsbank.index.store import Store
from beleidsbank.ingest.pdf_reader import PdfRejected, read_pdf
from beleidsbank.ingest.pipeline import ingest
from tests import pdf_factory as f

BAD = {
    "kapot.pdf": (f.corrupt_pdf, "beschadigd"),
    "afgebroken.pdf": (f.truncated_pdf, "beschadigd"),
    "geheim.pdf": (f.encrypted_pdf, "versleuteld"),
    "scan.pdf": (f.picture_scan_pdf, "geen-tekst"),  # a scan of text is read by OCR (test_ocr.py)
    "leeg.pdf": (f.empty_file, "leeg"),
    "zip vermomd als pdf.pdf": (f.not_a_pdf, "geen-pdf"),
    "lus.pdf": (f.malformed_loop_pdf, "beschadigd"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_reader_rejects_with_reason(tmp_path, name):
    make, code = BAD[name]
    path = make(tmp_path / name)
    with pytest.raises(PdfRejected) as err:
        read_pdf(path)
    assert err.value.code == code
    assert err.value.message  # Dutch text for users
    # the PDF library's own (English) words go to the detail, not into what users read
    assert not re.search(r"\b(stream|unexpected|error|invalid|object|the|has)\b", err.value.message, re.I), (
        err.value.message
    )


def test_empty_user_password_is_readable(tmp_path):
    path = f.encrypted_pdf(tmp_path / "open.pdf", user_password="")
    content = read_pdf(path)
    assert "Techniekpact" in " ".join(ln.text for p in content.pages for ln in p.lines) or content.pages


def test_folder_with_bad_files_ingests_the_good_ones(tmp_path, embedder):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, (make, _) in BAD.items():
        make(folder / name)
    f.headings_pdf(folder / "Nota 'techniek' (2021) – één.pdf")
    data = tmp_path / "data"
    report = ingest([folder], data, embedder=embedder)
    assert report.added == ["nota-techniek-2021-een"]
    assert {s.path.split("/")[-1]: s.code for s in report.skipped} == {n: c for n, (_, c) in BAD.items()}
    store = Store.open(data)
    assert [d.id for d in store.documents()] == ["nota-techniek-2021-een"]
    assert store.documents()[0].title  # from the first heading, since the PDF has no real title
    store.close()


def test_cli_exit_status_and_messages(tmp_path, corpus_data):
    bad = f.corrupt_pdf(tmp_path / "kapot.pdf")
    out = subprocess.run(
        [sys.executable, "-m", "beleidsbank.cli", "ingest", str(bad), "--quiet", "--data-dir", str(corpus_data)],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 3
    assert "overgeslagen" in out.stderr and "kapot.pdf" in out.stderr and "beschadigd" in out.stderr
    assert len(Store.open(corpus_data).documents()) == 5  # nothing lost


def test_a_pdf_with_more_pages_than_the_bound_is_refused_before_it_is_read(tmp_path, monkeypatch):
    """The parse time grows with the pages: past `MAX_PAGES` a file is refused with its count."""
    from beleidsbank.ingest import pdf_reader

    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 3)
    path = f.write_text_pdf(tmp_path / "lang.pdf", [["Een pagina met tekst over techniek."]] * 4)
    with pytest.raises(PdfRejected) as err:
        read_pdf(path)
    assert err.value.code == "te-groot" and "4 pagina's" in err.value.message
