"""
`verify` against the Inference Providers router: a model URL such as
`https://router.huggingface.co/hf-inference/models/{model}` serves TGI's compat route (`POST` on
the URL itself) and `.../v1/chat/completions`, nothing else, and wants a Hugging Face token.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from urllib.parse import urlsplit

__all__ = ["ROUTER_CHECKS", "is_router_url", "with_token"]

ROUTER_CHECKS = [
    "schema.compat_generate",
    "schema.chat_completions",
    "compat-list",
    "compat-stream",
]
"""The checks a router model URL can answer (the others need TGI's own routes)."""

_MODEL_PATH = re.compile(r"^/[^/]+/models/[^/]+(/[^/]+)?/?$")


def is_router_url(url: str) -> bool:
    """Whether `url` is a router model URL: `{router}/{provider}/models/{model}`."""
    parts = urlsplit(url)
    return parts.hostname == "router.huggingface.co" or bool(_MODEL_PATH.match(parts.path))


def with_token(url: str, headers: Mapping[str, str], token: str | None) -> dict[str, str]:
    """`headers` with `Authorization: Bearer <token>`: `token`, else `HF_TOKEN` for a router URL
    (never for another server, which must not receive a Hugging Face token unasked)."""
    merged = dict(headers)
    if token is None and is_router_url(url):
        token = os.environ.get("HF_TOKEN") or None
    if token and not any(name.lower() == "authorization" for name in merged):
        merged["Authorization"] = f"Bearer {token}"
    return merged
