"""Fuzz tests (hypothesis) of every command line entry point and of the saved-list loader.

Each command of `beleidsbank` is run in-process (click's CliRunner) with arguments drawn from its
own options: text of any kind (control characters, bidi marks, lone surrogates as the shell hands
over invalid UTF-8, very long), numbers far out of range, repeated options and unknown ones.
Query files and gold files are drawn as bytes and as JSON lines of any shape. A command may
succeed or refuse; it must end with exit status 0-3 (3: ingest skipped files), never with an exception or a traceback.
The data directory is a real, empty store, so no command gets as far as loading the model.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beleidsbank import cli
from beleidsbank.index.store import Store
from beleidsbank.ui import exportlist

# commands that would start a server or write into the data directory are fuzzed where their
# parsing ends; `app` runs with the server start replaced (`no_server`)
COMMANDS = sorted(cli.main.commands)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)

texts = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=20),
    st.sampled_from(["", " ", "\x1b[2J", "\u202enohtyp", "\ud800", "%", "_", "..", "/", "-1", "0"]),
    st.just("99999999999999999999"),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.just("x" * 5000),
)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fuzzdata") / "data"
    Store.create(path).close()
    return path


@pytest.fixture(autouse=True)
def no_server(monkeypatch):
    """`beleidsbank app` would start Streamlit and `serve` uvicorn: the fuzz stops where the
    command hands over."""
    import subprocess

    import uvicorn

    def refuse(*args, **kwargs):
        raise SystemExit(0)

    monkeypatch.setattr(subprocess, "run", refuse)
    monkeypatch.setattr(subprocess, "call", refuse)
    monkeypatch.setattr(subprocess, "Popen", refuse)
    monkeypatch.setattr(uvicorn, "run", refuse)


def check(result, argv) -> None:
    """Exit 0, 1, 2 (usage) or 3 (ingest: files skipped), no exception, no traceback."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{argv!r} raised {result.exception!r}") from result.exception
    assert result.exit_code in (0, 1, 2, 3), (argv, result.exit_code, result.output)
    assert "Traceback" not in result.output, (argv, result.output)


def invoke(argv: list[str], data_dir: Path, env: dict | None = None):
    runner = CliRunner()
    env = {"BELEIDSBANK_DATA": str(data_dir), **(env or {})}
    # in a folder of its own: a command whose argument names a path to write (a backup, an
    # export) must not leave the drawn names in the working directory
    with runner.isolated_filesystem(temp_dir=data_dir.parent):
        result = runner.invoke(cli.main, argv, env=env, catch_exceptions=True)
    check(result, argv)
    return result


def as_argv(value: str) -> str:
    """`value` as the operating system hands an argument over: bytes, decoded with
    surrogateescape (text that is no UTF-8, a lone surrogate, arrives as escaped bytes)."""
    return value.encode("utf-8", "surrogatepass").decode("utf-8", "surrogateescape")


def option_values(option: click.Option, draw) -> list[str]:
    """One occurrence of `option` with a drawn value (a flag has none)."""
    name = draw(st.sampled_from(option.opts))
    if option.is_flag or option.count:
        return [name]
    if option.name in ("data_dir", "output", "queries", "model"):
        return []  # paths and models are drawn apart (files below; an unknown model is its own test)
    return [name, as_argv(draw(texts))]


@st.composite
def command_lines(draw, command: str) -> list[str]:
    cmd = cli.main.commands[command]
    options = [p for p in cmd.params if isinstance(p, click.Option)]
    argv = [command]
    for option in draw(st.lists(st.sampled_from(options), max_size=6)) if options else []:
        argv += option_values(option, draw)
    if any(isinstance(p, click.Argument) for p in cmd.params):
        # positional values that cannot name a real path on this machine
        argv += [as_argv(f"fuzz-{draw(texts)}"[:300]) for _ in range(draw(st.integers(0, 2)))]
    if draw(st.booleans()):
        argv.append(draw(st.sampled_from(["--onbekend", "-", "--", "--json=ja"])))
    return argv


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_refuses_bad_arguments_in_dutch_without_a_traceback(command, data_dir):
    @FUZZ
    @given(st.data())
    def run(data):
        invoke(data.draw(command_lines(command)), data_dir)

    run()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(10**40), max_value=10**40) | st.floats(allow_nan=True) | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(["id", "query", "x"]) | texts, inner),
    max_leaves=12,
)
query_lines = st.one_of(
    st.dictionaries(st.sampled_from(["id", "query", "relevant", "lang"]), json_values).map(
        lambda d: json.dumps(d, ensure_ascii=False)
    ),
    json_values.map(lambda v: json.dumps(v)),
    texts,
    st.just("[" * 5000),
)
files = st.one_of(
    st.binary(max_size=300),
    st.lists(query_lines, max_size=5).map(lambda lines: "\n".join(lines).encode("utf-8", "surrogatepass")),
    st.sampled_from([b"", b"\xef\xbb\xbf", b"\xef\xbb\xbf" + b'{"id": 1, "query": "x"}', b'{"query": null}']),
)


@pytest.mark.parametrize("command", ["search", "advise", "eval"])
def test_query_and_gold_files_are_read_safely(command, data_dir, tmp_path):
    @FUZZ
    @given(files)
    def run(content):
        path = tmp_path / "vragen.jsonl"
        path.write_bytes(content)
        argv = [command, str(path)] if command == "eval" else [command, "--queries", str(path), "--json"]
        invoke(argv, data_dir)

    run()


def test_an_unknown_model_is_refused_in_dutch(data_dir):
    result = invoke(["search", "lerarentekort", "--model", "fuzz/geen-model-\u202e"], data_dir)
    assert result.exit_code != 0


@FUZZ
@given(st.one_of(st.binary(max_size=2000), json_values.map(lambda v: json.dumps(v, ensure_ascii=False))))
def test_the_saved_list_loader_keeps_valid_lists_or_refuses(data):
    try:
        items = exportlist.loads(data)
    except exportlist.ExportListError as exc:
        assert str(exc).strip()
        return
    assert isinstance(items, list)
    json.dumps(items, ensure_ascii=False).encode("utf-8")  # what is kept exports again
