"""No file of the project reads outside the repository (a fresh clone has nothing beside it).

Two halves: the static scan of every tracked file (`tests.bounds.scan`), and the runtime
guard every session runs (`tests.bounds.plugin`: an audit hook in the test process and in
the Python subprocesses it starts; the session fails when any of them opened a path beside the
repository). Each half is shown to pass on this repository and to catch an offender.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.bounds.hook import sitecustomize as bounds
from tests.bounds.scan import Finding, scan

ROOT = Path(__file__).resolve().parents[1]
SITE = Path(bounds.__file__).resolve().parent
PLUGIN = ("-p", "tests.bounds.plugin")


def _write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def test_no_project_file_points_outside_the_repository() -> None:
    findings = scan(ROOT)
    assert findings == [], "\n".join(map(str, findings))


def test_the_scan_catches_paths_leaving_a_repository(tmp_path: Path) -> None:
    repo = tmp_path / "project"
    files = [
        _write(
            repo,
            "tests/test_data.py",
            """
            from pathlib import Path
            import os

            HERE = Path(__file__).resolve()
            SHARED = HERE.parents[2] / "shared"
            DATA = Path(__file__).parent.parent / "data"
            UP = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))
            SPEC = open("../shared/reference/tgi-openapi.json")
            DOCS = "/work/shared/docs/tgi-wire.md"
            OK_ROOT = HERE.parents[1] / "openapi.yaml"
            OK_URL = "https://example.com/home/x"
            """,
        ),
        _write(repo, "Makefile", "spec:\n\tpython -m tgi_mock.spec_diff ../shared/x.json\n"),
        _write(repo, "docs/guide.md", "See [the README](../README.md) and [x](../../x.md).\n"),
    ]
    findings = scan(repo, files)
    assert [(f.file, f.line) for f in findings] == [
        ("Makefile", 2),
        ("docs/guide.md", 1),
        ("tests/test_data.py", 5),
        ("tests/test_data.py", 7),
        ("tests/test_data.py", 8),
        ("tests/test_data.py", 9),
    ]
    assert "'../../x.md'" in str(findings[1])
    assert Finding("tests/test_data.py", 9, "absolute path '/work/shared/docs/tgi-wire.md'") in (
        findings
    )


def _guarded_env(repo: Path, log: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {bounds.ROOT_ENV, bounds.LOG_ENV}}
    return {
        **env,
        "PYTHONPATH": os.pathsep.join([str(SITE), str(ROOT)]),
        bounds.ROOT_ENV: str(repo.resolve()),
        bounds.LOG_ENV: str(log),
    }


def test_a_subprocess_opening_a_path_beside_the_repository_is_recorded(tmp_path: Path) -> None:
    repo, log = tmp_path / "project", tmp_path / "log"
    (repo / "data").mkdir(parents=True)
    log.mkdir()
    (repo / "data" / "inside.txt").write_text("in", encoding="utf-8")
    (tmp_path / "beside.txt").write_text("out", encoding="utf-8")
    code = textwrap.dedent(
        """
        import os
        open("data/inside.txt").read()
        os.listdir("data")
        open("../beside.txt").read()
        try:
            open("../shared/reference/missing.json")
        except FileNotFoundError:
            pass
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=repo,
        env=_guarded_env(repo, log),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    recorded = [line.split("\t")[:2] for p in log.iterdir() for line in p.read_text().splitlines()]
    assert sorted(recorded) == [
        ["open", str((tmp_path / "beside.txt").resolve())],
        ["open", str((tmp_path / "shared" / "reference" / "missing.json").resolve())],
    ]


def _session(repo: Path, test_body: str) -> subprocess.CompletedProcess[str]:
    _write(repo, "pytest.ini", "[pytest]\n")
    _write(repo, "checks/test_reads.py", test_body)
    env = {k: v for k, v in os.environ.items() if k not in {bounds.ROOT_ENV, bounds.LOG_ENV}}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *PLUGIN, "checks"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_session_that_reads_beside_the_repository_fails(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "answers.json").write_text("{}", encoding="utf-8")
    result = _session(
        tmp_path / "project",
        """
        import subprocess, sys
        from pathlib import Path


        def test_reads_shared_data():
            assert Path("../shared/answers.json").read_text() == "{}"


        def test_a_subprocess_lists_it():
            code = "import os; os.listdir('../shared')"
            subprocess.run([sys.executable, "-c", code], check=True)
        """,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "2 passed" in output
    assert "2 path(s) opened beside the repository" in output
    shared = (tmp_path / "shared").resolve()
    assert f"open {shared / 'answers.json'}" in output
    assert f"os.listdir {shared}   (by: -c)" in output


def test_a_session_that_stays_inside_passes(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    result = _session(
        tmp_path / "project",
        """
        from pathlib import Path


        def test_reads_its_own_files():
            assert Path("pytest.ini").read_text() == "[pytest]\\n"
        """,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "beside the repository" not in output
