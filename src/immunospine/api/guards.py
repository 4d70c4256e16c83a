"""Abuse protections in front of every route: pure ASGI middleware (no per-request task).

- ``SecurityHeaders``: no-sniff, frame-deny, a referrer policy and a strict Content-Security-Policy
  on every response (the docs page and the web pages get one allowing only this server's own
  files); no CORS
  header is ever added, so browsers keep other sites out.
- ``BodyGuard``: for a request with a body under ``/api/``: only JSON (or a form on the paths
  that take one) — else 415; at most ``max_body_bytes`` — else 413; JSON nested at most
  ``max_json_depth`` deep — else 422 naming the limit. The body is read once and handed on.
- ``CatchAll``: any exception a route lets through becomes a 500 in the envelope, logged here;
  no traceback reaches the caller.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from immunospine.api.envelope import envelope_bytes
from immunospine.errors import FieldProblem

__all__ = ["BodyGuard", "CatchAll", "SecurityHeaders", "json_depth"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("immunospine.api")

API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'"
)
_COMMON_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
DOCS_PREFIXES = ("/api/docs", "/api/static/")
PAGES_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
"""The web pages' policy: only this server's own scripts (no inline script and no eval: the
charts use Vega's expression interpreter), inline styles for the charts' SVG, forms posted only
to this server."""


class SecurityHeaders:
    """Adds the security headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope["path"])
        if path.startswith(DOCS_PREFIXES):
            csp = DOCS_CSP
        elif path.startswith("/api/"):
            csp = API_CSP
        else:
            csp = PAGES_CSP
        extra = [*_COMMON_HEADERS, (b"content-security-policy", csp.encode())]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


_PAGE_500 = (
    b"<!doctype html><html lang=en><meta charset=utf-8><title>Something went wrong</title>"
    b"<h1>Something went wrong</h1><p>The server could not show this page. Please go back, "
    b"check whether what you entered was saved, and try again; if it happens again, tell "
    b'the people who run this site.</p><p><a href="/">Go to the start page</a></p></html>'
)


async def _answer(send: Send, status: int, body: bytes, headers: list[Any] | None = None) -> None:
    given = list(headers or [])
    kind = (
        []
        if any(k == b"content-type" for k, _ in given)
        else [(b"content-type", b"application/json")]
    )
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [*kind, (b"content-length", str(len(body)).encode()), *given],
        }
    )
    await send({"type": "http.response.body", "body": body})


class CatchAll:
    """The last line: an unexpected exception is logged and answered 500 in the envelope."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if not started and str(scope.get("path", "")).startswith("/api/"):
                await _answer(send, 500, envelope_bytes(500, ""))
            elif not started:  # a page: a page, still without a traceback
                await _answer(
                    send, 500, _PAGE_500, [(b"content-type", b"text/html; charset=utf-8")]
                )


_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def json_depth(body: bytes, limit: int) -> int:
    """The nesting depth of JSON text, counted until it passes ``limit`` (strings skipped)."""
    depth = deepest = 0
    for match in _TOKENS.finditer(body):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
        elif token in (b"]", b"}"):
            depth -= 1
    return deepest


def _media_type(headers: list[tuple[bytes, bytes]]) -> str | None:
    for key, value in headers:
        if key == b"content-type":
            return value.decode("latin-1").split(";", 1)[0].strip().lower()
    return None


def _declared_length(headers: list[tuple[bytes, bytes]]) -> int | None:
    for key, value in headers:
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class BodyGuard:
    """Content type, size and JSON depth of request bodies under ``/api/`` (see the module)."""

    JSON = "application/json"
    FORM = "application/x-www-form-urlencoded"

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        max_json_depth: int,
        form_paths: frozenset[str] = frozenset({"/api/v1/auth/token"}),
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_json_depth = max_json_depth
        self.form_paths = form_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope["path"]).startswith("/api/"):
            await self.app(scope, receive, send)
            return
        headers = list(scope.get("headers", []))
        declared = _declared_length(headers)
        if declared is not None and declared > self.max_body_bytes:
            await self._too_large(send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                await self._too_large(send)
                return
            chunks.append(chunk)
            more = bool(message.get("more_body", False))
        body = b"".join(chunks)
        if body:
            refusal = self._refusal(str(scope["path"]), _media_type(headers), body)
            if refusal is not None:
                status, text = refusal
                await _answer(send, status, text)
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    def _refusal(self, path: str, media: str | None, body: bytes) -> tuple[int, bytes] | None:
        allowed = [self.JSON, self.FORM] if path in self.form_paths else [self.JSON]
        if media not in allowed:
            given = f'"{media}"' if media else "none"
            message = f"the body must be sent as {' or '.join(allowed)} (Content-Type {given})"
            problem = FieldProblem(("header", "content-type"), message, "unsupported_media_type")
            return 415, envelope_bytes(415, message, (problem,))
        # Fewer opening brackets than the limit cannot nest deeper (most bodies: no scan).
        if media == self.JSON and body.count(b"[") + body.count(b"{") > self.max_json_depth:
            depth = json_depth(body, self.max_json_depth)
            if depth > self.max_json_depth:
                message = (
                    f"the JSON is nested more than {self.max_json_depth} levels deep (arrays "
                    "and objects inside each other); flatten it"
                )
                problem = FieldProblem(("body",), message, "too_deep")
                return 422, envelope_bytes(422, message, (problem,))
        return None

    async def _too_large(self, send: Send) -> None:
        message = f"the body is larger than {self.max_body_bytes} bytes, the most this server takes"
        problem = FieldProblem(("body",), message, "too_large")
        await _answer(send, 413, envelope_bytes(413, message, (problem,)))
