"""The pytest plugin (through its entry point), the CLI, and the rule that the mock never imports
the client under test."""

from __future__ import annotations

import ast
import json
import os
import signal
import subprocess
import sys
import textwrap
from importlib.metadata import entry_points
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]

PLUGIN_TESTS = """
import httpx


def test_a_changes_everything(tgi_mock):
    tgi_mock.config.max_best_of = 1
    tgi_mock.faults.set("status=500")
    tgi_mock.scripted["hello"] = " world"
    assert httpx.post(tgi_mock.url + "/generate", json={"inputs": "hello"}).status_code == 500
    assert len(tgi_mock.journal) == 1
    assert tgi_mock.metrics.get("tgi_request_count", route="/generate") == 1


def test_b_sees_a_fresh_mock(tgi_mock, tgi_mock_server):
    assert tgi_mock.url == tgi_mock_server.url
    assert tgi_mock.config.max_best_of == 2
    assert tgi_mock.faults.current().is_empty()
    assert "hello" not in tgi_mock.scripted
    assert len(tgi_mock.journal) == 0
    assert tgi_mock.metrics.get("tgi_request_count", route="/generate") == 0
    answer = httpx.post(tgi_mock.url + "/generate", json={"inputs": "Why is the sky blue?"})
    assert answer.json() == {"generated_text": " Rayleigh scattering"}
"""


def test_plugin_is_registered_as_pytest11_entry_point() -> None:
    plugins = {ep.name: ep.value for ep in entry_points(group="pytest11")}
    assert plugins.get("tgi_mock") == "tgi_mock.pytest_plugin"


def test_plugin_fixtures_reset_between_tests(tmp_path: Path) -> None:
    (tmp_path / "test_uses_plugin.py").write_text(PLUGIN_TESTS, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


def test_a_project_with_its_own_mock_server_package_still_runs(tmp_path: Path) -> None:
    """The plugin's import name is `tgi_mock`: a user's `mock_server` package does not clash."""
    package = tmp_path / "mock_server"
    package.mkdir()
    (package / "__init__.py").write_text('OWNER = "the user"\n', encoding="utf-8")
    (package / "pytest_plugin.py").write_text("raise ImportError('not ours')\n", encoding="utf-8")
    (tmp_path / "test_own_package.py").write_text(
        textwrap.dedent(
            """
            import httpx
            from mock_server import OWNER


            def test_both(tgi_mock):
                assert OWNER == "the user"
                assert httpx.get(tgi_mock.url + "/health").status_code == 200
            """
        ),
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


def test_cli_port_zero_prints_its_url_and_serves(tmp_path: Path) -> None:
    scripted = tmp_path / "scripted.json"
    scripted.write_text(json.dumps({"Ping?": " Pong!"}), encoding="utf-8")
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"model_id": "acme/tiny", "max_best_of": 3}), encoding="utf-8")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tgi_mock",
            "--port",
            "0",
            "--scripted",
            str(scripted),
            "--config",
            str(config),
            "--max-input-tokens",
            "64",
            "--fault",
            "status=503;retry-after=1;times=1",
            "--unhealthy",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line.startswith("Mock TGI server listening on http://127.0.0.1:")
        url = line.rsplit(" ", 1)[1]
        first = httpx.post(url + "/generate", json={"inputs": "Ping?"}, timeout=10)
        assert (first.status_code, first.headers["retry-after"]) == (503, "1")
        assert httpx.get(url + "/health", timeout=10).status_code == 503
        info = httpx.get(url + "/info", timeout=10).json()
        assert (info["model_id"], info["max_best_of"], info["max_input_tokens"]) == (
            "acme/tiny",
            3,
            64,
        )
        answer = httpx.post(url + "/generate", json={"inputs": "Ping?"}, timeout=10)
        assert answer.json() == {"generated_text": " Pong!"}
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        finally:
            process.kill()


def test_cli_rejects_a_bad_fault() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tgi_mock", "--port", "0", "--fault", "explode"],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 2
    assert "unknown fault 'explode'" in result.stderr


def test_mock_server_sources_never_import_text_generation() -> None:
    offenders = []
    for path in sorted((ROOT / "mock_server").glob("**/*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module":
                names = [a.value for a in node.args if isinstance(a, ast.Constant)]  # type: ignore[misc]
            offenders += [
                f"{path.name}: {n}" for n in names if n.split(".")[0] == "text_generation"
            ]
    assert offenders == []


def test_importing_the_mock_loads_no_text_generation_module() -> None:
    code = textwrap.dedent(
        """
        import sys
        import tgi_mock, tgi_mock.app, tgi_mock.server, tgi_mock.cli
        import tgi_mock.pytest_plugin
        loaded = [m for m in sys.modules if m.split(".")[0] == "text_generation"]
        print(loaded)
        sys.exit(1 if loaded else 0)
        """
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
