"""Real third-party clients against the mock over real sockets: text-generation 0.7.0 (in its own
venv, `.venv-upstream`, built by `make .venv-upstream`) and huggingface_hub's `InferenceClient`."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from huggingface_hub import InferenceClient
from huggingface_hub.errors import OverloadedError, TextGenerationError, ValidationError

from tgi_mock.pytest_plugin import TGIMock

ROOT = Path(__file__).resolve().parents[2]
UPSTREAM_PYTHON = ROOT / ".venv-upstream" / "bin" / "python"
SCRIPT = Path(__file__).parent / "upstream" / "run_text_generation_070.py"
SKY = "Why is the sky blue?"


def upstream_python() -> Path:
    """The upstream venv's python; under CI a missing venv fails, locally it skips."""
    if not UPSTREAM_PYTHON.exists():
        message = "text-generation 0.7.0 venv missing: run `make .venv-upstream`"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return UPSTREAM_PYTHON


def test_text_generation_070_client_and_async_client(tgi_mock: TGIMock) -> None:
    result = subprocess.run(
        [str(upstream_python()), str(SCRIPT), tgi_mock.url],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
        cwd=SCRIPT.parent,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    out = json.loads(result.stdout)
    assert out["generate"] == " Rayleigh scattering"
    assert out["finish"] == "eos_token"
    assert out["tokens"] == [" Rayleigh", " scattering", "</s>"]
    assert out["seed"] is None
    assert out["sampled_seed"] == 42
    assert out["prefill_first_logprob"] is None
    assert out["top_tokens_per_step"] == [2] * len(out["top_tokens_per_step"])
    assert len(out["best_of_seeds"]) == 1
    assert isinstance(out["best_of_seeds"][0], int)
    assert out["stream_text"] == out["stream_final"] == " Rayleigh scattering"
    assert out["stream_finish"] == "eos_token"
    message = "Input validation error: `stop` supports up to 4 stop sequences. Given: 5"
    assert out["validation"] == out["stream_validation"] == message
    assert out["overloaded"] == out["async_overloaded"] == "Model is overloaded"
    assert out["stream_generation_error"] == "Request failed during generation: mock fault"
    assert out["chat"] == " Rayleigh scattering"
    assert out["async_generate"] == out["async_stream_final"] == " Rayleigh scattering"
    sent = tgi_mock.journal.by_path("/")[0].json
    assert sent["parameters"]["details"] is True
    assert sent["stream"] is False


def test_huggingface_hub_text_generation(tgi_mock: TGIMock) -> None:
    client = InferenceClient(model=tgi_mock.url)
    assert client.text_generation(SKY, max_new_tokens=20, return_full_text=False) == (
        " Rayleigh scattering"
    )
    # Without return_full_text, `/` uses the model's default (text-generation: prepend), like TGI.
    assert client.text_generation(SKY, max_new_tokens=20) == SKY + " Rayleigh scattering"
    output = client.text_generation(SKY, max_new_tokens=20, details=True, return_full_text=False)
    assert output.details is not None
    assert output.details.finish_reason == "eos_token"
    assert output.details.seed is None
    assert [t.text for t in output.details.tokens] == [" Rayleigh", " scattering", "</s>"]
    stopped = client.text_generation(SKY, details=True, stop=["Rayleigh"], return_full_text=False)
    assert stopped.generated_text == " Rayleigh"
    assert stopped.details is not None
    assert stopped.details.finish_reason == "stop_sequence"
    sampled = client.text_generation(
        "Tell me about Paris",
        max_new_tokens=5,
        details=True,
        seed=42,
        do_sample=True,
        decoder_input_details=True,
        top_n_tokens=2,
    )
    assert sampled.details is not None
    assert sampled.details.seed == 42
    assert sampled.details.prefill[0].logprob is None
    assert sampled.details.top_tokens is not None
    assert all(len(step) == 2 for step in sampled.details.top_tokens)
    best = client.text_generation(
        "Tell me", max_new_tokens=3, details=True, best_of=2, do_sample=True
    )
    assert best.details is not None
    assert best.details.best_of_sequences is not None
    assert len(best.details.best_of_sequences) == 1
    assert isinstance(best.details.best_of_sequences[0].seed, int)
    events = list(client.text_generation(SKY, max_new_tokens=20, stream=True, details=True))
    assert [e.index for e in events] == [1, 2, 3]
    assert events[-1].details is not None
    assert events[-1].details.input_length == 6
    assert events[-1].generated_text == SKY + " Rayleigh scattering"
    texts = list(client.text_generation(SKY, stream=True, return_full_text=False))
    assert texts == [" Rayleigh", " scattering", "</s>"]


def test_huggingface_hub_errors(tgi_mock: TGIMock) -> None:
    client = InferenceClient(model=tgi_mock.url)
    with pytest.raises(ValidationError, match="`top_n_tokens` must be >= 0 and <= 5"):
        client.text_generation("x", top_n_tokens=9)
    with pytest.raises(ValidationError, match="`top_n_tokens` must be >= 0 and <= 5"):
        list(client.text_generation("x", top_n_tokens=9, stream=True))
    tgi_mock.faults.set("overload")
    with pytest.raises(OverloadedError):
        client.text_generation("x")
    tgi_mock.faults.set("error-event-after=1")
    with pytest.raises(TextGenerationError, match="mock fault"):
        list(client.text_generation(SKY, stream=True))
