"""``make bench``: our ``text_generation`` against text-generation 0.7.0 and plain httpx.

    .venv/bin/python -m benchmarks.run [--quick] [--reps N] [--json FILE] [--markdown FILE]
    .venv/bin/python -m benchmarks.run --profile W3      # cProfile of ours on one workload

It starts the bench server (``benchmarks/server.py``, its own process) and measures its capacity
with a raw-socket client; then, for each repetition, runs every workload with every client, each
run a fresh process in that client's venv (``ours`` and ``httpx`` in ``.venv``, ``upstream`` in
``.venv-upstream``), the clients' order rotating from one repetition to the next; then drives our
mock (``python -m mock_server``) with 1,000 concurrent streams and measures its generate calls/s.
It prints a table of medians and each ratio to upstream against the issue's targets.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from benchmarks.capacity import MockCapacity, bench_server_capacity, mock_capacity

__all__ = ["SPECS", "Spec", "main", "render", "summarize", "update_readme"]

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
WORKLOADS_PY = HERE / "workloads.py"
SERVER_PY = HERE / "server.py"
CLIENTS = ("ours", "upstream", "httpx")
BENCH_PYTHON = ROOT / ".venv-bench" / "bin" / "python"
MOCK_PROMPT = "bench stream"
MOCK_STREAMS = 1000
MOCK_TOKENS = 100


@dataclass(frozen=True)
class Spec:
    """A row of the table: what is measured and the issue's target for ours / upstream."""

    key: str
    title: str
    unit: str
    higher_is_better: bool
    target: float | None

    def show(self, value: float) -> str:
        """A measured value in this row's unit."""
        if self.unit == "ms":
            return f"{value * 1000:,.0f} ms"
        if self.unit == "MB":
            return f"{value:,.1f} MB"
        return f"{value:,.0f} {self.unit}"

    def target_text(self) -> str:
        """The target, as the issue states it."""
        if self.target is None:
            return "-"
        return f">= {self.target:g}x" if self.higher_is_better else f"<= {self.target:g}x"

    def met(self, ratio: float) -> bool | None:
        """Whether ``ratio`` (ours / upstream) meets the target; None without a target."""
        if self.target is None:
            return None
        return ratio >= self.target if self.higher_is_better else ratio <= self.target


SPECS = (
    Spec("W1", "W1 2,000 sequential generate (20 tokens, details)", "calls/s", True, 2.0),
    Spec("W2", "W2 one stream of 20,000 tokens", "tokens/s", True, 1.3),
    Spec("W3", "W3 500 async generate, 100 in flight", "calls/s", True, 2.0),
    Spec("W4", "W4 100 concurrent async streams of 200 tokens", "tokens/s", True, 1.3),
    Spec("W5", "W5 cold `from text_generation import Client, AsyncClient`", "ms", False, 0.5),
    Spec("W5mem", "W5 peak RSS after that import", "MB", False, None),
)
WORKLOADS = ("W1", "W2", "W3", "W4", "W5")


# -- processes ------------------------------------------------------------------------------------


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PYTHONDONTWRITEBYTECODE"] = ""
    return env


def _read_ready_line(proc: subprocess.Popen[str], marker: str, timeout: float) -> str:
    """The first stdout line of ``proc`` containing ``marker`` (a URL follows it)."""
    assert proc.stdout is not None
    found: list[str] = []

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            if marker in line:
                found.append(line)
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout)
    if not found:
        raise RuntimeError(f"no {marker!r} line from {proc.args!r} within {timeout:.0f} s")
    return found[0].split(marker, 1)[1].split()[0]


@contextlib.contextmanager
def started(
    argv: list[str], marker: str, timeout: float = 30.0, stderr: IO[str] | None = None
) -> Iterator[str]:
    """Run a server process, yield its URL (read after ``marker`` on stdout), stop it."""
    proc = subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        cwd=ROOT,
        env=_clean_env(),
    )
    try:
        yield _read_ready_line(proc, marker, timeout)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def bench_server(python: str) -> contextlib.AbstractContextManager[str]:
    """The bench server on a free port, in its own process."""
    return started([python, str(SERVER_PY), "--port", "0"], "listening on ")


def run_workload(
    python: str,
    client: str,
    workload: str,
    url: str,
    scale: float,
    repeat: int,
    profile: bool = False,
) -> dict[str, Any]:
    """One workload with one client in a fresh process of ``python``; its JSON result."""
    argv = [python, "-P", str(WORKLOADS_PY), "--client", client, "--workload", workload]
    argv += ["--url", url, "--scale", str(scale), "--repeat", str(repeat)]
    if profile:
        argv.append("--profile")
    with tempfile.TemporaryDirectory() as cwd:
        done = subprocess.run(
            argv,
            check=False,
            cwd=cwd,
            env=_clean_env(),
            capture_output=True,
            text=True,
            timeout=600,
        )
    if done.returncode != 0:
        raise RuntimeError(
            f"{client} {workload} failed ({done.returncode}):\n{done.stderr[-3000:]}"
        )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if profile:
        result["profile"] = done.stderr
    check_identity(result)
    return result


