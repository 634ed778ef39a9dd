"""A short headless Locust run of loadtest/locustfile.py against the mock: zero failures, and the
report carries the time-to-first-token and inter-token metrics."""

from __future__ import annotations

import csv
import shutil
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
