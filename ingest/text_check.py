"""Text you can trust: each page's lines checked against a second extraction, repaired where
that one is faithful, and given a verdict.

The line reader (pdf_reader) places every shown string by its coordinates, which keeps
headings, page furniture and columns apart but can go wrong where a PDF positions its text in
unusual ways (letters out of order, word spaces lost). pdfium reads the same page its own way,
in content order with word spaces inferred from the gaps. A cheap test compares the words of
both; only lines whose words the second extraction lacks are looked at closely: the second
extraction's text within the line's box replaces the line's text when it holds the same
characters and reads as more real words. Positions stay the line reader's.

Glyphs without a real character (Unicode's private-use area, "(cid:N)" codes, U+FFFD) are
taken from the second extraction where it has a real character in their place (pdfium falls
back on the font's glyph names); ligature glyphs are split into their letters. Every page gets
`quality` ("goed", "matig", "slecht") and Dutch `reasons`.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections import Counter
from pathlib import Path

from .pdf_reader import Line, Page

log = logging.getLogger(__name__)

REASON_PUA = "tekens in privégebied van Unicode niet te herstellen"
REASON_CID = "onleesbare tekens (cid-codes of vervangingstekens) niet te herstellen"
REASON_GLUED = "woorden aan elkaar geplakt"
REASON_ORDER = "volgorde van letters onbetrouwbaar"
REASON_DIFFERS = "tekst wijkt af van een tweede uitlezing van de pagina"

# a glyph without a real character: private-use code points, "(cid:N)" codes, U+FFFD
_PUA = re.compile("[\ue000-\uf8ff]")
_UNKNOWN = re.compile(r"\(cid:\d+\)|\ufffd|[\ue000-\uf8ff]")
_LIGATURES = {chr(c): unicodedata.normalize("NFKC", chr(c)) for c in range(0xFB00, 0xFB07)}
# legacy private-use forms of the f-ligatures (the old Mac Roman mapping)
_LIGATURES |= {"\uf001": "fi", "\uf002": "fl"}
# A lone private-use glyph that starts a line is a list bullet (Word draws them from the
# Symbol or Wingdings font, whose glyphs sit at U+F0xx), whatever its shape.
_PUA_BULLET = re.compile("^[\ue000-\uf8ff](?=\\s|$)")
_LIGATURE_RE = re.compile("[" + "".join(_LIGATURES) + "]")
# pdfium gives a glyph it cannot map as its code, a control character
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WORD = re.compile(r"[^\W\d_]+")
_WILD = "\x00"  # one glyph of unknown character, inside the comparison of two texts

# A page's share of its words that the second extraction lacks and no vocabulary knows, after repair, from which its
# text is doubtful (matig) or unreliable (slecht); pages with fewer words are not judged on it.
DIFF_MATIG, DIFF_SLECHT = 0.02, 0.1
UNKNOWN_MATIG, UNKNOWN_SLECHT = 0.0, 0.02  # share of words with an unrepaired glyph
MIN_WORDS = 20


def split_ligatures(text: str) -> str:
    return _LIGATURE_RE.sub(lambda m: _LIGATURES[m.group()], text)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


@functools.lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    """Known Dutch and English word forms: the lemma tables of spacy-lookups-data and the
    stop words. Loaded only when a page's two readings disagree."""
    import gzip
    import json

    import spacy_lookups_data

    from beleidsbank.index.lexicon import word_list

    folder = Path(spacy_lookups_data.__file__).with_name("data")

    def table(name: str) -> dict:
        try:
            with gzip.open(folder / f"{name}.json.gz", "rt", encoding="utf-8") as fh:
                return json.load(fh)
        except (OSError, ValueError) as exc:
            log.warning("lemma table %s unreadable: %s", name, exc)
            return {}

    words = {w.lower() for w in word_list("stop_words")}
    for lang in ("nl", "en"):
        lookup = table(f"{lang}_lemma_lookup")
        words.update(w.lower() for w in lookup if w.isalpha())
        words.update(w.lower() for w in lookup.values() if isinstance(w, str) and w.isalpha())
    for name in ("nl_lemma_index", "nl_lemma_exc"):  # lemmas by part of speech, irregular forms
        for forms in table(name).values():
            for key in forms:
                values = forms[key] if isinstance(forms, dict) else []
                words.update(w.lower() for w in [key, *values] if isinstance(w, str) and w.isalpha())
    return frozenset(words)


