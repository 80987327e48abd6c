"""Reading one JSON document a value at a time, so a file of any size is read in constant memory.

The document's structure (objects and arrays down to the records) is walked here; each record, and each
small value beside them, is decoded whole by the standard library's decoder (`ingest.records.parse_json`'s
decoder: every number an exact Decimal). Errors name the line and column in the file as `json.loads` would.
"""
from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, TextIO

CHUNK = 1 << 20          # characters read at a time
LONGEST_VALUE = 1 << 24  # a value not decoded within this many characters is broken, not cut off by a chunk
_DECODER = json.JSONDecoder(parse_float=Decimal, parse_int=Decimal)
_WHITESPACE = " \t\n\r"


class Unreadable(ValueError):
    """The text is not JSON: `msg` as the standard library's decoder says it, at `line` and `column`."""

    def __init__(self, msg: str, line: int, column: int):
        super().__init__(f"line {line} column {column}: unreadable JSON ({msg})")
        self.msg, self.line, self.column = msg, line, column


class JsonStream:
    """A JSON text read in chunks: the structure token by token, values whole (`value`)."""

    def __init__(self, handle: TextIO, text: str = ""):
        self.handle = handle
        self.text = text       # what was read already
        self.at = 0            # the read position in `text`
        self.lines_before = 0  # newlines in what was dropped from the front of `text`
        self.column_before = 0  # characters after the last dropped newline
        self.ended = False

    def peek(self) -> str:
        """The next character that is not whitespace ('' at the end), not consumed."""
        while True:
            while self.at < len(self.text) and self.text[self.at] in _WHITESPACE:
                self.at += 1
            if self.at < len(self.text) or not self._read_more():
                return self.text[self.at:self.at + 1]

    def take(self, wanted: str, expecting: str) -> str:
        """Consume the next character, one of `wanted`; otherwise the error `Expecting <expecting>`."""
        found = self.peek()
        if not found or found not in wanted:
            raise self.error(f"Expecting {expecting}")
        self.at += 1
        return found

    def value(self) -> Any:
        """The next value, decoded whole (numbers as Decimals)."""
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.at)
            except json.JSONDecodeError as err:
                # A value cut off by the end of a chunk reads as broken too: read on, up to LONGEST_VALUE
                if len(self.text) - self.at < LONGEST_VALUE and self._read_more():
                    continue
                raise self.error(err.msg, err.pos) from None
            except RecursionError:
                raise self.error("nested more deeply than any QuickBooks response") from None
            if end == len(self.text) and self._read_more():
                continue  # a number at the very end of a chunk may go on in the next
            self.at = end
            return value

    def key(self) -> str:
        """An object's next key, and its colon."""
        if self.peek() != '"':
            raise self.error("Expecting property name enclosed in double quotes")
        name = self.value()
        self.take(":", "':' delimiter")
        return name

    def error(self, msg: str, at: int | None = None) -> Unreadable:
        at = self.at if at is None else at
        newlines = self.text.count("\n", 0, at)
        if newlines:
            column = at - self.text.rfind("\n", 0, at)
        else:
            column = self.column_before + at + 1
        return Unreadable(msg, self.lines_before + newlines + 1, column)

    def _read_more(self) -> bool:
        if self.ended:
            return False
        chunk = self.handle.read(CHUNK)
        if not chunk:
            self.ended = True
            return False
        dropped = self.text[:self.at]
        newlines = dropped.count("\n")
        self.lines_before += newlines
        self.column_before = (len(dropped) - dropped.rfind("\n") - 1) if newlines else self.column_before + len(dropped)
        self.text = self.text[self.at:] + chunk
        self.at = 0
        return True


def members(stream: JsonStream):
    """An object's keys, one at a time, the stream left at each key's value (the caller reads it)."""
    for _ in _places(stream, "{}"):
        yield stream.key()


def items(stream: JsonStream):
    """An array's places, one at a time, the stream left at each value (the caller reads it)."""
    return _places(stream, "[]")


def _places(stream: JsonStream, brackets: str):
    opening, closing = brackets
    stream.take(opening, f"'{opening}'")
    if stream.peek() == closing:
        stream.at += 1
        return
    while True:
        yield
        if stream.take("," + closing, "',' delimiter") == closing:
            return
