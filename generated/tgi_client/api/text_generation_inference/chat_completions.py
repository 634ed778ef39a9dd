from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ... import types as _types
from ...client import AuthenticatedClient, Client
from ...models.chat_completion import ChatCompletion
from ...models.chat_request import ChatRequest
from ...models.error_response import ErrorResponse


def _get_kwargs(
    *,
    body: ChatRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/chat/completions",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | ChatCompletion | ErrorResponse | str | None:
    if response.status_code == 200:
        return ChatCompletion.model_validate_json(response.content, strict=True)

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
) -> _types.Response[Any | ChatCompletion | ErrorResponse | str]:
    return _types.Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ChatRequest,
) -> _types.Response[Any | ChatCompletion | ErrorResponse | str]:
    """OpenAI-compatible chat completion; SSE of chunks ending in `data: [DONE]` when `stream` is true.

     With `stream: true` the answer is `text/event-stream`: `chat.completion.chunk` events
    (ChatCompletionChunk), then `data: [DONE]`. An error inside the stream is `data: {"error":
    {"message": ..., "http_status_code": 422}}` (ChatStreamError), followed by `[DONE]`.

    Args:
        body (ChatRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ChatCompletion | ErrorResponse | str]
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
    body: ChatRequest,
) -> Any | ChatCompletion | ErrorResponse | str | None:
    """OpenAI-compatible chat completion; SSE of chunks ending in `data: [DONE]` when `stream` is true.

     With `stream: true` the answer is `text/event-stream`: `chat.completion.chunk` events
    (ChatCompletionChunk), then `data: [DONE]`. An error inside the stream is `data: {"error":
    {"message": ..., "http_status_code": 422}}` (ChatStreamError), followed by `[DONE]`.

    Args:
        body (ChatRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ChatCompletion | ErrorResponse | str
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ChatRequest,
) -> _types.Response[Any | ChatCompletion | ErrorResponse | str]:
    """OpenAI-compatible chat completion; SSE of chunks ending in `data: [DONE]` when `stream` is true.

     With `stream: true` the answer is `text/event-stream`: `chat.completion.chunk` events
    (ChatCompletionChunk), then `data: [DONE]`. An error inside the stream is `data: {"error":
    {"message": ..., "http_status_code": 422}}` (ChatStreamError), followed by `[DONE]`.

    Args:
        body (ChatRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ChatCompletion | ErrorResponse | str]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ChatRequest,
) -> Any | ChatCompletion | ErrorResponse | str | None:
    """OpenAI-compatible chat completion; SSE of chunks ending in `data: [DONE]` when `stream` is true.

     With `stream: true` the answer is `text/event-stream`: `chat.completion.chunk` events
    (ChatCompletionChunk), then `data: [DONE]`. An error inside the stream is `data: {"error":
    {"message": ..., "http_status_code": 422}}` (ChatStreamError), followed by `[DONE]`.

    Args:
        body (ChatRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ChatCompletion | ErrorResponse | str
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
