"""The documented types: 0.7.0's names and fields, frozen, validated like 0.7.0 on construction."""

from __future__ import annotations

import attrs
import pytest

from text_generation import types
from text_generation.errors import ClientValidationError, ValidationError
from text_generation.types import (
    FinishReason,
    Grammar,
    GrammarType,
    Message,
    Parameters,
    Request,
    Response,
    Token,
)

# Every public type of text-generation 0.7.0 and its fields.
UPSTREAM_FIELDS = {
    "Grammar": ["type", "value"],
    "ToolCall": ["id", "type", "function"],
    "Message": ["role", "content", "name", "tool_calls"],
    "Tool": ["type", "function"],
    "ChatCompletionComplete": ["index", "message", "logprobs", "finish_reason", "usage"],
    "Function": ["name", "arguments"],
    "ChoiceDeltaToolCall": ["index", "id", "type", "function"],
    "ChoiceDelta": ["role", "content", "tool_calls"],
    "Choice": ["index", "delta", "logprobs", "finish_reason"],
    "ChatCompletionChunk": ["id", "object", "created", "model", "system_fingerprint", "choices"],
    "ChatComplete": ["id", "object", "created", "model", "system_fingerprint", "choices", "usage"],
    "ChatRequest": [
        "model",
        "messages",
        "repetition_penalty",
        "frequency_penalty",
        "logit_bias",
        "logprobs",
        "top_logprobs",
        "max_tokens",
        "n",
        "presence_penalty",
        "stream",
        "seed",
        "temperature",
        "top_p",
        "tools",
        "tool_choice",
    ],
    "Parameters": [
        "do_sample",
        "max_new_tokens",
        "repetition_penalty",
        "frequency_penalty",
        "return_full_text",
        "stop",
        "seed",
        "temperature",
        "top_k",
        "top_p",
        "truncate",
        "typical_p",
        "best_of",
        "watermark",
        "details",
        "decoder_input_details",
        "top_n_tokens",
        "grammar",
    ],
    "Request": ["inputs", "parameters", "stream"],
    "InputToken": ["id", "text", "logprob"],
    "Token": ["id", "text", "logprob", "special"],
    "BestOfSequence": [
        "generated_text",
        "finish_reason",
        "generated_tokens",
        "seed",
        "prefill",
        "tokens",
        "top_tokens",
    ],
    "Details": [
        "finish_reason",
        "generated_tokens",
        "seed",
        "prefill",
        "tokens",
        "top_tokens",
        "best_of_sequences",
    ],
    "Response": ["generated_text", "details"],
    "StreamDetails": ["finish_reason", "generated_tokens", "seed"],
    "StreamResponse": ["token", "top_tokens", "generated_text", "details"],
    "DeployedModel": ["model_id", "sha"],
}


@pytest.mark.parametrize("name", sorted(UPSTREAM_FIELDS))
def test_upstream_types_keep_their_fields_and_are_frozen(name: str) -> None:
    cls = getattr(types, name)
    assert attrs.has(cls)
    names = [f.name for f in attrs.fields(cls)]
    assert set(UPSTREAM_FIELDS[name]) <= set(names)
    assert cls.__attrs_attrs__ is not None
    assert getattr(cls, "__setattr__") is not object.__setattr__  # noqa: B009 - frozen


def test_instances_cannot_be_changed() -> None:
    response = Response(generated_text="x")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        response.generated_text = "y"  # type: ignore[misc]


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


def test_model_dump_gives_plain_values() -> None:
    token = Token(id=1, text="a", logprob=None, special=False)
    assert token.model_dump() == {"id": 1, "text": "a", "logprob": None, "special": False}
    assert token.dict() == token.model_dump()
    params = Parameters(grammar=Grammar(type="regex", value="a+"))
    dumped = params.model_dump()
    assert dumped["grammar"] == {"type": "regex", "value": "a+"}
    assert Message(role="user", content="hi").model_dump(exclude_none=True) == {
        "role": "user",
        "content": "hi",
    }


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
        (lambda: Grammar(type=GrammarType.Regex, value=""), "`value` cannot be empty for `regex`"),
        (lambda: Grammar(type=GrammarType.Json, value={}), "`value` cannot be empty for `json`"),
        (lambda: Grammar(type="yaml", value="x"), "`grammar.type` must be one of"),
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
    with pytest.raises(ValidationError, match=message.replace("(", r"\(")) as err:
        build()  # type: ignore[operator]
    assert isinstance(err.value, ClientValidationError)


def test_valid_parameters_are_accepted() -> None:
    p = Parameters(
        best_of=2,
        do_sample=True,
        frequency_penalty=0.0,
        top_p=0.5,
        grammar={"type": "json_object", "value": {"properties": {}}},
    )
    assert p.grammar == Grammar(type=GrammarType.Json, value={"properties": {}})
    assert Request(inputs="x", parameters={"max_new_tokens": 5}).parameters == Parameters(
        max_new_tokens=5
    )
