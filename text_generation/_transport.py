"""What ``Client`` and ``AsyncClient`` share besides the sans-I/O core: their configuration, the
generated client that owns their connection pool, where each call goes, and the mapping of
transport exceptions to typed errors."""

from __future__ import annotations

from typing import Any, TypeVar

import httpx

import tgi_client
from text_generation import _core
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

_HttpxClient = TypeVar("_HttpxClient", httpx.Client, httpx.AsyncClient)

USER_AGENT = f"text-generation/{__version__} (tgi-sdk; httpx/{httpx.__version__})"
_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "x-api-key"})


class _QuietCookies(httpx.Cookies):
    """A cookie jar that skips the standard library's costly parse of an answer that sets no
    cookie (a sixth of a keep-alive call's CPU otherwise)."""

    def extract_cookies(self, response: httpx.Response) -> None:
        if "set-cookie" in response.headers:
            super().extract_cookies(response)


def tuned(client: _HttpxClient) -> _HttpxClient:
    """The httpx client with the quiet cookie jar (httpx offers no public way to plug one in)."""
    client._cookies = _QuietCookies(client.cookies)
    return client


def redact_headers(headers: dict[str, str] | None) -> dict[str, str] | None:
    """Headers with credential values hidden, for ``repr``."""
    if headers is None:
        return None
    return {k: ("***" if k.lower() in _SECRET_HEADERS else v) for k, v in headers.items()}


class ClientBase:
    """Configuration shared by the sync and async clients.

    ``base_url``, ``headers``, ``cookies`` and ``timeout`` keep their text-generation 0.7.0
    meaning; ``timeout`` (seconds) bounds connecting and each read, so a slow stream lives as
    long as bytes (or keep-alive comments) keep coming.
    """

    #: Post generate calls to the base URL itself (the compat route) instead of /generate.
    _compat_route = False
    #: The ``model`` that ``chat`` sends (TGI ignores it; a router maps it to a provider).
    _chat_model = "tgi"

    def __init__(
        self,
        base_url: str,
        headers: dict[str, str] | None = None,
        cookies: dict[str, str] | None = None,
        timeout: float = 10,
        *,
        max_retries: int = 2,
    ) -> None:
        self.base_url = base_url
        self.headers = headers
        self.cookies = cookies
        self.timeout = timeout
        self.max_retries = max_retries
        self._retry = RetryPolicy(max_retries=max_retries)
        self._urls: dict[str, httpx.URL] = {}
        self._merged: tuple[httpx.Headers, httpx.Headers, dict[str, Any]] | None = None
        self._api = tgi_client.Client(**self._httpx_options(), raise_on_unexpected_status=False)

    def _httpx_options(self) -> dict[str, Any]:
        """What the generated client hands httpx: base URL, headers, cookies, timeout."""
        return {
            "base_url": self.base_url.rstrip("/"),
            "headers": {"user-agent": USER_AGENT, **(self.headers or {})},
            "cookies": dict(self.cookies or {}),
            "timeout": httpx.Timeout(self.timeout),
        }

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self.base_url!r}, "
            f"headers={redact_headers(self.headers)!r}, "
            f"cookies={'***' if self.cookies else None}, timeout={self.timeout!r})"
        )

    def _build_request(
        self, http: httpx.Client | httpx.AsyncClient, method: str, url: httpx.URL, body: Any
    ) -> httpx.Request:
        """The request, built once per call with the client's headers, cookies and timeout
        merged ahead of time (httpx's ``build_request`` redoes that work on every call)."""
        if self._merged is None:
            plain = httpx.Headers(http.headers)
            with_json = httpx.Headers(http.headers)
            with_json["content-type"] = "application/json"
            self._merged = (plain, with_json, {"timeout": http.timeout.as_dict()})
        plain, with_json, extensions = self._merged
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
            extensions=extensions,
        )
        if http.cookies:
            http.cookies.set_cookie_header(request)
        return request

    def _url(self, path: str) -> httpx.URL:
        """The absolute URL of a route, built once (httpx re-parses relative URLs per call)."""
        url = self._urls.get(path)
        if url is None:
            base = self.base_url.rstrip("/")
            url = self._urls[path] = httpx.URL(base if path == "" else base + path)
        return url

    def _generate_url(self, *, stream: bool) -> httpx.URL:
        if self._compat_route:
            return self._url("")
        return self._url(_core.GENERATE_STREAM_PATH if stream else _core.GENERATE_PATH)


def transport_error(
    exc: Exception, stream: TokenStream | ChatStream | None = None
) -> TextGenerationError:
    """The typed error for an httpx exception; with the reader of a stream that had started, a
    ``StreamInterruptedError`` (``StreamTimeoutError`` on a timeout) carrying what arrived."""
    timed_out = isinstance(exc, httpx.TimeoutException)
    if stream is not None:
        reason = "timed out" if timed_out else "the connection broke"
        return stream.interrupted(f"{reason} ({_describe(exc)})", timed_out=timed_out)
    if timed_out:
        err = APITimeoutError(f"request timed out ({_describe(exc)})")
        err.before_response = not isinstance(exc, httpx.ReadTimeout)
        return err
    if isinstance(exc, httpx.TransportError | httpx.InvalidURL):
        return APIConnectionError(f"connection failed ({_describe(exc)})")
    return InvalidResponseError(f"HTTP error ({_describe(exc)})")


def _describe(exc: Exception) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
