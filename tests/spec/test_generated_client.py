"""The generated low-level client imports, and GenerateRequest round-trips through its dicts."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from tgi_client.models import (
    GenerateParameters,
    GenerateRequest,
    JsonGrammar,
    JsonSchemaGrammar,
    RegexGrammar,
)

_SCHEMA = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "tags": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["name"],
}

ALL_PARAMETERS: dict[str, Any] = {
    "adapter_id": "customer_support",
    "best_of": 2,
    "decoder_input_details": True,
    "details": True,
    "do_sample": True,
    "frequency_penalty": 0.5,
    "grammar": {"type": "regex", "value": "[0-9]+"},
    "max_new_tokens": 20,
    "repetition_penalty": 1.03,
    "return_full_text": False,
    "seed": 2**63 + 5,  # a u64 beyond 2^53 survives
    "stop": ["photographer", "\n\n"],
    "temperature": 0.5,
    "top_k": 10,
    "top_n_tokens": 5,
    "top_p": 0.95,
    "truncate": 1000,
    "typical_p": 0.95,
    "watermark": True,
}

GRAMMARS: dict[str, tuple[dict[str, Any], type, type]] = {
    "json-object": ({"type": "json", "value": _SCHEMA}, JsonGrammar, dict),
    "json-string": ({"type": "json", "value": '{"type": "integer"}'}, JsonGrammar, str),
    "regex": ({"type": "regex", "value": r"\d{3}-\d{4}"}, RegexGrammar, str),
    "json_schema": (
        {"type": "json_schema", "value": {"name": "person", "schema": _SCHEMA}},
        JsonSchemaGrammar,
        object,
    ),
    "json_schema-unnamed": (
        {"type": "json_schema", "value": {"name": None, "schema": _SCHEMA}},
        JsonSchemaGrammar,
        object,
    ),
}


def test_generated_package_imports() -> None:
    for module in ("tgi_client", "tgi_client.client", "tgi_client.models", "tgi_client.types"):
        importlib.import_module(module)
    importlib.import_module("tgi_client.api.text_generation_inference.generate")


def test_all_parameters_cover_every_generated_field() -> None:
    names = {f.alias or name for name, f in GenerateParameters.model_fields.items()}
    assert names == set(ALL_PARAMETERS)


@pytest.mark.parametrize("grammar_id", GRAMMARS)
def test_generate_request_round_trips_with_every_parameter(grammar_id: str) -> None:
    grammar, grammar_class, value_class = GRAMMARS[grammar_id]
    payload = {
        "inputs": "My name is Olivier and I",
        "parameters": {**ALL_PARAMETERS, "grammar": grammar},
    }
    request = GenerateRequest.from_dict(payload)
    assert isinstance(request.parameters, GenerateParameters)
    parsed = request.parameters.grammar
    assert isinstance(parsed, JsonGrammar | RegexGrammar | JsonSchemaGrammar)
    assert type(parsed) is grammar_class
    assert isinstance(parsed.value, value_class)
    assert request.to_dict() == payload
    assert GenerateRequest.from_dict(request.to_dict()).to_dict() == payload


def test_nullable_parameters_round_trip_as_null() -> None:
    nulls = {
        name: None
        for name in ALL_PARAMETERS
        if name not in {"decoder_input_details", "details", "do_sample", "stop", "watermark"}
    }
    payload = {"inputs": "x", "parameters": nulls}
    assert GenerateRequest.from_dict(payload).to_dict() == payload


def test_no_parameters_sends_only_inputs() -> None:
    assert GenerateParameters().to_dict() == {}
    assert GenerateRequest(inputs="Hello").to_dict() == {"inputs": "Hello"}
    assert GenerateRequest(inputs="Hello", parameters=GenerateParameters()).to_dict() == {
        "inputs": "Hello",
        "parameters": {},
    }
    assert GenerateRequest.from_dict({"inputs": "Hello"}).to_dict() == {"inputs": "Hello"}
