"""The export list as plain data: its file format, validation, and storage per browser session.

The app keeps the list in Streamlit's session state and mirrors every change to
`<data dir>/exportlijsten/<token>.json`, where the token is a random value kept
in the page URL (`?lijst=...`). Reloading the page opens a new Streamlit
session with the same URL, which finds the list again by its token. The same
JSON is what users download ("Lijst opslaan") and upload ("Lijst laden");
anything uploaded is checked field by field before it is used.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from pathlib import Path

FORMAT = "beleidsbank-exportlijst"
VERSION = 1
MAX_ITEMS = 2000
MAX_BYTES = 10_000_000
MAX_TEXT = 50_000
MAX_DEPTH = 6  # the format nests three deep (list file > items > item); more is not a list file
MAX_DIGITS = 12  # no field of the format holds a longer number
YEARS = range(1000, 3000)
PAGES = range(1, 1_000_001)
KEEP_DAYS = 90
TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")
STR_FIELDS = ("id", "doc_id", "title", "publisher", "page_label", "section", "kind", "text")
INT_FIELDS = ("year", "page")
BOOL_FIELDS = ("ocr",)  # the page was read by OCR (its citation says so)
KINDS = ("passage", "recommendation", "problem", "other")


class ExportListError(Exception):
    """A list file that cannot be loaded (Dutch message for users)."""


def new_token() -> str:
    return secrets.token_hex(16)


def valid_token(token) -> bool:
    return isinstance(token, str) and bool(TOKEN_RE.match(token))


def _depth(text: str) -> int:
    """The deepest nesting of brackets outside strings, in one linear pass (json.loads
    recurses per level, so a file of nested brackets must be refused before it parses)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _number(text: str):
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise ExportListError(f"De exportlijst bevat een getal van {len(text)} cijfers; zo lang is geen veld.")
    return int(text)


def _no_float(text: str):
    raise ExportListError(
        f"De exportlijst bevat een kommagetal ({text[:20]}); de velden zijn tekst of gehele getallen."
    )


