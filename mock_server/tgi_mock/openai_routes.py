"""
The OpenAI-compatible routes: `POST /v1/chat/completions` and `POST /v1/completions`.

Chat: the prompt is built from the messages by a trivial template (`<|role|>\\ncontent\\n` per
message, then `<|assistant|>\\n`); scripted completions match the last user message or the whole
prompt. `temperature: 0` means greedy, any other value (or none) samples; `max_tokens` →
`max_new_tokens`; `presence_penalty` → `repetition_penalty = presence_penalty + 2`; `top_logprobs`
→ `top_n_tokens`; `response_format` → `grammar` (with `tools`: 422 `tool_error`); `tools` and
`tool_choice` as in `tgi_mock.tools` (tool calls built by `tgi_mock.chat_tools`). Streams are
`chat.completion.chunk` events (EOS as `content: ""` with `finish_reason: "stop"`), an optional
usage chunk, then `data: [DONE]`; errors inside them use the OpenAI shape, then `[DONE]`.

Completions: one prompt or a list (at most `max_client_batch_size`); `suffix` is refused; streams
interleave `Chunk`s (`finish_reason: ""`) and one `CompletionFinal` per prompt (with `usage` and
TGI's own finish reason), then `[DONE]`.
"""

from __future__ import annotations

import time
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from tgi_mock import chat_tools, generation, tools
from tgi_mock.breakages import broken, for_generation
from tgi_mock.extract import Rejection, drop_connection, json_body, plain
from tgi_mock.faults import HEADER, FaultError, FaultSpec, strip_markers
from tgi_mock.generation import GenToken, Sequence
from tgi_mock.handlers import (
    OVERLOADED,
    Gate,
    JSONBody,
    collect_faults,
    early_fault_response,
    json_error,
    sleep_latency,
)
from tgi_mock.pacing import stream_timing, timed, wait_whole
from tgi_mock.responses import response_headers
from tgi_mock.schema import CHAT_REQUEST, COMPLETION_REQUEST
from tgi_mock.sse import DONE, frame
from tgi_mock.state import MockState
from tgi_mock.streaming import Frame, StreamPlan, sse_response
from tgi_mock.validation import ValidationError, ValidRequest, parameters_or_default, validate

__all__ = ["chat_route", "completions_route"]


class _Overloaded(Exception):
    """The concurrency permits are exhausted."""


def _openai_finish(reason: str) -> str:
    return "stop" if reason == "eos_token" else reason


def _message_text(content: Any) -> str:
    if isinstance(content, str):
        return strip_markers(content)
    if isinstance(content, list):
        parts = [
            c.get("text", "") for c in content if isinstance(c, dict) and c.get("type") == "text"
        ]
        return strip_markers("".join(p for p in parts if isinstance(p, str)))
    return ""


def _chat_prompt(messages: list[dict[str, Any]]) -> tuple[str, str]:
    prompt = "".join(f"<|{m['role']}|>\n{_message_text(m['content'])}\n" for m in messages)
    users = [_message_text(m["content"]) for m in messages if m["role"] == "user"]
    return prompt + "<|assistant|>\n", users[-1] if users else ""


def _sampling(temperature: float | None) -> dict[str, Any]:
    if temperature == 0.0:
        return {"do_sample": False, "temperature": None}
    return {"do_sample": True, "temperature": temperature}


def _logprobs(tokens: list[GenToken]) -> dict[str, Any]:
    return {
        "content": [
            {
                "token": t.text,
                "logprob": t.logprob,
                "top_logprobs": [{"token": o.text, "logprob": o.logprob} for o in t.top_tokens],
            }
            for t in tokens
        ]
    }


def _usage(valid: ValidRequest, seq: Sequence) -> dict[str, int]:
    prompt, completion = valid.input_length, len(seq.tokens)
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


