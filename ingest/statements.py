"""Statements: each sentence, list item or numbered priority of a document, labelled
`recommendation`, `problem` or `other`, with a confidence and the cue that decided it.

Plain data in (`passages.Doc`), plain data out (`Statement` list). The language
work is spaCy's (`nl` sentencizer, lookup lemmas); the decisions are the named rules
of recommendation_rules.py and problem_rules.py (rules.py says what a rule is),
applied here, and every statement keeps the cue that decided it, so a reader can see
why. The heading a statement stands under counts: a bullet under "Knelpunten" leans
to problem, one under "Aanbevelingen" or "Actieplan" to recommendation.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .nlp import dutch, spans_of
from .passages import Doc
from .problem_rules import ADJUSTMENT_RULES, PROBLEM_RULES, TOPIC_RULES
from .recommendation_rules import RECOMMENDATION_RULES
from .rules import (
    ADJUST,
    BULLET,
    COMPOUND_PROBLEM,
    LEXICONS,
    PROB,
    PROB_SECTION,
    REC,
    REC_SECTION,
    SECTION_NOUN,
    THRESHOLD,
    TOPIC_NOUNS,
    VETO,
    Evidence,
    Parsed,
    Rule,
)
from .veto_rules import CONTEXT_ADJUSTMENT_RULES, VETO_RULES

DIRECTIVE = 0.8  # a recommendation cue this sure wins over any problem cue
WORDS_BASE, WORDS_CAP = 0.55, 0.9  # the problem-word cue: base plus its words' weights, at most the cap
SECTION_BOOST, ANCESTOR_BOOST, BOOST_CAP = 0.1, 0.05, 0.97

# the rule table, in the order the engine reads it
RULES = RECOMMENDATION_RULES + PROBLEM_RULES + ADJUSTMENT_RULES + CONTEXT_ADJUSTMENT_RULES + VETO_RULES
RULE = {r.name: r for r in RULES}
CUE_RULES = tuple(r for r in RULES if r.kind in (REC, PROB) and not r.pooled and not r.context.section)
POOLED_RULES = tuple(r for r in RULES if r.pooled)
SECTION_RULES = tuple(r for r in RULES if r.context.section)
VETOES = tuple(r for r in RULES if r.kind == VETO)
ADJUSTS_OF = {name: tuple(r for r in RULES if r.kind == ADJUST and r.target == name) for name in RULE}


@dataclass
class Statement:
    seq: int
    start: int  # offsets in the document text
    end: int
    text: str
    page: int
    page_label: str
    section: str
    section_path: str
    kind: str  # recommendation | problem | other
    confidence: float
    cue: str  # what decided it, e.g. "gebiedende wijs: Verminder"
    unit: str  # sentence | list_item | heading | table_row


def _parse(text: str, doc, unit: str, section_path: str) -> Parsed:
    body = BULLET.sub("", text).strip()
    tokens = [t for t in doc if not t.is_punct and not t.is_space and not BULLET.fullmatch(t.text)]
    # "9Zorg voor ..." (a glued priority number) and "Techniekonderwijs: Het introduceren ..." (a label)
    label = re.match(r"^[^:.!?]{2,40}:\s", body)
    if label and len(label.group(0).split()) <= 4:
        skip = len(label.group(0))
        tokens = [t for t in tokens if t.idx - (len(text) - len(text.lstrip())) >= skip - 1] or tokens
    if (
        unit == "heading"
        and len(tokens) > 1
        and re.fullmatch(r"\d{1,2}", tokens[0].text)
        and tokens[1].text[:1].isupper()
    ):
        tokens = tokens[1:]  # a priority's number ("10 Stimuleer een leven lang ontwikkelen")
    first = re.sub(r"^\d+(?=[A-Z])", "", tokens[0].text) if tokens else ""
    leaf = section_path.rsplit(" > ", 1)[-1] if section_path else ""
    rec_ctx = bool(REC_SECTION.search(leaf))
    rec_anc = not rec_ctx and bool(REC_SECTION.search(section_path))
    return Parsed(
        text,
        body,
        body.lower(),
        unit,
        tokens,
        first,
        [t.lemma_.lower() for t in doc],
        leaf,
        rec_ctx,
        bool(PROB_SECTION.search(leaf)),
        rec_anc,
    )


def _in_context(rule: Rule, p: Parsed) -> bool:
    c = rule.context
    return (
        p.unit in c.units
        and (c.long is None or c.long == p.long)
        and (c.max_tokens is None or len(p.tokens) <= c.max_tokens)
        and (not c.section or (p.rec_ctx if c.section == REC else p.prob_ctx))
    )


def _match(rule: Rule, p: Parsed, ev: Evidence) -> str | None:
    """The cue where `rule` fires on the statement, None where it does not."""
    text = p.body if rule.on == "body" else p.low
    if (
        not _in_context(rule, p)
        or (rule.unless and rule.unless.search(text))
        or (rule.requires and not rule.requires.search(text))
    ):
        return None
    if rule.test:
        return rule.test(p, ev)
    m = (rule.pattern.match if rule.anchored else rule.pattern.search)(text)
    return None if m is None else rule.cue or m.group(0)[: rule.cue_len]


def _apply(rule: Rule, p: Parsed, ev: Evidence) -> None:
    """A cue rule, with the adjustments of its weight."""
    cue = _match(rule, p, ev)
    if cue is None:
        return
    weight = rule.weight
    for adj in ADJUSTS_OF.get(rule.name, ()):
        if _match(adj, p, ev) is not None:
            weight += adj.weight
            ev.fired.append(adj.name)
    ev.add(rule, weight, cue)


@functools.cache
def _entries(lexicon: str) -> tuple[tuple[str, re.Pattern], ...]:
    """A word list's entries with the pattern of each: the entry where a word starts."""
    return tuple((t, re.compile(r"\b" + re.escape(t))) for t in LEXICONS[lexicon])


