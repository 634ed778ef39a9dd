"""
The mock TGI server's ASGI application: Starlette routes that decode, delegate and encode.

Routes (as TGI and the Inference API): `GET|POST /`, `POST /generate`, `POST /generate_stream`,
`GET /info`, `GET /health`, `GET /ping`, `POST /tokenize`, `GET /metrics`,
`POST /v1/chat/completions`, `POST /v1/completions`, `GET /v1/models`,
`GET /framework/text-generation-inference`, `GET /status/{repo_id}`, `POST /models/{repo_id}`;
and the Hub API and router routes of `tgi_mock.hub_routes`.
An unknown path is a 404 and a wrong method a 405, both with an empty body, as axum answers. With
`MockConfig.api_key` set, TGI's base routes (`POST /`, `/generate`, `/generate_stream`, `/tokenize`,
`/v1/*` posts) answer 401 with an empty body unless `Authorization: Bearer <key>` is sent.
The admin API (`tgi_mock.admin`) answers under `MockConfig.admin_prefix` (`/__admin`).
"""

from __future__ import annotations

import contextlib

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp

from tgi_mock.admin import build_admin
from tgi_mock.config import MockConfig
from tgi_mock.extract import RecorderMiddleware, Rejection, json_body
from tgi_mock.faults import HEADER, FaultError, parse_faults
from tgi_mock.handlers import JSONBody, generate_route, json_error
from tgi_mock.hf_tokenizer import tokenizer_for
from tgi_mock.hub_routes import hub_routes
from tgi_mock.openai_routes import chat_route, completions_route
from tgi_mock.pacing import timing_rejection
from tgi_mock.schema import GENERATE_REQUEST
from tgi_mock.state import MockState

__all__ = ["build_app"]


def build_app(state: MockState | None = None, config: MockConfig | None = None) -> ASGIApp:
    """The ASGI app serving `state` (a fresh one from `config` when not given)."""
    state = state if state is not None else MockState(config)

    async def health(request: Request) -> Response:
        healthy = state.config.healthy and not state.faults.current().unhealthy
        with contextlib.suppress(FaultError):
            healthy = healthy and not parse_faults(request.headers.get(HEADER)).unhealthy
        if not healthy:
            return json_error(503, "unhealthy", "healthcheck")
        return Response(status_code=200)

    def authorized(request: Request) -> bool:
        """TGI's `--api-key` check on its base routes (case-insensitive compare of the value)."""
        key = state.config.api_key
        if key is None:
            return True
        value = request.headers.get("authorization")
        return value is not None and value.lower() == f"Bearer {key}".lower()

    async def root(request: Request) -> Response:
        if request.method == "POST":
            if not authorized(request):
                return Response(status_code=401)
            return await generate_route(request, state, "/")
        return await health(request)

    async def generate(request: Request) -> Response:
        if not authorized(request):
            return Response(status_code=401)
        return await generate_route(request, state, "/generate")

    async def generate_stream(request: Request) -> Response:
        if not authorized(request):
            return Response(status_code=401)
        return await generate_route(request, state, "/generate_stream")

    async def info(request: Request) -> Response:
        return JSONBody(state.config.info())

    async def tokenize_route(request: Request) -> Response:
        if not authorized(request):
            return Response(status_code=401)
        try:
            body = json_body(request, GENERATE_REQUEST)
        except Rejection as rejection:
            return rejection.response
        pieces = tokenizer_for(state.config.tokenizer).tokenize(body["inputs"])
        return JSONBody(
            [{"id": p.id, "text": p.text, "start": p.start, "stop": p.stop} for p in pieces]
        )

    async def metrics(request: Request) -> Response:
        text = state.metrics.render(state.permits.in_flight)
        return Response(text, media_type="text/plain; charset=utf-8")

    async def chat(request: Request) -> Response:
        if not authorized(request):
            return Response(status_code=401)
        rejection = timing_rejection(request, state)
        if rejection is not None:
            return rejection
        return await chat_route(request, state)

    async def completions(request: Request) -> Response:
        if not authorized(request):
            return Response(status_code=401)
        rejection = timing_rejection(request, state)
        if rejection is not None:
            return rejection
        return await completions_route(request, state)

    async def models(request: Request) -> Response:
        model_id = state.config.model_id
        data = [{"id": model_id, "object": "model", "created": 0, "owned_by": model_id}]
        return JSONBody({"object": "list", "data": data})

    async def deployed(request: Request) -> Response:
        return JSONBody(state.config.deployed_models)

    async def status(request: Request) -> Response:
        repo_id = request.path_params["repo_id"]
        config = state.config
        if repo_id in config.served_models():
            body = {"loaded": True, "state": "Loaded", "compute_type": "gpu"}
            return JSONBody({**body, "framework": "text-generation-inference"})
        if repo_id in config.unsupported_models:
            body = {"loaded": False, "state": "Loadable", "compute_type": "cpu"}
            return JSONBody({**body, "framework": config.unsupported_models[repo_id]})
        return JSONBody({"error": f"Model {repo_id} does not exist"}, status_code=404)

    async def model_compat(request: Request) -> Response:
        repo_id = request.path_params["repo_id"]
        if repo_id not in state.config.served_models():
            return JSONBody({"error": f"Model {repo_id} does not exist"}, status_code=404)
        return await generate_route(request, state, "/models")

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        headers = dict(exc.headers or {})
        if "Allow" in headers:  # axum's order and separator: "GET,HEAD"
            allowed = {m.strip() for m in headers.pop("Allow").split(",")}
            order = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"]
            headers["allow"] = ",".join(m for m in order if m in allowed)
        return Response(status_code=exc.status_code, headers=headers)

    routes = [
        Route("/", root, methods=["GET", "POST"]),
        Route("/generate", generate, methods=["POST"]),
        Route("/generate_stream", generate_stream, methods=["POST"]),
        Route("/info", info, methods=["GET"]),
        Route("/health", health, methods=["GET"]),
        Route("/ping", health, methods=["GET"]),
        Route("/tokenize", tokenize_route, methods=["POST"]),
        Route("/metrics", metrics, methods=["GET"]),
        Route("/v1/chat/completions", chat, methods=["POST"]),
        Route("/v1/completions", completions, methods=["POST"]),
        Route("/v1/models", models, methods=["GET"]),
        Route("/framework/text-generation-inference", deployed, methods=["GET"]),
        Route("/status/{repo_id:path}", status, methods=["GET"]),
        Route("/models/{repo_id:path}", model_compat, methods=["POST"]),
        *hub_routes(state),  # the Hub API and the Inference Providers router
    ]
    app = Starlette(routes=routes, exception_handlers={404: http_error, 405: http_error})
    app.router.redirect_slashes = False
    prefix = state.config.admin_prefix
    admin = build_admin(state, prefix) if prefix else None
    return RecorderMiddleware(app, state, admin, prefix)
