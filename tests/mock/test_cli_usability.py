"""The rough edges of the commands a new user meets first: `--version`, `--help` and
`--help-faults`, a port already in use, the opt-in access log, a `--check` pattern matching
nothing, spec_diff's default document, and a quiet end of a `pytest -s` session."""

from __future__ import annotations

import dataclasses
import signal
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import httpx
import pytest

from tgi_mock import spec_diff
from tgi_mock.faults import FaultSpec

ROOT = Path(__file__).resolve().parents[2]
MOCK = (sys.executable, "-m", "tgi_mock")
CONTRACT = (sys.executable, "-m", "tgi_mock.contract")


def run(*argv: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, cwd=cwd, check=False)


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A port some other program is listening on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def test_both_commands_print_their_version() -> None:
    ours = version("tgi-sdk")
    assert run(*MOCK, "--version").stdout.strip() == f"python -m tgi_mock (tgi-sdk {ours})"
    assert run(*CONTRACT, "--version").stdout.strip() == f"tgi-contract {ours}"


def test_help_explains_the_fault_grammar_and_help_faults_every_fault() -> None:
    names = [field.name.replace("_", "-") for field in dataclasses.fields(FaultSpec)]
    help_text = run(*MOCK, "--help").stdout
    assert "SPEC is 'fault;fault;...', each fault 'name' or 'name=value'" in help_text
    assert "python -m tgi_mock --help-faults describes each one." in help_text
    assert all(name in " ".join(help_text.split()) for name in names)
    faults = run(*MOCK, "--help-faults")
    assert faults.returncode == 0
    assert 'faults := fault (";" fault)*' in faults.stdout
    missing = [name for name in names if f"`{name}" not in faults.stdout]
    assert missing == []


def test_a_port_in_use_is_one_line_and_exit_2(busy_port: int) -> None:
    for argv, prog in (
        ((*MOCK, "--port", str(busy_port)), "python -m tgi_mock"),
        (
            (
                *CONTRACT,
                "record",
                "http://127.0.0.1:9",
                "--out",
                "unused",
                "--port",
                str(busy_port),
            ),
            "tgi-contract record",
        ),
    ):
        result = run(*argv)
        assert result.returncode == 2
        assert result.stderr == (
            f"{prog}: cannot listen on 127.0.0.1:{busy_port}: address already in use\n"
        )


def serve_one_request(*options: str) -> str:
    """Start the CLI, send `GET /info`, stop it; everything it printed on stdout."""
    process = subprocess.Popen(
        [*MOCK, "--port", "0", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        url = first.rsplit(" ", 1)[1].strip()
        assert httpx.get(url + "/info", timeout=10).status_code == 200
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=20)
    finally:
        process.kill()
    return first + rest


def test_the_access_log_is_opt_in() -> None:
    quiet = serve_one_request()
    assert quiet.startswith("Mock TGI server listening on http://127.0.0.1:")
    assert len(quiet.splitlines()) == 1
    logged = serve_one_request("--access-log")
    assert '"GET /info HTTP/1.1" 200' in logged


def test_a_check_pattern_matching_nothing_exits_2_naming_it() -> None:
    result = run(
        *CONTRACT, "verify", "http://127.0.0.1:9", "--check", "schema.*", "--check", "nomatch*"
    )
    assert result.returncode == 2
    assert result.stderr.startswith(
        "tgi-contract verify: --check 'nomatch*' matches no check; the checks are: schema."
    )
    assert "max-new-tokens" in result.stderr
    assert "cannot reach" not in result.stderr


def test_spec_diff_compares_with_our_document_from_any_folder(tmp_path: Path) -> None:
    published = ROOT / "tests" / "reference" / "tgi-openapi.json"
    result = run(sys.executable, "-m", "tgi_mock.spec_diff", str(published), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"ours:      {ROOT / 'openapi.yaml'}" in result.stdout


def test_spec_diff_prefers_the_packaged_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    packaged = tmp_path / "openapi.yaml"
    packaged.write_text("openapi: 3.1.0\n", encoding="utf-8")
    monkeypatch.setattr(spec_diff, "_PACKAGED", packaged)
    assert spec_diff.default_ours() == packaged
    monkeypatch.setattr(spec_diff, "_PACKAGED", tmp_path / "absent.yaml")
    assert spec_diff.default_ours() == ROOT / "openapi.yaml"


ABANDONED_STREAM = """
import json
import socket


def test_leaves_a_stream_open(tgi_mock):
    tgi_mock.faults.set("latency-token=0.5")
    host, port = tgi_mock.url.rsplit("/", 1)[1].split(":")
    sock = socket.create_connection((host, int(port)))
    body = json.dumps({"inputs": "hello", "parameters": {"max_new_tokens": 50}}).encode()
    head = "POST /generate_stream HTTP/1.1\\r\\nHost: x\\r\\nContent-Type: application/json\\r\\n"
    sock.sendall(head.encode() + b"Content-Length: %d\\r\\n\\r\\n" % len(body) + body)
    assert sock.recv(100).startswith(b"HTTP/1.1 200")
    globals()["still_open"] = sock
"""


def test_pytest_s_ends_quietly_with_a_stream_still_open(tmp_path: Path) -> None:
    (tmp_path / "test_stream.py").write_text(textwrap.dedent(ABANDONED_STREAM), encoding="utf-8")
    result = run(
        sys.executable,
        "-m",
        "pytest",
        "-s",
        "-q",
        "-p",
        "no:cacheprovider",
        str(tmp_path),
        cwd=tmp_path,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "1 passed" in output
    assert "graceful shutdown" not in output
    assert "Traceback" not in output
    assert "CancelledError" not in output
