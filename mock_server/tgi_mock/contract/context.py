"""
What every contract check reads: the server under test, our spec, the server's `/info`, and
what earlier checks learned (operations the server does not serve).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tgi_mock.contract.outcome import skip
from tgi_mock.contract.spec import Spec
from tgi_mock.contract.wire import Target

__all__ = ["PROMPT", "Context"]

PROMPT = "The quick brown fox"
"""A short prompt: verify must stay quick against a real GPU server."""


@dataclass
class Context:
    """Shared by the checks of one `verify` run."""

    target: Target
    spec: Spec
    info: dict[str, Any] | None
    """`GET /info` as JSON, or None when the server did not answer it with a JSON object."""
    unserved: set[str] = field(default_factory=set)
    """operationIds the server answered with an empty 404 (not served)."""

    def limit(self, *names: str) -> int:
        """The first of `names` that `/info` reports as an integer; skips the check otherwise."""
        if self.info is None:
            skip("GET /info gave no JSON object, so the server's limits are unknown")
        for name in names:
            value = self.info.get(name)
            if isinstance(value, int) and not isinstance(value, bool):
                return value
        skip(f"/info does not report {' or '.join(names)}")

    @property
    def model_id(self) -> str:
        """`model_id` from `/info` (`tgi` when unknown)."""
        value = (self.info or {}).get("model_id")
        return value if isinstance(value, str) and value else "tgi"
