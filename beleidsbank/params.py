"""The tuning parameters of search, links, themes and advice: the groups `Settings` holds.

Part of the settings (settings.py imports them; import them from `beleidsbank.settings`):
each group goes to the functions that use it, whose defaults are the instances here, so a
plain call behaves as documented. Nothing here reads the environment or imports the project.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SearchParams:
    """Hybrid search (index/search.py)."""

    candidates: int = 100
    """Passages each side (dense, lexical) hands to the fusion; the fused top-k comes from these."""
    lexical_weight: float = 0.5
    """Weight of the lexical score (BM25 scaled by the best one) added to the dense score
    (cosine rescaled over the dense candidates); decided on the dev queries of ../shared/eval."""
    lexical_weight_en: float = 0.0
    """The lexical weight for an English question (index/intent.py tells the language): the corpus
    is Dutch, so its words match an English question by accident only (loan words, names) and
    the hybrid leans on meaning; decided on the dev queries per language (docs/decisions.md)."""
    max_query_chars: int = 2000
    """A longer query is cut to this many characters."""
    poor_page_factor: float = 0.85
    """A passage from a page whose text quality is "matig" counts this factor times its score, one
    from a "slecht" page the factor squared: a modest penalty, so a poor page still shows when it
    is the only place that answers. Pages of quality "goed" are not touched."""
    rerank: bool = True
    """Reorder a hybrid search's top candidates with the learned reranker (index/rerank.py) when its
    file is usable; `--no-rerank` turns it off. Kept only while it wins on the dev queries and the
    held-back part of the training data (training/README.md)."""
    rerank_depth: int = 30
    """How many of the hybrid's candidates the reranker reorders (and it is trained on): enough to
    hold the passages the hybrid ranks just below the first page; deeper lists give the small
    learned model more wrong passages to lift than right ones (decided on the dev and held-out
    queries and the training data's valid split together)."""
    rerank_file: str = ""
    """The reranker's coefficients (JSON); empty: the file shipped in index/data/rerank.json."""


@dataclass(frozen=True)
class LinkParams:
    """Linking recommendations to problems (index/links.py). The score of a pair is
    1 + w_meaning x corrected meaning + w_words x shared words + w_confidence x the problem's
    confidence over `neutral_confidence`, plus, within one document, w_section x shared section
    path + w_proximity x nearness. The weights were chosen on ../shared/eval/dev_links.jsonl and
    checked on eval/holdout_links.jsonl (Recall@5 within the gold link's scope); the figures
    are in docs/."""

    w_meaning: float = 2.0
    """Meaning (statement and passage vectors, hubness-corrected) outweighs shared words."""
    w_words: float = 0.6
    """Shared index features (stems and their 5-grams), weighted by rarity."""
    w_confidence: float = 0.3
    """A clearly stated problem is a likelier target than a borderline one."""
    neutral_confidence: float = 0.7
    """A problem labelled with this confidence gets no bonus or malus."""
    w_section: float = 0.2
    """Same document: the share of the recommendation's section path the problem shares."""
    w_proximity: float = 0.2
    """Same document: 1 for neighbours, falling to 0 at `proximity_span` statements apart."""
    proximity_span: int = 50
    """Statements apart at which nearness stops counting."""
    csls_k: int = 10
    """Neighbourhood size of the hubness correction (CSLS): a problem close to every
    recommendation counts for less than one close to this one in particular."""
    threshold: float = 0.75
    """Links scoring below this are not kept (within one document)."""
    threshold_cross: float = 0.5
    """Links to other documents scoring below this are not kept: they score lower, without the
    section and nearness terms. Both thresholds keep about 90% of the team's judged links of their
    scope above them (training/links.jsonl, train split: 0.52 across, 0.78 within documents)."""
    max_same: int = 5
    """Problems kept per recommendation in its own document."""
    max_cross: int = 5
    """Problems kept per recommendation in other documents."""
    candidates: int = 100
    """Learned scorer: nearest problems (pooled meaning, FAISS) considered per recommendation,
    besides every problem of its own document; also the depth of the mutual-rank lists."""
    exact_pairs: int = 4_000_000
    """Up to this many (recommendation, problem) pairs every pair is scored; above it only each
    recommendation's `candidates` nearest problems and its own document's (index/link_near.py),
    so the cost grows with the statements, not with their square."""
    learned: bool = True
    """Rank with the learned scorer (index/data/link_scorer.json) when it is present and fits
    the features; the hand-weighted score above otherwise."""
    repeat: float = 0.8
    """Two problems are one statement repeated (a summary repeating its chapter) when this share
    of their content stems is shared (Jaccard); the lower-scored one is left out of the list and
    named in the kept one's evidence."""


@dataclass(frozen=True)
class ThemeParams:
    """Themes (index/themes.py): k-means over the statements' embeddings and their words."""

    seed: int = 1234
    """Seed of k-means and of the randomized SVD: the same input gives the same themes."""
    topic_dims: int = 50
    """Latent topics (LSA dimensions) of the word view."""
    max_df: float = 0.5
    """A stem in more than this share of the statements names no topic."""
    max_themes: int = 14
    """At most this many themes (about sqrt(n/4) for n statements)."""
    min_theme_size: int = 39
    """At least this many statements per theme (k-means needs them)."""
    kmeans_iterations: int = 25
    """Iterations of k-means."""
    far_spread: float = 2.0
    """A statement is far from every theme (and gets none) when its best cosine with a theme's mean
    embedding lies more than this many times the spread of those cosines (median minus 10th
    percentile) below their median: a scale of the corpus's own, whatever the model."""
    sub_theme_size: int = 20
    """A theme of at least twice this many statements is split into sub-themes of about this size
    (index/theme_nest.py): about half the smallest theme; 0 turns sub-themes off."""
    max_sub_themes: int = 4
    """At most this many sub-themes per theme."""


@dataclass(frozen=True)
class AdviseParams:
    """Advice answers (index/advise.py): how a statement's signals are weighed, when advice is
    grouped and when a source counts as giving none. Chosen on ../shared/eval/dev_advice.jsonl
    and checked on eval/own_advice.jsonl (docs/decisions.md, "Advice answers")."""

    pool: int = 50
    """Cosines are rescaled over the question's candidates: the best is 1, the pool-th best 0."""
    passages: int = 50
    """Passages the hybrid search hands over (their scores are the passage signal, scaled by the best
    hit's): those further down add little to any statement's score, and the search cites each
    passage it hands over (its best sentence), at a cost per passage."""
    w_statement: float = 0.5
    """The statement's own vector against the question's."""
    w_context: float = 0.1
    """The vector of the passage the statement stands in."""
    w_passage: float = 0.3
    """The passage's hybrid score (language-dependent fusion, SearchParams)."""
    w_section: float = 0.1
    """The share of the topic's stems in the headings above the statement."""
    w_words: float = 1.0
    """BM25 of the topic's index features in the statement's text, scaled by the best statement."""
    w_linked: float = 0.1
    """How close the statements it is linked to (problems of a recommendation) are to the question."""
    w_own: float = 0.5
    """The statement's text embedded on its own (index/own_vectors.py) against the question's topic."""
    lexical_factor_en: float = 0.3
    """The word and section signals of an English question count this much: its words meet the Dutch
    text only through cognates and names that share stems or 5-grams (technologie, internationaal)."""
    group_threshold: float = 0.90
    """Two recommendations of different sources say the same thing from this cosine on (their texts
    embedded on their own, symmetric prompt): the lowest value at which no two gold
    recommendations of different dev advice questions (different topics) were grouped."""
    without_z: float = 1.0
    """A source gives advice on a question when one of its statements stands out in meaning: its
    cosine with the question at least this many standard deviations above the mean cosine of the
    question's candidate statements; a source with none is named in `sources_without`."""
    linked: int = 3
    """Linked statements shown per answer item."""
    w_confidence: float = 0.2
    """How sure the labelling was that the statement advises (or names a problem): a statement that
    only just passed the label's threshold is more often a description than advice."""
