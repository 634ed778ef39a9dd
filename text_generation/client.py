"""``Client``: the synchronous client, a thin I/O shell over the sans-I/O core.

One connection pool per client: the generated client's httpx client, on urllib3's pool
(``_transports.sync``), built once on first use even when many threads start together;
``close()`` or ``with Client(...) as client:`` releases it (a later call opens a new one). An
``http_client=`` of your own is used as given and never closed. Leaving a stream early closes
its response.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from typing import TYPE_CHECKING, Any

import httpx

from text_generation import _core
from text_generation._streams import ChatStream, TokenStream
from text_generation._transport import ClientBase, body_chunks, transport_error
from text_generation.errors import TextGenerationError

if TYPE_CHECKING:  # the pydantic types load on the first call, not on import
    from text_generation._chat_types import ChatComplete, ChatCompletionChunk, Message, Tool
    from text_generation._params import Grammar
    from tgi_client.models import Info, Response, SimpleToken, StreamResponse

_R = TokenStream | ChatStream


def _pool_class() -> type[httpx.Client]:
    """The httpx client our pools are, imported on first use (urllib3 costs import time)."""
    from text_generation._transports.sync import TGIHttpxClient

    return TGIHttpxClient


class Client(ClientBase):
    """Client to make calls to a text-generation-inference instance.

    >>> client = Client("http://127.0.0.1:8080")
    >>> client.generate("Why is the sky blue?").generated_text
    ' Rayleigh scattering'
    """

    _httpx_type = httpx.Client
    _pool: httpx.Client | None = None

    # -- plumbing --------------------------------------------------------------------------

    @property
    def _http(self) -> httpx.Client:
        pool = self._pool
        if pool is None:
            with self._lock:  # one pool, however many threads make their first call at once
                pool = self._pool
                if pool is None:
                    pool = self._pool = _pool_class()(**self._pool_options())
                    self._api.set_httpx_client(pool)
        return pool

    def _set_generated_client(self, http: httpx.Client) -> None:
        self._pool = http
        self._api.set_httpx_client(http)

    def close(self) -> None:
        """Close the connection pool (not an ``http_client`` you passed in)."""
        if self._user_http is not None:
            return
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _send(self, call: _core.Route) -> httpx.Response:
        method, path, body = call
        url = self._url(path)
        attempt = 0
        while True:
            try:
                return self._send_once(method, url, body)
            except TextGenerationError as err:
                delay = self._retrying(err, url, attempt)
                if delay is None:
                    raise self._give_up(err, method, url, attempt + 1) from None
            time.sleep(delay)
            attempt += 1

    def _send_once(self, method: str, url: httpx.URL, body: Any) -> httpx.Response:
        http = self._http
        try:
            resp = http.send(self._build_request(http, method, url, body))
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

    @contextmanager
    def _stream(self, method: str, url: httpx.URL, body: Any) -> Iterator[httpx.Response]:
        http = self._http
        try:
            request = self._build_request(http, method, url, body)
            with closing(http.send(request, stream=True)) as resp:
                if _core.stream_failed(resp.status_code, resp.headers.get("content-type")):
                    resp.read()
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

    def generate(
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
        resp = self._send(call)
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
    ) -> Iterator[StreamResponse]:
        """Stream the tokens following ``prompt``; the last event carries the full text."""
        call = _core.request_body(
            prompt, stream=True, compat=self._compat_route, **_core.call_args(locals())
        )
        return self._events(call, TokenStream)

    def _events(self, call: _core.Route, new_reader: type[_R]) -> Iterator[Any]:
        method, path, body = call
        url = self._url(path)
        attempt = 0
        while True:
            reader = new_reader()
            try:
                with self._stream(method, url, body) as resp:
                    try:
                        for chunk in body_chunks(resp):
                            yield from reader.feed(chunk)
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
            time.sleep(delay)
            attempt += 1

    def chat(
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
    ) -> ChatComplete | Iterator[ChatCompletionChunk]:
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
            return _core.parse_chat(self._send(call))
        return self._events(call, ChatStream)

    # -- server information ----------------------------------------------------------------

    def info(self) -> Info:
        """The server's ``/info``: model, limits and version."""
        return _core.parse_info(self._send(_core.INFO))

    def health(self) -> bool:
        """True when ``/health`` answers 200; False on 503; other failures raise."""
        try:
            self._send(_core.HEALTH)
        except TextGenerationError as err:
            if err.status_code == 503:
                return False
            raise
        return True

    def tokenize(self, prompt: str) -> list[SimpleToken]:
        """How the server tokenizes ``prompt`` (``start``/``stop`` are byte offsets)."""
        return _core.parse_tokenize(self._send(_core.tokenize_route(prompt)))


from text_generation._async_client import AsyncClient  # noqa: E402  (0.7.0 exported both here)

__all__ = ["AsyncClient", "Client"]
