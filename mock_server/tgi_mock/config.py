"""
Configuration of the mock TGI server: the `/info` payload and its limits, wire switches,
scripted completions, Inference API discovery data and default faults.

`MockConfig` is a plain mutable dataclass: the server reads it on every request, so a test may
change a field (`config.max_best_of = 1`) and the next request sees it. `MockConfig.from_dict`
builds one from a JSON object (the CLI's `--config FILE.json`), rejecting unknown keys.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from tgi_mock.hub_data import default_hub_models

__all__ = ["BREAKAGES", "DEFAULT_SCRIPTED", "MockConfig", "load_scripted"]

BREAKAGES: tuple[str, ...] = (
    "stop-ignored",
    "seed-ignored",
    "no-final-details",
    "no-list-wrapper",
    "no-validation",
    "grammar-ignored",
)
"""Deliberate contract breakages (`MockConfig.breakages`), described in `tgi_mock.breakages`."""

DEFAULT_SCRIPTED: dict[str, str] = {"Why is the sky blue?": " Rayleigh scattering"}
"""The seed README's example: its prompt answers `" Rayleigh scattering"` (then EOS)."""


def _default_deployed() -> list[dict[str, Any]]:
    return [
        {"model_id": "bigscience/bloomz", "sha": "d6d1a6dd5ad5f2d9ae4d7c5de3d58d48e46b2d20"},
        {"model_id": "bigscience/bloom-560m", "sha": "ac2ae5fab2ce3f9f40dc79b5ca9f637430d24971"},
        {"model_id": "google/flan-t5-xxl", "sha": "ae7c9136adc7555eeccc78cdd960dfd60fb346ce"},
    ]


