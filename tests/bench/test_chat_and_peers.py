"""W6-W7 and the peers in ``make bench``: the bench server's Messages API answers as a real TGI
does, the chat workloads run and check what they got, and the report shows every peer's figure
and every floor (failing ones too). Nothing here asserts on a timing."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from benchmarks import chat, processes, report, run
from text_generation import AsyncClient, Client
from text_generation.types import ChatComplete, Message

RECORDED = (
    Path(__file__).resolve().parents[1]
    / "reference"
    / "tgi-structured"
    / "test_tools_llama__test_flash_llama_grammar_tools_sea_creatures_stream_none.json"
)
WHOLE = RECORDED.with_name("test_json_schema_constrain__test_json_schema_basic.json")


@pytest.fixture(scope="module")
def bench_url() -> Iterator[str]:
    with processes.bench_server(sys.executable) as url:
        yield url


def _keys(value: Any) -> Any:
    """The shape of a JSON value: its keys, recursively (lists by their first item)."""
    if isinstance(value, dict):
        return {k: _keys(v) for k, v in value.items()}
    if isinstance(value, list) and value:
        return [_keys(value[0])]
    return type(value).__name__ if value is not None else None


def test_whole_chat_has_the_recorded_shape_and_max_tokens(bench_url: str) -> None:
    body = {"model": "tgi", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 4}
    answer = httpx.post(bench_url + chat.CHAT_PATH, json=body, timeout=10).json()
    assert set(answer) == set(json.loads(WHOLE.read_text()))
    assert answer["object"] == "chat.completion"
    assert answer["usage"]["completion_tokens"] == 4
    assert answer["choices"][0]["message"] == {"role": "assistant", "content": " The sky is blue"}


def test_chat_stream_has_the_recorded_chunks_then_done(bench_url: str) -> None:
    body = {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 3, "stream": True}
    with httpx.stream("POST", bench_url + chat.CHAT_PATH, json=body, timeout=10) as resp:
        assert resp.headers["content-type"] == "text/event-stream"
        events = [e for e in resp.read().split(b"\n\n") if e]
    assert events[-1] == b"data: [DONE]"
    chunks = [json.loads(e[len(b"data: ") :]) for e in events[:-1]]
    recorded = json.loads(RECORDED.read_text())
    assert [_keys(c) for c in chunks[:1]] == [_keys(recorded[0])]
    assert [c["choices"][0]["finish_reason"] for c in chunks] == [None, None, "length"]
    assert "".join(c["choices"][0]["delta"]["content"] for c in chunks) == " The sky is"


def test_chat_without_messages_is_a_422(bench_url: str) -> None:
    resp = httpx.post(bench_url + chat.CHAT_PATH, json={"max_tokens": 3}, timeout=10)
    assert resp.status_code == 422
    assert "messages" in resp.text


def test_our_client_reads_the_chat_answers(bench_url: str) -> None:
    messages = [Message(role="user", content="hi")]
    with Client(bench_url) as client:
        whole = client.chat(messages, max_tokens=5)
    assert isinstance(whole, ChatComplete)
    assert whole.choices[0].message.content == " The sky is blue because"

    async def stream() -> list[Any]:
        async with AsyncClient(bench_url) as client:
            chunks = await client.chat(messages, max_tokens=6, stream=True)
            assert not isinstance(chunks, ChatComplete)
            return [c async for c in chunks]

    chunks = asyncio.run(stream())
    assert len(chunks) == 6
    assert chunks[-1].choices[0].finish_reason == "length"


@pytest.mark.parametrize(
    ("client", "workload", "unit"),
    [("ours", "W6", "calls/s"), ("ours", "W7", "tokens/s"), ("httpx", "W7", "tokens/s")],
)
def test_a_chat_workload_run_reports_json(
    bench_url: str, client: str, workload: str, unit: str
) -> None:
    result = processes.run_workload(
        sys.executable, client, workload, bench_url, scale=0.01, repeat=1
    )
    assert (result["client"], result["workload"], result["unit"]) == (client, workload, unit)
    assert result["value"] > 0


def test_a_failing_run_is_kept_as_a_failure(bench_url: str) -> None:
    result = run.run_or_fail(sys.executable, "openai", "W1", bench_url, 0.01, 1)
    assert result == {
        "client": "openai",
        "workload": "W1",
        "error": "ValueError: openai has no W1",
    }


def test_which_client_has_which_workload() -> None:
    assert run.supports("openai", "W6")
    assert run.supports("openai", "W7")
    assert run.supports("openai", "W5")
    assert not run.supports("openai", "W1")
    assert all(
        run.supports(c, w) for c in ("ours", "upstream", "hfhub", "httpx") for w in run.WORKLOADS
    )


# -- the floors -----------------------------------------------------------------------------------


def _r(client: str, workload: str, value: float) -> dict[str, Any]:
    return {"client": client, "workload": workload, "value": value, "peak_rss_mb": 1.0}


def _floors(row: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {f["what"]: (f["ratio"], f["met"]) for f in row["floors"]}


def test_chat_floors_are_every_peer_and_1_2x_the_fastest() -> None:
    results = [_r("ours", "W6", 1200), _r("upstream", "W6", 400)]
    results += [_r("hfhub", "W6", 1100), _r("openai", "W6", 900), _r("httpx", "W6", 5000)]
    (row,) = report.summarize(results)
    floors = _floors(row)
    assert floors["ours vs huggingface_hub 2.4.0"] == (pytest.approx(1200 / 1100), True)
    assert floors["ours vs the fastest peer"] == (pytest.approx(1200 / 1100), False)  # < 1.2x
    assert "ours vs httpx (raw)" not in floors  # a reference, not a peer
    assert report.failing([row]) == ["W6 ours vs the fastest peer: 1.09x, target >= 1.2x"]
    table = report.render([row])
    assert "| W6 | ours vs the fastest peer | 1.09x | >= 1.2x | **no** |" in table
    assert "| 1,200 calls/s | 400 calls/s | 1,100 calls/s | 900 calls/s | 5,000 calls/s |" in table


def test_a_peer_slower_import_and_a_failing_peer_are_shown() -> None:
    results = [_r("ours", "W5", 0.2), _r("upstream", "W5", 0.5), _r("openai", "W5", 0.1)]
    results += [_r("ours", "W7", 900), _r("hfhub", "W7", 800)]
    results.append({"client": "upstream", "workload": "W7", "error": "AssertionError: [DONE]"})
    rows = {row["key"]: row for row in report.summarize(results)}
    assert _floors(rows["W5"])["ours vs openai 3.51.0"] == (pytest.approx(2.0), False)
    w7 = _floors(rows["W7"])
    assert w7["ours vs text-generation 0.7.0"] == (None, None)  # the peer failed, not ours
    assert w7["ours vs the fastest peer"] == (pytest.approx(900 / 800), False)
    table = report.render([rows["W7"]])
    assert "**fails**" in table
    assert "text-generation 0.7.0 fails: AssertionError: [DONE]" in table


def test_ours_failing_fails_every_floor() -> None:
    results = [{"client": "ours", "workload": "W6", "error": "boom"}, _r("openai", "W6", 10)]
    (row,) = report.summarize(results)
    assert [f["met"] for f in row["floors"]] == [False, False]
    assert len(report.failing([row])) == 2
