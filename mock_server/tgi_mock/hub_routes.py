"""
The Hugging Face routes the Inference API clients use: the Hub API's model info and listing, and
the Inference Providers router, served from `MockConfig.hub_models` (what `huggingface_hub` 2.4.0
and `text_generation.inference_api` call).

Hub API (`HF_ENDPOINT`): `GET /api/models/{repo_id}` (404 for an unknown repo) and
`GET /api/models` filtered by `inference_provider` (`all`, a name, or a comma-separated list of
names; only live mappings count) and `pipeline_tag`, paged by `limit` (default 2) with a
`Link: <...>; rel="next"` header. `expand` (or `expand[]`) picks the fields returned beside `id`;
a model's mapping is an object keyed by provider, a listing's a list of entries with `provider`.

Router (`https://router.huggingface.co`): `POST /hf-inference/models/{model}` (TGI's compat route)
and `POST /hf-inference/models/{model}/v1/chat/completions` for a model that `hf-inference` serves
live; `POST /{provider}/v1/chat/completions` when the body's `model` is the id a live mapping of
`provider` gives. The router's own `POST /v1/chat/completions` is TGI's route of the mock app.
With `MockConfig.router_tokens` set, the router routes answer 401 unless
`Authorization: Bearer <one of them>` is sent.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Route
from starlette.types import Scope

from tgi_mock.extract import raw_body
from tgi_mock.handlers import JSONBody, generate_route
from tgi_mock.openai_routes import chat_route
from tgi_mock.state import MockState

__all__ = ["hub_routes"]

HF_INFERENCE = "hf-inference"
TEXT_TASKS = ("text-generation", "conversational")
PAGE_SIZE = 2


class _Exact(Route):
    """A route that matches only its method and non-empty parameters, so that every other
    request keeps the mock's own answer (TGI's empty 404 or 405)."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child = super().matches(scope)
        if match is Match.PARTIAL or any(v == "" for v in child.get("path_params", {}).values()):
            return Match.NONE, {}
        return match, child


def _live(model: dict[str, Any], provider: str) -> dict[str, Any] | None:
    """The live text mapping of `provider` for `model`, if any."""
    mapping = (model.get("inferenceProviderMapping") or {}).get(provider)
    if isinstance(mapping, dict) and mapping.get("status") == "live":
        return mapping if mapping.get("task") in TEXT_TASKS else None
    return None


def _expand(request: Request) -> list[str]:
    query = request.query_params
    return [*query.getlist("expand"), *query.getlist("expand[]")]


def _item(repo_id: str, model: dict[str, Any], fields: list[str], *, listing: bool) -> Any:
    """A model as the Hub answers it: `id` and the expanded fields (all of ours without)."""
    mapping = model.get("inferenceProviderMapping") or {}
    full = {
        "sha": model.get("sha"),
        "pipeline_tag": model.get("pipeline_tag"),
        "tags": [model.get("pipeline_tag")] if model.get("pipeline_tag") else [],
        "inferenceProviderMapping": (
            [{"provider": p, **m} for p, m in mapping.items()] if listing else dict(mapping)
        ),
    }
    chosen = {k: v for k, v in full.items() if not fields or k in fields}
    return {"_id": repo_id, "id": repo_id, **chosen}


def _providers(value: str) -> list[str] | None:
    """The providers an `inference_provider` filter asks for; None for `all`."""
    return None if value == "all" else [p.strip() for p in value.split(",") if p.strip()]


def hub_routes(state: MockState) -> list[BaseRoute]:
    """The Hub API and router routes, reading `state.config` on every request."""

    def error(status: int, message: str) -> Response:
        return JSONBody({"error": message}, status_code=status)

    def authorized(request: Request) -> bool:
        tokens = state.config.router_tokens
        value = request.headers.get("authorization", "")
        return not tokens or any(value == f"Bearer {t}" for t in tokens)

    async def model_info(request: Request) -> Response:
        repo_id = request.path_params["repo_id"]
        model = state.config.hub_models.get(repo_id)
        if model is None:
            return error(404, "Repository not found")
        return JSONBody(_item(repo_id, model, _expand(request), listing=False))

    async def listing(request: Request) -> Response:
        query = request.query_params
        wanted = query.get("inference_provider")
        tag = query.get("pipeline_tag")
        picked = []
        for repo_id, model in state.config.hub_models.items():
            if tag and model.get("pipeline_tag") != tag:
                continue
            if wanted is not None:
                names = _providers(wanted) or list(model.get("inferenceProviderMapping") or {})
                if not any(_live(model, p) for p in names):
                    continue
            picked.append(_item(repo_id, model, _expand(request), listing=True))
        limit = int(query.get("limit") or PAGE_SIZE)
        start = int(query.get("cursor") or 0)
        response = JSONBody(picked[start : start + limit])
        if start + limit < len(picked):
            pairs = [(k, v) for k, v in query.multi_items() if k != "cursor"]
            nxt = f"{request.url.replace(query=urlencode([*pairs, ('cursor', start + limit)]))}"
            response.headers["link"] = f'<{nxt}>; rel="next"'
        return response

    def served(provider: str, model: str) -> bool:
        hub = state.config.hub_models
        return any(
            (m := _live(entry, provider)) is not None and m.get("providerId") == model
            for entry in hub.values()
        )

    async def task_api(request: Request) -> Response:
        provider, model = request.path_params["provider"], request.path_params["model"].rstrip("/")
        if not authorized(request):
            return error(401, "Invalid credentials in Authorization header")
        if provider != HF_INFERENCE or not served(provider, model):
            return error(404, f"Model {model} is not served by provider {provider}")
        return await generate_route(request, state, "/models")

    async def model_chat(request: Request) -> Response:
        provider, model = request.path_params["provider"], request.path_params["model"].rstrip("/")
        if not authorized(request):
            return error(401, "Invalid credentials in Authorization header")
        if provider != HF_INFERENCE or not served(provider, model):
            return error(404, f"Model {model} is not served by provider {provider}")
        return await chat_route(request, state)

    async def provider_chat(request: Request) -> Response:
        provider = request.path_params["provider"]
        if not authorized(request):
            return error(401, "Invalid credentials in Authorization header")
        try:
            model = json.loads(raw_body(request) or b"{}").get("model")
        except (ValueError, AttributeError):
            model = None
        if not isinstance(model, str) or not served(provider, model):
            return error(404, f"Model {model} is not served by provider {provider}")
        return await chat_route(request, state)

    return [
        _Exact("/api/models", listing, methods=["GET"]),
        _Exact("/api/models/{repo_id:path}", model_info, methods=["GET"]),
        _Exact("/{provider}/models/{model:path}/v1/chat/completions", model_chat, methods=["POST"]),
        _Exact("/{provider}/models/{model:path}", task_api, methods=["POST"]),
        _Exact("/{provider}/v1/chat/completions", provider_chat, methods=["POST"]),
    ]
