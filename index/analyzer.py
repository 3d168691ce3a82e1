"""Text analysis for the lexical index: the features a passage is indexed by and a query looks up.

The analyzer mirrors Lucene's Dutch analyzer in spirit: Unicode folding,
lower case, Dutch stop words removed, Snowball Dutch stems. Dutch writes
compounds as one word ("bedrijfsbezoeken", "techniekonderwijs"), so each stem
also contributes its character 5-grams as features: a query word then meets
the compounds it is part of (stems alone scored far lower on the dev queries;
docs/decisions.md, "Retrieval").
"""

from __future__ import annotations

import functools
import re
import unicodedata

from .lexicon import word_list

# Dutch and English function words: not indexed, not searched
STOP_WORDS = frozenset(word_list("stop_words"))

TOKEN_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)


@functools.lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("dutch")


class _DropCombining(dict):
    """str.translate table that drops combining marks, filled per code point on first sight."""

    def __missing__(self, cp: int):
        value = None if unicodedata.combining(chr(cp)) else cp
        self[cp] = value
        return value


_DROP_COMBINING = _DropCombining()
SPLIT_RE = re.compile(r"[-'’]")


def fold(text: str) -> str:
    """Lower case without diacritics ('België' -> 'belgie')."""
    text = text.lower()
    if text.isascii():
        return text
    return unicodedata.normalize("NFKD", text).translate(_DROP_COMBINING)


def tokens(text: str) -> list[str]:
    """Surface tokens (folded, lower case), hyphenated compounds split into parts too."""
    out = []
    for tok in TOKEN_RE.findall(fold(text)):
        if "-" in tok or "'" in tok or "’" in tok:
            parts = SPLIT_RE.split(tok)
            out.append("".join(parts))
            out.extend(parts)
        else:
            out.append(tok)
    return out


def analyze(text: str) -> list[str]:
    """Stemmed index terms of a text, stop words removed."""
    toks = [t for t in tokens(text) if t not in STOP_WORDS and (len(t) > 1 or t.isdigit())]
    return _stemmer().stemWords(toks)


NGRAM = 5


def features(text: str) -> list[str]:
    """Index features: the stems, plus '#'-prefixed character n-grams of longer stems."""
    stems = analyze(text)
    out = list(stems)
    for stem in stems:
        if len(stem) > NGRAM:
            padded = f"<{stem}>"
            out.extend("#" + padded[i : i + NGRAM] for i in range(len(padded) - NGRAM + 1))
    return out
