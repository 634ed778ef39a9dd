"""The documented answer types: the generated models themselves (``tgi_client.models``, pydantic v2
models emitted by ``tools/templates`` from ``openapi.yaml``), under text-generation 0.7.0's names
(``class_overrides`` in ``tools/openapi-generator.yaml``). Nothing here lists a wire field: a field
added to the spec reaches these classes through ``make generate``.

What 0.7.0 adds to the wire is in the spec too: its defaults (``x-client-default``) and the member
names of ``FinishReason`` (``x-enum-varnames``). ``FinishReason`` is open: a value a newer server
sends becomes a member of its own instead of failing the whole answer.
"""

from __future__ import annotations

from tgi_client.models import (
    BestOfSequence,
    DeployedModel,
    Details,
    FinishReason,
    Info,
    InputToken,
    Response,
    SimpleToken,
    StreamDetails,
    StreamResponse,
    Token,
)

__all__ = [
    "BestOfSequence",
    "DeployedModel",
    "Details",
    "FinishReason",
    "Info",
    "InputToken",
    "Response",
    "SimpleToken",
    "StreamDetails",
    "StreamResponse",
    "Token",
]
