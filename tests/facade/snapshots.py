"""The recorded TGI answers of ``tests/reference/tgi-snapshots`` and their wire forms.

The folder lies beside the repository (see its MANIFEST.md): real ``/generate`` answers, their
requests (``requests.json``), two raw SSE bodies and one HTTP 422 body. This module finds it (a
missing folder fails a test, never skips it), lists its files for parametrizing, loads an answer
with its request as a ``Snapshot``, and builds what a server sends for it: the answer in wire form
(without the ``null`` keys TGI omits), the ``/generate_stream`` events a TGI server would send for
the same answer, and those events framed as SSE (``data: `` since TGI 2.1, ``data:`` before,
CRLF line endings), whole or in awkward pieces.
"""

from __future__ import annotations

import copy
import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from text_generation.types import Grammar

REPO_ROOT = Path(__file__).resolve().parents[2]
SNAPSHOTS = REPO_ROOT / "tests" / "reference" / "tgi-snapshots"
MISSING = (
    f"the TGI snapshots folder {SNAPSHOTS} is missing: the replay tests read the "
    "recorded answers kept in the repository (tests/reference/tgi-snapshots)"
)

#: 0.7.0 keyword names that differ from the wire (GenerateParameters) names.
WIRE_NAMES = {"stop_sequences": "stop"}
#: Keywords of ``generate`` that ``generate_stream`` does not take (TGI refuses them on streams).
NOT_STREAMABLE = ("best_of", "decoder_input_details")
#: How SSE events are framed: TGI >= 2.1 (axum 0.7) writes ``data: ``, TGI <= 2.0 ``data:``.
FRAMINGS = {
    "data-space-lf": ("data: ", "\n"),
    "data-nospace-lf": ("data:", "\n"),
    "data-space-crlf": ("data: ", "\r\n"),
}


def _listing(pattern: str) -> list[str]:
    if not SNAPSHOTS.is_dir():
        return []
    return sorted(p.name for p in SNAPSHOTS.glob(pattern))


ANSWERS = [n for n in _listing("*.json") if n != "requests.json" and not n.endswith(".422.json")]
RAW_STREAMS = _listing("*.sse")
ERROR_BODIES = _listing("*.422.json")


def file_params(names: list[str]) -> list[Any]:
    """One parameter per file, with the file's stem as id; a failing placeholder when none."""
    if not names:
        return [pytest.param("", id="snapshots-missing")]
    return [pytest.param(n, id=n.removesuffix(".json")) for n in names]


def snapshot_path(name: str) -> Path:
    """The path of a snapshot file; fails the test (never skips) when the folder is absent."""
    if not SNAPSHOTS.is_dir():
        pytest.fail(MISSING)
    if not name:
        pytest.fail(f"no snapshot file of this kind in {SNAPSHOTS}")
    return SNAPSHOTS / name


@functools.cache
def recorded_requests() -> dict[str, Any]:
    """``requests.json``: file name -> {"prompt", "kwargs"}."""
    path = snapshot_path("requests.json")
    requests: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return requests


@dataclass(frozen=True)
class Snapshot:
    """A recorded answer and the request that produced it."""

    name: str
    raw: bytes
    answer: dict[str, Any]
    prompt: str
    kwargs: dict[str, Any]

    @classmethod
    def load(cls, name: str) -> Snapshot:
        raw = snapshot_path(name).read_bytes()
        request = recorded_requests().get(name)
        if request is None:
            pytest.fail(f"{name} has no entry in requests.json")
        return cls(name, raw, json.loads(raw), request["prompt"], request["kwargs"])

    @property
    def details(self) -> dict[str, Any]:
        details: dict[str, Any] = self.answer["details"]
        return details

    def call_kwargs(self, *, stream: bool = False) -> dict[str, Any]:
        """The keyword arguments for ``generate`` (``generate_stream`` with ``stream``)."""
        kwargs = {k: v for k, v in self.kwargs.items() if not (stream and k in NOT_STREAMABLE)}
        if "grammar" in kwargs:  # requests.json records a grammar as [type, value]
            kind, value = kwargs["grammar"]
            kwargs["grammar"] = Grammar(type=kind, value=value)
        return kwargs

    def wire_parameters(self, *, stream: bool = False) -> dict[str, Any]:
        """The ``parameters`` the keyword arguments must become on the wire (wire names)."""
        wire: dict[str, Any] = {}
        for name, value in self.kwargs.items():
            if stream and name in NOT_STREAMABLE:
                continue
            wire[WIRE_NAMES.get(name, name)] = (
                {"type": value[0], "value": value[1]} if name == "grammar" else value
            )
        return wire


