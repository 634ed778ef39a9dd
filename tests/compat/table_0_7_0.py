"""The public API of text-generation 0.7.0, written by make_table.py from its own
signatures (do not edit; regenerate)."""

from typing import Any

VERSION = "0.7.0"

TABLE: dict[str, dict[str, Any]] = {
    "text_generation": {
        "AsyncClient": {
            "bases": [],
            "kind": "class",
            "methods": {
                "__init__": {
                    "flavour": "sync",
                    "parameters": [
                        ("base_url", "POSITIONAL_OR_KEYWORD", "<required>"),
                        ("headers", "POSITIONAL_OR_KEYWORD", "None"),
                        ("cookies", "POSITIONAL_OR_KEYWORD", "None"),
                        ("timeout", "POSITIONAL_OR_KEYWORD", "10"),
                    ],
                },
                "chat": {
                    "flavour": "coroutine",
                    "parameters": [
                        ("messages", "POSITIONAL_OR_KEYWORD", "<required>"),
                        ("repetition_penalty", "POSITIONAL_OR_KEYWORD", "None"),
                        ("frequency_penalty", "POSITIONAL_OR_KEYWORD", "None"),
                        ("logit_bias", "POSITIONAL_OR_KEYWORD", "None"),
                        ("logprobs", "POSITIONAL_OR_KEYWORD", "None"),
                        ("top_logprobs", "POSITIONAL_OR_KEYWORD", "None"),
                        ("max_tokens", "POSITIONAL_OR_KEYWORD", "None"),
                        ("n", "POSITIONAL_OR_KEYWORD", "None"),
                        ("presence_penalty", "POSITIONAL_OR_KEYWORD", "None"),
                        ("stream", "POSITIONAL_OR_KEYWORD", "False"),
                        ("seed", "POSITIONAL_OR_KEYWORD", "None"),
                        ("temperature", "POSITIONAL_OR_KEYWORD", "None"),
                        ("top_p", "POSITIONAL_OR_KEYWORD", "None"),
                        ("tools", "POSITIONAL_OR_KEYWORD", "None"),
                        ("tool_choice", "POSITIONAL_OR_KEYWORD", "None"),
                    ],
                },
                "generate": {
                    "flavour": "coroutine",
                    "parameters": [
                        ("prompt", "POSITIONAL_OR_KEYWORD", "<required>"),
                        ("do_sample", "POSITIONAL_OR_KEYWORD", "False"),
                        ("max_new_tokens", "POSITIONAL_OR_KEYWORD", "20"),
                        ("best_of", "POSITIONAL_OR_KEYWORD", "None"),
                        ("repetition_penalty", "POSITIONAL_OR_KEYWORD", "None"),
                        ("frequency_penalty", "POSITIONAL_OR_KEYWORD", "None"),
                        ("return_full_text", "POSITIONAL_OR_KEYWORD", "False"),
                        ("seed", "POSITIONAL_OR_KEYWORD", "None"),
                        ("stop_sequences", "POSITIONAL_OR_KEYWORD", "None"),
                        ("temperature", "POSITIONAL_OR_KEYWORD", "None"),
                        ("top_k", "POSITIONAL_OR_KEYWORD", "None"),
                        ("top_p", "POSITIONAL_OR_KEYWORD", "None"),
                        ("truncate", "POSITIONAL_OR_KEYWORD", "None"),
                        ("typical_p", "POSITIONAL_OR_KEYWORD", "None"),
                        ("watermark", "POSITIONAL_OR_KEYWORD", "False"),
                        ("decoder_input_details", "POSITIONAL_OR_KEYWORD", "False"),
                        ("top_n_tokens", "POSITIONAL_OR_KEYWORD", "None"),
                        ("grammar", "POSITIONAL_OR_KEYWORD", "None"),
                    ],
                },
                "generate_stream": {
                    "flavour": "asyncgen",
                    "parameters": [
                        ("prompt", "POSITIONAL_OR_KEYWORD", "<required>"),
                        ("do_sample", "POSITIONAL_OR_KEYWORD", "False"),
                        ("max_new_tokens", "POSITIONAL_OR_KEYWORD", "20"),
                        ("repetition_penalty", "POSITIONAL_OR_KEYWORD", "None"),
                        ("frequency_penalty", "POSITIONAL_OR_KEYWORD", "None"),
                        ("return_full_text", "POSITIONAL_OR_KEYWORD", "False"),
                        ("seed", "POSITIONAL_OR_KEYWORD", "None"),
                        ("stop_sequences", "POSITIONAL_OR_KEYWORD", "None"),
                        ("temperature", "POSITIONAL_OR_KEYWORD", "None"),
                        ("top_k", "POSITIONAL_OR_KEYWORD", "None"),
                        ("top_p", "POSITIONAL_OR_KEYWORD", "None"),
                        ("truncate", "POSITIONAL_OR_KEYWORD", "None"),
                        ("typical_p", "POSITIONAL_OR_KEYWORD", "None"),
                        ("watermark", "POSITIONAL_OR_KEYWORD", "False"),
                        ("top_n_tokens", "POSITIONAL_OR_KEYWORD", "None"),
                        ("grammar", "POSITIONAL_OR_KEYWORD", "None"),
                    ],
                },
            },
        },
        "Client": {
            "bases": [],
            "kind": "class",
            "methods": {
                "__init__": {
                    "flavour": "sync",
                    "parameters": [
                        ("base_url", "POSITIONAL_OR_KEYWORD", "<required>"),
                        ("headers", "POSITIONAL_OR_KEYWORD", "None"),
                        ("cookies", "POSITIONAL_OR_KEYWORD", "None"),
                        ("timeout", "POSITIONAL_OR_KEYWORD", "10"),
                    ],
                },
                "chat": {
                    "flavour": "sync",
                    "parameters": [
                        ("messages", "POSITIONAL_OR_KEYWORD", "<required>"),
                        ("repetition_penalty", "POSITIONAL_OR_KEYWORD", "None"),
                        ("frequency_penalty", "POSITIONAL_OR_KEYWORD", "None"),
                        ("logit_bias", "POSITIONAL_OR_KEYWORD", "None"),
                        ("logprobs", "POSITIONAL_OR_KEYWORD", "None"),
                        ("top_logprobs", "POSITIONAL_OR_KEYWORD", "None"),
                        ("max_tokens", "POSITIONAL_OR_KEYWORD", "None"),
                        ("n", "POSITIONAL_OR_KEYWORD", "None"),
                        ("presence_penalty", "POSITIONAL_OR_KEYWORD", "None"),
                        ("stream", "POSITIONAL_OR_KEYWORD", "False"),
                        ("seed", "POSITIONAL_OR_KEYWORD", "None"),
                        ("temperature", "POSITIONAL_OR_KEYWORD", "None"),
                        ("top_p", "POSITIONAL_OR_KEYWORD", "None"),
                        ("tools", "POSITIONAL_OR_KEYWORD", "None"),
                        ("tool_choice", "POSITIONAL_OR_KEYWORD", "None"),
                    ],
                },
                "generate": {
                    "flavour": "sync",
                    "parameters": [
                        ("prompt", "POSITIONAL_OR_KEYWORD", "<required>"),
                        ("do_sample", "POSITIONAL_OR_KEYWORD", "False"),
                        ("max_new_tokens", "POSITIONAL_OR_KEYWORD", "20"),
                        ("best_of", "POSITIONAL_OR_KEYWORD", "None"),
                        ("repetition_penalty", "POSITIONAL_OR_KEYWORD", "None"),
                        ("frequency_penalty", "POSITIONAL_OR_KEYWORD", "None"),
                        ("return_full_text", "POSITIONAL_OR_KEYWORD", "False"),
                        ("seed", "POSITIONAL_OR_KEYWORD", "None"),
                        ("stop_sequences", "POSITIONAL_OR_KEYWORD", "None"),
                        ("temperature", "POSITIONAL_OR_KEYWORD", "None"),
                        ("top_k", "POSITIONAL_OR_KEYWORD", "None"),
                        ("top_p", "POSITIONAL_OR_KEYWORD", "None"),
                        ("truncate", "POSITIONAL_OR_KEYWORD", "None"),
                        ("typical_p", "POSITIONAL_OR_KEYWORD", "None"),
                        ("watermark", "POSITIONAL_OR_KEYWORD", "False"),
                        ("decoder_input_details", "POSITIONAL_OR_KEYWORD", "False"),
                        ("top_n_tokens", "POSITIONAL_OR_KEYWORD", "None"),
                        ("grammar", "POSITIONAL_OR_KEYWORD", "None"),
                    ],
                },
                "generate_stream": {
                    "flavour": "sync",
                    "parameters": [
                        ("prompt", "POSITIONAL_OR_KEYWORD", "<required>"),
                        ("do_sample", "POSITIONAL_OR_KEYWORD", "False"),
                        ("max_new_tokens", "POSITIONAL_OR_KEYWORD", "20"),
                        ("repetition_penalty", "POSITIONAL_OR_KEYWORD", "None"),
                        ("frequency_penalty", "POSITIONAL_OR_KEYWORD", "None"),
                        ("return_full_text", "POSITIONAL_OR_KEYWORD", "False"),
                        ("seed", "POSITIONAL_OR_KEYWORD", "None"),
                        ("stop_sequences", "POSITIONAL_OR_KEYWORD", "None"),
                        ("temperature", "POSITIONAL_OR_KEYWORD", "None"),
                        ("top_k", "POSITIONAL_OR_KEYWORD", "None"),
                        ("top_p", "POSITIONAL_OR_KEYWORD", "None"),
                        ("truncate", "POSITIONAL_OR_KEYWORD", "None"),
                        ("typical_p", "POSITIONAL_OR_KEYWORD", "None"),
                        ("watermark", "POSITIONAL_OR_KEYWORD", "False"),
                        ("top_n_tokens", "POSITIONAL_OR_KEYWORD", "None"),
                        ("grammar", "POSITIONAL_OR_KEYWORD", "None"),
                    ],
                },
            },
        },
        "InferenceAPIAsyncClient": {
            "bases": ["AsyncClient"],
            "kind": "class",
            "methods": {
                "__init__": {
                    "flavour": "sync",
                    "parameters": [
                        ("repo_id", "POSITIONAL_OR_KEYWORD", "<required>"),
                        ("token", "POSITIONAL_OR_KEYWORD", "None"),
                        ("timeout", "POSITIONAL_OR_KEYWORD", "10"),
                    ],
                }
            },
        },
        "InferenceAPIClient": {
            "bases": ["Client"],
            "kind": "class",
            "methods": {
                "__init__": {
                    "flavour": "sync",
                    "parameters": [
                        ("repo_id", "POSITIONAL_OR_KEYWORD", "<required>"),
                        ("token", "POSITIONAL_OR_KEYWORD", "None"),
                        ("timeout", "POSITIONAL_OR_KEYWORD", "10"),
                    ],
                }
            },
        },
    },
    "text_generation.client": {
        "AsyncClient": {
            "bases": [],
            "kind": "class",
            "methods": {
                "__init__": {
                    "flavour": "sync",
                    "parameters": [
                        ("base_url", "POSITIONAL_OR_KEYWORD", "<required>"),
                        ("headers", "POSITIONAL_OR_KEYWORD", "None"),
                        ("cookies", "POSITIONAL_OR_KEYWORD", "None"),
                        ("timeout", "POSITIONAL_OR_KEYWORD", "10"),
                    ],
                },
                "chat": {
                    "flavour": "coroutine",
                    "parameters": [
                        ("messages", "POSITIONAL_OR_KEYWORD", "<required>"),
                        ("repetition_penalty", "POSITIONAL_OR_KEYWORD", "None"),
                        ("frequency_penalty", "POSITIONAL_OR_KEYWORD", "None"),
                        ("logit_bias", "POSITIONAL_OR_KEYWORD", "None"),
                        ("logprobs", "POSITIONAL_OR_KEYWORD", "None"),
                        ("top_logprobs", "POSITIONAL_OR_KEYWORD", "None"),
                        ("max_tokens", "POSITIONAL_OR_KEYWORD", "None"),
                        ("n", "POSITIONAL_OR_KEYWORD", "None"),
                        ("presence_penalty", "POSITIONAL_OR_KEYWORD", "None"),
                        ("stream", "POSITIONAL_OR_KEYWORD", "False"),
                        ("seed", "POSITIONAL_OR_KEYWORD", "None"),
                        ("temperature", "POSITIONAL_OR_KEYWORD", "None"),
                        ("top_p", "POSITIONAL_OR_KEYWORD", "None"),
                        ("tools", "POSITIONAL_OR_KEYWORD", "None"),
                        ("tool_choice", "POSITIONAL_OR_KEYWORD", "None"),
                    ],
                },
                "generate": {
                    "flavour": "coroutine",
                    "parameters": [
                        ("prompt", "POSITIONAL_OR_KEYWORD", "<required>"),
                        ("do_sample", "POSITIONAL_OR_KEYWORD", "False"),
                        ("max_new_tokens", "POSITIONAL_OR_KEYWORD", "20"),
                        ("best_of", "POSITIONAL_OR_KEYWORD", "None"),
                        ("repetition_penalty", "POSITIONAL_OR_KEYWORD", "None"),
                        ("frequency_penalty", "POSITIONAL_OR_KEYWORD", "None"),
                        ("return_full_text", "POSITIONAL_OR_KEYWORD", "False"),
                        ("seed", "POSITIONAL_OR_KEYWORD", "None"),
                        ("stop_sequences", "POSITIONAL_OR_KEYWORD", "None"),
                        ("temperature", "POSITIONAL_OR_KEYWORD", "None"),
                        ("top_k", "POSITIONAL_OR_KEYWORD", "None"),
                        ("top_p", "POSITIONAL_OR_KEYWORD", "None"),
                        ("truncate", "POSITIONAL_OR_KEYWORD", "None"),
                        ("typical_p", "POSITIONAL_OR_KEYWORD", "None"),
                        ("watermark", "POSITIONAL_OR_KEYWORD", "False"),
                        ("decoder_input_details", "POSITIONAL_OR_KEYWORD", "False"),
                        ("top_n_tokens", "POSITIONAL_OR_KEYWORD", "None"),
                        ("grammar", "POSITIONAL_OR_KEYWORD", "None"),
                    ],
                },
                "generate_stream": {
                    "flavour": "asyncgen",
                    "parameters": [
                        ("prompt", "POSITIONAL_OR_KEYWORD", "<required>"),
                        ("do_sample", "POSITIONAL_OR_KEYWORD", "False"),
                        ("max_new_tokens", "POSITIONAL_OR_KEYWORD", "20"),
                        ("repetition_penalty", "POSITIONAL_OR_KEYWORD", "None"),
                        ("frequency_penalty", "POSITIONAL_OR_KEYWORD", "None"),
                        ("return_full_text", "POSITIONAL_OR_KEYWORD", "False"),
                        ("seed", "POSITIONAL_OR_KEYWORD", "None"),
                        ("stop_sequences", "POSITIONAL_OR_KEYWORD", "None"),
                        ("temperature", "POSITIONAL_OR_KEYWORD", "None"),
                        ("top_k", "POSITIONAL_OR_KEYWORD", "None"),
                        ("top_p", "POSITIONAL_OR_KEYWORD", "None"),
                        ("truncate", "POSITIONAL_OR_KEYWORD", "None"),
                        ("typical_p", "POSITIONAL_OR_KEYWORD", "None"),
                        ("watermark", "POSITIONAL_OR_KEYWORD", "False"),
                        ("top_n_tokens", "POSITIONAL_OR_KEYWORD", "None"),
                        ("grammar", "POSITIONAL_OR_KEYWORD", "None"),
                    ],
                },
            },
        },
        "Client": {
            "bases": [],
            "kind": "class",
            "methods": {
                "__init__": {
                    "flavour": "sync",
                    "parameters": [
                        ("base_url", "POSITIONAL_OR_KEYWORD", "<required>"),
                        ("headers", "POSITIONAL_OR_KEYWORD", "None"),
                        ("cookies", "POSITIONAL_OR_KEYWORD", "None"),
                        ("timeout", "POSITIONAL_OR_KEYWORD", "10"),
                    ],
                },
                "chat": {
                    "flavour": "sync",
                    "parameters": [
                        ("messages", "POSITIONAL_OR_KEYWORD", "<required>"),
                        ("repetition_penalty", "POSITIONAL_OR_KEYWORD", "None"),
                        ("frequency_penalty", "POSITIONAL_OR_KEYWORD", "None"),
                        ("logit_bias", "POSITIONAL_OR_KEYWORD", "None"),
                        ("logprobs", "POSITIONAL_OR_KEYWORD", "None"),
                        ("top_logprobs", "POSITIONAL_OR_KEYWORD", "None"),
                        ("max_tokens", "POSITIONAL_OR_KEYWORD", "None"),
                        ("n", "POSITIONAL_OR_KEYWORD", "None"),
                        ("presence_penalty", "POSITIONAL_OR_KEYWORD", "None"),
                        ("stream", "POSITIONAL_OR_KEYWORD", "False"),
                        ("seed", "POSITIONAL_OR_KEYWORD", "None"),
                        ("temperature", "POSITIONAL_OR_KEYWORD", "None"),
                        ("top_p", "POSITIONAL_OR_KEYWORD", "None"),
                        ("tools", "POSITIONAL_OR_KEYWORD", "None"),
                        ("tool_choice", "POSITIONAL_OR_KEYWORD", "None"),
                    ],
                },
                "generate": {
                    "flavour": "sync",
                    "parameters": [
                        ("prompt", "POSITIONAL_OR_KEYWORD", "<required>"),
                        ("do_sample", "POSITIONAL_OR_KEYWORD", "False"),
                        ("max_new_tokens", "POSITIONAL_OR_KEYWORD", "20"),
                        ("best_of", "POSITIONAL_OR_KEYWORD", "None"),
                        ("repetition_penalty", "POSITIONAL_OR_KEYWORD", "None"),
                        ("frequency_penalty", "POSITIONAL_OR_KEYWORD", "None"),
                        ("return_full_text", "POSITIONAL_OR_KEYWORD", "False"),
                        ("seed", "POSITIONAL_OR_KEYWORD", "None"),
                        ("stop_sequences", "POSITIONAL_OR_KEYWORD", "None"),
                        ("temperature", "POSITIONAL_OR_KEYWORD", "None"),
                        ("top_k", "POSITIONAL_OR_KEYWORD", "None"),
                        ("top_p", "POSITIONAL_OR_KEYWORD", "None"),
                        ("truncate", "POSITIONAL_OR_KEYWORD", "None"),
                        ("typical_p", "POSITIONAL_OR_KEYWORD", "None"),
                        ("watermark", "POSITIONAL_OR_KEYWORD", "False"),
                        ("decoder_input_details", "POSITIONAL_OR_KEYWORD", "False"),
                        ("top_n_tokens", "POSITIONAL_OR_KEYWORD", "None"),
                        ("grammar", "POSITIONAL_OR_KEYWORD", "None"),
                    ],
                },
                "generate_stream": {
                    "flavour": "sync",
                    "parameters": [
                        ("prompt", "POSITIONAL_OR_KEYWORD", "<required>"),
                        ("do_sample", "POSITIONAL_OR_KEYWORD", "False"),
                        ("max_new_tokens", "POSITIONAL_OR_KEYWORD", "20"),
                        ("repetition_penalty", "POSITIONAL_OR_KEYWORD", "None"),
                        ("frequency_penalty", "POSITIONAL_OR_KEYWORD", "None"),
                        ("return_full_text", "POSITIONAL_OR_KEYWORD", "False"),
                        ("seed", "POSITIONAL_OR_KEYWORD", "None"),
                        ("stop_sequences", "POSITIONAL_OR_KEYWORD", "None"),
                        ("temperature", "POSITIONAL_OR_KEYWORD", "None"),
                        ("top_k", "POSITIONAL_OR_KEYWORD", "None"),
                        ("top_p", "POSITIONAL_OR_KEYWORD", "None"),
                        ("truncate", "POSITIONAL_OR_KEYWORD", "None"),
                        ("typical_p", "POSITIONAL_OR_KEYWORD", "None"),
                        ("watermark", "POSITIONAL_OR_KEYWORD", "False"),
                        ("top_n_tokens", "POSITIONAL_OR_KEYWORD", "None"),
                        ("grammar", "POSITIONAL_OR_KEYWORD", "None"),
                    ],
                },
            },
        },
    },
    "text_generation.errors": {
        "BadRequestError": {
            "bases": ["Exception", "BaseException"],
            "kind": "class",
            "methods": {
                "__init__": {
                    "flavour": "sync",
                    "parameters": [("message", "POSITIONAL_OR_KEYWORD", "<required>")],
                }
            },
        },
        "GenerationError": {
            "bases": ["Exception", "BaseException"],
            "kind": "class",
            "methods": {
                "__init__": {
                    "flavour": "sync",
                    "parameters": [("message", "POSITIONAL_OR_KEYWORD", "<required>")],
                }
            },
        },
        "IncompleteGenerationError": {
            "bases": ["Exception", "BaseException"],
            "kind": "class",
            "methods": {
                "__init__": {
                    "flavour": "sync",
                    "parameters": [("message", "POSITIONAL_OR_KEYWORD", "<required>")],
                }
            },
        },
        "NotFoundError": {
            "bases": ["Exception", "BaseException"],
            "kind": "class",
            "methods": {
                "__init__": {
                    "flavour": "sync",
                    "parameters": [("message", "POSITIONAL_OR_KEYWORD", "<required>")],
                }
            },
        },
        "NotSupportedError": {
            "bases": ["Exception", "BaseException"],
            "kind": "class",
            "methods": {
                "__init__": {
                    "flavour": "sync",
                    "parameters": [("model_id", "POSITIONAL_OR_KEYWORD", "<required>")],
                }
            },
        },
        "OverloadedError": {
            "bases": ["Exception", "BaseException"],
            "kind": "class",
            "methods": {
                "__init__": {
                    "flavour": "sync",
                    "parameters": [("message", "POSITIONAL_OR_KEYWORD", "<required>")],
                }
            },
        },
        "RateLimitExceededError": {
            "bases": ["Exception", "BaseException"],
            "kind": "class",
            "methods": {
                "__init__": {
                    "flavour": "sync",
                    "parameters": [("message", "POSITIONAL_OR_KEYWORD", "<required>")],
                }
            },
        },
        "ShardNotReadyError": {
            "bases": ["Exception", "BaseException"],
            "kind": "class",
            "methods": {
                "__init__": {
                    "flavour": "sync",
                    "parameters": [("message", "POSITIONAL_OR_KEYWORD", "<required>")],
                }
            },
        },
        "ShardTimeoutError": {
            "bases": ["Exception", "BaseException"],
            "kind": "class",
            "methods": {
                "__init__": {
                    "flavour": "sync",
                    "parameters": [("message", "POSITIONAL_OR_KEYWORD", "<required>")],
                }
            },
        },
        "UnknownError": {
            "bases": ["Exception", "BaseException"],
            "kind": "class",
            "methods": {
                "__init__": {
                    "flavour": "sync",
                    "parameters": [("message", "POSITIONAL_OR_KEYWORD", "<required>")],
                }
            },
        },
        "ValidationError": {
            "bases": ["Exception", "BaseException"],
            "kind": "class",
            "methods": {
                "__init__": {
                    "flavour": "sync",
                    "parameters": [("message", "POSITIONAL_OR_KEYWORD", "<required>")],
                }
            },
        },
        "parse_error": {
            "flavour": "sync",
            "kind": "function",
            "parameters": [
                ("status_code", "POSITIONAL_OR_KEYWORD", "<required>"),
                ("payload", "POSITIONAL_OR_KEYWORD", "<required>"),
            ],
        },
    },
    "text_generation.inference_api": {
        "InferenceAPIAsyncClient": {
            "bases": ["AsyncClient"],
            "kind": "class",
            "methods": {
                "__init__": {
                    "flavour": "sync",
                    "parameters": [
                        ("repo_id", "POSITIONAL_OR_KEYWORD", "<required>"),
                        ("token", "POSITIONAL_OR_KEYWORD", "None"),
                        ("timeout", "POSITIONAL_OR_KEYWORD", "10"),
                    ],
                }
            },
        },
        "InferenceAPIClient": {
            "bases": ["Client"],
            "kind": "class",
            "methods": {
                "__init__": {
                    "flavour": "sync",
                    "parameters": [
                        ("repo_id", "POSITIONAL_OR_KEYWORD", "<required>"),
                        ("token", "POSITIONAL_OR_KEYWORD", "None"),
                        ("timeout", "POSITIONAL_OR_KEYWORD", "10"),
                    ],
                }
            },
        },
        "check_model_support": {
            "flavour": "sync",
            "kind": "function",
            "parameters": [
                ("repo_id", "POSITIONAL_OR_KEYWORD", "<required>"),
                ("headers", "POSITIONAL_OR_KEYWORD", "None"),
            ],
        },
        "deployed_models": {
            "flavour": "sync",
            "kind": "function",
            "parameters": [("headers", "POSITIONAL_OR_KEYWORD", "None")],
        },
    },
    "text_generation.types": {
        "BestOfSequence": {
            "fields": {
                "finish_reason": ("FinishReason", "<required>"),
                "generated_text": ("str", "<required>"),
                "generated_tokens": ("int", "<required>"),
                "prefill": ("list[InputToken]", "<required>"),
                "seed": ("Union[None, int]", "None"),
                "tokens": ("list[Token]", "<required>"),
                "top_tokens": ("Union[None, list[list[Token]]]", "None"),
            },
            "kind": "model",
        },
        "ChatComplete": {
            "fields": {
                "choices": ("list[ChatCompletionComplete]", "<required>"),
                "created": ("int", "<required>"),
                "id": ("str", "<required>"),
                "model": ("str", "<required>"),
                "object": ("str", "<required>"),
                "system_fingerprint": ("str", "<required>"),
                "usage": ("Any", "<required>"),
            },
            "kind": "model",
        },
        "ChatCompletionChunk": {
            "fields": {
                "choices": ("list[Choice]", "<required>"),
                "created": ("int", "<required>"),
                "id": ("str", "<required>"),
                "model": ("str", "<required>"),
                "object": ("str", "<required>"),
                "system_fingerprint": ("str", "<required>"),
            },
            "kind": "model",
        },
        "ChatCompletionComplete": {
            "fields": {
                "finish_reason": ("str", "<required>"),
                "index": ("int", "<required>"),
                "logprobs": ("Any", "<required>"),
                "message": ("Message", "<required>"),
                "usage": ("Any", "None"),
            },
            "kind": "model",
        },
        "ChatRequest": {
            "fields": {
                "frequency_penalty": ("Union[None, float]", "None"),
                "logit_bias": ("Union[None, list[float]]", "None"),
                "logprobs": ("Union[None, bool]", "None"),
                "max_tokens": ("Union[None, int]", "None"),
                "messages": ("list[Message]", "<required>"),
                "model": ("str", "<required>"),
                "n": ("Union[None, int]", "None"),
                "presence_penalty": ("Union[None, float]", "None"),
                "repetition_penalty": ("Union[None, float]", "None"),
                "seed": ("Union[None, int]", "None"),
                "stream": ("bool", "False"),
                "temperature": ("Union[None, float]", "None"),
                "tool_choice": ("Union[None, str]", "None"),
                "tools": ("Union[None, list[Tool]]", "None"),
                "top_logprobs": ("Union[None, int]", "None"),
                "top_p": ("Union[None, float]", "None"),
            },
            "kind": "model",
        },
        "Choice": {
            "fields": {
                "delta": ("ChoiceDelta", "<required>"),
                "finish_reason": ("Union[None, str]", "None"),
                "index": ("int", "<required>"),
                "logprobs": ("Union[None, dict]", "None"),
            },
            "kind": "model",
        },
        "ChoiceDelta": {
            "fields": {
                "content": ("Union[None, str]", "None"),
                "role": ("str", "<required>"),
                "tool_calls": ("Union[ChoiceDeltaToolCall, None]", "<required>"),
            },
            "kind": "model",
        },
        "ChoiceDeltaToolCall": {
            "fields": {
                "function": ("Function", "<required>"),
                "id": ("str", "<required>"),
                "index": ("int", "<required>"),
                "type": ("str", "<required>"),
            },
            "kind": "model",
        },
        "DeployedModel": {
            "fields": {"model_id": ("str", "<required>"), "sha": ("str", "<required>")},
            "kind": "model",
        },
        "Details": {
            "fields": {
                "best_of_sequences": ("Union[None, list[BestOfSequence]]", "None"),
                "finish_reason": ("FinishReason", "<required>"),
                "generated_tokens": ("int", "<required>"),
                "prefill": ("list[InputToken]", "<required>"),
                "seed": ("Union[None, int]", "None"),
                "tokens": ("list[Token]", "<required>"),
                "top_tokens": ("Union[None, list[list[Token]]]", "None"),
            },
            "kind": "model",
        },
        "FinishReason": {
            "kind": "enum",
            "members": {
                "EndOfSequenceToken": "eos_token",
                "Length": "length",
                "StopSequence": "stop_sequence",
            },
        },
        "Function": {
            "fields": {
                "arguments": ("str", "<required>"),
                "name": ("Union[None, str]", "<required>"),
            },
            "kind": "model",
        },
        "Grammar": {
            "fields": {
                "type": ("GrammarType", "<required>"),
                "value": ("Union[dict, str]", "<required>"),
            },
            "kind": "model",
        },
        "GrammarType": {"kind": "enum", "members": {"Json": "json", "Regex": "regex"}},
        "InputToken": {
            "fields": {
                "id": ("int", "<required>"),
                "logprob": ("Union[None, float]", "None"),
                "text": ("str", "<required>"),
            },
            "kind": "model",
        },
        "Message": {
            "fields": {
                "content": ("Union[None, str]", "None"),
                "name": ("Union[None, str]", "None"),
                "role": ("str", "<required>"),
                "tool_calls": ("Any", "None"),
            },
            "kind": "model",
        },
        "Parameters": {
            "fields": {
                "best_of": ("Union[None, int]", "None"),
                "decoder_input_details": ("bool", "False"),
                "details": ("bool", "False"),
                "do_sample": ("bool", "False"),
                "frequency_penalty": ("Union[None, float]", "None"),
                "grammar": ("Union[Grammar, None]", "None"),
                "max_new_tokens": ("int", "20"),
                "repetition_penalty": ("Union[None, float]", "None"),
                "return_full_text": ("bool", "False"),
                "seed": ("Union[None, int]", "None"),
                "stop": ("list[str]", "[]"),
                "temperature": ("Union[None, float]", "None"),
                "top_k": ("Union[None, int]", "None"),
                "top_n_tokens": ("Union[None, int]", "None"),
                "top_p": ("Union[None, float]", "None"),
                "truncate": ("Union[None, int]", "None"),
                "typical_p": ("Union[None, float]", "None"),
                "watermark": ("bool", "False"),
            },
            "kind": "model",
        },
        "Request": {
            "fields": {
                "inputs": ("str", "<required>"),
                "parameters": ("Union[None, Parameters]", "None"),
                "stream": ("bool", "False"),
            },
            "kind": "model",
        },
        "Response": {
            "fields": {
                "details": ("Details", "<required>"),
                "generated_text": ("str", "<required>"),
            },
            "kind": "model",
        },
        "StreamDetails": {
            "fields": {
                "finish_reason": ("FinishReason", "<required>"),
                "generated_tokens": ("int", "<required>"),
                "seed": ("Union[None, int]", "None"),
            },
            "kind": "model",
        },
        "StreamResponse": {
            "fields": {
                "details": ("Union[None, StreamDetails]", "None"),
                "generated_text": ("Union[None, str]", "None"),
                "token": ("Token", "<required>"),
                "top_tokens": ("Union[None, list[Token]]", "None"),
            },
            "kind": "model",
        },
        "Token": {
            "fields": {
                "id": ("int", "<required>"),
                "logprob": ("Union[None, float]", "None"),
                "special": ("bool", "<required>"),
                "text": ("str", "<required>"),
            },
            "kind": "model",
        },
        "Tool": {
            "fields": {"function": ("dict", "<required>"), "type": ("str", "<required>")},
            "kind": "model",
        },
        "ToolCall": {
            "fields": {
                "function": ("dict", "<required>"),
                "id": ("int", "<required>"),
                "type": ("str", "<required>"),
            },
            "kind": "model",
        },
    },
}
