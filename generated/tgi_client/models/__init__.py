"""Contains all the data models used in inputs/outputs"""

from .api_error_response import ApiErrorResponse
from .best_of_sequence import BestOfSequence
from .chat_completion import ChatCompletion
from .chat_completion_chunk import ChatCompletionChunk
from .chat_completion_complete import ChatCompletionComplete
from .chat_completion_logprob import ChatCompletionLogprob
from .chat_completion_logprobs import ChatCompletionLogprobs
from .chat_completion_top_logprob import ChatCompletionTopLogprob
from .chat_request import ChatRequest
from .chat_stream_error import ChatStreamError
from .chat_stream_error_error import ChatStreamErrorError
from .choice import Choice
from .choice_delta import ChoiceDelta
from .choice_delta_tool_call import ChoiceDeltaToolCall
from .compat_generate_request import CompatGenerateRequest
from .completion_chunk import CompletionChunk
from .completion_complete import CompletionComplete
from .completion_final import CompletionFinal
from .completion_request import CompletionRequest
from .deployed_model import DeployedModel
from .details import Details
from .error_response import ErrorResponse
from .finish_reason import FinishReason
from .function import Function
from .function_definition import FunctionDefinition
from .function_name import FunctionName
from .generate_parameters import GenerateParameters
from .generate_request import GenerateRequest
from .image_url_chunk import ImageUrlChunk
from .info import Info
from .input_token import InputToken
from .json_grammar import JsonGrammar
from .json_grammar_type import JsonGrammarType
from .json_grammar_value_type_0 import JsonGrammarValueType0
from .json_schema_config import JsonSchemaConfig
from .json_schema_config_schema import JsonSchemaConfigSchema
from .json_schema_grammar import JsonSchemaGrammar
from .message import Message
from .model_info import ModelInfo
from .model_list import ModelList
from .model_status import ModelStatus
from .output_message import OutputMessage
from .regex_grammar import RegexGrammar
from .response import Response
from .simple_token import SimpleToken
from .stream_details import StreamDetails
from .stream_options import StreamOptions
from .stream_response import StreamResponse
from .text_chunk import TextChunk
from .token import Token
from .tool import Tool
from .tool_call import ToolCall
from .tool_call_function import ToolCallFunction
from .tool_call_function_arguments_type_1 import ToolCallFunctionArgumentsType1
from .tool_choice_function import ToolChoiceFunction
from .url import Url
from .usage import Usage

__all__ = (
    "ApiErrorResponse",
    "BestOfSequence",
    "ChatCompletion",
    "ChatCompletionChunk",
    "ChatCompletionComplete",
    "ChatCompletionLogprob",
    "ChatCompletionLogprobs",
    "ChatCompletionTopLogprob",
    "ChatRequest",
    "ChatStreamError",
    "ChatStreamErrorError",
    "Choice",
    "ChoiceDelta",
    "ChoiceDeltaToolCall",
    "CompatGenerateRequest",
    "CompletionChunk",
    "CompletionComplete",
    "CompletionFinal",
    "CompletionRequest",
    "DeployedModel",
    "Details",
    "ErrorResponse",
    "FinishReason",
    "Function",
    "FunctionDefinition",
    "FunctionName",
    "GenerateParameters",
    "GenerateRequest",
    "ImageUrlChunk",
    "Info",
    "InputToken",
    "JsonGrammar",
    "JsonGrammarType",
    "JsonGrammarValueType0",
    "JsonSchemaConfig",
    "JsonSchemaConfigSchema",
    "JsonSchemaGrammar",
    "Message",
    "ModelInfo",
    "ModelList",
    "ModelStatus",
    "OutputMessage",
    "RegexGrammar",
    "Response",
    "SimpleToken",
    "StreamDetails",
    "StreamOptions",
    "StreamResponse",
    "TextChunk",
    "Token",
    "Tool",
    "ToolCall",
    "ToolCallFunction",
    "ToolCallFunctionArgumentsType1",
    "ToolChoiceFunction",
    "Url",
    "Usage",
)
