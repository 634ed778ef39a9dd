# mypy: ignore-errors
# (Type-checked against text-generation 0.7.0 only at run time: mypy would see our text_generation.)
"""Run the real text-generation 0.7.0 client against a mock server; print what it returns as JSON.

Run by tests/mock/test_third_party_clients.py with `.venv-upstream/bin/python` (text-generation
0.7.0's import name `text_generation` collides with ours): `python run_text_generation_070.py URL`.
"""

from __future__ import annotations

import asyncio
import json
import sys
import warnings
from typing import Any

warnings.simplefilter("ignore")

from text_generation import AsyncClient, Client  # noqa: E402
from text_generation.errors import (  # noqa: E402
    GenerationError,
    OverloadedError,
    ValidationError,
)
from text_generation.types import Message  # noqa: E402

SKY = "Why is the sky blue?"


def sync_part(url: str, out: dict[str, Any]) -> None:
    client = Client(url)
    response = client.generate(SKY, max_new_tokens=20)
    out["generate"] = response.generated_text
    out["finish"] = str(response.details.finish_reason.value)
    out["tokens"] = [t.text for t in response.details.tokens]
    out["seed"] = response.details.seed
    full = client.generate(
        "Tell me about Paris",
        max_new_tokens=5,
        do_sample=True,
        seed=42,
        decoder_input_details=True,
        top_n_tokens=2,
        stop_sequences=["zzz"],
    )
    out["sampled_seed"] = full.details.seed
    out["prefill_first_logprob"] = full.details.prefill[0].logprob
    out["top_tokens_per_step"] = [len(step) for step in full.details.top_tokens]
    best = client.generate("Tell me", max_new_tokens=3, best_of=2, do_sample=True)
    out["best_of_seeds"] = [s.seed for s in best.details.best_of_sequences]
    events = list(client.generate_stream(SKY, max_new_tokens=20))
    out["stream_text"] = "".join(e.token.text for e in events if not e.token.special)
    out["stream_final"] = events[-1].generated_text
    out["stream_finish"] = str(events[-1].details.finish_reason.value)
    try:
        client.generate("x", stop_sequences=list("abcde"))
    except ValidationError as error:
        out["validation"] = str(error)
    try:
        list(client.generate_stream("x", stop_sequences=list("abcde")))
    except ValidationError as error:
        out["stream_validation"] = str(error)
    try:
        Client(url, headers={"x-mock-fault": "overload"}).generate("x")
    except OverloadedError as error:
        out["overloaded"] = str(error)
    try:
        list(Client(url, headers={"x-mock-fault": "error-event-after=1"}).generate_stream(SKY))
    except GenerationError as error:
        out["stream_generation_error"] = str(error)
    chat = client.chat(messages=[Message(role="user", content=SKY)], max_tokens=20)
    out["chat"] = chat.choices[0].message.content


async def async_part(url: str, out: dict[str, Any]) -> None:
    client = AsyncClient(url)
    response = await client.generate(SKY, max_new_tokens=20)
    out["async_generate"] = response.generated_text
    events = [e async for e in client.generate_stream(SKY, max_new_tokens=20)]
    out["async_stream_final"] = events[-1].generated_text
    try:
        await AsyncClient(url, headers={"x-mock-fault": "overload"}).generate("x")
    except OverloadedError as error:
        out["async_overloaded"] = str(error)


def main() -> None:
    url = sys.argv[1]
    out: dict[str, Any] = {}
    sync_part(url, out)
    asyncio.run(async_part(url, out))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
