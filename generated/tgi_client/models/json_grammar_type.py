from typing import Literal

JsonGrammarType = Literal["json", "json_object"]

JSON_GRAMMAR_TYPE_VALUES: set[JsonGrammarType] = {
    "json",
    "json_object",
}


def check_json_grammar_type(value: str) -> JsonGrammarType:
    if value in JSON_GRAMMAR_TYPE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {JSON_GRAMMAR_TYPE_VALUES!r}"
    )
