"""What the Inference API clients need from Hugging Face, without I/O: the token, the Hub API's
URLs and answers, and the router URL a model is called through.

Defaults follow ``huggingface_hub`` 2.4.0: the Hub at ``HF_ENDPOINT`` (``https://huggingface.co``),
the Inference Providers router at ``https://router.huggingface.co/{provider}``, the provider
policy ``"auto"``, and the token from the ``token`` argument, ``HF_TOKEN`` (or the older
``HUGGING_FACE_HUB_TOKEN``), or the file ``hf auth login`` writes (``HF_TOKEN_PATH``, by default
``$HF_HOME/token``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from text_generation.errors import InvalidResponseError, ProviderNotSupportedError
from tgi_client.api.inference_api import deployed_models

if TYPE_CHECKING:  # the pydantic types load on the first call, not on import
    from tgi_client.models import DeployedModel

ROUTER_URL = "https://router.huggingface.co"
HUB_URL = "https://huggingface.co"
RETIRED_HOST = "api-inference.huggingface.co"
HF_INFERENCE = "hf-inference"
AUTO = "auto"
TEXT_TASKS = frozenset({"text-generation", "conversational"})
MAPPING = "inferenceProviderMapping"

#: Providers whose OpenAI-compatible chat route is not ``/v1/chat/completions`` under the
#: router, but ``{prefix}/v1/chat/completions`` (``huggingface_hub``'s provider helpers).
CHAT_PREFIX = {"cohere": "/compatibility", "fireworks-ai": "/inference", "groq": "/openai"}
#: Providers whose chat route has another shape: not reachable with this client.
NO_CHAT_ROUTE = frozenset({"deepinfra", "novita", "zai-org"})


def hub_endpoint() -> str:
    """The Hub's base URL: ``HF_ENDPOINT``, or ``https://huggingface.co``."""
    return (os.environ.get("HF_ENDPOINT") or HUB_URL).rstrip("/")


def legacy_endpoint() -> str | None:
    """``HF_INFERENCE_ENDPOINT`` when set: a self-hosted or legacy Inference API."""
    value = os.environ.get("HF_INFERENCE_ENDPOINT")
    return value.rstrip("/") if value else None


def _clean(token: str | None) -> str | None:
    token = (token or "").replace("\r", "").replace("\n", "").strip()
    return token or None


def _token_path() -> Path:
    home = os.environ.get("HF_HOME") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join("~", ".cache"), "huggingface"
    )
    path = os.environ.get("HF_TOKEN_PATH") or os.path.join(home, "token")
    return Path(os.path.expandvars(os.path.expanduser(path)))


