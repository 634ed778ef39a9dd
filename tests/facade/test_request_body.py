"""A generate body reused from an earlier call with the same parameters is the body a fresh build
gives, byte for byte, and a refused call is refused the same way every time."""

from __future__ import annotations

from typing import Any

import pytest

from text_generation import _core
from text_generation._json import dumps
from text_generation.errors import ClientValidationError
from text_generation.types import Grammar, GrammarType

DEFAULTS: dict[str, Any] = {
    "do_sample": False,
    "max_new_tokens": 20,
    "repetition_penalty": None,
    "frequency_penalty": None,
    "return_full_text": False,
    "seed": None,
    "stop_sequences": None,
    "temperature": None,
    "top_k": None,
    "top_p": None,
    "truncate": None,
    "typical_p": None,
    "watermark": False,
    "top_n_tokens": None,
    "grammar": None,
    "adapter_id": None,
}

CASES: list[dict[str, Any]] = [
    {},
    {"max_new_tokens": 5, "seed": 7, "stop_sequences": ["\n", "</s>"]},
    {"do_sample": True, "temperature": 0.5, "top_p": 0.9, "top_k": 3, "adapter_id": "a"},
    {"frequency_penalty": 0.0},
    {"frequency_penalty": -0.0},
    {"frequency_penalty": 1},  # an int where a float goes: sent as pydantic makes it
    {"seed": True},  # a bool where an int goes
    {"seed": "7"},  # lax coercion, as 0.7.0
    {"stop_sequences": ("a",)},
    {"grammar": Grammar(type=GrammarType.Regex, value="[ab]+")},
    {"temperature": float("inf")},
    {"temperature": float("nan")},
]

REFUSED: list[dict[str, Any]] = [
    {"temperature": 0.0},
    {"temperature": -1.0},
    {"top_p": 1.0},
    {"seed": -1},
    {"seed": "x"},
    {"stop_sequences": [1]},
    {"max_new_tokens": 1.5},
    {"not_a_parameter": 1},
]


def fresh(prompt: Any, *, stream: bool, compat: bool, **params: Any) -> dict[str, Any]:
    request = _core.build_request(prompt, stream=stream, **params)
    body: dict[str, Any] = _core.generate_route(request, stream=stream, compat=compat)[2]
    return body


def reused(prompt: Any, *, stream: bool, compat: bool, **params: Any) -> dict[str, Any]:
    """The body of a call, through the cache of bodies already built."""
    body: dict[str, Any] = _core.request_body(prompt, stream=stream, compat=compat, **params)[2]
    return body


@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize("compat", [False, True])
@pytest.mark.parametrize("case", CASES, ids=repr)
def test_reused_body_is_the_fresh_one(case: dict[str, Any], stream: bool, compat: bool) -> None:
    params = {**DEFAULTS, **case}
    for prompt in ("first prompt", "second", "first prompt"):
        got = reused(prompt, stream=stream, compat=compat, **params)
        want = fresh(prompt, stream=stream, compat=compat, **params)
        assert dumps(got) == dumps(want)


def test_signed_zeros_are_sent_as_given() -> None:
    bodies = [
        dumps(reused("p", stream=False, compat=False, **{**DEFAULTS, **case}))
        for case in ({"frequency_penalty": 0.0}, {"frequency_penalty": -0.0})
    ]
    assert b'"frequency_penalty":0.0' in bodies[0]
    assert b'"frequency_penalty":-0.0' in bodies[1]


@pytest.mark.parametrize("case", REFUSED, ids=repr)
def test_refused_every_time(case: dict[str, Any]) -> None:
    params = {**DEFAULTS, **case}
    with pytest.raises(ClientValidationError) as first:
        fresh("p", stream=False, compat=False, **params)
    for _ in range(2):
        with pytest.raises(ClientValidationError) as again:
            reused("p", stream=False, compat=False, **params)
        assert str(again.value) == str(first.value)


@pytest.mark.parametrize("prompt", ["", b"bytes", None])
def test_a_prompt_that_is_not_a_plain_string_is_judged_afresh(prompt: Any) -> None:
    reused("warm", stream=False, compat=False, **DEFAULTS)
    try:
        want: Any = fresh(prompt, stream=False, compat=False, **DEFAULTS)
    except ClientValidationError as exc:
        want = str(exc)
    try:
        got: Any = reused(prompt, stream=False, compat=False, **DEFAULTS)
    except ClientValidationError as exc:
        got = str(exc)
    assert got == want


def test_best_of_refused_when_streaming_even_after_a_plain_call() -> None:
    params = {**DEFAULTS, "do_sample": True, "best_of": 2}
    assert reused("p", stream=False, compat=False, **params)["parameters"]["best_of"] == 2
    with pytest.raises(ClientValidationError, match="best_of"):
        reused("p", stream=True, compat=False, **params)


def test_a_body_handed_out_is_not_the_one_kept() -> None:
    body = reused("p", stream=False, compat=False, **DEFAULTS)
    body["inputs"] = "changed"
    body["extra"] = 1
    again = reused("q", stream=False, compat=False, **DEFAULTS)
    assert again["inputs"] == "q"
    assert "extra" not in again