def _hits(rule: Rule, p: Parsed, before: list[str]) -> list[str]:
    """The problem words one pooled rule finds."""
    if rule.lexicon and rule.on == "lemmas":
        found = [t for t in LEXICONS[rule.lexicon] if t in p.lemmas]
    elif rule.lexicon:
        low = rule.ignore.sub(" ", p.low) if rule.ignore else p.low
        found = [t.strip() for t, pattern in _entries(rule.lexicon) if pattern.search(low)]
    else:
        found = [m.group(0)[: rule.cue_len] for m in rule.pattern.finditer(p.low)]
    return [h for h in found if h not in before] if rule.new_only else found


def _problem_words(p: Parsed, ev: Evidence) -> None:
    """The words of all pooled rules make one problem cue: the first word is its cue, and each
    word adds its rule's weight to the base."""
    weights = []
    for rule in POOLED_RULES:
        found = _hits(rule, p, ev.hits)
        if found:
            ev.hits += found
            weights += [rule.weight] * len(found)
            ev.fired.append(rule.name)
    if ev.hits:
        ev.prob.append((min(WORDS_CAP, WORDS_BASE + sum(weights)), ev.hits[0]))


def _section_cues(p: Parsed, ev: Evidence) -> None:
    """The heading a statement stands under is a cue of its own (after the others, which it reads).
    A heading does not stand under itself, and "Knelpunten" names a section of problems."""
    for rule in SECTION_RULES:
        cue = _match(rule, p, ev)
        if cue is not None:
            ev.add(rule, rule.weight, cue)
    if p.unit == "heading":
        ev.prob = [(x, c) for x, c in ev.prob if not SECTION_NOUN.match(c)]


def _section_boosts(p: Parsed, ev: Evidence) -> None:
    """Under a heading of its kind a cue counts more; a heading further up counts less."""
    if p.rec_ctx:
        ev.rec = [(min(BOOST_CAP, s + SECTION_BOOST), c) for s, c in ev.rec]
    if p.rec_anc:
        ev.rec = [(min(BOOST_CAP, s + ANCESTOR_BOOST), c) for s, c in ev.rec]
    if p.prob_ctx:
        ev.prob = [(min(BOOST_CAP, s + SECTION_BOOST), c) for s, c in ev.prob]


