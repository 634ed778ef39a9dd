"""
A JSON parser that reports errors the way serde_json does, and keeps positions for typed decoding.

TGI (axum 0.7 + serde_json) answers a body that is not JSON with a plain-text 400
`Failed to parse the request body as JSON: <serde_json error>`, where the error reads like
`expected value at line 1 column 1` or `EOF while parsing an object at line 1 column 9`.
`parse()` returns a tree of `Node`s (value plus the line/column serde_json would report for it)
or raises `JsonSyntaxError` with serde_json's wording. It is pure Python and slow, so valid bodies
take `fast_parse()` first (the C `json` scanner, positions left out) and only a body it cannot
vouch for, or one that a decoder rejects, is parsed again here for serde_json's words. Positions
follow serde_json: lines from 1, columns count bytes from 1, and an error is reported at the last
byte consumed.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["JsonSyntaxError", "Node", "fast_parse", "parse"]

_WS = b" \t\n\r"
_RECURSION_LIMIT = 128


class JsonSyntaxError(ValueError):
    """The body is not JSON; `str()` is serde_json's message with its position."""


@dataclass
class Node:
    """A parsed JSON value: `kind` is one of null/bool/int/float/str/list/dict."""

    kind: str
    value: Any
    end: tuple[int, int]
    """serde_json's position after the value was consumed (for a container: its opening byte)."""
    close: tuple[int, int] = (1, 0)
    """For a dict: the position just before its closing brace (where `missing field` is)."""
    items: list[Node] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)

    def get(self, key: str) -> Node | None:
        """The value of the first `key` in a dict node, or None."""
        for name, node in zip(self.keys, self.items, strict=True):
            if name == key:
                return node
        return None

    def plain(self) -> Any:
        """The node as plain Python values."""
        if self.kind == "list":
            return [item.plain() for item in self.items]
        if self.kind == "dict":
            return {k: v.plain() for k, v in zip(self.keys, self.items, strict=True)}
        return self.value