def _openai_error_frames(legacy: bool) -> Any:
    def frames(message: str, _error_type: str) -> list[bytes]:
        error = {"error": {"message": message, "http_status_code": 422}}
        return [frame(error, legacy=legacy), frame(DONE, legacy=legacy)]

    return frames


async def _prologue(
    request: Request, state: MockState, route: str
) -> tuple[FaultSpec, Response | None]:
    state.metrics.inc("tgi_request_count", route=route)
    try:
        faults = collect_faults(request, state)
    except FaultError as error:
        return FaultSpec(), plain(400, f"Invalid {HEADER}: {error}")
    early = await early_fault_response(faults)
    return faults, early


async def chat_route(request: Request, state: MockState) -> Response:
    """`POST /v1/chat/completions`."""
    route = "/v1/chat/completions"
    faults, early = await _prologue(request, state, route)
    if early is not None:
        return early
    try:
        body = json_body(request, CHAT_REQUEST)
    except Rejection as rejection:
        return rejection.response
    config = state.config
    if body["response_format"] is not None and body["tools"] is not None:
        return json_error(422, "Tool error: Grammar and tools are mutually exclusive", "tool_error")
    prompt, last_user = _chat_prompt(body["messages"])
    # --- tools (tgi_mock.tools): the call to answer with, decided before validation as in TGI
    grammar_error: ValidationError | None = None
    try:
        call = chat_tools.plan_call(body, prompt, last_user, config, bool(faults.bend_schema))
    except tools.ToolError as error:
        return json_error(422, error.message, "tool_error")
    except ValidationError as error:  # the tool grammar: refused after the other checks
        call, grammar_error = None, error
    # --- end tools
    presence = body["presence_penalty"]
    parameters = parameters_or_default(
        {
            **_sampling(body["temperature"]),
            "max_new_tokens": body["max_tokens"],
            "stop": body["stop"] or [],
            "seed": body["seed"],
            "top_p": body["top_p"],
            "frequency_penalty": body["frequency_penalty"],
            "repetition_penalty": None if presence is None else presence + 2.0,
            "top_n_tokens": body["top_logprobs"],
            "details": True,
            "grammar": None if broken(config, "grammar-ignored") else body["response_format"],
        }
    )
    model = body["model"] or config.model_id
    base = {"id": "", "created": int(time.time()), "model": model}
    base["system_fingerprint"] = config.system_fingerprint()
    want_logprobs = bool(body["logprobs"])
    gate = Gate(state)
    legacy = config.legacy_sse
    if body["stream"]:
        errors = _openai_error_frames(legacy)
        headers = {"x-compute-type": config.compute_type, "x-compute-characters": str(len(prompt))}
        headers["x-accel-buffering"] = "no"
        try:
            if not gate.acquire(1, faults):
                raise _Overloaded
            valid = for_generation(
                validate(prompt, parameters, config, state.rng), config, state.rng, faults
            )
            chat_tools.check_grammar_support(body, config)
            if grammar_error is not None:
                raise grammar_error
        except (ValidationError, _Overloaded) as error:
            gate.release()
            message = error.message if isinstance(error, ValidationError) else OVERLOADED[0]
            plan = StreamPlan([Frame(d, token=False) for d in errors(message, "")], errors)
            return sse_response(plan, FaultSpec(), config.keep_alive, request, headers)
        if call is not None:
            frames = chat_tools.stream_frames(call, body, base, valid, legacy)
            state.metrics.inc("tgi_request_success", route=route)
            plan = StreamPlan(frames, errors, on_close=gate.release)
            return sse_response(plan, faults, config.keep_alive, request, headers)
        seq = generation.generate(valid, config.scripted, key=last_user or prompt)
        frames = []
        for i, token in enumerate(seq.tokens):
            last = i == len(seq.tokens) - 1
            delta = {"role": "assistant", "content": "" if token.special else token.text}
            choice = {
                "index": 0,
                "delta": delta,
                "logprobs": _logprobs([token]) if want_logprobs else None,
                "finish_reason": _openai_finish(seq.finish_reason) if last else None,
            }
            chunk = {"object": "chat.completion.chunk", **base, "choices": [choice], "usage": None}
            frames.append(Frame(frame(chunk, legacy=legacy)))
        options = body["stream_options"]
        if isinstance(options, dict) and options.get("include_usage"):
            usage: dict[str, Any] = {
                "object": "chat.completion.chunk",
                **base,
                "choices": [],
                "usage": _usage(valid, seq),
            }
            frames.append(Frame(frame(usage, legacy=legacy), token=False))
        frames.append(Frame(frame(DONE, legacy=legacy), token=False, final=True))
        state.metrics.inc("tgi_request_success", route=route)
        plan = StreamPlan(frames, errors, on_close=gate.release)
        timing = stream_timing(request, state)
        plan = timed(plan, state, timing, valid.input_length, valid.max_new_tokens, len(seq.tokens))
        return sse_response(plan, faults, config.keep_alive, request, headers)
    if faults.drop_after is not None:
        await drop_connection(request)
        return Response(status_code=500)
    start = time.monotonic()
    try:
        if not gate.acquire(1, faults):
            return json_error(429, *OVERLOADED, faults.retry_after)
        valid = for_generation(
            validate(prompt, parameters, config, state.rng), config, state.rng, faults
        )
        chat_tools.check_grammar_support(body, config)
        if grammar_error is not None:
            raise grammar_error
        reply: dict[str, Any]
        if call is not None:
            seq = chat_tools.call_sequence(call, valid)
            reply = tools.tool_call_message(call)
        else:
            seq = generation.generate(valid, config.scripted, key=last_user or prompt)
            reply = {"role": "assistant", "content": seq.text}
        timing = stream_timing(request, state)
        await wait_whole(state, timing, valid.input_length, valid.max_new_tokens, len(seq.tokens))
        await sleep_latency(faults, len(seq.tokens))
        if faults.error_event_after is not None:
            return json_error(424, *faults.stream_error())
        choice = {
            "index": 0,
            "message": reply,
            "logprobs": _logprobs(seq.tokens) if want_logprobs else None,
            "finish_reason": _openai_finish(seq.finish_reason),
        }
        answer = {
            "object": "chat.completion",
            **base,
            "choices": [choice],
            "usage": _usage(valid, seq),
        }
        headers = response_headers(
            config.compute_type,
            len(prompt),
            valid.input_length,
            len(seq.tokens),
            time.monotonic() - start,
        )
        state.metrics.inc("tgi_request_success", route=route)
        return JSONBody(answer, headers=headers)
    except ValidationError as error:
        state.metrics.inc("tgi_request_failure", route=route, err="validation")
        return json_error(422, error.message, "validation")
    finally:
        gate.release()