def known_share(words: list[str]) -> float:
    """Share of `words` (of two letters or more) that are known word forms."""
    vocab = vocabulary()
    ws = [w for w in words if len(w) > 1]
    return sum(w in vocab for w in ws) / len(ws) if ws else 1.0


# --- the second extraction -----------------------------------------------------------


def _clean_other(text: str) -> str:
    """pdfium's text in the line reader's conventions: a hyphen that ends a line (pdfium
    marks it and runs the two lines together) ends the line again, ligatures are split."""
    text = text.replace("\x02", "-\n").replace("\ufffe", "-\n").replace("\r\n", "\n")
    return _CONTROL.sub("\ufffd", split_ligatures(text))


class SecondReading:
    """pdfium's text of one page: the whole page, and the text inside a line's box."""

    def __init__(self, textpage):
        self._tp = textpage
        self.text = _clean_other(textpage.get_text_range())

    def within(self, line: Line, flip: bool = False, band: bool = False) -> str:
        """The text inside the line's box; with `band`, across the whole page width (a line
        whose pieces the reader misplaced has a wrong horizontal extent)."""
        y = -line.y if flip else line.y
        pad = 0.15 * line.size
        x0, x1 = (-1e5, 1e5) if band else (line.x0 - pad, line.x1 + pad)
        box = (x0, y - 0.25 * line.size, x1, y + 0.75 * line.size)
        try:
            text = self._tp.get_text_bounded(*box)
        except Exception:
            return ""
        return " ".join(_clean_other(text).split())


def check_pages(path: Path, pages: list[Page]) -> None:
    """Check, repair and judge every page read from its text layer (OCR pages keep theirs)."""
    todo = [p for p in pages if not p.ocr and p.lines]
    if not todo:
        return
    try:
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(str(path))
    except Exception as exc:  # no second reading: judge each page on its own
        log.debug("pdfium cannot open %s: %s", path, exc)
        for page in todo:
            check_page(page, None)
        return
    try:
        for page in todo:
            try:
                other = SecondReading(doc[page.number - 1].get_textpage())
            except Exception as exc:
                log.debug("pdfium cannot read page %d: %s", page.number, exc)
                other = None
            check_page(page, other)
    finally:
        doc.close()


# --- one page ------------------------------------------------------------------------


def check_page(page: Page, other: SecondReading | None) -> None:
    """Repair `page.lines` from `other` where that is faithful, and set the page's verdict."""
    for line in page.lines:
        line.text = _PUA_BULLET.sub("•", split_ligatures(line.text))
    theirs = Counter(_words(other.text)) if other is not None else None
    stats = Counter()
    if theirs is not None:
        ours = Counter(w for line in page.lines for w in _words(line.text))
        if ours - theirs or any(_UNKNOWN.search(line.text) for line in page.lines):
            for line in page.lines:
                _check_line(line, other, theirs, stats)
    _judge(page, theirs, stats)


def _check_line(line: Line, other: SecondReading, theirs: Counter, stats: Counter) -> None:
    missing = [w for w in _words(line.text) if w not in theirs]
    unknown = bool(_UNKNOWN.search(line.text))
    if not missing and not unknown:
        return
    for band in (False, True):
        candidate = other.within(line, band=band) or other.within(line, flip=True, band=band)
        better = _repair(line.text, candidate) if candidate else None
        if better is not None:
            stats[better[1]] += 1
            line.text = better[0]
            return


def _letters(text: str) -> str:
    """The glyphs of `text` without spaces, each unknown glyph one wildcard."""
    return "".join(_UNKNOWN.sub(_WILD, text).split())


def _same_sequence(ours: str, theirs: str) -> bool:
    return len(ours) == len(theirs) and all(a == b or a == _WILD for a, b in zip(ours, theirs))


def _fill_unknown(text: str, candidate: str) -> str:
    """`text` with each unknown glyph replaced by the glyph at its place in `candidate`
    (both hold the same glyph sequence apart from spaces)."""
    fill = iter("".join(candidate.split()))
    out = []
    for part in re.split(r"(\s+)", _UNKNOWN.sub(_WILD, text)):
        if part.isspace():
            out.append(part)
            continue
        out.append("".join(b if a == _WILD else a for a, b in zip(part, fill)))
    return "".join(out)


