"""The sans-I/O core shared by ``Client`` and ``AsyncClient``: request bodies built through the
generated models, answers parsed by them and converted once, and error answers mapped to typed
exceptions. Nothing here touches a socket."""

from __future__ import annotations

from math import isfinite
from typing import TYPE_CHECKING, Any

import httpx
import pydantic

from text_generation._base import describe
from text_generation._json import loads
from text_generation._retry import parse_retry_after
from text_generation._wirecheck import _clip
from text_generation.errors import (
    InvalidResponseError,
    TextGenerationError,
    ValidationError,
    parse_error,
)
from tgi_client import Client as GeneratedClient
from tgi_client import models as m
from tgi_client.api.inference_api import deployed_models, model_status
from tgi_client.api.text_generation_inference import (
    chat_completions,
    compat_generate,
    generate,
    generate_stream,
    get_model_info,
    health,
    tokenize,
)

if TYPE_CHECKING:
    from text_generation._chat_types import ChatComplete, ChatRequest
    from text_generation._params import Grammar, Parameters, Request
    from tgi_client.models import DeployedModel, Info, Response, SimpleToken

#: A route as the generated endpoint module gives it: method, path, JSON body (or None).
Route = tuple[str, str, Any]


def route(kwargs: dict[str, Any]) -> Route:
    """The method, path and JSON body of a generated endpoint's ``_get_kwargs`` answer."""
    return kwargs["method"].upper(), kwargs["url"], kwargs.get("json")


INFO = route(get_model_info._get_kwargs())
HEALTH = route(health._get_kwargs())


def _grammar_model(grammar: Grammar) -> m.JsonGrammar | m.RegexGrammar | m.JsonSchemaGrammar:
    if grammar.type == "regex":
        return m.RegexGrammar(type="regex", value=str(grammar.value))
    if grammar.type == "json_schema":
        return m.JsonSchemaGrammar.from_dict({"type": "json_schema", "value": grammar.value})
    return m.JsonGrammar.from_dict({"type": "json", "value": grammar.value})


def parameters_model(p: Parameters) -> m.GenerateParameters:
    """The generated ``GenerateParameters`` for validated parameters; None values are left out."""
    fields = {k: v for k, v in p if v is not None and k != "grammar"}
    if p.grammar is not None:
        fields["grammar"] = _grammar_model(p.grammar)
    fields["stop"] = list(p.stop)
    return m.GenerateParameters.model_construct(**fields)


def generate_route(request: Request, *, stream: bool, compat: bool) -> Route:
    """Method, path and JSON body of a ``generate`` / ``generate_stream`` call, from the generated
    endpoint modules: ``/generate``, ``/generate_stream`` or, with ``compat``, the compat route
    (which carries ``stream`` in the body)."""
    params = None if request.parameters is None else parameters_model(request.parameters)
    extra = {} if params is None else {"parameters": params}
    if compat:
        compat_body = m.CompatGenerateRequest(inputs=request.inputs, stream=request.stream, **extra)
        return route(compat_generate._get_kwargs(body=compat_body))
    body = m.GenerateRequest(inputs=request.inputs, **extra)
    if stream:
        return route(generate_stream._get_kwargs(body=body))
    return route(generate._get_kwargs(body=body))


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
_BODIES: dict[tuple[Any, ...], Route] = {}
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


def request_body(prompt: str, *, stream: bool, compat: bool, **params: Any) -> Route:
    """The route and JSON body of a ``generate`` / ``generate_stream`` call: :func:`build_request`
    then :func:`generate_route`, or the body an earlier call with the very same parameters got,
    with this prompt. Raises ``ClientValidationError`` before any I/O."""
    key = _body_key(prompt, stream, compat, params)
    cached = None if key is None else _BODIES.get(key)
    if cached is not None:
        method, path, body = cached
        body = dict(body)  # the prompt goes where it was (same bytes as a fresh build)
        body["inputs"] = prompt
        return method, path, body
    call = generate_route(
        build_request(prompt, stream=stream, **params), stream=stream, compat=compat
    )
    if key is not None and call[2].get("inputs") is prompt:
        if len(_BODIES) >= _BODIES_MAX:
            _BODIES.clear()
        _BODIES[key] = call
        call = (call[0], call[1], dict(call[2]))
    return call


def chat_request(model: str = "tgi", **args: Any) -> ChatRequest:
    """The validated chat request; raises ``ClientValidationError``."""
    from text_generation._chat_types import chat_request

    return chat_request(model, **args)


def chat_route(request: ChatRequest) -> Route:
    """Method, path and JSON body of a ``/v1/chat/completions`` call."""
    return route(chat_completions._get_kwargs(body=request.to_model()))


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


#: What the endpoint modules' parsers are handed: they read only its ``raise_on_unexpected_status``
#: (off: a status the spec does not list parses to None, and the caller maps it to an error).
_PARSING = GeneratedClient(base_url="", raise_on_unexpected_status=False)


def parsed(endpoint: Any, resp: httpx.Response, what: str) -> Any:
    """A 2xx answer, parsed from its bytes by the generated endpoint module (its model, strict:
    each value of its JSON type); anything else raises ``InvalidResponseError`` saying why."""
    try:
        return endpoint._parse_response(client=_PARSING, response=resp)
    except pydantic.ValidationError as err:
        if err.error_count() == 1 and err.errors()[0]["type"] == "json_invalid":
            raise InvalidResponseError(f"{what} is not JSON: {_snippet(resp.content)!r}") from None
        raise InvalidResponseError(f"{what}: {describe(err)}") from None


def parse_generate(resp: httpx.Response, *, compat: bool) -> Response:
    """A ``generate`` answer: ``/generate``'s object, or the compat route's list of one (a bare
    object is taken too, as some servers answer)."""
    if not compat:
        answer: Response = parsed(generate, resp, "the generate answer")
        return answer
    if resp.content.lstrip()[:1] == b"{":
        bare: Response = parsed(generate, resp, "the generate answer")
        return bare
    answers: list[Response] = parsed(compat_generate, resp, "the generate answer")
    if len(answers) != 1:
        raise InvalidResponseError(
            f"the compat route answered {len(answers)} answers, not a list of one"
        )
    return answers[0]


def parse_info(resp: httpx.Response) -> Info:
    """The ``/info`` answer."""
    info: Info = parsed(get_model_info, resp, "/info")
    return info


def parse_tokenize(resp: httpx.Response) -> list[SimpleToken]:
    """The ``/tokenize`` answer."""
    tokens: list[SimpleToken] = parsed(tokenize, resp, "/tokenize")
    return tokens


def parse_chat(resp: httpx.Response) -> ChatComplete:
    """A non-streamed chat completion."""
    from text_generation._chat_types import ChatComplete

    answer = parsed(chat_completions, resp, "the chat answer")
    return ChatComplete.from_model(answer)


def parse_deployed_models(resp: httpx.Response) -> list[DeployedModel]:
    """The Inference API's list of deployed models."""
    models: list[DeployedModel] = parsed(deployed_models, resp, "the deployed models list")
    return models


def parse_model_support(resp: httpx.Response) -> bool:
    """Whether the Inference API serves the model with text-generation-inference."""
    status: m.ModelStatus = parsed(model_status, resp, "the model status")
    if not isinstance(status.framework, str):
        raise InvalidResponseError(f"model status: no framework in {_clip(resp.content)}")
    return status.framework == "text-generation-inference"


def tokenize_route(prompt: str) -> Route:
    """Method, path and JSON body of a ``/tokenize`` call."""
    return route(tokenize._get_kwargs(body=m.GenerateRequest(inputs=prompt)))


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
