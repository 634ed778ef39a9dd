"""The tables and checkers that tie openapi.yaml, the generated models and the facade together.

``spec``/``schema_properties`` read openapi.yaml; ``NOT_EXPOSED`` lists the GenerateParameters
properties a generate method deliberately does not take as a keyword (with the reason) and
``parameter_gaps`` reports what does not line up between a method's keywords and the properties;
``DELIBERATELY_DROPPED`` lists the generated fields a documented type deliberately lacks (with the
reason) and ``undocumented_fields`` reports the fields neither documented nor listed. Both
checkers also report stale entries. ``test_regeneration_safety.py`` runs them.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = REPO_ROOT / "openapi.yaml"


@functools.cache
def spec() -> dict[str, Any]:
    """openapi.yaml, parsed."""
    loaded: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    return loaded


def schema_properties(name: str) -> set[str]:
    """The property names of ``components.schemas.<name>``."""
    return set(spec()["components"]["schemas"][name]["properties"])


# == GenerateParameters <-> the generate keywords ===============================================

#: 0.7.0 keyword names that differ from the GenerateParameters property they fill.
KEYWORD_TO_PROPERTY = {"stop_sequences": "stop"}

_DETAILS = "always sent as true, as text-generation 0.7.0 does; answers always carry details"
#: Properties a method deliberately does not take as a keyword, and why.
NOT_EXPOSED: dict[str, dict[str, str]] = {
    "generate": {"details": _DETAILS},
    "generate_stream": {
        "details": _DETAILS,
        "best_of": "TGI refuses best_of != 1 when streaming (an in-band validation error); "
        "0.7.0's generate_stream has no such keyword",
        "decoder_input_details": "TGI refuses decoder_input_details=true when streaming; "
        "0.7.0's generate_stream has no such keyword",
    },
}


def keyword_properties(func: Callable[..., Any]) -> dict[str, str]:
    """Each generation keyword of ``func`` (all but ``self`` and ``prompt``) -> its property."""
    names = [n for n in inspect.signature(func).parameters if n not in ("self", "prompt")]
    return {n: KEYWORD_TO_PROPERTY.get(n, n) for n in names}


def parameter_gaps(
    func: Callable[..., Any], properties: set[str], not_exposed: Mapping[str, str]
) -> list[str]:
    """What does not line up between ``func``'s keywords and the ``properties``: a property that
    is neither a keyword nor in ``not_exposed``, a keyword that fills no property, and stale
    ``not_exposed`` entries. Empty when everything lines up."""
    where = func.__qualname__
    accepted = keyword_properties(func)
    taken = set(accepted.values())
    problems: list[str] = []
    for prop in sorted(properties - taken - set(not_exposed)):
        problems.append(f"GenerateParameters.{prop} is not a keyword of {where} (nor NOT_EXPOSED)")
    for keyword, prop in sorted(accepted.items()):
        if prop not in properties:
            problems.append(f"{where}({keyword}=) fills no GenerateParameters property `{prop}`")
    for prop in sorted(not_exposed):
        if prop not in properties:
            problems.append(f"stale NOT_EXPOSED entry `{prop}`: not a GenerateParameters property")
        elif prop in taken:
            problems.append(f"stale NOT_EXPOSED entry `{prop}`: {where} takes it")
    return problems


# == generated answer models <-> documented types ===============================================

#: Fields of a generated model that the documented type it is converted to deliberately lacks,
#: and why (only the chat completion is still converted; the other answers are the generated
#: models themselves).
DELIBERATELY_DROPPED: dict[str, dict[str, str]] = {}


def documented_name(field: str) -> str:
    """The documented name of a generated field: the templates append ``_`` to a name that
    would shadow a pydantic attribute (``schema_``)."""
    return field[:-1] if field.endswith("_") else field


def undocumented_fields(
    generated: type[Any], documented: type[Any], dropped: Mapping[str, str]
) -> list[str]:
    """The fields of ``generated`` (a generated pydantic model) that ``documented`` lacks and
    ``dropped`` does not explain, and stale ``dropped`` entries. Empty when all lines up."""
    gen = list(generated.model_fields)
    doc = set(documented.model_fields)
    where = f"{generated.__name__} -> {documented.__name__}"
    problems = [
        f"{where}: `{name}` is not a documented field (nor DELIBERATELY_DROPPED)"
        for name in gen
        if documented_name(name) not in doc and name not in dropped
    ]
    for name in sorted(dropped):
        if name not in gen:
            problems.append(f"{where}: stale DELIBERATELY_DROPPED `{name}`: no such field")
        elif documented_name(name) in doc:
            problems.append(f"{where}: stale DELIBERATELY_DROPPED `{name}`: it is documented now")
    return problems
