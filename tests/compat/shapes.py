"""How a public API is described in the compatibility table: standard library only, so that
``make_table.py`` can run it in text-generation 0.7.0's own virtualenv and the test in ours."""

from __future__ import annotations

import enum
import inspect
import types
import typing
from typing import Any

REQUIRED = "<required>"

#: The modules of text-generation 0.7.0 whose public names are described.
MODULES = (
    "text_generation",
    "text_generation.client",
    "text_generation.errors",
    "text_generation.inference_api",
    "text_generation.types",
)


def norm(t: Any) -> str:
    """A spelling of an annotation that ``Optional[int]`` and ``int | None`` share; ``dict``
    parameters are left out (0.7.0 wrote a bare ``dict``); ``Optional[Any]`` is ``Any``."""
    if t is type(None) or t is None:
        return "None"
    if t is Any:
        return "Any"
    origin = typing.get_origin(t)
    if origin in (typing.Union, types.UnionType):
        args = sorted(norm(a) for a in typing.get_args(t))
        return "Any" if "Any" in args else "Union[" + ", ".join(args) + "]"
    if origin is list or t is list:
        item = typing.get_args(t)
        return f"list[{norm(item[0])}]" if item else "list"
    if origin is dict or t is dict:
        return "dict"
    return getattr(t, "__name__", repr(t))


def flavour(func: Any) -> str:
    """``coroutine``, ``asyncgen`` or ``sync``: how a caller uses what the function returns."""
    if inspect.iscoroutinefunction(func):
        return "coroutine"
    if inspect.isasyncgenfunction(func):
        return "asyncgen"
    return "sync"


def parameters(func: Any) -> list[tuple[str, str, str]]:
    """``(name, kind, repr(default) or REQUIRED)`` for each parameter but ``self``."""
    out = []
    for p in inspect.signature(func).parameters.values():
        if p.name == "self":
            continue
        default = REQUIRED if p.default is inspect.Parameter.empty else repr(p.default)
        out.append((p.name, p.kind.name, default))
    return out


def model_fields(cls: Any) -> dict[str, tuple[str, str]]:
    """``name: (normalized annotation, repr(default) or REQUIRED)`` of a pydantic model."""
    out = {}
    for name, field in cls.model_fields.items():
        if field.is_required():
            default = REQUIRED
        else:
            default = repr(field.get_default(call_default_factory=True))
        out[name] = (norm(field.annotation), default)
    return out


def describe(obj: Any) -> dict[str, Any]:
    """The description of one public class or function."""
    if inspect.isfunction(obj):
        return {"kind": "function", "flavour": flavour(obj), "parameters": parameters(obj)}
    if issubclass(obj, enum.Enum):
        return {"kind": "enum", "members": {m.name: m.value for m in obj}}
    if hasattr(obj, "model_fields"):
        return {"kind": "model", "fields": model_fields(obj)}
    methods = {
        name: {"flavour": flavour(f), "parameters": parameters(f)}
        for name, f in vars(obj).items()
        if inspect.isfunction(f) and (name == "__init__" or not name.startswith("_"))
    }
    bases = [b.__name__ for b in obj.__mro__[1:] if b is not object]
    return {"kind": "class", "bases": bases, "methods": methods}


def public(module: Any) -> dict[str, Any]:
    """The classes and functions a module defines (or, for the package, re-exports)."""
    out = {}
    for name, obj in sorted(vars(module).items()):
        if name.startswith("_") or not (inspect.isclass(obj) or inspect.isfunction(obj)):
            continue
        if module.__name__ != "text_generation" and obj.__module__ != module.__name__:
            continue  # imported from elsewhere (typing, pydantic, another module)
        out[name] = describe(obj)
    return out
