"""The benchmark harness does what it says: the bench server answers like TGI, a workload run
checks what it received and reports it, the table computes ratios against the targets. Nothing
here asserts on a timing."""

from __future__ import annotations

import json
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from benchmarks import capacity, processes, report, server
from text_generation import Client


@pytest.fixture(scope="module")
def bench_url() -> Iterator[str]:
    """The bench server in its own process, as ``make bench`` starts it."""
    with processes.bench_server(sys.executable) as url:
        yield url


def _post(url: str, path: str, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(url + path, json=body, timeout=10)


# -- the bench server -----------------------------------------------------------------------------


def test_generate_has_tgi_shape_with_n_tokens_and_details(bench_url: str) -> None:
    resp = _post(bench_url, "/generate", {"inputs": "x", "parameters": {"max_new_tokens": 3}})
    assert resp.json() == {"generated_text": " The sky is"}  # details omitted unless asked

    body = {"inputs": "x", "parameters": {"max_new_tokens": 5, "details": True}}
    payload = _post(bench_url, "/generate", body).json()
    assert list(payload["details"]) == [
        "finish_reason",
        "generated_tokens",
        "seed",
        "prefill",
        "tokens",
    ]
    assert payload["details"]["generated_tokens"] == 5
    assert [t["text"] for t in payload["details"]["tokens"]] == [
        " The",
        " sky",
        " is",
        " blue",
        " because",
    ]
    assert payload["generated_text"] == " The sky is blue because"


def test_default_is_20_tokens_and_compat_route_answers_a_list_of_one(bench_url: str) -> None:
    body = {"inputs": "x", "parameters": {"details": True}}
    payload = _post(bench_url, "/", body).json()
    assert isinstance(payload, list)
    assert len(payload) == 1
    assert payload[0]["details"]["generated_tokens"] == server.DEFAULT_TOKENS


@pytest.mark.parametrize(
    ("path", "extra"), [("/generate_stream", {}), ("/", {"stream": True})], ids=["native", "compat"]
)
def test_stream_is_chunked_sse_with_final_event(
    bench_url: str, path: str, extra: dict[str, Any]
) -> None:
    body = {"inputs": "x", "parameters": {"max_new_tokens": 4, "details": True}, **extra}
    with httpx.stream("POST", bench_url + path, json=body, timeout=10) as resp:
        assert resp.headers["content-type"] == "text/event-stream"
        assert resp.headers["transfer-encoding"] == "chunked"
        raw = resp.read()
    events = [json.loads(e[len(b"data: ") :]) for e in raw.split(b"\n\n") if e]
    assert [e["index"] for e in events] == [1, 2, 3, 4]
    assert [e["generated_text"] for e in events[:-1]] == [None, None, None]
    assert events[-1]["generated_text"] == " The sky is blue"
    assert events[-1]["details"] == {
        "finish_reason": "length",
        "generated_tokens": 4,
        "seed": None,
        "input_length": server.INPUT_LENGTH,
    }


def test_our_client_reads_the_canned_answers(bench_url: str) -> None:
    with Client(bench_url) as client:
        resp = client.generate("x", max_new_tokens=7)
        assert resp.details is not None
        assert len(resp.details.tokens) == 7
        events = list(client.generate_stream("x", max_new_tokens=6))
    assert len(events) == 6
    assert events[-1].generated_text == " The sky is blue because of"


def test_keep_alive_serves_several_requests_on_one_connection(bench_url: str) -> None:
    host, port = capacity.host_port(bench_url)
    request = capacity.post_request(host, port, "/generate", {"inputs": "x"})
    with socket.create_connection((host, port), timeout=10) as sock:
        reader = capacity.HttpReader(sock)
        sock.sendall(request * 3)  # pipelined
        answers = [reader.response() for _ in range(3)]
    assert [status for status, _ in answers] == [200, 200, 200]
    assert all(json.loads(body)["generated_text"] for _, body in answers)


def test_unknown_route_bad_json_and_stats(bench_url: str) -> None:
    assert _post(bench_url, "/nope", {"inputs": "x"}).status_code == 404
    bad = httpx.post(bench_url + "/generate", content=b"{not json", timeout=10)
    assert bad.status_code == 422
    stats = httpx.get(bench_url + "/_stats", timeout=10).json()
    assert stats["cpu_s"] > 0
    assert stats["requests"] > 0


def test_capacity_probe_reports_rates(bench_url: str) -> None:
    rates = capacity.bench_server_capacity(bench_url, scale=0.02)
    assert set(rates) == {"keepalive_rps", "pipelined_rps", "stream_events_per_s"}
    assert all(v > 0 for v in rates.values())


# -- workloads ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("client", "workload", "unit"),
    [("ours", "W1", "calls/s"), ("ours", "W4", "tokens/s"), ("httpx", "W2", "tokens/s")],
)
def test_a_workload_run_reports_json(bench_url: str, client: str, workload: str, unit: str) -> None:
    result = processes.run_workload(
        sys.executable, client, workload, bench_url, scale=0.01, repeat=1
    )
    assert result["client"] == client
    assert result["workload"] == workload
    assert result["unit"] == unit
    assert result["value"] > 0
    assert result["server_cpu_s"] >= 0
    assert "httpx" in result["distributions"]


