"""
A mock text-generation-inference (TGI) server for contract tests.

Deterministic, validating like TGI, streaming for real, and breaking on demand. Entry points:
`MockServer` (a server on a background thread, `mock_server.server`), `build_app` (the ASGI app),
`MockConfig` (its configuration), the fault grammar in `mock_server.faults`, the CLI
`python -m mock_server`, and the pytest plugin `mock_server.pytest_plugin` (fixtures `tgi_mock`
and `tgi_mock_server`). This package never imports the client under test (`text_generation`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mock_server.config import MockConfig
from mock_server.faults import FaultError, FaultSpec, parse_faults

if TYPE_CHECKING:
    from mock_server.app import build_app
    from mock_server.server import MockServer

__all__ = ["FaultError", "FaultSpec", "MockConfig", "MockServer", "build_app", "parse_faults"]


def __getattr__(name: str) -> Any:
    """Import the server parts (Starlette, uvicorn) only when they are asked for."""
    if name == "MockServer":
        from mock_server.server import MockServer

        return MockServer
    if name == "build_app":
        from mock_server.app import build_app

        return build_app
    raise AttributeError(f"module 'mock_server' has no attribute {name!r}")