class _Parser:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.i = 0
        self.newlines = [k for k, byte in enumerate(data) if byte == 0x0A]
        self.depth = 0

    def pos(self, index: int) -> tuple[int, int]:
        """serde_json's (line, column) once the byte at `index` has been consumed."""
        if index < 0:
            return (1, 0)
        line = bisect.bisect_left(self.newlines, index)
        start = self.newlines[line - 1] + 1 if line else 0
        if index < len(self.data) and self.data[index] == 0x0A:
            return (line + 2, 0)
        return (line + 1, index - start + 1)

    def fail(self, message: str, index: int | None = None) -> JsonSyntaxError:
        line, column = self.pos(self.i - 1 if index is None else index)
        return JsonSyntaxError(f"{message} at line {line} column {column}")

    def skip_ws(self) -> None:
        while self.i < len(self.data) and self.data[self.i] in _WS:
            self.i += 1

    def peek(self) -> int | None:
        return self.data[self.i] if self.i < len(self.data) else None

    def value(self) -> Node:
        self.skip_ws()
        byte = self.peek()
        if byte is None:
            raise self.fail("EOF while parsing a value")
        if byte == 0x7B:  # {
            return self.obj()
        if byte == 0x5B:  # [
            return self.arr()
        if byte == 0x22:  # "
            self.i += 1
            text = self.string()
            return Node("str", text, self.pos(self.i - 1))
        if byte == 0x2D or 0x30 <= byte <= 0x39:
            return self.number()
        for word, kind, value in ((b"null", "null", None), (b"true", "bool", True)):
            if byte == word[0]:
                return self.ident(word, kind, value)
        if byte == ord("f"):
            return self.ident(b"false", "bool", False)
        self.i += 1
        raise self.fail("expected value")

    def ident(self, word: bytes, kind: str, value: Any) -> Node:
        for expected in word:
            byte = self.peek()
            if byte is None:
                raise self.fail("EOF while parsing a value")
            self.i += 1
            if byte != expected:
                raise self.fail("expected ident")
        return Node(kind, value, self.pos(self.i - 1))

    def number(self) -> Node:
        start = self.i
        if self.peek() == 0x2D:
            self.i += 1
        digits = self.i
        while (b := self.peek()) is not None and 0x30 <= b <= 0x39:
            self.i += 1
        if self.i == digits:
            if self.peek() is None:
                raise self.fail("EOF while parsing a value")
            self.i += 1
            raise self.fail("invalid number")
        if self.i - digits > 1 and self.data[digits] == 0x30:
            raise self.fail("invalid number", digits + 1)
        is_float = False
        if self.peek() == 0x2E:
            is_float = True
            self.i += 1
            frac = self.i
            while (b := self.peek()) is not None and 0x30 <= b <= 0x39:
                self.i += 1
            if self.i == frac:
                if self.peek() is None:
                    raise self.fail("EOF while parsing a value")
                self.i += 1
                raise self.fail("invalid number")
        if self.peek() in (0x65, 0x45):
            is_float = True
            self.i += 1
            if self.peek() in (0x2B, 0x2D):
                self.i += 1
            exp = self.i
            while (b := self.peek()) is not None and 0x30 <= b <= 0x39:
                self.i += 1
            if self.i == exp:
                if self.peek() is None:
                    raise self.fail("EOF while parsing a value")
                self.i += 1
                raise self.fail("invalid number")
        text = self.data[start : self.i].decode("ascii")
        end = self.pos(self.i - 1)
        if not is_float:
            number = int(text)
            if -(2**63) <= number < 2**64:
                return Node("int", number, end)
        value = float(text)
        if value in (float("inf"), float("-inf")):
            raise self.fail("number out of range")
        return Node("float", value, end)

    def string(self) -> str:
        out = bytearray()
        while True:
            byte = self.peek()
            if byte is None:
                raise self.fail("EOF while parsing a string")
            self.i += 1
            if byte == 0x22:
                try:
                    return out.decode("utf-8")
                except UnicodeDecodeError:
                    raise self.fail("invalid unicode code point") from None
            if byte == 0x5C:
                out += self.escape()
            elif byte < 0x20:
                raise self.fail("control character (\\u0000-\\u001F) found while parsing a string")
            else:
                out.append(byte)

    def escape(self) -> bytes:
        byte = self.peek()
        if byte is None:
            raise self.fail("EOF while parsing a string")
        self.i += 1
        simple = {0x22: b'"', 0x5C: b"\\", 0x2F: b"/", 0x62: b"\b", 0x66: b"\f"}
        simple.update({0x6E: b"\n", 0x72: b"\r", 0x74: b"\t"})
        if byte in simple:
            return simple[byte]
        if byte != 0x75:
            raise self.fail("invalid escape")
        code = self.hex4()
        if 0xDC00 <= code <= 0xDFFF:
            raise self.fail("lone leading surrogate in hex escape")
        if 0xD800 <= code <= 0xDBFF:
            if self.data[self.i : self.i + 2] != b"\\u":
                raise self.fail("unexpected end of hex escape")
            self.i += 2
            low = self.hex4()
            if not 0xDC00 <= low <= 0xDFFF:
                raise self.fail("lone leading surrogate in hex escape")
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        return chr(code).encode("utf-8", "surrogatepass")

    def hex4(self) -> int:
        digits = self.data[self.i : self.i + 4]
        for offset, byte in enumerate(digits):
            if chr(byte) not in "0123456789abcdefABCDEF":
                self.i += offset + 1
                raise self.fail("invalid escape")
        if len(digits) < 4:
            self.i = len(self.data)
            raise self.fail("EOF while parsing a string")
        self.i += 4
        return int(digits, 16)

    def enter(self) -> None:
        self.depth += 1
        if self.depth > _RECURSION_LIMIT:
            raise self.fail("recursion limit exceeded", self.i)

    def arr(self) -> Node:
        self.enter()
        node = Node("list", None, self.pos(self.i))
        self.i += 1
        first = True
        while True:
            self.skip_ws()
            byte = self.peek()
            if byte is None:
                raise self.fail("EOF while parsing a list")
            if byte == 0x5D:
                self.i += 1
                break
            if not first:
                if byte != 0x2C:
                    self.i += 1
                    raise self.fail("expected `,` or `]`")
                self.i += 1
                self.skip_ws()
                if self.peek() == 0x5D:
                    self.i += 1
                    raise self.fail("trailing comma")
            first = False
            node.items.append(self.value())
        self.depth -= 1
        return node

    def obj(self) -> Node:
        self.enter()
        node = Node("dict", None, self.pos(self.i))
        self.i += 1
        first = True
        while True:
            self.skip_ws()
            byte = self.peek()
            if byte is None:
                raise self.fail("EOF while parsing an object")
            if byte == 0x7D:
                node.close = self.pos(self.i - 1)
                self.i += 1
                break
            if not first:
                if byte != 0x2C:
                    self.i += 1
                    raise self.fail("expected `,` or `}`")
                self.i += 1
                self.skip_ws()
                byte = self.peek()
                if byte == 0x7D:
                    self.i += 1
                    raise self.fail("trailing comma")
                if byte is None:
                    raise self.fail("EOF while parsing a value")
            first = False
            if byte != 0x22:
                self.i += 1
                raise self.fail("key must be a string")
            self.i += 1
            key = self.string()
            self.skip_ws()
            byte = self.peek()
            if byte is None:
                raise self.fail("EOF while parsing an object")
            if byte != 0x3A:
                self.i += 1
                raise self.fail("expected `:`")
            self.i += 1
            node.keys.append(key)
            node.items.append(self.value())
        self.depth -= 1
        return node


