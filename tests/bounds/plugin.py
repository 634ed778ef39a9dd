"""
The pytest side of the repository-bounds check: a session fails when any of its processes
opened a path beside the repository (see `tests.bounds.hook.sitecustomize` for the rule).

`pytest_configure` installs the audit hook in this process and, through `PYTHONPATH`, in every
Python subprocess the tests start (those that keep the environment); `pytest_sessionfinish`
collects what they recorded, and the terminal summary lists each path with the command that
opened it. `tests/conftest.py` registers these hooks; `-p tests.bounds.plugin` does too.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.bounds.hook import sitecustomize as bounds

__all__ = [
    "pytest_configure",
    "pytest_sessionfinish",
    "pytest_terminal_summary",
    "pytest_unconfigure",
    "read_violations",
]

_LOG = pytest.StashKey[str]()
_SAVED = pytest.StashKey[dict[str, str | None]]()
_FOUND = pytest.StashKey[list[str]]()
_VARIABLES = (bounds.ROOT_ENV, bounds.LOG_ENV, "PYTHONPATH")


def read_violations(log: str | Path) -> list[str]:
    """Every distinct `event<TAB>path<TAB>command` line recorded in the folder `log`."""
    lines: set[str] = set()
    for path in sorted(Path(log).glob("*.log")):
        lines.update(line for line in path.read_text(encoding="utf-8").splitlines() if line)
    return sorted(lines)


def pytest_configure(config: pytest.Config) -> None:
    """Guard this session's processes: the rootdir is the repository."""
    log = tempfile.mkdtemp(prefix="tgi-sdk-bounds-")
    config.stash[_LOG] = log
    config.stash[_SAVED] = {name: os.environ.get(name) for name in _VARIABLES}
    site = os.path.dirname(os.path.abspath(bounds.__file__))
    os.environ[bounds.ROOT_ENV] = os.path.realpath(config.rootpath)
    os.environ[bounds.LOG_ENV] = log
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [site, *filter(None, [config.stash[_SAVED]["PYTHONPATH"]])]
    )
    bounds.install()


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the session when anything was opened beside the repository."""
    log = session.config.stash.get(_LOG, None)
    found = read_violations(log) if log else []
    session.config.stash[_FOUND] = found
    if found and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """List what was opened beside the repository."""
    found = terminalreporter.config.stash.get(_FOUND, [])
    if not found:
        return
    root = os.environ.get(bounds.ROOT_ENV, "")
    terminalreporter.write_sep(
        "=", f"{len(found)} path(s) opened beside the repository {root}", red=True, bold=True
    )
    terminalreporter.write_line(
        "A fresh clone has nothing beside it: keep what the tests need inside the repository."
    )
    for line in found:
        event, path, command = [*line.split("\t"), "", ""][:3]
        terminalreporter.write_line(f"  {event} {path}   (by: {command})")


def pytest_unconfigure(config: pytest.Config) -> None:
    """Restore the environment and remove the log folder."""
    for name, value in config.stash.get(_SAVED, {}).items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    log = config.stash.get(_LOG, None)
    if log:
        shutil.rmtree(log, ignore_errors=True)
