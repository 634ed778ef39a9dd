"""
Tool calling on `/v1/chat/completions`, as TGI's `ToolGrammar::apply` and `chat.rs` do it.

`tool_choice` (`router/src/lib.rs` `ToolTypeDeserializer`): absent or null → `auto`; `"none"` →
plain text; `"required"` → one of the tools; any other string, or `{"type": "function",
"function": {"name"}}`, forces that function (unknown name → 422 `Tool error: Tool with name X not
found`). `tools: []` answers in text.

The mock's deterministic choice (TGI leaves it to the model): a tool scores one point for each
distinct word of four letters or more of its name (split on `_` and `-`) or description that
appears in the last user message (case-insensitive). `auto` calls the best-scoring tool, the
earlier one on a tie, and answers in text when no tool scores (TGI's built-in `no_tool`);
`required` calls the best-scoring tool, or the first one when none scores. A call scripted for the
last user message (`MockConfig.scripted_tool_calls`) wins when its function is allowed.

The arguments are an instance of the function's `parameters` (see `tgi_mock.structured`), built as
TGI builds its tool grammar (the function's `properties` and `required`, no other keys) and
validated against `parameters` itself before they are sent.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from jsonschema.exceptions import best_match  # type: ignore[import-untyped]

from tgi_mock import structured

__all__ = [
    "DEFAULT_TOOL_PROMPT",
    "ToolCallPlan",
    "ToolError",
    "arguments_stream",
    "call_text",
    "choose",
    "next_tool_call_id",
    "tool_call_message",
]

DEFAULT_TOOL_PROMPT = (
    "\nGiven the functions available, please respond with a JSON for a function call with its "
    "proper arguments that best answers the given prompt. Respond in the format {name: function "
    "name, parameters: dictionary of argument name and its value}.Do not use variables.\n"
)
"""TGI's `default_tool_prompt()`."""

_WORD = re.compile(r"[a-z0-9]{4,}")


class ToolError(Exception):
    """A 422 `tool_error`; `message` is the full `error` text (`Tool error: ...`)."""

    def __init__(self, inner: str) -> None:
        self.message = f"Tool error: {inner}"
        super().__init__(self.message)


@dataclass(frozen=True)
class ToolCallPlan:
    """The call the mock answers with."""

    name: str
    arguments: dict[str, Any]


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower().replace("_", " ").replace("-", " ")))


def _score(tool: dict[str, Any], message: str) -> int:
    function = tool["function"]
    words = _words(str(function["name"])) | _words(str(function.get("description") or ""))
    return len(words & _words(message))


def _allowed(tools: list[dict[str, Any]], choice: Any) -> tuple[list[dict[str, Any]], str]:
    """(tools the answer may call, mode): mode is `auto`, `required` or `none`."""
    if choice is None or choice == "auto":
        return tools, "auto"
    if choice == "none":
        return [], "none"
    if choice == "required":
        return tools, "required"
    name = choice["function"]["name"] if isinstance(choice, dict) else str(choice)
    for tool in tools:
        if tool["function"]["name"] == name:
            return [tool], "required"
    raise ToolError(f"Tool with name {name} not found")


def _arguments_schema(parameters: Any) -> dict[str, Any]:
    """TGI's per-function grammar: the function's properties and required keys, nothing else."""
    params = parameters if isinstance(parameters, dict) else {}
    schema: dict[str, Any] = {
        "type": "object",
        "properties": params.get("properties") or {},
        "required": params.get("required") or [],
        "additionalProperties": False,
    }
    for key in ("$defs", "definitions"):
        if key in params:
            schema[key] = params[key]
    return schema


def _check(tool: dict[str, Any], arguments: Any) -> dict[str, Any]:
    parameters = tool["function"]["arguments"]
    name = tool["function"]["name"]
    if not isinstance(arguments, dict):
        raise ToolError(f"arguments for {name} must be a JSON object")
    if isinstance(parameters, dict):
        error = best_match(Draft202012Validator(parameters).iter_errors(arguments))
        if error is not None:
            raise ToolError(
                f"arguments for {name} do not validate against its parameters "
                f"(`{error.validator}` at {error.json_path}): {error.message}"
            )
    return arguments


def choose(
    tools: list[dict[str, Any]] | None,
    choice: Any,
    last_user: str,
    key: str,
    scripted: dict[str, dict[str, Any]] | None = None,
) -> ToolCallPlan | None:
    """The call to answer with, or None for a text answer; raises `ToolError`."""
    if tools is None:
        return None
    allowed, mode = _allowed(tools, choice)
    if not allowed:
        return None
    by_name = {tool["function"]["name"]: tool for tool in allowed}
    script = (scripted or {}).get(last_user) or (scripted or {}).get(last_user.strip())
    if script is not None and script.get("name") in by_name:
        tool = by_name[script["name"]]
        return ToolCallPlan(script["name"], _check(tool, script.get("arguments", {})))
    scores = [_score(tool, last_user) for tool in allowed]
    best = max(range(len(allowed)), key=lambda i: (scores[i], -i))
    if scores[best] == 0 and mode == "auto":
        return None
    tool = allowed[best]
    schema = _arguments_schema(tool["function"]["arguments"])
    try:
        structured.check_schema(schema)
        arguments = structured.instance(schema, key)
    except structured.GrammarError as error:
        name = tool["function"]["name"]
        raise ToolError(f"cannot build arguments for {name}: {error.inner}") from None
    return ToolCallPlan(tool["function"]["name"], _check(tool, arguments))


def call_text(plan: ToolCallPlan) -> str:
    """The text the model generates for the call under TGI's tool grammar."""
    return '{"function": ' + structured.json_spaced({"_name": plan.name, **plan.arguments}) + "}"


def tool_call_message(plan: ToolCallPlan) -> dict[str, Any]:
    """The non-stream `message`: `content` left out, arguments as a compact JSON string."""
    call = {
        "id": "0",
        "type": "function",
        "function": {
            "description": None,
            "name": plan.name,
            "arguments": structured.dump_json(plan.arguments),
        },
    }
    return {"role": "assistant", "tool_calls": [call]}


def arguments_stream(plan: ToolCallPlan) -> list[str]:
    """The argument pieces of a stream: `{` first (with the name), then the rest token by token.

    They join to `{ "key": value, ...}` (TGI's shape), which parses to the arguments."""
    from tgi_mock.tokenizer import tokenize

    rest = structured.json_spaced(plan.arguments)[1:]
    return ["{", *(piece.text for piece in tokenize(" " + rest if plan.arguments else rest))]


def next_tool_call_id(messages: list[dict[str, Any]]) -> str:
    """TGI's stream id: one more than the largest integer id in the conversation, else a UUID."""
    largest = -1
    for message in messages:
        for call in message.get("tool_calls") or []:
            try:
                largest = max(largest, int(call["id"]))
            except ValueError:
                return str(uuid.uuid4())
    return str(largest + 1)
