"""A short headless Locust run of loadtest/locustfile.py against the mock: zero failures, and the
report carries the time-to-first-token and inter-token metrics."""

from __future__ import annotations

import csv
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tgi_mock.config import MockConfig
from tgi_mock.server import MockServer

ROOT = Path(__file__).resolve().parents[2]
LOCUST = Path(sys.executable).with_name("locust")


@pytest.mark.timeout(120)
def test_a_short_headless_locust_run_reports_ttft_without_failures(tmp_path: Path) -> None:
    locust = str(LOCUST) if LOCUST.exists() else shutil.which("locust")
    assert locust, "locust is installed by `make install` (the loadtest extra)"
    config = MockConfig(ttft=0.01, itl=0.002)
    with MockServer(config) as server:
        argv = [locust, "-f", str(ROOT / "loadtest" / "locustfile.py"), "--headless"]
        argv += ["-H", server.url, "-u", "4", "-r", "4", "-t", "3s", "--only-summary"]
        argv += ["--csv", str(tmp_path / "tgi"), "--html", str(tmp_path / "tgi.html")]
        done = subprocess.run(
            argv, check=False, capture_output=True, text=True, timeout=90, cwd=tmp_path
        )
    assert done.returncode == 0, done.stderr[-2000:]
    with (tmp_path / "tgi_stats.csv").open(newline="") as stats:
        rows = {(row["Type"], row["Name"]): row for row in csv.DictReader(stats)}
    assert rows[("", "Aggregated")]["Failure Count"] == "0"
    assert int(rows[("POST", "/generate")]["Request Count"]) > 0
    for name in ("/generate_stream", "/v1/chat/completions (stream)"):
        assert int(rows[("TTFT", name)]["Request Count"]) > 0
        assert int(rows[("ITL", name)]["Request Count"]) > 0
    assert "TTFT" in (tmp_path / "tgi.html").read_text(encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.timeout(150)
def test_a_headless_master_with_two_workers_counts_both(tmp_path: Path) -> None:
    """The master/worker recipe of the README, on loopback: both workers' requests are in the
    report, and no failure."""
    locust = str(LOCUST) if LOCUST.exists() else shutil.which("locust")
    assert locust, "locust is installed by `make install` (the loadtest extra)"
    port = _free_port()
    base = [locust, "-f", str(ROOT / "loadtest" / "locustfile.py")]
    config = MockConfig(ttft=0.01, itl=0.002)
    with MockServer(config) as server:
        master = [*base, "--master", "--headless", "-H", server.url, "-u", "4", "-r", "4"]
        master += ["-t", "4s", "--expect-workers", "2", "--master-bind-host", "127.0.0.1"]
        master += ["--master-bind-port", str(port), "--csv", str(tmp_path / "tgi")]
        master += ["--only-summary"]
        worker = [*base, "--worker", "--master-host", "127.0.0.1", "--master-port", str(port)]
        procs = [
            subprocess.Popen(
                argv, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
            )
            for argv in (master, worker, worker)
        ]
        try:
            _, master_log = procs[0].communicate(timeout=90)
            for proc in procs[1:]:
                proc.wait(timeout=30)
        finally:
            for proc in procs:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
    assert procs[0].returncode == 0, master_log[-2000:]
    with (tmp_path / "tgi_workers.csv").open(newline="") as per_worker:
        workers = list(csv.DictReader(per_worker))
    assert len(workers) == 2, master_log[-2000:]
    assert all(int(w["Request Count"]) > 0 for w in workers)
    assert all(w["Failure Count"] == "0" for w in workers)
    with (tmp_path / "tgi_stats.csv").open(newline="") as stats:
        rows = list(csv.DictReader(stats))
    requests = sum(int(r["Request Count"]) for r in rows if r["Type"] == "POST")
    assert requests == sum(int(w["Request Count"]) for w in workers)
    assert next(r for r in rows if r["Name"] == "Aggregated")["Failure Count"] == "0"
