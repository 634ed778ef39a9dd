"""Every public class, function and field of text-generation 0.7.0, with its default (the table
in ``table_0_7_0.py``, read from 0.7.0's own signatures), is in ours, used the same way.

Where ours differs on purpose, ``DEVIATIONS`` says why; an entry that no longer differs fails.
"""

from __future__ import annotations

import importlib
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.compat.shapes import REQUIRED, describe
from tests.compat.table_0_7_0 import TABLE, VERSION

HERE = Path(__file__).resolve().parent
UPSTREAM_PYTHON = HERE.parents[1] / ".venv-upstream" / "bin" / "python"

#: ``module:Name.member`` -> why ours differs (the README's "What you get beyond 0.7.0").
DEVIATIONS = {
    "text_generation.types:Parameters.max_new_tokens": "None lets the server decide",
    "text_generation.types:Response.details": "None when a server sends no details",
    "text_generation.types:ToolCall.id": "a string, as the server sends it (0.7.0 said int)",
    "text_generation.types:Message.content": "a string or a list of content parts",
    "text_generation.types:ChoiceDelta.tool_calls": "a list, as the server sends it",
    "text_generation.types:Choice.logprobs": "the server's logprobs object, parsed (a model)",
    "text_generation.types:Function.name": "absent from a chunk after the first: None",
    "text_generation.types:ChatRequest.tool_choice": "a string or the object form {type, function}",
}


def entries() -> list[tuple[str, str]]:
    return [(module, name) for module, names in TABLE.items() for name in names]


def field_problems(where: str, theirs: dict[str, Any], ours: dict[str, Any]) -> list[str]:
    problems = []
    for name, (annotation, default) in theirs["fields"].items():
        key = f"{where}.{name}"
        if name not in ours["fields"]:
            problems.append(f"{key}: missing")
            continue
        our_annotation, our_default = ours["fields"][name]
        differs = (our_annotation, our_default) != (annotation, default)
        if differs and key not in DEVIATIONS:
            problems.append(
                f"{key}: ({our_annotation}, default {our_default}) "
                f"where 0.7.0 has ({annotation}, default {default})"
            )
        if not differs and key in DEVIATIONS:
            problems.append(f"{key}: stale DEVIATIONS entry, it no longer differs")
        if differs and default != REQUIRED and our_default != default:
            problems.append(f"{key}: default {our_default}, 0.7.0's is {default}")
    return problems


def signature_problems(where: str, theirs: dict[str, Any], ours: dict[str, Any]) -> list[str]:
    problems = []
    if theirs["flavour"] == "coroutine" and ours["flavour"] != "coroutine":
        problems.append(f"{where}: must be awaited, as in 0.7.0")
    if theirs["flavour"] != "coroutine" and ours["flavour"] == "coroutine":
        problems.append(f"{where}: is a coroutine function, 0.7.0's was not")
    our_params = {p[0]: (i, p) for i, p in enumerate(ours["parameters"])}
    for i, (name, kind, default) in enumerate(theirs["parameters"]):
        if name not in our_params:
            problems.append(f"{where}({name}): missing")
            continue
        j, (_, our_kind, our_default) = our_params[name]
        if kind == "POSITIONAL_OR_KEYWORD" and (j, our_kind) != (i, kind):
            problems.append(f"{where}({name}): position {j} {our_kind}, 0.7.0: {i} {kind}")
        if our_default != default:
            problems.append(f"{where}({name}): default {our_default}, 0.7.0's is {default}")
    theirs_names = {p[0] for p in theirs["parameters"]}
    for name, kind, default in ours["parameters"]:
        if name not in theirs_names and default == REQUIRED and not kind.startswith("VAR_"):
            problems.append(f"{where}({name}): a new parameter without a default")
    return problems


@pytest.mark.parametrize(("module", "name"), entries(), ids=[f"{m}:{n}" for m, n in entries()])
def test_0_7_0_name_is_ours_and_used_the_same_way(module: str, name: str) -> None:
    theirs = TABLE[module][name]
    obj = getattr(importlib.import_module(module), name, None)
    assert obj is not None, f"{module}.{name} is missing"
    ours = describe(obj)
    where = f"{module}:{name}"
    assert ours["kind"] == theirs["kind"], f"{where}: a {ours['kind']}, not a {theirs['kind']}"
    problems: list[str] = []
    if theirs["kind"] == "enum":
        missing = set(theirs["members"].items()) - set(ours["members"].items())
        problems += [f"{where}.{m}: missing or another value" for m, _ in sorted(missing)]
    elif theirs["kind"] == "model":
        problems += field_problems(where, theirs, ours)
    elif theirs["kind"] == "function":
        problems += signature_problems(where, theirs, ours)
    else:
        mro = {cls.__name__ for cls in obj.__mro__}
        problems += [f"{where}: not a {b}" for b in theirs["bases"] if b not in mro]
        for method, signature in theirs["methods"].items():
            if not hasattr(obj, method):
                problems.append(f"{where}.{method}: missing")
                continue
            ours_method = describe(getattr(obj, method))
            problems += signature_problems(f"{where}.{method}", signature, ours_method)
    assert problems == []


def test_deviations_name_real_fields() -> None:
    for key in DEVIATIONS:
        module, rest = key.split(":")
        cls, field = rest.split(".")
        assert field in TABLE[module][cls]["fields"], key


def test_the_table_covers_0_7_0() -> None:
    assert VERSION == "0.7.0"
    assert len(TABLE["text_generation.types"]) == 24
    assert TABLE["text_generation.types"]["Details"]["fields"]["seed"] == (
        "Union[None, int]",
        "None",
    )


@pytest.mark.skipif(not UPSTREAM_PYTHON.exists(), reason="make test creates .venv-upstream")
def test_the_table_is_what_0_7_0_says() -> None:
    """Regenerated from the installed 0.7.0, the table is the one written in this folder."""
    out = subprocess.run(
        [str(UPSTREAM_PYTHON), str(HERE / "make_table.py")],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    namespace: dict[str, Any] = {}
    exec(compile(out, "make_table output", "exec"), namespace)
    assert namespace["TABLE"] == TABLE