@dataclass
class MockConfig:
    """Everything a mock TGI server can be told; every field has a TGI-like default."""

    model_id: str = "bigscience/bloom-560m"
    model_sha: str | None = "ac2ae5fab2ce3f9f40dc79b5ca9f637430d24971"
    model_pipeline_tag: str | None = "text-generation"
    max_concurrent_requests: int = 128
    max_best_of: int = 2
    max_stop_sequences: int = 4
    max_input_tokens: int = 1024
    max_total_tokens: int = 2048
    validation_workers: int = 2
    max_client_batch_size: int = 4
    router: str = "text-generation-router"
    version: str = "3.3.6-dev0"
    sha: str | None = "db931fcf42da018a3657580c64bf2720f167f9ab"
    docker_label: str | None = "sha-db931fc"
    max_top_n_tokens: int = 5
    """Not exposed by `/info`, as in TGI."""
    payload_limit: int = 2_000_000
    """Largest accepted request body in bytes; beyond it a plain-text 413."""
    max_new_tokens_check_cap: int | None = 1024
    """TGI 3.x checks `inputs + min(max_new_tokens, 1024) <= max_total_tokens`; None checks the
    full `max_new_tokens`, as TGI 2.x did (so `max_new_tokens=10000` is a 422 there)."""
    disable_grammar_support: bool = False
    bend_schema: bool = False
    """Under JSON grammars, answer with values TGI's regex allows but that break the schema's
    keywords it leaves unenforced (`minimum`, `multipleOf`, `uniqueItems`, ...)."""
    keep_alive: float = 15.0
    """Seconds without an SSE event before the keep-alive comment `:` is sent."""
    legacy_sse: bool = False
    """Frame events as `data:{json}` (TGI 2.0 and older) instead of `data: {json}`."""
    compute_type: str = "gpu+optimized"
    api_key: str | None = None
    """TGI's `--api-key`: when set, base routes need `Authorization: Bearer <key>` (else 401)."""
    healthy: bool = True
    """When false, `/health`, `/ping` and `GET /` answer 503 `healthcheck`."""
    scripted: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_SCRIPTED))
    """Prompt → completion; the completion's tokens are followed by EOS."""
    scripted_tool_calls: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Last user message → `{"name": ..., "arguments": {...}}`: the tool call the chat route answers
    with when that function is among the tools it may call (see `tgi_mock.tools`)."""
    deployed_models: list[dict[str, Any]] = field(default_factory=_default_deployed)
    """`GET /framework/text-generation-inference`; these and `model_id` are served by the mock."""
    unsupported_models: dict[str, str] = field(
        default_factory=lambda: {"gpt2": "transformers", "openai/whisper-large-v3": "transformers"}
    )
    """Repo id → framework reported by `GET /status/{repo_id}` for models TGI does not serve."""
    hub_models: dict[str, dict[str, Any]] = field(default_factory=default_hub_models)
    """The Hub API's models and their Inference Providers mappings (see `tgi_mock.hub_routes`)."""
    router_tokens: list[str] = field(default_factory=list)
    """When not empty, the router routes need `Authorization: Bearer <one of these>` (else 401)."""
    random_seed: int | None = None
    """Seeds the server's own random numbers (the seeds of unseeded sampling); None: from the OS."""
    faults: str = ""
    """Faults applied to every generation request, in the grammar of `tgi_mock.faults`."""
    breakages: list[str] = field(default_factory=list)
    """Deliberately broken TGI behaviours, names from `BREAKAGES` (see `tgi_mock.breakages`)."""
    admin_prefix: str | None = "/__admin"
    """Where the admin API answers (`tgi_mock.admin`); None or "" switches it off (read once,
    when the app is built)."""
    ttft: float | None = None
    """Timing model (`tgi_mock.timing`): mean seconds to the first token; None: no wait."""
    ttft_spread: float = 0.0
    """Standard deviation of the time to first token (0: always `ttft`)."""
    itl: float | None = None
    """Timing model: mean seconds between tokens (inter-token latency); None: no wait."""
    itl_spread: float = 0.0
    """Standard deviation of the inter-token latency (0: always `itl`)."""
    timing_seed: int | None = None
    """Seed of the timing model's random draws (None: from the OS)."""
    max_batch_total_tokens: int | None = None
    """Continuous batching: tokens (prompt + new) the running batch holds; a request that does not
    fit waits in the queue (`x-queue-time`). None: no batch limit."""
    tokenizer: str | None = None
    """Path of a Hugging Face `tokenizer.json` whose tokens the mock uses (`tgi_mock.hf_tokenizer`,
    the `tokenizer` extra); None: the mock's own tokenizer (`tgi_mock.tokenizer`)."""
    journal_limit: int | None = 10_000
    """The journal keeps the newest this many requests (`journal.dropped` counts the older ones
    let go); None keeps every one (memory grows with every request), 0 none."""

    def info(self) -> dict[str, Any]:
        """The `GET /info` payload, in TGI's wire key order."""
        return {
            "model_id": self.model_id,
            "model_sha": self.model_sha,
            "model_pipeline_tag": self.model_pipeline_tag,
            "max_concurrent_requests": self.max_concurrent_requests,
            "max_best_of": self.max_best_of,
            "max_stop_sequences": self.max_stop_sequences,
            "max_input_tokens": self.max_input_tokens,
            "max_total_tokens": self.max_total_tokens,
            "validation_workers": self.validation_workers,
            "max_client_batch_size": self.max_client_batch_size,
            "router": self.router,
            "version": self.version,
            "sha": self.sha,
            "docker_label": self.docker_label,
        }

    def served_models(self) -> list[str]:
        """Repo ids the Inference API routes treat as served by this TGI."""
        ids = [str(model["model_id"]) for model in self.deployed_models]
        return [*ids, self.model_id] if self.model_id not in ids else ids

    def system_fingerprint(self) -> str:
        """`system_fingerprint` of the OpenAI routes: `<version>-<docker_label or native>`."""
        return f"{self.version}-{self.docker_label or 'native'}"

    def copy(self) -> MockConfig:
        """A deep copy, so that changing the copy leaves this one alone."""
        return copy.deepcopy(self)

    def update(self, **changes: Any) -> None:
        """Set several fields at once; an unknown name raises `TypeError`."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise TypeError(f"unknown MockConfig field(s): {', '.join(unknown)}")
        wrong = sorted(set(changes.get("breakages", ())) - set(BREAKAGES))
        if wrong:
            raise TypeError(
                f"unknown breakage(s): {', '.join(wrong)}; known: {', '.join(BREAKAGES)}"
            )
        limit = changes.get("journal_limit")
        if limit is not None and (type(limit) is not int or limit < 0):
            raise TypeError(f"journal_limit must be an integer >= 0 or None, not {limit!r}")
        for name, value in changes.items():
            setattr(self, name, value)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MockConfig:
        """Build a config from a JSON object; unknown keys raise `TypeError`."""
        config = cls()
        config.update(**data)
        return config

    @classmethod
    def from_file(cls, path: str | Path) -> MockConfig:
        """Read a config from a JSON file holding one object."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise TypeError(f"{path}: expected a JSON object")
        return cls.from_dict(data)


def load_scripted(path: str | Path) -> dict[str, str]:
    """Read scripted completions from a JSON file: an object mapping prompt → completion."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise TypeError(f"{path}: expected a JSON object of prompt → completion strings")
    return dict(data)
