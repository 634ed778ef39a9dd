"""Chat types of text-generation 0.7.0 (``/v1/chat/completions``), pydantic models as 0.7.0's. A
streamed chunk (``ChatCompletionChunk`` and what it holds) is the generated model itself; the
request types and the whole completion are converted from and to the generated models. Tool
call ids are strings, as the server sends them (0.7.0 said ``int``). The checks of tools,
``tool_choice``, ``response_format`` and tool calls live in ``_tools``."""

from __future__ import annotations

from typing import Any

import pydantic
from pydantic import BaseModel, field_validator, model_validator

from text_generation._base import Model, RequestModel, describe, trusted
from text_generation._params import Grammar, _check_grammar
from text_generation._tools import (
    Tool,
    answer_tool_call,
    check_tool_choice,
    check_tools,
    grammar_model,
    parse_arguments,
    request_tool_call,
    response_format_input,
)
from text_generation._wirecheck import _clip, _expect, _opt, _opt_str
from text_generation.errors import ClientValidationError, InvalidResponseError
from tgi_client import models as m
from tgi_client.models import (
    ChatCompletionChunk,
    Choice,
    ChoiceDelta,
    ChoiceDeltaToolCall,
    Function,
)


def _dictish(value: object) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    raise ClientValidationError(f"expected an object; got {_clip(value)}")


class ToolCall(Model):
    """A tool call made by the model: ``function`` is ``{"name", "arguments", "description"?}``
    as the server sent it, ``arguments`` a JSON string (TGI 3.x) or an object (TGI 2.x).
    :attr:`name` and :attr:`arguments` read them, the arguments parsed."""

    id: str
    type: str
    function: dict[str, Any]

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_string(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int) and not isinstance(v, bool) else v

    @property
    def name(self) -> str:
        """The called function's name."""
        name = self.function.get("name")
        if not isinstance(name, str):
            raise InvalidResponseError(f"tool call {self.id!r}: no function name")
        return name

    @property
    def arguments(self) -> dict[str, Any]:
        """The call's arguments as an object, whether the server sent a JSON string or an
        object; ``InvalidResponseError`` when they are not a JSON object."""
        return parse_arguments(self.function.get("arguments"), f"tool call {self.id!r}")


class Message(RequestModel):
    """A chat message. ``content`` is a string or a list of ``{"type": ...}`` parts."""

    role: str
    content: str | list[dict[str, Any]] | None = None
    name: str | None = None
    tool_calls: Any = None
    tool_call_id: str | None = None

    def to_model(self) -> m.Message:
        """The generated request model for this message."""
        body: dict[str, Any] = {"role": self.role}
        if self.content is not None:
            body["content"] = self.content
        if self.name is not None:
            body["name"] = self.name
        if self.tool_calls is not None:
            if not isinstance(self.tool_calls, list | tuple):
                raise ClientValidationError(
                    f"`tool_calls`: expected a list, got {_clip(self.tool_calls)}"
                )
            body["tool_calls"] = [
                request_tool_call(_dictish(c), f"`tool_calls[{i}]`")
                for i, c in enumerate(self.tool_calls)
            ]
        if self.tool_call_id is not None:
            body["tool_call_id"] = self.tool_call_id
        return m.Message.from_dict(body)

    @classmethod
    def from_model(cls, model: object) -> Message:
        """Convert a generated ``OutputMessage``."""
        msg = _expect(model, m.OutputMessage, "message")
        calls = _opt(msg.tool_calls)
        return trusted(
            cls,
            role=_expect(msg.role, str, "role"),
            content=_opt_str(msg.content, "content"),
            name=None,
            tool_call_id=None,
            tool_calls=None
            if calls is None
            else [
                trusted(ToolCall, **answer_tool_call(c)) for c in _expect(calls, list, "tool_calls")
            ],
        )


class ChatCompletionComplete(Model):
    """One choice of a chat completion."""

    index: int
    message: Message
    logprobs: Any
    finish_reason: str
    usage: Any = None

    @classmethod
    def from_model(cls, model: object) -> ChatCompletionComplete:
        """Convert a generated ``ChatCompletionComplete``."""
        c = _expect(model, m.ChatCompletionComplete, "choice")
        logprobs = _opt(c.logprobs)
        return trusted(
            cls,
            index=_expect(c.index, int, "index"),
            message=Message.from_model(c.message),
            logprobs=logprobs.to_dict() if isinstance(logprobs, m.ChatCompletionLogprobs) else None,
            finish_reason=_expect(c.finish_reason, str, "finish_reason"),
        )


