"""Hostile or broken command-line input ends in a Dutch message and exit status 1, never a
traceback (issue 17). The store is not needed: input is checked before it is opened."""

import json

import pytest
from click.testing import CliRunner

from beleidsbank.cli import main


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\xff\xfe{not utf-8", "geen UTF-8"),
        (b'{"id": "q1", "query": null}\n', '"query" moet tekst zijn'),
        (b'{"id": "q1", "query": "  "}\n', '"query" is leeg'),
        (b'{"id": "q1", "query": "a\\ud800b"}\n', "geen geldige UTF-8"),
        (b"[" * 100_000 + b"\n", "verwacht een JSON-object"),
        (b'{"id": [1], "query": "x"}\n', '"id" moet tekst of een getal zijn'),
        (b"\n\n", "bevat geen vragen"),
    ],
)
def test_bad_query_files(tmp_path, content, message):
    path = tmp_path / "vragen.jsonl"
    path.write_bytes(content)
    result = run("search", "--queries", path, "--data-dir", tmp_path / "data")
    assert result.exit_code == 1 and message in result.output
    assert str(tmp_path) not in result.output  # no server path, only the file's name
    assert not (tmp_path / "data").exists()  # nothing was created


def test_query_argument_and_filters(tmp_path):
    data = tmp_path / "data"
    assert "geen geldige UTF-8" in run("search", "a\udcffb", "--data-dir", data).output
    assert run("search", "x", "--year", "99999999999999999999", "--data-dir", data).exit_code == 2
    many = [a for _ in range(60) for a in ("--publisher", "x")]
    result = run("search", "x", *many, "--data-dir", data)
    assert result.exit_code == 1 and "het maximum is 50" in result.output
    assert run("search", "x", "-k", "-1", "--data-dir", data).exit_code == 2
    assert not data.exists()


def test_a_bom_is_not_an_error_and_search_without_index_says_so(tmp_path):
    path = tmp_path / "vragen.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"id": "q1", "query": "techniek"}).encode() + b"\n")
    result = run("search", "--queries", path, "--data-dir", tmp_path / "data")
    assert result.exit_code == 1 and "Fout:" in result.output and "JSON-object" not in result.output
    assert not (tmp_path / "data").exists()


@pytest.mark.parametrize(
    "content, message",
    [(b"", "bevat geen regels"), (b"{kapot\n", "regel 1: geen geldige JSON"), (b"[1]\n", "verwacht een JSON-object")],
)
def test_eval_on_bad_gold_files(tmp_path, content, message):
    path = tmp_path / "gold.jsonl"
    path.write_bytes(content)
    result = run("eval", path, "--data-dir", tmp_path / "data")
    assert result.exit_code == 1 and message in result.output


def test_names_reach_the_terminal_without_escapes(capsys):
    from beleidsbank.cli import _Progress
    from beleidsbank.ui.present import safe, safe_name

    crafted = "rapport\x1b[2J\x1b]0;titel\x07\nregel2\u202egnp.pdf"
    progress = _Progress(True)
    progress("parse", 1, 2, crafted)
    progress.close()
    err = capsys.readouterr().err
    assert "\x1b]0" not in err and "\x1b[2J" not in err and "\u202e" not in err and "regel2" in err
    assert "\n" not in safe_name(crafted) and "\u202e" not in safe(crafted)


def test_a_model_that_cannot_be_built_ends_in_dutch(tmp_path):
    """A model cache folder that cannot be made (here: below a file) is a Dutch message, exit 1."""
    from tests import pdf_factory

    pdf = pdf_factory.bullets_pdf(tmp_path / "a.pdf")
    (tmp_path / "blok").write_text("")
    env = {"BELEIDSBANK_MODEL_CACHE": str(tmp_path / "blok" / "models")}
    result = CliRunner().invoke(main, ["ingest", str(pdf), "--data-dir", str(tmp_path / "d"), "--quiet"], env=env)
    assert result.exit_code == 1, result.output
    assert "taalmodel" in result.output and "Traceback" not in result.output
