"""Clients for the Hugging Face Inference API, today served by the Inference Providers router, and
its discovery helpers, answered by the Hub API.

``InferenceAPIClient(repo_id)`` asks the Hub (``HF_ENDPOINT``, default ``https://huggingface.co``)
which providers serve the model and under which id, then calls the router
(``https://router.huggingface.co``): with the ``hf-inference`` provider, ``generate`` and
``generate_stream`` post to ``/hf-inference/models/{model}`` (TGI's compat route shape) and
``chat`` to ``.../v1/chat/completions``; other providers serve ``chat`` on their OpenAI-compatible
route. ``provider`` defaults to ``"auto"``, as in ``huggingface_hub``.

``HF_INFERENCE_ENDPOINT`` keeps overriding the base URL for self-hosted and legacy setups: the
clients and ``check_model_support`` then ask ``{HF_INFERENCE_ENDPOINT}/status/{repo_id}``, the
clients post to ``{HF_INFERENCE_ENDPOINT}/models/{repo_id}``, and ``deployed_models`` asks
``{HF_INFERENCE_ENDPOINT}/framework/text-generation-inference``, as text-generation 0.7.0 did.
When that is the retired ``api-inference.huggingface.co``, its answer raises
``EndpointRetiredError``.

The token is the ``token`` argument, else ``HF_TOKEN``, else the one ``hf auth login`` saved; it
is sent as ``authorization: Bearer ...`` and never shown (``repr`` hides it).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar, cast

import httpx

from text_generation import _core, _hub
from text_generation._async_client import AsyncClient
from text_generation._hub_errors import Where
from text_generation._inputs import check_proxy, check_verify
from text_generation._transport import USER_AGENT, located, transport_error
from text_generation.client import Client
from text_generation.errors import (
    NotSupportedError,
    ProviderNotSupportedError,
    TextGenerationError,
)

if TYPE_CHECKING:  # the pydantic types load on the first call, not on import
    from tgi_client.models import DeployedModel

__all__ = [
    "InferenceAPIAsyncClient",
    "InferenceAPIClient",
    "check_model_support",
    "deployed_models",
]

_P = ParamSpec("_P")
_T = TypeVar("_T")
_MAX_PAGES = 100


def hf_headers(token: str | None = None) -> dict[str, str]:
    """The user agent and, when a token is found, a bearer authorization."""
    return {"user-agent": USER_AGENT, **_hub.auth_headers(token)}


#: How the Hub API and status lookups are fetched: ``httpx.get`` by default, or with the
#: client's ``verify=`` / ``proxy=``, or through the user's own sync ``http_client=``.
_Fetch = Callable[..., httpx.Response]


def _fetcher(verify: Any, proxy: Any, http_client: Any) -> _Fetch:
    if isinstance(http_client, httpx.Client):
        return http_client.get
    return functools.partial(httpx.get, verify=check_verify(verify), proxy=check_proxy(proxy))


def _get(
    url: str,
    headers: dict[str, str] | None,
    timeout: float,
    where: Where,
    fetch: _Fetch = httpx.get,
) -> httpx.Response:
    try:
        try:
            resp = fetch(
                url, headers=headers if headers is not None else hf_headers(), timeout=timeout
            )
        except httpx.HTTPError as exc:
            raise located(transport_error(exc), "GET", url, 1, inference_api=True) from None
        if resp.status_code != 200:
            err = _core.error_from_response(
                resp.status_code, resp.headers.get("content-type"), resp.content
            )
            raise located(err, "GET", url, 1, inference_api=True)
    except TextGenerationError as err:
        raise where.explain(err) from None
    return resp


def deployed_models(
    headers: dict[str, str] | None = None, *, timeout: float = 10
) -> list[DeployedModel]:
    """The text-generation models a live Inference Provider serves, from the Hub API's listing
    (every page of it); with ``HF_INFERENCE_ENDPOINT``, that endpoint's list, as in 0.7.0."""
    endpoint = _hub.legacy_endpoint()
    if endpoint:
        where = Where("legacy", endpoint)
        resp = _get(_hub.deployed_models_url(endpoint), headers, timeout, where)
        try:
            return _core.parse_deployed_models(resp)
        except TextGenerationError as err:
            raise where.explain(err) from None
    models: list[DeployedModel] = []
    url: str | None = _hub.listing_url()
    for _ in range(_MAX_PAGES):
        if url is None:
            break
        resp = _get(url, headers, timeout, Where.hub())
        models += _hub.parse_listing(_core.decode_json(resp.content, "the Hub's model listing"))
        url = resp.links.get("next", {}).get("url")
    return models


