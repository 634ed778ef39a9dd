"""
The request side of the wire: the recording middleware and axum's `Json` extractor rejections.

`RecorderMiddleware` (outermost ASGI layer) catches up with the shared state, hands the admin
API's paths to it, reads each other request body once, records the request in the journal,
remembers whether the body exceeded `payload_limit`, keeps a handle on uvicorn's connection (so
a fault can really cut it), and replays the body to the app.

`json_body()` reproduces axum 0.7's `Json<T>` extractor, in its order: 415 without a JSON content
type, 413 over the payload limit, 400 when the body is not JSON, 422 when it does not fit the
Rust type. All four answers are plain text (`text/plain; charset=utf-8`), as axum sends them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import time
from collections import OrderedDict
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tgi_mock.journal import RecordedRequest
from tgi_mock.jsonwire import JsonSyntaxError, fast_parse, parse
from tgi_mock.schema import DecodeError, Spec, decode
from tgi_mock.state import MockState

__all__ = [
    "ConnectionDropped",
    "RecorderMiddleware",
    "Rejection",
    "drop_connection",
    "is_disconnected",
    "json_body",
    "plain",
    "raw_body",
]

_BODY = "mock.body"
_TOO_LARGE = "mock.too_large"
_CYCLE = "mock.cycle"


class Rejection(Exception):
    """An extractor rejection; `response` is the plain-text answer."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


class ConnectionDropped(Exception):
    """Raised when the server cannot close the connection itself (not running under uvicorn)."""


def plain(status: int, text: str) -> Response:
    """A plain-text answer like axum's rejections."""
    return Response(text, status_code=status, media_type="text/plain; charset=utf-8")


def _json_content_type(value: str | None) -> bool:
    if not value:
        return False
    mime = value.split(";", 1)[0].strip().lower()
    kind, _, subtype = mime.partition("/")
    if kind != "application" or not subtype or " " in subtype:
        return False
    return subtype == "json" or subtype.endswith("+json")


def raw_body(request: Request) -> bytes:
    """The request body as recorded by the middleware."""
    body = request.scope.get("extensions", {}).get(_BODY, b"")
    return body if isinstance(body, bytes) else b""


_decoded: OrderedDict[tuple[bytes, int], Any] = OrderedDict()
"""Bodies decoded before (load tests repeat theirs), oldest first; copies are handed out."""
_REMEMBERED_BODY = 8192


def _fresh(value: Any) -> Any:
    """A copy of decoded JSON that the caller may change."""
    if type(value) is dict:
        return {k: _fresh(v) if type(v) in _CONTAINERS else v for k, v in value.items()}
    if type(value) is list:
        return [_fresh(v) if type(v) in _CONTAINERS else v for v in value]
    return value


_CONTAINERS = (dict, list)


def json_body(request: Request, spec: Spec) -> Any:
    """Decode the body as `spec` or raise `Rejection` with axum's status and text."""
    if not _json_content_type(request.headers.get("content-type")):
        raise Rejection(plain(415, "Expected request with `Content-Type: application/json`"))
    if request.scope.get("extensions", {}).get(_TOO_LARGE):
        raise Rejection(plain(413, "Failed to buffer the request body: length limit exceeded"))
    body = raw_body(request)
    key = (body, id(spec))
    known = _decoded.get(key)
    if known is not None:
        return _fresh(known)
    fast = fast_parse(body)
    if fast is not None:
        with contextlib.suppress(DecodeError):  # parsed again below for serde's positions
            value = decode(fast, spec)
            if len(body) <= _REMEMBERED_BODY:
                _decoded[key] = value
                if len(_decoded) > 512:
                    _decoded.popitem(last=False)
            return _fresh(value)
    try:
        node = parse(body)
    except JsonSyntaxError as error:
        raise Rejection(plain(400, f"Failed to parse the request body as JSON: {error}")) from None
    try:
        return decode(node, spec)
    except DecodeError as error:
        text = f"Failed to deserialize the JSON body into the target type: {error}"
        raise Rejection(plain(422, text)) from None


