"""
`python -m tgi_mock --workers N`: N worker processes on one port, through uvicorn's own
multi-process supervisor, sharing their state in one SQLite file (`tgi_mock.store`).

The parent binds the socket, writes the configuration to the store (a temporary file unless
`--state FILE` names one), and runs uvicorn's `Multiprocess` supervisor; each worker builds its
app with `app()` from the store named by the `TGI_MOCK_STORE` environment variable.
"""

from __future__ import annotations

import contextlib
import os
import socket
import tempfile
from collections.abc import Callable
from pathlib import Path

import uvicorn
from starlette.types import ASGIApp
from uvicorn.supervisors import Multiprocess

from tgi_mock.app import build_app
from tgi_mock.config import MockConfig
from tgi_mock.server import http_implementation
from tgi_mock.store import SharedState, SharedStore

__all__ = ["ENV", "app", "serve"]

ENV = "TGI_MOCK_STORE"
"""The environment variable naming the store's file in the workers."""


def app() -> ASGIApp:
    """The app of one worker (uvicorn's factory), on the store named by `TGI_MOCK_STORE`."""
    return build_app(SharedState(SharedStore(os.environ[ENV])))


def serve(
    config: MockConfig,
    *,
    host: str,
    port: int,
    workers: int,
    state_file: str | None = None,
    log_level: str = "warning",
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve `config` with `workers` processes until SIGINT/SIGTERM."""
    with contextlib.ExitStack() as stack:
        if state_file is None:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="tgi-mock-"))
            state_file = str(Path(folder) / "state.sqlite3")
        SharedStore(state_file).init(config)
        os.environ[ENV] = state_file
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        stack.callback(sock.close)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host, port))
        sock.listen(2048)
        sock.set_inheritable(True)
        bound = sock.getsockname()[1]
        uv = uvicorn.Config(
            "tgi_mock.workers:app",
            factory=True,
            workers=workers,
            log_level=log_level,
            access_log=False,
            lifespan="off",
            http=http_implementation(),
            ws="none",
            server_header=False,
            proxy_headers=False,
            timeout_graceful_shutdown=1,
        )
        if on_ready is not None:
            name = host if ":" not in host else f"[{host}]"
            on_ready(f"http://{name}:{bound}")
        Multiprocess(uv, sockets=[sock]).run()