def _mappings(
    repo_id: str, headers: dict[str, str] | None, timeout: float, fetch: _Fetch = httpx.get
) -> list[_hub.ProviderMapping]:
    resp = _get(_hub.model_info_url(repo_id), headers, timeout, Where.hub(), fetch)
    where = f"the Hub's model info for {repo_id}"
    return _hub.parse_mapping(_core.decode_json(resp.content, where), where)


def check_model_support(
    repo_id: str, headers: dict[str, str] | None = None, *, timeout: float = 10
) -> bool:
    """Whether a live Inference Provider serves ``repo_id`` for text generation (Hub API); with
    ``HF_INFERENCE_ENDPOINT``, whether that endpoint's ``/status`` says so, as in 0.7.0."""
    endpoint = _hub.legacy_endpoint()
    if endpoint:
        return _legacy_support(endpoint, repo_id, headers, timeout, httpx.get)
    return any(m.serves_text for m in _mappings(repo_id, headers, timeout))


def _legacy_support(
    endpoint: str, repo_id: str, headers: dict[str, str] | None, timeout: float, fetch: _Fetch
) -> bool:
    where = Where("legacy", endpoint)
    status = _get(_hub.status_url(endpoint, repo_id), headers, timeout, where, fetch)
    try:
        return _core.parse_model_support(status)
    except TextGenerationError as err:
        raise where.explain(err) from None


def _resolve(
    repo_id: str,
    token: str | None,
    timeout: float,
    provider: str | None,
    router_url: str | None,
    fetch: _Fetch,
) -> tuple[_hub.Route, dict[str, str], Where]:
    """The route, the headers and where calls go (legacy ``HF_INFERENCE_ENDPOINT``, or router)."""
    headers = _hub.auth_headers(token)
    request_headers = {"user-agent": USER_AGENT, **headers}
    endpoint = _hub.legacy_endpoint()
    if endpoint and router_url is None and provider in (None, _hub.AUTO, _hub.HF_INFERENCE):
        if not _legacy_support(endpoint, repo_id, request_headers, timeout, fetch):
            raise NotSupportedError(repo_id)
        return _hub.legacy_route(endpoint, repo_id), headers, Where("legacy", endpoint)
    mappings = _mappings(repo_id, request_headers, timeout, fetch)
    router = (router_url or _hub.ROUTER_URL).rstrip("/")
    route = _hub.choose_route(repo_id, provider or _hub.AUTO, mappings, router)
    return route, headers, Where("router", router)


# -- the clients --------------------------------------------------------------------------------


class _Routed:
    """What both Inference API clients keep about their route."""

    repo_id: str
    provider: str
    _route: _hub.Route
    _where: Where

    def _open(
        self,
        repo_id: str,
        token: str | None,
        timeout: int,
        provider: str | None,
        router_url: str | None,
        options: dict[str, Any],
    ) -> None:
        """Resolve the route through the Hub API, then build the ``Client`` / ``AsyncClient``
        (next in the method order) on it with ``options``."""
        fetch = _fetcher(options["verify"], options["proxy"], options["http_client"])
        route, headers, self._where = _resolve(repo_id, token, timeout, provider, router_url, fetch)
        super().__init__(route.base_url, headers=headers, timeout=timeout, **options)  # type: ignore[call-arg]
        self.repo_id, self.provider, self._route = repo_id, route.provider, route
        self._chat_model: str = route.chat_model

    def _check(self, task_api: bool) -> None:
        if task_api and not self._route.task_api:
            raise ProviderNotSupportedError(
                self.repo_id,
                self.provider,
                "only chat() is served there (the text-generation task API is hf-inference's); "
                "use chat(), or provider='hf-inference'",
            )

    def _translate(self, err: TextGenerationError) -> TextGenerationError:
        return self._where.explain(err)


