"""The integrations that import ``text_generation`` (LangChain's ``HuggingFaceTextGenInference``,
LlamaIndex's ``TextGenerationInference``), run on our client against the mock server.

They need their own virtualenv (``make integrations``, ``.venv-integrations``); in any other venv
this folder is not collected, so their dependencies never enter ``.venv``.
"""

from __future__ import annotations

import importlib.util
import json
from typing import Any

import httpx

INSTALLED = all(
    importlib.util.find_spec(name) is not None
    for name in ("langchain_community", "llama_index.llms.text_generation_inference")
)
if not INSTALLED:
    collect_ignore_glob = ["test_*.py"]


def sent(journal: Any, path: str) -> dict[str, Any]:
    """The JSON body of the last request our client sent to ``path``."""
    body: dict[str, Any] = journal.last(path).json
    return body


def plain_generate(url: str, body: dict[str, Any]) -> dict[str, Any]:
    """What the mock answers to ``body`` on ``/generate``, over plain HTTP."""
    answer: dict[str, Any] = httpx.post(f"{url}/generate", json=body, timeout=10).json()
    return answer


def plain_stream(url: str, path: str, body: dict[str, Any]) -> list[Any]:
    """The events of a streamed answer, over plain HTTP (``[DONE]`` left out)."""
    events = []
    with httpx.stream("POST", f"{url}{path}", json=body, timeout=10) as resp:
        for line in resp.iter_lines():
            if line.startswith("data:") and line[5:].strip() != "[DONE]":
                events.append(json.loads(line[5:]))
    return events


def plain_chat(url: str, body: dict[str, Any]) -> dict[str, Any]:
    """What the mock answers to ``body`` on ``/v1/chat/completions``, over plain HTTP."""
    answer: dict[str, Any] = httpx.post(f"{url}/v1/chat/completions", json=body, timeout=10).json()
    return answer
