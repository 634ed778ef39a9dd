"""LangChain's ``HuggingFaceTextGenInference`` (langchain-community 0.4.2) on our client: sync
and async, streaming and not, with stop sequences, ``max_new_tokens`` and seeds; its answers are
the mock's plain-HTTP answers, cut at the stop sequence as LangChain does; errors come through."""

from __future__ import annotations

import asyncio
import warnings
from typing import Any

import pytest

from tests.integrations.conftest import plain_generate, plain_stream, sent
from text_generation import errors

with warnings.catch_warnings():  # langchain-community announces its sunset on import
    warnings.simplefilter("ignore", DeprecationWarning)
    from langchain_community.llms import HuggingFaceTextGenInference

PROMPT = "Count for me"
COMPLETION = " one two three four five six seven eight"


def llm(url: str, **options: Any) -> HuggingFaceTextGenInference:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # LangChain deprecates the class in favour of another
        return HuggingFaceTextGenInference(inference_server_url=url, **options)


@pytest.fixture
def mock(tgi_mock: Any) -> Any:
    tgi_mock.scripted[PROMPT] = COMPLETION
    return tgi_mock


def answer(model: HuggingFaceTextGenInference, mode: str, prompt: str, **kwargs: Any) -> str:
    """The text LangChain returns in one of its four ways of calling the client."""
    if mode == "invoke":
        return str(model.invoke(prompt, **kwargs))
    if mode == "ainvoke":
        return str(asyncio.run(model.ainvoke(prompt, **kwargs)))
    if mode == "stream":
        return "".join(model.stream(prompt, **kwargs))

    async def collect() -> str:
        return "".join([chunk async for chunk in model.astream(prompt, **kwargs)])

    return asyncio.run(collect())


MODES = ["invoke", "ainvoke", "stream", "astream"]


@pytest.mark.parametrize("mode", MODES)
def test_stop_sequence_is_cut_off_and_parameters_are_sent(mock: Any, mode: str) -> None:
    model = llm(mock.url, max_new_tokens=6, stop_sequences=[" five"], streaming=False)
    text = answer(model, mode, PROMPT, stop=[" four"])
    path = "/generate_stream" if mode in ("stream", "astream") else "/generate"
    body = sent(mock.journal, path)
    params = body["parameters"]
    assert params["max_new_tokens"] == 6
    assert params["stop"] == [" five", " four"]
    assert (params["top_p"], params["typical_p"], params["temperature"]) == (0.95, 0.95, 0.8)
    if path == "/generate":
        reference = plain_generate(mock.url, body)["generated_text"]
    else:
        reference = "".join(e["token"]["text"] for e in plain_stream(mock.url, path, body))
    assert reference == " one two three four"  # the server stops on and includes " four"
    assert text == " one two three"  # LangChain cuts it off (assignment to generated_text)


@pytest.mark.parametrize("mode", MODES)
def test_seeded_sampling_matches_plain_http(tgi_mock: Any, mode: str) -> None:
    model = llm(tgi_mock.url, max_new_tokens=5, seed=7, do_sample=True)
    text = answer(model, mode, "Tell me a story")
    path = "/generate_stream" if mode in ("stream", "astream") else "/generate"
    body = sent(tgi_mock.journal, path)
    assert (body["parameters"]["seed"], body["parameters"]["do_sample"]) == (7, True)
    if path == "/generate":
        assert text == plain_generate(tgi_mock.url, body)["generated_text"]
    else:
        events = plain_stream(tgi_mock.url, path, body)
        assert text == "".join(e["token"]["text"] for e in events if not e["token"]["special"])
        assert events[-1]["details"]["seed"] == 7
    assert text


@pytest.mark.parametrize("streaming", [False, True])
def test_the_streaming_option_gives_the_same_text(mock: Any, streaming: bool) -> None:
    model = llm(mock.url, max_new_tokens=8, streaming=streaming)
    assert model.invoke(PROMPT) == COMPLETION
    assert asyncio.run(model.ainvoke(PROMPT)) == COMPLETION


@pytest.mark.parametrize("mode", MODES)
def test_a_server_validation_error_comes_through(tgi_mock: Any, mode: str) -> None:
    tgi_mock.config.max_stop_sequences = 2
    with pytest.raises(errors.ValidationError) as err:
        answer(llm(tgi_mock.url), mode, "Hello", stop=["a", "b", "c"])
    assert not isinstance(err.value, errors.ClientValidationError)
    assert err.value.status_code in (200, 422)  # in-band on a stream, as TGI
    assert "stop" in str(err.value)


@pytest.mark.parametrize("mode", MODES)
def test_a_client_validation_error_comes_through_before_sending(tgi_mock: Any, mode: str) -> None:
    model = llm(tgi_mock.url, top_k=0)
    with pytest.raises(errors.ClientValidationError, match="`top_k` must be strictly positive"):
        answer(model, mode, "Hello")
    assert len(tgi_mock.journal) == 0


@pytest.mark.parametrize("mode", MODES)
def test_an_overload_comes_through(tgi_mock: Any, mode: str) -> None:
    model = llm(tgi_mock.url, server_kwargs={"max_retries": 0})
    with pytest.raises(errors.OverloadedError):
        answer(model, mode, "Hello [[mock:overload]]")


@pytest.mark.parametrize("mode", MODES)
def test_an_overload_is_retried_by_our_client(mock: Any, mode: str) -> None:
    mock.faults.set("overload;retry-after=0;times=1")
    assert answer(llm(mock.url, max_new_tokens=8), mode, PROMPT) == COMPLETION


BROKEN = [
    ("drop-after=2", errors.StreamInterruptedError),
    ("no-final", errors.StreamInterruptedError),
    ("error-event-after=2", errors.GenerationError),
]


@pytest.mark.parametrize("mode", ["stream", "astream"])
@pytest.mark.parametrize(("fault", "error"), BROKEN, ids=[f for f, _ in BROKEN])
def test_a_broken_stream_comes_through_after_its_tokens(
    mock: Any, mode: str, fault: str, error: type[Exception]
) -> None:
    model = llm(mock.url, max_new_tokens=8)
    prompt = f"{PROMPT}[[mock:{fault}]]"
    got: list[str] = []

    async def acollect() -> None:
        async for chunk in model.astream(prompt):
            got.append(chunk)

    def collect() -> None:
        if mode == "stream":
            got.extend(model.stream(prompt))
        else:
            asyncio.run(acollect())

    with pytest.raises(error):
        collect()
    expected = COMPLETION.split(" ")[1:]
    assert got == [f" {w}" for w in expected[: len(got)]]
    assert len(got) == (7 if fault == "no-final" else 2)  # no-final: the 8th event is left out
