"""Dutch language processing with spaCy: sentence splitting (and lemmas).

No trained Dutch pipeline installs from PyPI, so this uses `spacy.blank("nl")`
with the rule-based sentencizer; the lookup lemmatizer (spacy-lookups-data)
is added on demand. Pipelines are built once per process.
"""
from __future__ import annotations

import functools


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


def sentence_spans(texts: list[str]) -> list[list[tuple[int, int]]]:
    """Character spans of the sentences of each text (whitespace trimmed)."""
    nlp = dutch()
    out = []
    for doc in nlp.pipe(texts, batch_size=256):
        spans = []
        for sent in doc.sents:
            start, end = sent.start_char, sent.end_char
            while end > start and doc.text[end - 1].isspace():
                end -= 1
            if end > start:
                spans.append((start, end))
        out.append(spans)
    return out
