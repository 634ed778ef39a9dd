"""A change of openapi.yaml must show up as a failing test, not as a silently missing feature.

``generated/tgi_client`` is regenerated from openapi.yaml; the facade (``text_generation``) is
written by hand on top of it. These tests tie the two together:

* every ``GenerateParameters`` property is a keyword of ``generate`` / ``generate_stream`` (of
  ``Client`` and ``AsyncClient``), or is listed in ``NOT_EXPOSED`` with the reason; every keyword
  is a property; and each keyword really reaches the wire under the property's name;
* every field of each generated answer model the facade converts is a field of its documented
  type, or is listed in ``DELIBERATELY_DROPPED`` with the reason.

Neither list may hold stale entries, and the checkers are shown to fail on a synthetic gap.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel
from pytest_httpserver import HTTPServer

from tests.facade.regeneration_checks import (
    DELIBERATELY_DROPPED,
    NOT_EXPOSED,
    keyword_properties,
    parameter_gaps,
    schema_properties,
    spec,
    undocumented_fields,
)
from tests.facade.twins import Twin
from text_generation import (
    AsyncClient,
    Client,
    InferenceAPIAsyncClient,
    InferenceAPIClient,
    types,
)
from text_generation.types import Grammar, GrammarType
from tgi_client import models as m

# == GenerateParameters <-> the generate keywords ===============================================

CLIENT_CLASSES: list[type[Any]] = [
    Client,
    AsyncClient,
    InferenceAPIClient,
    InferenceAPIAsyncClient,
]
METHODS = [
    pytest.param(cls, method, id=f"{cls.__name__}.{method}")
    for cls in CLIENT_CLASSES
    for method in ("generate", "generate_stream")
]


def test_not_exposed_names_the_generate_methods() -> None:
    assert set(NOT_EXPOSED) == {"generate", "generate_stream"}
    assert all(reason.strip() for reasons in NOT_EXPOSED.values() for reason in reasons.values())


@pytest.mark.parametrize(("cls", "method"), METHODS)
def test_generate_parameters_are_all_exposed(cls: type[Any], method: str) -> None:
    properties = schema_properties("GenerateParameters")
    assert parameter_gaps(getattr(cls, method), properties, NOT_EXPOSED[method]) == []


def test_generated_generate_parameters_match_the_spec() -> None:
    """The generated model was regenerated from this spec (its fields are the properties)."""
    fields = {f.alias or name for name, f in m.GenerateParameters.model_fields.items()}
    assert fields == schema_properties("GenerateParameters")


def test_parameters_type_has_every_property() -> None:
    """The documented ``Parameters`` type carries exactly the GenerateParameters properties."""
    fields = set(types.Parameters.model_fields)
    assert fields == schema_properties("GenerateParameters")


def test_sync_and_async_signatures_agree() -> None:
    for method in ("generate", "generate_stream"):
        sync = inspect.signature(getattr(Client, method))
        asynchronous = inspect.signature(getattr(AsyncClient, method))
        assert list(sync.parameters.values()) == list(asynchronous.parameters.values()), method


#: A non-default value for each keyword, and what it must become on the wire.
SAMPLES: dict[str, tuple[Any, Any]] = {
    "do_sample": (True, True),
    "max_new_tokens": (5, 5),
    "best_of": (1, 1),
    "repetition_penalty": (1.3, 1.3),
    "frequency_penalty": (0.5, 0.5),
    "return_full_text": (True, True),
    "seed": (7, 7),
    "stop_sequences": (["\n\n", "END"], ["\n\n", "END"]),
    "temperature": (0.7, 0.7),
    "top_k": (5, 5),
    "top_p": (0.8, 0.8),
    "truncate": (9, 9),
    "typical_p": (0.6, 0.6),
    "watermark": (True, True),
    "decoder_input_details": (True, True),
    "top_n_tokens": (2, 2),
    "grammar": (
        Grammar(type=GrammarType.Regex, value="[a-z]+"),
        {"type": "regex", "value": "[a-z]+"},
    ),
    "adapter_id": ("customer-support", "customer-support"),
}

_TOKEN = {"id": 1, "text": " ok", "logprob": -0.5, "special": False}
_ANSWER = {
    "generated_text": " ok",
    "details": {
        "finish_reason": "length",
        "generated_tokens": 1,
        "seed": 7,
        "prefill": [],
        "tokens": [_TOKEN],
    },
}
_EVENT = {
    "index": 1,
    "token": _TOKEN,
    "generated_text": " ok",
    "details": {"finish_reason": "length", "generated_tokens": 1, "seed": 7, "input_length": 2},
}


@pytest.fixture
def live(kind: str, httpserver: HTTPServer) -> Iterator[Twin]:
    """A client of ``kind`` pointed at the test HTTP server."""
    twin = Twin(kind, httpserver.url_for("/"))
    yield twin
    twin.close()


@pytest.mark.parametrize("method", ["generate", "generate_stream"])
def test_every_keyword_reaches_the_wire(method: str, live: Twin, httpserver: HTTPServer) -> None:
    """Accepted is not enough: each keyword must land in the body under its property name."""
    keywords = keyword_properties(getattr(type(live.client), method))
    missing = sorted(set(keywords) - set(SAMPLES))
    assert not missing, f"add a sample value to SAMPLES for the new keyword(s) {missing}"
    route = httpserver.expect_request(f"/{method}", method="POST")
    if method == "generate":
        route.respond_with_json(_ANSWER)
    else:
        body = b"data: " + json.dumps(_EVENT).encode() + b"\n\n"
        route.respond_with_data(body, content_type="text/event-stream")

    kwargs = {k: SAMPLES[k][0] for k in keywords}
    if method == "generate":
        live.call(method, "Why is the sky blue?", **kwargs)
    else:
        live.stream(method, "Why is the sky blue?", **kwargs)

    (request, _), *_ = httpserver.log
    params = json.loads(request.get_data())["parameters"]
    for keyword, prop in keywords.items():
        assert prop in params, f"{method}({keyword}=...) was not sent as `{prop}`"
        sent, wanted = json.dumps(params[prop]), json.dumps(SAMPLES[keyword][1])
        assert sent == wanted, f"{method}({keyword}=...) sent `{prop}`: {sent}, not {wanted}"
    assert params["details"] is True


# == generated answer models <-> documented types ===============================================

#: The documented types that are the generated models themselves: (spec schema, type).
GENERATED_TYPES: list[tuple[str, type[Any]]] = [
    ("GenerateResponse", types.Response),
    ("Details", types.Details),
    ("BestOfSequence", types.BestOfSequence),
    ("Token", types.Token),
    ("PrefillToken", types.InputToken),
    ("StreamResponse", types.StreamResponse),
    ("StreamDetails", types.StreamDetails),
    ("Info", types.Info),
    ("SimpleToken", types.SimpleToken),
    ("DeployedModel", types.DeployedModel),
    ("ChatCompletionChunk", types.ChatCompletionChunk),
    ("ChatCompletionChoice", types.Choice),
    ("ChatCompletionDelta", types.ChoiceDelta),
    ("DeltaToolCall", types.ChoiceDeltaToolCall),
    ("DeltaFunction", types.Function),
    ("FinishReason", types.FinishReason),
]

#: The generated models the facade still converts, and the documented type each becomes.
MODEL_PAIRS: list[tuple[str, type[Any]]] = [
    ("ChatCompletion", types.ChatComplete),
    ("ChatCompletionComplete", types.ChatCompletionComplete),
    ("OutputMessage", types.Message),
    ("ToolCall", types.ToolCall),
]


@pytest.mark.parametrize(
    ("schema", "documented"), GENERATED_TYPES, ids=[s for s, _ in GENERATED_TYPES]
)
def test_documented_type_is_the_generated_model(schema: str, documented: type[Any]) -> None:
    """No second list of fields: the type a user reads is the class generated from the spec."""
    assert documented.__module__.startswith("tgi_client.models."), documented
    properties = spec()["components"]["schemas"][schema].get("properties")
    if properties is not None:
        fields = {f.alias or name for name, f in documented.model_fields.items()}
        assert fields == set(properties)


@pytest.mark.parametrize(
    ("model_name", "documented"),
    [pytest.param(name, doc, id=f"{name}-{doc.__name__}") for name, doc in MODEL_PAIRS],
)
def test_generated_fields_are_documented(model_name: str, documented: type[Any]) -> None:
    generated = getattr(m, model_name)
    dropped = DELIBERATELY_DROPPED.get(model_name, {})
    assert undocumented_fields(generated, documented, dropped) == []


def test_deliberately_dropped_names_known_models() -> None:
    known = {name for name, _ in MODEL_PAIRS}
    assert set(DELIBERATELY_DROPPED) <= known, set(DELIBERATELY_DROPPED) - known
    assert all(r.strip() for reasons in DELIBERATELY_DROPPED.values() for r in reasons.values())


def test_info_keeps_what_a_newer_server_adds() -> None:
    """Keys the spec does not name (an older server's, a newer one's) stay readable."""
    payload = {
        "model_id": "bigscience/bloom-560m",
        "max_concurrent_requests": 128,
        "max_best_of": 2,
        "max_stop_sequences": 4,
        "max_total_tokens": 2048,
        "validation_workers": 2,
        "max_client_batch_size": 4,
        "router": "text-generation-router",
        "version": "2.0.4",
        "max_input_length": 1024,
        "brand_new": {"x": 1},
    }
    info = types.Info.model_validate_json(json.dumps(payload), strict=True)
    assert info.max_input_length == 1024
    assert info.model_extra == {"brand_new": {"x": 1}}
    assert info.model_dump()["brand_new"] == {"x": 1}


# == the checkers can fail ======================================================================


class _GeneratedLike(BaseModel):
    """Stands for a regenerated model that gained a property (``min_p``)."""

    id: int
    type: str
    min_p: float


class _DocumentedLike(BaseModel):
    """Stands for the documented type the facade forgot to extend."""

    id: int
    type: str


def test_field_checker_reports_a_new_generated_field() -> None:
    problems = undocumented_fields(_GeneratedLike, _DocumentedLike, {})
    assert problems == [
        "_GeneratedLike -> _DocumentedLike: `min_p` is not a documented field "
        "(nor DELIBERATELY_DROPPED)"
    ]
    assert undocumented_fields(_GeneratedLike, _DocumentedLike, {"min_p": "why"}) == []


def test_field_checker_reports_stale_entries() -> None:
    dropped = {"min_p": "why", "gone": "removed from the spec", "type": "now documented"}
    assert undocumented_fields(_GeneratedLike, _DocumentedLike, dropped) == [
        "_GeneratedLike -> _DocumentedLike: stale DELIBERATELY_DROPPED `gone`: no such field",
        "_GeneratedLike -> _DocumentedLike: stale DELIBERATELY_DROPPED `type`: "
        "it is documented now",
    ]


def test_parameter_checker_reports_a_new_spec_property() -> None:
    """A property added to GenerateParameters in openapi.yaml fails the check for every
    method until it is a keyword (or NOT_EXPOSED)."""
    properties = schema_properties("GenerateParameters") | {"min_p"}
    for cls in (Client, AsyncClient):
        for method in ("generate", "generate_stream"):
            func = getattr(cls, method)
            assert parameter_gaps(func, properties, NOT_EXPOSED[method]) == [
                f"GenerateParameters.min_p is not a keyword of {func.__qualname__} "
                "(nor NOT_EXPOSED)"
            ]


def test_parameter_checker_reports_unknown_keywords_and_stale_entries() -> None:
    def generate(
        self: object,
        prompt: str,
        do_sample: bool = False,
        stop_sequences: Any = None,
        bogus: int = 1,
    ) -> None:
        """A method with a keyword the spec does not know, lacking ``seed``."""

    properties = {"do_sample", "stop", "seed", "details"}
    not_exposed = {"details": "always on", "do_sample": "but it is taken", "top_k": "removed"}
    where = generate.__qualname__
    assert parameter_gaps(generate, properties, not_exposed) == [
        f"GenerateParameters.seed is not a keyword of {where} (nor NOT_EXPOSED)",
        f"{where}(bogus=) fills no GenerateParameters property `bogus`",
        f"stale NOT_EXPOSED entry `do_sample`: {where} takes it",
        "stale NOT_EXPOSED entry `top_k`: not a GenerateParameters property",
    ]