def check_identity(result: dict[str, Any]) -> None:
    """Refuse a result whose ``text_generation`` is not the one its client name says."""
    client = result["client"]
    module = result.get("import_module_file") or result.get("module_file") or ""
    ours_dir = str(ROOT / "text_generation")
    if client == "upstream":
        if result["distributions"].get("text-generation") != "0.7.0" or module.startswith(ours_dir):
            raise RuntimeError(f"upstream run did not use text-generation 0.7.0: {module}")
    elif client == "ours" and not module.startswith(ours_dir):
        raise RuntimeError(f"ours run imported text_generation from {module}, not {ours_dir}")


# -- the table ------------------------------------------------------------------------------------


def value_of(spec: Spec, result: dict[str, Any]) -> float:
    """The number a row shows for one result."""
    if spec.key == "W5mem":
        return float(result["peak_rss_mb"])
    return float(result["value"])


def summarize(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per spec: each client's median over the repetitions, and ours / upstream."""
    rows = []
    for spec in SPECS:
        workload = spec.key[:2]
        row: dict[str, Any] = {"key": spec.key, "spec": spec, "medians": {}, "samples": {}}
        for client in CLIENTS:
            values = [
                value_of(spec, r)
                for r in results
                if r["client"] == client and r["workload"] == workload
            ]
            if values:
                row["samples"][client] = values
                row["medians"][client] = statistics.median(values)
        ours, upstream = row["medians"].get("ours"), row["medians"].get("upstream")
        row["ratio"] = ours / upstream if ours and upstream else None
        row["met"] = spec.met(row["ratio"]) if row["ratio"] is not None else None
        if row["medians"]:
            rows.append(row)
    return rows


def render(rows: list[dict[str, Any]]) -> str:
    """The table, in Markdown (which reads fine in a terminal too)."""
    lines = [
        "| workload | ours | upstream 0.7.0 | httpx | ours vs upstream | target | met? |",
        "| --- | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for row in rows:
        spec: Spec = row["spec"]
        cells = [spec.show(row["medians"][c]) if c in row["medians"] else "-" for c in CLIENTS]
        ratio = f"{row['ratio']:.2f}x" if row["ratio"] is not None else "-"
        met = {True: "yes", False: "**no**", None: "-"}[row["met"]]
        lines.append(
            f"| {spec.title} | {' | '.join(cells)} | {ratio} | {spec.target_text()} | {met} |"
        )
    return "\n".join(lines)


def machine() -> str:
    """CPU model, cores, OS and Python of this machine."""
    model = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = f", load {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else ""
    return (
        f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}{load}"
    )


def details(rows: list[dict[str, Any]], results: list[dict[str, Any]]) -> list[str]:
    """Lines under the table: every sample, CPU per unit, how busy the bench server was."""
    out = ["Every repetition (ours | upstream | httpx):"]
    for row in rows:
        spec: Spec = row["spec"]
        parts = [", ".join(spec.show(v) for v in row["samples"].get(c, [])) or "-" for c in CLIENTS]
        out.append(f"  {spec.key:5} {' | '.join(parts)}")
    out.append("Client CPU per call or token in the timed part, median (ours | upstream | httpx):")
    for workload in ("W1", "W2", "W3", "W4"):
        unit = "call" if workload in ("W1", "W3") else "token"
        cells = []
        for client in CLIENTS:
            cpu = [
                r["cpu_us_per_unit"]
                for r in results
                if r["client"] == client and r["workload"] == workload
            ]
            cells.append(f"{statistics.median(cpu):,.1f} us/{unit}" if cpu else "-")
        out.append(f"  {workload}    {' | '.join(cells)}")
    busy = []
    for workload in ("W1", "W2", "W3", "W4"):
        loads = [
            r["server_cpu_s"] / r["elapsed_s"]
            for r in results
            if r["workload"] == workload and r.get("elapsed_s")
        ]
        if loads:
            busy.append(f"{workload} {max(loads):.0%}")
    if busy:
        out.append("Bench server CPU over the timed part, busiest client run: " + ", ".join(busy))
    return out


# -- the pieces -----------------------------------------------------------------------------------


def _venv(python: str) -> str:
    path = Path(python)
    with contextlib.suppress(ValueError):
        return str(path.parent.parent.relative_to(ROOT))
    return str(path)


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def raise_fd_limit() -> None:
    """Open-file limit up to the hard limit (1,000 streams need as many sockets); inherited."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = hard if hard != resource.RLIM_INFINITY else 65536
    if soft != resource.RLIM_INFINITY and soft < want:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))


def run_mock(python: str, streams: int, calls: int) -> tuple[MockCapacity | None, str]:
    """Our mock under load; ``(None, reason)`` when it cannot be started."""
    with tempfile.TemporaryDirectory() as tmp:
        scripted = Path(tmp) / "scripted.json"
        scripted.write_text(json.dumps({MOCK_PROMPT: " the sky is blue" * (MOCK_TOKENS // 4 + 5)}))
        argv = [python, "-m", "mock_server", "--port", "0", "--log-level", "error"]
        argv += ["--scripted", str(scripted), "--max-concurrent-requests", str(streams + 100)]
        with tempfile.TemporaryFile("w+") as errors:
            try:
                with started(argv, "listening on ", stderr=errors) as url:
                    return (
                        mock_capacity(
                            url, MOCK_PROMPT, streams=streams, tokens=MOCK_TOKENS, calls=calls
                        ),
                        url,
                    )
            except (RuntimeError, OSError) as exc:
                errors.seek(0)
                tail = errors.read()[-500:].strip()
                return None, f"{exc}" + (f" ({tail})" if tail else "")


MARK_START = "<!-- bench:start -->"
MARK_END = "<!-- bench:end -->"


def update_readme(path: Path, markdown: str) -> None:
    """Replace what stands between the bench markers in ``path`` with ``markdown``."""
    text = path.read_text()
    start, end = text.find(MARK_START), text.find(MARK_END)
    if start < 0 or end < start:
        raise SystemExit(f"{path}: no {MARK_START} ... {MARK_END} section to update")
    path.write_text(text[: start + len(MARK_START)] + "\n" + markdown + "\n" + text[end:])


def mock_lines(mock: MockCapacity | None, reason: str) -> list[str]:
    """The mock's lines of the report."""
    if mock is None:
        return [f"mock: not available ({reason})"]
    status = "no error" if not mock.errors and mock.streams_ok == mock.streams else "ERRORS"
    lines = [
        f"mock (python -m mock_server, one process): {mock.streams:,} concurrent streams of "
        f"{mock.tokens_per_stream} tokens: {mock.streams_ok:,} complete, {len(mock.errors)} "
        f"errors ({status}), {mock.events:,} events in {mock.stream_elapsed_s:.2f} s "
        f"({mock.events_per_s:,.0f} events/s)",
        f"mock generate: {mock.generate_per_s:,.0f} calls/s ({mock.generate_calls:,} calls over "
        f"20 keep-alive connections, {mock.generate_errors} errors)",
    ]
    lines += [f"  mock error: {e}" for e in mock.errors[:5]]
    return lines


def profile(python: str, upstream: str, workload: str, scale: float) -> int:
    """Print a cProfile (or, for W5, ``-X importtime``) of ours on one workload."""
    if workload == "W5":
        for who, exe in (("ours", python), ("upstream", upstream)):
            with tempfile.TemporaryDirectory() as cwd:
                done = subprocess.run(
                    [exe, "-P", "-X", "importtime", "-c", "from text_generation import Client"],
                    cwd=cwd,
                    env=_clean_env(),
                    capture_output=True,
                    text=True,
                    check=True,
                )
            rows: list[tuple[int, int, str]] = []
            for line in done.stderr.splitlines()[1:]:  # "import time: SELF | CUMULATIVE | NAME"
                head, total, module = line.split("|", 2)
                rows.append((int(total), int(head.split(":", 1)[1]), module.rstrip()))
            print(f"-X importtime, {who}: top 15 by cumulative time (us: cumulative, self)")
            for cumulative, own, module in sorted(rows, reverse=True)[:15]:
                print(f"  {cumulative:>8} {own:>8}  {module}")
        return 0
    with bench_server(sys.executable) as url:
        result = run_workload(python, "ours", workload, url, scale, 1, profile=True)
    spec = next(s for s in SPECS if s.key == workload)
    print(f"ours {workload}: {spec.show(result['value'])} (under cProfile, so slower)")
    print(result["profile"])
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the suite; print the report on stdout (progress on stderr)."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--quick", action="store_true", help="smaller counts, one repetition")
    p.add_argument("--reps", type=int, help="interleaved repetitions (default 3, quick 1)")
    p.add_argument("--only", help="comma-separated workloads, e.g. W1,W3")
    p.add_argument("--no-mock", action="store_true", help="skip the mock capacity part")
    p.add_argument("--json", metavar="FILE", help="write every raw result to FILE")
    p.add_argument("--markdown", metavar="FILE", help="write the report as Markdown to FILE")
    p.add_argument(
        "--readme",
        metavar="FILE",
        help=f"put the Markdown report between {MARK_START} and {MARK_END} in FILE",
    )
    p.add_argument(
        "--python",
        default=str(BENCH_PYTHON if BENCH_PYTHON.exists() else Path(sys.executable)),
        help="python of ours and httpx (default .venv-bench: our runtime dependencies only)",
    )
    p.add_argument(
        "--upstream-python",
        default=str(ROOT / ".venv-upstream" / "bin" / "python"),
        help="python of the venv with text-generation 0.7.0",
    )
    p.add_argument("--profile", metavar="W", choices=WORKLOADS, help="profile ours on W and stop")
    args = p.parse_args(argv)
    started_at = time.perf_counter()
    # Absolute, but not resolved: a venv's python is a symlink that must stay in its venv.
    args.python = os.path.abspath(args.python)
    args.upstream_python = os.path.abspath(args.upstream_python)
    if not Path(args.upstream_python).exists():
        p.error(f"{args.upstream_python} not found: `make .venv-upstream` creates it")
    raise_fd_limit()
    scale = 0.25 if args.quick else 1.0
    reps = args.reps or (1 if args.quick else 3)
    inner = 1 if args.quick else 5
    imports = 3 if args.quick else 5
    workloads = args.only.split(",") if args.only else list(WORKLOADS)
    if args.profile:
        return profile(args.python, args.upstream_python, args.profile, scale)

    pythons = {"ours": args.python, "upstream": args.upstream_python, "httpx": args.python}
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    header = [
        f"make bench, {stamp}",
        f"machine: {machine()}",
        f"venvs: ours and httpx {_venv(args.python)}, upstream {_venv(args.upstream_python)}",
    ]
    results: list[dict[str, Any]] = []
    with bench_server(sys.executable) as url:
        _say(f"bench server at {url}; measuring its capacity with a raw-socket client")
        cap = bench_server_capacity(url, scale=scale)
        header.append(
            f"bench server (benchmarks/server.py, asyncio, one process), raw-socket client: "
            f"{cap['keepalive_rps']:,.0f} sequential keep-alive requests/s on one connection, "
            f"{cap['pipelined_rps']:,.0f} pipelined requests/s, "
            f"{cap['stream_events_per_s']:,.0f} streamed events/s"
        )
        for rep in range(reps):
            order = CLIENTS[rep % 3 :] + CLIENTS[: rep % 3]
            for workload in workloads:
                for client in order:
                    repeat = imports if workload == "W5" else inner
                    result = run_workload(pythons[client], client, workload, url, scale, repeat)
                    result["rep"] = rep
                    results.append(result)
                    spec = next(s for s in SPECS if s.key == workload)
                    _say(f"rep {rep + 1}/{reps} {workload} {client:8} {spec.show(result['value'])}")
    mock: MockCapacity | None = None
    reason = "skipped (--no-mock)"
    if not args.no_mock:
        _say("driving the mock")
        streams = 200 if args.quick else MOCK_STREAMS
        mock, reason = run_mock(sys.executable, streams, 500 if args.quick else 2000)

    rows = summarize(results)
    note = (
        f"Medians over {reps} interleaved repetition(s), the clients' order rotating; each run is "
        f"a fresh process in the client's own venv; W2-W4 runs take the median of {inner} timed "
        f"passes after a warm-up, W5 the median of {imports} fresh interpreters (the httpx column: "
        f"`import httpx`)." + (" QUICK RUN: counts scaled by 0.25." if args.quick else "")
    )
    table = render(rows)
    rest = [
        *details(rows, results),
        *mock_lines(mock, reason),
        f"total runtime: {time.perf_counter() - started_at:.0f} s",
    ]
    print("\n".join([*header, "", table, "", note, *rest]))
    markdown = "\n".join(["  \n".join(header), "", table, "", note, "", "```text", *rest, "```"])
    if args.markdown:
        Path(args.markdown).write_text(markdown + "\n")
    if args.readme:
        update_readme(Path(args.readme), markdown)
    if args.json:
        raw = {
            "header": header,
            "results": results,
            "capacity": cap,
            "mock": mock.to_dict() if mock else {"error": reason},
            "rows": [
                {k: v for k, v in row.items() if k != "spec"} | {"title": row["spec"].title}
                for row in rows
            ],
        }
        Path(args.json).write_text(json.dumps(raw, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
