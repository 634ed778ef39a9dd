"""The documented types are pydantic models that behave as text-generation 0.7.0's: keyword
construction with 0.7.0's defaults and validators, lax coercion, assignment, ``dict(model)``,
dumps, copies and equality. (Every field and default is checked in ``tests/compat``.)"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pydantic
import pytest
import respx

from tests.facade.twins import Twin
from tests.facade.wire import generate_answer, sse, stream_events
from text_generation import types
from text_generation.errors import ClientValidationError, ValidationError
from text_generation.types import (
    ChatComplete,
    Details,
    FinishReason,
    Grammar,
    GrammarType,
    InputToken,
    Message,
    Parameters,
    Request,
    Response,
    StreamResponse,
    Token,
)

CHAT_ANSWER = {
    "object": "chat.completion",
    "id": "",
    "created": 1,
    "model": "tgi",
    "system_fingerprint": "3.3.6-native",
    "choices": [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "Hi there"},
            "logprobs": None,
            "finish_reason": "length",
        }
    ],
    "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5},
}


def sent(route: respx.Route) -> Any:
    return json.loads(route.calls.last.request.content)


@pytest.mark.parametrize("name", sorted(types.__all__))
def test_every_documented_type_is_a_pydantic_model_or_str_enum(name: str) -> None:
    cls = getattr(types, name)
    if name in ("FinishReason", "GrammarType"):
        assert issubclass(cls, str)
    else:
        assert issubclass(cls, pydantic.BaseModel)


def test_answers_can_be_changed(tgi: respx.MockRouter, twin: Twin) -> None:
    """LangChain cuts a stop sequence off with ``response.generated_text = ...`` (issue item 1)."""
    tgi.post("/generate").respond(json=generate_answer(" a STOP b"))
    response = twin.call("generate", "p")
    response.generated_text = response.generated_text[: response.generated_text.index("STOP")]
    assert response.generated_text == " a "
    assert response.details is not None
    response.details.seed = 3
    assert response.details.seed == 3


def test_dict_of_an_answer_gives_its_fields(tgi: respx.MockRouter, twin: Twin) -> None:
    """LlamaIndex builds ``raw=dict(response)`` on every chat (issue item 2)."""
    tgi.post("/v1/chat/completions").respond(json=CHAT_ANSWER)
    response = twin.call("chat", [Message(role="user", content="Hello")])
    raw = dict(response)
    assert list(raw) == list(ChatComplete.model_fields)
    assert raw["id"] == ""
    assert raw["choices"][0].message.content == "Hi there"
    assert raw["usage"] == CHAT_ANSWER["usage"]


@pytest.mark.parametrize("seed", ["7", 7, 7.0])
def test_generate_coerces_a_seed_as_0_7_0_did(
    tgi: respx.MockRouter, twin: Twin, seed: object
) -> None:
    """``generate(seed="7")`` sends 7 (issue item 3)."""
    route = tgi.post("/generate").respond(json=generate_answer())
    twin.call("generate", "p", seed=seed, max_new_tokens="5", temperature="0.5")
    body = sent(route)["parameters"]
    assert (body["seed"], body["max_new_tokens"], body["temperature"]) == (7, 5, 0.5)


def test_generate_stream_coerces_too(tgi: respx.MockRouter, twin: Twin) -> None:
    route = tgi.post("/generate_stream").respond(
        content=sse(stream_events([" a"])), headers={"content-type": "text/event-stream"}
    )
    twin.collect(twin.call("generate_stream", "p", seed="7", stop_sequences=("x",)))
    assert sent(route)["parameters"]["seed"] == 7
    assert sent(route)["parameters"]["stop"] == ["x"]


@pytest.mark.parametrize("stream", [False, True])
def test_chat_coerces_a_seed_as_0_7_0_did(tgi: respx.MockRouter, twin: Twin, stream: bool) -> None:
    """LlamaIndex declares its seed a string: ``chat(seed="7")`` sends 7 (issue item 3)."""
    chunk = {**CHAT_ANSWER, "object": "chat.completion.chunk", "usage": None}
    chunk["choices"] = [{"index": 0, "delta": {"role": "assistant", "content": "Hi"}}]
    route = tgi.post("/v1/chat/completions").respond(
        content=sse([chunk, "[DONE]"]) if stream else json.dumps(CHAT_ANSWER).encode(),
        headers={"content-type": "text/event-stream" if stream else "application/json"},
    )
    answer = twin.call(
        "chat", [{"role": "user", "content": "Hi"}], seed="7", max_tokens="8", stream=stream
    )
    if stream:
        twin.collect(answer)
    body = sent(route)
    assert (body["seed"], body["max_tokens"]) == (7, 8)


@pytest.mark.parametrize(
    ("method", "kwargs", "where"),
    [
        ("generate", {"seed": "seven"}, "`seed`"),
        ("generate", {"temperature": "hot"}, "`temperature`"),
        ("generate", {"stop_sequences": "stop"}, "`stop`"),
        ("generate", {"grammar": {"type": "yaml", "value": "x"}}, "`grammar.type`"),
        ("chat", {"seed": "seven"}, "`seed`"),
        ("chat", {"messages": [{"role": "user", "text": "hi"}]}, "`messages.0.text`"),
    ],
)
def test_wrong_types_in_calls_raise_client_validation_errors(
    tgi: respx.MockRouter, twin: Twin, method: str, kwargs: dict[str, Any], where: str
) -> None:
    """A client method raises nothing outside our error tree: pydantic's refusal becomes a
    ``ClientValidationError`` naming the field, before anything is sent."""
    route = tgi.post(url__regex=".*").respond(json=generate_answer())
    args = ("p",) if method == "generate" else ()
    if method == "chat" and "messages" not in kwargs:
        kwargs = {"messages": [Message(role="user", content="hi")], **kwargs}
    with pytest.raises(ClientValidationError, match=where.replace(".", r"\.")) as err:
        twin.call(method, *args, **kwargs)
    assert not isinstance(err.value, pydantic.ValidationError)
    assert not route.called


def test_construction_coerces_like_pydantic() -> None:
    p = Parameters(seed="7", max_new_tokens=5.0, do_sample="true", stop=("a",))  # type: ignore[arg-type]
    assert (p.seed, p.max_new_tokens, p.do_sample, p.stop) == (7, 5, True, ["a"])
    r = Request(inputs="x", parameters={"max_new_tokens": 5})  # type: ignore[arg-type]
    assert r.parameters == Parameters(max_new_tokens=5)
    token = Token(id="1", text="a", special=False)  # type: ignore[arg-type]
    assert token.id == 1
    reason: Any = "length"
    details = Details(finish_reason=reason, generated_tokens=0, prefill=[], tokens=[])
    assert details.finish_reason is FinishReason.Length


def test_wrong_types_in_construction_raise_pydantic_errors_as_in_0_7_0() -> None:
    with pytest.raises(pydantic.ValidationError, match="seed"):
        Parameters(seed="seven")  # type: ignore[arg-type]
    with pytest.raises(pydantic.ValidationError, match="type"):
        Grammar(type="yaml", value="x")  # type: ignore[arg-type]
    with pytest.raises(pydantic.ValidationError, match="special"):
        Token(id=1, text="a", special="maybe")  # type: ignore[arg-type]


def test_request_types_refuse_unknown_keywords() -> None:
    """0.7.0 dropped a misspelt keyword silently; ours refuses it (nothing accepted and ignored)."""
    with pytest.raises(pydantic.ValidationError, match="max_tokens"):
        Parameters(max_tokens=5)  # type: ignore[call-arg]


def test_details_seed_defaults_to_none() -> None:
    """Issue item 5: ``seed`` may be left out, as in 0.7.0."""
    details = Details(finish_reason=FinishReason.Length, generated_tokens=0, prefill=[], tokens=[])
    assert details.seed is None
    reason: Any = "length"
    best = types.BestOfSequence(
        generated_text="", finish_reason=reason, generated_tokens=0, prefill=[], tokens=[]
    )
    assert best.seed is None


def test_an_empty_grammar_is_accepted_and_refused_in_parameters() -> None:
    """Issue item 5: ``Grammar`` takes an empty value; ``Parameters`` refuses it, as 0.7.0."""
    grammar = Grammar(type=GrammarType.Json, value="")
    assert grammar.value == ""
    with pytest.raises(ClientValidationError, match="`value` cannot be empty for `json` grammar"):
        Parameters(grammar=grammar)
    with pytest.raises(ClientValidationError, match="`value` cannot be empty for `regex` grammar"):
        Parameters(grammar={"type": "regex", "value": ""})  # type: ignore[arg-type]


def test_pydantic_behaviour_users_rely_on() -> None:
    token = Token(id=1, text="a", logprob=None, special=False)
    assert isinstance(token, pydantic.BaseModel)
    assert dict(token) == {"id": 1, "text": "a", "logprob": None, "special": False}
    assert token.model_dump() == dict(token)
    with pytest.warns(DeprecationWarning, match="deprecated"):
        assert token.dict() == token.model_dump()
    assert json.loads(token.model_dump_json()) == token.model_dump()
    with pytest.warns(DeprecationWarning, match="deprecated"):
        assert json.loads(token.json()) == token.model_dump()
    copy = token.model_copy(update={"text": "b"})
    assert (copy.text, token.text) == ("b", "a")
    assert token == Token(id=1, text="a", special=False)
    assert token != copy
    assert Token.model_validate({"id": 1, "text": "a", "special": False}) == token


def test_dumps_give_wire_values() -> None:
    params = Parameters(grammar=Grammar(type="regex", value="a+"))  # type: ignore[arg-type]
    assert params.model_dump()["grammar"] == {"type": "regex", "value": "a+"}
    assert json.loads(params.model_dump_json())["grammar"] == {"type": "regex", "value": "a+"}
    assert Message(role="user", content="hi").model_dump(exclude_none=True) == {
        "role": "user",
        "content": "hi",
    }
    event = StreamResponse(
        token=Token(id=1, text="a", special=False),
        details={"finish_reason": "eos_token", "generated_tokens": 1},  # type: ignore[arg-type]
    )
    assert json.loads(event.model_dump_json())["details"]["finish_reason"] == "eos_token"


def test_answers_from_the_wire_equal_the_same_built_by_hand(
    tgi: respx.MockRouter, twin: Twin
) -> None:
    tgi.post("/generate").respond(json=generate_answer(" x", n=1))
    built = Response(
        generated_text=" x",
        details=Details(
            finish_reason=FinishReason.Length,
            generated_tokens=1,
            prefill=[],
            tokens=[Token(id=0, text=" t0", logprob=-0.5, special=False)],
        ),
    )
    got = twin.call("generate", "p")
    assert got == built
    assert got.model_dump() == built.model_dump()
    assert InputToken(id=1, text="a") == InputToken(id=1, text="a", logprob=None)


@pytest.mark.parametrize(
    ("member", "wire"),
    [
        (FinishReason.Length, "length"),
        (FinishReason.EndOfSequenceToken, "eos_token"),
        (FinishReason.StopSequence, "stop_sequence"),
        (GrammarType.Json, "json"),
        (GrammarType.Regex, "regex"),
        (GrammarType.JsonSchema, "json_schema"),
    ],
)
def test_enums_equal_their_wire_strings(member: str, wire: str) -> None:
    assert member == wire
    assert isinstance(member, str)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Parameters(best_of=0), "`best_of` must be strictly positive"),
        (
            lambda: Parameters(best_of=2, seed=1, do_sample=True),
            "`seed` must not be set when `best_of` is > 1",
        ),
        (lambda: Parameters(best_of=2), "you must use sampling when `best_of` is > 1"),
        (
            lambda: Parameters(repetition_penalty=0),
            "`repetition_penalty` must be strictly positive",
        ),
        (
            lambda: Parameters(frequency_penalty=-2.1),
            "`frequency_penalty` must be >= -2.0 and <= 2.0",
        ),
        (lambda: Parameters(seed=-1), "`seed` must be positive"),
        (lambda: Parameters(temperature=0), "`temperature` must be strictly positive"),
        (lambda: Parameters(top_k=0), "`top_k` must be strictly positive"),
        (lambda: Parameters(top_p=1), "`top_p` must be > 0.0 and < 1.0"),
        (lambda: Parameters(truncate=0), "`truncate` must be strictly positive"),
        (lambda: Parameters(typical_p=0), "`typical_p` must be > 0.0 and < 1.0"),
        (lambda: Parameters(top_n_tokens=0), "`top_n_tokens` must be strictly positive"),
        (
            lambda: Parameters(grammar=Grammar(type=GrammarType.Regex, value="")),
            "`value` cannot be empty for `regex` grammar",
        ),
        (
            lambda: Parameters(grammar=Grammar(type=GrammarType.Json, value={})),
            "`value` cannot be empty for `json` grammar",
        ),
        (
            lambda: Parameters(grammar=Grammar(type=GrammarType.Regex, value={"a": 1})),
            "`value` must be a string for `regex` grammar",
        ),
        (
            lambda: Parameters(grammar=Grammar(type=GrammarType.JsonSchema, value={"a": 1})),
            "`value` must be an object with a `schema` object for `json_schema` grammar",
        ),
        (lambda: Request(inputs=""), "`inputs` cannot be empty"),
        (
            lambda: Request(
                inputs="x", stream=True, parameters=Parameters(best_of=2, do_sample=True)
            ),
            "`best_of` != 1 is not supported when `stream` == True",
        ),
    ],
)
def test_construction_validates_like_upstream(build: object, message: str) -> None:
    """0.7.0's validators raise its ``ValidationError`` (pydantic lets it through): ours raise
    ``ClientValidationError``, a subclass, with the same messages."""
    with pytest.raises(ValidationError, match=message.replace("(", r"\(")) as err:
        build()  # type: ignore[operator]
    assert isinstance(err.value, ClientValidationError)


def test_valid_parameters_are_accepted() -> None:
    p = Parameters(
        best_of=2,
        do_sample=True,
        frequency_penalty=0.0,
        top_p=0.5,
        grammar={"type": "json_object", "value": {"properties": {}}},  # type: ignore[arg-type]
    )
    assert p.grammar == Grammar(type=GrammarType.Json, value={"properties": {}})
    assert Parameters(max_new_tokens=None).max_new_tokens is None


def test_importing_the_clients_builds_no_model_schema() -> None:
    """The import floor of ``make bench`` (W5): the generated models are declared at import, and
    each builds its validator on first use (``defer_build``), not when the clients are imported."""
    code = (
        "import sys\n"
        "from text_generation import Client, AsyncClient, InferenceAPIClient\n"
        "from tgi_client import models\n"
        "built = [n for n in models.__all__ if getattr(getattr(models, n), "
        "'__pydantic_complete__', False)]\n"
        "assert built == [], built\n"
        "assert 'aiohttp' not in sys.modules and 'urllib3' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-P", "-c", code], check=True, timeout=60, cwd="/")
