"""Recorded TGI answers replayed on the wire through ``Client`` and ``AsyncClient``.

The answers come from ``shared/reference/tgi-snapshots`` (beside the repository; see its
MANIFEST.md): real ``/generate`` answers, their requests (``requests.json``), two raw SSE bodies and
one HTTP 422 body. A real HTTP server (pytest-httpserver) serves each of them:

* on ``POST /generate``, as recorded and in wire form (without the ``null`` keys TGI omits);
* on the Inference API compat route (``POST /models/<repo>``, a list of one answer);
* as the ``/generate_stream`` events a TGI server would send for the same answer, in both SSE
  framings (``data: `` since TGI 2.1, ``data:`` before) and with CRLF line endings;
* the raw SSE bodies byte for byte, and the validation error as HTTP 422 and as an in-band event.

Every request the server received and every field of every answer is checked.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Any

import attrs
import pytest
from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Response as WerkzeugResponse

from tests.facade.twins import KINDS, Twin
from text_generation import InferenceAPIAsyncClient, InferenceAPIClient
from text_generation.errors import ClientValidationError, ValidationError
from text_generation.types import (
    BestOfSequence,
    Details,
    FinishReason,
    Grammar,
    InputToken,
    Response,
    StreamDetails,
    StreamResponse,
    Token,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
SNAPSHOTS = REPO_ROOT.parent / "shared" / "reference" / "tgi-snapshots"
MISSING = (
    f"the TGI snapshots folder {SNAPSHOTS} is missing: the replay tests need a copy of the "
    "project's shared/ folder beside the repository (shared/reference/tgi-snapshots)"
)

#: 0.7.0 keyword names that differ from the wire (GenerateParameters) names.
WIRE_NAMES = {"stop_sequences": "stop"}
#: What the facade sends, as text-generation 0.7.0 does, for a keyword left at its default.
DEFAULTS_ON_WIRE: dict[str, Any] = {
    "do_sample": False,
    "max_new_tokens": 20,
    "return_full_text": False,
    "stop": [],
    "watermark": False,
    "decoder_input_details": False,
}
#: Keywords of ``generate`` that ``generate_stream`` does not take (TGI refuses them on streams).
NOT_STREAMABLE = ("best_of", "decoder_input_details")
#: How SSE events are framed: TGI >= 2.1 (axum 0.7) writes ``data: ``, TGI <= 2.0 ``data:``.
FRAMINGS = {
    "data-space-lf": ("data: ", "\n"),
    "data-nospace-lf": ("data:", "\n"),
    "data-space-crlf": ("data: ", "\r\n"),
}
REPO_ID = "google/flan-t5-xxl"
MODEL_STATUS = {"framework": "text-generation-inference", "loaded": True, "state": "Loaded"}


# -- the snapshots ------------------------------------------------------------------------------


def _listing(pattern: str) -> list[str]:
    if not SNAPSHOTS.is_dir():
        return []
    return sorted(p.name for p in SNAPSHOTS.glob(pattern))


ANSWERS = [n for n in _listing("*.json") if n != "requests.json" and not n.endswith(".422.json")]
RAW_STREAMS = _listing("*.sse")
ERROR_BODIES = _listing("*.422.json")


def _params(names: list[str]) -> list[Any]:
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


@attrs.frozen
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


# -- comparing ----------------------------------------------------------------------------------


def _strict(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def assert_same(actual: Any, expected: Any, path: str) -> None:
    """``actual`` (a documented type) carries exactly ``expected`` (the answer's JSON).

    A key of the answer that the type has no field for fails (a dropped or renamed field); a
    field the answer lacks must be None. Scalars must keep their JSON type (bool stays bool,
    integers stay int, logprobs are floats); enums must equal their wire string.
    """
    if isinstance(expected, dict):
        assert attrs.has(type(actual)), f"{path}: expected an object, got {actual!r}"
        fields = {f.name for f in attrs.fields(type(actual))}
        unknown = sorted(set(expected) - fields)
        assert not unknown, (
            f"{path}: the answer's keys {unknown} are not fields of {type(actual).__name__} "
            "(dropped or renamed)"
        )
        for name in sorted(fields):
            assert_same(getattr(actual, name), expected.get(name), f"{path}.{name}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{path}: expected a list, got {actual!r}"
        assert len(actual) == len(expected), f"{path}: {len(actual)} items, not {len(expected)}"
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert_same(a, e, f"{path}[{i}]")
    elif expected is None:
        assert actual is None, f"{path}: expected None, got {actual!r}"
    elif isinstance(actual, Enum):
        assert isinstance(expected, str), f"{path}: enum {actual!r} for {expected!r}"
        assert actual.value == expected, f"{path}: {actual!r} != {expected!r}"
        assert isinstance(actual, str), f"{path}: {actual!r} is not a str enum"
        assert actual == expected, f"{path}: {actual!r} does not equal its wire string"
    elif isinstance(expected, bool):
        assert actual is expected, f"{path}: {actual!r} is not {expected!r}"
    elif isinstance(expected, int):
        assert type(actual) is int, f"{path}: expected int, got {actual!r}"
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"
    elif isinstance(expected, float):
        assert type(actual) is float, f"{path}: expected float, got {actual!r}"
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"
    else:
        assert type(actual) is type(expected), f"{path}: {actual!r} is not a {type(expected)}"
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"


def assert_response(response: Any, answer: dict[str, Any]) -> None:
    """Every field of a ``Response`` against the answer, and the documented types inside."""
    assert type(response) is Response
    assert_same(response, answer, "response")
    details = response.details
    assert details is not None
    assert isinstance(details.finish_reason, FinishReason)
    assert details.finish_reason == answer["details"]["finish_reason"]
    assert all(type(t) is InputToken for t in details.prefill)
    assert all(type(t) is Token for t in details.tokens)
    sequences: list[Details | BestOfSequence] = [details, *(details.best_of_sequences or [])]
    assert all(type(s) is BestOfSequence for s in sequences[1:])
    for seq in sequences:
        assert isinstance(seq.finish_reason, FinishReason)
        if seq.top_tokens is not None:
            assert all(type(t) is Token for step in seq.top_tokens for t in step)


def assert_stream(events: list[Any], expected: list[dict[str, Any]]) -> None:
    """Every event of a stream against the events sent."""
    assert len(events) == len(expected), f"{len(events)} events, {len(expected)} sent"
    for i, (event, sent) in enumerate(zip(events, expected, strict=True)):
        assert type(event) is StreamResponse
        assert_same(event, sent, f"event[{i}]")
        assert type(event.token) is Token
        if event.top_tokens is not None:
            assert all(type(t) is Token for t in event.top_tokens)
        last = i == len(expected) - 1
        assert (event.generated_text is not None) is last, f"event[{i}].generated_text"
        assert (event.details is not None) is last, f"event[{i}].details"
    final = events[-1].details
    assert type(final) is StreamDetails
    assert isinstance(final.finish_reason, FinishReason)


def assert_request(
    body: dict[str, Any], snap: Snapshot, *, stream: bool, compat: bool = False
) -> None:
    """The JSON body the server received: the prompt, every keyword under its wire name,
    ``details: true``, and nothing else but 0.7.0's defaults."""
    assert body["inputs"] == snap.prompt
    extra = set(body) - {"inputs", "parameters", "stream"}
    assert not extra, f"unexpected top-level keys {sorted(extra)}"
    if compat:
        assert body["stream"] is stream, "the compat route needs `stream` in the body"
    else:
        assert body.get("stream", stream) is stream
    params: dict[str, Any] = body["parameters"]
    assert params.get("details") is True, "`details` must always be sent as true"
    wanted = snap.wire_parameters(stream=stream)
    for name, value in wanted.items():
        assert name in params, f"`{name}` was not sent"
        assert _strict(params[name]) == _strict(value), f"`{name}`: sent {params[name]!r}"
    for name, value in params.items():
        if name in wanted or name == "details":
            continue
        if name in DEFAULTS_ON_WIRE:
            assert _strict(value) == _strict(DEFAULTS_ON_WIRE[name]), f"`{name}` = {value!r}"
        else:
            assert value is None, f"`{name}` = {value!r} was sent but not asked for"


def received_json(httpserver: HTTPServer, path: str) -> dict[str, Any]:
    """The JSON body of the one request the server received on ``path``."""
    bodies = [req for req, _ in httpserver.log if req.path == path]
    assert len(bodies) == 1, f"{len(bodies)} requests on {path}: {httpserver.log}"
    request = bodies[0]
    assert request.method == "POST"
    assert "application/json" in (request.content_type or "")
    body: dict[str, Any] = json.loads(request.get_data())
    return body


@pytest.fixture(scope="module")
def clients(make_httpserver: HTTPServer) -> Iterator[dict[str, Twin]]:
    """One ``Client`` and one ``AsyncClient`` on the test server for the whole module: building
    an httpx client costs ~20 ms (its SSL context), which would dominate every replay."""
    made = {kind: Twin(kind, make_httpserver.url_for("/")) for kind in KINDS}
    yield made
    for twin in made.values():
        twin.close()


@pytest.fixture(scope="module")
def compat_clients(make_httpserver: HTTPServer) -> Iterator[dict[str, Twin]]:
    """One ``InferenceAPIClient`` and one ``InferenceAPIAsyncClient`` for ``REPO_ID``, pointed
    at the test server through ``HF_INFERENCE_ENDPOINT`` (discovery is tested on its own)."""
    make_httpserver.expect_request(f"/status/{REPO_ID}", method="GET").respond_with_json(
        MODEL_STATUS
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_INFERENCE_ENDPOINT", make_httpserver.url_for("/"))
        mp.delenv("HF_TOKEN", raising=False)
        made = {
            "sync": Twin("sync", make_httpserver.url_for("/")).wrap(InferenceAPIClient(REPO_ID)),
            "async": Twin("async", make_httpserver.url_for("/")).wrap(
                InferenceAPIAsyncClient(REPO_ID)
            ),
        }
    make_httpserver.clear()
    yield made
    for twin in made.values():
        twin.close()


@pytest.fixture
def live(kind: str, clients: dict[str, Twin], httpserver: HTTPServer) -> Twin:
    """The client of ``kind`` (``httpserver`` clears the server's handlers and log first)."""
    return clients[kind]


@pytest.fixture
def compat(kind: str, compat_clients: dict[str, Twin], httpserver: HTTPServer) -> Twin:
    """The Inference API client of ``kind``."""
    return compat_clients[kind]


# -- the inventory ------------------------------------------------------------------------------


def test_snapshots_folder_is_complete() -> None:
    """The folder is there, and every answer has its request (and every request its answer)."""
    if not SNAPSHOTS.is_dir():
        pytest.fail(MISSING)
    assert len(ANSWERS) >= 30, f"MANIFEST.md lists 32 answers; found {ANSWERS}"
    # The raw-stream and error tests check these recordings' own values: a new file needs its own.
    assert len(RAW_STREAMS) == 2, RAW_STREAMS
    assert len(ERROR_BODIES) == 1, ERROR_BODIES
    assert sorted(recorded_requests()) == ANSWERS


# -- /generate ----------------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["recorded", "wire"])
@pytest.mark.parametrize("name", _params(ANSWERS))
def test_generate_replays_snapshot(
    name: str, form: str, live: Twin, httpserver: HTTPServer
) -> None:
    snap = Snapshot.load(name)
    httpserver.expect_request("/generate", method="POST").respond_with_data(
        answer_body(snap, form), content_type="application/json"
    )

    response = live.call("generate", snap.prompt, **snap.call_kwargs())

    assert_request(received_json(httpserver, "/generate"), snap, stream=False)
    assert_response(response, snap.answer)


@pytest.mark.parametrize("form", ["recorded", "wire"])
@pytest.mark.parametrize("name", _params(ANSWERS))
def test_compat_route_replays_snapshot(
    name: str, form: str, compat: Twin, httpserver: HTTPServer
) -> None:
    snap = Snapshot.load(name)
    httpserver.expect_request(f"/models/{REPO_ID}", method="POST").respond_with_data(
        b"[" + answer_body(snap, form) + b"]", content_type="application/json"
    )

    response = compat.call("generate", snap.prompt, **snap.call_kwargs())

    assert_request(received_json(httpserver, f"/models/{REPO_ID}"), snap, stream=False, compat=True)
    assert_response(response, snap.answer)


def test_compat_route_discovers_the_model(
    kind: str, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Inference API client asks ``/status/<repo>`` first, then posts to the model URL."""
    snap = Snapshot.load(ANSWERS[0] if ANSWERS else "")
    monkeypatch.setenv("HF_INFERENCE_ENDPOINT", httpserver.url_for("/"))
    monkeypatch.delenv("HF_TOKEN", raising=False)
    httpserver.expect_request(f"/status/{REPO_ID}", method="GET").respond_with_json(MODEL_STATUS)
    httpserver.expect_request(f"/models/{REPO_ID}", method="POST").respond_with_data(
        b"[" + answer_body(snap, "wire") + b"]", content_type="application/json"
    )
    client = InferenceAPIAsyncClient(REPO_ID) if kind == "async" else InferenceAPIClient(REPO_ID)
    twin = Twin(kind, httpserver.url_for("/")).wrap(client)
    try:
        response = twin.call("generate", snap.prompt, **snap.call_kwargs())
    finally:
        twin.close()

    assert [(r.method, r.path) for r, _ in httpserver.log] == [
        ("GET", f"/status/{REPO_ID}"),
        ("POST", f"/models/{REPO_ID}"),
    ]
    assert_response(response, snap.answer)


# -- /generate_stream ---------------------------------------------------------------------------


@pytest.mark.parametrize("framing", list(FRAMINGS))
@pytest.mark.parametrize("name", _params(ANSWERS))
def test_generate_stream_replays_snapshot(
    name: str, framing: str, live: Twin, httpserver: HTTPServer
) -> None:
    snap = Snapshot.load(name)
    sent = stream_events(snap)
    httpserver.expect_request("/generate_stream", method="POST").respond_with_data(
        sse_body(sent, framing), content_type="text/event-stream"
    )

    events = live.stream("generate_stream", snap.prompt, **snap.call_kwargs(stream=True))

    assert_request(received_json(httpserver, "/generate_stream"), snap, stream=True)
    assert_stream(events, sent)
    assert events[-1].generated_text == snap.answer["generated_text"]
    assert [e.index for e in events] == list(range(1, len(sent) + 1))


@pytest.mark.parametrize("framing", ["data-space-lf", "data-space-crlf"])
@pytest.mark.parametrize("name", _params(ANSWERS))
def test_generate_stream_replays_snapshot_in_pieces(
    name: str, framing: str, live: Twin, httpserver: HTTPServer
) -> None:
    """Sent as a chunked body, in pieces that cut events (and CRLFs) in two."""
    snap = Snapshot.load(name)
    sent = stream_events(snap)
    chunked = WerkzeugResponse(iter(sse_pieces(sent, framing)), content_type="text/event-stream")
    httpserver.expect_request("/generate_stream", method="POST").respond_with_response(chunked)

    events = live.stream("generate_stream", snap.prompt, **snap.call_kwargs(stream=True))

    assert_stream(events, sent)


@pytest.mark.parametrize("name", _params(ANSWERS))
def test_compat_route_streams_snapshot(name: str, compat: Twin, httpserver: HTTPServer) -> None:
    """``generate_stream`` on the Inference API: the model URL with ``stream: true``."""
    snap = Snapshot.load(name)
    sent = stream_events(snap)
    httpserver.expect_request(f"/models/{REPO_ID}", method="POST").respond_with_data(
        sse_body(sent, "data-space-lf"), content_type="text/event-stream"
    )

    events = compat.stream("generate_stream", snap.prompt, **snap.call_kwargs(stream=True))

    assert_request(received_json(httpserver, f"/models/{REPO_ID}"), snap, stream=True, compat=True)
    assert_stream(events, sent)


@pytest.mark.parametrize("name", _params(RAW_STREAMS))
def test_raw_sse_body_replays(name: str, live: Twin, httpserver: HTTPServer) -> None:
    raw = snapshot_path(name).read_bytes()
    sent = sse_payloads(raw)
    assert len(sent) == 1, f"{name}: one event expected in the recording"
    httpserver.expect_request("/generate_stream", method="POST").respond_with_data(
        raw, content_type="text/event-stream"
    )

    events = live.stream("generate_stream", "test", max_new_tokens=1)

    assert_stream(events, sent)
    (event,) = events
    assert event.token == Token(id=3, text=" ", logprob=-2.0078125, special=False)
    assert event.generated_text == ""  # a " " token, yet an empty text: as recorded
    assert event.details is not None
    assert event.details.finish_reason is FinishReason.Length
    assert event.details.generated_tokens == 1
    assert event.details.seed is None
    # The 2023 recording predates `index` and `input_length`: both come back as None.
    assert event.index == sent[0].get("index")
    assert event.details.input_length == sent[0]["details"].get("input_length")


# -- validation errors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "status", "framing"),
    [
        pytest.param("generate", 422, None, id="generate-http422"),
        pytest.param("generate_stream", 422, None, id="stream-http422"),
        pytest.param("generate_stream", 200, "data-space-lf", id="stream-event-http200"),
        pytest.param("generate_stream", 200, "data-nospace-lf", id="stream-legacy-event-http200"),
    ],
)
@pytest.mark.parametrize("name", _params(ERROR_BODIES))
def test_validation_error_replays(
    name: str, method: str, status: int, framing: str | None, live: Twin, httpserver: HTTPServer
) -> None:
    raw = snapshot_path(name).read_bytes()
    payload = json.loads(raw)
    path = f"/{method}"
    if framing is None:
        httpserver.expect_request(path, method="POST").respond_with_data(
            raw, status=status, content_type="application/json"
        )
    else:
        httpserver.expect_request(path, method="POST").respond_with_data(
            sse_body([payload], framing), status=status, content_type="text/event-stream"
        )

    call = live.call if method == "generate" else live.stream
    with pytest.raises(ValidationError) as caught:
        call(method, "test", max_new_tokens=10_000)

    err = caught.value
    assert not isinstance(err, ClientValidationError), "the server refused it, not the client"
    assert str(err) == payload["error"]
    assert err.message == payload["error"]
    assert err.error_type == "validation"
    # The HTTP status of the answer; an in-band stream error arrives with 200 (as in 0.7.0).
    assert err.status_code == status
    assert len(httpserver.log) == 1
