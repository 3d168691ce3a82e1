"""`beleidsbank theme list|rename|merge|split`: the themes, and the user's edits of them.

An edit is stored apart from the computed themes (index/theme_edits.py), naming its themes by
their statements, and replayed on every rebuild: it acts at once and holds after a re-ingest.
"""

from __future__ import annotations

import json

import click

from beleidsbank.ui.present import safe
from beleidsbank.ui.present_themes import (
    THEME_LABEL_EMPTY,
    THEME_MERGE_NEEDS_TWO,
    THEME_OVERIG_FIXED,
    THEME_SPLIT_TOO_SMALL,
    theme_line,
    theme_renamed,
    theme_split,
    themes_merged,
    unknown_theme,
)

from .cli_common import data_dir_option, fail, open_store, settings_for, usable_text

LABEL_CHARS = 80
TYPICAL_SHOWN = 3


@click.group(name="theme")
def theme() -> None:
    """Thema's bekijken en aanpassen: hernoemen, samenvoegen, splitsen (blijft gelden na een nieuwe ingest)."""


@theme.command("list")
@data_dir_option
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
def list_cmd(data_dir, as_json):
    """Toon de thema's met hun omschrijving en typerende uitspraken."""
    store = open_store(settings_for(data_dir))
    try:
        themes, subs = store.themes(), store.sub_themes()
        texts = {s.id: s for s in store.statements() if s.theme is not None}
    finally:
        store.close()
    under: dict[int, list] = {}
    for sub in subs:
        under.setdefault(sub.parent, []).append(sub)
    if as_json:
        rows = [t.to_json() | {"sub_themes": [s.to_json() for s in under.get(t.id, [])]} for t in themes]
        click.echo(json.dumps({"themes": rows}, ensure_ascii=False, indent=1))
        return
    for t in themes:
        click.echo(theme_line(t.id, safe(t.label), t.size))
        if t.description:
            click.echo(f"      {safe(t.description)}")
        for sid in t.members[:TYPICAL_SHOWN]:
            s = texts.get(sid)
            if s is not None:
                click.echo(f"      - {' '.join(safe(s.text).split())[:110]} ({s.doc_id} p. {s.page_label})")
        for sub in under.get(t.id, []):
            click.echo("    " + theme_line(sub.id, safe(sub.label), sub.size, safe(t.label)))


def _label(label: str) -> str:
    try:
        label = " ".join(usable_text(label, "naam").split())
    except click.BadParameter as exc:
        fail(exc.message)
    if not label:
        fail(THEME_LABEL_EMPTY)
    return label[:LABEL_CHARS]


def _edit(data_dir, act):
    """Run `act(store, themes)` in one write transaction, then rebuild the themes (edits replayed)."""
    from beleidsbank.index import theme_build
    from beleidsbank.index.store import Store, StoreError

    settings = settings_for(data_dir)
    try:
        store = Store.open(settings.data_dir, write=True, wait=settings.lock_wait)
    except StoreError as exc:
        fail(str(exc))
    try:
        with store.write(settings.lock_wait):
            themes = {t.id: t for t in store.themes()}
            message = act(store, themes)
            theme_build.refresh(store, settings.themes)
        click.echo(message)
    except StoreError as exc:
        fail(str(exc))
    finally:
        store.close()


def _members(store, theme_id: int) -> tuple[str, ...]:
    from beleidsbank.index.theme_build import statement_key

    return tuple(statement_key(s.doc_id, s.text) for s in store.statements(theme=theme_id))


def _known(themes: dict, theme_id: int):
    from beleidsbank.index.theme_build import is_overig

    if theme_id not in themes:
        fail(unknown_theme(theme_id))
    if is_overig(themes[theme_id]):
        fail(THEME_OVERIG_FIXED)
    return themes[theme_id]


@theme.command("rename")
@click.argument("theme_id", type=int)
@click.argument("label")
@data_dir_option
def rename(theme_id, label, data_dir):
    """Geef thema THEME_ID de naam LABEL."""
    from beleidsbank.index.theme_edits import Edit

    label = _label(label)

    def act(store, themes):
        old = _known(themes, theme_id).label
        store.add_theme_edit(Edit("rename", (_members(store, theme_id),), label))
        return theme_renamed(safe(old), safe(label))

    _edit(data_dir, act)


@theme.command("merge")
@click.argument("theme_ids", type=int, nargs=-1, required=True)
@click.option("--label", default=None, help="Naam van het samengevoegde thema (standaard die van het eerste).")
@data_dir_option
def merge(theme_ids, label, data_dir):
    """Voeg de thema's THEME_IDS samen tot één (het eerste)."""
    from beleidsbank.index.theme_edits import Edit

    ids = list(dict.fromkeys(theme_ids))
    if len(ids) < 2:
        fail(THEME_MERGE_NEEDS_TWO)
    label = _label(label) if label is not None else None

    def act(store, themes):
        labels = [_known(themes, t).label for t in ids]
        members = tuple(_members(store, t) for t in ids)
        store.add_theme_edit(Edit("merge", members))
        # the merged theme keeps the first one's name unless given another
        store.add_theme_edit(Edit("rename", (tuple(m for ms in members for m in ms),), label or labels[0]))
        return themes_merged([safe(x) for x in labels], safe(label or labels[0]))

    _edit(data_dir, act)


@theme.command("split")
@click.argument("theme_id", type=int)
@click.option("--label", default=None, help="Naam van het nieuwe deel (standaard berekend).")
@data_dir_option
def split(theme_id, label, data_dir):
    """Splits thema THEME_ID in twee, naar de betekenis van zijn uitspraken."""
    from beleidsbank.index.theme_edits import Edit

    label = _label(label) if label is not None else ""

    def act(store, themes):
        old = _known(themes, theme_id)
        part = _split_part(store, theme_id)
        if part is None:
            fail(THEME_SPLIT_TOO_SMALL)
        store.add_theme_edit(Edit("split", (_members(store, theme_id),), label, part))
        return theme_split(safe(old.label), safe(label or "(naam berekend)"), len(part))

    _edit(data_dir, act)


def _split_part(store, theme_id: int) -> tuple[str, ...] | None:
    """The smaller of two k-means halves of the theme's statements (their meaning vectors), as
    statement keys; None for a theme too small to split."""
    import numpy as np

    from beleidsbank.index import links, themes
    from beleidsbank.index.theme_build import statement_key

    items = [i for i in store.linkable() if i.theme == theme_id]
    if len(items) < 4:
        return None
    halves = themes.cluster(links.meaning_vectors(items), 2, keys=[i.id for i in items])
    small = int(np.argmin(np.bincount(halves, minlength=2)))
    part = tuple(statement_key(i.doc_id, i.text) for i, h in zip(items, halves) if h == small)
    return part or None
