"""The public API: `from beleidsbank import Searcher, ingest, Settings`, end to end, and its settings."""

from __future__ import annotations

import subprocess
import sys

import pytest

from beleidsbank.settings import LinkParams, SearchParams, Settings, SettingsError, ThemeParams
from tests import pdf_factory as f


def _python(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_importing_a_stage_or_the_api_loads_no_model_library():
    code = (
        "import sys, beleidsbank.index.store, beleidsbank.ingest.pipeline\n"
        "from beleidsbank import Searcher, Settings, ingest\n"
        "print(sorted(m for m in ('torch', 'sentence_transformers') if m in sys.modules))"
    )
    assert _python(code) == "[]"


def test_ingest_is_callable_whatever_was_imported_first():
    # the stage package and the public function share the name beleidsbank.ingest
    assert (
        _python(
            "from beleidsbank import ingest; import beleidsbank.ingest.limits as l; "
            "import beleidsbank; print(callable(ingest), beleidsbank.ingest is ingest)"
        )
        == "True True"
    )
    assert (
        _python("import beleidsbank.ingest.pipeline; from beleidsbank import ingest; print(callable(ingest))") == "True"
    )


def test_settings_from_env_reads_every_variable(tmp_path):
    env = {
        "BELEIDSBANK_DATA": str(tmp_path / "d"),
        "BELEIDSBANK_MODEL": "some/model",
        "BELEIDSBANK_MODEL_CACHE": str(tmp_path / "m"),
        "BELEIDSBANK_DEVICE": " cpu ",
        "BELEIDSBANK_BF16": "0",
        "BELEIDSBANK_QUERY_THREADS": "2",
        "BELEIDSBANK_PARSE_TIMEOUT": "0",
        "BELEIDSBANK_DELTA_MIN_BASE": "5",
        "BELEIDSBANK_DELTA_MAX_FRACTION": "0.5",
    }
    s = Settings.from_env(env)
    assert (s.data_dir, s.model, s.model_cache) == ((tmp_path / "d").resolve(), "some/model", tmp_path / "m")
    assert (s.device, s.bf16, s.query_threads) == ("cpu", False, 2)
    assert (s.parse_timeout, s.delta_min_base, s.delta_max_fraction) == (0.0, 5, 0.5)
    assert s.embedding.device == "cpu" and s.embedding.model_cache == tmp_path / "m"
    # options win over variables; nothing set gives the defaults
    assert Settings.from_env(env, data_dir=tmp_path / "x", model="other").data_dir == (tmp_path / "x").resolve()
    assert Settings.from_env(env, model="other").model == "other"
    plain = Settings.from_env({"XDG_DATA_HOME": str(tmp_path / "xdg")})
    assert plain.data_dir == (tmp_path / "xdg" / "beleidsbank").resolve()
    assert plain.replace(data_dir=tmp_path) == Settings.from_env({}, data_dir=tmp_path)
    assert (plain.device, plain.bf16, plain.query_threads, plain.parse_timeout) == (None, None, 1, 120.0)
    assert (plain.search, plain.links, plain.themes) == (SearchParams(), LinkParams(), ThemeParams())
    with pytest.raises(SettingsError, match="BELEIDSBANK_QUERY_THREADS"):
        Settings.from_env({"BELEIDSBANK_QUERY_THREADS": "veel"})


def test_ingest_and_search_through_the_public_api(tmp_path, embedder):
    from beleidsbank import Searcher, ingest

    settings = Settings.from_env({}, data_dir=tmp_path / "data")
    pdf = f.headings_pdf(tmp_path / "nota.pdf")
    report = ingest(pdf, settings, embedder=embedder)
    assert report.added == ["nota"] and not report.skipped and report.passages > 0
    searcher = Searcher(settings, embedder=embedder)
    try:
        hits = searcher.search("regionale aanpak van het tekort aan technici", k=3)
        lexical = searcher.search("Knelpunten", k=3, mode="lexical")
    finally:
        searcher.close()
    assert hits and all(h.doc_id == "nota" for h in hits) and lexical
    assert hits[0].page >= 1 and hits[0].section_path
    assert (settings.data_dir / "beleidsbank.sqlite").is_file()
