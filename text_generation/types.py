"""The documented types of text-generation 0.7.0, pydantic v2 models as 0.7.0's were.

The answer types (``Response``, ``Details``, ``Token``, ``StreamResponse``, ``Info``, the chat
chunk types, ...) are the models generated from ``openapi.yaml`` (``tgi_client.models``), under
0.7.0's names (``class_overrides`` in ``tools/openapi-generator.yaml``); what 0.7.0 adds to the
wire is in the spec too (``x-client-default``, ``x-enum-varnames``), and ``FinishReason`` is open.
A chat completion (``ChatComplete`` and what it holds) is converted from its generated model.
Request types (``Parameters``, ``Request``, ``Grammar``, ``Message``, ``ChatRequest``) carry
0.7.0's defaults and validators and validate on construction; ``Parameters`` extends the
generated ``GenerateParameters``. ``Info`` and ``SimpleToken`` are new.
"""

from text_generation._chat_types import (
    ChatComplete,
    ChatCompletionChunk,
    ChatCompletionComplete,
    ChatRequest,
    Choice,
    ChoiceDelta,
    ChoiceDeltaToolCall,
    Function,
    Message,
    Tool,
    ToolCall,
)
from text_generation._params import Grammar, GrammarType, Parameters, Request
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
    "ChatComplete",
    "ChatCompletionChunk",
    "ChatCompletionComplete",
    "ChatRequest",
    "Choice",
    "ChoiceDelta",
    "ChoiceDeltaToolCall",
    "DeployedModel",
    "Details",
    "FinishReason",
    "Function",
    "Grammar",
    "GrammarType",
    "Info",
    "InputToken",
    "Message",
    "Parameters",
    "Request",
    "Response",
    "SimpleToken",
    "StreamDetails",
    "StreamResponse",
    "Token",
    "Tool",
    "ToolCall",
]
