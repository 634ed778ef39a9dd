"""
Server-Sent Events framing, byte for byte as TGI sends it.

TGI 2.1 and later (axum 0.7): `data: <compact json>\n\n`. TGI 2.0 and older (axum 0.6):
`data:<json>\n\n`
(`legacy=True`). Keep-alive is the comment line `:` and a blank line. `/v1/*` streams end with
`data: [DONE]\n\n`. JSON is compact (`","` and `":"` separators) and keeps non-ASCII text as UTF-8,
as serde_json does.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

__all__ = ["DONE", "KEEP_ALIVE", "dumps", "fast_dumps", "fast_frame", "frame"]

KEEP_ALIVE = b":\n\n"
"""The keep-alive comment TGI sends after `keep_alive` seconds without an event."""

DONE = "[DONE]"
"""The payload of the last event of `/v1/*` streams."""


def dumps(payload: Any) -> str:
    """Compact JSON like serde_json: no spaces, UTF-8 kept, NaN never produced (use None)."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def frame(payload: Any, *, legacy: bool = False) -> bytes:
    """One `data:` event; a `str` payload (such as `DONE`) is sent as is, anything else as JSON."""
    data = payload if isinstance(payload, str) else dumps(payload)
    prefix = "data:" if legacy else "data: "
    return f"{prefix}{data}\n\n".encode()


def fast_dumps(payload: Any) -> bytes:
    """`dumps()` through orjson, as UTF-8, for payloads whose floats are ordinary (orjson writes
    `1e-5` where Python writes `1e-05`; the generated logprobs never come near that)."""
    try:
        return orjson.dumps(payload)
    except TypeError:  # an integer beyond 64 bits
        return dumps(payload).encode("utf-8")


def fast_frame(payload: Any, *, legacy: bool = False) -> bytes:
    """`frame()` through `fast_dumps()`."""
    return (b"data:" if legacy else b"data: ") + fast_dumps(payload) + b"\n\n"