def parse(data: bytes) -> Node:
    """Parse one JSON document; trailing non-whitespace raises `trailing characters`."""
    parser = _Parser(data)
    node = parser.value()
    parser.skip_ws()
    if parser.i < len(data):
        parser.i += 1
        raise parser.fail("trailing characters")
    return node


_NOWHERE = (0, 0)
_SURROGATE = re.compile(rb"\\u[dD][89abcdefABCDEF]")
"""A UTF-16 surrogate escape (paired or lone: the exact check is left to `parse()`)."""


class _Pairs(list[tuple[str, Any]]):
    """A JSON object as its (key, value) pairs in order, duplicates kept (serde_json refuses
    duplicate fields, so they must reach the decoder)."""


class _NotSure(Exception):
    """`fast_parse` cannot promise serde_json's reading of this body."""


def _constant(name: str) -> Any:
    raise _NotSure(name)  # NaN, Infinity: not JSON for serde_json


def _node(value: Any, depth: int) -> Node:
    if depth >= _RECURSION_LIMIT:
        raise _NotSure("too deep")
    if isinstance(value, str):
        return Node("str", value, _NOWHERE)
    if isinstance(value, list):
        if isinstance(value, _Pairs):
            node = Node("dict", None, _NOWHERE)
            node.keys = [key for key, _ in value]
            node.items = [_node(item, depth + 1) for _, item in value]
            return node
        return Node("list", None, _NOWHERE, items=[_node(item, depth + 1) for item in value])
    if value is None:
        return Node("null", None, _NOWHERE)
    if value is True or value is False:
        return Node("bool", value, _NOWHERE)
    if isinstance(value, int):
        if not -(2**63) <= value < 2**64:
            raise _NotSure("serde_json reads this integer as a float")
        return Node("int", value, _NOWHERE)
    if isinstance(value, float) and value not in (float("inf"), float("-inf")):
        return Node("float", value, _NOWHERE)
    raise _NotSure(repr(value))


def fast_parse(data: bytes) -> Node | None:
    """The `Node` tree of a body that is surely valid JSON for serde_json, without positions
    (they are (0, 0)); None when the body must go through `parse()` (an error, or a case where
    Python's `json` and serde_json could disagree: lone surrogate escapes, huge numbers, depth)."""
    if b"\\u" in data and _SURROGATE.search(data):
        return None  # serde_json refuses lone surrogate escapes, Python's json does not
    try:
        text = data.decode("utf-8")
        value = json.loads(text, object_pairs_hook=_Pairs, parse_constant=_constant)
        return _node(value, 0)
    except (ValueError, RecursionError, _NotSure):
        return None
