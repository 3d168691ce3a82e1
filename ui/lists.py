"""Export lists of a team: with accounts, a list belongs to the user who made it and can be
shared with named users to read or to change (the `lists` and `list_shares` tables of the store).

The items of a list stay where they are without accounts: `<data dir>/exportlijsten/<token>.json`
(exportlist.py, with its validation); this module only says whose a list is and who else may
read or change it. A token alone opens nothing here: a user reaches a list they own or one shared
with them, whatever the URL says. Without accounts (local use) lists work as before, by token.

A shared list may hold items of documents a user may not see: those are never shown to that
user, and when they change the list, the hidden items are kept (after the visible ones).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from beleidsbank.index.access import now_iso
from beleidsbank.index.store import Store
from beleidsbank.ui import exportlist

OWNER, EDIT, READ = "owner", "edit", "read"


@dataclass(frozen=True)
class ListChoice:
    token: str
    owner: str
    mode: str  # owner | edit | read
    size: int  # the items the user may see


def mode(store: Store, token: str | None, name: str) -> str | None:
    """What `name` may do with the list `token`: owner, edit, read, or None (nothing)."""
    if not exportlist.valid_token(token):
        return None
    owner = store.list_owner(token)
    if owner is None:
        return None
    if owner == name:
        return OWNER
    return next((s.mode for s in store.list_shares(token) if s.user == name), None)


def choices(store: Store, data_dir: Path, name: str, sees) -> list[ListChoice]:
    """The user's own lists (oldest first), then the lists shared with them; each with the number
    of its items the user may see (`sees`: doc id -> bool)."""
    own = [ListChoice(t, name, OWNER, 0) for t in store.lists_of(name)]
    shared = [ListChoice(s.list_token, s.owner, s.mode, 0) for s in store.shared_with(name) if s.owner != name]
    out = []
    for c in own + shared:
        if exportlist.minted(data_dir, c.token):
            shown, _ = split(exportlist.load(data_dir, c.token), sees)
            out.append(ListChoice(c.token, c.owner, c.mode, len(shown)))
    return out


def create(store: Store, data_dir: Path, name: str) -> str:
    """A new empty list owned by `name`; its token."""
    token = exportlist.mint(data_dir)
    with store.write():
        store.add_list(token, name, now_iso())
    return token


def share(store: Store, token: str, owner: str, user: str, how: str) -> None:
    """Share the list with `user` to read or to change it (again: the new mode holds)."""
    with store.write():
        store.share_list(token, owner, user, how, now_iso())


def unshare(store: Store, token: str, user: str) -> None:
    with store.write():
        store.unshare_list(token, user)


def split(items: list[dict], sees) -> tuple[list[dict], list[dict]]:
    """(the items the viewer may see, the others), each in list order."""
    shown = [it for it in items if sees(it.get("doc_id", ""))]
    return shown, [it for it in items if not sees(it.get("doc_id", ""))]
