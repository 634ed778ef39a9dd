"""JSON decoding: orjson when it is installed (a dependency; about five times faster than the
standard library on stream events), else ``json``. Both raise a ``ValueError`` on bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

loads: Callable[[bytes | str], Any]
try:
    import orjson

    loads = orjson.loads
except ImportError:  # pragma: no cover - orjson has wheels for every platform we name
    loads = json.loads

__all__ = ["loads"]
