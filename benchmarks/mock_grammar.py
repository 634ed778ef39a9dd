"""The mock's forced tool calls under TGI's grammar (outlines-core), cold and warm.

    .venv/bin/python -m benchmarks.mock_grammar [--quick]

A 1 KB function schema is sent as a forced tool call to `/v1/chat/completions` of an in-process
mock (one uvicorn thread, loopback, one keep-alive connection). Cold: each call brings a schema the
mock has not seen (one property renamed), so it compiles the regex and builds outlines-core's
index. Warm: the same schema again with a new prompt each time, so only decoding runs. Prints
p50/p90 latency and calls per second for both; the issue's target is warm p50 <= 20 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Sequence
from typing import Any

import httpx

from tgi_mock.server import MockServer

__all__ = ["measure", "report_lines", "schema_1kb"]


def schema_1kb(tag: str) -> dict[str, Any]:
    """A function schema of about 1 KB: strings, enums, numbers with bounds, an array, a nested
    object; `tag` renames one property so that every tag is a schema the mock has not seen."""
    return {
        "type": "object",
        "properties": {
            "location": {"type": "string", "description": "The city and state, e.g. Paris, FR"},
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit", "kelvin"]},
            "days": {"type": "integer", "minimum": 1, "maximum": 14},
            "hourly": {"type": "boolean", "description": "Hour by hour instead of daily"},
            f"threshold_{tag}": {"type": "number", "minimum": -50, "maximum": 60},
            "fields": {
                "type": "array",
                "items": {"type": "string", "enum": ["temperature", "rain", "wind", "uv"]},
                "maxItems": 4,
                "uniqueItems": True,
            },
            "station": {
                "type": "object",
                "properties": {
                    "id": {"type": "string", "maxLength": 12},
                    "elevation": {"type": "integer", "minimum": 0},
                },
                "required": ["id"],
            },
            "language": {
                "type": "string",
                "description": "Language of the summary text, as an IETF tag such as en-GB",
            },
            "notes": {
                "type": "string",
                "maxLength": 80,
                "description": "Free text the forecast service shows beside the summary",
            },
        },
        "required": ["location", "unit", "days"],
    }


def _body(tag: str, prompt: str) -> dict[str, Any]:
    tool = {
        "type": "function",
        "function": {
            "name": "get_forecast",
            "description": "Get a weather forecast for a place",
            "parameters": schema_1kb(tag),
        },
    }
    return {
        "model": "tgi",
        "messages": [{"role": "user", "content": prompt}],
        "tools": [tool],
        "tool_choice": {"type": "function", "function": {"name": "get_forecast"}},
        "max_tokens": 300,
    }


def _timed(client: httpx.Client, body: dict[str, Any]) -> float:
    start = time.perf_counter()
    answer = client.post("/v1/chat/completions", json=body)
    elapsed = time.perf_counter() - start
    answer.raise_for_status()
    json.loads(answer.json()["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"])
    return elapsed


def measure(cold_calls: int, warm_calls: int) -> dict[str, list[float]]:
    """Seconds per call, cold (a new schema each) and warm (one schema, new prompts)."""
    size = len(json.dumps(schema_1kb("x")))
    print(f"schema: {size} bytes of JSON")
    with MockServer() as server, httpx.Client(base_url=server.url, timeout=60) as client:
        _timed(client, _body("warmup", "first call"))
        cold = [_timed(client, _body(f"c{i}", f"weather {i}")) for i in range(cold_calls)]
        warm = [_timed(client, _body("warm", f"forecast {i}")) for i in range(warm_calls)]
    return {"cold": cold, "warm": warm}


def _line(name: str, times: list[float]) -> str:
    cuts = statistics.quantiles(times, n=10) if len(times) >= 2 else times * 9
    p50 = statistics.median(times) * 1000
    return (
        f"mock forced tool call, {name:4}: p50 {p50:7.2f} ms  p90 {cuts[8] * 1000:7.2f} ms  "
        f"{len(times) / sum(times):8.1f} calls/s  ({len(times)} calls)"
    )


def report_lines(quick: bool) -> list[str]:
    """The report's lines: cold and warm figures, and the warm target."""
    result = measure(5 if quick else 30, 50 if quick else 300)
    lines = [_line(name, result[name]) for name in ("cold", "warm")]
    warm_p50 = statistics.median(result["warm"]) * 1000
    lines.append(f"target: warm p50 <= 20 ms: {'met' if warm_p50 <= 20 else 'NOT met'}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.mock_grammar", description=__doc__)
    p.add_argument("--quick", action="store_true", help="fewer calls")
    args = p.parse_args(argv)
    print("\n".join(report_lines(args.quick)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