def wire_answer(answer: dict[str, Any]) -> dict[str, Any]:
    """The answer as TGI puts it on the wire: ``generated_text`` first, and no ``null``
    ``best_of_sequences`` / ``top_tokens`` (the server omits them; the recorder added them)."""
    out = copy.deepcopy(answer)
    details = out.get("details")
    if isinstance(details, dict):
        for part in [details, *(details.get("best_of_sequences") or [])]:
            for key in ("best_of_sequences", "top_tokens"):
                if key in part and part[key] is None:
                    del part[key]
    return {"generated_text": out.pop("generated_text"), **out}


def compact(value: Any) -> bytes:
    """Compact JSON, raw UTF-8, as serde_json writes it."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def answer_body(snap: Snapshot, form: str) -> bytes:
    """The ``/generate`` body: the recorded bytes as is, or the wire form."""
    return snap.raw if form == "recorded" else compact(wire_answer(snap.answer))


def stream_events(snap: Snapshot) -> list[dict[str, Any]]:
    """The events a TGI server sends on ``/generate_stream`` for this answer (router/src/server.rs):
    one per token, ``index`` from 1, ``top_tokens`` only when asked for, and ``generated_text`` /
    ``details`` null except on the last event."""
    d = snap.details
    tokens = d["tokens"]
    top = d.get("top_tokens")
    assert tokens, f"{snap.name}: no tokens to stream"
    assert top is None or len(top) == len(tokens), f"{snap.name}: top_tokens per step"
    input_length = len(d["prefill"]) or len(snap.prompt)
    events: list[dict[str, Any]] = []
    for index, token in enumerate(tokens, start=1):
        last = index == len(tokens)
        event: dict[str, Any] = {"index": index, "token": token}
        if top is not None:
            event["top_tokens"] = top[index - 1]
        event["generated_text"] = snap.answer["generated_text"] if last else None
        event["details"] = (
            {
                "finish_reason": d["finish_reason"],
                "generated_tokens": d["generated_tokens"],
                "seed": d["seed"],
                "input_length": input_length,
            }
            if last
            else None
        )
        events.append(event)
    return events


def sse_body(events: list[dict[str, Any]], framing: str) -> bytes:
    """The events framed as one SSE body."""
    prefix, eol = FRAMINGS[framing]
    eol_bytes = eol.encode()
    return b"".join(prefix.encode() + compact(e) + eol_bytes + eol_bytes for e in events)


def sse_pieces(events: list[dict[str, Any]], framing: str) -> list[bytes]:
    """The same body cut into awkward pieces: each event in the middle of its JSON (possibly
    inside a UTF-8 character) and, with CRLF, between the CR and the LF of its terminator."""
    prefix, eol = FRAMINGS[framing]
    pieces: list[bytes] = []
    for event in events:
        head = prefix.encode() + compact(event)
        half = len(head) // 2
        tail = (eol + eol).encode()
        cut = tail.index(b"\n") if b"\r" in tail else len(tail)
        pieces += [head[:half], head[half:] + tail[:cut], tail[cut:]]
    return [p for p in pieces if p]


def sse_payloads(raw: bytes) -> list[dict[str, Any]]:
    """The JSON of each ``data`` line of a raw SSE body (one-line events)."""
    out: list[dict[str, Any]] = []
    for line in raw.splitlines():
        if line.startswith(b"data:"):
            out.append(json.loads(line[5:]))
    return out
