"""`tgi-contract record` in front of the mock, then `--replay` of what it saved: the same statuses
and byte-identical bodies, streams with their timing (or fast), secrets redacted, and a clear 404
naming the nearest recording for a request nobody recorded."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.contract.conftest import Serve
from tgi_mock.config import MockConfig
from tgi_mock.contract.proxy import RecordingProxy
from tgi_mock.contract.replay import ReplayApp

KEY = "sk-very-secret-123"
AUTH = {"authorization": f"Bearer {KEY}"}
SLOW = {"x-mock-fault": "latency-token=0.2"}

# (method, path, JSON body, extra headers)
EXCHANGES: list[tuple[str, str, Any, dict[str, str]]] = [
    ("GET", "/info", None, {}),
    (
        "POST",
        "/generate",
        {"inputs": "Why is the sky blue?", "parameters": {"details": True}},
        AUTH,
    ),
    (
        "POST",
        "/generate_stream",
        {"inputs": "Hi", "parameters": {"max_new_tokens": 2}},
        AUTH | SLOW,
    ),
    ("POST", "/", {"inputs": "Hello", "parameters": {"max_new_tokens": 3}}, AUTH),
    ("POST", "/generate", {"inputs": "Hello", "parameters": {"temperature": -1}}, AUTH),
    ("POST", "/generate_stream", {"inputs": "Hello", "parameters": {"top_k": 0}}, AUTH),
    ("POST", "/generate", {"inputs": "Hello"}, {}),
]


def send(
    client: httpx.Client, method: str, path: str, body: Any, headers: dict[str, str]
) -> tuple[httpx.Response, bytes, list[float]]:
    """One exchange: the response, its raw body and the arrival time of each chunk."""
    arrivals: list[float] = []
    chunks: list[bytes] = []
    with client.stream(method, path, json=body, headers=headers) as response:
        for chunk in response.iter_raw():
            arrivals.append(time.monotonic())
            chunks.append(chunk)
    return response, b"".join(chunks), arrivals


@pytest.fixture
def recorded(serve: Serve, tmp_path: Path) -> tuple[Path, list[tuple[int, bytes, httpx.Headers]]]:
    """Every exchange sent through the proxy in front of the mock; the directory and answers."""
    upstream = serve(MockConfig(api_key=KEY))
    out = tmp_path / "recordings"
    proxy = serve(app=RecordingProxy(upstream.url, out))
    answers = []
    with httpx.Client(base_url=proxy.url, timeout=10) as client:
        for method, path, body, headers in EXCHANGES:
            response, raw, _ = send(client, method, path, body, headers)
            answers.append((response.status_code, raw, response.headers))
    return out, answers


def test_the_proxy_forwards_and_saves_one_file_per_exchange(
    recorded: tuple[Path, list[tuple[int, bytes, httpx.Headers]]],
) -> None:
    out, answers = recorded
    assert [status for status, _, _ in answers] == [200, 200, 200, 200, 422, 200, 401]
    assert json.loads(answers[1][1])["generated_text"] == " Rayleigh scattering"
    assert isinstance(json.loads(answers[3][1]), list)
    assert answers[2][2]["content-type"] == "text/event-stream"
    names = sorted(path.name for path in out.glob("*.json"))
    assert names == [
        "0001-GET-info.json",
        "0002-POST-generate.json",
        "0003-POST-generate_stream.json",
        "0004-POST-root.json",
        "0005-POST-generate.json",
        "0006-POST-generate_stream.json",
        "0007-POST-generate.json",
    ]
    stream = json.loads((out / "0003-POST-generate_stream.json").read_text(encoding="utf-8"))
    assert stream["format"] == "tgi-contract-recording/1"
    assert stream["request"]["json"] == EXCHANGES[2][2]
    events = stream["response"]["events"]
    assert len(events) == 2
    assert all(event["data"].startswith("data: {") for event in events)
    assert "".join(event["data"] for event in events).encode() == answers[2][1]
    assert events[1]["t"] - events[0]["t"] >= 0.15  # the mock waited 0.2 s between tokens


def test_the_proxy_passes_stream_events_on_as_they_arrive(serve: Serve, tmp_path: Path) -> None:
    upstream = serve(MockConfig())
    proxy = serve(app=RecordingProxy(upstream.url, tmp_path))
    body = {"inputs": "Hi", "parameters": {"max_new_tokens": 2}}
    with httpx.Client(base_url=proxy.url, timeout=10) as client:
        _, raw, arrivals = send(client, "POST", "/generate_stream", body, SLOW)
    assert raw.count(b"data: ") == 2
    assert arrivals[-1] - arrivals[0] >= 0.1  # not held back until the stream ended


def test_secrets_are_redacted_in_recordings(
    recorded: tuple[Path, list[tuple[int, bytes, httpx.Headers]]],
) -> None:
    out, _ = recorded
    for path in out.glob("*.json"):
        assert KEY not in path.read_text(encoding="utf-8"), path.name
    saved = json.loads((out / "0002-POST-generate.json").read_text(encoding="utf-8"))
    assert ["authorization", "Bearer <redacted>"] in saved["request"]["headers"]


def test_replay_gives_the_recorded_answers_byte_for_byte(
    recorded: tuple[Path, list[tuple[int, bytes, httpx.Headers]]], serve: Serve
) -> None:
    out, answers = recorded
    replay = serve(app=ReplayApp(out))
    with httpx.Client(base_url=replay.url, timeout=10) as client:
        for (method, path, body, _), (status, raw, headers) in zip(EXCHANGES, answers, strict=True):
            response, replayed, arrivals = send(client, method, path, body, {})
            assert (response.status_code, replayed) == (status, raw), (method, path)
            assert response.headers.get("content-type") == headers.get("content-type")
            assert response.headers.get("x-compute-type") == headers.get("x-compute-type")
            if path == "/generate_stream" and status == 200 and len(arrivals) > 1:
                assert arrivals[-1] - arrivals[0] >= 0.1  # the recorded 0.2 s gap is kept


def test_fast_replay_gives_the_same_bytes(
    recorded: tuple[Path, list[tuple[int, bytes, httpx.Headers]]], serve: Serve
) -> None:
    out, answers = recorded
    replay = serve(app=ReplayApp(out, speed=None))
    with httpx.Client(base_url=replay.url, timeout=10) as client:
        for (method, path, body, _), (status, raw, _) in zip(EXCHANGES, answers, strict=True):
            response, replayed, _ = send(client, method, path, body, {})
            assert (response.status_code, replayed) == (status, raw)


def test_json_key_order_does_not_matter_for_matching(
    recorded: tuple[Path, list[tuple[int, bytes, httpx.Headers]]], serve: Serve
) -> None:
    out, answers = recorded
    replay = serve(app=ReplayApp(out, speed=None))
    content = b'{"parameters": {"details": true}, "inputs": "Why is the sky blue?"}'
    response = httpx.post(
        replay.url + "/generate",
        content=content,
        headers={"content-type": "application/json"},
        timeout=10,
    )
    assert response.content == answers[1][1]


def test_an_unmatched_request_gets_a_404_naming_the_nearest_recording(
    recorded: tuple[Path, list[tuple[int, bytes, httpx.Headers]]], serve: Serve
) -> None:
    out, _ = recorded
    replay = serve(app=ReplayApp(out, speed=None))
    body = {"inputs": "Why is the sky blue?", "parameters": {"details": False}}
    response = httpx.post(replay.url + "/generate", json=body, timeout=10)
    assert response.status_code == 404
    answer = response.json()
    assert answer["error_type"] == "replay_unmatched"
    assert answer["nearest"] == "0002-POST-generate.json"
    assert answer["differences"] == ["parameters.details"]
    assert "0002-POST-generate.json" in answer["error"]
    assert "parameters.details" in answer["error"]

    elsewhere = httpx.get(replay.url + "/health", timeout=10)
    assert elsewhere.status_code == 404
    assert "method/path" in elsewhere.json()["differences"]


def test_repeated_requests_replay_in_recorded_order(serve: Serve, tmp_path: Path) -> None:
    upstream = serve(MockConfig())
    proxy = serve(app=RecordingProxy(upstream.url, tmp_path))
    body = {"inputs": "Hi", "parameters": {"do_sample": True, "max_new_tokens": 3}}
    recorded = [
        httpx.post(proxy.url + "/generate", json=body, timeout=10).content for _ in range(2)
    ]
    assert recorded[0] != recorded[1]  # unseeded sampling: two different answers
    replay = serve(app=ReplayApp(tmp_path, speed=None))
    replayed = [
        httpx.post(replay.url + "/generate", json=body, timeout=10).content for _ in range(3)
    ]
    assert replayed == [recorded[0], recorded[1], recorded[1]]


def test_an_unreachable_upstream_is_a_502_and_nothing_is_saved(
    serve: Serve, tmp_path: Path
) -> None:
    proxy = serve(app=RecordingProxy("http://127.0.0.1:9", tmp_path, timeout=5))
    response = httpx.get(proxy.url + "/info", timeout=10)
    assert response.status_code == 502
    assert response.json()["error_type"] == "proxy"
    assert list(tmp_path.iterdir()) == []