def _names_topic(cue: str, low: str) -> bool:
    """Whether a problem cue names a topic: a problem noun, or "ondervertegenwoordigde" before
    a noun ("ondervertegenwoordigde groepen") rather than a claim ("zijn ondervertegenwoordigd")."""
    if cue.startswith(TOPIC_NOUNS) or COMPOUND_PROBLEM.fullmatch(cue):
        return True
    return (
        cue == "ondervertegenwoordig"
        and "ondervertegenwoordigde " in low
        and not re.search(r"\bondervertegenwoordigd\b", low)
    )


def _topic_penalties(p: Parsed, ev: Evidence) -> None:
    """Where every problem cue names a topic, the topic rules (once, however many fire) and the
    lead-in lower the problem cues. They come after the section boosts, which would otherwise
    lift them again."""
    topic_only = all(_names_topic(h, p.low) for h in ev.hits) and all(
        c in ev.hits or c.startswith("onder kop") for _, c in ev.prob
    )
    if not topic_only:
        return
    fired = [RULE[name] for name in TOPIC_RULES if _match(RULE[name], p, ev) is not None]
    if fired:
        ev.adjust(fired[0])
        ev.fired += [r.name for r in fired[1:]]
    if _match(RULE["lead_in"], p, ev) is not None:
        ev.adjust(RULE["lead_in"])


def _context_adjustments(p: Parsed, ev: Evidence) -> None:
    """The clause a statement is adjusts all cues of a kind (a motion's grounds are no request)."""
    for rule in CONTEXT_ADJUSTMENT_RULES:
        if _match(rule, p, ev) is not None:
            ev.adjust(rule)


def _vetoes(p: Parsed, ev: Evidence) -> None:
    for rule in VETOES:
        if rule.weight < 1.0 and _match(rule, p, ev) is not None:
            ev.veto(rule)


def _short_filter(p: Parsed, ev: Evidence) -> None:
    """A heading or a fragment of under four words is no action point, and its heading does not
    make it a recommendation."""
    if p.unit == "heading" or len(p.tokens) < 4:
        ev.rec = [(x, c) for x, c in ev.rec if not c.startswith(("onder kop", "actiepunt"))]


def decide(ev: Evidence) -> tuple[str, float, str]:
    """Both kinds of cue: an explicit directive wins, a mere modal or "important" loses to a problem word."""
    best_rec = max(ev.rec, default=(0.0, ""))
    best_prob = max(ev.prob, default=(0.0, ""))
    if best_rec[0] >= THRESHOLD and (best_rec[0] >= DIRECTIVE or best_rec[0] > best_prob[0]):
        return "recommendation", round(best_rec[0], 2), best_rec[1]
    if best_prob[0] >= THRESHOLD:
        return "problem", round(best_prob[0], 2), best_prob[1]
    other = max(best_rec[0], best_prob[0])
    return "other", round(1.0 - other, 2), ""


def evaluate(text: str, doc, unit: str, section_path: str) -> Evidence:
    """The cues of one statement after every rule. `doc` is its spaCy Doc (lemmas)."""
    p = _parse(text, doc, unit, section_path)
    ev = Evidence()
    outright = next((r for r in VETOES if r.weight >= 1.0 and _match(r, p, ev) is not None), None)
    if outright:
        ev.fired.append(outright.name)
        return ev
    for rule in CUE_RULES:
        _apply(rule, p, ev)
    _problem_words(p, ev)
    _section_cues(p, ev)
    _section_boosts(p, ev)
    _topic_penalties(p, ev)
    _context_adjustments(p, ev)
    _vetoes(p, ev)
    _short_filter(p, ev)
    return ev


def classify(text: str, doc, unit: str, section_path: str) -> tuple[str, float, str]:
    """(kind, confidence, cue) for one statement. `doc` is its spaCy Doc (lemmas)."""
    return decide(evaluate(text, doc, unit, section_path))


