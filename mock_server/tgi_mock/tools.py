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

The call is decoded token by token under TGI's tool grammar (`tool_grammar`: the `JsonSchemaTool`
of `ToolGrammar::apply`, compiled with outlines-core by `tgi_mock.structured`), following
arguments drawn for the chosen function; a grammar outlines-core refuses is TGI's 422.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from jsonschema.exceptions import best_match  # type: ignore[import-untyped]

from tgi_mock import structured
from tgi_mock.grammar import GenVocabulary, default_vocabulary
from tgi_mock.tokenizer import EOS_ID

__all__ = [
    "DEFAULT_TOOL_PROMPT",
    "ToolCallPlan",
    "ToolError",
    "arguments_stream",
    "choose",
    "next_tool_call_id",
    "tool_call_message",
    "tool_grammar",
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
    """The call the mock answers with, and its tokens under TGI's tool grammar (EOS included)."""

    name: str
    arguments: dict[str, Any]
    tokens: list[tuple[int, str]] = field(default_factory=list)
    eos_id: int = EOS_ID
    """The end-of-sequence id of the vocabulary the tokens come from."""


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


_NO_TOOL = {
    "type": "function",
    "function": {
        "name": "no_tool",
        "description": "Open ended response with no specific tool selected",
        "arguments": {"type": "object"},
    },
}


def _function_schema(function: dict[str, Any]) -> dict[str, Any]:
    """One function's entry in TGI's tool grammar (`ToolGrammar::apply`)."""
    arguments = function.get("arguments")
    properties: dict[str, Any] = {"_name": {"type": "string", "const": function["name"]}}
    required: list[Any] = ["_name"]
    entry: dict[str, Any] = {"description": function.get("description") or ""}
    if isinstance(arguments, dict):
        if isinstance(arguments.get("properties"), dict):
            properties.update(arguments["properties"])
        if isinstance(arguments.get("required"), list):
            required.extend(arguments["required"])
        entry["additionalProperties"] = arguments.get("additionalProperties") == "true"
    return {**entry, "properties": properties, "required": required}


def tool_grammar(tools: list[dict[str, Any]]) -> dict[str, Any]:
    """TGI's `JsonSchemaTool` for the tools a call may use: `$functions` and `function.anyOf`."""
    functions = {tool["function"]["name"]: _function_schema(tool["function"]) for tool in tools}
    refs = [{"$ref": f"#/$functions/{tool['function']['name']}"} for tool in tools]
    return {"$functions": functions, "properties": {"function": {"anyOf": refs}}}


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


def _decode(
    grammar: dict[str, Any],
    name: str,
    key: str,
    budget: int,
    bend: bool,
    arguments: dict[str, Any] | None,
    vocabulary: GenVocabulary,
) -> ToolCallPlan:
    """The call decoded under the tool grammar: scripted arguments if it allows them, else
    arguments drawn for the function's entry."""
    entry = grammar["value"]["$functions"][name]
    target = None if arguments is None else {"function": {"_name": name, **arguments}}
    tokens = structured.tokens_for(
        grammar,
        key,
        budget,
        bend=bend,
        target=target,
        draw=(entry, '{"function": ', "}"),
        spaced=True,
        vocabulary=vocabulary,
    )
    text = structured.walk_text(tokens, vocabulary.eos_id)
    try:
        call = json.loads(text)["function"]
        drawn = {k: v for k, v in call.items() if k != "_name"}
    except (ValueError, KeyError, TypeError):  # cut by max_new_tokens
        drawn = dict(arguments or {})
    return ToolCallPlan(name, drawn, tokens, vocabulary.eos_id)


def choose(
    tools: list[dict[str, Any]] | None,
    choice: Any,
    last_user: str,
    key: str,
    scripted: dict[str, dict[str, Any]] | None = None,
    *,
    budget: int = 1024,
    bend: bool = False,
    vocabulary: GenVocabulary | None = None,
) -> ToolCallPlan | None:
    """The call to answer with, or None for a text answer.

    Raises `ToolError`, or `structured.GrammarError` when TGI cannot compile the tool grammar."""
    if tools is None:
        return None
    allowed, mode = _allowed(tools, choice)
    if not allowed:
        return None
    grammar = {
        "type": "json",
        "value": tool_grammar(allowed + ([_NO_TOOL] if mode == "auto" else [])),
    }
    vocabulary = vocabulary or default_vocabulary()
    structured.check(grammar, vocabulary)
    by_name = {tool["function"]["name"]: tool for tool in allowed}
    script = (scripted or {}).get(last_user) or (scripted or {}).get(last_user.strip())
    if script is not None and script.get("name") in by_name:
        name = str(script["name"])
        arguments = _check(by_name[name], script.get("arguments", {}))
        return _decode(grammar, name, key, budget, bend, arguments, vocabulary)
    scores = [_score(tool, last_user) for tool in allowed]
    best = max(range(len(allowed)), key=lambda i: (scores[i], -i))
    if scores[best] == 0 and mode == "auto":
        return None
    return _decode(grammar, allowed[best]["function"]["name"], key, budget, bend, None, vocabulary)


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
    """The argument pieces of a stream: `{` first (with the name), then the call's own tokens
    after its `_name`, the closing brace of `{"function": ...}` left out."""
    texts = [text for id_, text in plan.tokens if id_ != plan.eos_id]
    full = "".join(texts)
    head = '{"function": {"_name": ' + json.dumps(plan.name, ensure_ascii=False)
    if not full.startswith(head):
        return ["{", structured.dump_json(plan.arguments)[1:]]
    cut = len(head) + (1 if full[len(head) : len(head) + 1] == "," else 0)
    end = len(full) - 1 if full.endswith("}}") else len(full)
    pieces: list[str] = []
    position = 0
    for text in texts:
        start, stop = position, position + len(text)
        position = stop
        piece = text[max(cut - start, 0) : max(end - start, 0)]
        if stop > cut and piece:
            pieces.append(piece)
    return ["{", *pieces]


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
