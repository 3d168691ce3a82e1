"""The learned link scorer: logistic regression over the pair features of link_features.py.

What ships is a small JSON (index/data/link_scorer.json): the feature names, their means and
spreads, the coefficients, the bias and a threshold per scope (same document, other
documents), scored with numpy. A file that is missing, unreadable or names other features
gives `None`, and links.py falls back to the hand-weighted score. Fitted by
`python -m benchmarks.train_links` on the team's judged pairs (training/links.jsonl).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .link_features import FEATURES

VERSION = 1
DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "link_scorer.json"


@dataclass(frozen=True)
class LinkScorer:
    names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    bias: float
    threshold_same: float = 0.0
    threshold_cross: float = 0.0

    def score(self, x: np.ndarray) -> np.ndarray:
        """Probability that each pair (a row of `x`) is a link."""
        z = ((x - self.mean) / self.scale) @ self.coef + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def to_json(self) -> dict:
        return {
            "version": VERSION,
            "features": list(self.names),
            "mean": [round(float(v), 6) for v in self.mean],
            "scale": [round(float(v), 6) for v in self.scale],
            "coef": [round(float(v), 6) for v in self.coef],
            "bias": round(float(self.bias), 6),
            "threshold_same": round(float(self.threshold_same), 4),
            "threshold_cross": round(float(self.threshold_cross), 4),
        }

    def save(self, path: Path = DEFAULT_PATH) -> None:
        Path(path).write_text(json.dumps(self.to_json(), indent=1) + "\n", encoding="utf-8")


def hand_only() -> LinkScorer:
    """The hand formula's score over the nearest-neighbour candidates, no threshold (benchmarks)."""
    coef = np.array([1.0 if n == "hand" else 0.0 for n in FEATURES])
    zero, one = np.zeros(len(FEATURES)), np.ones(len(FEATURES))
    return LinkScorer(FEATURES, zero, one, coef, 0.0, -np.inf, -np.inf)


def load(path: Path | None = DEFAULT_PATH) -> LinkScorer | None:
    """The scorer stored at `path`, or None when it is absent, unreadable, of another version
    or over other features than link_features.FEATURES (then the hand formula ranks)."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
        if raw.get("version") != VERSION or tuple(raw["features"]) != FEATURES:
            return None
        arrays = [np.asarray(raw[k], dtype=np.float64) for k in ("mean", "scale", "coef")]
        if any(a.shape != (len(FEATURES),) for a in arrays):
            return None
        return LinkScorer(
            FEATURES,
            *arrays,
            float(raw["bias"]),
            float(raw.get("threshold_same", 0.0)),
            float(raw.get("threshold_cross", 0.0)),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def fit(
    x: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None, l2: float = 1.0, free: tuple[str, ...] = ("hand",)
) -> LinkScorer:
    """L2-regularised logistic regression by Newton steps on standardised features; `weight`
    per pair (e.g. a clear yes counts more than a partial one). The `free` features (the hand
    formula's score) are not shrunk: with few judged pairs a strong penalty keeps the hand
    ranking and the other features only correct it where the data says so."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    w = np.ones(len(y)) if weight is None else np.asarray(weight, dtype=np.float64)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale = np.where(scale > 1e-9, scale, 1.0)
    z = np.column_stack([(x - mean) / scale, np.ones(len(y))])
    beta = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[-1] = 0.0  # the bias is not shrunk
    for name in free:
        penalty[FEATURES.index(name)] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ beta, -30, 30)))
        grad = z.T @ (w * (p - y)) + penalty * beta
        hess = (z * (w * p * (1 - p))[:, None]).T @ z + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return LinkScorer(FEATURES, mean, scale, beta[:-1], float(beta[-1]))
