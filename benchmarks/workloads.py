"""One benchmark workload with one client, run inside that client's own virtual environment.

    <venv>/bin/python -P benchmarks/workloads.py --client ours --workload W1 --url URL

It prints one JSON object on stdout. It needs only the standard library and the client under test,
because it runs under ``.venv-upstream``'s python too: ``ours`` and ``upstream`` run the very same
code against ``text_generation`` (whichever one the interpreter imports; the result names the
distribution and version it found), ``httpx`` is plain httpx as a reference, ``hfhub`` is
huggingface_hub's ``InferenceClient`` (W1-W4, W6-W7) and ``openai`` the openai SDK (W6-W7).

Workloads (the sizes of the issue; ``--scale`` shrinks the counts for a quick run):

- W1: 2,000 sequential ``generate`` calls, 20 tokens with details (calls/s).
- W2: one stream of 20,000 tokens (tokens/s), ``--repeat`` times, median.
- W3: 500 async ``generate`` calls with 100 in flight (calls/s), ``--repeat`` times, median.
- W4: 100 concurrent async streams of 200 tokens (tokens/s), ``--repeat`` times, median.
- W5: ``from text_generation import Client, AsyncClient`` (each client's own import for the
  others) in fresh interpreters: import time and peak RSS, ``--repeat`` interpreters, medians.
- W6: 2,000 sequential ``chat`` calls, ``max_tokens=20`` (calls/s).
- W7: 100 concurrent async chat streams of 200 tokens (tokens/s), ``--repeat`` times, median.

Every timed workload does a warm-up first (imports, first connections, the server's answer cache),
checks what it received, and reports the client's CPU seconds and the bench server's CPU seconds
over the timed part. ``--profile`` prints a cProfile of the timed part on stderr.

This module is the command line; the workloads live beside it: ``workloads_tg`` (W1-W4 with
``text_generation``), ``workloads_httpx`` (W1-W4 with plain httpx), ``workloads_chat`` (W6-W7
with ``text_generation`` and httpx), ``workloads_hfhub``, ``workloads_openai``,
``workloads_import`` (W5) and
``workloads_timing`` (the sizes and the measuring they share). Run as a script under ``-P``,
neither this folder nor the project root is on ``sys.path`` (the root's ``text_generation`` would
shadow the venv's), so this file registers the ``benchmarks`` package from its own folder first.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import importlib.util
import io
import json
import pstats
import resource
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any


def _register_package() -> None:
    """Make ``benchmarks`` (this folder) importable without putting its parent on ``sys.path``."""
    if "benchmarks" in sys.modules:  # imported as benchmarks.workloads
        return
    here = Path(__file__).resolve().parent
    spec = importlib.util.spec_from_file_location(
        "benchmarks", here / "__init__.py", submodule_search_locations=[str(here)]
    )
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load the benchmarks package from {here}")
    package = importlib.util.module_from_spec(spec)
    sys.modules["benchmarks"] = package
    spec.loader.exec_module(package)


_register_package()

from benchmarks.workloads_chat import httpx_w6, httpx_w7, tg_w6, tg_w7  # noqa: E402
from benchmarks.workloads_hfhub import (  # noqa: E402
    hfhub_w1,
    hfhub_w2,
    hfhub_w3,
    hfhub_w4,
    hfhub_w6,
    hfhub_w7,
)
from benchmarks.workloads_httpx import httpx_w1, httpx_w2, httpx_w3, httpx_w4  # noqa: E402
from benchmarks.workloads_import import IMPORTS, w5  # noqa: E402
from benchmarks.workloads_openai import openai_w6, openai_w7  # noqa: E402
from benchmarks.workloads_tg import tg_w1, tg_w2, tg_w3, tg_w4  # noqa: E402
from benchmarks.workloads_timing import (  # noqa: E402
    W1_CALLS,
    W2_TOKENS,
    W3_CALLS,
    W3_IN_FLIGHT,
    W4_STREAMS,
    W6_CALLS,
    W7_STREAMS,
)

CLIENTS = ("ours", "upstream", "httpx", "hfhub", "openai")
WORKLOADS = ("W1", "W2", "W3", "W4", "W5", "W6", "W7")
_TG: dict[str, Callable[..., dict[str, Any]]] = {
    "W1": tg_w1,
    "W2": tg_w2,
    "W3": tg_w3,
    "W4": tg_w4,
    "W6": tg_w6,
    "W7": tg_w7,
}
#: The timed workloads of each client (every client has W5, its cold import).
FUNCTIONS: dict[str, dict[str, Callable[..., dict[str, Any]]]] = {
    "ours": _TG,
    "upstream": _TG,
    "httpx": {
        "W1": httpx_w1,
        "W2": httpx_w2,
        "W3": httpx_w3,
        "W4": httpx_w4,
        "W6": httpx_w6,
        "W7": httpx_w7,
    },
    "hfhub": {
        "W1": hfhub_w1,
        "W2": hfhub_w2,
        "W3": hfhub_w3,
        "W4": hfhub_w4,
        "W6": hfhub_w6,
        "W7": hfhub_w7,
    },
    "openai": {"W6": openai_w6, "W7": openai_w7},
}


def distribution() -> dict[str, str]:
    """Which client this interpreter runs: each known distribution's version."""
    found: dict[str, str] = {}
    for dist in ("tgi-sdk", "text-generation", "httpx", "huggingface_hub", "openai"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            found[dist] = metadata.version(dist)
    return found


# -- command line ---------------------------------------------------------------------------------


def run(client: str, workload: str, url: str, scale: float, repeat: int) -> dict[str, Any]:
    """Run one workload; the result dict (without the identification fields)."""
    if workload == "W5":
        return w5(client, repeat)
    function = FUNCTIONS[client].get(workload)
    if function is None:
        raise ValueError(f"{client} has no {workload}")
    if workload == "W1":
        return function(url, max(int(W1_CALLS * scale), 50))
    if workload == "W2":
        return function(url, max(int(W2_TOKENS * scale), 200), repeat)
    if workload == "W3":
        return function(url, max(int(W3_CALLS * scale), W3_IN_FLIGHT), repeat)
    if workload == "W4":
        return function(url, max(int(W4_STREAMS * scale), 10), repeat)
    if workload == "W6":
        return function(url, max(int(W6_CALLS * scale), 50))
    return function(url, max(int(W7_STREAMS * scale), 10), repeat)


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
        __import__(IMPORTS[args.client][1])  # not in the profile
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
    module = sys.modules.get(IMPORTS[args.client][1])
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