def _parse(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ExportListError(
            "Het bestand is geen tekstbestand (geen UTF-8); kies een opgeslagen exportlijst (.json)."
        ) from None
    if _depth(text) > MAX_DEPTH:
        raise ExportListError("Het bestand is te diep genest voor een exportlijst; kies een opgeslagen exportlijst.")
    try:
        return json.loads(text, parse_int=_number, parse_float=_no_float, parse_constant=_no_float)
    except json.JSONDecodeError as exc:
        raise ExportListError(
            f"Het bestand is geen geldige JSON (regel {exc.lineno}, kolom {exc.colno}); "
            "kies een opgeslagen exportlijst (.json)."
        ) from None


def dumps(items: list[dict]) -> bytes:
    payload = {"formaat": FORMAT, "versie": VERSION, "items": [clean_item(it, n) for n, it in enumerate(items, 1)]}
    return json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")


def loads(data: bytes | str) -> list[dict]:
    """The items of a saved list; ExportListError with a Dutch reason for anything else."""
    if isinstance(data, str):
        try:
            data = data.encode("utf-8")
        except UnicodeEncodeError:
            raise ExportListError("De exportlijst bevat tekens die geen geldige Unicode zijn.") from None
    if len(data) > MAX_BYTES:
        raise ExportListError(f"Het bestand is te groot (meer dan {MAX_BYTES // 1_000_000} MB) voor een exportlijst.")
    payload = _parse(data)
    if not isinstance(payload, dict) or payload.get("formaat") != FORMAT:
        raise ExportListError("Dit is geen exportlijst van beleidsbank (het veld 'formaat' ontbreekt of klopt niet).")
    if payload.get("versie") != VERSION:
        raise ExportListError(
            f"Deze exportlijst heeft versie {payload.get('versie')!r}; "
            f"deze versie van beleidsbank leest alleen versie {VERSION}."
        )
    items = payload.get("items")
    if not isinstance(items, list):
        raise ExportListError("De exportlijst bevat geen lijst 'items'.")
    if len(items) > MAX_ITEMS:
        raise ExportListError(f"De exportlijst bevat {len(items)} items; het maximum is {MAX_ITEMS}.")
    out, seen = [], set()
    for n, it in enumerate(items, 1):
        item = clean_item(it, n)
        if item["id"] not in seen:
            seen.add(item["id"])
            out.append(item)
    return out


def clean_item(obj, n: int = 1) -> dict:
    """One item with only the known fields, each of the right type."""
    if not isinstance(obj, dict):
        raise ExportListError(f"Item {n} van de exportlijst is geen object met velden.")
    item = {}
    for f in STR_FIELDS:
        v = obj.get(f, "")
        if v is None:
            v = ""
        if not isinstance(v, str):
            raise ExportListError(f"Item {n}: het veld '{f}' moet tekst zijn.")
        if len(v) > MAX_TEXT:
            raise ExportListError(f"Item {n}: het veld '{f}' is te lang.")
        try:
            v.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate (U+D800) breaks every export and save later
            raise ExportListError(f"Item {n}: het veld '{f}' bevat ongeldige Unicode-tekens.") from None
        item[f] = v
    for f, allowed in zip(INT_FIELDS, (YEARS, PAGES)):
        v = obj.get(f)
        if v is not None and (isinstance(v, bool) or not isinstance(v, int)):
            raise ExportListError(f"Item {n}: het veld '{f}' moet een geheel getal zijn.")
        if v is not None and v not in allowed:
            bounds = f"{allowed.start}-{allowed.stop - 1}"
            raise ExportListError(f"Item {n}: het veld '{f}' ligt buiten het bereik {bounds}.")
        item[f] = v
    for f in BOOL_FIELDS:
        v = obj.get(f, False)
        if not isinstance(v, bool):
            raise ExportListError(f"Item {n}: het veld '{f}' moet waar of onwaar zijn.")
        item[f] = v
    if not item["id"].strip():
        raise ExportListError(f"Item {n} heeft geen id.")
    if not item["text"].strip():
        raise ExportListError(f"Item {n} heeft geen tekst (citaat).")
    if item["kind"] not in KINDS:
        raise ExportListError(f"Item {n}: onbekende soort '{item['kind'][:40]}'.")
    return item


def merge(current: list[dict], extra: list[dict]) -> list[dict]:
    """`current` followed by the items of `extra` it does not hold yet (by id)."""
    ids = {it["id"] for it in current}
    return list(current) + [it for it in extra if it["id"] not in ids]


# -- items made from what the app shows -------------------------------------


def hit_item(hit) -> dict:
    """An export list item for a search result."""
    return dict(
        id=hit.passage_id,
        doc_id=hit.doc_id,
        title=hit.title,
        publisher=hit.publisher,
        year=hit.year,
        page_label=hit.page_label,
        page=hit.page,
        ocr=bool(getattr(hit, "ocr", False)),
        section=hit.section,
        kind="passage",
        text=hit.text,
    )


def statement_item(store, s) -> dict:
    """An export list item for a store Statement."""
    doc = store.document(s.doc_id)
    return dict(
        id=s.id,
        doc_id=s.doc_id,
        title=doc.title if doc else s.doc_id,
        publisher=s.publisher or (doc.publisher if doc else ""),
        year=s.year,
        page_label=s.page_label,
        page=s.page,
        section=s.section,
        kind=s.kind,
        text=s.text,
    )


def passage_item(doc, p) -> dict:
    """An export list item for a passage of a document (store Document and Passage)."""
    return dict(
        id=p.id,
        doc_id=doc.id,
        title=doc.title,
        publisher=doc.publisher,
        year=doc.year,
        page_label=p.page_label,
        page=p.page,
        ocr=bool(getattr(p, "ocr", False)),
        section=p.section,
        kind="passage",
        text=p.text,
    )


# -- storage per browser session --------------------------------------------


def folder(data_dir: Path) -> Path:
    return Path(data_dir) / "exportlijsten"


def path_for(data_dir: Path, token: str) -> Path:
    if not valid_token(token):
        raise ValueError("invalid export list token")
    return folder(data_dir) / f"{token}.json"


def mint(data_dir: Path) -> str:
    """A new token, registered by writing its (empty) list: only tokens the server minted are
    ever used, so a token chosen by someone else in a link opens nothing."""
    token = new_token()
    save(data_dir, token, [])
    return token


def minted(data_dir: Path, token) -> bool:
    return valid_token(token) and path_for(data_dir, token).is_file()


def save(data_dir: Path, token: str, items: list[dict]) -> None:
    """Write atomically: a reload during a save finds the old list or the new one, never half of one."""
    path = path_for(data_dir, token)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(dumps(items))
    os.replace(tmp, path)


def load(data_dir: Path, token: str) -> list[dict]:
    """The stored list for a token; empty when there is none or it cannot be read."""
    try:
        return loads(path_for(data_dir, token).read_bytes())
    except (OSError, ValueError, ExportListError):
        return []


def prune(data_dir: Path, keep_days: int = KEEP_DAYS, now: float | None = None) -> int:
    """Remove stored lists untouched for `keep_days`; returns how many."""
    cutoff = (now or time.time()) - keep_days * 86400
    removed = 0
    for p in folder(data_dir).glob("*.json"):
        try:
            if p.stat().st_mtime < cutoff:
                p.unlink()
                removed += 1
        except OSError:
            pass
    return removed
