"""What ``Client`` and ``AsyncClient`` share besides the sans-I/O core: their configuration, the
generated client that owns their connection pool, where each call goes, and the mapping of
transport exceptions to typed errors that say which request failed and after how many tries."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx

import tgi_client
from text_generation._inputs import (
    check_base_url,
    check_cookies,
    check_headers,
    check_proxy,
    check_verify,
)
from text_generation._json import dumps
from text_generation._retry import RetryPolicy
from text_generation._streams import ChatStream, TokenStream
from text_generation._version import __version__
from text_generation.errors import (
    APIConnectionError,
    APITimeoutError,
    ClientValidationError,
    InvalidResponseError,
    TextGenerationError,
)

USER_AGENT = f"text-generation/{__version__} (tgi-sdk; httpx/{httpx.__version__})"
_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "x-api-key"})
#: Pool limits of the clients we build: 100 connections, all kept alive.
LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=100)

log = logging.getLogger("text_generation")

#: httpx exceptions raised before the request reached the server.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


def redact_headers(headers: dict[str, str] | None) -> dict[str, str] | None:
    """Headers with credential values hidden, for ``repr``."""
    if headers is None:
        return None
    return {k: ("***" if k.lower() in _SECRET_HEADERS else v) for k, v in headers.items()}


def public_url(url: httpx.URL | str) -> str:
    """A URL fit for an error message: no user name, password or query string."""
    url = httpx.URL(url)
    return str(url.copy_with(username=None, password=None, query=None, fragment=None))


class ClientBase:
    """Configuration shared by the sync and async clients.

    ``base_url``, ``headers``, ``cookies`` and ``timeout`` keep their text-generation 0.7.0
    meaning; ``timeout`` (seconds) bounds connecting and each read, so a slow stream lives as
    long as bytes (or keep-alive comments) keep coming. Keyword-only: ``max_retries``,
    ``verify`` (True, False, a CA bundle path or an ``ssl.SSLContext``), ``proxy`` (else the
    proxy environment variables, ``NO_PROXY`` included) and ``http_client`` (an httpx client of
    your own, used as given and never closed by us).
    """

    #: Post generate calls to the base URL itself (the compat route) instead of /generate.
    _compat_route = False
    #: The ``model`` that ``chat`` sends (TGI ignores it; a router maps it to a provider).
    _chat_model = "tgi"

    #: The httpx client class ``http_client=`` must be (set by each twin).
    _httpx_type: type[httpx.Client] | type[httpx.AsyncClient] = httpx.Client

    def __init__(
        self,
        base_url: str,
        headers: dict[str, str] | None = None,
        cookies: dict[str, str] | None = None,
        timeout: float = 10,
        *,
        max_retries: int = 2,
        verify: Any = True,
        proxy: Any = None,
        http_client: Any = None,
    ) -> None:
        self.base_url = check_base_url(base_url)
        check_headers(headers)
        check_cookies(cookies)
        if http_client is not None and not isinstance(http_client, self._httpx_type):
            raise ClientValidationError(
                f"http_client must be an {self._httpx_type.__module__}."
                f"{self._httpx_type.__name__}; got {type(http_client).__name__}"
            )
        self.headers = headers
        self.cookies = cookies
        self.timeout = timeout
        self.max_retries = max_retries
        self._verify = check_verify(verify)
        self._proxy = check_proxy(proxy)
        self._user_http = http_client
        self._retry = RetryPolicy(max_retries=max_retries)
        self._lock = threading.Lock()
        self._urls: dict[str, httpx.URL] = {}
        self._merged: tuple[httpx.Headers, httpx.Headers, dict[str, Any]] | None
        self._merged = None
        self._api = tgi_client.Client(**self._httpx_options(), raise_on_unexpected_status=False)
        if http_client is not None:
            self._set_generated_client(http_client)

    def _set_generated_client(self, http: Any) -> None:
        raise NotImplementedError

    def _httpx_options(self) -> dict[str, Any]:
        """What the generated client hands httpx: base URL, headers, cookies, timeout."""
        return {
            "base_url": self.base_url.rstrip("/"),
            "headers": {"user-agent": USER_AGENT, **(self.headers or {})},
            "cookies": dict(self.cookies or {}),
            "timeout": httpx.Timeout(self.timeout),
        }

    def _pool_options(self) -> dict[str, Any]:
        """What our own pooled httpx client is built with."""
        return {
            **self._httpx_options(),
            "verify": self._verify,
            "proxy": self._proxy,
            "limits": LIMITS,
        }

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self.base_url!r}, "
            f"headers={redact_headers(self.headers)!r}, "
            f"cookies={'***' if self.cookies else None}, timeout={self.timeout!r})"
        )

    def _build_request(
        self,
        http: httpx.Client | httpx.AsyncClient,
        method: str,
        url: httpx.URL,
        body: Any,
    ) -> httpx.Request:
        """The request, built once per call with the client's headers, cookies and timeout
        merged ahead of time (httpx's ``build_request`` redoes that work on every call)."""
        if self._merged is None:
            check_headers(self.headers)  # again: they may have been changed since __init__
            check_cookies(self.cookies)
            plain = httpx.Headers(http.headers)
            plain.update(self._httpx_options()["headers"])
            with_json = httpx.Headers(plain)
            with_json["content-type"] = "application/json"
            timeouts = {"timeout": httpx.Timeout(self.timeout).as_dict()}
            self._merged = (plain, with_json, timeouts)
        plain, with_json, timeouts = self._merged
        content = None
        if body is not None:
            try:
                content = dumps(body)
            except TypeError as exc:
                raise ClientValidationError(f"the request cannot be sent as JSON: {exc}") from None
        request = httpx.Request(
            method,
            url,
            content=content,
            headers=plain if body is None else with_json,
            extensions=timeouts,
        )
        jar = http.cookies
        if self.cookies and self._user_http is not None:
            jar = httpx.Cookies(jar)
            jar.update(self.cookies)
        if jar:
            jar.set_cookie_header(request)
        return request

    def _url(self, path: str) -> httpx.URL:
        """The absolute URL of a route, built once (httpx re-parses relative URLs per call)."""
        url = self._urls.get(path)
        if url is None:
            base = self.base_url.rstrip("/")
            # "/" (the compat route) is the base URL itself, as text-generation 0.7.0 posts it
            url = self._urls[path] = httpx.URL(base if path in ("", "/") else base + path)
        return url

    def _give_up(
        self, err: TextGenerationError, method: str, url: httpx.URL, attempts: int
    ) -> TextGenerationError:
        """``err`` saying which request failed, after how many tries, and what may help."""
        return located(err, method, url, attempts, inference_api=self._compat_route)

    def _retrying(self, err: TextGenerationError, url: httpx.URL, attempt: int) -> float | None:
        delay = self._retry.delay(attempt, err)
        if delay is not None:
            log.info("%s; trying %s again in %.2f s", err.message, public_url(url), delay)
        return delay


def located(
    err: TextGenerationError,
    method: str,
    url: httpx.URL | str,
    attempts: int,
    *,
    inference_api: bool = False,
) -> TextGenerationError:
    """Add the method, the URL (without secrets), the attempts made and a hint to ``err``.

    An error carrying the server's own message keeps it as its text, as text-generation 0.7.0
    did; the rest is then a note, shown with the traceback."""
    if err.url is not None or isinstance(err, ClientValidationError):
        return err
    where = public_url(url)
    err.method, err.url, err.attempts = method, where, attempts
    tries = f"{attempts} attempt{'s' if attempts != 1 else ''}"
    context = f"[{method} {where}, {tries}]"
    hint = _hint(err, where, inference_api=inference_api)
    if hint:
        context += f"; {hint}"
    if err._quoted:
        err.add_note(context)
        return err
    err.message = f"{err.message} {context}"
    err.args = (err.message,)
    return err


def _hint(err: TextGenerationError, url: str, *, inference_api: bool) -> str:
    status = err.status_code
    if status in (401, 403):
        how = "pass headers={'Authorization': 'Bearer <token>'}"
        if inference_api:
            how = "pass token=... or set HF_TOKEN"
        verb = "was refused" if status == 403 else "is needed"
        return f"a token {verb}: {how}"
    if status == 404:
        return (
            f"{url} answered 404: is base_url right? It should be the server's root "
            "(e.g. http://127.0.0.1:8080), not a route"
        )
    if isinstance(err, APIConnectionError) and not isinstance(err, APITimeoutError):
        if inference_api:
            return "is the Inference API reachable? HF_INFERENCE_ENDPOINT sets its address"
        if err.before_response:
            return "is the server running there?"
    return ""


def body_chunks(resp: httpx.Response) -> Iterator[bytes]:
    """A streamed body's bytes as the transport hands them over: straight from its stream when
    there is nothing to decode (httpx's ``iter_bytes`` adds four generator layers per chunk)."""
    stream = resp.stream
    if "content-encoding" in resp.headers or not isinstance(stream, httpx.SyncByteStream):
        return resp.iter_bytes()
    return iter(stream)


def abody_chunks(resp: httpx.Response) -> AsyncIterator[bytes]:
    """The async twin of ``body_chunks``."""
    stream = resp.stream
    if "content-encoding" in resp.headers or not isinstance(stream, httpx.AsyncByteStream):
        return resp.aiter_bytes()
    return aiter(stream)


def transport_error(
    exc: Exception, stream: TokenStream | ChatStream | None = None
) -> TextGenerationError:
    """The typed error for an httpx exception; with the reader of a stream that had started, a
    ``StreamInterruptedError`` (``StreamTimeoutError`` on a timeout) carrying what arrived.
    ``before_response`` tells whether the request never reached the server."""
    timed_out = isinstance(exc, httpx.TimeoutException)
    if stream is not None:
        reason = "timed out" if timed_out else "the connection broke"
        return stream.interrupted(f"{reason} ({_describe(exc)})", timed_out=timed_out)
    err: TextGenerationError
    if timed_out:
        err = APITimeoutError(f"request timed out ({_describe(exc)})")
    elif isinstance(exc, httpx.TransportError):
        err = APIConnectionError(f"connection failed ({_describe(exc)})")
    elif isinstance(exc, httpx.InvalidURL):
        return ClientValidationError(f"the URL cannot be requested ({_describe(exc)})")
    else:
        return InvalidResponseError(f"HTTP error ({_describe(exc)})")
    err.before_response = isinstance(exc, _NOT_SENT)
    return err


def _describe(exc: Exception) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
