"""
The static half of the repository-bounds check: paths in the project's files that lead outside
the repository.

Three rules, over every tracked text file except the reference data (`tests/reference/`) and
the check's own files (which spell offending paths to describe and test the rules):

- a relative path starting with `../` that leaves the repository, resolved from the file's
  folder (a Markdown link, a script) and, in code, also from the repository root (the working
  directory of `make` and `pytest`): `../shared/reference/x.json`;
- an absolute path into a workspace or home folder (`/work/`, `/home/`, `/root/`, `/Users/`,
  `/mnt/`) or into the repository's parent folder;
- in Python, a path climbing from `__file__` above the repository: `Path(__file__).parents[N]`,
  `.parent` chains and `os.path.dirname(...)` nesting, also through a name assigned such a path.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Finding", "project_files", "scan"]

_SKIP_DIRS = {
    ".git",
    "__pycache__",
    "reference",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".hypothesis",
}
_SELF = {"tests/bounds", "tests/test_repository_bounds.py"}
_SKIP_SUFFIXES = {".pyc", ".png", ".jpg", ".whl", ".gz", ".zip"}
_CODE_SUFFIXES = {".py", ".sh", ".toml", ".yaml", ".yml", ".cfg", ".ini", ".json", ""}
_RELATIVE = re.compile(r"(?<![\w./\\])((?:\.\./)+[\w.\-/]*)")
_WORKSPACES = ("/work/", "/home/", "/root/", "/Users/", "/mnt/")


@dataclass(frozen=True, order=True)
class Finding:
    """One path leading outside the repository: `file:line: why`."""

    file: str
    line: int
    why: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.why}"


def _walk(root: Path) -> Iterable[str]:
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".venv") and d not in _SKIP_DIRS]
        for name in files:
            yield os.path.relpath(os.path.join(folder, name), root)


def project_files(root: Path) -> list[Path]:
    """The files git tracks in `root` (every file, without git), minus the reference data."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True, timeout=60
        ).stdout.decode()
        names = [name for name in listed.split("\0") if name]
    except (OSError, subprocess.SubprocessError):
        names = list(_walk(root))
    keep = []
    for name in names:
        path = Path(name)
        if path.parts[:2] == ("tests", "reference") or _SKIP_DIRS & set(path.parts[:-1]):
            continue
        if any(path.as_posix() == own or path.as_posix().startswith(own + "/") for own in _SELF):
            continue
        if path.suffix not in _SKIP_SUFFIXES:
            keep.append(root / path)
    return sorted(keep)


def _inside(path: str, root: Path) -> bool:
    full = os.path.normpath(path)
    return full == str(root) or full.startswith(str(root) + os.sep)


def _text_findings(root: Path, path: Path, text: str) -> Iterable[Finding]:
    rel = path.relative_to(root).as_posix()
    is_code = path.suffix in _CODE_SUFFIXES or path.name == "Makefile"
    bases = [path.parent, root] if is_code else [path.parent]
    workspaces = (*_WORKSPACES, str(root.parent) + "/")
    for number, line in enumerate(text.splitlines(), 1):
        for match in _RELATIVE.finditer(line):
            token = match.group(1)
            if any(not _inside(os.path.join(base, token), root) for base in bases):
                yield Finding(rel, number, f"relative path {token!r} leaves the repository")
        for prefix in workspaces:
            at = line.find(prefix)
            if at >= 0 and (at == 0 or not (line[at - 1].isalnum() or line[at - 1] in "./:-_")):
                token = re.match(r"[^\s\"'`)]+", line[at:])
                yield Finding(rel, number, f"absolute path {token.group() if token else prefix!r}")


def _climb(node: ast.expr, names: dict[str, int]) -> int | None:
    """How many folders above the file `node` points, when it is a path built on `__file__`."""
    if isinstance(node, ast.Name):
        return 0 if node.id == "__file__" else names.get(node.id)
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in {"resolve", "absolute"}:
            return _climb(func.value, names)
        is_dirname = isinstance(func, ast.Attribute) and func.attr == "dirname"
        if is_dirname and node.args:
            inner = _climb(node.args[0], names)
            return None if inner is None else inner + 1
        called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if called in {"Path", "PurePath", "abspath", "realpath"} and node.args:
            return _climb(node.args[0], names)
        return None
    if isinstance(node, ast.Attribute) and node.attr == "parent":
        inner = _climb(node.value, names)
        return None if inner is None else inner + 1
    if (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "parents"
        and isinstance(node.slice, ast.Constant)
        and isinstance(node.slice.value, int)
    ):
        inner = _climb(node.value.value, names)
        return None if inner is None else inner + node.slice.value + 1
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        inner = _climb(node.left, names)
        if inner is not None and isinstance(node.right, ast.Constant) and node.right.value == "..":
            return inner + 1
    return None


def _python_findings(root: Path, path: Path, text: str) -> Iterable[Finding]:
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return
    rel = path.relative_to(root)
    depth = len(rel.parts)  # climbing `depth` folders from the file reaches the root
    names: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            level = _climb(node.value, names)
            if isinstance(target, ast.Name) and level is not None:
                names[target.id] = level
    highest: dict[int, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.expr):
            level = _climb(node, names)
            if level is not None and level > depth:
                highest[node.lineno] = max(level, highest.get(node.lineno, 0))
    for number, level in highest.items():
        yield Finding(
            rel.as_posix(), number, f"climbs {level} folders from __file__ ({depth} reach the root)"
        )


def scan(root: Path, files: Iterable[Path] | None = None) -> list[Finding]:
    """Every path in `files` (default: `project_files(root)`) leading outside `root`."""
    root = root.resolve()
    found: set[Finding] = set()
    for path in project_files(root) if files is None else files:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        found.update(_text_findings(root, path, text))
        if path.suffix == ".py":
            found.update(_python_findings(root, path, text))
    return sorted(found)
