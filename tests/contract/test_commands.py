"""The commands as a user runs them: `tgi-contract verify` / `record` and
`python -m tgi_mock --break NAME` / `--replay DIR`, each in its own process; and capturing a
whole `verify` run once, then verifying the replay offline."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import entry_points
from pathlib import Path

import httpx

from tests.contract.conftest import Serve
from tgi_mock.config import MockConfig
from tgi_mock.contract.proxy import RecordingProxy
from tgi_mock.contract.replay import ReplayApp
from tgi_mock.contract.runner import verify

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def running(*argv: str, pattern: str) -> Iterator[str]:
    """Run `python argv...` until the block ends; yields the URL its first line announces."""
    process = subprocess.Popen(
        [sys.executable, *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(pattern, line)
        assert match, (line, process.stderr.read() if process.stderr else "")
        yield match.group(1)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        finally:
            process.kill()


def test_tgi_contract_is_an_installed_console_script() -> None:
    scripts = {ep.name: ep.value for ep in entry_points(group="console_scripts")}
    assert scripts.get("tgi-contract") == "tgi_mock.contract.cli:main"


def test_verify_command_against_a_mock_started_with_break() -> None:
    mock = ("-m", "tgi_mock", "--port", "0", "--break", "seed-ignored")
    with running(*mock, pattern=r"listening on (http://\S+)") as url:
        result = subprocess.run(
            [sys.executable, "-m", "tgi_mock.contract", "verify", url, "--fuzz-examples", "0"],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=ROOT,
            check=False,
        )
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    failed = [line.split()[1].rstrip(":") for line in lines if line.startswith("fail")]
    assert failed == ["seed-determinism", "v1-seed-determinism"]
    assert "2 failed, 1 skipped" in lines[-1]


def test_record_command_then_replay_command(serve: Serve, tmp_path: Path) -> None:
    upstream = serve(MockConfig())
    out = tmp_path / "recordings"
    body = {"inputs": "Why is the sky blue?", "parameters": {"max_new_tokens": 4}}
    record = ("-m", "tgi_mock.contract", "record", upstream.url, "--out", str(out))
    with running(
        *record, "--port", "0", pattern=r"listening on (http://[^\s,]+), saving to"
    ) as url:
        answer = httpx.post(url + "/generate_stream", json=body, timeout=10)
        info = httpx.get(url + "/info", timeout=10)
    assert (answer.status_code, info.status_code) == (200, 200)
    assert sorted(p.name for p in out.iterdir()) == [
        "0001-POST-generate_stream.json",
        "0002-GET-info.json",
    ]
    replay = ("-m", "tgi_mock", "--replay", str(out), "--replay-speed", "fast", "--port", "0")
    with running(*replay, pattern=r"Mock TGI server listening on (http://\S+)") as url:
        replayed = httpx.post(url + "/generate_stream", json=body, timeout=10)
        assert replayed.content == answer.content
        assert httpx.get(url + "/info", timeout=10).content == info.content
        missing = httpx.post(url + "/generate", json=body, timeout=10)
        assert missing.status_code == 404
        assert missing.json()["nearest"] == "0001-POST-generate_stream.json"


def test_replay_of_a_missing_directory_is_a_usage_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tgi_mock", "--replay", str(tmp_path / "nope"), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 2
    assert "no such directory" in result.stderr


def test_capture_a_verify_run_once_then_verify_the_replay_offline(
    serve: Serve, tmp_path: Path
) -> None:
    upstream = serve(MockConfig())
    proxy = serve(app=RecordingProxy(upstream.url, tmp_path))
    live = verify(proxy.url, fuzz_examples=2)
    assert live.failed() == set()
    upstream.stop()
    replay = serve(app=ReplayApp(tmp_path, speed=None))
    offline = verify(replay.url, fuzz_examples=2)
    assert offline.failed() == set()
    assert [r.name for r in offline.results] == [r.name for r in live.results]
