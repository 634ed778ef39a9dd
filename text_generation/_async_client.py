"""``AsyncClient``: the asyncio twin of ``Client``, a thin I/O shell over the same core.

Connection pools on aiohttp (``_transports.aio``), one per event loop that uses the client: a
pool belongs to its loop, so ``asyncio.run(client.generate(...))`` may run again and again, and
several loops may share one client. A pool is closed with its loop (when the loop shuts down its
async generators, as ``asyncio.run`` does) or by ``await client.aclose()`` / ``async with``. An
``http_client=`` of your own is used as given and never closed. Leaving a stream early (break,
exception, task cancellation) closes its response.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import aclosing, asynccontextmanager
from typing import TYPE_CHECKING, Any

import httpx

from text_generation import _core
from text_generation._streams import ChatStream, TokenStream
from text_generation._transport import ClientBase, abody_chunks, transport_error
from text_generation.errors import TextGenerationError

if TYPE_CHECKING:  # the pydantic types load on the first call, not on import
    from text_generation._chat_types import ChatComplete, ChatCompletionChunk, Message, Tool
    from text_generation._params import Grammar
    from tgi_client.models import Info, Response, SimpleToken, StreamResponse

_R = TokenStream | ChatStream


def _pool_class() -> type[httpx.AsyncClient]:
    """The httpx client our pools are, imported on first use (aiohttp costs import time)."""
    from text_generation._transports.aio import TGIAsyncHttpxClient

    return TGIAsyncHttpxClient


class AsyncClient(ClientBase):
    """Asynchronous client to make calls to a text-generation-inference instance.

    >>> client = AsyncClient("http://127.0.0.1:8080")
    >>> (await client.generate("Why is the sky blue?")).generated_text
    ' Rayleigh scattering'
    """

    _httpx_type = httpx.AsyncClient
    _given: httpx.AsyncClient | None = None

    # -- plumbing --------------------------------------------------------------------------

    def _set_generated_client(self, http: httpx.AsyncClient) -> None:
        self._given = http
        self._api.set_async_httpx_client(http)

    @property
    def _loop_pools(self) -> dict[asyncio.AbstractEventLoop, _LoopPool]:
        pools: dict[asyncio.AbstractEventLoop, _LoopPool] | None = self.__dict__.get("_pools")
        if pools is None:
            pools = self.__dict__["_pools"] = {}
        return pools

    async def _http(self) -> httpx.AsyncClient:
        """The pool of the running loop, built on its first call in that loop."""
        if self._given is not None:
            return self._given
        loop = asyncio.get_running_loop()
        with self._lock:
            entry = self._loop_pools.get(loop)
            if entry is None:
                for old in [lp for lp in self._loop_pools if lp.is_closed()]:
                    del self._loop_pools[old]  # its loop ended without shutting it down
                entry = self._loop_pools[loop] = _LoopPool(_pool_class()(**self._pool_options()))
                self._api.set_async_httpx_client(entry.client)
                fresh = True
            else:
                fresh = False
        if fresh:
            await entry.watch(self._loop_pools, loop)
        return entry.client

    async def aclose(self) -> None:
        """Close the running loop's connection pool (not an ``http_client`` you passed in)."""
        if self._given is not None:
            return
        with self._lock:
            entry = self._loop_pools.pop(asyncio.get_running_loop(), None)
        if entry is not None:
            await entry.close()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def _send(self, call: _core.Route) -> httpx.Response:
        method, path, body = call
        url = self._url(path)
        attempt = 0
        while True:
            try:
                return await self._send_once(method, url, body)
            except TextGenerationError as err:
                delay = self._retrying(err, url, attempt)
                if delay is None:
                    raise self._give_up(err, method, url, attempt + 1) from None
            await asyncio.sleep(delay)
            attempt += 1

    async def _send_once(self, method: str, url: httpx.URL, body: Any) -> httpx.Response:
        http = await self._http()
        try:
            resp = await http.send(self._build_request(http, method, url, body))
        except httpx.HTTPError as exc:
            raise transport_error(exc) from None
        if resp.status_code >= 400:
            raise _core.error_from_response(
                resp.status_code,
                resp.headers.get("content-type"),
                resp.content,
                resp.headers.get("retry-after"),
            )
        return resp

    @asynccontextmanager
    async def _stream(
        self, method: str, url: httpx.URL, body: Any
    ) -> AsyncIterator[httpx.Response]:
        http = await self._http()
        try:
            request = self._build_request(http, method, url, body)
            async with aclosing(await http.send(request, stream=True)) as resp:
                if _core.stream_failed(resp.status_code, resp.headers.get("content-type")):
                    await resp.aread()
                    raise _core.stream_start_error(
                        resp.status_code,
                        resp.headers.get("content-type"),
                        resp.content,
                        resp.headers.get("retry-after"),
                    )
                yield resp
        except httpx.HTTPError as exc:
            raise transport_error(exc) from None

    # -- text generation -------------------------------------------------------------------

    async def generate(
        self,
        prompt: str,
        do_sample: bool = False,
        max_new_tokens: int | None = 20,
        best_of: int | None = None,
        repetition_penalty: float | None = None,
        frequency_penalty: float | None = None,
        return_full_text: bool = False,
        seed: int | None = None,
        stop_sequences: list[str] | None = None,
        temperature: float | None = None,
        top_k: int | None = None,
        top_p: float | None = None,
        truncate: int | None = None,
        typical_p: float | None = None,
        watermark: bool = False,
        decoder_input_details: bool = False,
        top_n_tokens: int | None = None,
        grammar: Grammar | None = None,
        *,
        adapter_id: str | None = None,
    ) -> Response:
        """Generate the text following ``prompt``; parameters as in text-generation 0.7.0."""
        call = _core.request_body(
            prompt, stream=False, compat=self._compat_route, **_core.call_args(locals())
        )
        resp = await self._send(call)
        return _core.parse_generate(resp, compat=self._compat_route)

    def generate_stream(
        self,
        prompt: str,
        do_sample: bool = False,
        max_new_tokens: int | None = 20,
        repetition_penalty: float | None = None,
        frequency_penalty: float | None = None,
        return_full_text: bool = False,
        seed: int | None = None,
        stop_sequences: list[str] | None = None,
        temperature: float | None = None,
        top_k: int | None = None,
        top_p: float | None = None,
        truncate: int | None = None,
        typical_p: float | None = None,
        watermark: bool = False,
        top_n_tokens: int | None = None,
        grammar: Grammar | None = None,
        *,
        adapter_id: str | None = None,
    ) -> AsyncIterator[StreamResponse]:
        """Stream the tokens following ``prompt``; the last event carries the full text."""
        call = _core.request_body(
            prompt, stream=True, compat=self._compat_route, **_core.call_args(locals())
        )
        return self._events(call, TokenStream)

    async def _events(self, call: _core.Route, new_reader: type[_R]) -> AsyncIterator[Any]:
        method, path, body = call
        url = self._url(path)
        attempt = 0
        while True:
            reader = new_reader()
            try:
                async with self._stream(method, url, body) as resp:
                    try:
                        async for chunk in abody_chunks(resp):
                            for event in reader.feed(chunk):
                                yield event
                            if reader.done:
                                break
                    except httpx.HTTPError as exc:
                        raise transport_error(exc, reader) from None
                reader.end()
                return
            except TextGenerationError as err:
                delay = None if reader.started else self._retrying(err, url, attempt)
                if delay is None:
                    raise self._give_up(err, method, url, attempt + 1) from None
            await asyncio.sleep(delay)
            attempt += 1

    async def chat(
        self,
        messages: list[Message],
        repetition_penalty: float | None = None,
        frequency_penalty: float | None = None,
        logit_bias: list[float] | None = None,
        logprobs: bool | None = None,
        top_logprobs: int | None = None,
        max_tokens: int | None = None,
        n: int | None = None,
        presence_penalty: float | None = None,
        stream: bool = False,
        seed: int | None = None,
        temperature: float | None = None,
        top_p: float | None = None,
        tools: list[Tool | dict[str, Any]] | None = None,
        tool_choice: str | dict[str, Any] | None = None,
        *,
        tool_prompt: str | None = None,
        response_format: Grammar | dict[str, Any] | None = None,
        stop: str | list[str] | None = None,
    ) -> ChatComplete | AsyncIterator[ChatCompletionChunk]:
        """Chat completion on ``/v1/chat/completions``; an iterator of chunks with ``stream``.

        ``tools``: 0.7.0's ``Tool`` or OpenAI-format dicts (the JSON Schema under
        ``parameters`` or ``arguments``); ``tool_choice``: "auto", "none", "required", a
        function's name or ``{"type": "function", "function": {"name": ...}}``;
        ``tool_prompt``: TGI's text put before the tools; ``response_format``: a ``Grammar``,
        ``{"type": "json"|"json_object"|"regex"|"json_schema", "value": ...}`` or OpenAI's
        ``{"type": "json_schema", "json_schema": {...}}``; ``stop``: stop sequences. The
        answer's tool calls: ``message.tool_calls[i].name`` / ``.arguments`` (parsed);
        ``text_generation.chat_stream.accumulate`` joins a stream into the final message.
        """
        request = _core.chat_request(model=self._chat_model, **_core.call_args(locals()))
        call = _core.chat_route(request)
        if not stream:
            return _core.parse_chat(await self._send(call))
        return self._events(call, ChatStream)

    # -- server information ----------------------------------------------------------------

    async def info(self) -> Info:
        """The server's ``/info``: model, limits and version."""
        return _core.parse_info(await self._send(_core.INFO))

    async def health(self) -> bool:
        """True when ``/health`` answers 200; False on 503; other failures raise."""
        try:
            await self._send(_core.HEALTH)
        except TextGenerationError as err:
            if err.status_code == 503:
                return False
            raise
        return True

    async def tokenize(self, prompt: str) -> list[SimpleToken]:
        """How the server tokenizes ``prompt`` (``start``/``stop`` are byte offsets)."""
        resp = await self._send(_core.tokenize_route(prompt))
        return _core.parse_tokenize(resp)


class _LoopPool:
    """One event loop's pool, and the async generator that closes it when that loop shuts down
    its async generators (``asyncio.run`` does, before closing the loop)."""

    __slots__ = ("_guard", "client")

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self._guard: AsyncGenerator[None, None] | None = None

    async def watch(
        self, pools: dict[asyncio.AbstractEventLoop, _LoopPool], loop: asyncio.AbstractEventLoop
    ) -> None:
        async def guard() -> AsyncGenerator[None, None]:
            try:
                yield
            finally:
                if pools.get(loop) is self:
                    del pools[loop]
                await self.client.aclose()

        self._guard = guard()
        await anext(self._guard)  # the loop now holds it among its async generators

    async def close(self) -> None:
        guard = self._guard
        if guard is not None:
            await guard.aclose()
        else:
            await self.client.aclose()
