"""Where things live: the data directory and the model choice."""
from __future__ import annotations

import os
from pathlib import Path

ENV_DATA = "BELEIDSBANK_DATA"
ENV_MODEL = "BELEIDSBANK_MODEL"


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """--data-dir, else $BELEIDSBANK_DATA, else $XDG_DATA_HOME/beleidsbank (~/.local/share/beleidsbank)."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    if os.environ.get(ENV_DATA):
        return Path(os.environ[ENV_DATA]).expanduser().resolve()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return (Path(base) / "beleidsbank").resolve()


def model_choice(explicit: str | None = None) -> str | None:
    return explicit or os.environ.get(ENV_MODEL) or None


def repo_corpus() -> Path:
    """The shipped corpus folder of a source checkout."""
    return Path(__file__).resolve().parent.parent / "corpus"
