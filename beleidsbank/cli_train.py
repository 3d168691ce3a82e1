"""`beleidsbank train-rerank`: learn the reranker's weights (index/rerank.py) from judged queries.

Each query of the training files (the eval's query format plus `split`: "train" or "valid") is
searched with the plain hybrid; its top `rerank_depth` hits get the reranker's features and a
grade: the highest grade of the relevant quotes the hit holds by the eval's matching rule
(index/evaluate.py), 0 when it holds none (as the eval counts it). The weights are fitted on
the "train" queries, the penalty chosen by cross-validation over them; the "valid" queries are
only measured: nDCG@10 of the plain hybrid against the reranked list, per language."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, replace
from pathlib import Path

import click
import numpy as np

from beleidsbank.ui.present import safe

from .cli_common import fail, model_option, settings_for
from .cli_eval import _read_gold
from .settings import repo_corpus

L2_GRID = (0.01, 0.1, 0.3, 1.0, 3.0)
FOLDS = 5


@dataclass
class Group:
    """One judged query with the plain hybrid's candidates: features, grades, and what the eval
    needs to score an order of them."""

    qid: str
    lang: str
    split: str
    x: np.ndarray
    y: np.ndarray
    hits: list[dict]  # doc_id and text per candidate
    relevant: list[dict]
    doc_ids: dict[str, str]

    def ndcg(self, order: np.ndarray | None = None) -> float:
        from beleidsbank.index.evaluate import score_query

        ranked = self.hits if order is None else [self.hits[i] for i in order]
        return score_query(ranked, self.relevant, self.doc_ids)["ndcg@10"]


def grade_of(hit, relevant: list[dict], doc_ids: dict[str, str]) -> float:
    """The highest grade among the relevant quotes `hit` holds (0 when none)."""
    from beleidsbank.index.evaluate import holds

    grades = [
        g.get("grade", 1)
        for g in relevant
        if hit.doc_id == doc_ids.get(g["doc"], g["doc"]) and holds(hit.text, g["quote"])
    ]
    return float(max(grades, default=0))


def usable_relevant(relevant) -> list[dict]:
    """The gold items of a line that name a document and a quote, with a grade of 0-3."""
    if not isinstance(relevant, list):
        return []
    return [
        g
        for g in relevant
        if isinstance(g, dict)
        and isinstance(g.get("doc"), str)
        and isinstance(g.get("quote"), str)
        and g.get("grade", 1) in (0, 1, 2, 3)
    ]


def collect(searcher, items: list[dict], doc_ids: dict[str, str], depth: int, progress=None) -> list[Group]:
    """A Group per query with a usable text and relevant quotes (other lines are left out)."""
    from beleidsbank.index.search import QueryError

    groups = []
    for n, item in enumerate(items, start=1):
        query, relevant = item.get("query"), usable_relevant(item.get("relevant"))
        if not isinstance(query, str) or not query.strip() or not relevant:
            continue
        try:
            hits = searcher.search(query, k=depth, mode="hybrid", rerank=False)
        except QueryError:
            continue
        y = np.array([grade_of(h, relevant, doc_ids) for h in hits])
        slim = [{"doc_id": h.doc_id, "text": h.text} for h in hits]
        x = searcher.rerank_features(query, hits)
        qid, lang, split = str(item.get("id", n)), item.get("lang", "nl"), item.get("split", "train")
        groups.append(Group(qid, lang, split, x, y, slim, relevant, doc_ids))
        if progress:
            progress(n, len(items))
    return groups


def measure(groups: list[Group], model=None) -> dict:
    """Mean nDCG@10 of the plain hybrid and, with `model`, of the reranked lists; per language."""
    out = {}
    for lang in ("all", "nl", "en"):
        sel = [g for g in groups if lang == "all" or g.lang == lang]
        if not sel:
            continue
        row = {"n": len(sel), "hybrid": float(np.mean([g.ndcg() for g in sel]))}
        if model is not None:
            row["rerank"] = float(np.mean([g.ndcg(_order(model, g)) for g in sel]))
        out[lang] = row
    return out


def _order(model, g: Group) -> np.ndarray:
    s = model.score(g.x)
    return np.array(sorted(range(len(s)), key=lambda i: (-float(s[i]), i)), dtype=int)


def choose_l2(train: list[Group], seed: int = 7) -> tuple[float, dict[float, float]]:
    """The L2 penalty with the best mean nDCG@10 over folds of the training queries (the middle
    of the grid when there are too few queries to fold)."""
    from beleidsbank.index.rerank import fit

    if len(train) < 2 * FOLDS:
        return L2_GRID[1], {}
    idx = list(range(len(train)))
    random.Random(seed).shuffle(idx)
    folds = [idx[f::FOLDS] for f in range(FOLDS)]
    cv = {}
    for l2 in L2_GRID:
        scores = []
        for fold in folds:
            held = set(fold)
            model = fit([(g.x, g.y) for i, g in enumerate(train) if i not in held], l2=l2)
            scores += [train[i].ndcg(_order(model, train[i])) for i in fold]
        cv[l2] = float(np.mean(scores))
    return max(cv, key=lambda v: (cv[v], v)), cv


@click.command(name="train-rerank")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--data-dir",
    "data_dirs",
    multiple=True,
    type=click.Path(file_okay=False),
    help="Datamap met de index van de documenten van de vragen: één voor alle bestanden, of één per bestand "
    "in dezelfde volgorde (standaard $BELEIDSBANK_DATA).",
)
@model_option
@click.option(
    "--manifest",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="manifest.toml die bronbestanden aan document-ids koppelt (standaard corpus/manifest.toml).",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help="Schrijf de gewichten hierheen (standaard het meegeleverde index/data/rerank.json).",
)
@click.option(
    "--reviews/--no-reviews",
    default=True,
    help="Neem de oordelen over zoekresultaten in de datamap(pen) mee als trainingsvragen "
    "(beleidsbank review result; standaard aan).",
)
def train_rerank(files, data_dirs, model, manifest, output, reviews):
    """Leer de herordening van zoekresultaten uit beoordeelde zoekvragen (JSONL met "split": train of
    valid); meet op het valid-deel en schrijf de gewichten."""
    from beleidsbank.index.evaluate import source_map
    from beleidsbank.index.rerank import DEFAULT_FILE, save

    if len(data_dirs) not in (0, 1, len(files)):
        fail(f"geef één --data-dir, of één per bestand ({len(files)}).")
    dirs = list(data_dirs) * len(files) if len(data_dirs) == 1 else list(data_dirs) or [None] * len(files)
    doc_ids = source_map(Path(manifest) if manifest else repo_corpus() / "manifest.toml")
    groups, depth, models, reviewed = _collect_all(files, dirs, model, doc_ids, reviews)
    if len(models) > 1:
        fail(f"de datamappen zijn met verschillende modellen gebouwd ({', '.join(sorted(models))}).")
    train = [g for g in groups if g.split != "valid"]
    valid = [g for g in groups if g.split == "valid"]
    if not any(g.y.size and g.y.max() > 0 for g in train):
        fail("geen enkele trainingsvraag heeft een relevante passage tussen de kandidaten; er valt niets te leren.")
    learned, l2, figures = _fit(train, valid)
    queries = {"train": len(train), "valid": len(valid), "reviews": reviewed}
    learned.info = {
        "trained": datetime.date.today().isoformat(),
        "files": [Path(f).name for f in files],
        "queries": queries,
        **{"depth": depth, "model": models.pop(), "l2": l2, "ndcg@10": figures},
    }
    target = Path(output) if output else DEFAULT_FILE
    try:
        save(learned, target)
    except OSError as exc:
        fail(f"de gewichten kunnen niet worden geschreven naar {safe(str(target))} ({exc.strerror}).")
    click.echo(f"Gewichten geschreven naar {target}")


def _collect_all(files, dirs, model, doc_ids: dict[str, str], reviews: bool):
    """The groups of every training file in its data dir, then of each data dir's reviews (once
    per data dir); the depth, the indexes' embedding models and how many groups came from reviews."""
    groups, depth, models = [], 0, set()
    for path, data_dir in zip(files, dirs):
        searched, depth, index_model = _collect_file(Path(path).name, _gold_of(Path(path)), data_dir, model, doc_ids)
        groups += searched
        models.add(index_model)
    reviewed = 0
    for data_dir in dict.fromkeys(dirs) if reviews else ():
        searched, _, index_model = _collect_file("oordelen", _reviews_of, data_dir, model, doc_ids)
        groups, reviewed = groups + searched, reviewed + len(searched)
        models.add(index_model)
    return groups, depth, models, reviewed


