"""The tables of the store, the schema version they make, and the shape of their rows.

`SCHEMA_VERSION` is stored in the meta table and checked when a store is
opened (see migrations.py). Change a table here only together with a
migration that brings existing stores to the new version.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import numpy as np

from .records import Passage

SCHEMA_VERSION = 6

DB_NAME = "beleidsbank.sqlite"

# one statement each (they run one at a time inside a write transaction)
TABLES = (
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS documents(
    id TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    title TEXT NOT NULL,
    short TEXT NOT NULL,
    publisher TEXT NOT NULL,
    year INTEGER,
    kind TEXT NOT NULL,
    language TEXT NOT NULL,
    n_pages INTEGER NOT NULL,
    text TEXT NOT NULL,
    page_labels TEXT NOT NULL,
    ingested_at TEXT NOT NULL
)""",
    """CREATE TABLE IF NOT EXISTS passages(
    rowid INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    page INTEGER NOT NULL,
    page_end INTEGER NOT NULL,
    page_label TEXT NOT NULL,
    section TEXT NOT NULL,
    section_path TEXT NOT NULL,
    kind TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    sentences TEXT NOT NULL,
    terms TEXT NOT NULL,
    vector BLOB NOT NULL
)""",
    "CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc_id, seq)",
    """CREATE TABLE IF NOT EXISTS statements(
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    page INTEGER NOT NULL,
    page_label TEXT NOT NULL,
    section TEXT NOT NULL,
    section_path TEXT NOT NULL,
    passage_id TEXT,
    kind TEXT NOT NULL,
    confidence REAL NOT NULL,
    cue TEXT NOT NULL,
    unit TEXT NOT NULL,
    text TEXT NOT NULL,
    theme INTEGER,
    vector BLOB
)""",
    "CREATE INDEX IF NOT EXISTS statements_doc ON statements(doc_id, seq)",
    "CREATE INDEX IF NOT EXISTS statements_kind ON statements(kind)",
    """CREATE TABLE IF NOT EXISTS links(
    rec_id TEXT NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
    prob_id TEXT NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
    rank INTEGER NOT NULL,
    score REAL NOT NULL,
    scope TEXT NOT NULL,
    evidence TEXT NOT NULL,
    PRIMARY KEY(rec_id, prob_id)
)""",
    "CREATE TABLE IF NOT EXISTS themes(id INTEGER PRIMARY KEY, label TEXT NOT NULL, terms TEXT NOT NULL, "
    "size INTEGER NOT NULL)",
)

# added in version 2: the statements of a passage (search results, the page view) are found by
# passage id; without this index each lookup scans the statements table
STATEMENTS_BY_PASSAGE = "CREATE INDEX IF NOT EXISTS statements_passage ON statements(passage_id)"

# added in version 3: what the reader said of each page (OCR or not, the text-quality verdict with
# its Dutch reasons, the OCR word boxes as JSON [text, x0, top, x1, bottom] lists), each passage's
# OCR flag and quality (the worst of its pages), and the user's metadata corrections. Corrections
# are kept apart from the parsed values, with no foreign key, so that replacing a document on
# re-ingest keeps them; a NULL column is a field left as parsed.
PASSAGE_OCR = "ALTER TABLE passages ADD COLUMN ocr INTEGER NOT NULL DEFAULT 0"
PASSAGE_QUALITY = "ALTER TABLE passages ADD COLUMN quality TEXT NOT NULL DEFAULT 'goed'"
PAGES = """CREATE TABLE IF NOT EXISTS pages(
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page INTEGER NOT NULL,
    ocr INTEGER NOT NULL,
    quality TEXT NOT NULL,
    reasons TEXT NOT NULL,
    words TEXT NOT NULL,
    PRIMARY KEY(doc_id, page)
)"""
# search looks up the few passages of poor pages once per generation: a partial index holds only those
POOR_PASSAGES = "CREATE INDEX IF NOT EXISTS passages_poor ON passages(quality) WHERE quality != 'goed'"
META_OVERRIDES = """CREATE TABLE IF NOT EXISTS meta_overrides(
    doc_id TEXT PRIMARY KEY,
    title TEXT,
    publisher TEXT,
    year INTEGER,
    kind TEXT,
    updated_at TEXT NOT NULL
)"""
VERSION_3 = (PASSAGE_OCR, PASSAGE_QUALITY, PAGES, POOR_PASSAGES, META_OVERRIDES)

