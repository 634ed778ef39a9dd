"""
The admin API: the mock steered over HTTP, under a prefix TGI never uses (`/__admin` by default,
as WireMock's; `MockConfig.admin_prefix = None` or `--admin-prefix ''` switches it off).

- `GET  /__admin/requests?route=/generate&method=POST&since=T&until=T&limit=N`: the journal,
  oldest first (`since`/`until` in epoch seconds; `limit` keeps the newest N), with `dropped`: how
  many older requests the journal let go over `MockConfig.journal_limit` (`--journal-limit`);
  `DELETE /__admin/requests` clears it.
- `GET /__admin/faults`; `PUT /__admin/faults` with `{"spec": "drop-after=2"}` and/or fault fields
  (`{"latency_token": 0.01, "times": 3}`); `DELETE /__admin/faults`.
- `GET /__admin/config`; `PATCH /__admin/config` with `{"field": value, ...}` (unknown fields: 400).
- `POST /__admin/scripted` with `{"prompt": "completion", ...}` adds scripted answers.
- `POST /__admin/reset`: faults, journal and metrics back to the configuration's.

Admin requests are not journaled. Answers are JSON; a bad request is a 400 `{"error": ...}`. With
`--workers N` every worker serves the API over the shared store, so any worker may answer.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from tgi_mock.faults import FaultError, FaultSpec, parse_faults
from tgi_mock.journal import RecordedRequest
from tgi_mock.state import MockState

__all__ = ["DEFAULT_PREFIX", "build_admin"]

DEFAULT_PREFIX = "/__admin"


def _bad(message: str) -> Response:
    return JSONResponse({"error": message}, status_code=400)


def _entry(entry: RecordedRequest) -> dict[str, Any]:
    return {
        "time": entry.time,
        "method": entry.method,
        "path": entry.path,
        "query": entry.query,
        "headers": entry.headers,
        "body": entry.body.decode("utf-8", "replace"),
        "json": entry.json,
        "worker": entry.worker,
    }


def _float(request: Request, name: str) -> float | None:
    value = request.query_params.get(name)
    return None if value is None else float(value)


async def _object(request: Request) -> dict[str, Any]:
    body = await request.body()
    data = json.loads(body) if body.strip() else {}
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    return data


def _faults_json(spec: FaultSpec) -> dict[str, Any]:
    return {k: v for k, v in dataclasses.asdict(spec).items() if v is not None}


def _spec_text(data: dict[str, Any]) -> str:
    """A fault spec from `{"spec": ..., field: value, ...}`: the fields are checked by the same
    grammar (`true` sets a flag, `false`/`null` leaves a field unset) and win over `spec`."""
    items = [str(data.pop("spec", None) or "")]
    for name, value in data.items():
        if value is True:
            items.append(name)
        elif value is not False and value is not None:
            items.append(f"{name}={value}")
    return ";".join(items)


def build_admin(state: MockState, prefix: str) -> ASGIApp:
    """The admin app for `state`, its routes under `prefix`."""

    async def requests(request: Request) -> Response:
        if request.method == "DELETE":
            count = len(state.journal)
            state.journal.reset()
            return JSONResponse({"cleared": count})
        try:
            since, until = _float(request, "since"), _float(request, "until")
            limit = request.query_params.get("limit")
            entries = state.journal.find(
                request.query_params.get("route"),
                request.query_params.get("method"),
                since,
                until,
            )
            if limit is not None:
                entries = entries[-int(limit) :] if int(limit) > 0 else []
        except ValueError as error:
            return _bad(f"bad filter: {error}")
        return JSONResponse(
            {"requests": [_entry(e) for e in entries], "dropped": state.journal.dropped}
        )

    async def faults(request: Request) -> Response:
        if request.method == "DELETE":
            state.faults.clear()
        elif request.method == "PUT":
            try:
                data = await _object(request)
                state.faults.set(parse_faults(_spec_text(data)))
            except (ValueError, TypeError, FaultError) as error:
                return _bad(str(error))
        return JSONResponse({"faults": _faults_json(state.faults.current())})

    async def config(request: Request) -> Response:
        if request.method == "PATCH":
            try:
                changes = await _object(request)
                state.config.copy().update(**changes)  # all or nothing
            except (ValueError, TypeError) as error:
                return _bad(str(error))
            state.config.update(**changes)  # in place: `MockServer.config` stays the live one
            state.publish()
        return JSONResponse(dataclasses.asdict(state.config))

    async def scripted(request: Request) -> Response:
        try:
            answers = await _object(request)
        except ValueError as error:
            return _bad(str(error))
        if not all(isinstance(v, str) for v in answers.values()):
            return _bad("expected a JSON object of prompt → completion strings")
        state.config.scripted.update(answers)
        state.publish()
        return JSONResponse({"scripted": state.config.scripted})

    async def reset(request: Request) -> Response:
        state.reset()
        return JSONResponse({"reset": True})

    routes = [
        Route(prefix + "/requests", requests, methods=["GET", "DELETE"]),
        Route(prefix + "/faults", faults, methods=["GET", "PUT", "DELETE"]),
        Route(prefix + "/config", config, methods=["GET", "PATCH"]),
        Route(prefix + "/scripted", scripted, methods=["POST"]),
        Route(prefix + "/reset", reset, methods=["POST"]),
    ]
    return Starlette(routes=routes)
