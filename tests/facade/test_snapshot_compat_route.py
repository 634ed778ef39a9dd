"""Recorded TGI answers replayed through ``InferenceAPIClient`` and ``InferenceAPIAsyncClient``.

The Inference API compat route (``POST /models/<repo>``) of a real HTTP server (pytest-httpserver)
serves each answer of ``tests/reference/tgi-snapshots`` (see ``tests/facade/snapshots.py``) as a
list of one, and as the ``/generate_stream`` events a TGI server would send for it when the body
asks for ``stream: true``; the model is discovered through ``/status/<repo>`` first. Every request
the server received and every field of every answer is checked.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer

from tests.facade.replay_checks import (
    assert_request,
    assert_response,
    assert_stream,
    received_json,
)
from tests.facade.snapshots import (
    ANSWERS,
    Snapshot,
    answer_body,
    file_params,
    sse_body,
    stream_events,
)
from tests.facade.twins import Twin
from text_generation import InferenceAPIAsyncClient, InferenceAPIClient

REPO_ID = "google/flan-t5-xxl"
MODEL_STATUS = {"framework": "text-generation-inference", "loaded": True, "state": "Loaded"}


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
def compat(kind: str, compat_clients: dict[str, Twin], httpserver: HTTPServer) -> Twin:
    """The Inference API client of ``kind``."""
    return compat_clients[kind]


# -- the compat route ---------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["recorded", "wire"])
@pytest.mark.parametrize("name", file_params(ANSWERS))
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


@pytest.mark.parametrize("name", file_params(ANSWERS))
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