# added in version 4: users' reviews (store_reviews.py). A review names what it judges by document
# id and text, never by row id or sequence number, so that it survives a re-ingest (which renumbers
# statements and passages) and re-attaches by text; no foreign key, for the same reason. `key` is a
# hash of the subject: a new verdict on the same subject replaces the old one.
REVIEWS = """CREATE TABLE IF NOT EXISTS reviews(
    key TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    text TEXT NOT NULL,
    other_doc TEXT NOT NULL DEFAULT '',
    other_text TEXT NOT NULL DEFAULT '',
    query TEXT NOT NULL DEFAULT '',
    verdict TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    who TEXT NOT NULL,
    at TEXT NOT NULL
)"""
VERSION_4 = (REVIEWS, "CREATE INDEX IF NOT EXISTS reviews_kind ON reviews(kind, doc_id)")

# added in version 5: accounts and access (store_accounts.py, access.py). Users by name with a role
# and a password hash; API tokens and sessions stored only as hashes of the secret; failed logins by
# name and client (rate limiting); the audit log; collections of documents open to all or to named
# users or roles (`collection_access.kind` is 'user' or 'role'); export lists with an owner and their
# shares. Collection membership names documents by id with no foreign key, so that a re-ingest (which
# replaces the document row) keeps it; times are ISO 8601 UTC text, expiry and attempts epoch seconds.
USERS = """CREATE TABLE IF NOT EXISTS users(
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK(role IN ('reader', 'editor', 'admin')),
    password TEXT NOT NULL,
    created TEXT NOT NULL
)"""
API_TOKENS = """CREATE TABLE IF NOT EXISTS api_tokens(
    hash TEXT PRIMARY KEY,
    user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    created TEXT NOT NULL,
    last_used TEXT
)"""
SESSIONS = """CREATE TABLE IF NOT EXISTS sessions(
    hash TEXT PRIMARY KEY,
    user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    created REAL NOT NULL,
    expires REAL NOT NULL
)"""
LOGIN_ATTEMPTS = "CREATE TABLE IF NOT EXISTS login_attempts(name TEXT NOT NULL, client TEXT NOT NULL, at REAL NOT NULL)"
AUDIT_LOG = """CREATE TABLE IF NOT EXISTS audit_log(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    user TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
)"""
COLLECTIONS = """CREATE TABLE IF NOT EXISTS collections(
    id TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    open_to_all INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL
)"""
COLLECTION_DOCUMENTS = """CREATE TABLE IF NOT EXISTS collection_documents(
    collection TEXT NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    doc_id TEXT NOT NULL,
    PRIMARY KEY(collection, doc_id)
)"""
COLLECTION_ACCESS = """CREATE TABLE IF NOT EXISTS collection_access(
    collection TEXT NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK(kind IN ('user', 'role')),
    principal TEXT NOT NULL,
    PRIMARY KEY(collection, kind, principal)
)"""
LISTS = """CREATE TABLE IF NOT EXISTS lists(
    token TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL
)"""
LIST_SHARES = """CREATE TABLE IF NOT EXISTS list_shares(
    list_token TEXT NOT NULL,
    owner TEXT NOT NULL,
    user TEXT NOT NULL,
    mode TEXT NOT NULL CHECK(mode IN ('read', 'edit')),
    created TEXT NOT NULL,
    PRIMARY KEY(list_token, user)
)"""
VERSION_5 = (
    USERS,
    API_TOKENS,
    "CREATE INDEX IF NOT EXISTS api_tokens_user ON api_tokens(user)",
    SESSIONS,
    "CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user)",
    LOGIN_ATTEMPTS,
    "CREATE INDEX IF NOT EXISTS login_attempts_key ON login_attempts(name, client, at)",
    AUDIT_LOG,
    COLLECTIONS,
    COLLECTION_DOCUMENTS,
    "CREATE INDEX IF NOT EXISTS collection_documents_doc ON collection_documents(doc_id)",
    COLLECTION_ACCESS,
    LISTS,
    LIST_SHARES,
    "CREATE INDEX IF NOT EXISTS list_shares_user ON list_shares(user)",
)

