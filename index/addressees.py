"""Whom a recommendation addresses: the actors it asks to act (kabinet, scholen, werkgevers, ...).

Two word lists (index/data): `addressees.txt` names the actors with their Dutch inflections,
`addressee_cues.txt` the grammar by which an actor is the one asked to act. An actor's noun
counts only in one of these places, never merely for occurring:
- the subject of a modal verb: before it ("scholen en werkgevers moeten", "het kabinet zou ...
  moeten"), or after it where the sentence starts with something else ("daarom moet het kabinet",
  "om dit te bereiken, moeten scholen");
- the object of a verb of asking ("roept het kabinet op", "vraagt gemeenten om"), or its subject
  in the passive ("gemeenten worden gevraagd");
- after an advice noun + "aan" ("aanbeveling aan het ministerie"), at the start of a statement
  before a colon ("Werkgevers: ...") or after a leading "Aan";
- after a role noun ("een rol voor gemeenten", "de regie ligt bij de regio");
- the subject after "dat" where what comes before advises ("het is belangrijk dat scholen ...");
- the agent of a passive with a modal ("moet door gemeenten worden opgepakt").
An imperative ("Investeer in ...") names no one: it has no addressee. Computed at read time.
"""

from __future__ import annotations

import functools
import re

from .analyzer import STOP_WORDS
from .lexicon import DATA

TOKEN = re.compile(r"[^\W_]+(?:[-'’&][^\W_]+)*|[,;:.!?()]")
SENTENCE_END = {".", ";", "!", "?"}
MAX_FORM = 4  # words in the longest actor form


