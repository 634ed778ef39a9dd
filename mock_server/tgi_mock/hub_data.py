"""The mock Hub's default models: which Inference Providers serve them, under which id, for which
task and with which status (the shape of the Hub API's `inferenceProviderMapping`)."""

from __future__ import annotations

from typing import Any

__all__ = ["default_hub_models"]


def _mapping(provider_id: str, task: str = "text-generation", status: str = "live") -> Any:
    return {"providerId": provider_id, "task": task, "status": status}


def default_hub_models() -> dict[str, dict[str, Any]]:
    """Repo id → `sha`, `pipeline_tag` and `inferenceProviderMapping` (provider → mapping)."""
    return {
        "bigscience/bloomz": {
            "sha": "d6d1a6dd5ad5f2d9ae4d7c5de3d58d48e46b2d20",
            "pipeline_tag": "text-generation",
            "inferenceProviderMapping": {
                "hf-inference": _mapping("bigscience/bloomz"),
                "together": _mapping("bigscience/bloomz-7b1", "conversational"),
            },
        },
        "meta-llama/Llama-3.1-8B-Instruct": {
            "sha": "0e9e39f249a16976918f6564b8830bc894c89659",
            "pipeline_tag": "text-generation",
            "inferenceProviderMapping": {
                "together": _mapping(
                    "meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo", "conversational"
                ),
                "hf-inference": _mapping("meta-llama/Llama-3.1-8B-Instruct", "conversational"),
            },
        },
        "HuggingFaceH4/zephyr-7b-beta": {
            "sha": "892b3d7a7b1cf10c7a701c60881cd93df615734c",
            "pipeline_tag": "text-generation",
            "inferenceProviderMapping": {
                "together": _mapping("zephyr-7b-beta", "conversational"),
            },
        },
        "gpt2": {
            "sha": "607a30d783dfa663caf39e06633721c8d4cfcd7e",
            "pipeline_tag": "text-generation",
            "inferenceProviderMapping": {"hf-inference": _mapping("gpt2", status="error")},
        },
        "openai/whisper-large-v3": {
            "sha": "06f233fe06e710322aca913c1bc4249a0d71fce1",
            "pipeline_tag": "automatic-speech-recognition",
            "inferenceProviderMapping": {
                "hf-inference": _mapping("openai/whisper-large-v3", "automatic-speech-recognition")
            },
        },
    }
