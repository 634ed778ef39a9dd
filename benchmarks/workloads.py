"""One benchmark workload with one client, run inside that client's own virtual environment.

    <venv>/bin/python -P benchmarks/workloads.py --client ours --workload W1 --url URL

It prints one JSON object on stdout. It needs only the standard library and the client under test,
because it runs under ``.venv-upstream``'s python too: ``ours`` and ``upstream`` run the very same
code against ``text_generation`` (whichever one the interpreter imports; the result names the
distribution and version it found), ``httpx`` is plain httpx as a reference.

Workloads (the sizes of the issue; ``--scale`` shrinks the counts for a quick run):

- W1: 2,000 sequential ``generate`` calls, 20 tokens with details (calls/s).
- W2: one stream of 20,000 tokens (tokens/s), ``--repeat`` times, median.
- W3: 500 async ``generate`` calls with 100 in flight (calls/s), ``--repeat`` times, median.
- W4: 100 concurrent async streams of 200 tokens (tokens/s), ``--repeat`` times, median.
- W5: ``from text_generation import Client, AsyncClient`` (``import httpx`` for httpx) in fresh
  interpreters: import time and peak RSS, ``--repeat`` interpreters, medians.

Every timed workload does a warm-up first (imports, first connections, the server's answer cache),
checks what it received, and reports the client's CPU seconds and the bench server's CPU seconds
over the timed part. ``--profile`` prints a cProfile of the timed part on stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import io
import json
import os
import pstats
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from importlib import metadata
from typing import Any
from urllib.parse import urlsplit

CLIENTS = ("ours", "upstream", "httpx")
WORKLOADS = ("W1", "W2", "W3", "W4", "W5")
PROMPT = "Why is the sky blue?"
W1_CALLS = 2000
W1_TOKENS = 20
W2_TOKENS = 20_000
W3_CALLS = 500
W3_IN_FLIGHT = 100
W4_STREAMS = 100
W4_TOKENS = 200

_IMPORT_CODE = """\
import json, resource, sys, time
t0 = time.perf_counter()
{statement}
elapsed = time.perf_counter() - t0
print(json.dumps({{"import_s": elapsed,
                  "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "module_file": getattr(sys.modules.get("{module}"), "__file__", None)}}))
"""


# -- small helpers -------------------------------------------------------------------------------


def server_cpu(url: str) -> float:
    """The bench server's CPU seconds so far (``GET /_stats`` over a raw socket)."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(f"GET /_stats HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return float(json.loads(data.split(b"\r\n\r\n", 1)[1])["cpu_s"])


def distribution() -> dict[str, str]:
    """Which ``text_generation`` (or httpx) this interpreter runs: distribution, version, file."""
    found: dict[str, str] = {}
    for dist in ("tgi-sdk", "text-generation", "httpx"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            found[dist] = metadata.version(dist)
    return found


class Timed:
    """Wall time, client CPU time and bench-server CPU time of one timed part."""

    def __init__(self, url: str) -> None:
        self._url = url
        self.elapsed = 0.0
        self.cpu = 0.0
        self.server_cpu = 0.0

    def __enter__(self) -> Timed:
        self._server0 = server_cpu(self._url)
        self._cpu0 = time.process_time()
        self._t0 = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.elapsed = time.perf_counter() - self._t0
        self.cpu = time.process_time() - self._cpu0
        self.server_cpu = server_cpu(self._url) - self._server0


def summarize(units: float, unit: str, runs: list[Timed], extra: dict[str, Any]) -> dict[str, Any]:
    """The result of timed parts that each did ``units`` calls or tokens: the median one."""
    run = sorted(runs, key=lambda r: r.elapsed)[len(runs) // 2]
    return {
        "value": units / run.elapsed,
        "unit": unit,
        "elapsed_s": run.elapsed,
        "samples_s": [r.elapsed for r in runs],
        "cpu_s": run.cpu,
        "cpu_us_per_unit": run.cpu / units * 1e6,
        "server_cpu_s": run.server_cpu,
        **extra,
    }


# -- text_generation (ours and upstream, same code) ---------------------------------------------


def _check_response(resp: Any, tokens: int) -> None:
    details = resp.details
    if details is None or details.generated_tokens != tokens or len(details.tokens) != tokens:
        raise AssertionError(f"unexpected generate answer: {resp!r:.300}")


def _check_final(last: Any, count: int, tokens: int) -> None:
    if count != tokens or last is None or last.generated_text is None:
        raise AssertionError(f"stream ended after {count} events, expected {tokens}")
    if last.details is None or last.details.generated_tokens != tokens:
        raise AssertionError(f"unexpected final event: {last!r:.300}")


async def _close(client: Any) -> None:
    aclose = getattr(client, "aclose", None)  # text-generation 0.7.0 has nothing to close
    if aclose is not None:
        await aclose()


def tg_w1(url: str, calls: int) -> dict[str, Any]:
    """W1 with ``text_generation.Client``."""
    from text_generation import Client

    client = Client(url)
    for _ in range(20):
        client.generate(PROMPT, max_new_tokens=W1_TOKENS)
    with Timed(url) as timed:
        for _ in range(calls):
            resp = client.generate(PROMPT, max_new_tokens=W1_TOKENS)
    _check_response(resp, W1_TOKENS)
    getattr(client, "close", lambda: None)()
    return summarize(calls, "calls/s", [timed], {"calls": calls})


def tg_w2(url: str, tokens: int, repeat: int) -> dict[str, Any]:
    """W2 with ``text_generation.Client``."""
    from text_generation import Client

    client = Client(url)
    runs = []
    for i in range(repeat + 1):
        count, last = 0, None
        with Timed(url) as timed:
            for last in client.generate_stream(PROMPT, max_new_tokens=tokens):  # noqa: B007
                count += 1
        _check_final(last, count, tokens)
        if i:  # the first one warms up
            runs.append(timed)
    getattr(client, "close", lambda: None)()
    return summarize(tokens, "tokens/s", runs, {"tokens": tokens})


async def _in_flight(n_calls: int, in_flight: int, call: Callable[[], Awaitable[None]]) -> None:
    remaining = n_calls

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            await call()

    await asyncio.gather(*(worker() for _ in range(in_flight)))


async def _timed_batches(
    url: str,
    repeat: int,
    batch: Callable[[], Awaitable[None]],
    warmup: Callable[[], Awaitable[None]],
) -> list[Timed]:
    await warmup()
    runs = []
    for _ in range(repeat):
        with Timed(url) as timed:
            await batch()
        runs.append(timed)
    return runs


def tg_w3(url: str, calls: int, repeat: int) -> dict[str, Any]:
    """W3 with ``text_generation.AsyncClient``."""
    from text_generation import AsyncClient

    async def main() -> list[Timed]:
        client = AsyncClient(url)
        last: list[Any] = [None]

        async def call() -> None:
            last[0] = await client.generate(PROMPT, max_new_tokens=W1_TOKENS)

        runs = await _timed_batches(
            url,
            repeat,
            lambda: _in_flight(calls, W3_IN_FLIGHT, call),
            lambda: _in_flight(W3_IN_FLIGHT, W3_IN_FLIGHT, call),
        )
        _check_response(last[0], W1_TOKENS)
        await _close(client)
        return runs

    runs = asyncio.run(main())
    return summarize(calls, "calls/s", runs, {"calls": calls, "in_flight": W3_IN_FLIGHT})


def tg_w4(url: str, streams: int, repeat: int) -> dict[str, Any]:
    """W4 with ``text_generation.AsyncClient``."""
    from text_generation import AsyncClient

    async def main() -> list[Timed]:
        client = AsyncClient(url)

        async def one() -> None:
            count, last = 0, None
            async for last in client.generate_stream(PROMPT, max_new_tokens=W4_TOKENS):  # noqa: B007
                count += 1
            _check_final(last, count, W4_TOKENS)

        async def batch() -> None:
            await asyncio.gather(*(one() for _ in range(streams)))

        runs = await _timed_batches(url, repeat, batch, batch)
        await _close(client)
        return runs

    runs = asyncio.run(main())
    return summarize(
        streams * W4_TOKENS, "tokens/s", runs, {"streams": streams, "tokens": W4_TOKENS}
    )


# -- plain httpx, the reference -------------------------------------------------------------------

_BODY = {"inputs": PROMPT, "parameters": {"max_new_tokens": W1_TOKENS, "details": True}}


def _stream_body(tokens: int) -> dict[str, Any]:
    return {"inputs": PROMPT, "parameters": {"max_new_tokens": tokens, "details": True}}


class _Events:
    """Split a byte stream into SSE ``data`` payloads, parsed as JSON."""

    def __init__(self) -> None:
        self._rest = b""
        self.count = 0
        self.last: Any = None

    def feed(self, chunk: bytes) -> None:
        parts = (self._rest + chunk).split(b"\n\n")
        self._rest = parts.pop()
        for part in parts:
            if part.startswith(b"data:"):
                self.last = json.loads(part[5:])
                self.count += 1

    def check(self, tokens: int) -> None:
        if self.count != tokens or self.last is None or self.last["generated_text"] is None:
            raise AssertionError(f"stream ended after {self.count} events, expected {tokens}")


def httpx_w1(url: str, calls: int) -> dict[str, Any]:
    """W1 with ``httpx.Client``: post, check the status, parse the JSON."""
    import httpx

    with httpx.Client(base_url=url) as client:
        for _ in range(20):
            client.post("/generate", json=_BODY).raise_for_status()
        with Timed(url) as timed:
            for _ in range(calls):
                resp = client.post("/generate", json=_BODY)
                resp.raise_for_status()
                payload = resp.json()
    if len(payload["details"]["tokens"]) != W1_TOKENS:
        raise AssertionError("unexpected generate answer")
    return summarize(calls, "calls/s", [timed], {"calls": calls})


def httpx_w2(url: str, tokens: int, repeat: int) -> dict[str, Any]:
    """W2 with ``httpx.Client.stream`` and ``iter_bytes``, SSE split by hand."""
    import httpx

    runs = []
    with httpx.Client(base_url=url) as client:
        for i in range(repeat + 1):
            events = _Events()
            with (
                Timed(url) as timed,
                client.stream("POST", "/generate_stream", json=_stream_body(tokens)) as resp,
            ):
                resp.raise_for_status()
                for chunk in resp.iter_bytes():
                    events.feed(chunk)
            events.check(tokens)
            if i:
                runs.append(timed)
    return summarize(tokens, "tokens/s", runs, {"tokens": tokens})


def httpx_w3(url: str, calls: int, repeat: int) -> dict[str, Any]:
    """W3 with ``httpx.AsyncClient`` and its default pool."""
    import httpx

    async def main() -> list[Timed]:
        async with httpx.AsyncClient(base_url=url) as client:

            async def call() -> None:
                resp = await client.post("/generate", json=_BODY)
                resp.raise_for_status()
                resp.json()

            return await _timed_batches(
                url,
                repeat,
                lambda: _in_flight(calls, W3_IN_FLIGHT, call),
                lambda: _in_flight(W3_IN_FLIGHT, W3_IN_FLIGHT, call),
            )

    runs = asyncio.run(main())
    return summarize(calls, "calls/s", runs, {"calls": calls, "in_flight": W3_IN_FLIGHT})


def httpx_w4(url: str, streams: int, repeat: int) -> dict[str, Any]:
    """W4 with ``httpx.AsyncClient.stream`` and ``aiter_bytes``."""
    import httpx

    async def main() -> list[Timed]:
        limits = httpx.Limits(max_connections=streams, max_keepalive_connections=streams)
        async with httpx.AsyncClient(base_url=url, limits=limits) as client:

            async def one() -> None:
                events = _Events()
                body = _stream_body(W4_TOKENS)
                async with client.stream("POST", "/generate_stream", json=body) as resp:
                    resp.raise_for_status()
                    async for chunk in resp.aiter_bytes():
                        events.feed(chunk)
                events.check(W4_TOKENS)

            async def batch() -> None:
                await asyncio.gather(*(one() for _ in range(streams)))

            return await _timed_batches(url, repeat, batch, batch)

    runs = asyncio.run(main())
    return summarize(
        streams * W4_TOKENS, "tokens/s", runs, {"streams": streams, "tokens": W4_TOKENS}
    )


# -- W5: cold import ------------------------------------------------------------------------------


def _fresh(statement: str, module: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as cwd:  # -P and a bare cwd: nothing shadows the venv
        out = subprocess.run(
            [sys.executable, "-P", "-c", _IMPORT_CODE.format(statement=statement, module=module)],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": ""},
        )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def w5(client: str, repeat: int) -> dict[str, Any]:
    """Import time and peak RSS of a fresh interpreter importing the client, medians."""
    module = "httpx" if client == "httpx" else "text_generation"
    statement = (
        "import httpx" if client == "httpx" else "from text_generation import Client, AsyncClient"
    )
    _fresh(statement, module)  # writes any missing .pyc files
    samples = [_fresh(statement, module) for _ in range(repeat)]
    bare = [_fresh("pass", module) for _ in range(max(repeat // 2, 1))]
    import_s = statistics.median(s["import_s"] for s in samples)
    rss_mb = statistics.median(s["maxrss_kb"] for s in samples) / 1024
    bare_mb = statistics.median(s["maxrss_kb"] for s in bare) / 1024
    return {
        "value": import_s,
        "unit": "s",
        "elapsed_s": import_s,
        "samples_s": [s["import_s"] for s in samples],
        "peak_rss_mb": rss_mb,
        "bare_rss_mb": bare_mb,
        "import_rss_mb": rss_mb - bare_mb,
        "statement": statement,
        "import_module_file": samples[0]["module_file"],
    }


# -- command line ---------------------------------------------------------------------------------


def run(client: str, workload: str, url: str, scale: float, repeat: int) -> dict[str, Any]:
    """Run one workload; the result dict (without the identification fields)."""
    if workload == "W5":
        return w5(client, repeat)
    kind = "httpx" if client == "httpx" else "tg"
    if workload == "W1":
        calls = max(int(W1_CALLS * scale), 50)
        return (httpx_w1 if kind == "httpx" else tg_w1)(url, calls)
    if workload == "W2":
        tokens = max(int(W2_TOKENS * scale), 200)
        return (httpx_w2 if kind == "httpx" else tg_w2)(url, tokens, repeat)
    if workload == "W3":
        calls = max(int(W3_CALLS * scale), W3_IN_FLIGHT)
        return (httpx_w3 if kind == "httpx" else tg_w3)(url, calls, repeat)
    if workload == "W4":
        streams = max(int(W4_STREAMS * scale), 10)
        return (httpx_w4 if kind == "httpx" else tg_w4)(url, streams, repeat)
    raise ValueError(f"unknown workload {workload}")


def main(argv: list[str] | None = None) -> int:
    """Run ``--workload`` with ``--client`` against ``--url``; print one JSON object."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--client", choices=CLIENTS, required=True)
    p.add_argument("--workload", choices=WORKLOADS, required=True)
    p.add_argument("--url", default="", help="the bench server (not needed for W5)")
    p.add_argument("--scale", type=float, default=1.0, help="shrink the counts (quick runs)")
    p.add_argument("--repeat", type=int, default=3, help="timed repetitions inside this process")
    p.add_argument("--profile", action="store_true", help="cProfile the run, top lines on stderr")
    args = p.parse_args(argv)
    if args.workload != "W5" and not args.url:
        p.error("--url is needed")
    profiler = None
    if args.profile:
        __import__("httpx" if args.client == "httpx" else "text_generation")  # not in the profile
        profiler = cProfile.Profile()
        profiler.enable()
    result = run(args.client, args.workload, args.url, args.scale, args.repeat)
    if profiler is not None:
        profiler.disable()
        text = io.StringIO()
        stats = pstats.Stats(profiler, stream=text)
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(20)
        print(text.getvalue(), file=sys.stderr)
    module = sys.modules.get("httpx" if args.client == "httpx" else "text_generation")
    result.update(
        client=args.client,
        workload=args.workload,
        python=sys.version.split()[0],
        distributions=distribution(),
        module_file=getattr(module, "__file__", None),
        maxrss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
