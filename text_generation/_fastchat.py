"""The chat stream's hot path: a strict pydantic-core schema of a well-formed
``chat.completion.chunk``, which builds the documented ``ChatCompletionChunk`` straight from the
JSON bytes (as ``_fastwire`` does for ``generate_stream`` events).

It takes the chunks a stream is made of: text deltas and streamed tool calls, with null
``logprobs`` and ``usage``. Anything else (a chunk with logprobs or usage, a missing or unknown
top-level key, a wrong type, an error event, ``[DONE]``) is refused here, and ``ChatStream`` takes
the generated model and its converter instead; both paths give the same chunks, as
``tests/facade/test_fastwire.py`` checks. Loaded with the first chat stream.
"""

from __future__ import annotations

from pydantic_core import SchemaValidator, ValidationError
from pydantic_core import core_schema as cs

from text_generation._chat_types import (
    ChatCompletionChunk,
    Choice,
    ChoiceDelta,
    ChoiceDeltaToolCall,
    Function,
)
from text_generation._fastwire import INT, STR, model, optional, required

_NULL = cs.none_schema()  # logprobs and usage objects take the generated model's path
_OPT_STR = optional(cs.nullable_schema(STR))


def _tool_call() -> cs.ModelSchema:
    function = model(Function, {"name": _OPT_STR, "arguments": required(STR)}, exact=False)
    return model(
        ChoiceDeltaToolCall,
        {
            "index": required(INT),
            "id": required(STR),
            "type": required(STR),
            "function": required(function),
        },
        exact=False,
    )


def _chunk() -> cs.ModelSchema:
    delta = model(
        ChoiceDelta,
        {
            "role": required(STR),
            "content": _OPT_STR,
            "tool_calls": optional(cs.nullable_schema(cs.list_schema(_tool_call()))),
            "tool_call_id": _OPT_STR,
        },
        exact=False,
    )
    choice = model(
        Choice,
        {
            "index": required(INT),
            "delta": required(delta),
            "logprobs": optional(_NULL),
            "finish_reason": _OPT_STR,
        },
        exact=False,
    )
    return model(
        ChatCompletionChunk,
        {
            "id": required(STR),
            "object": required(STR),
            "created": required(INT),
            "model": required(STR),
            "system_fingerprint": required(STR),
            "choices": required(cs.list_schema(choice)),
            "usage": optional(_NULL),
        },
        exact=True,  # an "error" key beside the chunk's is an error event: the slow path says so
    )


_chunk_json = SchemaValidator(_chunk()).validate_json


def well_formed_chunk(data: bytes) -> ChatCompletionChunk | None:
    """The ``ChatCompletionChunk`` of one event's JSON, or None when the fast path does not take
    it: the caller then takes the generated model's path."""
    try:
        return _chunk_json(data)  # type: ignore[no-any-return]
    except ValidationError:
        return None
