"""``make bench``: our ``text_generation`` against text-generation 0.7.0, huggingface_hub's
``InferenceClient``, the openai SDK, and plain httpx.

    .venv/bin/python -m benchmarks.run [--quick] [--reps N] [--json FILE] [--markdown FILE]
    .venv/bin/python -m benchmarks.run --profile W3      # cProfile of ours on one workload

It starts the bench server (``benchmarks/server.py``, its own process) and measures its capacity
with a raw-socket client; then, for each repetition, runs every workload with every client, each
run a fresh process in that client's venv (``ours`` and ``httpx`` in ``.venv-bench``, ``upstream``
in ``.venv-upstream``, ``hfhub`` in ``.venv-hfhub``, ``openai`` in ``.venv-openai``; each client
runs the workloads it has), the clients' order rotating from one repetition to the next; a run that
fails is reported as failing, not dropped. Then it drives our
mock (``python -m tgi_mock``, one process, then ``--workers 2``) with 1,000 concurrent streams
and measures its generate calls/s.
It prints a table of medians and the floors: ours against each peer, and on W6-W7 against the
fastest peer; the floors not met are listed again at the end.

The processes (servers, workload runs, the mock) are in ``benchmarks.processes``, the table and the
report in ``benchmarks.report``; this module is the command line that puts them together.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks import mock_grammar
from benchmarks.capacity import MockCapacity, bench_server_capacity
from benchmarks.processes import (
    MOCK_STREAMS,
    ROOT,
    bench_server,
    clean_env,
    run_mock,
    run_workload,
)
from benchmarks.report import (
    CLIENTS,
    MARK_END,
    MARK_START,
    SPECS,
    TITLES,
    Spec,
    details,
    failing,
    machine,
    mock_lines,
    render,
    summarize,
    update_readme,
)
from benchmarks.workloads import FUNCTIONS

__all__ = ["SPECS", "Spec", "main", "render", "summarize", "update_readme"]

BENCH_PYTHON = ROOT / ".venv-bench" / "bin" / "python"
WORKLOADS = ("W1", "W2", "W3", "W4", "W5", "W6", "W7")
PEER_VENVS = {"hfhub": ".venv-hfhub", "openai": ".venv-openai"}


def supports(client: str, workload: str) -> bool:
    """Whether ``client`` has ``workload`` (``benchmarks.workloads.FUNCTIONS``; W5 for all)."""
    return workload == "W5" or workload in FUNCTIONS[client]


def run_or_fail(
    python: str, client: str, workload: str, url: str, scale: float, repeat: int
) -> dict[str, Any]:
    """One run's result, or ``{"error": ...}`` with the last line the run printed."""
    try:
        return run_workload(python, client, workload, url, scale, repeat)
    except (RuntimeError, subprocess.TimeoutExpired, ValueError) as exc:
        lines = [line for line in str(exc).splitlines() if line.strip()]
        return {"client": client, "workload": workload, "error": lines[-1][:300] if lines else ""}


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


