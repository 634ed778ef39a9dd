"""Servers for the hostile-network cases: a TLS variant of the raw server (certificates from a
throwaway CA) and a logging forward proxy (absolute-form requests and CONNECT tunnels)."""

from __future__ import annotations

import socket
import socketserver
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import trustme

from tests.resilience.rawserver import RawServer, Script


class TLSServer(RawServer):
    """A ``RawServer`` speaking TLS with ``context``; failed handshakes are dropped."""

    def __init__(self, script: Script, context: ssl.SSLContext) -> None:
        super().__init__(script, keep_alive=True)
        self.context = context

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, addr = super().get_request()
        sock.settimeout(5)
        return self.context.wrap_socket(sock, server_side=True), addr

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.server_address[1]}"


@contextmanager
def serving(server: socketserver.TCPServer) -> Iterator[None]:
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextmanager
def tls_server(script: Script, tmp_path: Path) -> Iterator[tuple[TLSServer, Path]]:
    """A TLS server on 127.0.0.1 with a certificate of a fresh CA; yields it and the CA's PEM."""
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    server = TLSServer(script, context)
    with serving(server):
        yield server, ca_file


def _relay(src: socket.socket, dst: socket.socket) -> None:
    try:
        while data := src.recv(65536):
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for sock in (src, dst):
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class _ProxyHandler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        proxy: LoggingProxy = self.server  # type: ignore[assignment]
        client: socket.socket = self.request
        head = b""
        while b"\r\n\r\n" not in head:
            data = client.recv(65536)
            if not data:
                return
            head += data
        line = head.split(b"\r\n", 1)[0].decode("latin-1")
        proxy.log.append(line)
        method, target, _ = line.split(" ", 2)
        if method == "CONNECT":
            host, port = target.rsplit(":", 1)
            upstream = socket.create_connection((host, int(port)), timeout=5)
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            rest = head.split(b"\r\n\r\n", 1)[1]
        else:  # absolute-form: forward as it came (the servers here ignore the target's form)
            hostport = target.split("://", 1)[1].split("/", 1)[0]
            host, port = hostport.rsplit(":", 1)
            upstream = socket.create_connection((host, int(port)), timeout=5)
            rest = head
        if rest:
            upstream.sendall(rest)
        back = threading.Thread(target=_relay, args=(upstream, client), daemon=True)
        back.start()
        _relay(client, upstream)
        back.join(5)
        upstream.close()


class LoggingProxy(socketserver.ThreadingTCPServer):
    """A forward proxy on 127.0.0.1 that records the first line of each request it gets."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.log: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@contextmanager
def logging_proxy() -> Iterator[LoggingProxy]:
    proxy = LoggingProxy()
    with serving(proxy):
        yield proxy
