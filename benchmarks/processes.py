"""The processes of ``make bench``: servers started and stopped, one workload run, the mock.

``started`` runs a server process and yields the URL it prints; ``bench_server`` is the bench
server (``benchmarks/server.py``) on a free port; ``run_workload`` runs ``benchmarks/workloads.py``
with one client as a fresh ``python -P`` process of that client's venv and ``check_identity``
refuses its result when it imported the wrong ``text_generation``; ``run_mock`` drives our mock
(``python -m tgi_mock``, one process or ``--workers N``) with concurrent streams.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from benchmarks.capacity import MockCapacity, mock_capacity

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
WORKLOADS_PY = HERE / "workloads.py"
SERVER_PY = HERE / "server.py"
MOCK_PROMPT = "bench stream"
MOCK_STREAMS = 1000
MOCK_TOKENS = 100


def clean_env() -> dict[str, str]:
    """This environment for a child process, without PYTHONPATH / PYTHONHOME."""
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
        env=clean_env(),
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
            env=clean_env(),
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


def run_mock(
    python: str, streams: int, calls: int, workers: int = 1
) -> tuple[MockCapacity | None, str]:
    """Our mock (``--workers N``) under load; ``(None, reason)`` when it cannot be started."""
    with tempfile.TemporaryDirectory() as tmp:
        scripted = Path(tmp) / "scripted.json"
        scripted.write_text(json.dumps({MOCK_PROMPT: " the sky is blue" * (MOCK_TOKENS // 4 + 5)}))
        argv = [python, "-m", "tgi_mock", "--port", "0", "--log-level", "error"]
        argv += ["--scripted", str(scripted), "--max-concurrent-requests", str(streams + 100)]
        if workers > 1:
            argv += ["--workers", str(workers), "--state", str(Path(tmp) / "state.sqlite3")]
        with tempfile.TemporaryFile("w+") as errors:
            try:
                with started(argv, "listening on ", stderr=errors) as url:
                    return (
                        mock_capacity(
                            url,
                            MOCK_PROMPT,
                            streams=streams,
                            tokens=MOCK_TOKENS,
                            calls=calls,
                            workers=workers,
                        ),
                        url,
                    )
            except (RuntimeError, OSError) as exc:
                errors.seek(0)
                tail = errors.read()[-500:].strip()
                return None, f"{exc}" + (f" ({tail})" if tail else "")
