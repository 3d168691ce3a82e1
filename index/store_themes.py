"""The user's theme edits in the store (the `ThemesStore` mixin of `Store`), and replacing the
themes alone (a theme edit acts at once, without recomputing the links). Like store.py, this
module holds SQL (the store modules are the only ones that may)."""

from __future__ import annotations

import json
import time

from .records import Theme
from .theme_edits import Edit


class ThemesStore:
    """Theme edit methods of `Store`; they use `self.con` (the store's connection)."""

    def add_theme_edit(self, edit: Edit) -> None:
        self.con.execute(
            "INSERT INTO theme_edits(action, detail, created) VALUES(?,?,?)",
            (edit.action, json.dumps(edit.to_json(), ensure_ascii=False), time.strftime("%Y-%m-%dT%H:%M:%S")),
        )

    def theme_edits(self) -> list[Edit]:
        """The edits in the order they were made."""
        rows = self.con.execute("SELECT action, detail FROM theme_edits ORDER BY seq").fetchall()
        return [Edit.from_json(action, json.loads(detail)) for action, detail in rows]

    def sub_themes(self, visible: frozenset[str] | None = None) -> list[Theme]:
        """The sub-themes (`theme_nest`), by parent, largest first; with `visible`, as a viewer
        who sees those documents only sees them (`relations.visible_themes`)."""
        rows = self.con.execute(
            "SELECT id, label, terms, size, description, parent, members FROM themes WHERE parent IS NOT NULL "
            "ORDER BY parent, size DESC, id"
        ).fetchall()
        subs = [
            Theme(t, label, tuple(json.loads(terms)), n, desc, parent, tuple(json.loads(members)))
            for t, label, terms, n, desc, parent, members in rows
        ]
        if visible is None:
            return subs
        from .relations import visible_themes

        shown = visible_themes(subs, self.statements(visible=visible))
        return sorted(shown, key=lambda t: (t.parent, -t.size, t.id))

    def replace_themes(self, themes: list[Theme], assignment: dict[str, int | None]) -> None:
        """Drop the stored themes and store these (statement id -> theme id); links stay."""
        self.con.execute("DELETE FROM themes")
        self.con.execute("UPDATE statements SET theme=NULL")
        self.put_themes(themes, assignment)
