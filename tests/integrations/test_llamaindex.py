"""LlamaIndex's ``TextGenerationInference`` (llama-index-llms-text-generation-inference 0.3.2) on
our client: chat and complete, sync and async, streaming and not, with ``max_tokens`` and its
string ``seed``; its answers are the mock's plain-HTTP answers; errors come through."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from llama_index.core.base.llms.types import ChatMessage, MessageRole
from llama_index.llms.text_generation_inference import TextGenerationInference

from tests.integrations.conftest import plain_chat, plain_stream, sent
from text_generation import errors
from text_generation.types import ChatComplete

CHAT = "/v1/chat/completions"


def llm(url: str, **options: Any) -> TextGenerationInference:
    return TextGenerationInference(model_url=url, **options)


def messages(text: str) -> list[ChatMessage]:
    return [
        ChatMessage(role=MessageRole.SYSTEM, content="Be brief."),
        ChatMessage(role=MessageRole.USER, content=text),
    ]


def run(model: TextGenerationInference, mode: str, text: str) -> tuple[str, list[Any]]:
    """The text of one of LlamaIndex's ways of calling the client, and its raw answers."""
    if mode == "chat":
        r = model.chat(messages(text))
        return str(r.message.content), [r.raw]
    if mode == "complete":
        c = model.complete(text)
        return c.text, [c.raw]
    if mode == "achat":
        r = asyncio.run(model.achat(messages(text)))
        return str(r.message.content), [r.raw]
    if mode == "stream_chat":
        rs = list(model.stream_chat(messages(text)))
        return "".join(r.delta or "" for r in rs), [r.raw for r in rs]

    async def collect() -> list[Any]:
        return [r async for r in await model.astream_chat(messages(text))]

    rs = asyncio.run(collect())
    return "".join(r.delta or "" for r in rs), [r.raw for r in rs]


MODES = ["chat", "complete", "achat", "stream_chat", "astream_chat"]
STREAMED = ("stream_chat", "astream_chat")


def test_the_model_reads_the_mock_info(tgi_mock: Any) -> None:
    model = llm(tgi_mock.url)
    assert model.model_name == tgi_mock.config.model_id
    assert model.context_window == tgi_mock.config.max_total_tokens
    assert model.is_function_calling_model


@pytest.mark.parametrize("mode", MODES)
def test_answers_and_parameters_match_plain_http(tgi_mock: Any, mode: str) -> None:
    """LlamaIndex declares ``seed`` a string: our client sends it as 0.7.0 did, an integer."""
    model = llm(tgi_mock.url, max_tokens=6, seed="7", temperature=0.5)
    text, raws = run(model, mode, "Tell me a story")
    body = sent(tgi_mock.journal, CHAT)
    assert (body["seed"], body["max_tokens"], body["temperature"]) == (7, 6, 0.5)
    assert body["messages"][-1] == {"role": "user", "content": "Tell me a story"}
    if mode in STREAMED:
        chunks = plain_stream(tgi_mock.url, CHAT, body)
        assert text == "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks)
        assert all(type(r).__name__ == "ChatCompletionChunk" for r in raws)
    else:
        reference = plain_chat(tgi_mock.url, body)
        assert text == reference["choices"][0]["message"]["content"]
        raw = raws[0]  # LlamaIndex's raw=dict(response): the answer's fields
        assert list(raw) == list(ChatComplete.model_fields)
        assert raw["usage"] == reference["usage"]
        assert raw["choices"][0].finish_reason == reference["choices"][0]["finish_reason"]
    assert text


@pytest.mark.parametrize("mode", MODES)
def test_a_server_validation_error_comes_through(tgi_mock: Any, mode: str) -> None:
    tgi_mock.config.max_input_tokens = 3
    model = llm(tgi_mock.url)
    expected = errors.TextGenerationError if mode in STREAMED else errors.ValidationError
    with pytest.raises(expected, match="Input validation error") as err:
        run(model, mode, "Hello there, how are you doing today?")
    assert not isinstance(err.value, errors.ClientValidationError)
    assert err.value.status_code == 422  # in-band on a stream, with its http_status_code


@pytest.mark.parametrize("mode", MODES)
def test_a_client_validation_error_comes_through_before_sending(tgi_mock: Any, mode: str) -> None:
    model = llm(tgi_mock.url, seed="seven")
    with pytest.raises(errors.ClientValidationError, match="`seed`"):
        run(model, mode, "Hello")
    assert tgi_mock.journal.by_path(CHAT) == []


@pytest.mark.parametrize("mode", [m for m in MODES if m not in STREAMED])
def test_an_overload_comes_through(tgi_mock: Any, mode: str) -> None:
    """LlamaIndex builds its clients with our default retries: a lasting overload ends in
    ``OverloadedError``, a passing one is retried away."""
    with pytest.raises(errors.OverloadedError):
        run(llm(tgi_mock.url, max_tokens=4), mode, "Hello [[mock:overload;retry-after=0]]")
    assert len(tgi_mock.journal.by_path(CHAT)) == 3  # the call and two retries
    tgi_mock.faults.set("overload;retry-after=0;times=1")
    assert run(llm(tgi_mock.url, max_tokens=4), mode, "Hello")[0]


@pytest.mark.parametrize("mode", STREAMED)
def test_an_overload_in_a_chat_stream_comes_through(tgi_mock: Any, mode: str) -> None:
    """TGI reports it in-band, as ``{"error": {"message", "http_status_code": 422}}`` without a
    type: a typed error of ours with TGI's message (``UnknownError``, as 0.7.0 maps it)."""
    with pytest.raises(errors.TextGenerationError, match="Model is overloaded"):
        run(llm(tgi_mock.url, max_tokens=4), mode, "Hello [[mock:overload]]")


BROKEN = [
    ("drop-after=2", errors.StreamInterruptedError),
    ("no-final", errors.StreamInterruptedError),
    ("error-event-after=2", errors.TextGenerationError),  # in-band, untyped (see above)
]


@pytest.mark.parametrize("mode", STREAMED)
@pytest.mark.parametrize(("fault", "error"), BROKEN, ids=[f for f, _ in BROKEN])
def test_a_broken_stream_comes_through(
    tgi_mock: Any, mode: str, fault: str, error: type[Exception]
) -> None:
    model = llm(tgi_mock.url, max_tokens=6)
    with pytest.raises(error):
        run(model, mode, f"Tell me a story [[mock:{fault}]]")
