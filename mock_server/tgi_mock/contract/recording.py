"""
The recording format shared by `tgi-contract record` (writes) and
`python -m tgi_mock --replay` (reads): one JSON file per exchange, named
`NNNN-METHOD-route.json` (`0003-POST-generate_stream.json`, `0001-GET-info.json`; `/` is `root`),
numbered in arrival order; a new session in the same directory continues the numbering.

    {
      "format": "tgi-contract-recording/1",
      "index": 3,
      "upstream": "http://tgi:8080",
      "request": {
        "method": "POST", "path": "/generate_stream", "query": "",
        "headers": [["content-type", "application/json"], ["authorization", "Bearer <redacted>"]],
        "body": "{\\"inputs\\": ...}",           (the raw body; "body_base64" when not UTF-8)
        "json": {"inputs": ...}                  (the body parsed, when it is JSON)
      },
      "response": {
        "status": 200,
        "headers": [["content-type", "text/event-stream"], ...],
        "body": "...",                           (not SSE: the raw body; or "body_base64")
        "events": [{"t": 0.0132, "data": "data: {...}\\n\\n"}, ...],
                                                 (SSE: each event's raw bytes and the seconds
                                                  from the request to its arrival;
                                                  "data_base64" when not UTF-8)
        "complete": true,                        (false when the answer was cut)
        "elapsed": 0.41
      }
    }

The concatenated events are the body byte for byte. Hop-by-hop headers, `host` and
`content-length` are not saved; secrets are redacted (`Authorization: Bearer <redacted>`,
cookies, API keys, headers or query parameters named like a token, key, secret or password).
Replay matches on method, path, query and body (JSON compared with key order ignored), so
editing `request.json` changes what a recording answers.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

__all__ = [
    "FORMAT",
    "HOP_BY_HOP",
    "Recording",
    "canonical",
    "differences",
    "file_name",
    "load_recordings",
    "next_index",
    "redact_headers",
    "redact_query",
    "split_events",
]

FORMAT = "tgi-contract-recording/1"

HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-connection",
        "proxy-authenticate",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)
"""Headers that belong to one connection and are never forwarded nor saved."""

_SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key"}
)
_SECRET_WORDS = ("token", "secret", "password", "apikey", "api-key", "api_key", "signature")
_REDACTED = "<redacted>"
_EVENT_END = re.compile(rb"\r\n\r\n|\n\n|\r\r")


def _secret(name: str) -> bool:
    lowered = name.lower()
    return lowered in _SECRET_HEADERS or any(word in lowered for word in _SECRET_WORDS)


def redact_headers(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Headers fit to save: no hop-by-hop, `host` or `content-length`; secret values redacted
    (an auth scheme such as `Bearer` is kept)."""
    saved = []
    for name, value in headers:
        lowered = name.lower()
        if lowered in HOP_BY_HOP or lowered in ("host", "content-length"):
            continue
        kept = value
        if _secret(lowered):
            scheme, _, rest = value.partition(" ")
            kept = f"{scheme} {_REDACTED}" if rest and scheme.isalpha() else _REDACTED
        saved.append((lowered, kept))
    return saved


def redact_query(query: str) -> str:
    """The query string with the values of secret-looking parameters redacted."""
    if not query:
        return ""
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([(k, _REDACTED if _secret(k) else v) for k, v in pairs])


def split_events(chunks: list[tuple[float, bytes]]) -> list[tuple[float, bytes]]:
    """Re-cut timed chunks of an SSE body at event ends; an event takes the time of the chunk
    that completed it. A trailing partial event (a cut stream) is kept as is."""
    events: list[tuple[float, bytes]] = []
    pending = b""
    last = 0.0
    for offset, chunk in chunks:
        pending += chunk
        last = offset
        while match := _EVENT_END.search(pending):
            events.append((offset, pending[: match.end()]))
            pending = pending[match.end() :]
    if pending:
        events.append((last, pending))
    return events


def _blob(data: bytes, key: str) -> dict[str, str]:
    try:
        return {key: data.decode("utf-8")}
    except UnicodeDecodeError:
        return {f"{key}_base64": base64.b64encode(data).decode("ascii")}


def _unblob(node: dict[str, Any], key: str) -> bytes:
    if f"{key}_base64" in node:
        return base64.b64decode(node[f"{key}_base64"])
    return str(node.get(key, "")).encode("utf-8")