# added in version 6: a theme's one-line description, its broader theme (NULL: top level) and its
# member statements (JSON statement ids, the most typical, closest to the theme's centre, first); and the user's
# theme edits (rename, merge, split), kept apart from the computed themes and replayed on every
# rebuild so that they survive re-ingest. `detail` is JSON naming the themes by their member
# statement ids, which outlive theme ids.
THEME_DESCRIPTION = "ALTER TABLE themes ADD COLUMN description TEXT NOT NULL DEFAULT ''"
THEME_PARENT = "ALTER TABLE themes ADD COLUMN parent INTEGER"
THEME_MEMBERS = "ALTER TABLE themes ADD COLUMN members TEXT NOT NULL DEFAULT '[]'"
THEME_EDITS = """CREATE TABLE IF NOT EXISTS theme_edits(
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    action TEXT NOT NULL CHECK(action IN ('rename', 'merge', 'split')),
    detail TEXT NOT NULL,
    created TEXT NOT NULL
)"""
VERSION_6 = (THEME_DESCRIPTION, THEME_PARENT, THEME_MEMBERS, THEME_EDITS)

# every statement that makes a current store, in order
CURRENT = TABLES + (STATEMENTS_BY_PASSAGE,) + VERSION_3 + VERSION_4 + VERSION_5 + VERSION_6

DOCUMENT_COLUMNS = (
    "id",
    "path",
    "sha256",
    "title",
    "short",
    "publisher",
    "year",
    "kind",
    "language",
    "n_pages",
    "ingested_at",
)

PASSAGE_COLUMNS = (
    "rowid",
    "id",
    "doc_id",
    "seq",
    "page",
    "page_end",
    "page_label",
    "section",
    "section_path",
    "kind",
    "start",
    "end",
    "text",
    "sentences",
)

STATEMENT_COLUMNS = (
    "id",
    "doc_id",
    "seq",
    "start",
    "end",
    "page",
    "page_label",
    "section",
    "section_path",
    "passage_id",
    "kind",
    "confidence",
    "cue",
    "unit",
    "text",
    "theme",
)

DOCUMENT_SELECT = f"SELECT {', '.join(DOCUMENT_COLUMNS)} FROM documents"
PASSAGE_SELECT = (
    f"SELECT {', '.join('p.' + c for c in PASSAGE_COLUMNS)}, d.title, d.short, d.publisher, d.year, "
    f"p.ocr, p.quality FROM passages p JOIN documents d ON d.id = p.doc_id"
)
STATEMENT_SELECT = (
    f"SELECT {', '.join('s.' + c for c in STATEMENT_COLUMNS)}, d.short, d.publisher, d.year, "
    f"t.label FROM statements s JOIN documents d ON d.id = s.doc_id "
    f"LEFT JOIN themes t ON t.id = s.theme"
)
CHUNK = 500  # ids per IN (...) list


def passage_id(doc_id: str, seq: int) -> str:
    return f"{doc_id}:{seq:04d}"


def statement_id(doc_id: str, seq: int) -> str:
    return f"{doc_id}:s{seq:04d}"


def chunks(ids: list, size: int = CHUNK) -> Iterator[list]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def marks(values) -> str:
    """Placeholders for an IN (...) list of `values`."""
    return ",".join("?" * len(values))


def to_blob(vec: np.ndarray | None) -> bytes | None:
    return np.asarray(vec, dtype=np.float32).tobytes() if vec is not None else None


def to_vector(blob: bytes | None) -> np.ndarray | None:
    return np.frombuffer(blob, dtype=np.float32) if blob is not None else None


def passage_record(row) -> Passage:
    """A PASSAGE_SELECT row as a record."""
    *head, sentences, title, short, publisher, year, ocr, quality = row
    spans = tuple(tuple(s) for s in json.loads(sentences))
    return Passage(*head, spans, title, short, publisher, year, bool(ocr), quality)
