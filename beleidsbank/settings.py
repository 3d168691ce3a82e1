"""Every setting of beleidsbank: the environment variables and the tuning parameters.

This is the one module that reads the environment for a setting. `Settings.from_env()` is
called once where work starts (a CLI command, the app, a public API call) and the result is
passed in from there; the parameter groups (`SearchParams`, `LinkParams`, `ThemeParams`,
`AdviseParams` from params.py, and `EmbedParams`) go to the functions that use them, whose
defaults are their plain instances, so a plain call behaves as documented here. Nothing in
this module (or params.py) imports the rest of the project.

Environment variables (all optional):

==============================  ==========================================================
BELEIDSBANK_DATA                data directory (else $XDG_DATA_HOME/beleidsbank, else
                                ~/.local/share/beleidsbank); ``--data-dir`` overrides it
BELEIDSBANK_MODEL               sentence-transformers model, name or folder (else the
                                default multilingual-e5-small); ``--model`` overrides it
BELEIDSBANK_MODEL_CACHE         where the default model is built (else
                                $XDG_CACHE_HOME/beleidsbank/models, ~/.cache/...)
BELEIDSBANK_DEVICE              cpu, cuda, cuda:1, mps (else CUDA when torch sees one)
BELEIDSBANK_BF16                0/1: bfloat16 batches on the CPU (else: when it is native)
BELEIDSBANK_QUERY_THREADS       torch threads for one query on the CPU
BELEIDSBANK_PARSE_TIMEOUT       seconds a PDF may take to parse, before its per-page
                                allowance; 0 parses in-process without a limit
BELEIDSBANK_DELTA_MIN_BASE      passages a store needs before index deltas are written
BELEIDSBANK_DELTA_MAX_FRACTION  share of the base a delta may change
BELEIDSBANK_LOCK_WAIT           seconds a write (ingest, remove) waits for another writer
BELEIDSBANK_APP_HOST            the address the app listens on (`beleidsbank app` sets it):
                                the app asks for a login when accounts exist and this is
                                not this computer only (127.0.0.1, ::1, localhost)
BELEIDSBANK_APP_LOGIN           1: the app asks for a login whenever accounts exist, also on
                                127.0.0.1 (behind a reverse proxy; `beleidsbank app --login`)
BELEIDSBANK_API_RATE            requests per second one API client may make on average
                                (`beleidsbank serve`); 0: no limit
BELEIDSBANK_API_BURST           requests one API client may make at once before the rate
                                applies
BELEIDSBANK_TEST_EVENTS         for the kill test only: "W,R", two file descriptors; a
                                writer reports each step of its write transaction on W
                                and waits for one byte on R before it goes on
==============================  ==========================================================
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

# the tuning parameters of search, links, themes and advice, in a module of their own
from .params import AdviseParams, LinkParams, SearchParams, ThemeParams

ENV_DATA = "BELEIDSBANK_DATA"
ENV_MODEL = "BELEIDSBANK_MODEL"
ENV_MODEL_CACHE = "BELEIDSBANK_MODEL_CACHE"
ENV_DEVICE = "BELEIDSBANK_DEVICE"
ENV_BF16 = "BELEIDSBANK_BF16"
ENV_QUERY_THREADS = "BELEIDSBANK_QUERY_THREADS"
ENV_PARSE_TIMEOUT = "BELEIDSBANK_PARSE_TIMEOUT"
ENV_DELTA_MIN_BASE = "BELEIDSBANK_DELTA_MIN_BASE"
ENV_DELTA_MAX_FRACTION = "BELEIDSBANK_DELTA_MAX_FRACTION"
ENV_LOCK_WAIT = "BELEIDSBANK_LOCK_WAIT"
ENV_APP_HOST = "BELEIDSBANK_APP_HOST"
ENV_APP_LOGIN = "BELEIDSBANK_APP_LOGIN"
ENV_TEST_EVENTS = "BELEIDSBANK_TEST_EVENTS"
ENV_API_RATE = "BELEIDSBANK_API_RATE"
ENV_API_BURST = "BELEIDSBANK_API_BURST"

# switches of the libraries we use (not our settings): quiet, and no tokenizer threads that
# a forked parser process would inherit; a value the user set is kept
LIBRARY_ENV = {
    "TOKENIZERS_PARALLELISM": "false",
    "TRANSFORMERS_VERBOSITY": "error",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
}


class SettingsError(ValueError):
    """An environment variable with a value that cannot be used (Dutch message for users)."""


@dataclass(frozen=True)
class ApiParams:
    """The REST API (`beleidsbank serve`, beleidsbank/server*.py): its limits per request and client."""

    rate: float = 10.0
    """Requests per second one client (its token, else its address) may make on average (a token
    bucket); 0: no limit. A person's notebook or dashboard stays far below it; a loop that would
    starve the other users of one server gets 429 answers."""
    burst: int = 30
    """Requests a client may make at once before `rate` applies (the bucket's size)."""
    page_size: int = 100
    """Items of a list answer (documents, passages, statements, links, find hits) without `limit`."""
    max_page_size: int = 1000
    """The largest `limit` a list answer takes."""
    max_upload_mb: int = 200
    """The largest upload, in MB: the app's own limit per file (Streamlit's upload limit)."""


@dataclass(frozen=True)
class AccessParams:
    """Accounts (index/access.py): login rate limit, session length, password hashing cost."""

    max_failures: int = 5
    """Failed logins for one name from one client within `failure_window_s` before further
    tries are refused until the oldest of them is that old: slows guessing to a few per window
    and lets a user who mistyped try again after a while."""
    failure_window_s: float = 900.0
    """The window of `max_failures`, in seconds."""
    session_hours: float = 12.0
    """How long an app login lasts (a working day), after which the app asks again."""
    scrypt_n: int = 2**14
    """scrypt's cost (a power of two; r=8, p=1): about 16 MB and a few tens of ms per hash, the
    interactive-login figure of the scrypt paper. Stored with each hash, so raising it keeps old
    passwords valid."""


@dataclass(frozen=True)
class EmbedParams:
    """Where and how the embedding model runs (index/embed.py, index/e5_model.py)."""

    device: str | None = None
    """cpu, cuda, cuda:1, mps; None: CUDA when torch sees a GPU, else the CPU."""
    bf16: bool | None = None
    """bfloat16 autocast for batches on the CPU; None: when the CPU computes it natively."""
    query_threads: int = 1
    """torch threads for one query on the CPU: a short query gains little from a second
    thread, and on a busy machine two threads wait for each other."""
    model_cache: Path | None = None
    """Folder the default model is built into; None: `default_model_cache()`."""
    cpu_streams: int | None = None
    """Batches embedded side by side on the CPU, one torch thread each; None: one per core."""


def default_data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """$XDG_DATA_HOME/beleidsbank, else ~/.local/share/beleidsbank."""
    base = (environ or {}).get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return (Path(base) / "beleidsbank").resolve()


def default_model_cache(environ: Mapping[str, str] | None = None) -> Path:
    """$XDG_CACHE_HOME/beleidsbank/models, else ~/.cache/beleidsbank/models."""
    xdg = (environ or {}).get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "beleidsbank" / "models"


def repo_corpus() -> Path:
    """The shipped corpus folder of a source checkout."""
    return Path(__file__).resolve().parent.parent / "corpus"


@dataclass(frozen=True)
class Settings:
    """All settings of one run. `Settings()` holds the defaults; `Settings.from_env()` reads
    the environment (see the module doc); `replace` gives a copy with some fields changed."""

    data_dir: Path = field(default_factory=default_data_dir)
    """The data directory: the store, index files, uploads and export lists."""
    model: str | None = None
    """sentence-transformers model, name or folder; None: the default (multilingual-e5-small)."""
    model_cache: Path = field(default_factory=default_model_cache)
    """Folder the default model is built into, once per machine."""
    device: str | None = EmbedParams.device
    """See `EmbedParams.device`."""
    bf16: bool | None = EmbedParams.bf16
    """See `EmbedParams.bf16`."""
    query_threads: int = EmbedParams.query_threads
    """See `EmbedParams.query_threads`."""
    parse_timeout: float = 120.0
    """Seconds a PDF may take to parse in its own process before it is skipped ("tijdslimiet");
    0 parses in-process without a limit (for debugging)."""
    parse_timeout_per_page: float = 0.5
    """Seconds added to `parse_timeout` per page, once the pages are counted: a long report
    legitimately takes longer; a looping one-page file gets the base."""
    delta_min_base: int = 20000
    """Below this many passages an ingest rebuilds the index files (about a second); from it on,
    a small change is written as a delta on the previous files."""
    delta_max_fraction: float = 0.10
    """A change above this share of the base passages rebuilds (and re-chooses the index type)."""
    lock_wait: float = 300.0
    """Seconds an ingest, removal or correction waits for another writer of the same data
    directory (with a message) before it gives up; an ingest waits before it parses anything."""
    app_host: str = ""
    """The address the app listens on; empty: not known (the app then asks Streamlit, whose own
    default is every address)."""
    app_login: bool = False
    """Ask for a login whenever accounts exist, wherever the app listens (a reverse proxy on the
    same computer reaches it on 127.0.0.1 for users elsewhere)."""
    test_events: str = ""
    """The kill test's hook ("W,R" file descriptors, see the module doc); empty: none."""
    search: SearchParams = SearchParams()
    """Hybrid search: candidates per side, the lexical weight, the longest query."""
    links: LinkParams = LinkParams()
    """Recommendation-problem links: weights, threshold, list lengths."""
    themes: ThemeParams = ThemeParams()
    """Themes: seed, topics of the word view, number and size of themes."""
    advise: AdviseParams = AdviseParams()
    """Advice answers: signal weights, grouping and "no advice" thresholds."""
    api: ApiParams = ApiParams()
    """The REST API: rate limit per client, page sizes, the largest upload."""
    access: AccessParams = AccessParams()
    """Accounts: login rate limit, session length, password hashing cost."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "data_dir", Path(self.data_dir))
        object.__setattr__(self, "model_cache", Path(self.model_cache))

    @property
    def embedding(self) -> EmbedParams:
        """The embedding fields as the group `Embedder` takes."""
        return EmbedParams(self.device, self.bf16, self.query_threads, self.model_cache)

    def replace(self, **changes) -> Settings:
        """A copy with `changes` applied (for example `s.replace(parse_timeout=0)`)."""
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        data_dir: str | os.PathLike | None = None,
        model: str | None = None,
    ) -> Settings:
        """Settings from the environment (`os.environ` unless `environ` is given); an explicit
        `data_dir` or `model` (command-line options) wins over its variable. Raises
        `SettingsError` for a value that is not a number where one is needed."""
        env = os.environ if environ is None else environ
        base = cls()
        cache = env.get(ENV_MODEL_CACHE)
        return cls(
            data_dir=_data_dir(data_dir, env),
            model=model or env.get(ENV_MODEL) or None,
            model_cache=Path(cache).expanduser() if cache else default_model_cache(env),
            device=env.get(ENV_DEVICE, "").strip() or None,
            bf16=_flag(env.get(ENV_BF16, "")),
            query_threads=_number(env, ENV_QUERY_THREADS, int, base.query_threads),
            parse_timeout=_number(env, ENV_PARSE_TIMEOUT, float, base.parse_timeout),
            parse_timeout_per_page=base.parse_timeout_per_page,
            delta_min_base=_number(env, ENV_DELTA_MIN_BASE, int, base.delta_min_base),
            delta_max_fraction=_number(env, ENV_DELTA_MAX_FRACTION, float, base.delta_max_fraction),
            lock_wait=_number(env, ENV_LOCK_WAIT, float, base.lock_wait),
            app_host=env.get(ENV_APP_HOST, "").strip(),
            app_login=bool(_flag(env.get(ENV_APP_LOGIN, ""))),
            test_events=env.get(ENV_TEST_EVENTS, "").strip(),
            api=ApiParams(
                rate=_number(env, ENV_API_RATE, float, ApiParams.rate),
                burst=_number(env, ENV_API_BURST, int, ApiParams.burst),
            ),
        )

    def child_environ(self) -> dict[str, str]:
        """The environment for a child process (the app server) that reads these settings again:
        this process's environment with the data directory and the model choice set."""
        env = dict(os.environ, **{ENV_DATA: str(self.data_dir)})
        if self.model:
            env[ENV_MODEL] = self.model
        if self.app_host:
            env[ENV_APP_HOST] = self.app_host
        if self.app_login:
            env[ENV_APP_LOGIN] = "1"
        return env


def is_loopback(host: str) -> bool:
    """Whether `host` only reaches this computer (127.0.0.0/8, ::1, localhost)."""
    import ipaddress

    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def _data_dir(explicit: str | os.PathLike | None, env: Mapping[str, str]) -> Path:
    """--data-dir, else $BELEIDSBANK_DATA, else `default_data_dir`."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    if env.get(ENV_DATA):
        return Path(env[ENV_DATA]).expanduser().resolve()
    return default_data_dir(env)


def _flag(value: str) -> bool | None:
    """'' -> None (decide by the machine); '0', 'false', 'no' -> False; anything else -> True."""
    value = value.strip()
    if not value:
        return None
    return value not in ("0", "false", "no")


def _number(env: Mapping[str, str], name: str, kind: type, default):
    value = env.get(name, "").strip()
    if not value:
        return default
    try:
        return kind(value)
    except ValueError:
        word = "een geheel getal" if kind is int else "een getal"
        raise SettingsError(f"{name} moet {word} zijn, niet '{value}'.") from None


def quiet_libraries() -> None:
    """Set the libraries' own switches (`LIBRARY_ENV`) where the user has not; call before
    the libraries are imported."""
    for name, value in LIBRARY_ENV.items():
        os.environ.setdefault(name, value)
