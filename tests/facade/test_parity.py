"""``Client`` and ``AsyncClient`` expose the same methods with the same signatures, and keep the
public signatures of text-generation 0.7.0."""

from __future__ import annotations

import inspect

import text_generation
from text_generation import AsyncClient, Client, InferenceAPIAsyncClient, InferenceAPIClient

SYNC_ONLY = {"close", "__enter__", "__exit__"}
ASYNC_ONLY = {"aclose", "__aenter__", "__aexit__"}


def public(cls: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(fn)
        for name, fn in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_") or name in SYNC_ONLY | ASYNC_ONLY
    }


def test_same_methods_and_signatures() -> None:
    sync, asyn = public(Client), public(AsyncClient)
    assert set(sync) - SYNC_ONLY == set(asyn) - ASYNC_ONLY
    for name in set(sync) - SYNC_ONLY:
        assert sync[name].parameters == asyn[name].parameters, name


def test_async_methods_are_coroutines_except_streams() -> None:
    for name in public(AsyncClient):
        fn = getattr(AsyncClient, name)
        if name == "generate_stream":
            assert not inspect.iscoroutinefunction(fn)
        elif not name.startswith("__") or name in ASYNC_ONLY:
            assert inspect.iscoroutinefunction(fn), name


def test_upstream_signatures_are_kept() -> None:
    expected_generate = [
        "self",
        "prompt",
        "do_sample",
        "max_new_tokens",
        "best_of",
        "repetition_penalty",
        "frequency_penalty",
        "return_full_text",
        "seed",
        "stop_sequences",
        "temperature",
        "top_k",
        "top_p",
        "truncate",
        "typical_p",
        "watermark",
        "decoder_input_details",
        "top_n_tokens",
        "grammar",
    ]
    params = inspect.signature(Client.generate).parameters
    positional = [n for n, p in params.items() if p.kind is p.POSITIONAL_OR_KEYWORD]
    assert positional == expected_generate
    assert params["max_new_tokens"].default == 20
    assert params["do_sample"].default is False
    assert all(p.kind is p.KEYWORD_ONLY for n, p in params.items() if n not in expected_generate)
    new_options = ["max_retries", "verify", "proxy", "http_client"]
    for cls in (Client, AsyncClient):
        init = inspect.signature(cls.__init__).parameters
        assert list(init)[:5] == ["self", "base_url", "headers", "cookies", "timeout"]
        assert init["timeout"].default == 10
        assert [n for n, p in init.items() if p.kind is p.KEYWORD_ONLY] == new_options
    for api_cls in (InferenceAPIClient, InferenceAPIAsyncClient):
        init = inspect.signature(api_cls.__init__).parameters
        positional = [n for n, p in init.items() if p.kind is p.POSITIONAL_OR_KEYWORD]
        assert positional == ["self", "repo_id", "token", "timeout"]
        keyword_only = [n for n, p in init.items() if p.kind is p.KEYWORD_ONLY]
        assert keyword_only == ["provider", "router_url", *new_options]
        assert len(keyword_only) + len(positional) == len(init)


def test_version_is_the_package_version() -> None:
    from importlib.metadata import version

    assert text_generation.__version__ == version("tgi-sdk")
