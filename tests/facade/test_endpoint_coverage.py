"""Every generated endpoint module is called by the facade (its route built by ``_get_kwargs``, or
its answer parsed by ``_parse_response`` through ``_core.parsed``), or is listed here with the
reason it is not: none is dead by accident, and a route added to openapi.yaml fails this test
until the facade calls it or a reason is written down."""

from __future__ import annotations

import pkgutil
import re
from pathlib import Path

import tgi_client.api

FACADE = Path(__file__).resolve().parents[2] / "text_generation"

#: Generated endpoint modules the facade does not call, and why.
NOT_CALLED = {
    "completions": "/v1/completions is not in text-generation 0.7.0's API; the mock and "
    "tgi-contract cover it",
    "metrics": "Prometheus text for scrapers, not part of the client API",
    "model_generate": "the Inference API's /models/{repo_id}: InferenceAPIClient posts to the "
    "compat route '/' under that base URL, through compat_generate",
    "openai_get_model_info": "/v1/models is for OpenAI clients; Client.info() reads /info",
    "ping": "a liveness probe for orchestrators; Client.health() reads /health",
    "root_health": "GET / duplicates /health; Client.health() reads /health",
}


def endpoint_modules() -> set[str]:
    names = set()
    for group in pkgutil.iter_modules(tgi_client.api.__path__):
        package = __import__(f"tgi_client.api.{group.name}", fromlist=["_"])
        names |= {m.name for m in pkgutil.iter_modules(package.__path__)}
    return names


def called_modules() -> set[str]:
    source = "\n".join(p.read_text(encoding="utf-8") for p in FACADE.rglob("*.py"))
    return set(re.findall(r"\b(\w+)\._get_kwargs\(", source)) | set(
        re.findall(r"\bparsed\((\w+),", source)
    )


def test_every_endpoint_module_is_called_or_explained() -> None:
    modules = endpoint_modules()
    called = called_modules() & modules
    assert sorted(modules - called - set(NOT_CALLED)) == [], "call it, or add it to NOT_CALLED"
    assert sorted(set(NOT_CALLED) & called) == [], "stale NOT_CALLED entries: the facade calls them"
    assert sorted(set(NOT_CALLED) - modules) == [], "stale NOT_CALLED entries: no such module"


def test_the_facade_calls_the_text_generation_routes() -> None:
    assert {
        "generate",
        "generate_stream",
        "compat_generate",
        "chat_completions",
        "get_model_info",
        "health",
        "tokenize",
        "model_status",
    } <= called_modules()