def _repair(text: str, candidate: str) -> tuple[str, str] | None:
    """(the repaired text, what was repaired) when `candidate` is a faithful reading of the
    same glyphs as `text`; None when it is not (other glyphs, or no better)."""
    ours, theirs = _letters(text), _letters(candidate)
    if _UNKNOWN.search(candidate):
        return None
    if _same_sequence(ours, theirs):
        filled = _fill_unknown(text, candidate) if _WILD in ours else text
        spaced = _split_glued(filled, candidate)
        if spaced == text:
            return None
        return spaced, ("spaces" if spaced != filled else "unknown")
    if _WILD not in ours and Counter(ours) == Counter(theirs):
        if known_share(_words(candidate)) > known_share(_words(text)):
            return candidate, "order"
    return None


def _split_glued(text: str, candidate: str) -> str:
    """`text` with a word split where `candidate` (the same glyphs) has a space inside it
    and the pieces are known words while the whole is not: "DeMinister" -> "De Minister", but
    not "properties" -> "p r o p e r t i e s" (pdfium spacing out letter-spaced text)."""
    flat = "".join(candidate.split())
    spaces = set()
    pos = 0
    for piece in candidate.split():
        pos += len(piece)
        spaces.add(pos)
    out, pos = [], 0
    for token in text.split():
        cuts = [c - pos for c in sorted(spaces) if pos < c < pos + len(token)]
        pieces = [token[a:b] for a, b in zip([0, *cuts], [*cuts, len(token)])]
        if cuts and _more_known(token, pieces) and flat[pos : pos + len(token)] == token:
            out.extend(pieces)
        else:
            out.append(token)
        pos += len(token)
    return " ".join(out)


def _more_known(token: str, pieces: list[str]) -> bool:
    """Whether splitting `token` into `pieces` only undoes glued words: each word the split
    removes is unknown, each word it makes is a known word of two letters or more."""
    vocab = vocabulary()
    before, after = _words(token), [w for p in pieces for w in _words(p)]
    removed = [w for w in before if w not in after]
    made = [w for w in after if w not in before]
    if not removed or not made:
        return False
    return all(len(w) > 1 and w in vocab for w in made) and not any(w in vocab for w in removed)


def _judge(page: Page, theirs: Counter | None, stats: Counter) -> None:
    """The page's verdict from what is left after repair."""
    words = [w for line in page.lines for w in line.text.split()]
    n = len(words)
    reasons: list[tuple[str, str]] = []  # (verdict, reason)
    if n:
        pua = sum(bool(_PUA.search(w)) for w in words) / n
        other = sum(bool(_UNKNOWN.search(w)) and not _PUA.search(w) for w in words) / n
        for share, reason in ((pua, REASON_PUA), (other, REASON_CID)):
            if share > UNKNOWN_MATIG:
                reasons.append(("slecht" if share > UNKNOWN_SLECHT else "matig", reason))
    letters = _words(" ".join(words))
    if theirs is not None and len(letters) >= MIN_WORDS:
        # a word only this reading has counts when it is no known word: where the second
        # reading spaces out letter-spaced text ("p r o p e r t i e s"), this one is right
        lacking = [w for w in letters if w not in theirs]
        lacking = [w for w in lacking if w not in vocabulary()] if lacking else []
        share = len(lacking) / len(letters)
        if share > DIFF_MATIG:
            reasons.append(("slecht" if share > DIFF_SLECHT else "matig", _why(lacking, theirs)))
    if not reasons:
        return
    rank = {"goed": 0, "matig": 1, "slecht": 2}
    worst = max((v for v, _ in reasons), key=rank.__getitem__)
    if rank[worst] > rank.get(page.quality, 0):
        page.quality = worst
    page.reasons += [r for _, r in reasons if r not in page.reasons]


def _why(lacking: list[str], theirs: Counter) -> str:
    """What the words the second extraction lacks look like: glued words (a word of ours is
    two or more of theirs run together), letters out of order (same letters, other order),
    or text that simply differs."""
    theirs_sorted = {"".join(sorted(w)) for w in theirs}
    glued = sum(_splits(w, theirs) for w in lacking)
    shuffled = sum("".join(sorted(w)) in theirs_sorted for w in lacking)
    if glued >= max(1, shuffled) and glued * 2 >= len(lacking):
        return REASON_GLUED
    if shuffled * 2 >= len(lacking):
        return REASON_ORDER
    return REASON_DIFFERS


def _splits(word: str, known: Counter) -> bool:
    """Whether `word` is two or more words of `known` (two letters or more) run together."""
    n = len(word)
    ends = [False] * (n + 1)  # ends[i]: word[i:] splits into known words
    ends[n] = True
    for i in range(n - 2, -1, -1):
        ends[i] = any(ends[j] and word[i:j] in known for j in range(i + 2, n + 1) if (i, j) != (0, n))
    return ends[0]
