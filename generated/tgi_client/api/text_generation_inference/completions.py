from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ... import types as _types
from ...client import AuthenticatedClient, Client
from ...models.completion_final import CompletionFinal
from ...models.completion_request import CompletionRequest
from ...models.error_response import ErrorResponse


def _get_kwargs(
    *,
    body: CompletionRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/completions",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | CompletionFinal | ErrorResponse | str | None:
    if response.status_code == 200:
        return CompletionFinal.model_validate_json(response.content, strict=True)

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
) -> _types.Response[Any | CompletionFinal | ErrorResponse | str]:
    return _types.Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CompletionRequest,
) -> _types.Response[Any | CompletionFinal | ErrorResponse | str]:
    """OpenAI-compatible completion; SSE ending in `data: [DONE]` when `stream` is true.

     With `stream: true` the answer is `text/event-stream`: CompletionChunk events (`finish_reason` `""`
    on intermediate ones), each prompt's last one a CompletionFinal with `usage`, then `data: [DONE]`.

    Args:
        body (CompletionRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | CompletionFinal | ErrorResponse | str]
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
    body: CompletionRequest,
) -> Any | CompletionFinal | ErrorResponse | str | None:
    """OpenAI-compatible completion; SSE ending in `data: [DONE]` when `stream` is true.

     With `stream: true` the answer is `text/event-stream`: CompletionChunk events (`finish_reason` `""`
    on intermediate ones), each prompt's last one a CompletionFinal with `usage`, then `data: [DONE]`.

    Args:
        body (CompletionRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | CompletionFinal | ErrorResponse | str
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CompletionRequest,
) -> _types.Response[Any | CompletionFinal | ErrorResponse | str]:
    """OpenAI-compatible completion; SSE ending in `data: [DONE]` when `stream` is true.

     With `stream: true` the answer is `text/event-stream`: CompletionChunk events (`finish_reason` `""`
    on intermediate ones), each prompt's last one a CompletionFinal with `usage`, then `data: [DONE]`.

    Args:
        body (CompletionRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | CompletionFinal | ErrorResponse | str]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: CompletionRequest,
) -> Any | CompletionFinal | ErrorResponse | str | None:
    """OpenAI-compatible completion; SSE ending in `data: [DONE]` when `stream` is true.

     With `stream: true` the answer is `text/event-stream`: CompletionChunk events (`finish_reason` `""`
    on intermediate ones), each prompt's last one a CompletionFinal with `usage`, then `data: [DONE]`.

    Args:
        body (CompletionRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | CompletionFinal | ErrorResponse | str
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
