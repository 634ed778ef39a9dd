"""The sans-I/O core shared by ``Client`` and ``AsyncClient``: request bodies built through the
generated models, answers parsed by them and converted once, and error answers mapped to typed
exceptions. Nothing here touches a socket."""

from __future__ import annotations

from math import isfinite
from typing import TYPE_CHECKING, Any

from text_generation._json import loads
from text_generation._retry import parse_retry_after
from text_generation._wirecheck import _clip, convert
from text_generation.errors import (
    InvalidResponseError,
    TextGenerationError,
    ValidationError,
    parse_error,
)
from tgi_client import models as m
from tgi_client.types import UNSET

if TYPE_CHECKING:  # the pydantic types load on the first call (in the functions below)
    from text_generation._chat_types import ChatComplete, ChatRequest
    from text_generation._params import Grammar, Parameters, Request
    from text_generation._responses import DeployedModel, Info, Response, SimpleToken

GENERATE_PATH = "/generate"
GENERATE_STREAM_PATH = "/generate_stream"
CHAT_PATH = "/v1/chat/completions"
INFO_PATH = "/info"
HEALTH_PATH = "/health"
TOKENIZE_PATH = "/tokenize"


def _unset(value: Any) -> Any:
    return UNSET if value is None else value


def _grammar_model(grammar: Grammar) -> m.JsonGrammar | m.RegexGrammar | m.JsonSchemaGrammar:
    if grammar.type == "regex":
        return m.RegexGrammar(type_="regex", value=str(grammar.value))
    if grammar.type == "json_schema":
        return m.JsonSchemaGrammar.from_dict({"type": "json_schema", "value": grammar.value})
    return m.JsonGrammar.from_dict({"type": "json", "value": grammar.value})


def parameters_model(p: Parameters) -> m.GenerateParameters:
    """The generated ``GenerateParameters`` for validated parameters; None values are left out."""
    return m.GenerateParameters(
        adapter_id=_unset(p.adapter_id),
        best_of=_unset(p.best_of),
        decoder_input_details=p.decoder_input_details,
        details=p.details,
        do_sample=p.do_sample,
        frequency_penalty=_unset(p.frequency_penalty),
        grammar=UNSET if p.grammar is None else _grammar_model(p.grammar),
        max_new_tokens=_unset(p.max_new_tokens),
        repetition_penalty=_unset(p.repetition_penalty),
        return_full_text=p.return_full_text,
        seed=_unset(p.seed),
        stop=list(p.stop),
        temperature=_unset(p.temperature),
        top_k=_unset(p.top_k),
        top_n_tokens=_unset(p.top_n_tokens),
        top_p=_unset(p.top_p),
        truncate=_unset(p.truncate),
        typical_p=_unset(p.typical_p),
        watermark=p.watermark,
    )


def generate_body(request: Request, *, compat: bool) -> dict[str, Any]:
    """The JSON body for ``/generate`` / ``/generate_stream`` or, with ``compat``, for the compat
    route (which carries ``stream`` at the top level)."""
    params = UNSET if request.parameters is None else parameters_model(request.parameters)
    if compat:
        return m.CompatGenerateRequest(
            inputs=request.inputs, parameters=params, stream=request.stream
        ).to_dict()
    return m.GenerateRequest(inputs=request.inputs, parameters=params).to_dict()


def call_args(scope: dict[str, Any]) -> dict[str, Any]:
    """A public method's keyword arguments, from its ``locals()`` (its first statement)."""
    return {k: v for k, v in scope.items() if k not in ("self", "prompt", "__class__")}


def build_request(prompt: str, *, stream: bool, **params: Any) -> Request:
    """A validated request with ``details`` on, as text-generation 0.7.0 sends it.

    ``stop_sequences`` maps to ``stop``. Raises ``ClientValidationError`` before any I/O.
    """
    from text_generation._params import request_for

    return request_for(prompt, stream=stream, **params)


