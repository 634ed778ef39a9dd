"""
`python -m tgi_mock --workers N`: N worker processes on one port, through uvicorn's own
multi-process supervisor, sharing their state in one SQLite file (`tgi_mock.store`).

The parent binds the socket, writes the configuration to the store (a temporary file unless
`--state FILE` names one), and runs uvicorn's `Multiprocess` supervisor; each worker builds its
app with `app()` from the store named by the `TGI_MOCK_STORE` environment variable.
"""

from __future__ import annotations

import contextlib
import copy
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import uvicorn
from starlette.types import ASGIApp
from uvicorn.config import LOGGING_CONFIG
from uvicorn.supervisors import Multiprocess

from tgi_mock.app import build_app
from tgi_mock.config import MockConfig
from tgi_mock.server import http_implementation, listening_socket
from tgi_mock.store import SharedState, SharedStore

__all__ = ["ENV", "app", "serve"]

ENV = "TGI_MOCK_STORE"
"""The environment variable naming the store's file in the workers."""


def app() -> ASGIApp:
    """The app of one worker (uvicorn's factory), on the store named by `TGI_MOCK_STORE`."""
    return build_app(SharedState(SharedStore(os.environ[ENV])))


def _logging(log_level: str, access_log: bool) -> dict[str, Any]:
    """uvicorn's logging configuration with `log_level`, and requests (logged at INFO) shown
    when `access_log` is on."""
    config: dict[str, Any] = copy.deepcopy(LOGGING_CONFIG)
    level = log_level.upper()
    for name in ("uvicorn", "uvicorn.error"):
        config["loggers"][name]["level"] = level
    config["loggers"]["uvicorn.access"]["level"] = "INFO" if access_log else level
    return config


def serve(
    config: MockConfig,
    *,
    host: str,
    port: int,
    workers: int,
    state_file: str | None = None,
    log_level: str = "warning",
    access_log: bool = False,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve `config` with `workers` processes until SIGINT/SIGTERM (`access_log`: uvicorn's
    line per request)."""
    with contextlib.ExitStack() as stack:
        if state_file is None:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="tgi-mock-"))
            state_file = str(Path(folder) / "state.sqlite3")
        SharedStore(state_file).init(config)
        os.environ[ENV] = state_file
        sock = listening_socket(host, port)  # BindError when the port is taken
        stack.callback(sock.close)
        sock.set_inheritable(True)
        bound = sock.getsockname()[1]
        uv = uvicorn.Config(
            "tgi_mock.workers:app",
            factory=True,
            workers=workers,
            log_level=None,  # levels come from log_config: each worker configures its own logging
            log_config=_logging(log_level, access_log),
            access_log=access_log,
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
