"""Scoring of a real-PDF gold set (the format of ../shared/realpdfs/gold.jsonl).

Per file the gold gives: title (and other acceptable titles), year, publisher, body sentences
that must survive intact inside one passage, page furniture that must appear in no passage,
questions with the sentence that answers them, and statements with their kind. This module
only scores: it gets the ingested documents, passages and statements and a search function,
and returns plain dicts. Matching follows ../shared/eval/README.md (`evaluate.normalise`,
`evaluate.holds`); quotes of scanned files were read from the page images, so there a
sentence also counts as intact when OCR changed a few of its characters (`SCANNED_SIMILARITY`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .evaluate import holds, normalise

SCANNED_SIMILARITY = 0.9  # share of a quote's characters an OCR'd passage must reproduce in place
TITLE_COVER = 0.8  # a title that contains the gold title (or the reverse) must cover this share of it
HIT_AT = 5
STOP = {"van", "de", "het", "en", "der", "voor", "the", "of", "and"}


@dataclass
class FileInput:
    """What the store holds of one gold file, or `refused` with the reason."""

    title: str = ""
    year: int | None = None
    publisher: str = ""
    passages: list[str] = field(default_factory=list)
    statements: list[tuple[str, str]] = field(default_factory=list)  # (text, kind) in document order
    doc_id: str = ""
    refused: str = ""


def _norm_title(text: str) -> str:
    text = normalise(text)
    text = re.sub(r"[\"'‘’“”`]", "", text)
    return re.sub(r"[\s:;,.\-–—/]+", " ", text).strip()


def title_right(title: str, gold: dict) -> bool:
    """Equal to the gold title or an acceptable one after normalising, or one holds the other
    and covers at least `TITLE_COVER` of it."""
    got = _norm_title(title)
    if not got:
        return False
    for want in [gold.get("title") or ""] + list(gold.get("title_ok") or []):
        want = _norm_title(want)
        if not want:
            continue
        if got == want:
            return True
        short, long_ = sorted((got, want), key=len)
        if short in long_ and len(short) >= TITLE_COVER * len(long_):
            return True
    return False


def _acronym(words: list[str]) -> str:
    return "".join(w[0] for w in words if w and w not in STOP)


def publisher_right(publisher: str, gold: str | None) -> bool:
    """Right when both say nothing, when the normalised names are equal or one holds the other,
    or when one abbreviates the other ("Ministerie van VWS" for "... Volksgezondheid, Welzijn
    en Sport")."""
    got, want = _norm_title(publisher or ""), _norm_title(gold or "")
    if not want or not got:
        return not want and not got
    if got == want or got in want or want in got:
        return True
    gw, ww = got.split(), want.split()
    for a, b in ((gw, ww), (ww, gw)):
        # the words the two share, then the rest of one spelled out as the other's acronym
        rest_a = [w for w in a if w not in b]
        rest_b = [w for w in b if w not in a]
        if rest_a and rest_b and "".join(rest_b) == _acronym(rest_a):
            return True
    return False


def intact(sentence: str, passages: list[str], scanned: bool) -> bool:
    """Whether one passage holds the sentence whole (for scanned files: nearly whole, in place)."""
    want = normalise(sentence)
    if not want:
        return False
    texts = [normalise(p) for p in passages]
    if any(want in t for t in texts):
        return True
    if not scanned:
        return False
    for t in texts:
        m = SequenceMatcher(None, t, want, autojunk=False)
        blocks = [b for b in m.get_matching_blocks() if b.size >= 3]
        if not blocks:
            continue
        span = blocks[-1].a + blocks[-1].size - blocks[0].a
        if sum(b.size for b in blocks) >= SCANNED_SIMILARITY * len(want) and span <= 1.2 * len(want):
            return True
    return False


def leaked(furniture: str, passages: list[str]) -> bool:
    want = normalise(furniture)
    return bool(want) and any(want in normalise(p) for p in passages)


def predicted_kind(quote: str, statements: list[tuple[str, str]]) -> str:
    """The kind of the first statement holding the quote that is a recommendation or problem,
    else "other" (a quote no statement holds is not labelled either)."""
    held = [kind for text, kind in statements if holds(text, quote)]
    return next((k for k in held if k != "other"), "other")


# search(query) -> ranked (doc_id, text) pairs
Search = Callable[[str], list[tuple[str, str]]]


def score_file(gold: dict, got: FileInput, search: Search | None) -> dict:
    """The figures of one gold file."""
    out = {"file": gold["file"], "ingested": not got.refused, "refused": got.refused}
    sents, furn = gold.get("sentences") or [], gold.get("furniture") or []
    out["sentences"] = [len(sents), sum(intact(s, got.passages, bool(gold.get("scanned"))) for s in sents)]
    out["furniture"] = [len(furn), sum(leaked(f, got.passages) for f in furn)]
    out["title_right"] = title_right(got.title, gold)
    out["year_right"] = got.year == gold.get("year")
    out["publisher_right"] = publisher_right(got.publisher, gold.get("publisher"))
    out["title"], out["year"], out["publisher"] = got.title, got.year, got.publisher
    hits = 0
    for q in gold.get("questions") or []:
        ranked = search(q["query"])[:HIT_AT] if search and got.doc_id else []
        hits += any(doc == got.doc_id and holds(text, q["quote"]) for doc, text in ranked)
    out["questions"] = [len(gold.get("questions") or []), hits]
    stmts = gold.get("statements") or []
    wrong = [s for s in stmts if predicted_kind(s["quote"], got.statements) != s["kind"]]
    out["statements"] = [len(stmts), len(stmts) - len(wrong)]
    out["statements_wrong"] = [
        {"quote": s["quote"], "want": s["kind"], "got": predicted_kind(s["quote"], got.statements)} for s in wrong
    ]
    return out


def _share(files: list[dict], key: str) -> dict:
    n = sum(f[key][0] for f in files)
    k = sum(f[key][1] for f in files)
    return {"n": n, "right": k, "share": k / n if n else 0.0}


def overall(files: list[dict]) -> dict:
    """Totals over all files: each figure is pooled over the items of every file."""
    n = len(files)
    return {
        "files": n,
        "ingested": sum(f["ingested"] for f in files),
        "sentences_intact": _share(files, "sentences"),
        "furniture_leaked": _share(files, "furniture"),
        "title_right": sum(f["title_right"] for f in files) / n if n else 0.0,
        "year_right": sum(f["year_right"] for f in files) / n if n else 0.0,
        "title_and_year_right": sum(f["title_right"] and f["year_right"] for f in files) / n if n else 0.0,
        "publisher_right": sum(f["publisher_right"] for f in files) / n if n else 0.0,
        "question_hit@5": _share(files, "questions"),
        "statement_accuracy": _share(files, "statements"),
    }


def format_table(result: dict) -> str:
    """Per file and overall, as aligned text."""
    lines = [
        f"{'file':42s} {'ingest':>6s} {'intact':>7s} {'leaked':>7s} {'title':>5s} {'year':>4s} {'publ':>4s} "
        f"{'hit@5':>6s} {'labels':>7s}"
    ]
    for f in result["files"]:
        lines.append(
            f"{f['file'][:42]:42s} {'ja' if f['ingested'] else 'nee':>6s} "
            f"{f['sentences'][1]:>3d}/{f['sentences'][0]:<3d} {f['furniture'][1]:>3d}/{f['furniture'][0]:<3d} "
            f"{'ja' if f['title_right'] else 'nee':>5s} {'ja' if f['year_right'] else 'nee':>4s} "
            f"{'ja' if f['publisher_right'] else 'nee':>4s} {f['questions'][1]:>2d}/{f['questions'][0]:<3d} "
            f"{f['statements'][1]:>3d}/{f['statements'][0]:<3d}"
        )
    o = result["overall"]
    lines.append(
        f"overall: files ingested {o['ingested']}/{o['files']}, sentences intact "
        f"{o['sentences_intact']['share']:.3f}, furniture leaked {o['furniture_leaked']['share']:.3f}, "
        f"title right {o['title_right']:.3f}, year right {o['year_right']:.3f}, publisher right "
        f"{o['publisher_right']:.3f}, question Hit@5 {o['question_hit@5']['share']:.3f}, statement label "
        f"accuracy {o['statement_accuracy']['share']:.3f}"
    )
    return "\n".join(lines)