def canonical(value: Any) -> str:
    """JSON text with sorted keys: equal for bodies that differ only in key order."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _leaves(value: Any, prefix: str, into: dict[str, str]) -> dict[str, str]:
    if isinstance(value, dict) and value:
        for key, item in value.items():
            _leaves(item, f"{prefix}.{key}" if prefix else str(key), into)
    elif isinstance(value, list) and value:
        for number, item in enumerate(value):
            _leaves(item, f"{prefix}[{number}]", into)
    else:
        into[prefix or "(body)"] = canonical(value)
    return into


def differences(a: Any, b: Any) -> list[str]:
    """Dotted paths (`parameters.max_new_tokens`, `stop[1]`) where two JSON values differ."""
    left, right = _leaves(a, "", {}), _leaves(b, "", {})
    return sorted(key for key in left.keys() | right.keys() if left.get(key) != right.get(key))


@dataclass
class Recording:
    """One recorded exchange."""

    method: str
    path: str
    query: str = ""
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    request_body: bytes = b""
    status: int = 200
    response_headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    events: list[tuple[float, bytes]] | None = None
    """SSE answers: (seconds from the request, raw event bytes); None otherwise."""
    complete: bool = True
    elapsed: float = 0.0
    index: int = 0
    upstream: str = ""
    name: str = ""
    """The file name (set when loaded or saved)."""

    @property
    def request_json(self) -> Any:
        """The request body parsed as JSON, or None."""
        try:
            return json.loads(self.request_body) if self.request_body else None
        except ValueError:
            return None

    def body_key(self) -> str:
        """What replay compares request bodies by: canonical JSON, else the raw text."""
        parsed = self.request_json
        if parsed is not None:
            return canonical(parsed)
        return self.request_body.decode("utf-8", "replace")

    def to_json(self) -> dict[str, Any]:
        """The file's JSON object."""
        request: dict[str, Any] = {
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "headers": [list(pair) for pair in self.request_headers],
            **_blob(self.request_body, "body"),
        }
        if self.request_json is not None:
            request["json"] = self.request_json
        response: dict[str, Any] = {
            "status": self.status,
            "headers": [list(pair) for pair in self.response_headers],
        }
        if self.events is None:
            response.update(_blob(self.body, "body"))
        else:
            response["events"] = [
                {"t": round(offset, 4), **_blob(data, "data")} for offset, data in self.events
            ]
        response["complete"] = self.complete
        response["elapsed"] = round(self.elapsed, 4)
        return {
            "format": FORMAT,
            "index": self.index,
            "upstream": self.upstream,
            "request": request,
            "response": response,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], name: str = "") -> Recording:
        """Read a file's JSON object; `request.json`, when present, is the body replay matches."""
        if data.get("format") != FORMAT:
            raise ValueError(f"{name}: not a {FORMAT} file")
        request, response = data["request"], data["response"]
        body = _unblob(request, "body")
        if "json" in request:
            body = json.dumps(request["json"], ensure_ascii=False).encode("utf-8")
        events = None
        if "events" in response:
            events = [(float(e["t"]), _unblob(e, "data")) for e in response["events"]]
        answer = b"".join(data for _, data in events) if events is not None else None
        return cls(
            method=str(request["method"]).upper(),
            path=str(request["path"]),
            query=str(request.get("query", "")),
            request_headers=[(str(k), str(v)) for k, v in request.get("headers", [])],
            request_body=body,
            status=int(response["status"]),
            response_headers=[(str(k), str(v)) for k, v in response.get("headers", [])],
            body=answer if answer is not None else _unblob(response, "body"),
            events=events,
            complete=bool(response.get("complete", True)),
            elapsed=float(response.get("elapsed", 0.0)),
            index=int(data.get("index", 0)),
            upstream=str(data.get("upstream", "")),
            name=name,
        )

    def save(self, directory: Path) -> Path:
        """Write this recording into `directory` as `file_name(...)`."""
        self.name = file_name(self.index, self.method, self.path)
        target = directory / self.name
        text = json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n"
        target.write_text(text, encoding="utf-8")
        return target


def file_name(index: int, method: str, path: str) -> str:
    """`0003-POST-generate_stream.json`."""
    route = re.sub(r"[^A-Za-z0-9._-]+", "_", path.strip("/")) or "root"
    return f"{index:04d}-{method.upper()}-{route[:80]}.json"


def next_index(directory: Path) -> int:
    """One more than the highest number of the recordings already in `directory`."""
    numbers = [
        int(m.group(1)) for p in directory.glob("*.json") if (m := re.match(r"(\d+)-", p.name))
    ]
    return max(numbers, default=0) + 1


def load_recordings(directory: str | Path) -> list[Recording]:
    """Every recording of `directory`, in file-name order."""
    root = Path(directory)
    if not root.is_dir():
        raise FileNotFoundError(f"{root}: no such directory")
    recordings = []
    for path in sorted(root.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("format") == FORMAT:
            recordings.append(Recording.from_json(data, path.name))
    return recordings
