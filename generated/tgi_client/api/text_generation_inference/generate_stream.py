from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ... import types as _types
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.generate_request import GenerateRequest


def _get_kwargs(
    *,
    body: GenerateRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/generate_stream",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | ErrorResponse | str | None:
    if response.status_code == 200:
        response_200 = response.text
        return response_200

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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> _types.Response[Any | ErrorResponse | str]:
    return _types.Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: GenerateRequest,
) -> _types.Response[Any | ErrorResponse | str]:
    """Generate a stream of tokens as Server-Sent Events.

     Always HTTP 200 once the body deserialized: validation errors, overload and generation failures
    arrive as one `data: {"error", "error_type"}` event, after which the stream closes. Each event is
    `data: <json>` followed by a blank line (TGI 2.0 and older wrote `data:<json>` with no space). The
    keep-alive comment `:` is sent after 15 s without an event. There is no `[DONE]`.

    Args:
        body (GenerateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorResponse | str]
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
    body: GenerateRequest,
) -> Any | ErrorResponse | str | None:
    """Generate a stream of tokens as Server-Sent Events.

     Always HTTP 200 once the body deserialized: validation errors, overload and generation failures
    arrive as one `data: {"error", "error_type"}` event, after which the stream closes. Each event is
    `data: <json>` followed by a blank line (TGI 2.0 and older wrote `data:<json>` with no space). The
    keep-alive comment `:` is sent after 15 s without an event. There is no `[DONE]`.

    Args:
        body (GenerateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorResponse | str
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: GenerateRequest,
) -> _types.Response[Any | ErrorResponse | str]:
    """Generate a stream of tokens as Server-Sent Events.

     Always HTTP 200 once the body deserialized: validation errors, overload and generation failures
    arrive as one `data: {"error", "error_type"}` event, after which the stream closes. Each event is
    `data: <json>` followed by a blank line (TGI 2.0 and older wrote `data:<json>` with no space). The
    keep-alive comment `:` is sent after 15 s without an event. There is no `[DONE]`.

    Args:
        body (GenerateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorResponse | str]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: GenerateRequest,
) -> Any | ErrorResponse | str | None:
    """Generate a stream of tokens as Server-Sent Events.

     Always HTTP 200 once the body deserialized: validation errors, overload and generation failures
    arrive as one `data: {"error", "error_type"}` event, after which the stream closes. Each event is
    `data: <json>` followed by a blank line (TGI 2.0 and older wrote `data:<json>` with no space). The
    keep-alive comment `:` is sent after 15 s without an event. There is no `[DONE]`.

    Args:
        body (GenerateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorResponse | str
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
