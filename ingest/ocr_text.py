"""General rules that clean OCR noise out of Tesseract's words, line by line.

- Stray symbols: a "word" without a letter or digit is a speck, a stroke of a
  table rule or a stamp, unless it is a sign that stands alone in text (a dash,
  a bullet, an ampersand, a section or percent sign).
- Garbage lines: a line Tesseract itself is unsure of (low mean confidence), or
  one that is mostly not letters or digits, is a picture, a signature or a
  stamp read as text, and is dropped whole.
- Garbage words: a word with very low confidence and no vowel at all is not
  Dutch or English (initialisms are upper case and kept).
- Broken words: "be- stand" inside a line is one word broken by a hyphen, joined
  by the same rule the text reader applies at line ends ("metaal- en" stays).
- Confusable characters: a digit between lower-case letters ("vo0r", "a1s") is
  a misread letter, since Dutch and English words do not carry digits between
  letters; it is replaced by the letter it is confused with. Other confusions
  are left alone: no rule of a class justifies them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .clean import join_hyphenated

STANDALONE_SIGNS = set("-–—•·▪&§%€+=/*")
LINE_MIN_CONF = 45.0  # mean word confidence (0-100) below which a line is not text
LINE_MIN_ALNUM = 0.5  # share of a line's characters that must be letters or digits
WORD_GARBAGE_CONF = 30.0
GOOD_CONF, FAIR_CONF = 85.0, 70.0  # mean confidence of a page's words for "goed" and "matig"
CONFUSABLE_DIGITS = {"0": "o", "1": "l", "5": "s"}
_DIGIT_IN_WORD = re.compile(r"(?<=[a-zà-ÿ])[015](?=[a-zà-ÿ])")
_VOWEL = re.compile(r"[aeiouyàáâäèéêëìíîïòóôöùúûü]", re.I)


@dataclass
class OcrWord:
    text: str
    x0: float  # points from the page's left edge
    top: float  # points from the page's top edge
    x1: float
    bottom: float
    conf: float  # Tesseract's confidence, 0-100
    par: tuple[int, int]  # Tesseract's (block, paragraph)


def _alnum(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


def _is_noise(word: OcrWord) -> bool:
    if not _alnum(word.text):
        return word.text not in STANDALONE_SIGNS
    return word.conf < WORD_GARBAGE_CONF and not _VOWEL.search(word.text) and not word.text.isupper()


def _fix_confusables(text: str) -> str:
    if not any(ch.isalpha() for ch in text) or sum(ch.isdigit() for ch in text) > 1:
        return text  # "a1b2" codes and numbers keep their digits
    return _DIGIT_IN_WORD.sub(lambda m: CONFUSABLE_DIGITS[m.group()], text)


def _join_broken(words: list[OcrWord]) -> list[OcrWord]:
    out: list[OcrWord] = []
    for w in words:
        prev = out[-1] if out else None
        if prev is not None and prev.text.endswith("-") and len(prev.text) > 1 and w.text[:1].isalpha():
            joined = join_hyphenated(prev.text, w.text)
            if " " not in joined:
                out[-1] = OcrWord(
                    joined,
                    prev.x0,
                    min(prev.top, w.top),
                    w.x1,
                    max(prev.bottom, w.bottom),
                    min(prev.conf, w.conf),
                    prev.par,
                )
                continue
        out.append(w)
    return out


def clean_line(words: list[OcrWord]) -> list[OcrWord]:
    """The words of one Tesseract line with the noise rules applied; [] when the line is not text."""
    if sum(_alnum(w.text) for w in words) < LINE_MIN_ALNUM * sum(len(w.text) for w in words):
        return []
    kept = [w for w in words if not _is_noise(w)]
    if not kept:
        return []
    chars = sum(len(w.text) for w in kept)
    if sum(w.conf * len(w.text) for w in kept) / chars < LINE_MIN_CONF:
        return []
    for w in kept:
        w.text = _fix_confusables(w.text)
    return _join_broken(kept)


def quality(words: list[OcrWord]) -> tuple[str, list[str]]:
    """The text-quality verdict of an OCR page from its words' confidence, with the Dutch reason."""
    chars = sum(len(w.text) for w in words)
    if not chars:
        return "slecht", ["gescande pagina: tekstherkenning (OCR) vond geen leesbare tekst"]
    conf = sum(w.conf * len(w.text) for w in words) / chars
    if conf >= GOOD_CONF:
        return "goed", []
    verdict = "matig" if conf >= FAIR_CONF else "slecht"
    return verdict, [f"gescande pagina: tekstherkenning (OCR) is onzeker (gemiddelde zekerheid {conf:.0f}%)"]
