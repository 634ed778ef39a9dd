"""Tools and structured output for ``chat()``: checks of what is sent, and of the tool calls that
come back.

Sent: ``tools`` (0.7.0's ``Tool`` or OpenAI-format dicts, the arguments' JSON Schema under
``parameters`` or 0.7.0's ``arguments``), ``tool_choice`` (``"auto"``, ``"none"``,
``"required"``, a function's name, or ``{"type": "function", "function": {"name": ...}}``),
``response_format`` (a ``Grammar``, TGI's ``{"type", "value"}`` or OpenAI's
``{"type": "json_schema", "json_schema": {...}}``) and the tool calls of an assistant message
replayed in a conversation. Anything malformed raises ``ClientValidationError`` before a byte is
sent. Received: a tool call's ``arguments`` are a JSON string (TGI 3.x) or an object (TGI 2.x);
anything else raises ``InvalidResponseError``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from text_generation._base import RequestModel
from text_generation._json import loads
from text_generation._wirecheck import _clip, _expect
from text_generation.errors import ClientValidationError, InvalidResponseError
from tgi_client import models as m

if TYPE_CHECKING:
    from text_generation._params import Grammar

TOOL_CHOICE_MODES = ("auto", "none", "required")
_CHOICE_SHAPE = (
    '"auto", "none", "required", a function name, or '
    '{"type": "function", "function": {"name": ...}}'
)


# -- what chat() sends ---------------------------------------------------------------------------


class Tool(RequestModel):
    """A tool the model may call."""

    type: str
    function: dict[str, Any]


def check_tools(tools: list[Tool]) -> None:
    """Each tool is a function with a name and the JSON Schema of its arguments."""
    for i, tool in enumerate(tools):
        where = f"`tools[{i}]`"
        if tool.type != "function":
            raise ClientValidationError(f"{where}: `type` must be 'function' (got {tool.type!r})")
        function = tool.function
        name = function.get("name")
        if not isinstance(name, str) or not name:
            raise ClientValidationError(
                f"{where}: `function.name` must be a non-empty string (got {_clip(name)})"
            )
        description = function.get("description")
        if description is not None and not isinstance(description, str):
            raise ClientValidationError(
                f"{where}: `function.description` must be a string (got {_clip(description)})"
            )
        keys = [k for k in ("parameters", "arguments") if k in function]
        if not keys:
            raise ClientValidationError(
                f"{where}: `function.parameters` (or 0.7.0's `function.arguments`) must hold "
                "the JSON Schema of the function's arguments"
            )
        for key in keys:
            if not isinstance(function[key], dict):
                raise ClientValidationError(
                    f"{where}: `function.{key}` must be a JSON Schema object "
                    f"(got {_clip(function[key])})"
                )


def check_tool_choice(choice: str | dict[str, Any], tools: list[Tool] | None) -> None:
    """A known mode, or a function that is among ``tools``."""
    if isinstance(choice, dict):
        function = choice.get("function")
        name = function.get("name") if isinstance(function, dict) else None
        if (
            choice.get("type") != "function"
            or set(choice) != {"type", "function"}
            or not isinstance(name, str)
            or set(function or {}) != {"name"}
        ):
            raise ClientValidationError(f"`tool_choice`: {_CHOICE_SHAPE} (got {_clip(choice)})")
    elif not choice:
        raise ClientValidationError(f"`tool_choice`: {_CHOICE_SHAPE} (got '')")
    else:
        name = None if choice in TOOL_CHOICE_MODES else choice
    if choice in ("auto", "none"):
        return
    if not tools:
        raise ClientValidationError(f"`tool_choice` {_clip(choice)} needs `tools`")
    names = [t.function.get("name") for t in tools]
    if name is not None and name not in names:
        raise ClientValidationError(
            f"`tool_choice` names {name!r}, which is not among the tools ({names})"
        )


def response_format_input(value: Any) -> Any:
    """OpenAI's ``{"type": "json_schema", "json_schema": {...}}`` as TGI's
    ``{"type": "json_schema", "value": {...}}``; anything else as given."""
    if (
        isinstance(value, dict)
        and set(value) == {"type", "json_schema"}
        and (value["type"] == "json_schema")
    ):
        return {"type": "json_schema", "value": value["json_schema"]}
    return value


def grammar_model(g: Grammar) -> m.JsonGrammar | m.RegexGrammar | m.JsonSchemaGrammar:
    """The generated model of a (checked) grammar."""
    body = {"type": g.type.value, "value": g.value}
    if g.type.value == "regex":
        return m.RegexGrammar.from_dict(body)
    if g.type.value == "json_schema":
        return m.JsonSchemaGrammar.from_dict(body)
    return m.JsonGrammar.from_dict(body)


def request_tool_call(call: dict[str, Any], where: str) -> dict[str, Any]:
    """A tool call of an assistant message, as sent back to the server (an int id as a string)."""
    call = dict(call)
    if isinstance(call.get("id"), int) and not isinstance(call["id"], bool):
        call["id"] = str(call["id"])
    function = call.get("function")
    problem = None
    if not isinstance(call.get("id"), str):
        problem = f"`id` must be a string (got {_clip(call.get('id'))})"
    elif not isinstance(call.get("type"), str):
        problem = f"`type` must be a string (got {_clip(call.get('type'))})"
    elif not isinstance(function, dict) or not isinstance(function.get("name"), str):
        problem = f"`function` must be an object with a `name` (got {_clip(function)})"
    elif not isinstance(function.get("arguments"), str | dict):
        problem = "`function.arguments` must be a JSON string or an object"
    if problem is not None:
        raise ClientValidationError(f"{where}: {problem}")
    return call


# -- what comes back -----------------------------------------------------------------------------


def parse_arguments(arguments: object, where: str = "tool call") -> dict[str, Any]:
    """A tool call's arguments as an object: a JSON string (TGI 3.x) is parsed, an object
    (TGI 2.x) is taken as it is; anything else raises ``InvalidResponseError``."""
    if isinstance(arguments, str):
        try:
            arguments = loads(arguments)
        except (ValueError, RecursionError):
            raise InvalidResponseError(
                f"{where}: `arguments` is not JSON: {_clip(arguments)}"
            ) from None
    if not isinstance(arguments, dict):
        raise InvalidResponseError(
            f"{where}: `arguments` must be a JSON object, got {_clip(arguments)}"
        )
    return arguments


def answer_tool_call(call: object) -> dict[str, Any]:
    """The fields of a ``ToolCall`` from the generated model, checked; the arguments are kept as
    the server sent them (a string or an object) and must hold a JSON object."""
    c = _expect(call, m.ToolCall, "tool call")
    f = _expect(c.function, m.ToolCallFunction, "tool call function")
    name = _expect(f.name, str, "tool call function name")
    arguments: Any = f.arguments
    parse_arguments(arguments, f"tool call {name!r}")
    function: dict[str, Any] = {"name": name, "arguments": arguments}
    if "description" in f.model_fields_set:  # kept when sent (TGI sends null)
        if f.description is not None and not isinstance(f.description, str):
            raise InvalidResponseError(
                f"tool call description: expected str, got {_clip(f.description)}"
            )
        function["description"] = f.description
    call_id = c.id
    if isinstance(call_id, int) and not isinstance(call_id, bool):
        call_id = str(call_id)
    return {
        "id": _expect(call_id, str, "tool call id"),
        "type": _expect(c.type, str, "tool call type"),
        "function": function,
    }