class ChatComplete(Model):
    """A chat completion."""

    id: str
    object: str
    created: int
    model: str
    system_fingerprint: str
    choices: list[ChatCompletionComplete]
    usage: Any

    @classmethod
    def from_model(cls, model: Any) -> ChatComplete:
        """Convert a generated ``ChatCompletion``."""
        c = _expect(model, m.ChatCompletion, "chat completion")
        return trusted(
            cls,
            id=_expect(c.id, str, "id"),
            object=_expect(c.object, str, "object"),
            created=_expect(c.created, int, "created"),
            model=_expect(c.model, str, "model"),
            system_fingerprint=_expect(c.system_fingerprint, str, "system_fingerprint"),
            choices=[ChatCompletionComplete.from_model(x) for x in c.choices],
            usage=c.usage.to_dict() if isinstance(c.usage, m.Usage) else c.usage,
        )


class ChatRequest(RequestModel):
    """A chat request, as text-generation 0.7.0 builds it (``model`` "tgi"), with TGI's
    ``tool_prompt``, ``response_format`` and ``stop``. ``tools`` take OpenAI-format dicts too,
    ``tool_choice`` the object form ``{"type": "function", "function": {"name": ...}}``."""

    model: str
    messages: list[Message]
    repetition_penalty: float | None = None
    frequency_penalty: float | None = None
    logit_bias: list[float] | None = None
    logprobs: bool | None = None
    top_logprobs: int | None = None
    max_tokens: int | None = None
    n: int | None = None
    presence_penalty: float | None = None
    stream: bool = False
    seed: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    tools: list[Tool] | None = None
    tool_choice: str | dict[str, Any] | None = None
    tool_prompt: str | None = None
    response_format: Grammar | None = None
    stop: list[str] | None = None

    @field_validator("response_format", mode="before")
    @classmethod
    def _openai_json_schema(cls, v: Any) -> Any:
        return response_format_input(v)

    @field_validator("stop", mode="before")
    @classmethod
    def _one_stop(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v

    @model_validator(mode="after")
    def _check_tools(self) -> ChatRequest:
        if self.tools is not None:
            check_tools(self.tools)
        if self.tool_choice is not None:
            check_tool_choice(self.tool_choice, self.tools)
        if self.response_format is not None:
            _check_grammar(self.response_format)
            if self.tools is not None:
                raise ClientValidationError(
                    "`tools` and `response_format` cannot be used together "
                    "(TGI refuses them with a 422 tool_error)"
                )
        return self

    def to_model(self) -> m.ChatRequest:
        """The generated request model; unset options are left out of the body."""

        fields: dict[str, Any] = dict(  # noqa: C408
            messages=[msg.to_model() for msg in self.messages],
            model=self.model,
            repetition_penalty=(self.repetition_penalty),
            frequency_penalty=(self.frequency_penalty),
            logit_bias=(self.logit_bias),
            logprobs=(self.logprobs),
            top_logprobs=(self.top_logprobs),
            max_tokens=(self.max_tokens),
            n=(self.n),
            presence_penalty=(self.presence_penalty),
            stream=self.stream,
            seed=(self.seed),
            temperature=(self.temperature),
            top_p=(self.top_p),
            tools=None
            if self.tools is None
            else [m.Tool.from_dict(_dictish(t)) for t in self.tools],
            tool_choice=None
            if self.tool_choice is None
            else self.tool_choice
            if isinstance(self.tool_choice, str)
            else m.ToolChoiceFunction.from_dict(self.tool_choice),
            tool_prompt=(self.tool_prompt),
            response_format=None
            if self.response_format is None
            else grammar_model(self.response_format),
            stop=(self.stop),
        )
        return m.ChatRequest(**{k: v for k, v in fields.items() if v is not None})


def chat_request(model: str = "tgi", **args: Any) -> ChatRequest:
    """The validated request ``chat`` sends (``model`` "tgi" for TGI, the provider's id on the
    router); anything refused raises ``ClientValidationError``. Lax as 0.7.0: ``seed="7"``
    becomes 7."""
    try:
        return ChatRequest(model=model, **args)
    except pydantic.ValidationError as err:
        raise ClientValidationError(describe(err)) from None


__all__ = [
    "ChatComplete",
    "ChatCompletionChunk",
    "ChatCompletionComplete",
    "ChatRequest",
    "Choice",
    "ChoiceDelta",
    "ChoiceDeltaToolCall",
    "Function",
    "Message",
    "Tool",
    "ToolCall",
]