def _guard_sync(
    method: Callable[Concatenate[Any, _P], _T], *, task_api: bool = False
) -> Callable[Concatenate[Any, _P], _T]:
    """``method`` refusing a route without the task API, its errors naming the endpoint when it
    cannot be reached or is retired."""

    def iterate(self: _Routed, events: Iterator[Any]) -> Iterator[Any]:
        try:
            yield from events
        except TextGenerationError as err:
            raise self._translate(err) from None

    @functools.wraps(method)
    def wrapper(self: Any, /, *args: _P.args, **kwargs: _P.kwargs) -> _T:
        self._check(task_api)
        try:
            result = method(self, *args, **kwargs)
        except TextGenerationError as err:
            raise self._translate(err) from None
        return cast(_T, iterate(self, result)) if isinstance(result, Iterator) else result

    return wrapper


def _guard_async(
    method: Callable[Concatenate[Any, _P], _T], *, task_api: bool = False
) -> Callable[Concatenate[Any, _P], _T]:
    """The asyncio twin of ``_guard_sync`` (coroutines and async iterators)."""

    async def iterate(self: _Routed, events: AsyncIterator[Any]) -> AsyncIterator[Any]:
        try:
            async for event in events:
                yield event
        except TextGenerationError as err:
            raise self._translate(err) from None
        finally:  # leaving early closes the stream's response now, as AsyncClient's own does
            close = getattr(events, "aclose", None)
            if close is not None:
                await close()

    def finish(self: _Routed, result: Any) -> Any:
        return iterate(self, result) if isinstance(result, AsyncIterator) else result

    if inspect.iscoroutinefunction(method):

        @functools.wraps(method)
        async def coroutine(self: Any, /, *args: _P.args, **kwargs: _P.kwargs) -> Any:
            self._check(task_api)
            try:
                return finish(self, await method(self, *args, **kwargs))
            except TextGenerationError as err:
                raise self._translate(err) from None

        return cast(Callable[Concatenate[Any, _P], _T], coroutine)

    @functools.wraps(method)
    def plain(self: Any, /, *args: _P.args, **kwargs: _P.kwargs) -> _T:
        self._check(task_api)
        try:
            return cast(_T, finish(self, method(self, *args, **kwargs)))
        except TextGenerationError as err:
            raise self._translate(err) from None

    return plain


class InferenceAPIClient(_Routed, Client):
    """Client for a model served through the Hugging Face Inference Providers router.

    ``provider`` (keyword only) is a provider name or ``"auto"`` (the default): ``hf-inference``
    when it serves the model, else the router's own choice (then only ``chat`` is available).
    ``router_url`` replaces ``https://router.huggingface.co`` (a mirror, a mock). The constructor
    asks the Hub API (one blocking request, as in 0.7.0) and raises ``NotSupportedError`` when no
    live provider serves the model. ``max_retries``, ``verify``, ``proxy`` and ``http_client`` are
    ``Client``'s; the Hub API request honours ``verify`` and ``proxy`` too (and a sync
    ``http_client``).
    """

    def __init__(
        self,
        repo_id: str,
        token: str | None = None,
        timeout: int = 10,
        *,
        provider: str | None = None,
        router_url: str | None = None,
        max_retries: int = 2,
        verify: Any = True,
        proxy: Any = None,
        http_client: Any = None,
    ) -> None:
        self._open(
            repo_id,
            token,
            timeout,
            provider,
            router_url,
            {
                "max_retries": max_retries,
                "verify": verify,
                "proxy": proxy,
                "http_client": http_client,
            },
        )

    _compat_route = True
    generate = _guard_sync(Client.generate, task_api=True)
    generate_stream = _guard_sync(Client.generate_stream, task_api=True)
    chat = _guard_sync(Client.chat)


class InferenceAPIAsyncClient(_Routed, AsyncClient):
    """Asynchronous client for a model served through the Inference Providers router.

    Arguments as ``InferenceAPIClient``; the constructor's Hub API request blocks, as in 0.7.0.
    """

    def __init__(
        self,
        repo_id: str,
        token: str | None = None,
        timeout: int = 10,
        *,
        provider: str | None = None,
        router_url: str | None = None,
        max_retries: int = 2,
        verify: Any = True,
        proxy: Any = None,
        http_client: Any = None,
    ) -> None:
        self._open(
            repo_id,
            token,
            timeout,
            provider,
            router_url,
            {
                "max_retries": max_retries,
                "verify": verify,
                "proxy": proxy,
                "http_client": http_client,
            },
        )

    _compat_route = True
    generate = _guard_async(AsyncClient.generate, task_api=True)
    generate_stream = _guard_async(AsyncClient.generate_stream, task_api=True)
    chat = _guard_async(AsyncClient.chat)