#: Bodies already built, keyed by the exact parameters (their types and values): a call with the
#: same parameters as an earlier one (the common case) skips validation and the generated models.
_BODIES: dict[tuple[Any, ...], dict[str, Any]] = {}
_BODIES_MAX = 128
_PLAIN = frozenset({type(None), bool, int, str})


def _body_key(
    prompt: Any, stream: bool, compat: bool, params: dict[str, Any]
) -> tuple[Any, ...] | None:
    """The cache key of a call, or None when its body must be built afresh: a prompt that is not
    a non-empty ``str``, or a parameter other than None, a bool, an int, a str, a non-zero finite
    float (``-0.0`` and ``0.0`` are equal but not sent alike) or a list of str as
    ``stop_sequences`` (a ``Grammar``, say)."""
    if type(prompt) is not str or not prompt:
        return None
    values = tuple(params.values())
    kinds = tuple(map(type, values))
    if not _PLAIN.issuperset(kinds):
        plain = []
        for name, value in params.items():
            kind = type(value)
            if kind is float:
                if not value or not isfinite(value):
                    return None
            elif kind is list and name == "stop_sequences":
                if not all(type(s) is str for s in value):
                    return None
                value = tuple(value)  # noqa: PLW2901
            elif kind not in _PLAIN:
                return None
            plain.append(value)
        values = tuple(plain)
    return (stream, compat, tuple(params), kinds, values)


def request_body(prompt: str, *, stream: bool, compat: bool, **params: Any) -> dict[str, Any]:
    """The JSON body of a ``generate`` / ``generate_stream`` call: :func:`build_request` then
    :func:`generate_body`, or the body an earlier call with the very same parameters got, with
    this prompt. Raises ``ClientValidationError`` before any I/O."""
    key = _body_key(prompt, stream, compat, params)
    cached = None if key is None else _BODIES.get(key)
    if cached is not None:
        body = dict(cached)  # the prompt goes where it was (same bytes as a fresh build)
        body["inputs"] = prompt
        return body
    body = generate_body(build_request(prompt, stream=stream, **params), compat=compat)
    if key is not None and body.get("inputs") is prompt:
        if len(_BODIES) >= _BODIES_MAX:
            _BODIES.clear()
        _BODIES[key] = body
        body = dict(body)
    return body


def chat_request(model: str = "tgi", **args: Any) -> ChatRequest:
    """The validated chat request; raises ``ClientValidationError``."""
    from text_generation._chat_types import chat_request

    return chat_request(model, **args)


def chat_body(request: ChatRequest) -> dict[str, Any]:
    """The JSON body for ``/v1/chat/completions``."""
    return request.to_model().to_dict()


# -- answers ------------------------------------------------------------------------------------


def _is_json(content_type: str | None) -> bool:
    return content_type is None or "json" in content_type.lower()


def _snippet(body: bytes) -> str:
    text = body[:300].decode("utf-8", errors="replace").strip()
    return text + ("…" if len(body) > 300 else "")


def decode_json(body: bytes, what: str) -> Any:
    """Parse a JSON body; a non-JSON body raises ``InvalidResponseError`` quoting a piece of it."""
    try:
        return loads(body)
    except (ValueError, RecursionError):
        raise InvalidResponseError(f"{what} is not JSON: {_snippet(body)!r}") from None


def _json_object(content_type: str | None, body: bytes) -> dict[str, Any] | None:
    """A JSON object body, or None for anything else (empty, not JSON, not an object)."""
    if not body or not _is_json(content_type):
        return None
    try:
        payload = loads(body)
    except (ValueError, RecursionError):
        return None
    return payload if isinstance(payload, dict) else None


