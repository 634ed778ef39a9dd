"""The documented types of text-generation 0.7.0, as small frozen attrs classes.

Request types (``Parameters``, ``Request``, ``Grammar``) validate on construction; answer types
are converted from the generated models. ``Info`` and ``SimpleToken`` are new.
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
from text_generation._responses import (
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