def resolve_token(token: str | None) -> str | None:
    """The token to send: ``token``, else ``HF_TOKEN``, else the saved login; None without."""
    found = _clean(token) or _clean(
        os.environ.get("HF_TOKEN") or os.environ.get("HUGGING_FACE_HUB_TOKEN")
    )
    if found:
        return found
    try:
        return _clean(_token_path().read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None


def auth_headers(token: str | None) -> dict[str, str]:
    """``authorization: Bearer <token>`` for the resolved token, or nothing."""
    found = resolve_token(token)
    return {"authorization": f"Bearer {found}"} if found else {}


# -- the Hub API --------------------------------------------------------------------------------


def model_info_url(repo_id: str) -> str:
    """``GET /api/models/{repo_id}``, with the provider mapping expanded (as ``huggingface_hub``
    asks for it: ``expand=inferenceProviderMapping``)."""
    return f"{hub_endpoint()}/api/models/{quote(repo_id, safe='/')}?expand={MAPPING}"


def listing_url() -> str:
    """The listing of text-generation models that some provider serves, with their ``sha``."""
    return (
        f"{hub_endpoint()}/api/models?inference_provider=all&pipeline_tag=text-generation"
        f"&expand=sha&expand={MAPPING}"
    )


@dataclass(frozen=True)
class ProviderMapping:
    """One provider's entry for a model: its id there, task and status."""

    provider: str
    provider_id: str
    task: str
    status: str

    @property
    def serves_text(self) -> bool:
        """Live, for text generation or chat."""
        return self.status == "live" and self.task in TEXT_TASKS


def _entry(provider: Any, value: Any, where: str) -> ProviderMapping:
    if not isinstance(value, Mapping) or not isinstance(provider, str):
        raise InvalidResponseError(f"{where}: a provider mapping entry is not an object")
    fields = [value.get(k) for k in ("providerId", "task", "status")]
    if not all(isinstance(f, str) for f in fields):
        raise InvalidResponseError(f"{where}: {provider} lacks providerId, task or status")
    return ProviderMapping(provider, *[str(f) for f in fields])


def parse_mapping(payload: Any, where: str) -> list[ProviderMapping]:
    """The provider mappings of a Hub model object, in the Hub's order (the user's preference);
    the mapping may be a list of entries or an object keyed by provider (both are served)."""
    if not isinstance(payload, Mapping):
        raise InvalidResponseError(f"{where}: expected a JSON object")
    mapping = payload.get(MAPPING)
    if mapping is None:
        return []
    if isinstance(mapping, list):
        return [
            _entry(e.get("provider") if isinstance(e, Mapping) else None, e, where) for e in mapping
        ]
    if isinstance(mapping, Mapping):
        return [_entry(p, v, where) for p, v in mapping.items()]
    raise InvalidResponseError(f"{where}: {MAPPING} is neither a list nor an object")


def parse_listing(payload: Any) -> list[DeployedModel]:
    """The models of a listing page that a live provider serves for text generation."""
    from tgi_client.models import DeployedModel

    if not isinstance(payload, list):
        raise InvalidResponseError("the Hub's model listing is not a JSON list")
    models = []
    for item in payload:
        where = "the Hub's model listing"
        if not isinstance(item, Mapping):
            raise InvalidResponseError(f"{where}: an item is not an object")
        model_id, sha = item.get("id"), item.get("sha")
        if not isinstance(model_id, str) or not isinstance(sha, str):
            raise InvalidResponseError(f"{where}: an item lacks a string id or sha")
        if any(m.serves_text for m in parse_mapping(item, f"{where} ({model_id})")):
            models.append(DeployedModel(model_id=model_id, sha=sha))
    return models


# -- where a client sends its calls ------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """Where an Inference API client sends its calls.

    ``base_url`` is the task API's model URL (``generate``, ``generate_stream``, posted to the
    URL itself) when ``task_api``; ``chat`` posts to ``base_url + /v1/chat/completions`` with
    ``chat_model`` as ``model``.
    """

    provider: str
    base_url: str
    chat_model: str
    task_api: bool


def _model_path(model: str) -> str:
    return quote(model, safe="/")


def status_url(endpoint: str, repo_id: str) -> str:
    """The legacy Inference API's ``GET /status/{repo_id}``."""
    return f"{endpoint}/status/{_model_path(repo_id)}"


def deployed_models_url(endpoint: str) -> str:
    """The legacy Inference API's list of deployed models, on the route openapi.yaml gives it
    (``operationId: deployed_models``; read from the generated endpoint, not repeated here)."""
    route: str = deployed_models._get_kwargs()["url"]  # the generated request's route
    return endpoint + route


def legacy_route(endpoint: str, repo_id: str) -> Route:
    """The route of a self-hosted or legacy Inference API (``HF_INFERENCE_ENDPOINT``)."""
    return Route(HF_INFERENCE, f"{endpoint}/models/{_model_path(repo_id)}", repo_id, True)


def choose_route(
    repo_id: str, provider: str, mappings: list[ProviderMapping], router_url: str
) -> Route:
    """The route for ``provider`` (or the ``"auto"`` policy) from the model's Hub mappings.

    ``"auto"`` takes ``hf-inference`` when it serves the model (the only provider with the task
    API), else the router's own chat route, which picks a provider server-side. Raises
    ``ProviderNotSupportedError`` when no live provider (or not ``provider``) serves the model.
    """
    router = router_url.rstrip("/")
    live = {m.provider: m for m in mappings if m.serves_text}
    if provider == AUTO:
        if HF_INFERENCE in live:
            provider = HF_INFERENCE
        elif live:
            return Route(AUTO, router, repo_id, task_api=False)
        else:
            raise ProviderNotSupportedError(repo_id, AUTO, "no live provider serves it")
    mapping = live.get(provider)
    if mapping is None:
        raise ProviderNotSupportedError(
            repo_id, provider, f"the Hub lists no live text mapping for {provider!r}"
        )
    if provider == HF_INFERENCE:
        url = f"{router}/{HF_INFERENCE}/models/{_model_path(mapping.provider_id)}"
        return Route(HF_INFERENCE, url, mapping.provider_id, task_api=True)
    if provider in NO_CHAT_ROUTE:
        raise ProviderNotSupportedError(
            repo_id, provider, "its chat route is not OpenAI's /v1/chat/completions"
        )
    base = f"{router}/{provider}{CHAT_PREFIX.get(provider, '')}"
    return Route(provider, base, mapping.provider_id, task_api=False)


def is_retired_host(url: str) -> bool:
    """Whether ``url`` is on the retired ``api-inference.huggingface.co``."""
    return (urlsplit(url).hostname or "").lower() == RETIRED_HOST


RETIRED_TEXT = "no longer supported"
