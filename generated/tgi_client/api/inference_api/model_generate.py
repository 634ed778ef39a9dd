from functools import cache
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx
from pydantic import TypeAdapter

from ... import errors
from ... import types as _types
from ...client import AuthenticatedClient, Client
from ...models.api_error_response import ApiErrorResponse
from ...models.compat_generate_request import CompatGenerateRequest
from ...models.error_response import ErrorResponse
from ...models.response import Response


def _get_kwargs(
    repo_id: str,
    *,
    body: CompatGenerateRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/models/{repo_id}".format(
            repo_id=quote(str(repo_id), safe=""),
        ),
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
) -> ApiErrorResponse | ErrorResponse | list[Response] | str | None:
    if response.status_code == 200:
        return _adapter_200().validate_json(response.content, strict=True)

    if response.status_code == 400:
        response_400 = response.text
        return response_400

    if response.status_code == 404:
        response_404 = ApiErrorResponse.from_dict(response.json())

        return response_404

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
) -> _types.Response[ApiErrorResponse | ErrorResponse | list[Response] | str]:
    return _types.Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    repo_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: CompatGenerateRequest,
) -> _types.Response[ApiErrorResponse | ErrorResponse | list[Response] | str]:
    """The compat route (`POST /`) of one model on the Inference API.

    Args:
        repo_id (str):
        body (CompatGenerateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiErrorResponse | ErrorResponse | list[Response] | str]
    """

    kwargs = _get_kwargs(
        repo_id=repo_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    repo_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: CompatGenerateRequest,
) -> ApiErrorResponse | ErrorResponse | list[Response] | str | None:
    """The compat route (`POST /`) of one model on the Inference API.

    Args:
        repo_id (str):
        body (CompatGenerateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiErrorResponse | ErrorResponse | list[Response] | str
    """

    return sync_detailed(
        repo_id=repo_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    repo_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: CompatGenerateRequest,
) -> _types.Response[ApiErrorResponse | ErrorResponse | list[Response] | str]:
    """The compat route (`POST /`) of one model on the Inference API.

    Args:
        repo_id (str):
        body (CompatGenerateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiErrorResponse | ErrorResponse | list[Response] | str]
    """

    kwargs = _get_kwargs(
        repo_id=repo_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    repo_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: CompatGenerateRequest,
) -> ApiErrorResponse | ErrorResponse | list[Response] | str | None:
    """The compat route (`POST /`) of one model on the Inference API.

    Args:
        repo_id (str):
        body (CompatGenerateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiErrorResponse | ErrorResponse | list[Response] | str
    """

    return (
        await asyncio_detailed(
            repo_id=repo_id,
            client=client,
            body=body,
        )
    ).parsed
