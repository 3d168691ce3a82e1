"""Schema versions: create a new store, check an existing one, upgrade an older one.

The version lives in the meta table (key 'schema'). A store of an older
version is upgraded in one write transaction by the steps in `STEPS`; a store
of a newer version than this code knows is refused, never written to.
Version history:
  1  documents, passages, statements, links, themes
  2  an index on statements(passage_id)
  3  pages (OCR, text quality, OCR word boxes), passages.ocr and passages.quality,
     meta_overrides (the user's metadata corrections)
  4  reviews (users' verdicts on links, statement labels and search results)
  5  accounts and access: users, api_tokens, sessions, login_attempts, audit_log, collections,
     collection_documents, collection_access, lists, list_shares
  6  themes.description, themes.parent, themes.members; theme_edits (the user's renames, merges
     and splits of themes)
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from . import schema

log = logging.getLogger(__name__)

# how long a reader that has to upgrade a store waits for the write lock (ms); a writer
# (ingest) waits as long as for any write
READER_WAIT_MS = 2000


class StoreError(Exception):
    """A store that cannot be used as asked (message in Dutch, for users)."""


class NoIndexError(StoreError):
    """There is no store in the data directory (yet)."""

    def __init__(self, data_dir: Path | None = None, how: str = "beleidsbank ingest"):
        """`data_dir`: named in the message when given; `how`: the way to add documents."""
        where = f" in {data_dir}" if data_dir is not None else ""
        super().__init__(f"Er is nog geen index{where}: voeg eerst documenten toe ({how}).")
        self.data_dir = data_dir


def _v1_to_v2(con: sqlite3.Connection) -> None:
    for stmt in schema.TABLES:  # tables an early version-1 store may lack
        con.execute(stmt)
    con.execute(schema.STATEMENTS_BY_PASSAGE)


def _v2_to_v3(con: sqlite3.Connection) -> None:
    # the new passage columns default to what every page of an older store was: text, quality "goed"
    for stmt in schema.VERSION_3:
        con.execute(stmt)


def _v3_to_v4(con: sqlite3.Connection) -> None:
    for stmt in schema.VERSION_4:
        con.execute(stmt)


def _v4_to_v5(con: sqlite3.Connection) -> None:
    for stmt in schema.VERSION_5:
        con.execute(stmt)


def _v5_to_v6(con: sqlite3.Connection) -> None:
    for stmt in schema.VERSION_6:
        con.execute(stmt)


# version -> the step that brings a store of that version to the next one
STEPS = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4, 4: _v4_to_v5, 5: _v5_to_v6}


def stored_version(con: sqlite3.Connection) -> int | None:
    """The schema version a store records; None when it holds no store (yet)."""
    if con.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").fetchone() is None:
        return None
    row = con.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
    if row is None:
        return None
    try:
        return int(row[0])
    except ValueError:
        raise StoreError(f"De index heeft een onbekende schemaversie '{row[0]}'.") from None


def refuse_newer(version: int, data_dir: Path) -> None:
    if version > schema.SCHEMA_VERSION:
        raise StoreError(
            f"De index in {data_dir} is gemaakt met een nieuwere versie van beleidsbank (schema {version}; "
            f"deze versie kent schema {schema.SCHEMA_VERSION}). Werk beleidsbank bij of gebruik een andere datamap."
        )


def initialize(con: sqlite3.Connection, data_dir: Path) -> None:
    """Create the tables of a new store (or upgrade one another writer created meanwhile)."""
    con.execute("BEGIN IMMEDIATE")
    try:
        version = stored_version(con)
        if version is None:
            for stmt in schema.CURRENT:
                con.execute(stmt)
            con.execute("INSERT OR REPLACE INTO meta VALUES('schema', ?)", (str(schema.SCHEMA_VERSION),))
            con.execute("INSERT OR IGNORE INTO meta VALUES('generation', '0')")
        else:
            refuse_newer(version, data_dir)
            _steps(con, version, data_dir)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def upgrade(con: sqlite3.Connection, version: int, data_dir: Path, reader: bool) -> None:
    """Bring a store of an older `version` to the current one, or refuse a newer one.

    A reader waits only briefly for the write lock: a store that is being
    written to, or that it may not write, is reported in Dutch.
    """
    refuse_newer(version, data_dir)
    if version == schema.SCHEMA_VERSION:
        return
    if reader:
        con.execute(f"PRAGMA busy_timeout={READER_WAIT_MS}")
    try:
        con.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        raise _cannot_upgrade(exc, version, data_dir) from exc
    finally:
        if reader:
            con.execute("PRAGMA busy_timeout=60000")
    try:
        _steps(con, stored_version(con) or version, data_dir)
        con.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        con.execute("ROLLBACK")
        raise _cannot_upgrade(exc, version, data_dir) from exc
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _steps(con: sqlite3.Connection, version: int, data_dir: Path) -> None:
    """Run the upgrade steps from `version` on (inside a write transaction)."""
    start = version
    while version < schema.SCHEMA_VERSION:
        step = STEPS.get(version)
        if step is None:
            raise StoreError(f"De index in {data_dir} heeft schema {version}; dat kan deze versie niet bijwerken.")
        step(con)
        version += 1
    if version != start:
        con.execute("INSERT OR REPLACE INTO meta VALUES('schema', ?)", (str(version),))
        log.warning("De index in %s is bijgewerkt van schema %d naar %d.", data_dir, start, version)


def _cannot_upgrade(exc: sqlite3.OperationalError, version: int, data_dir: Path) -> StoreError:
    what = (
        f"De index in {data_dir} heeft een ouder formaat (schema {version}) en moet worden bijgewerkt "
        f"naar schema {schema.SCHEMA_VERSION}"
    )
    text = str(exc).lower()
    if "readonly" in text or "read-only" in text:
        return StoreError(
            f"{what}, maar de index is alleen-lezen. Open hem één keer met schrijfrechten "
            f"(bijvoorbeeld met beleidsbank ingest)."
        )
    if "locked" in text or "busy" in text:
        return StoreError(
            f"{what}, maar een ander proces (een ingest?) schrijft er nu in. Probeer het over een ogenblik opnieuw."
        )
    return StoreError(f"{what}, maar dat lukte niet: {exc}.")
