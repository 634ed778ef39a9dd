"""Fidelity of `openapi.yaml` to TGI's published OpenAPI (`tests/reference/tgi-openapi.json`).

Every published route and every property of the schemas the client depends on must be in ours with
a compatible type. Where ours deliberately differs on required/nullable, the difference is listed
below with its reason; a listed difference that no longer exists fails the test, so the lists stay
true. What ours documents beyond the published spec is reported, never a failure.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tgi_mock.spec_diff import Route, SpecDiff, diff_specs, load_spec

REPO = Path(__file__).resolve().parents[2]
# TGI's published document, copied into the repository (provenance: tests/reference/README.md).
PUBLISHED = REPO / "tests" / "reference" / "tgi-openapi.json"

CHECKED_SCHEMAS = (
    "GenerateParameters",
    "GenerateResponse",
    "Details",
    "Token",
    "PrefillToken",
    "BestOfSequence",
    "StreamResponse",
    "StreamDetails",
    "ErrorResponse",
    "Info",
    "Tool",
    "FunctionDefinition",
    "ToolCall",
    "FunctionName",
    "DeltaToolCall",
)

DELIBERATE_ROUTE_DIFFERENCES: dict[str, str] = {
    "POST /invocations": (
        "SageMaker-only route; its body is an untagged union of the compat, chat and completion "
        "requests, which the client never sends"
    ),
    "POST /chat_tokenize": (
        "needs the model's chat template to produce its answer; not in our scope (the upstream "
        "client has no such call)"
    ),
}

_ALWAYS_SENT = "the server always sends the key, possibly as null, so ours has it required-nullable"
_OLD_SERVERS = (
    "older TGI servers omit it and the recorded 2023 stream (huggingface_hub cassette) lacks it"
)

DELIBERATE_SCHEMA_DIFFERENCES: dict[tuple[str, str, str], str] = {
    ("GenerateResponse", "details", "nullable"): (
        "the server leaves `details` out when it was not asked (skip_serializing_if) and never "
        "sends null; utoipa marks every Option nullable. Ours: optional, not nullable"
    ),
    ("Details", "seed", "required"): f"{_ALWAYS_SENT} (null unless the request sampled)",
    ("BestOfSequence", "seed", "required"): f"{_ALWAYS_SENT} (null unless the request sampled)",
    ("Details", "top_tokens", "nullable"): (
        "recorded client dumps (TGI's integration-test snapshots) carry an explicit "
        "`top_tokens: null`; ours accepts them (best_of_sequences is nullable in both)"
    ),
    ("BestOfSequence", "top_tokens", "nullable"): (
        "same as Details.top_tokens: the upstream client serializes an absent list as null"
    ),
    ("StreamResponse", "index", "required"): f"ours makes it optional: {_OLD_SERVERS}",
    ("StreamDetails", "input_length", "required"): f"ours makes it optional: {_OLD_SERVERS}",
    ("StreamResponse", "generated_text", "required"): (
        f"{_ALWAYS_SENT} (null except on the last event; no skip_serializing_if)"
    ),
    ("StreamResponse", "details", "required"): (
        f"{_ALWAYS_SENT} (null except on the last event when `details` was asked)"
    ),
    ("StreamDetails", "seed", "required"): _ALWAYS_SENT,
    ("FunctionDefinition", "arguments", "required"): (
        "TGI reads the tool's JSON Schema from `arguments` or its serde alias `parameters` (the "
        "OpenAI key, which utoipa does not show); ours documents both, each optional, one needed"
    ),
    ("Info", "max_input_tokens", "required"): (
        "TGI 2.0 and older send `max_input_length` instead; ours keeps both optional"
    ),
}


@pytest.fixture(scope="module")
def diff() -> SpecDiff:
    if not PUBLISHED.is_file():
        pytest.fail(
            f"published TGI spec not found at {PUBLISHED}: the fidelity tests read "
            "the copy kept in the repository (tests/reference/tgi-openapi.json)",
            pytrace=False,
        )
    ours = REPO / "openapi.yaml"
    return diff_specs(load_spec(PUBLISHED), load_spec(ours), str(PUBLISHED), str(ours))


def test_every_published_route_is_ours_or_deliberate(diff: SpecDiff) -> None:
    missing = [
        str(r) for r in diff.routes_only_published if str(r) not in DELIBERATE_ROUTE_DIFFERENCES
    ]
    assert missing == [], f"published routes missing from openapi.yaml: {missing}"


def test_deliberate_route_differences_are_not_stale(diff: SpecDiff) -> None:
    stale = set(DELIBERATE_ROUTE_DIFFERENCES) - {str(r) for r in diff.routes_only_published}
    assert stale == set(), f"listed as deliberate but no longer different: {sorted(stale)}"


def test_checked_schemas_exist_on_both_sides(diff: SpecDiff) -> None:
    absent = set(CHECKED_SCHEMAS) & {*diff.schemas_only_published, *diff.schemas_only_ours}
    assert absent == set()


def test_checked_schemas_have_every_published_property_with_a_compatible_type(
    diff: SpecDiff,
) -> None:
    problems = [
        str(d)
        for d in diff.schema_differences
        if d.schema in CHECKED_SCHEMAS and d.kind in ("only_published", "type")
    ]
    assert problems == []


def test_required_and_nullable_differences_are_deliberate(diff: SpecDiff) -> None:
    unlisted = [
        str(d)
        for d in diff.schema_differences
        if d.schema in CHECKED_SCHEMAS
        and d.kind in ("required", "nullable", "enum")
        and d.key() not in DELIBERATE_SCHEMA_DIFFERENCES
    ]
    assert unlisted == [], "add each to DELIBERATE_SCHEMA_DIFFERENCES with its reason, or fix it"


def test_deliberate_schema_differences_are_not_stale(diff: SpecDiff) -> None:
    stale = set(DELIBERATE_SCHEMA_DIFFERENCES) - {d.key() for d in diff.schema_differences}
    assert stale == set(), f"listed as deliberate but no longer different: {sorted(stale)}"


def test_reverse_direction_is_reported_but_allowed(diff: SpecDiff) -> None:
    # Ours documents more: Inference API routes, the GET form of `/`, legacy Info fields.
    assert Route("GET", "/framework/text-generation-inference") in diff.routes_only_ours
    assert Route("GET", "/") in diff.routes_only_ours
    only_ours = {d.key() for d in diff.schema_differences if d.kind == "only_ours"}
    assert ("Info", "max_input_length", "only_ours") in only_ours
