"""
The chat route's tool-call answers: which call (`tgi_mock.tools`), its tokens, its stream chunks.

Shapes are TGI's (`router/src/chat.rs`, `lib.rs`): a non-stream answer's message is
`{"role": "assistant", "tool_calls": [{"id": "0", "type": "function", "function": {"description":
null, "name", "arguments": "<compact JSON string>"}}]}` with `finish_reason: "stop"`; a stream sends
one chunk per argument piece, `delta: {"role": "assistant", "tool_calls": [{"index": 0, "id",
"type": "function", "function": {"name", "arguments"}}]}`, the name in the first chunk only (null
after), no chunk with a `finish_reason`, then the usage chunk when asked and `[DONE]`.
"""

from __future__ import annotations

from typing import Any

from tgi_mock import generation, structured, tools
from tgi_mock.breakages import broken
from tgi_mock.config import MockConfig
from tgi_mock.generation import Sequence
from tgi_mock.grammar import vocabulary_of
from tgi_mock.hf_tokenizer import tokenizer_for
from tgi_mock.sse import DONE, frame
from tgi_mock.streaming import Frame
from tgi_mock.validation import ValidationError, ValidRequest

__all__ = ["call_sequence", "check_grammar_support", "plan_call", "stream_frames"]


def _uses_grammar(body: dict[str, Any]) -> bool:
    """TGI builds a tool grammar unless `tool_choice` is `none` or no tool is left to call."""
    if body["tools"] is None or body["tool_choice"] == "none":
        return False
    return bool(body["tools"]) or body["tool_choice"] in (None, "auto")


def check_grammar_support(body: dict[str, Any], config: MockConfig) -> None:
    """With `--disable-grammar-support`, tools are refused as TGI refuses their grammar."""
    if config.disable_grammar_support and _uses_grammar(body):
        raise ValidationError("grammar is not supported")


def plan_call(
    body: dict[str, Any], prompt: str, last_user: str, config: MockConfig, bend: bool = False
) -> tools.ToolCallPlan | None:
    """The tool call to answer with, or None (text); raises `tools.ToolError`, or
    `ValidationError` when TGI cannot compile the tool grammar."""
    if broken(config, "grammar-ignored") or not _uses_grammar(body):
        return None
    if config.disable_grammar_support:
        return None
    sampled = body["temperature"] != 0.0
    key = f"{prompt}\x00{body['seed'] if sampled else 'greedy'}"
    budget = body["max_tokens"] or config.max_total_tokens
    try:
        return tools.choose(
            body["tools"],
            body["tool_choice"],
            last_user,
            key,
            config.scripted_tool_calls,
            budget=min(budget, config.max_total_tokens),
            bend=bend or config.bend_schema,
            vocabulary=vocabulary_of(tokenizer_for(config.tokenizer)),
        )
    except structured.GrammarError as error:
        raise ValidationError(error.inner) from None


def call_sequence(plan: tools.ToolCallPlan, valid: ValidRequest) -> Sequence:
    """The generated tokens of the call: TGI's tool-grammar JSON, then EOS."""
    return generation.sequence_of(valid, plan.tokens)


def stream_frames(
    plan: tools.ToolCallPlan,
    body: dict[str, Any],
    base: dict[str, Any],
    valid: ValidRequest,
    legacy: bool,
) -> list[Frame]:
    """The SSE frames of a streamed tool call, usage chunk and `[DONE]` included."""
    call_id = tools.next_tool_call_id(body["messages"])
    frames: list[Frame] = []
    for index, piece in enumerate(tools.arguments_stream(plan)):
        function = {"name": plan.name if index == 0 else None, "arguments": piece}
        delta = {
            "role": "assistant",
            "tool_calls": [{"index": 0, "id": call_id, "type": "function", "function": function}],
        }
        choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": None}
        chunk = {"object": "chat.completion.chunk", **base, "choices": [choice], "usage": None}
        frames.append(Frame(frame(chunk, legacy=legacy)))
    options = body["stream_options"]
    if isinstance(options, dict) and options.get("include_usage"):
        seq = call_sequence(plan, valid)
        prompt, completion = valid.input_length, len(seq.tokens)
        usage = {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
        }
        chunk = {"object": "chat.completion.chunk", **base, "choices": [], "usage": usage}
        frames.append(Frame(frame(chunk, legacy=legacy), token=False))
    frames.append(Frame(frame(DONE, legacy=legacy), token=False, final=True))
    return frames
