"""Recorded TGI answers replayed on the wire through ``Client`` and ``AsyncClient``.

The answers come from ``tests/reference/tgi-snapshots`` (beside the repository; see its
MANIFEST.md and ``tests/facade/snapshots.py``). A real HTTP server (pytest-httpserver) serves each
of them on TGI's own routes:

* on ``POST /generate``, as recorded and in wire form (without the ``null`` keys TGI omits);
* as the ``/generate_stream`` events a TGI server would send for the same answer, in both SSE
  framings (``data: `` since TGI 2.1, ``data:`` before) and with CRLF line endings;
* the raw SSE bodies byte for byte, and the validation error as HTTP 422 and as an in-band event.

Every request the server received and every field of every answer is checked. The Inference API
compat route is replayed in ``test_snapshot_compat_route.py``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Response as WerkzeugResponse

from tests.facade.replay_checks import (
    assert_request,
    assert_response,
    assert_stream,
    received_json,
)
from tests.facade.snapshots import (
    ANSWERS,
    ERROR_BODIES,
    FRAMINGS,
    MISSING,
    RAW_STREAMS,
    SNAPSHOTS,
    Snapshot,
    answer_body,
    file_params,
    recorded_requests,
    snapshot_path,
    sse_body,
    sse_payloads,
    sse_pieces,
    stream_events,
)
from tests.facade.twins import KINDS, Twin
from text_generation.errors import ClientValidationError, ValidationError
from text_generation.types import FinishReason, Token


@pytest.fixture(scope="module")
def clients(make_httpserver: HTTPServer) -> Iterator[dict[str, Twin]]:
    """One ``Client`` and one ``AsyncClient`` on the test server for the whole module: building
    an httpx client costs ~20 ms (its SSL context), which would dominate every replay."""
    made = {kind: Twin(kind, make_httpserver.url_for("/")) for kind in KINDS}
    yield made
    for twin in made.values():
        twin.close()


@pytest.fixture
def live(kind: str, clients: dict[str, Twin], httpserver: HTTPServer) -> Twin:
    """The client of ``kind`` (``httpserver`` clears the server's handlers and log first)."""
    return clients[kind]


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
@pytest.mark.parametrize("name", file_params(ANSWERS))
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


# -- /generate_stream ---------------------------------------------------------------------------


@pytest.mark.parametrize("framing", list(FRAMINGS))
@pytest.mark.parametrize("name", file_params(ANSWERS))
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
@pytest.mark.parametrize("name", file_params(ANSWERS))
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


@pytest.mark.parametrize("name", file_params(RAW_STREAMS))
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
@pytest.mark.parametrize("name", file_params(ERROR_BODIES))
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
