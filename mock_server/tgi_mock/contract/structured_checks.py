"""
Behaviour checks of structured output and tool calling.

- `grammar-json`: `/generate` with a JSON-schema grammar answers JSON valid for the schema.
- `grammar-regex`: `/generate` with a regex grammar answers text the regex matches in full (its
  matches are short, so a cut answer fails too).
- `tool-call-forced`: `/v1/chat/completions` with `tool_choice` naming a function answers a call
  of that function (content null) whose arguments (a JSON string, or an object on TGI 2.x) are
  valid for its `parameters`.
- `tools-with-response-format`: `tools` and `response_format` together are a 422 `tool_error`.

A server started with `--disable-grammar-support` (422 `grammar is not supported`), a model without
a chat template, or a generation cut by `max_new_tokens` makes a check skip, with the reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from jsonschema.exceptions import best_match  # type: ignore[import-untyped]

from tgi_mock.contract.context import PROMPT, Context
from tgi_mock.contract.outcome import expect, fail, skip
from tgi_mock.contract.wire import Exchange

__all__ = ["STRUCTURED_CHECKS", "skip_if_refused"]

PERSON = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 2},
        "age": {"type": "integer", "minimum": 0, "maximum": 150},
        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
    },
    "required": ["name", "age", "unit"],
    "additionalProperties": False,
}
REGEX = r"[0-9]{3}-[a-z]{2}"
WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the current weather in a city",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            },
            "required": ["city", "unit"],
            "additionalProperties": False,
        },
    },
}


def _grammar_answer(
    ctx: Context, grammar: dict[str, Any], max_new_tokens: int, *, may_be_cut: bool = True
) -> str:
    body = {
        "inputs": PROMPT,
        "parameters": {"max_new_tokens": max_new_tokens, "details": True, "grammar": grammar},
    }
    answer = ctx.target.post("/generate", body)
    skip_if_refused(answer)
    data = answer.expect_json()
    expect(isinstance(data, dict), f"POST /generate: not a JSON object: {data!r}")
    details = data.get("details") if isinstance(data.get("details"), dict) else {}
    if may_be_cut and details.get("finish_reason") == "length":
        skip(
            f"generation was cut by max_new_tokens={max_new_tokens}: {data.get('generated_text')!r}"
        )
    text = data.get("generated_text")
    expect(isinstance(text, str), f"POST /generate: no generated_text: {data!r}")
    return str(text)


def skip_if_refused(answer: Exchange) -> None:
    """Skip (with the reason) when the server refuses grammars or has no chat template."""
    if answer.status != 422 or answer.is_sse:
        return
    try:
        error = answer.json()
    except Exception:
        return
    message = str(error.get("error", "")) if isinstance(error, dict) else ""
    if "grammar is not supported" in message:
        skip("the server refuses grammars (--disable-grammar-support)")
    if isinstance(error, dict) and error.get("error_type") == "template_error":
        skip(f"the model has no chat template: {message}")


def _invalid(schema: dict[str, Any], value: Any) -> str | None:
    error = best_match(Draft202012Validator(schema).iter_errors(value))
    return None if error is None else f"`{error.validator}` at {error.json_path}: {error.message}"


def grammar_json(ctx: Context) -> None:
    """A JSON-schema grammar gives JSON valid for the schema."""
    text = _grammar_answer(ctx, {"type": "json", "value": PERSON}, 120)
    try:
        value = json.loads(text)
    except ValueError:
        fail(f"a JSON grammar gave text that is not JSON: {text!r}")
    problem = _invalid(PERSON, value)
    expect(problem is None, f"a JSON grammar gave JSON the schema refuses ({problem}): {text!r}")


def grammar_regex(ctx: Context) -> None:
    """A regex grammar gives text matched in full."""
    # At most 6 characters: a server honouring the grammar ends well within 16 tokens.
    text = _grammar_answer(ctx, {"type": "regex", "value": REGEX}, 16, may_be_cut=False)
    expect(
        re.fullmatch(REGEX, text) is not None,
        f"the regex grammar {REGEX!r} does not match the whole text {text!r}",
    )


def _chat(ctx: Context, **extra: Any) -> Exchange:
    body = {
        "model": "tgi",
        "messages": [{"role": "user", "content": "What is the weather like in Paris?"}],
        "max_tokens": 100,
        "temperature": 0.0,
        **extra,
    }
    return ctx.target.post("/v1/chat/completions", body)


def _arguments(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            fail(f"the tool call's arguments string is not JSON: {value!r}")
    return value


def tool_call_forced(ctx: Context) -> None:
    """`tool_choice` naming a function forces a call with valid arguments."""
    choice = {"type": "function", "function": {"name": "get_weather"}}
    answer = _chat(ctx, tools=[WEATHER_TOOL], tool_choice=choice)
    skip_if_refused(answer)
    data = answer.expect_json()
    try:
        choice0 = data["choices"][0]
        message = choice0["message"]
    except (KeyError, IndexError, TypeError):
        fail(f"not a chat completion: {data!r}")
    calls = message.get("tool_calls")
    expect(
        isinstance(calls, list) and len(calls) == 1,
        f"a forced tool call was answered without exactly one tool call: {message!r}",
    )
    expect(message.get("content") is None, f"a tool call also carries content: {message!r}")
    function = calls[0].get("function") if isinstance(calls[0], dict) else None
    if not isinstance(function, dict):
        fail(f"tool call without a function: {calls[0]!r}")
    name = function.get("name")
    expect(name == "get_weather", f"tool_choice named get_weather but the call is {name!r}")
    arguments = _arguments(function.get("arguments"))
    problem = _invalid(WEATHER_TOOL["function"]["parameters"], arguments)  # type: ignore[index]
    expect(problem is None, f"the call's arguments fail its parameters ({problem}): {arguments!r}")


def tools_with_response_format(ctx: Context) -> None:
    """`tools` with `response_format` is refused: 422 `tool_error`."""
    answer = _chat(ctx, tools=[WEATHER_TOOL], response_format={"type": "json", "value": PERSON})
    expect(answer.status == 422, f"tools + response_format: expected 422, got {answer.describe()}")
    error = answer.json()
    expect(
        isinstance(error, dict) and error.get("error_type") == "tool_error",
        f"tools + response_format: expected error_type tool_error, got {error!r}",
    )


STRUCTURED_CHECKS: list[tuple[str, Callable[[Context], None]]] = [
    ("grammar-json", grammar_json),
    ("grammar-regex", grammar_regex),
    ("tool-call-forced", tool_call_forced),
    ("tools-with-response-format", tools_with_response_format),
]
"""Name → check, in the order they run."""
