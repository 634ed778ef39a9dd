"""Checks on what a client is built with (sans-I/O): a bad base URL, header, cookie or TLS setting
is refused with a ``ClientValidationError`` when the client is built, before any byte is sent."""

from __future__ import annotations

import os
import re
import ssl
from collections.abc import Mapping
from typing import Any

import httpx

from text_generation.errors import ClientValidationError

# RFC 9110 field-name token; a field value: visible ASCII, spaces and tabs.
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_FIELD_VALUE = re.compile(r"[\t\x20-\x7e]*")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://")


def check_base_url(base_url: object) -> str:
    """The base URL, refused when it is not an absolute http(s) URL."""
    if not isinstance(base_url, str):
        raise ClientValidationError(f"base_url must be a string; got {type(base_url).__name__}")
    if any(c in base_url for c in "\r\n\x00\t") or base_url != base_url.strip():
        raise ClientValidationError(
            f"base_url {base_url!r} contains whitespace or control characters"
        )
    if not _SCHEME.match(base_url):
        raise ClientValidationError(
            f"base_url {base_url!r} has no scheme: write it as 'http://{base_url}' "
            f"(or 'https://{base_url}')"
        )
    try:
        url = httpx.URL(base_url)
    except httpx.InvalidURL as exc:
        raise ClientValidationError(f"base_url {base_url!r} is not a valid URL: {exc}") from None
    if url.scheme not in ("http", "https"):
        raise ClientValidationError(
            f"base_url {base_url!r}: the scheme must be http or https, not {url.scheme!r}"
        )
    if not url.host:
        raise ClientValidationError(f"base_url {base_url!r} has no host")
    return base_url


def _field(kind: str, name: object, value: object) -> None:
    if not isinstance(name, str) or not _TOKEN.fullmatch(name):
        raise ClientValidationError(
            f"{kind} name {name!r} is not a valid HTTP token (letters, digits and !#$%&'*+-.^_`|~)"
        )
    if not isinstance(value, str):
        raise ClientValidationError(
            f"{kind} {name!r}: the value must be a string, not {type(value).__name__}"
        )
    if not _FIELD_VALUE.fullmatch(value):
        bad = next(c for c in value if not _FIELD_VALUE.fullmatch(c))
        what = "a control character" if bad.isascii() else "a non-ASCII character"
        raise ClientValidationError(
            f"{kind} {name!r}: the value contains {what} ({bad!r}); "
            "HTTP header values are visible ASCII, spaces and tabs"
        )


def check_headers(headers: object) -> None:
    """Refuse headers that HTTP cannot carry as given (CR, LF, NUL, non-ASCII, bad names)."""
    if headers is None:
        return
    if not isinstance(headers, Mapping):
        raise ClientValidationError(f"headers must be a dict; got {type(headers).__name__}")
    for name, value in headers.items():
        _field("header", name, value)


def check_cookies(cookies: object) -> None:
    """Refuse cookies that would break the ``Cookie`` header (CR, LF, NUL, ``;``, non-ASCII)."""
    if cookies is None:
        return
    if not isinstance(cookies, Mapping):
        raise ClientValidationError(f"cookies must be a dict; got {type(cookies).__name__}")
    for name, value in cookies.items():
        _field("cookie", name, value)
        if ";" in value:
            raise ClientValidationError(f"cookie {name!r}: the value contains ';'")


def check_verify(verify: object) -> bool | ssl.SSLContext:
    """``verify`` as httpx takes it: True, False, or an ``ssl.SSLContext`` (a CA bundle file or
    folder becomes a context trusting it)."""
    if isinstance(verify, bool | ssl.SSLContext):
        return verify
    if isinstance(verify, str | os.PathLike):
        path = os.fspath(verify)
        if os.path.isdir(path):
            return ssl.create_default_context(capath=path)
        if not os.path.isfile(path):
            raise ClientValidationError(f"verify={path!r}: no such CA bundle file or folder")
        try:
            return ssl.create_default_context(cafile=path)
        except ssl.SSLError as exc:
            raise ClientValidationError(f"verify={path!r}: not a CA bundle ({exc})") from None
    raise ClientValidationError(
        f"verify must be True, False, a CA bundle path or an ssl.SSLContext; got {verify!r}"
    )


def check_proxy(proxy: object) -> Any:
    """``proxy`` as httpx takes it (a URL string, ``httpx.URL`` or ``httpx.Proxy``), or None."""
    if proxy is None or isinstance(proxy, httpx.Proxy):
        return proxy
    if isinstance(proxy, str | httpx.URL):
        try:
            return httpx.Proxy(proxy)
        except (ValueError, httpx.InvalidURL) as exc:
            raise ClientValidationError(f"proxy is not a valid proxy URL: {exc}") from None
    raise ClientValidationError(
        f"proxy must be a URL or an httpx.Proxy; got {type(proxy).__name__}"
    )