def test_identity_check_refuses_our_package_posing_as_upstream() -> None:
    ours_file = str(processes.ROOT / "text_generation" / "__init__.py")
    posing = {"client": "upstream", "distributions": {"tgi-sdk": "1"}, "module_file": ours_file}
    with pytest.raises(RuntimeError, match=r"0\.7\.0"):
        processes.check_identity(posing)
    processes.check_identity({"client": "ours", "distributions": {}, "module_file": ours_file})
    with pytest.raises(RuntimeError, match="not"):
        processes.check_identity(
            {"client": "ours", "distributions": {}, "module_file": "/elsewhere"}
        )


# -- the table ------------------------------------------------------------------------------------


def _result(client: str, workload: str, value: float, rss: float = 10.0) -> dict[str, Any]:
    return {"client": client, "workload": workload, "value": value, "peak_rss_mb": rss}


def test_table_takes_medians_and_ratios_against_targets() -> None:
    results = [
        *(_result("ours", "W1", v) for v in (2000, 2600, 9999)),
        *(_result("upstream", "W1", v) for v in (1000, 1000, 1)),
        *(_result("httpx", "W1", v) for v in (1500, 1500, 1500)),
        _result("ours", "W5", 0.100, rss=20),
        _result("upstream", "W5", 0.250, rss=40),
    ]
    rows = {row["key"]: row for row in report.summarize(results)}
    assert rows["W1"]["medians"] == {"ours": 2600, "upstream": 1000, "httpx": 1500}
    assert rows["W1"]["ratio"] == pytest.approx(2.6)
    assert rows["W1"]["met"] is True
    assert rows["W5"]["ratio"] == pytest.approx(0.4)  # time: lower is better
    assert rows["W5"]["met"] is True
    assert rows["W5mem"]["ratio"] == pytest.approx(0.5)
    assert rows["W5mem"]["met"] is None  # no target
    assert "W2" not in rows
    table = report.render(list(rows.values()))
    assert "| W1 | ours vs text-generation 0.7.0 | 2.60x | >= 2.2x | yes |" in table
    assert "| W5 | ours vs text-generation 0.7.0 | 0.40x | <= 0.5x | yes |" in table


def test_a_missed_target_is_marked() -> None:
    results = [_result("ours", "W3", 99), _result("upstream", "W3", 100)]
    (row,) = report.summarize(results)
    assert row["met"] is False
    assert "**no**" in report.render([row])


# -- the mock part --------------------------------------------------------------------------------


def test_check_stream_and_chunked_decoding() -> None:
    events = server.stream_events(3, details=True)
    framed = server.sse_response(events)
    body = capacity.decode_chunked(framed.split(b"\r\n\r\n", 1)[1])
    assert body == b"".join(events)
    assert capacity.check_stream(200, body, 3) == (3, None)
    assert capacity.check_stream(200, body, 4)[1] == "3 events, expected 4"
    error = b'data: {"error":"Model is overloaded","error_type":"overloaded"}\n\n'
    assert "error event" in str(capacity.check_stream(200, error, 3)[1])


def test_mock_load_runs_clean_on_a_small_scale() -> None:
    result, url = processes.run_mock(sys.executable, streams=20, calls=40)
    assert result is not None, url
    assert result.errors == []
    assert result.streams_ok == 20
    assert result.events == 20 * processes.MOCK_TOKENS
    assert result.generate_errors == 0


def test_readme_section_is_replaced_between_markers(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{report.MARK_START}\nold table\n{report.MARK_END}\nafter\n")
    report.update_readme(readme, "| new | table |")
    assert readme.read_text() == (
        f"intro\n{report.MARK_START}\n| new | table |\n{report.MARK_END}\nafter\n"
    )
    (tmp_path / "bare.md").write_text("no markers\n")
    with pytest.raises(SystemExit, match="no <!-- bench:start -->"):
        report.update_readme(tmp_path / "bare.md", "x")


def test_mock_lines_show_both_worker_counts_and_the_one_process_targets() -> None:
    one = capacity.MockCapacity(streams=10, tokens_per_stream=100, streams_ok=10, events=1000)
    one.stream_elapsed_s, one.generate_calls, one.generate_elapsed_s = 0.001, 4000, 1.0
    two = capacity.MockCapacity(streams=10, tokens_per_stream=100, streams_ok=10, workers=2)
    bench = {"keepalive_rps": 14000.0, "stream_events_per_s": 4e6}
    lines = report.mock_lines([(1, one, ""), (2, two, ""), (4, None, "no port")], bench)
    text = "\n".join(lines)
    assert "bench server in this run: 14,000 sequential requests/s" in text
    assert "1,000,000 events/s, target >= 150,000: met" in text
    assert "4,000 calls/s, target >= 3,000: met" in text
    assert "mock generate (--workers 2): 0 calls/s (0 calls" in text
    assert "mock (--workers 4): not available (no port)" in text