def _gold_of(path: Path):
    return lambda searcher: _read_gold(path)


def _reviews_of(searcher) -> list[dict]:
    """The users' verdicts on search results in the searcher's store, as training queries (all
    "train"; a query with no confirmed result is left out: nothing to rank against)."""
    from beleidsbank.index.reviews import reviews_as_training

    with searcher.store.read():
        return reviews_as_training(searcher.store)["queries"]


def _collect_file(name: str, read_items, data_dir, model, doc_ids: dict[str, str]) -> tuple[list[Group], int, str]:
    """The groups of one source of training queries (`read_items(searcher)`: a file's lines, or the
    store's reviews), searched in its data dir (with progress on stderr), the depth and the
    index's embedding model."""
    from beleidsbank.index.search import Searcher
    from beleidsbank.index.sentence_vectors import build_missing
    from beleidsbank.index.store import StoreError

    settings = settings_for(data_dir, model)
    try:
        searcher = Searcher(
            settings.data_dir,
            settings.model,
            params=replace(settings.search, rerank=False),
            embedding=settings.embedding,
        )
    except StoreError as exc:
        fail(str(exc))

    # the features need the index's sentence vectors: an index ingested before they existed gets them now
    built = build_missing(
        searcher.store, searcher.model_name, searcher.dim, searcher.embedder.encode_passages_with_spans
    )
    if built:
        click.echo(f"{name}: zinsvectoren gemaakt voor {built} passages", err=True)

    def progress(n: int, total: int) -> None:
        if n % 10 == 0 or n == total:
            click.echo(f"{name}: {n}/{total} vragen", err=True)

    try:
        items = read_items(searcher)
        groups = collect(searcher, items, doc_ids, settings.search.rerank_depth, progress)
        return groups, settings.search.rerank_depth, searcher.model_name
    finally:
        searcher.close()


def _fit(train: list[Group], valid: list[Group]):
    """The model fitted on `train` with the cross-validated penalty, and its figures, printed."""
    from beleidsbank.index.rerank import fit

    l2, cv = choose_l2(train)
    folds = ", ".join(f"{k:g}: {v:.3f}" for k, v in cv.items()) or "te weinig vragen om te vouwen"
    click.echo(f"L2 {l2:g}; per kruisvalidatie (nDCG@10 op train): {folds}")
    learned = fit([(g.x, g.y) for g in train], l2=l2)
    figures = {"train": measure(train, learned), "valid": measure(valid, learned)}
    for split, rows in figures.items():
        for lang, row in rows.items():
            click.echo(
                f"{split:<5} {lang:<3} n={row['n']:>3}  hybride {row['hybrid']:.3f}  herordend {row['rerank']:.3f}"
            )
    return learned, l2, figures