def is_disconnected(request: Request) -> bool:
    """True once uvicorn has seen the connection close."""
    cycle = request.scope.get("extensions", {}).get(_CYCLE)
    return bool(getattr(cycle, "disconnected", False))


async def drop_connection(request: Request) -> None:
    """Close the TCP connection now (after flushing what was sent), without finishing the answer."""
    cycle = request.scope.get("extensions", {}).get(_CYCLE)
    transport = getattr(cycle, "transport", None)
    if transport is None or not hasattr(cycle, "disconnected"):
        raise ConnectionDropped("mock fault: connection dropped")
    transport.close()
    for _ in range(400):
        if cycle.disconnected:
            return
        await asyncio.sleep(0.005)


class RecorderMiddleware:
    """Outermost ASGI middleware: read and record every request, then replay its body."""

    def __init__(
        self,
        app: ASGIApp,
        state: MockState,
        admin: ASGIApp | None = None,
        admin_prefix: str | None = None,
    ) -> None:
        self.app = app
        self.state = state
        self.admin = admin
        self.admin_prefix = admin_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.state.sync()
        prefix = self.admin_prefix
        if self.admin is not None and prefix and scope["path"].startswith(prefix + "/"):
            await self.admin(scope, receive, send)  # not journaled
            return
        limit = self.state.config.payload_limit
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size <= limit:
                chunks.append(chunk)
            more = bool(message.get("more_body", False))
        body = b"".join(chunks) if size <= limit else b""
        headers: dict[str, str] = {}
        for raw_name, raw_value in scope.get("headers", []):
            name, value = raw_name.decode("latin-1").lower(), raw_value.decode("latin-1")
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        self.state.journal.record(
            RecordedRequest(
                method=scope["method"],
                path=scope["path"],
                query=scope.get("query_string", b"").decode("latin-1"),
                headers=headers,
                body=body,
                json=_loads(body),
                time=time.time(),
                worker=os.getpid(),
            )
        )
        extensions = scope.setdefault("extensions", {})
        extensions[_BODY] = body
        extensions[_TOO_LARGE] = size > limit
        extensions[_CYCLE] = getattr(send, "__self__", None)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, _one_write(send))


class _HeldWrites:
    """Stands for uvicorn's transport while a response head waits for its first body chunk."""

    def __init__(self, transport: Any) -> None:
        self.real = transport
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.chunks.append(data)

    def flush(self) -> None:
        if self.chunks:
            self.real.write(b"".join(self.chunks))
            self.chunks.clear()

    def close(self) -> None:
        self.flush()
        self.real.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


def _sized(message: Message) -> bool:
    return any(name.lower() == b"content-length" for name, _ in message.get("headers", ()))


def _one_write(send: Send) -> Send:
    """`send` writing a sized response's head together with its body: one write, one packet, one
    wake-up of the client instead of two (uvicorn writes each message at once). A stream's head
    (no content-length) still goes out at once, as TGI sends it before the first event."""
    cycle = getattr(send, "__self__", None)
    if cycle is None or getattr(cycle, "transport", None) is None:
        return send

    async def sending(message: Message) -> None:
        kind = message["type"]
        if kind == "http.response.start" and _sized(message):
            held = _HeldWrites(cycle.transport)
            cycle.transport = held
            try:
                await send(message)
            except BaseException:
                cycle.transport = held.real
                held.flush()
                raise
            return
        held = cycle.transport
        if kind == "http.response.body" and isinstance(held, _HeldWrites):
            try:
                await send(message)
            finally:
                cycle.transport = held.real
                held.flush()
            return
        await send(message)

    return sending


def _loads(body: bytes) -> Any:
    if not body:
        return None
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:  # NaN, huge integers, ...: what Python's json reads
        pass
    try:
        return json.loads(body)
    except ValueError:
        return None
