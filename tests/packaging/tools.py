"""Building the sdist and the wheel (with hatchling, as pip does) and a clean virtualenv."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from tests.bounds.hook import sitecustomize as bounds

ROOT = Path(__file__).resolve().parents[2]
HOOK = str(Path(bounds.__file__).resolve().parent)
PIP_TIMEOUT = 300


def build(kind: str, source: Path, out: Path) -> Path:
    """Build the `"wheel"` or `"sdist"` of the project in `source` into `out`; its path."""
    out.mkdir(parents=True, exist_ok=True)
    code = f"import hatchling.build as b; print(b.build_{kind}({str(out)!r}))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=PIP_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out / result.stdout.strip().splitlines()[-1]


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without anything pointing into the repository (no PYTHONPATH)."""
    env = {
        k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("VIRTUAL_")
    }
    return {**env, **extra}


def make_venv(path: Path) -> Path:
    """A virtualenv without pip at `path` (pip runs from ours with `--python`); its python."""
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(path)],
        check=True,
        timeout=PIP_TIMEOUT,
        env=clean_env(),
        capture_output=True,
    )
    return path / "bin" / "python"


def pip(python: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run our pip against the environment of `python` (local wheels and caches are used)."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "--disable-pip-version-check",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=PIP_TIMEOUT,
        env=clean_env(),
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def run(
    argv: Sequence[object], cwd: Path, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run a command of the clean environment from `cwd`, outside the repository."""
    return subprocess.run(
        [str(a) for a in argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=clean_env(),
        check=False,
    )
