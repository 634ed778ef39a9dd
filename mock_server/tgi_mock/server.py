"""
Run the mock on uvicorn in a background thread: `MockServer(config).start()`, `.url`, `.stop()`.

It binds the socket itself (port 0 picks a free port, read back before serving), waits until
uvicorn is ready, and is a context manager::

    with MockServer(port=0) as server:
        httpx.get(server.url + "/info")

`server.state` holds the live configuration, faults, journal and metrics. `MockServer(app=...)`
serves another ASGI app the same way (the replay server, the recording proxy). A port that cannot
be bound raises `BindError` (an `OSError`) with a one-line message; `access_log=True` logs one
line per request (uvicorn's access log). Stopping a server with streams still open cancels them
after a second, quietly: uvicorn's "graceful shutdown exceeded" error and the cancelled
requests' tracebacks are not printed.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Literal

from tgi_mock.extras import SERVER, missing

try:
    import uvicorn
    from starlette.types import ASGIApp

    from tgi_mock.app import build_app
except ModuleNotFoundError as _error:  # without the `mock` extra: say which extra to install
    if (_error.name or "").split(".")[0] not in SERVER:
        raise
    raise missing("tgi_mock.server", _error) from None

from tgi_mock.config import MockConfig
from tgi_mock.state import MockState

__all__ = ["BindError", "MockServer", "http_implementation", "listening_socket"]

_SERVING: set[int] = set()
"""Idents of the threads serving a `MockServer` (their uvicorn shutdown noise is hidden)."""


class BindError(OSError):
    """The server could not listen on its host and port (in use, not permitted, no such address)."""


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket listening on `host:port` (port 0: a free one); `BindError` when it cannot."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted connections inherit it: no 40 ms Nagle/delayed-ACK stall per keep-alive answer.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        reason = "address already in use" if error.errno == errno.EADDRINUSE else error.strerror
        failure = BindError(f"cannot listen on {host}:{port}: {reason or error}")
        failure.errno = error.errno
        raise failure from None
    sock.listen(2048)
    return sock


def http_implementation() -> Literal["httptools", "h11"]:
    """uvicorn's HTTP/1.1 protocol: httptools (C, several times faster) when it is installed
    (the `mock` extra has it), else h11; `TGI_MOCK_HTTP=h11` forces h11."""
    if os.environ.get("TGI_MOCK_HTTP") == "h11":
        return "h11"
    try:
        import httptools  # noqa: F401
    except ImportError:
        return "h11"
    return "httptools"


class MockServer:
    """A mock TGI server on a background thread."""

    def __init__(
        self,
        config: MockConfig | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        log_level: str = "warning",
        app: ASGIApp | None = None,
        access_log: bool = False,
    ) -> None:
        self.state = MockState(config)
        self.app = app if app is not None else build_app(self.state)
        """The ASGI app served: the mock built on `state`, unless another `app` was given."""
        self.host = host
        self.port = port
        self.log_level = log_level
        self.access_log = access_log
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    @property
    def config(self) -> MockConfig:
        """The live configuration (changes apply to the next request)."""
        return self.state.config

    @property
    def url(self) -> str:
        """`http://host:port` of the running server, without a trailing slash."""
        if self._socket is None:
            raise RuntimeError("the mock server is not started")
        host = self.host if ":" not in self.host else f"[{self.host}]"
        return f"http://{host}:{self.port}"

    def _bind(self) -> uvicorn.Server:
        sock = listening_socket(self.host, self.port)
        sock.setblocking(False)
        self._socket = sock
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app,
            log_level=self.log_level,
            access_log=self.access_log,
            lifespan="off",
            http=http_implementation(),
            ws="none",
            server_header=False,
            proxy_headers=False,
            timeout_graceful_shutdown=1,
        )
        if self.access_log:
            # uvicorn gives its access logger the server's level; requests are logged at INFO.
            logging.getLogger("uvicorn.access").setLevel(logging.INFO)
        self._server = uvicorn.Server(config)
        return self._server

    def start(self, timeout: float = 10.0) -> MockServer:
        """Bind, serve on a daemon thread, and return once the server accepts connections."""
        if self._thread is not None:
            return self
        server = self._bind()
        self._thread = threading.Thread(target=self._run, name=f"tgi-mock-{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the mock server did not start")
            time.sleep(0.01)
        return self

    def run(self, on_ready: Callable[[str], None] | None = None) -> None:
        """Serve in this thread until SIGINT/SIGTERM; `on_ready(url)` runs once bound."""
        server = self._bind()
        if on_ready is not None:
            on_ready(self.url)
        assert self._socket is not None
        _SERVING.add(threading.get_ident())
        try:
            server.run(sockets=[self._socket])
        finally:
            _SERVING.discard(threading.get_ident())
            self._socket.close()

    def _run(self) -> None:
        assert self._server is not None
        assert self._socket is not None
        _SERVING.add(threading.get_ident())
        try:
            asyncio.run(self._server.serve(sockets=[self._socket]))
        finally:
            _SERVING.discard(threading.get_ident())

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving and wait for the thread (open streams get `timeout` seconds)."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive() and self._server is not None:
                self._server.force_exit = True
                self._thread.join(timeout)
        if self._socket is not None:
            self._socket.close()
        self._server = None
        self._thread = None

    def __enter__(self) -> MockServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class _QuietDrops(logging.Filter):
    """Hide uvicorn's traceback for a connection the mock cut on purpose, and, in a thread serving
    a `MockServer`, the noise of stopping with streams open (the cancelled requests)."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if type(error).__name__ == "ConnectionDropped":
            return False
        if record.thread not in _SERVING:
            return True
        if isinstance(error, asyncio.CancelledError):
            return False
        return "graceful shutdown exceeded" not in str(record.msg)


logging.getLogger("uvicorn.error").addFilter(_QuietDrops())