def error_from_response(
    status_code: int, content_type: str | None, body: bytes, retry_after: str | None = None
) -> TextGenerationError:
    """The exception for an error answer; a non-JSON body (an HTML 502 from a proxy, TGI's plain
    text 400/413/415/422, an empty 401) keeps its status and a piece of the body."""
    payload = _json_object(content_type, body)
    err = None if payload is None else parse_error(status_code, payload)
    if err is None:
        message = f"HTTP {status_code}: {_snippet(body) or '(empty body)'}"
        if status_code == 422:  # axum's plain-text rejection of a wrongly typed body
            err = ValidationError(message, status_code=status_code)
        else:
            err = parse_error(status_code, {"error": message})
            err._quoted = False
    err.retry_after = parse_retry_after(retry_after)
    return err


def parse_generate(body: bytes, *, compat: bool) -> Response:
    """A ``generate`` answer: ``/generate``'s object, or the compat route's list of one."""
    from text_generation._fastwire import well_formed_answer

    answer = well_formed_answer(body, compat=compat)
    if answer is not None:
        return answer
    payload = decode_json(body, "the generate answer")
    if compat:
        if isinstance(payload, list) and len(payload) == 1:
            payload = payload[0]
        elif not isinstance(payload, dict):  # tolerate servers that answer with the bare object
            raise InvalidResponseError(
                f"the compat route answered {_clip(payload)}, not a list of one answer"
            )
    from text_generation._responses import Response

    return convert(m.GenerateResponse.from_dict, payload, Response.from_model, "generate answer")


def parse_info(body: bytes) -> Info:
    """The ``/info`` answer."""
    from text_generation._responses import Info

    return convert(m.Info.from_dict, decode_json(body, "/info"), Info.from_model, "/info")


def parse_tokenize(body: bytes) -> list[SimpleToken]:
    """The ``/tokenize`` answer."""
    from text_generation._responses import SimpleToken

    payload = decode_json(body, "/tokenize")
    if not isinstance(payload, list):
        raise InvalidResponseError(f"/tokenize: expected a list, got {_clip(payload)}")
    return [convert(m.SimpleToken.from_dict, t, SimpleToken.from_model, "token") for t in payload]


def parse_chat(body: bytes) -> ChatComplete:
    """A non-streamed chat completion."""
    from text_generation._chat_types import ChatComplete

    payload = decode_json(body, "the chat answer")
    return convert(m.ChatCompletion.from_dict, payload, ChatComplete.from_model, "chat answer")


def parse_deployed_models(body: bytes) -> list[DeployedModel]:
    """The Inference API's list of deployed models."""
    from text_generation._responses import DeployedModel

    payload = decode_json(body, "the deployed models list")
    if not isinstance(payload, list):
        raise InvalidResponseError(f"deployed models: expected a list, got {_clip(payload)}")
    return [
        convert(m.DeployedModel.from_dict, x, DeployedModel.from_model, "deployed model")
        for x in payload
    ]


def parse_model_support(body: bytes) -> bool:
    """Whether the Inference API serves the model with text-generation-inference."""
    payload = decode_json(body, "the model status")
    status = convert(m.ModelStatus.from_dict, payload, lambda s: s, "model status")
    if not isinstance(status.framework, str):
        raise InvalidResponseError(f"model status: no framework in {_clip(payload)}")
    return status.framework == "text-generation-inference"


def tokenize_body(prompt: str) -> dict[str, Any]:
    """The JSON body for ``/tokenize``."""
    return m.GenerateRequest(inputs=prompt).to_dict()


def stream_failed(status_code: int, content_type: str | None) -> bool:
    """Whether a streaming answer is an error (or not a stream at all) before any event."""
    return status_code != 200 or "text/event-stream" not in (content_type or "").lower()


def stream_start_error(
    status_code: int, content_type: str | None, body: bytes, retry_after: str | None = None
) -> TextGenerationError:
    """The error for a streaming request answered with an error status or a non-stream body."""
    if status_code >= 400:
        return error_from_response(status_code, content_type, body, retry_after)
    payload = _json_object(content_type, body)
    if payload is not None and "error" in payload:
        return parse_error(status_code, payload)
    kind = content_type or "without content type"
    return InvalidResponseError(
        f"expected an event stream, got HTTP {status_code} {kind}: {_snippet(body)!r}"
    )
