"""
Locust users for a TGI server, the mock (`python -m tgi_mock`, with `--workers N`) or a real one.

    make loadtest URL=http://127.0.0.1:8080 USERS=100 DURATION=1m
    locust -f loadtest/locustfile.py --headless -H URL -u 100 -r 20 -t 1m --csv out --html out.html

Three tasks: `POST /generate`, `POST /generate_stream` and a streamed `POST /v1/chat/completions`.
Each stream also records its time to first token (request type `TTFT`) and every gap between two
events (request type `ITL`) as Locust metrics of their own, so the CSV and HTML reports show their
percentiles beside the requests'. An error event inside a stream counts as a failure. Settings
from the environment: `TGI_PROMPT` (default "Why is the sky blue?"), `TGI_MAX_NEW_TOKENS` (20),
`TGI_MODEL` (the `model` of chat requests, default "tgi").

Distributed (`--processes N`, or `--master` with `--worker --master-host` on other machines), the
master also counts each worker's requests and failures (TTFT and ITL left out): a log line per
worker at the end, and `<csv prefix>_workers.csv` beside Locust's own CSV files.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import time
from typing import Any

from locust import HttpUser, between, events, task
from locust.env import Environment
from locust.runners import MasterRunner

PROMPT = os.environ.get("TGI_PROMPT", "Why is the sky blue?")
MAX_NEW_TOKENS = int(os.environ.get("TGI_MAX_NEW_TOKENS", "20"))
MODEL = os.environ.get("TGI_MODEL", "tgi")
METRICS = ("TTFT", "ITL")
"""The request types of the stream metrics, which are not requests of their own."""
_PER_WORKER: dict[str, list[int]] = {}


def _count_worker(client_id: str, data: dict[str, Any], **_: Any) -> None:
    """On the master: add a worker's report (its requests since the last one) to its count."""
    counts = _PER_WORKER.setdefault(client_id, [0, 0])
    for entry in data.get("stats", []):
        if entry["method"] not in METRICS:
            counts[0] += entry["num_requests"]
            counts[1] += entry["num_failures"]


def _report_workers(environment: Environment, **_: Any) -> None:
    """On the master: each worker's requests and failures, logged and beside the CSV files."""
    if not isinstance(environment.runner, MasterRunner):
        return
    rows = sorted(_PER_WORKER.items())
    for worker, (requests, failures) in rows:
        logging.info("worker %s: %d requests, %d failures", worker, requests, failures)
    prefix = getattr(environment.parsed_options, "csv_prefix", None)
    if prefix:
        with open(f"{prefix}_workers.csv", "w", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["Worker", "Request Count", "Failure Count"])
            writer.writerows([worker, *counts] for worker, counts in rows)


events.worker_report.add_listener(_count_worker)  # type: ignore[no-untyped-call]
events.quitting.add_listener(_report_workers)  # type: ignore[no-untyped-call]


class TGIUser(HttpUser):
    """A client of TGI's native and OpenAI-compatible routes."""

    wait_time = between(0.0, 0.05)

    def _metric(self, kind: str, name: str, seconds: float) -> None:
        self.environment.events.request.fire(
            request_type=kind,
            name=name,
            response_time=seconds * 1000.0,
            response_length=0,
            exception=None,
            context={},
        )

    def _stream(self, name: str, path: str, body: dict[str, Any]) -> None:
        start = time.perf_counter()
        with self.client.post(path, json=body, name=name, stream=True, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}: {r.text[:200]}")
                return
            last: float | None = None
            events = 0
            for line in r.iter_lines():
                if not line.startswith(b"data:"):
                    continue
                now = time.perf_counter()
                data = line[5:].strip()
                if data == b"[DONE]":
                    break
                if b'"error"' in data and "error" in json.loads(data):
                    r.failure(f"error event: {data[:200]!r}")
                    return
                if last is None:
                    self._metric("TTFT", name, now - start)
                else:
                    self._metric("ITL", name, now - last)
                last = now
                events += 1
            if events == 0:
                r.failure("no event")
            else:
                r.success()

    @task(2)
    def generate(self) -> None:
        """`POST /generate`."""
        body = {"inputs": PROMPT, "parameters": {"max_new_tokens": MAX_NEW_TOKENS}}
        with self.client.post("/generate", json=body, catch_response=True) as r:
            if r.status_code != 200 or "generated_text" not in r.text:
                r.failure(f"HTTP {r.status_code}: {r.text[:200]}")

    @task(2)
    def generate_stream(self) -> None:
        """`POST /generate_stream`."""
        body = {"inputs": PROMPT, "parameters": {"max_new_tokens": MAX_NEW_TOKENS}}
        self._stream("/generate_stream", "/generate_stream", body)

    @task(1)
    def chat_stream(self) -> None:
        """A streamed `POST /v1/chat/completions`."""
        body = {
            "model": MODEL,
            "messages": [{"role": "user", "content": PROMPT}],
            "max_tokens": MAX_NEW_TOKENS,
            "stream": True,
        }
        self._stream("/v1/chat/completions (stream)", "/v1/chat/completions", body)
