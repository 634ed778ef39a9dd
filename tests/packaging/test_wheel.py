"""The wheel as a user installs it: built from this tree, installed into a clean virtualenv, and
used from a folder outside the repository. First without the `mock` extra (each entry point
says to install it), then with it: the mock CLI, `tgi-contract`, the pytest plugin,
`spec_diff` with its packaged document, a user's `mypy --strict`, and last the migration from
text-generation 0.7.0 going wrong and being repaired.

The tests of this module share one virtualenv and run in file order."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.packaging.tools import ROOT, build, clean_env, make_venv, pip, run

pytestmark = pytest.mark.timeout(900)

INSTALL_MOCK = "pip install 'tgi-sdk[mock]'"


@dataclass
class Installed:
    """The clean virtualenv and a working folder outside the repository."""

    wheel: Path
    python: Path
    work: Path

    @property
    def bin(self) -> Path:
        return self.python.parent

    @property
    def site(self) -> Path:
        return next(self.python.parent.parent.glob("lib/python3*/site-packages"))


@pytest.fixture(scope="module")
def bare(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """The wheel without extras, and pytest, as in a user's project."""
    base = tmp_path_factory.mktemp("user")
    wheel = build("wheel", ROOT, base / "dist")
    python = make_venv(base / "venv")
    pip(python, "install", "--quiet", str(wheel), "pytest==9.2.0")
    work = base / "project"
    work.mkdir()
    assert not work.resolve().is_relative_to(ROOT)
    return Installed(wheel, python, work)


@pytest.fixture(scope="module")
def mock(bare: Installed) -> Installed:
    """The same environment with the `mock` extra."""
    pip(bare.python, "install", "--quiet", f"{bare.wheel}[mock]")
    return bare


USER_TESTS = """
from text_generation import Client


def test_generate(tgi_mock):
    tgi_mock.scripted["Hello"] = " world"
    assert Client(tgi_mock.url).generate("Hello").generated_text == " world"
    assert tgi_mock.journal.last("/generate").json["inputs"] == "Hello"
"""


def test_the_client_imports_without_extras(bare: Installed) -> None:
    code = "import text_generation as t, sys; print(t.__version__, t.__file__)"
    result = run([bare.python, "-c", code], bare.work)
    assert result.returncode == 0, result.stderr
    version, where = result.stdout.split()
    assert version == "0.8.0"
    assert Path(where).is_relative_to(bare.site)


def test_without_the_mock_extra_every_entry_point_names_it(bare: Installed) -> None:
    published = ROOT / "tests" / "reference" / "tgi-openapi.json"
    for argv in (
        [bare.python, "-m", "tgi_mock", "--port", "0"],
        [bare.bin / "tgi-contract", "verify", "http://127.0.0.1:9"],
        [bare.bin / "tgi-contract", "record", "http://127.0.0.1:9", "--out", "x", "--port", "0"],
        [bare.python, "-m", "tgi_mock.spec_diff", published],
    ):
        result = run(argv, bare.work)
        assert result.returncode == 2, (argv, result.stderr)
        assert INSTALL_MOCK in result.stderr
        assert "Traceback" not in result.stderr
    (bare.work / "test_user.py").write_text(USER_TESTS, encoding="utf-8")
    result = run([bare.python, "-m", "pytest", "-q", "-p", "no:cacheprovider"], bare.work)
    assert result.returncode == 1
    assert "needs the 'mock' extra of tgi-sdk, which is not installed" in result.stdout
    assert INSTALL_MOCK in result.stdout
    assert "ModuleNotFoundError" not in result.stdout


@pytest.fixture
def mock_cli(mock: Installed) -> Iterator[str]:
    """`python -m tgi_mock --port 0` of the clean environment; its URL."""
    process = subprocess.Popen(
        [str(mock.python), "-m", "tgi_mock", "--port", "0"],
        cwd=mock.work,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_env(),
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"listening on (http://\S+)", line)
        assert match, line + (process.stderr.read() if process.stderr else "")
        yield match.group(1)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        finally:
            process.kill()


def test_the_mock_cli_and_tgi_contract_run(mock: Installed, mock_cli: str) -> None:
    info = httpx.get(mock_cli + "/info", timeout=10).json()
    assert info["model_id"]
    contract = mock.bin / "tgi-contract"
    verify = run([contract, "verify", mock_cli, "--fuzz-examples", "0", "--json"], mock.work)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    report = json.loads(verify.stdout)
    assert report["spec"].endswith("site-packages/tgi_mock/contract/openapi.yaml")
    assert report["ok"] is True
    assert report["summary"]["passed"] >= 20, report["summary"]
    typo = run([contract, "verify", mock_cli, "--check", "nomatch*"], mock.work)
    assert typo.returncode == 2
    assert "--check 'nomatch*' matches no check" in typo.stderr
    assert run([contract, "--version"], mock.work).stdout == "tgi-contract 0.8.0\n"
    mock_version = run([mock.python, "-m", "tgi_mock", "--version"], mock.work).stdout
    assert mock_version == "python -m tgi_mock (tgi-sdk 0.8.0)\n"


