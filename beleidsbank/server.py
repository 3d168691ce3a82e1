"""The REST API of `beleidsbank serve` (FastAPI): the CLI's JSON answers under /api/, its OpenAPI
schema at /openapi.json.

One process serves the API: the model and the searcher load once (on the first question) and
are shared by the request threads; every other read opens the store for reading per request,
so the app and the API can serve the same store at the same time, and an ingest through the API
takes the store's write lock like any other. Errors are JSON, `{"fout": <Dutch message>, "code":
<status>}`, never a traceback. Who asks is told by an `Authorization: Bearer TOKEN` header
(index/access.py); once an account exists, a request without a valid token gets 401. Each client
(its token, else its address) has a token bucket of requests (ApiParams.rate, .burst).

The routes are in server_routes.py (reading) and server_write.py (upload, reviews, export).
"""

from __future__ import annotations

import hashlib
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from beleidsbank.settings import Settings
from beleidsbank.ui.present_api import API_ERRORS

from .server_models import ApiErrorBody

READ_BODY_LIMIT = 1_000_000  # bytes of a request that is not an upload (a review is a few lines of JSON)
ERROR_RESPONSES = {s: {"model": ApiErrorBody} for s in (400, 401, 403, 404, 413, 422, 429, 500)}


class ApiError(Exception):
    """An answer other than 200, with its Dutch message."""

    def __init__(self, status: int, message: str | None = None, headers: dict | None = None):
        super().__init__(message or API_ERRORS.get(status, API_ERRORS[500]))
        self.status = status
        self.message = str(self)
        self.headers = headers or {}


def error_response(status: int, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"fout": message, "code": status}, status_code=status, headers=headers)


@dataclass(frozen=True)
class _Local:
    """Who asks while index/access.py offers no accounts: local use, every document, every right."""

    name: str | None = None
    role: str = "admin"
    visible: frozenset[str] | None = None

    def may(self, action: str) -> bool:
        return True


def _access():
    """index/access.py, or None where this version has no accounts."""
    try:
        from beleidsbank.index import access
    except ImportError:
        return None
    return access


class Context:
    """What the request threads share: the settings, the searcher (made once) and the rate buckets."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._searcher = None
        self._lock = threading.Lock()
        self.buckets = Buckets(settings.api.rate, settings.api.burst)

    def searcher(self):
        """The shared searcher; the model loads on its first question."""
        from beleidsbank.index.search import Searcher
        from beleidsbank.index.store import StoreError

        with self._lock:
            if self._searcher is None:
                s = self.settings
                try:
                    self._searcher = Searcher(s.data_dir, s.model, params=s.search, embedding=s.embedding)
                except StoreError as exc:  # no index yet, or one of another model
                    raise ApiError(404, self.hide_paths(str(exc))) from None
            return self._searcher

    def embedder_if_loaded(self):
        """The searcher's model when it is there (an ingest then needs no second copy)."""
        with self._lock:
            return self._searcher.embedder if self._searcher is not None else None

    def forget_searcher(self) -> None:
        """After the first ingest into an empty data directory: the next question makes one."""
        with self._lock:
            if self._searcher is not None and self._searcher.store.get_meta("model") is None:
                self._searcher = None

    def hide_paths(self, text: str) -> str:
        """A message without the server's folders: the data dir is named, not shown."""
        for where in {str(self.settings.data_dir), str(Path(self.settings.data_dir).resolve())}:
            text = text.replace(where, "de datamap")
        return text

    @contextmanager
    def reading(self, request: Request, action: str = "read"):
        """(store, viewer) for one request: the store opened for reading, and who asks, allowed
        `action` (401 without a valid token once accounts exist, 403 without the right)."""
        from beleidsbank.index.store import Store, StoreError

        try:
            store = Store.open(self.settings.data_dir)
        except StoreError as exc:
            raise ApiError(404, self.hide_paths(str(exc))) from None
        try:
            viewer = self.viewer(store, request)
            if not viewer.may(action):
                raise ApiError(403, _not_allowed(viewer.role))
            yield store, viewer
        finally:
            store.close()

    def viewer_without_store(self):
        """Who asks where there is no store yet (so no accounts): local use."""
        access = _access()
        return access.LOCAL if access is not None else _Local()

    def viewer(self, store, request: Request):
        """Who asks: the one place that reads the token (index/access.py's contract)."""
        access = _access()
        if access is None or not access.accounts_exist(store):
            return access.LOCAL if access is not None else _Local()
        token = bearer(request)
        viewer = access.viewer_for_token(store, token) if token else None
        if viewer is None:
            raise ApiError(401, headers={"WWW-Authenticate": "Bearer"})
        return viewer


def _not_allowed(role: str) -> str:
    try:
        from beleidsbank.ui.present import not_allowed
    except ImportError:
        return API_ERRORS[403]
    return not_allowed(role)


def bearer(request: Request) -> str | None:
    """The token of an `Authorization: Bearer TOKEN` header, or None."""
    value = request.headers.get("authorization", "")
    scheme, _, token = value.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


class Buckets:
    """A token bucket per client: `burst` requests at once, refilled at `rate` per second."""

    MAX_CLIENTS = 10_000  # buckets kept; the fullest (idle) ones are dropped first

    def __init__(self, rate: float, burst: int):
        self.rate, self.burst = rate, max(1, burst)
        self._levels: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, client: str, now: float | None = None) -> float:
        """0 when `client` may make a request now (one token taken), else seconds to wait."""
        if self.rate <= 0:
            return 0.0
        now = time.monotonic() if now is None else now
        with self._lock:
            level, at = self._levels.get(client, (float(self.burst), now))
            level = min(float(self.burst), level + (now - at) * self.rate)
            if level < 1.0:
                self._levels[client] = (level, now)
                return (1.0 - level) / self.rate
            self._levels[client] = (level - 1.0, now)
            if len(self._levels) > self.MAX_CLIENTS:
                self._levels = dict(sorted(self._levels.items(), key=lambda kv: kv[1][0])[: self.MAX_CLIENTS // 2])
            return 0.0


def client_key(request: Request) -> str:
    """Whose bucket a request takes from: its token (hashed), else its address."""
    token = bearer(request)
    if token:
        return "t:" + hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()
    return "a:" + (request.client.host if request.client else "?")


def create_app(settings: Settings) -> FastAPI:
    """The API over `settings.data_dir`."""
    from . import server_routes, server_write
    from .server_limits import BodyLimit, install_errors

    app = FastAPI(
        title="beleidsbank",
        summary="Kennisbank over Nederlandse beleidsdocumenten: dezelfde antwoorden als de JSON van de CLI.",
        version="1",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.context = Context(settings)
    install_errors(app)
    app.include_router(server_routes.router, responses=ERROR_RESPONSES)
    app.include_router(server_write.router, responses=ERROR_RESPONSES)
    upload = settings.api.max_upload_mb * 1_000_000
    app.add_middleware(BodyLimit, limits={"/api/documents": upload}, default=READ_BODY_LIMIT)
    return app


def context(request: Request) -> Context:
    return request.app.state.context
