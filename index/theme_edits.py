"""A user's theme edits (rename, merge, split), replayed on every theme rebuild.

An edit names its themes by their member statement ids, not by theme id: ids are only numbers
of one clustering, while statement ids ("doc:s0012") outlive a re-ingest of the same document.
On replay a recorded member set finds the theme that now holds most of it (at least half of the
recorded statements that still exist); an edit whose theme is gone is skipped. Replaying an edit
that already holds changes nothing, so edits can be replayed after every ingest. Plain data in
and out: the assignment (theme id per statement, -1 for none) and the statement keys.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

# a recorded member set finds a theme when that theme holds at least this share of it
FOUND = 0.5


@dataclass(frozen=True)
class Edit:
    action: str  # "rename", "merge" or "split"
    members: tuple[tuple[str, ...], ...]  # rename/split: one member set; merge: one per theme
    label: str = ""  # rename: the new label; split: the label of the part split off (optional)
    part: tuple[str, ...] = ()  # split: the statements that form the new theme

    def to_json(self) -> dict:
        return {"members": [list(m) for m in self.members], "label": self.label, "part": list(self.part)}

    @classmethod
    def from_json(cls, action: str, d: dict) -> Edit:
        return cls(
            action, tuple(tuple(m) for m in d.get("members", [])), str(d.get("label", "")), tuple(d.get("part", []))
        )


def find(assign: np.ndarray, pos: dict[str, int], members: tuple[str, ...]) -> int | None:
    """The theme that holds most of `members` (at least `FOUND` of those still there), or None."""
    idx = [pos[m] for m in members if m in pos]
    held = Counter(int(assign[i]) for i in idx if assign[i] >= 0)
    if not held:
        return None
    # on a tie the older theme (lower id): after a split the rest keeps what was said of the whole
    theme, n = max(held.items(), key=lambda kv: (kv[1], -kv[0]))
    return theme if n >= FOUND * len(idx) else None


def replay(edits: list[Edit], assign: np.ndarray, keys: list[str]) -> tuple[np.ndarray, dict[int, str]]:
    """The assignment with the edits applied in order, and the user's labels (theme id -> label)."""
    assign = np.asarray(assign, dtype=np.int64).copy()
    pos = {k: i for i, k in enumerate(keys)}
    names: dict[int, str] = {}
    for e in edits:
        if e.action == "rename" and e.members:
            t = find(assign, pos, e.members[0])
            if t is not None:
                names[t] = e.label
        elif e.action == "merge":
            found = [find(assign, pos, m) for m in e.members]
            found = list(dict.fromkeys(t for t in found if t is not None))
            for t in found[1:]:
                assign[assign == t] = found[0]
                names.pop(t, None)
        elif e.action == "split" and e.members:
            assign = _split(e, assign, pos, names)
    return assign, names


def _split(e: Edit, assign: np.ndarray, pos: dict[str, int], names: dict[int, str]) -> np.ndarray:
    t = find(assign, pos, e.members[0])
    part = [pos[m] for m in e.part if m in pos]
    if t is None or not part:
        return assign
    already = find(assign, pos, e.part)
    if already is not None and already != t:
        if e.label:
            names[already] = e.label
        return assign  # the part is a theme of its own already
    inside = [i for i in part if assign[i] == t]
    if not inside or len(inside) == int((assign == t).sum()):
        return assign  # nothing would be left of the theme, or nothing moves
    new = int(assign.max()) + 1
    assign[inside] = new
    if e.label:
        names[new] = e.label
    return assign
