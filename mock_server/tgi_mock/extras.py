"""
What the `mock` extra brings, and a clear error when it is missing.

The client (`pip install tgi-sdk`) needs none of it; the mock server, its pytest fixtures, the
`tgi-contract` command and `tgi_mock.spec_diff` need Starlette, uvicorn, PyYAML and jsonschema,
installed by `pip install 'tgi-sdk[mock]'`. `require(...)` checks for them before they are
imported and raises `MissingExtraError` naming the extra, instead of a bare
`ModuleNotFoundError`; `missing(what, error)` turns the `ModuleNotFoundError` of an import
into the same error (for `import tgi_mock.server` in a user's code).
"""

from __future__ import annotations

import importlib.util
from importlib.metadata import PackageNotFoundError, version

__all__ = [
    "INSTALL_MOCK",
    "SERVER",
    "SPEC",
    "MissingExtraError",
    "missing",
    "package_version",
    "require",
]

INSTALL_MOCK = "pip install 'tgi-sdk[mock]'"
"""The command that installs the mock extra."""

SERVER = ("starlette", "uvicorn")
"""Modules a running mock server (or the recording proxy, or replay) needs."""

SPEC = ("yaml", "jsonschema")
"""Modules reading and validating `openapi.yaml` need."""


class MissingExtraError(ImportError):
    """A feature of the mock needs the `mock` extra, which is not (fully) installed."""


def _missing(modules: tuple[str, ...]) -> list[str]:
    missing = []
    for name in modules:
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            missing.append(name)
    return missing


def _error(what: str, modules: list[str]) -> MissingExtraError:
    names = ", ".join("PyYAML" if name == "yaml" else name for name in modules)
    return MissingExtraError(
        f"{what} needs the 'mock' extra of tgi-sdk, which is not installed "
        f"(missing: {names}). Install it with: {INSTALL_MOCK}"
    )


def require(what: str, *groups: tuple[str, ...]) -> None:
    """Raise `MissingExtraError` when a module of `groups` cannot be imported.

    `what` names the feature in the message, e.g. `"the tgi_mock fixture"`."""
    absent = _missing(tuple(name for group in groups for name in group))
    if absent:
        raise _error(what, absent)


def missing(what: str, error: ModuleNotFoundError) -> MissingExtraError:
    """The `MissingExtraError` for `error`, raised by importing a module of the extra."""
    return _error(what, [(error.name or "?").split(".")[0]])


def package_version() -> str:
    """The installed version of tgi-sdk (the `--version` of the commands)."""
    try:
        return version("tgi-sdk")
    except PackageNotFoundError:
        return "unknown (not installed)"