LONG_ITEM = 15  # words; longer list items are cut into sentences
TABLE_KINDS = ("table_row", "table")  # blocks of a table: one unit each, never advice or a problem
MARKER = re.compile(r"(?<=[\s.;])(Verzoek|Advies|Aanbeveling|Oproep|Voorstel)\s*:")
# a motion is one sentence of clauses, each after a comma or semicolon: "gehoord de beraadslaging,",
# "constaterende dat ...;", "overwegende dat ...,", "verzoekt de regering ...,", "en gaat over tot de
# orde van de dag."; each clause is a statement of its own
MOTION_CLAUSE = re.compile(
    r"[,;:]\s+((?:gehoord de beraadslaging|constaterende|overwegende|van mening|verzoekt|spreekt uit|"
    r"(?:en )?gaat over tot de orde van de dag)\b)"
)


def _split_markers(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut a unit before an explicit marker ("... lerarentekort.4 Verzoek: neem ...") and before
    each clause of a motion."""
    marks = [m.start() for m in MARKER.finditer(text, start, end)]
    marks += [m.start(1) for m in MOTION_CLAUSE.finditer(text, start, end)]
    cuts = [start] + sorted(c for c in marks if c > start) + [end]
    return [(a, z) for a, z in zip(cuts, cuts[1:]) if text[a:z].strip()]


def extract(doc: Doc) -> list[Statement]:
    """All statements of a document, in reading order."""
    nlp = dutch(True)
    units: list[tuple[int, int, str, tuple[str, ...]]] = []
    prose = [(s, e, b) for s, e, b in doc.blocks if b.kind in ("paragraph", "footnote")]
    sents = {}
    for (s, _e, _b), parsed in zip(prose, nlp.pipe([doc.text[s:e] for s, e, _b in prose], batch_size=128)):
        sents[s] = [(s + a, s + z) for a, z in spans_of(parsed)]
    items = [(s, e) for s, e, b in doc.blocks if b.kind == "list_item" and len(doc.text[s:e].split()) > LONG_ITEM]
    for (s, _e), parsed in zip(items, nlp.pipe([doc.text[s:e] for s, e in items], batch_size=128)):
        sents[s] = [(s + a, s + z) for a, z in spans_of(parsed)]
    for s, e, b in doc.blocks:
        if b.kind == "footnote":
            continue
        if b.kind == "paragraph":
            for a, z in sents.get(s, [(s, e)]):
                units.extend((x, y, "sentence", b.section) for x, y in _split_markers(doc.text, a, z))
        elif b.kind == "heading":
            if len(doc.text[s:e].split()) >= 2:
                units.append((s, e, "heading", b.section))
        elif b.kind in TABLE_KINDS:
            units.append((s, e, "table_row", b.section))
        else:  # a list item is one unit; a long one with several sentences is cut into them
            parts = sents.get(s, [(s, e)])
            for a, z in parts:
                units.extend((x, y, "list_item", b.section) for x, y in _split_markers(doc.text, a, z))
    out: list[Statement] = []
    texts = [doc.text[a:z].strip() for a, z, _, _ in units]
    for (a, z, unit, section), text, parsed in zip(units, texts, nlp.pipe(texts, batch_size=256)):
        if len(text) < 8 or not re.search(r"[A-Za-zÀ-ÿ]{3}", text):
            continue
        # trim the unit to its stripped text so offsets point at it exactly
        a = a + (len(doc.text[a:z]) - len(doc.text[a:z].lstrip()))
        z = a + len(text)
        section_path = " > ".join(section)
        # a table cell states no advice or problem of its own: a row is a record, not a sentence
        kind, conf, cue = ("other", 1.0, "") if unit == "table_row" else classify(text, parsed, unit, section_path)
        page = doc.page_at(a)
        out.append(
            Statement(
                seq=len(out),
                start=a,
                end=z,
                text=text,
                page=page,
                page_label=doc.labels.get(page, str(page)),
                section=section[-1] if section else "",
                section_path=section_path,
                kind=kind,
                confidence=conf,
                cue=cue,
                unit=unit,
            )
        )
    return out