async def completions_route(request: Request, state: MockState) -> Response:
    """`POST /v1/completions`."""
    route = "/v1/completions"
    faults, early = await _prologue(request, state, route)
    if early is not None:
        return early
    try:
        body = json_body(request, COMPLETION_REQUEST)
    except Rejection as rejection:
        return rejection.response
    config = state.config
    if body["suffix"] is not None:
        message = "Suffix is not supported and can be achieved by preprocessing the prompt."
        return json_error(422, message, "suffix not supported")
    prompts = [strip_markers(p) for p in body["prompt"]]
    if len(prompts) > config.max_client_batch_size:
        limit = config.max_client_batch_size
        message = f"Number of prompts exceeds the maximum allowed batch size of {limit}"
        return json_error(422, message, "batch size exceeded")
    parameters = parameters_or_default(
        {
            **_sampling(body["temperature"]),
            "max_new_tokens": 100 if body["max_tokens"] is None else body["max_tokens"],
            "stop": body["stop"] or [],
            "seed": body["seed"],
            "top_p": body["top_p"],
            "frequency_penalty": body["frequency_penalty"],
            "repetition_penalty": body["repetition_penalty"],
            "details": True,
        }
    )
    base = {"id": "", "created": int(time.time()), "model": config.model_id}
    base["system_fingerprint"] = config.system_fingerprint()
    gate = Gate(state)
    legacy = config.legacy_sse
    chars = sum(len(p) for p in prompts)
    if faults.drop_after is not None and not body["stream"]:
        await drop_connection(request)
        return Response(status_code=500)
    start = time.monotonic()
    try:
        if not gate.acquire(len(prompts), faults):
            raise _Overloaded
        results: list[tuple[ValidRequest, Sequence]] = []
        for prompt in prompts:
            valid = for_generation(
                validate(prompt, parameters, config, state.rng), config, state.rng, faults
            )
            results.append((valid, generation.generate(valid, config.scripted)))
    except (ValidationError, _Overloaded) as error:
        gate.release()
        message = error.message if isinstance(error, ValidationError) else OVERLOADED[0]
        if body["stream"]:
            errors = _openai_error_frames(legacy)
            plan = StreamPlan([Frame(d, token=False) for d in errors(message, "")], errors)
            headers = {"x-compute-type": config.compute_type, "x-compute-characters": str(chars)}
            return sse_response(plan, FaultSpec(), config.keep_alive, request, headers)
        if isinstance(error, _Overloaded):
            return json_error(429, *OVERLOADED, faults.retry_after)
        return json_error(422, message, "validation")
    if body["stream"]:
        frames: list[Frame] = []
        longest = max(len(seq.tokens) for _, seq in results)
        for step in range(longest):
            for index, (valid, seq) in enumerate(results):
                if step >= len(seq.tokens):
                    continue
                token = seq.tokens[step]
                last = step == len(seq.tokens) - 1
                choice = {
                    "index": index,
                    "text": "" if token.special else token.text,
                    "logprobs": None,
                    "finish_reason": seq.finish_reason if last else "",
                }
                event: dict[str, Any] = {"object": "text_completion", **base, "choices": [choice]}
                if last:
                    event["usage"] = _usage(valid, seq)
                frames.append(Frame(frame(event, legacy=legacy)))
        frames.append(Frame(frame(DONE, legacy=legacy), token=False, final=True))
        headers = {"x-compute-type": config.compute_type, "x-compute-characters": str(chars)}
        headers["x-accel-buffering"] = "no"
        plan = StreamPlan(frames, _openai_error_frames(legacy), on_close=gate.release)
        if len(results) == 1:  # one prompt: its tokens are the stream's frames, in order
            valid, seq = results[0]
            count = len(seq.tokens)
            timing = stream_timing(request, state)
            plan = timed(plan, state, timing, valid.input_length, valid.max_new_tokens, count)
        return sse_response(plan, faults, config.keep_alive, request, headers)
    try:
        tokens = sum(len(seq.tokens) for _, seq in results)
        longest = max(len(seq.tokens) for _, seq in results)
        budget = max(valid.max_new_tokens for valid, _ in results)
        prompt_tokens = sum(valid.input_length for valid, _ in results)
        timing = stream_timing(request, state)
        await wait_whole(state, timing, prompt_tokens, budget * len(results), longest)
        await sleep_latency(faults, longest)
        if faults.error_event_after is not None:
            return json_error(424, *faults.stream_error())
        choices = [
            {
                "index": i,
                "text": seq.text,
                "logprobs": None,
                "finish_reason": _openai_finish(seq.finish_reason),
            }
            for i, (_, seq) in enumerate(results)
        ]
        usage = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": tokens,
            "total_tokens": prompt_tokens + tokens,
        }
        answer = {"object": "text_completion", **base, "choices": choices, "usage": usage}
        headers = response_headers(
            config.compute_type,
            chars,
            prompt_tokens,
            tokens,
            time.monotonic() - start,
            compute_time=False,
        )
        state.metrics.inc("tgi_request_success", route=route)
        return JSONBody(answer, headers=headers)
    finally:
        gate.release()
