"""Dutch language processing with spaCy: sentence splitting (and lemmas).

No trained Dutch pipeline installs from PyPI, so this uses `spacy.blank("nl")`
with the rule-based sentencizer; the lookup lemmatizer (spacy-lookups-data)
is added on demand. Pipelines are built once per process.
"""

from __future__ import annotations

import functools
import re


@functools.lru_cache(maxsize=2)
def dutch(lemmas: bool = False):
    import spacy

    nlp = spacy.blank("nl")
    nlp.add_pipe("sentencizer")
    if lemmas:
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
    nlp.max_length = 5_000_000
    return nlp


# a sentence end followed by a glued footnote number: "... externe sociale druk.2 Kinderen ..."
GLUED_NOTE = re.compile(r"(?<=[a-z\u00c0-\u00ff)][.!?])\d{1,3}\s+(?=[A-Z\u00c0-\u00dd])")


def spans_of(doc) -> list[tuple[int, int]]:
    """Sentence spans of a parsed spaCy Doc, trimmed, also cut after glued footnote numbers."""
    spans = []
    # sentence starts from one pass over the tokens: spaCy's doc.sents checks the whole doc's
    # annotation for every sentence, which is quadratic in a long block (a table, a long list)
    if not len(doc):
        return []
    from spacy.attrs import IDX, SENT_START

    text = doc.text  # spaCy joins the tokens anew on every access of doc.text
    marks = doc.to_array([IDX, SENT_START])
    starts = [int(idx) for i, (idx, start) in enumerate(marks) if i == 0 or start == 1]
    for start, end in zip(starts, starts[1:] + [len(text)]):
        cuts = [start] + [m.end() for m in GLUED_NOTE.finditer(text, start, end)] + [end]
        for a, z in zip(cuts, cuts[1:]):
            while z > a and text[z - 1].isspace():
                z -= 1
            while a < z and text[a].isspace():
                a += 1
            if z > a:
                spans.append((a, z))
    return _attach_references(text, spans)


# the rest of a reference marker that the sentencizer cut off: "... beroep. (" + "1,2) Ook later ..."
REFERENCE_TAIL = re.compile(r"[\d\s,;–-]{1,15}[)\]]")


def _attach_references(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Give a reference marker ("(1,2)", "[3]") split over two sentences back to the first one."""
    out: list[tuple[int, int]] = []
    for a, z in spans:
        if out and text[out[-1][1] - 1] in "([":
            m = REFERENCE_TAIL.match(text, a, z)
            if m:
                out[-1] = (out[-1][0], m.end())
                a = m.end()
                while a < z and text[a].isspace():
                    a += 1
                if a >= z:
                    continue
        out.append((a, z))
    return out


def sentence_spans(texts: list[str]) -> list[list[tuple[int, int]]]:
    """Character spans of the sentences of each text (whitespace trimmed)."""
    return [spans_of(doc) for doc in dutch().pipe(texts, batch_size=256)]
