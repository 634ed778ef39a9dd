"""
A mock text-generation-inference (TGI) server for contract tests.

Deterministic, validating like TGI, streaming for real, and breaking on demand. Entry points:
`MockServer` (a server on a background thread, `tgi_mock.server`), `build_app` (the ASGI app),
`MockConfig` (its configuration), the fault grammar in `tgi_mock.faults`, the CLI
`python -m tgi_mock`, and the pytest plugin `tgi_mock.pytest_plugin` (fixtures `tgi_mock`
and `tgi_mock_server`). This package never imports the client under test (`text_generation`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tgi_mock.config import MockConfig
from tgi_mock.faults import FaultError, FaultSpec, parse_faults

if TYPE_CHECKING:
    from tgi_mock.app import build_app
    from tgi_mock.server import MockServer

__all__ = ["FaultError", "FaultSpec", "MockConfig", "MockServer", "build_app", "parse_faults"]


def __getattr__(name: str) -> Any:
    """Import the server parts (Starlette, uvicorn) only when they are asked for."""
    if name == "MockServer":
        from tgi_mock.server import MockServer

        return MockServer
    if name == "build_app":
        from tgi_mock.app import build_app

        return build_app
    raise AttributeError(f"module 'tgi_mock' has no attribute {name!r}")
