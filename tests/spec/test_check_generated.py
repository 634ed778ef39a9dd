"""`tools/check-generated.sh` (`make check-generated`) catches a stale generated/."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _copy_tree(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy2(REPO / "openapi.yaml", root / "openapi.yaml")
    ignore = shutil.ignore_patterns("__pycache__", ".ruff_cache")
    shutil.copytree(REPO / "tools", root / "tools", ignore=ignore)
    shutil.copytree(REPO / "generated", root / "generated", ignore=ignore)
    # The script puts <root>/.venv/bin first on PATH, so the copy needs the real venv.
    (root / ".venv").symlink_to(REPO / ".venv")
    return root


def _check(root: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PATH": f"{REPO / '.venv' / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    return subprocess.run(
        ["bash", str(root / "tools" / "check-generated.sh")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )


def test_check_generated_passes_on_an_unedited_copy(tmp_path: Path) -> None:
    result = _check(_copy_tree(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "generated/ matches openapi.yaml" in result.stdout


def test_check_generated_fails_naming_make_generate_when_openapi_yaml_changed(
    tmp_path: Path,
) -> None:
    root = _copy_tree(tmp_path)
    spec = root / "openapi.yaml"
    text = spec.read_text(encoding="utf-8")
    anchor = "    GenerateParameters:\n      type: object\n"
    assert text.count(anchor) == 1
    head, tail = text.split(anchor)
    properties = "      properties:\n"
    edited = tail.replace(
        properties, properties + "        zz_new_parameter:\n          type: boolean\n", 1
    )
    assert edited != tail
    spec.write_text(head + anchor + edited, encoding="utf-8")
    result = _check(root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "make generate" in result.stderr
    assert "out of date" in result.stderr
