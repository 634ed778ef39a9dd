"""Join the chunks of a chat stream into the final message: its text, or its tool calls.

>>> from text_generation.chat_stream import accumulate
>>> message = accumulate(client.chat(messages, tools=tools, tool_choice="required", stream=True))
>>> message.tool_calls[0].name, message.tool_calls[0].arguments
('get_weather', {'city': 'Paris'})

``aaccumulate`` does the same for ``AsyncClient`` (``await aaccumulate(await client.chat(...,
stream=True))``). Both feed a :class:`ChatStreamAccumulator`, which takes chunks one at a time
(sans I/O) for code that also shows the stream as it arrives.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Iterable
from dataclasses import dataclass, field
from typing import Any

from text_generation._base import trusted
from text_generation._chat_types import ChatCompletionChunk, Message, ToolCall
from text_generation._tools import parse_arguments
from text_generation.errors import InvalidResponseError


@dataclass
class _Call:
    id: str = ""
    type: str = "function"
    name: str | None = None
    arguments: list[str] = field(default_factory=list)


@dataclass
class _Choice:
    role: str = "assistant"
    content: list[str] | None = None
    calls: dict[int, _Call] = field(default_factory=dict)
    finish_reason: str | None = None


class ChatStreamAccumulator:
    """Feed it the chunks of one chat stream with :meth:`add`; :meth:`message` is the message
    they make up so far. Tool-call deltas are merged by their ``index``: the id and name from
    the chunk that carries them (the first one on TGI), the arguments joined."""

    def __init__(self) -> None:
        self._choices: dict[int, _Choice] = {}
        self.usage: dict[str, Any] | None = None
        """The usage chunk's counts (``stream_options={"include_usage": true}``), if any."""

    def add(self, chunk: ChatCompletionChunk) -> None:
        """Take in one chunk."""
        if chunk.usage is not None:
            self.usage = chunk.usage.model_dump()
        for choice in chunk.choices:
            acc = self._choices.setdefault(choice.index, _Choice())
            delta = choice.delta
            acc.role = delta.role or acc.role
            if delta.content is not None:
                acc.content = [*(acc.content or []), delta.content]
            for t in delta.tool_calls or []:
                call = acc.calls.setdefault(t.index, _Call())
                call.id = call.id or t.id
                call.type = t.type or call.type
                call.name = call.name or t.function.name
                call.arguments.append(t.function.arguments)
            if choice.finish_reason is not None:
                acc.finish_reason = choice.finish_reason

    def finish_reason(self, index: int = 0) -> str | None:
        """The choice's ``finish_reason``, when a chunk carried one (TGI's tool-call streams
        end without one)."""
        return self._choice(index).finish_reason

    def message(self, index: int = 0) -> Message:
        """The message of choice ``index``: ``content`` the joined text (None when no chunk
        carried text), ``tool_calls`` the joined tool calls (None when there were none).

        Raises ``InvalidResponseError`` when a tool call has no name or its joined arguments
        are not a JSON object."""
        acc = self._choice(index)
        calls = None
        if acc.calls:
            calls = [_tool_call(acc.calls[i]) for i in sorted(acc.calls)]
        content = None if acc.content is None else "".join(acc.content)
        return trusted(
            Message, role=acc.role, content=content, name=None, tool_calls=calls, tool_call_id=None
        )

    def _choice(self, index: int) -> _Choice:
        if index not in self._choices:
            if index == 0 and not self._choices:
                return _Choice()  # an empty stream: an empty message
            raise IndexError(f"no chunk of the stream carried choice {index}")
        return self._choices[index]


def _tool_call(call: _Call) -> ToolCall:
    if call.name is None:
        raise InvalidResponseError(f"streamed tool call {call.id!r}: no chunk carried its name")
    arguments = "".join(call.arguments)
    parse_arguments(arguments, f"streamed tool call {call.name!r}")
    return trusted(
        ToolCall,
        id=call.id,
        type=call.type,
        function={"name": call.name, "arguments": arguments, "description": None},
    )


def accumulate(chunks: Iterable[ChatCompletionChunk], index: int = 0) -> Message:
    """Read a chat stream (``Client.chat(..., stream=True)``) to its end; its final message."""
    acc = ChatStreamAccumulator()
    for chunk in chunks:
        acc.add(chunk)
    return acc.message(index)


async def aaccumulate(chunks: AsyncIterable[ChatCompletionChunk], index: int = 0) -> Message:
    """Read an async chat stream (``await AsyncClient.chat(..., stream=True)``) to its end;
    its final message."""
    acc = ChatStreamAccumulator()
    async for chunk in chunks:
        acc.add(chunk)
    return acc.message(index)


__all__ = ["ChatStreamAccumulator", "aaccumulate", "accumulate"]
