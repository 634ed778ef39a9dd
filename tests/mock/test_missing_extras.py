"""Without the `mock` extra, every entry point of the mock says which extra to install.

Each command runs in its own interpreter with the extra's modules blocked
(`sys.modules[name] = None` makes `import name` fail as if it were not installed)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import cast

import pytest

from tgi_mock.contract.context import Context
from tgi_mock.contract.fuzz import fuzz
from tgi_mock.contract.outcome import CheckSkipped

ROOT = Path(__file__).resolve().parents[2]
INSTALL = "pip install 'tgi-sdk[mock]'"


def run_blocked(
    blocked: tuple[str, ...], code: str, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    prelude = f"import sys\nfor name in {blocked!r}:\n    sys.modules[name] = None\n"
    return subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        check=False,
    )


@pytest.mark.parametrize(
    ("blocked", "code", "says"),
    [
        (
            ("uvicorn",),
            "from tgi_mock.cli import main; sys.exit(main(['--port', '0']))",
            "python -m tgi_mock needs the 'mock' extra of tgi-sdk, which is not installed "
            "(missing: uvicorn)",
        ),
        (
            ("starlette", "uvicorn"),
            "from tgi_mock.contract.cli import main\n"
            "sys.exit(main(['record', 'http://127.0.0.1:9', '--out', 'unused', '--port', '0']))",
            "tgi-contract record needs the 'mock' extra of tgi-sdk, which is not installed "
            "(missing: starlette, uvicorn)",
        ),
        (
            ("jsonschema",),
            "from tgi_mock.contract.cli import main; sys.exit(main(['verify', 'http://127.0.0.1:9']))",
            "tgi-contract verify needs the 'mock' extra of tgi-sdk, which is not installed "
            "(missing: jsonschema)",
        ),
        (
            ("yaml",),
            "from tgi_mock.spec_diff import main\n"
            "sys.exit(main(['tests/reference/tgi-openapi.json']))",
            "python -m tgi_mock.spec_diff needs the 'mock' extra of tgi-sdk, which is not "
            "installed (missing: PyYAML)",
        ),
    ],
    ids=["mock-cli", "contract-record", "contract-verify", "spec-diff"],
)
def test_commands_name_the_missing_extra(blocked: tuple[str, ...], code: str, says: str) -> None:
    result = run_blocked(blocked, code)
    assert result.returncode == 2, result.stderr
    assert says in result.stderr
    assert INSTALL in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("blocked", ["uvicorn", "starlette"])
def test_importing_the_server_in_code_names_the_missing_extra(blocked: str) -> None:
    result = run_blocked((blocked,), "from tgi_mock import MockServer")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "tgi_mock.extras.MissingExtraError: tgi_mock.server needs the 'mock' extra of tgi-sdk, "
        f"which is not installed (missing: {blocked}). Install it with: {INSTALL}"
    )


def test_the_fixtures_name_the_missing_extra_and_other_tests_still_run(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(
        "import sys\nsys.modules['uvicorn'] = None\n", encoding="utf-8"
    )
    (tmp_path / "test_user.py").write_text(
        textwrap.dedent(
            """
            def test_without_the_mock():
                assert 1 + 1 == 2


            def test_with_the_mock(tgi_mock):
                raise AssertionError("never reached")
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
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "1 passed, 1 error" in output
    assert (
        "the tgi_mock pytest plugin needs the 'mock' extra of tgi-sdk, which is not installed "
        f"(missing: uvicorn). Install it with: {INSTALL}"
    ) in output
    assert "ModuleNotFoundError" not in output


def test_fuzz_skip_names_what_it_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "schemathesis", None)
    with pytest.raises(CheckSkipped) as skipped:
        fuzz(cast(Context, None), 5)
    reason = str(skipped.value)
    assert reason.startswith("needs Schemathesis 4 and Hypothesis (")
    assert reason.endswith("install them with pip install 'schemathesis>=4,<5'")
