"""The source distribution carries the source tree and nothing else (no caches, virtualenvs or
build output), builds the complete wheel, and both carry the LICENSE the metadata names."""

from __future__ import annotations

import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.packaging.tools import ROOT, build

pytestmark = pytest.mark.timeout(600)

JUNK = (
    ".hypothesis/examples/ab/cd",
    ".venv/bin/python",
    ".venv-upstream/pyvenv.cfg",
    ".venv-bench/pyvenv.cfg",
    ".mypy_cache/3.11/x.json",
    ".ruff_cache/x",
    ".pytest_cache/v/cache/lastfailed",
    "build/lib/text_generation/__init__.py",
    "dist/tgi_sdk-0.0.0.tar.gz",
    "text_generation/__pycache__/client.cpython-311.pyc",
    "tests/__pycache__/conftest.cpython-311-pytest-9.2.0.pyc",
    "tgi_sdk.egg-info/PKG-INFO",
    "notes.txt",
)
JUNK_TOPS = (".venv", "build/", "dist/", "tgi_sdk.egg-info")
CACHE_PARTS = {".hypothesis", ".mypy_cache", ".ruff_cache", ".pytest_cache", "__pycache__"}


def tracked_copy(target: Path) -> Path:
    """The tracked files of the repository, copied to `target` (as a clean clone has them)."""
    names = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=60
    ).stdout.decode()
    for name in filter(None, names.split("\0")):
        source, copy = ROOT / name, target / name
        if source.is_file():
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_bytes(source.read_bytes())
    return target


@pytest.fixture(scope="module")
def sdist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist of a copy of this tree littered with caches, virtualenvs and build output."""
    tree = tracked_copy(tmp_path_factory.mktemp("tree") / "tgi-sdk")
    for name in JUNK:
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        (tree / name).write_text("junk", encoding="utf-8")
    return build("sdist", tree, tree.parent / "dist")


def test_the_sdist_holds_the_source_tree_and_no_junk(sdist: Path) -> None:
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    junk = sorted(n for n in names if CACHE_PARTS & set(n.split("/")) or n.startswith(JUNK_TOPS))
    assert junk == []
    assert "notes.txt" not in names
    for expected in (
        "LICENSE",
        "CHANGELOG.md",
        "README.md",
        "Makefile",
        "openapi.yaml",
        "pyproject.toml",
        "text_generation/py.typed",
        "mock_server/tgi_mock/py.typed",
        "install_guard/tgi_sdk_guard.pth",
        "generated/tgi_client/client.py",
        "tests/reference/tgi-openapi.json",
        "tests/reference/tgi-snapshots/MANIFEST.md",
        "examples/demo.py",
        "tools/generate.sh",
    ):
        assert expected in names, expected


def test_the_sdist_builds_the_complete_wheel(sdist: Path, tmp_path: Path) -> None:
    with tarfile.open(sdist) as archive:
        archive.extractall(tmp_path, filter="data")
    (tree,) = tmp_path.iterdir()
    wheel = build("wheel", tree, tmp_path / "dist")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read("tgi_sdk-0.8.0.dist-info/METADATA").decode()
        license_text = archive.read("tgi_sdk-0.8.0.dist-info/licenses/LICENSE").decode()
    for expected in (
        "text_generation/__init__.py",
        "text_generation/py.typed",
        "tgi_client/client.py",
        "tgi_mock/py.typed",
        "tgi_mock/contract/openapi.yaml",
        "_tgi_sdk_guard.py",
        "tgi_sdk_guard.pth",
    ):
        assert expected in names, expected
    assert not [n for n in names if n.startswith(("tests/", "benchmarks/")) or "__pycache__" in n]
    assert "License-Expression: Apache-2.0" in metadata
    assert "License-File: LICENSE" in metadata
    assert license_text == (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert license_text.split()[:4] == ["Apache", "License", "Version", "2.0,"]
