"""
`python -m tgi_mock --replay DIR`: serve recordings made by `tgi-contract record`.

A request matches a recording with the same method, path, query and body (JSON bodies compared
with key order ignored). Several recordings of the same request are answered in recorded order,
the last one again once they are used up. The answer is the recorded status, headers and body,
byte for byte; SSE answers send each event at its recorded offset from the request (`speed` 2
halves the waits; `speed=None`, the CLI's `--replay-speed fast`, sends them at once).

An unmatched request gets 404 `{"error", "error_type": "replay_unmatched", "nearest",
"differences"}` naming the nearest recording (same method and path first, then the fewest
differing body keys) and what differs.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from starlette.types import Receive, Scope, Send

from tgi_mock.contract.recording import (
    HOP_BY_HOP,
    Recording,
    canonical,
    differences,
    load_recordings,
)

__all__ = ["ReplayApp", "parse_speed"]

_NOT_REPLAYED = HOP_BY_HOP | {"content-length", "date"}


def parse_speed(text: str) -> float | None:
    """`recorded` → 1.0, `fast` → None (no waits), a positive number → that speed factor."""
    if text == "recorded":
        return 1.0
    if text == "fast":
        return None
    speed = float(text)
    if speed <= 0:
        raise ValueError(f"replay speed must be positive, not {text}")
    return speed


def _key(method: str, path: str, query: str, body_key: str) -> tuple[str, str, str, str]:
    return (method.upper(), path, query, body_key)


def _body_key(body: bytes) -> tuple[str, Any]:
    try:
        parsed = json.loads(body) if body else None
    except ValueError:
        parsed = None
    if parsed is not None:
        return canonical(parsed), parsed
    text = body.decode("utf-8", "replace")
    return text, text


class ReplayApp:
    """ASGI app answering requests from a directory of recordings."""

    def __init__(self, directory: str | Path, *, speed: float | None = 1.0) -> None:
        self.directory = Path(directory)
        self.speed = speed
        self.recordings = load_recordings(self.directory)
        self._by_key: dict[tuple[str, str, str, str], list[Recording]] = defaultdict(list)
        for recording in self.recordings:
            key = _key(recording.method, recording.path, recording.query, recording.body_key())
            self._by_key[key].append(recording)
        self._used: dict[tuple[str, str, str, str], int] = defaultdict(int)

    def find(self, method: str, path: str, query: str, body: bytes) -> Recording | None:
        """The recording answering this request (advancing through repeats), or None."""
        key = _key(method, path, query, _body_key(body)[0])
        candidates = self._by_key.get(key)
        if not candidates:
            return None
        turn = self._used[key]
        self._used[key] = turn + 1
        return candidates[min(turn, len(candidates) - 1)]

    def nearest(
        self, method: str, path: str, query: str, body: bytes
    ) -> tuple[Recording | None, list[str]]:
        """The closest recording to an unmatched request and the keys that differ."""
        parsed = _body_key(body)[1]
        best: tuple[tuple[int, int], Recording, list[str]] | None = None
        for recording in self.recordings:
            recorded = recording.request_json
            if recorded is None:
                recorded = recording.request_body.decode("utf-8", "replace")
            diff = differences(recorded, parsed)
            if recording.query != query:
                diff = ["query", *diff]
            if (recording.method, recording.path) != (method.upper(), path):
                diff = ["method/path", *diff]
            score = (0 if diff[:1] != ["method/path"] else 1, len(diff))
            if best is None or score < best[0]:
                best = (score, recording, diff)
        return (best[1], best[2]) if best else (None, [])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        start = time.monotonic()
        body = b""
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        method, path = scope["method"], scope["path"]
        query = scope.get("query_string", b"").decode("latin-1")
        recording = self.find(method, path, query, body)
        if recording is None:
            await self._unmatched(send, method, path, query, body)
            return
        headers = [
            (k.encode("latin-1"), v.encode("latin-1"))
            for k, v in recording.response_headers
            if k.lower() not in _NOT_REPLAYED
        ]
        if recording.events is None:
            headers.append((b"content-length", str(len(recording.body)).encode()))
            await send(
                {"type": "http.response.start", "status": recording.status, "headers": headers}
            )
            await send({"type": "http.response.body", "body": recording.body, "more_body": False})
            return
        await send({"type": "http.response.start", "status": recording.status, "headers": headers})
        for offset, data in recording.events:
            if self.speed is not None:
                delay = start + offset / self.speed - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
            await send({"type": "http.response.body", "body": data, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _unmatched(self, send: Send, method: str, path: str, query: str, body: bytes) -> None:
        nearest, diff = self.nearest(method, path, query, body)
        message = f"no recording in {self.directory} matches {method} {path}"
        if nearest is not None:
            message += (
                f"; the nearest is {nearest.name}, which differs in {', '.join(diff) or 'nothing'}"
            )
        payload = {
            "error": message,
            "error_type": "replay_unmatched",
            "nearest": nearest.name if nearest else None,
            "differences": diff,
        }
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(data)).encode()),
        ]
        await send({"type": "http.response.start", "status": 404, "headers": headers})
        await send({"type": "http.response.body", "body": data, "more_body": False})
