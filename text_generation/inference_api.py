"""Clients for the Hugging Face Inference API, and its discovery helpers.

Every function and constructor here reads ``HF_INFERENCE_ENDPOINT`` when called (default
``https://api-inference.huggingface.co``) and sends the token given, or else ``HF_TOKEN``, as a
bearer ``Authorization`` header. The clients post generate calls to the model URL itself (the
compat route), the only route that service serves.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import quote

import httpx

from text_generation import _core
from text_generation._async_client import AsyncClient
from text_generation._responses import DeployedModel
from text_generation._transport import USER_AGENT, located, transport_error
from text_generation.client import Client
from text_generation.errors import NotSupportedError

DEFAULT_ENDPOINT = "https://api-inference.huggingface.co"

__all__ = [
    "InferenceAPIAsyncClient",
    "InferenceAPIClient",
    "check_model_support",
    "deployed_models",
]


def inference_endpoint() -> str:
    """The Inference API base URL: ``HF_INFERENCE_ENDPOINT``, or the public endpoint."""
    return (os.environ.get("HF_INFERENCE_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


def hf_headers(token: str | None = None) -> dict[str, str]:
    """Headers for the Inference API: the user agent and, with a token (or ``HF_TOKEN``), a
    bearer authorization."""
    headers = {"user-agent": USER_AGENT}
    token = token or os.environ.get("HF_TOKEN")
    if token:
        headers["authorization"] = f"Bearer {token}"
    return headers


def _get(path: str, headers: dict[str, str] | None, timeout: float) -> bytes:
    url = inference_endpoint() + path
    try:
        resp = httpx.get(
            url, headers=headers if headers is not None else hf_headers(), timeout=timeout
        )
    except httpx.HTTPError as exc:
        raise located(transport_error(exc), "GET", url, 1, inference_api=True) from None
    if resp.status_code != 200:
        err = _core.error_from_response(
            resp.status_code, resp.headers.get("content-type"), resp.content
        )
        raise located(err, "GET", url, 1, inference_api=True)
    return resp.content


def deployed_models(
    headers: dict[str, str] | None = None, *, timeout: float = 10
) -> list[DeployedModel]:
    """The models currently deployed with text-generation-inference on the Inference API."""
    return _core.parse_deployed_models(
        _get("/framework/text-generation-inference", headers, timeout)
    )


def check_model_support(
    repo_id: str, headers: dict[str, str] | None = None, *, timeout: float = 10
) -> bool:
    """Whether the Inference API serves ``repo_id`` with text-generation-inference."""
    return _core.parse_model_support(_get(f"/status/{quote(repo_id, safe='/')}", headers, timeout))


def _model_url(repo_id: str, token: str | None, timeout: float) -> tuple[str, dict[str, str]]:
    headers = hf_headers(token)
    if not check_model_support(repo_id, headers, timeout=timeout):
        raise NotSupportedError(repo_id)
    return f"{inference_endpoint()}/models/{quote(repo_id, safe='/')}", headers


class InferenceAPIClient(Client):
    """Client for a model on the Hugging Face Inference API; the keyword-only options are
    ``Client``'s.

    Raises ``NotSupportedError`` when the model is not served by text-generation-inference.
    """

    _compat_route = True

    def __init__(
        self,
        repo_id: str,
        token: str | None = None,
        timeout: int = 10,
        *,
        max_retries: int = 2,
        verify: Any = True,
        proxy: Any = None,
        http_client: Any = None,
    ) -> None:
        base_url, headers = _model_url(repo_id, token, timeout)
        super().__init__(
            base_url,
            headers=headers,
            timeout=timeout,
            max_retries=max_retries,
            verify=verify,
            proxy=proxy,
            http_client=http_client,
        )


class InferenceAPIAsyncClient(AsyncClient):
    """Asynchronous client for a model on the Hugging Face Inference API; the keyword-only
    options are ``AsyncClient``'s.

    Raises ``NotSupportedError`` when the model is not served by text-generation-inference
    (checked in the constructor, which therefore makes one blocking request, as in 0.7.0).
    """

    _compat_route = True

    def __init__(
        self,
        repo_id: str,
        token: str | None = None,
        timeout: int = 10,
        *,
        max_retries: int = 2,
        verify: Any = True,
        proxy: Any = None,
        http_client: Any = None,
    ) -> None:
        base_url, headers = _model_url(repo_id, token, timeout)
        super().__init__(
            base_url,
            headers=headers,
            timeout=timeout,
            max_retries=max_retries,
            verify=verify,
            proxy=proxy,
            http_client=http_client,
        )