def profile(python: str, upstream: str, workload: str, scale: float) -> int:
    """Print a cProfile (or, for W5, ``-X importtime``) of ours on one workload."""
    if workload == "W5":
        for who, exe in (("ours", python), ("upstream", upstream)):
            with tempfile.TemporaryDirectory() as cwd:
                done = subprocess.run(
                    [exe, "-P", "-X", "importtime", "-c", "from text_generation import Client"],
                    cwd=cwd,
                    env=clean_env(),
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
    for client, venv in PEER_VENVS.items():
        p.add_argument(
            f"--{client}-python",
            default=str(ROOT / venv / "bin" / "python"),
            help=f"python of the venv with {TITLES[client]}",
        )
    p.add_argument("--profile", metavar="W", choices=WORKLOADS, help="profile ours on W and stop")
    args = p.parse_args(argv)
    started_at = time.perf_counter()
    # Absolute, but not resolved: a venv's python is a symlink that must stay in its venv.
    args.python = os.path.abspath(args.python)
    args.upstream_python = os.path.abspath(args.upstream_python)
    args.hfhub_python = os.path.abspath(args.hfhub_python)
    args.openai_python = os.path.abspath(args.openai_python)
    for python, make in (
        (args.upstream_python, ".venv-upstream"),
        (args.hfhub_python, ".venv-hfhub"),
        (args.openai_python, ".venv-openai"),
    ):
        if not Path(python).exists():
            p.error(f"{python} not found: `make {make}` creates it")
    raise_fd_limit()
    scale = 0.25 if args.quick else 1.0
    reps = args.reps or (1 if args.quick else 3)
    inner = 1 if args.quick else 5
    imports = 3 if args.quick else 5
    workloads = args.only.split(",") if args.only else list(WORKLOADS)
    if args.profile:
        return profile(args.python, args.upstream_python, args.profile, scale)

    pythons = {"ours": args.python, "upstream": args.upstream_python, "httpx": args.python}
    pythons |= {"hfhub": args.hfhub_python, "openai": args.openai_python}
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    header = [
        f"make bench, {stamp}",
        f"machine: {machine()}",
        f"venvs: ours and httpx {_venv(args.python)}, upstream {_venv(args.upstream_python)}, "
        f"huggingface_hub {_venv(args.hfhub_python)}, openai {_venv(args.openai_python)}",
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
            shift = rep % len(CLIENTS)
            order = CLIENTS[shift:] + CLIENTS[:shift]
            for workload in workloads:
                for client in (c for c in order if supports(c, workload)):
                    repeat = imports if workload == "W5" else inner
                    result = run_or_fail(pythons[client], client, workload, url, scale, repeat)
                    result["rep"] = rep
                    results.append(result)
                    spec = next(s for s in SPECS if s.key == workload)
                    shown = result["error"] if "error" in result else spec.show(result["value"])
                    _say(f"rep {rep + 1}/{reps} {workload} {client:8} {shown}")
    mocks: list[tuple[int, MockCapacity | None, str]] = []
    if args.no_mock:
        mocks.append((1, None, "skipped (--no-mock)"))
    else:
        streams = 200 if args.quick else MOCK_STREAMS
        calls = 1000 if args.quick else 6000
        for workers in (1, 2):
            _say(f"driving the mock ({workers} worker(s))")
            mock, reason = run_mock(sys.executable, streams, calls, workers=workers)
            mocks.append((workers, mock, reason))

    # The mock's forced tool calls under outlines-core, cold and warm (benchmarks/mock_grammar.py).
    grammar = [] if args.no_mock else mock_grammar.report_lines(args.quick)

    rows = summarize(results)
    note = (
        f"Medians over {reps} interleaved repetition(s), the clients' order rotating; each run is "
        f"a fresh process in the client's own venv; W2-W4 and W7 runs take the median of {inner} "
        f"timed passes after a warm-up, W5 the median of {imports} fresh interpreters (each "
        f"client's own import: `from text_generation import Client, AsyncClient`, `from "
        f"huggingface_hub import InferenceClient, AsyncInferenceClient`, `from openai import "
        f"OpenAI, AsyncOpenAI`, `import httpx`). The traffic: ours on urllib3 (sync) and "
        f"aiohttp (async); 0.7.0 on requests and aiohttp; "
        f"huggingface_hub and openai on httpx2/httpcore2 (h11)."
        + (" QUICK RUN: counts scaled by 0.25." if args.quick else "")
    )
    table = render(rows)
    missed = failing(rows)
    rest = [
        *details(rows, results),
        *mock_lines(mocks, cap),
        *grammar,
        f"total runtime: {time.perf_counter() - started_at:.0f} s",
        *(
            [f"FLOORS NOT MET ({len(missed)}):", *(f"  {m}" for m in missed)]
            if missed
            else ["every floor met"]
        ),
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
            "mock": [
                {"workers": w, **(m.to_dict() if m else {"error": why})} for w, m, why in mocks
            ],
            "rows": [
                {k: v for k, v in row.items() if k != "spec"} | {"title": row["spec"].title}
                for row in rows
            ],
        }
        Path(args.json).write_text(json.dumps(raw, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
