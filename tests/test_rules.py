"""The statement rules as data: each rule fires on each of its examples (and the statement gets
the kind the example states), fires on none of its misses, and the table is well formed."""

import pytest

from beleidsbank.index.lexicon import word_list
from beleidsbank.ingest import problem_rules, rules
from beleidsbank.ingest.nlp import dutch
from beleidsbank.ingest.rules import Example
from beleidsbank.ingest.statements import RULE, RULES, decide, evaluate


def _evaluate(example: Example):
    return evaluate(example.text, dutch(True)(example.text), example.unit, example.section)


def _cases(field):
    return [
        pytest.param(rule, ex, id=f"{rule.name}-{i}") for rule in RULES for i, ex in enumerate(getattr(rule, field))
    ]


@pytest.mark.parametrize("rule,example", _cases("examples"))
def test_rule_fires_on_its_examples(rule, example):
    ev = _evaluate(example)
    assert rule.name in ev.fired, (example.text, ev.fired)
    if example.kind:
        assert decide(ev)[0] == example.kind, example.text


@pytest.mark.parametrize("rule,example", _cases("misses"))
def test_rule_does_not_fire_on_its_misses(rule, example):
    ev = _evaluate(example)
    assert rule.name not in ev.fired, (example.text, ev.fired)


def test_every_rule_has_an_example():
    assert [r.name for r in RULES if not r.examples] == []


def test_rule_table_is_well_formed():
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))
    for rule in RULES:
        assert rule.kind in (rules.REC, rules.PROB, rules.ADJUST, rules.VETO), rule.name
        # one source: a pattern, a word list or a named test
        assert sum(map(bool, (rule.pattern, rule.lexicon, rule.test))) == 1, rule.name
        assert not rule.lexicon or rule.lexicon in rules.LEXICONS, rule.name
        assert rule.on in ("low", "body", "lemmas"), rule.name
        if rule.kind == rules.ADJUST:
            assert rule.target in RULE or rule.target in (rules.REC, rules.PROB), rule.name
        assert not rule.pooled or rule.kind == rules.PROB, rule.name
    assert set(problem_rules.TOPIC_RULES) <= set(names)


def test_word_lists(tmp_path):
    (tmp_path / "sample.txt").write_text('# a comment\nknelpunt\n\n  tekort   # trailing comment\n"vertrek "\n')
    assert word_list("sample", tmp_path) == ("knelpunt", "tekort", "vertrek ")
    # the shipped lists load, and the problem words keep the whole-word entry
    assert "vertrek " in word_list("problem_terms")
    assert rules.TOPIC_NOUNS and rules.LEXICONS["problem_lemmas"]
    assert rules.REC_SECTION.search("6.2 Concreet Actieplan") and rules.PROB_SECTION.search("Knelpunten")
