from functools import cache
from http import HTTPStatus
from typing import Any, cast

import httpx
from pydantic import TypeAdapter

from ... import errors
from ... import types as _types
from ...client import AuthenticatedClient, Client
from ...models.compat_generate_request import CompatGenerateRequest
from ...models.error_response import ErrorResponse
from ...models.response import Response


def _get_kwargs(
    *,
    body: CompatGenerateRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


@cache
def _adapter_200() -> TypeAdapter[list[Response]]:
    return TypeAdapter(list[Response])


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | ErrorResponse | list[Response] | str | None:
    if response.status_code == 200:
        return _adapter_200().validate_json(response.content, strict=True)

    if response.status_code == 400:
        response_400 = response.text
        return response_400

    if response.status_code == 401:
        response_401 = cast(Any, None)
        return response_401

    if response.status_code == 413:
        response_413 = response.text
        return response_413

    if response.status_code == 415:
        response_415 = response.text
        return response_415

    if response.status_code == 422:
        response_422 = ErrorResponse.from_dict(response.json())

        return response_422

    if response.status_code == 424:
        response_424 = ErrorResponse.from_dict(response.json())

        return response_424

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ErrorResponse.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> _types.Response[Any | ErrorResponse | list[Response] | str]:
    return _types.Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CompatGenerateRequest,
) -> _types.Response[Any | ErrorResponse | list[Response] | str]:
    """Generate tokens (compat route); a JSON list of one answer, or SSE when `stream` is true.

    Args:
        body (CompatGenerateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorResponse | list[Response] | str]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: CompatGenerateRequest,
) -> Any | ErrorResponse | list[Response] | str | None:
    """Generate tokens (compat route); a JSON list of one answer, or SSE when `stream` is true.

    Args:
        body (CompatGenerateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorResponse | list[Response] | str
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CompatGenerateRequest,
) -> _types.Response[Any | ErrorResponse | list[Response] | str]:
    """Generate tokens (compat route); a JSON list of one answer, or SSE when `stream` is true.

    Args:
        body (CompatGenerateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorResponse | list[Response] | str]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: CompatGenerateRequest,
) -> Any | ErrorResponse | list[Response] | str | None:
    """Generate tokens (compat route); a JSON list of one answer, or SSE when `stream` is true.

    Args:
        body (CompatGenerateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorResponse | list[Response] | str
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
