"""The admin API under /__admin: journal, faults, configuration, scripted answers, reset; and the
timing model seen from a client (x-queue-time, overload while requests wait)."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from tgi_mock.config import MockConfig
from tgi_mock.jsonwire import fast_parse, parse
from tgi_mock.pytest_plugin import TGIMock
from tgi_mock.server import MockServer


def test_the_journal_reads_with_route_and_time_filters_and_clears(http: httpx.Client) -> None:
    http.post("/generate", json={"inputs": "one"})
    middle = time.time()
    http.post("/generate_stream", json={"inputs": "two"})
    http.get("/info")
    everything = http.get("/__admin/requests").json()["requests"]
    assert [r["path"] for r in everything] == ["/generate", "/generate_stream", "/info"]
    assert everything[0]["json"] == {"inputs": "one"}
    generate = http.get("/__admin/requests", params={"route": "/generate"}).json()["requests"]
    assert [r["body"] for r in generate] == ['{"inputs":"one"}']
    later = http.get("/__admin/requests", params={"since": middle}).json()["requests"]
    assert [r["path"] for r in later] == ["/generate_stream", "/info"]
    earlier = http.get("/__admin/requests", params={"until": middle}).json()["requests"]
    assert [r["path"] for r in earlier] == ["/generate"]
    newest = http.get("/__admin/requests", params={"limit": 1}).json()["requests"]
    assert [r["path"] for r in newest] == ["/info"]
    assert http.delete("/__admin/requests").json() == {"cleared": 3}
    assert http.get("/__admin/requests").json() == {"requests": [], "dropped": 0}
    assert http.get("/__admin/requests", params={"since": "soon"}).status_code == 400


def test_faults_set_through_the_api_apply_then_clear(http: httpx.Client) -> None:
    answer = http.put("/__admin/faults", json={"spec": "status=503", "times": 1})
    assert answer.json() == {"faults": {"status": 503, "times": 1}}
    assert http.post("/generate", json={"inputs": "x"}).status_code == 503
    assert http.post("/generate", json={"inputs": "x"}).status_code == 200
    http.put("/__admin/faults", json={"overload": True})
    assert http.post("/generate", json={"inputs": "x"}).json()["error_type"] == "overloaded"
    assert http.delete("/__admin/faults").json() == {"faults": {}}
    assert http.post("/generate", json={"inputs": "x"}).status_code == 200
    assert http.put("/__admin/faults", json={"spec": "explode"}).status_code == 400
    assert http.put("/__admin/faults", json={"times": "often"}).status_code == 400
    assert http.put("/__admin/faults", json={"colour": 1}).status_code == 400
    assert http.get("/__admin/faults").json() == {"faults": {}}


def test_configuration_reads_and_changes(http: httpx.Client, tgi_mock: TGIMock) -> None:
    assert http.get("/__admin/config").json()["model_id"] == "bigscience/bloom-560m"
    changed = http.patch("/__admin/config", json={"model_id": "acme/tiny", "max_best_of": 3})
    assert (changed.json()["model_id"], changed.json()["max_best_of"]) == ("acme/tiny", 3)
    assert http.get("/info").json()["model_id"] == "acme/tiny"
    assert tgi_mock.config.model_id == "acme/tiny"
    assert http.patch("/__admin/config", json={"colour": "red"}).status_code == 400
    assert http.get("/__admin/config").json()["model_id"] == "acme/tiny"


def test_scripted_answers_are_added_and_reset_forgets_changes(http: httpx.Client) -> None:
    added = http.post("/__admin/scripted", json={"Ping?": " Pong!"})
    assert added.json()["scripted"]["Ping?"] == " Pong!"
    assert http.post("/generate", json={"inputs": "Ping?"}).json() == {"generated_text": " Pong!"}
    http.put("/__admin/faults", json={"spec": "status=500"})
    assert http.post("/__admin/reset").json() == {"reset": True}
    assert http.post("/generate", json={"inputs": "x"}).status_code == 200
    assert [r["path"] for r in http.get("/__admin/requests").json()["requests"]] == ["/generate"]


def test_the_prefix_can_be_moved_or_switched_off() -> None:
    with MockServer(MockConfig(admin_prefix=None)) as off:
        assert httpx.get(off.url + "/__admin/requests").status_code == 404
    with MockServer(MockConfig(admin_prefix="/_mock")) as moved:
        assert httpx.get(moved.url + "/_mock/requests").json() == {"requests": [], "dropped": 0}
        assert httpx.get(moved.url + "/__admin/requests").status_code == 404


@pytest.mark.parametrize(
    "body",
    [b'{"inputs":"a","parameters":{"stop":["x"],"seed":1}}', b"[]", b"{}", b'{"a":[1,2.5,null]}'],
)
def test_the_fast_json_path_reads_what_the_serde_parser_reads(body: bytes) -> None:
    fast = fast_parse(body)
    assert fast is not None
    assert fast.plain() == parse(body).plain()


@pytest.mark.parametrize("body", [b'"\\ud800"', b"1e400", b"NaN", b"{} x", b"\xff", b"[" * 200])
def test_bodies_the_fast_path_cannot_vouch_for_go_to_the_serde_parser(body: bytes) -> None:
    assert fast_parse(body) is None


def test_a_request_waiting_for_the_batch_shows_its_queue_time() -> None:
    config = MockConfig(max_batch_total_tokens=200, ttft=0.3)
    with MockServer(config) as server, httpx.Client(base_url=server.url, timeout=10) as http:
        body = {"inputs": "hello", "parameters": {"max_new_tokens": 150}}
        with http.stream("POST", "/generate_stream", json=body) as stream:
            assert stream.status_code == 200  # holds 151 of the 200 tokens for 0.3 s or more
            queued = http.post("/generate", json=body)
            list(stream.iter_bytes())
        assert queued.status_code == 200
        assert int(queued.headers["x-queue-time"]) > 0
        alone = http.post("/generate", json=body, headers={"x-mock-timing": "ttft=0"})
        assert alone.headers["x-queue-time"] == "0"
        bad = http.post("/generate", json=body, headers={"x-mock-timing": "speed=2"})
        assert bad.status_code == 400


def test_a_full_queue_overloads_like_tgi() -> None:
    config = MockConfig(max_concurrent_requests=1, ttft=0.5)
    with MockServer(config) as server, httpx.Client(base_url=server.url, timeout=10) as http:
        body = {"inputs": "hello", "parameters": {"max_new_tokens": 2}}
        outcome: dict[str, httpx.Response] = {}
        with http.stream("POST", "/generate_stream", json=body) as stream:
            worker = threading.Thread(
                target=lambda: outcome.update(r=http.post("/generate", json=body))
            )
            worker.start()
            worker.join()
            in_band = http.post("/generate_stream", json=body)
            list(stream.iter_bytes())
        assert outcome["r"].status_code == 429
        assert outcome["r"].json()["error_type"] == "overloaded"
        assert in_band.status_code == 200
        assert b'"error_type":"overloaded"' in in_band.content