def test_the_pytest_plugin_runs_a_users_tests(mock: Installed) -> None:
    (mock.work / "test_user.py").write_text(USER_TESTS, encoding="utf-8")
    result = run([mock.python, "-m", "pytest", "-q", "-p", "no:cacheprovider"], mock.work)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
    assert "warning" not in result.stdout.lower()


def test_spec_diff_uses_the_packaged_openapi_yaml(mock: Installed) -> None:
    published = mock.work / "tgi-openapi.json"
    published.write_bytes((ROOT / "tests" / "reference" / "tgi-openapi.json").read_bytes())
    result = run([mock.python, "-m", "tgi_mock.spec_diff", published.name], mock.work)
    assert result.returncode == 0, result.stderr
    packaged = mock.site / "tgi_mock" / "contract" / "openapi.yaml"
    assert f"ours:      {packaged}" in result.stdout
    assert "Summary:" in result.stdout


USER_CODE = """
from text_generation import AsyncClient, Client
from text_generation.errors import TextGenerationError
from text_generation.types import Response
from tgi_mock import MockConfig
from tgi_mock.server import MockServer


def ask(url: str) -> str:
    response: Response = Client(url).generate("Hello", max_new_tokens=4)
    return response.generated_text


async def ask_async(url: str) -> int:
    try:
        response = await AsyncClient(url).generate("Hello")
    except TextGenerationError:
        return 0
    return len(response.generated_text)


def serve() -> str:
    with MockServer(MockConfig(max_best_of=4)) as server:
        return ask(server.url)
"""


def test_a_users_mypy_strict_sees_the_types(mock: Installed) -> None:
    (mock.work / "user_code.py").write_text(USER_CODE, encoding="utf-8")
    (mock.work / "user_wrong.py").write_text(
        "from text_generation import Client\n\nn: int = Client('http://x').generate('a').generated_text\n",
        encoding="utf-8",
    )
    mypy = [sys.executable, "-m", "mypy", "--strict", "--no-incremental"]
    mypy += ["--python-executable", str(mock.python), "user_code.py", "user_wrong.py"]
    result = run(mypy, mock.work, timeout=300)
    assert result.stdout.splitlines() == [
        'user_wrong.py:3: error: Incompatible types in assignment (expression has type "str", '
        'variable has type "int")  [assignment]',
        "Found 1 error in 1 file (checked 2 source files)",
    ], result.stdout


def test_uninstalling_text_generation_afterwards_is_explained_and_repaired(
    mock: Installed,
) -> None:
    importing = [mock.python, "-c", "from text_generation import Client; print(Client.__name__)"]
    pip(mock.python, "install", "--quiet", "--no-deps", "text-generation==0.7.0")
    pip(mock.python, "install", "--quiet", "--no-deps", "--force-reinstall", str(mock.wheel))
    both = run(importing, mock.work)
    assert both.stdout.strip() == "Client", both.stderr
    assert "SharedFolderWarning: text-generation 0.7.0 is installed beside tgi-sdk" in both.stderr
    assert (
        "pip uninstall -y text-generation && pip install --force-reinstall --no-deps tgi-sdk"
        in (both.stderr)
    )

    pip(mock.python, "uninstall", "--yes", "text-generation")
    broken = run(importing, mock.work)
    assert broken.returncode == 1
    assert broken.stderr.strip().splitlines()[-1] == (
        f"ImportError: text_generation (tgi-sdk) is incomplete: {mock.site / 'text_generation'} "
        "has no __init__.py. This happens when tgi-sdk was installed over text-generation and "
        "text-generation was uninstalled afterwards: both install the folder text_generation/, "
        "so uninstalling one deletes files of the other. Repair it with: "
        "pip install --force-reinstall --no-deps tgi-sdk"
    )
    plugin_still_loads = run([mock.python, "-m", "pytest", "--version"], mock.work)
    assert plugin_still_loads.returncode == 0, plugin_still_loads.stderr

    pip(mock.python, "install", "--quiet", "--no-deps", "--force-reinstall", str(mock.wheel))
    repaired = run(importing, mock.work)
    assert (repaired.returncode, repaired.stdout.strip(), repaired.stderr) == (0, "Client", "")
    healthy = run([mock.python, "-X", "importtime", "-c", "pass"], mock.work)
    assert "_tgi_sdk_guard" not in healthy.stderr