def _lines(name: str) -> dict[str, tuple[str, ...]]:
    out = {}
    for line in (DATA / f"{name}.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if ":" in line:
            key, _, rest = line.partition(":")
            out[key.strip()] = tuple(w.strip().lower() for w in rest.split(",") if w.strip())
    return out


@functools.lru_cache(maxsize=1)
def _forms() -> dict[tuple[str, ...], str]:
    """Actor form (its tokens) -> the actor's label."""
    return {tuple(TOKEN.findall(f)): label for label, forms in _lines("addressees").items() for f in forms}


@functools.lru_cache(maxsize=1)
def _cues() -> dict[str, frozenset[str]]:
    return {k: frozenset("," if w == "comma" else w for w in v) for k, v in _lines("addressee_cues").items()}


def labels() -> tuple[str, ...]:
    """Every actor label, in the word list's order."""
    return tuple(_lines("addressees"))


def label_of(name: str) -> str | None:
    """The actor label a user's word names (a label or one of its forms), None when none."""
    key = tuple(TOKEN.findall((name or "").lower()))
    if not key:
        return None
    for label in labels():
        if key == tuple(TOKEN.findall(label)):
            return label
    return _forms().get(key)


def _actors(tokens: list[str]) -> dict[int, tuple[int, str]]:
    """Start position -> (end position, label) of each actor form, longest first."""
    forms, out, i = _forms(), {}, 0
    while i < len(tokens):
        for n in range(min(MAX_FORM, len(tokens) - i), 0, -1):
            label = forms.get(tuple(tokens[i : i + n]))
            if label:
                out[i] = (i + n, label)
                i += n - 1
                break
        i += 1
    return out


class _Sentence:
    def __init__(self, tokens: list[str]):
        self.t = tokens
        self.actors = _actors(tokens)
        self.ends = {end: (start, label) for start, (end, label) in self.actors.items()}
        self.cue = _cues()

    def forward(self, i: int, skip_adjectives: int = 2) -> list[str]:
        """The actors of a coordinated phrase from position i on, after determiners and a few
        inflected adjectives ("de regionale scholen")."""
        adjectives = 0
        while i < len(self.t) and i not in self.actors:
            w = self.t[i]
            if w in self.cue["skip"]:
                i += 1
            elif adjectives < skip_adjectives and len(w) > 3 and w.endswith("e"):
                adjectives += 1
                i += 1
            else:
                return []
        found = []
        while i in self.actors:
            end, label = self.actors[i]
            found.append(label)
            i = self._name_after(end)
            if i < len(self.t) and self.t[i] in self.cue["join"]:
                nxt = self.forward(i + 1)
                found += nxt
                break
        return found

    def _name_after(self, i: int, most: int = 3) -> int:
        """Past a name after an actor ("het ministerie van OCW", "de gemeente Rotterdam") up to
        the word that joins the next actor; `i` itself where none follows within `most` words."""
        for j in range(i, min(i + most + 1, len(self.t))):
            if self.t[j] in self.cue["join"]:
                return j
            if self.t[j] in SENTENCE_END or self.t[j] in self.cue["modal"] or self.t[j] in (":", "("):
                break
        return i

    def _end_before(self, j: int, most: int = 2) -> int | None:
        """Where an actor ends at j, or up to `most` name words before it ("de gemeente
        Rotterdam", "de minister van OCW"); None when none does."""
        for k in range(j, max(j - most, 0) - 1, -1):
            if k in self.ends:
                return k
            w = self.t[k - 1] if k > 0 else ""
            if not w or w in STOP_WORDS or w in self.cue["join"] or w in self.cue["modal"] or not w[0].isalnum():
                return None
        return None

    def backward(self, j: int) -> list[str]:
        """The actors of a coordinated subject ending right before position j."""
        while j > 0 and self.t[j - 1] in self.cue["between"] and j - 1 not in self.ends:
            j -= 1
        found = []
        while (k := self._end_before(j)) is not None:
            start, label = self.ends[k]
            found.append(label)
            j = start
            if j > 1 and self.t[j - 1] == "van" and j - 1 in self.ends:
                j -= 1  # "de minister van OCW": the name of the actor before
                continue
            while j > 0 and self.t[j - 1] in self.cue["skip"]:
                j -= 1  # "en de scholen": the determiner before this actor
            if not (j > 0 and self.t[j - 1] in self.cue["join"]):
                break
            j -= 1
        return [] if found and self._after_preposition(j) else found

    def _after_preposition(self, j: int, most: int = 3) -> bool:
        """Whether the phrase starting at j hangs from a preposition, past up to `most` adjectives
        ("de aansluiting tussen opleidingen", "het aanbod van inspirerend en relevant onderwijs"):
        then its actor is no subject."""
        for k in range(j - 1, max(j - 2 - most, -1), -1):
            w = self.t[k]
            if w in self.cue["preposition"]:
                return True
            if not (w == "en" or (w not in STOP_WORDS and k not in self.ends and w.isalpha())):
                return False
        return j > 0 and self.t[j - 1] in self.cue["preposition"]

    def modal_subjects(self) -> list[str]:
        """Subjects of a modal verb: before it, or after it where the sentence starts with
        something else (a comma, an inversion word, a year or the sentence start)."""
        found = []
        for i, w in enumerate(self.t):
            if w not in self.cue["modal"]:
                continue
            before = self.backward(i)
            found += before
            if before:
                continue
            prev = self.t[i - 1] if i else ""
            if i == 0 or prev in (",", ":") or prev in self.cue["inversion"] or prev.isdigit():
                found += self.forward(i + 1)
        return found

    def asked(self) -> list[str]:
        """Objects of a verb of asking ("roept het kabinet op"), subjects of its passive
        ("gemeenten worden gevraagd") and agents of a passive with a modal ("door gemeenten")."""
        found = []
        # "door X" names who acts only in a passive ("moet door gemeenten worden opgepakt"), not
        # after a noun ("het gebruik door de overheid")
        passive = any(w in self.cue["passive"] for w in self.t)
        for i, w in enumerate(self.t):
            if w in self.cue["ask"]:
                found += self.forward(i + 1)
            elif w in self.cue["passive"] and any(x in self.cue["asked"] for x in self.t[i + 1 : i + 5]):
                found += self.backward(i)
            elif w == "door" and passive:
                after = self.forward(i + 1, skip_adjectives=1)
                end = self._phrase_end(i + 1)
                if after and not (end < len(self.t) and self.t[end] == "te"):
                    found += after
        return found

    def _phrase_end(self, i: int) -> int:
        while i < len(self.t) and (i in self.actors or self.t[i] in self.cue["skip"] or self.t[i] in self.cue["join"]):
            i = self.actors[i][0] if i in self.actors else i + 1
        return i

    def named(self, first: bool) -> list[str]:
        """After an advice noun + "aan", a role noun + voor/van/bij, a leading "Aan", an advising
        "... dat"; or an actor that opens the statement before a colon."""
        found = []
        t = self.t
        for i, w in enumerate(t):
            nxt = t[i + 1] if i + 1 < len(t) else ""
            if w in self.cue["advice_noun"] and nxt == "aan":
                found += self.forward(i + 2)
            elif w in self.cue["role"] and nxt in self.cue["role_link"]:
                found += self.forward(i + 2)
            elif w == "aan" and i == 0:
                found += self.forward(1)
            elif w == "dat" and any(x in self.cue["advise_that"] for x in t[:i]):
                found += self.forward(i + 1)
        if first and 0 in self.actors:
            end = self._phrase_end(0)
            if end < len(t) and t[end] == ":":
                found += self.forward(0)
        return found


def addressees(text: str) -> tuple[str, ...]:
    """The labels of the actors `text` asks to act, in order of first mention; () when it names
    no one (an imperative, or an actor only as the object or beneficiary of the advice)."""
    tokens = TOKEN.findall((text or "").lower().replace("’", "'"))
    found: list[str] = []
    start = 0
    for i in range(len(tokens) + 1):
        if i == len(tokens) or tokens[i] in SENTENCE_END:
            if i > start:
                s = _Sentence(tokens[start:i])
                named = set(s.modal_subjects() + s.asked() + s.named(first=start == 0))
                found += [label for _, (_, label) in sorted(s.actors.items()) if label in named]
            start = i + 1
    return tuple(dict.fromkeys(found))


def addresses(text: str, label: str) -> bool:
    """Whether `text` asks the actor `label` (a label of `labels()`) to act."""
    return label in addressees(text)
