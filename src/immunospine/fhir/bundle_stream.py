"""Read a Bundle JSON document entry by entry, holding one entry (and one chunk) at a time.

The standard ``json`` module cannot stream, so this walks the top-level object itself and lets
``json.JSONDecoder.raw_decode`` decode each member value, and each element of ``entry`` one at
a time, from a buffer refilled in chunks. Memory is bounded by the largest entry plus a chunk,
whatever the file's size. Invalid JSON raises ``BundleSyntaxError`` with the line and column.

    stream = BundleStream(binary_file)
    for index, entry in stream.entries():   # each element of "entry", in order
        ...
    stream.members                          # every other top-level member, once iterated
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from typing import Any, Protocol

from immunospine.errors import FhirError

__all__ = ["CHUNK_BYTES", "BundleStream", "BundleSyntaxError", "Readable"]

CHUNK_BYTES = 1 << 20
"""How much of the file is read at a time."""

_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class Readable(Protocol):
    """A binary file, or anything with its ``read``."""

    def read(self, n: int, /) -> bytes: ...


class BundleSyntaxError(FhirError):
    """The file is not one JSON object with an ``entry`` array; the message says where."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(f"{message} (line {line}, column {column})")
        self.line = line
        self.column = column


class BundleStream:
    """The top-level members and the ``entry`` elements of a Bundle read from a binary file."""

    def __init__(self, source: Readable, *, name: str = "", chunk_bytes: int = CHUNK_BYTES) -> None:
        self._source = source
        self._name = name
        self._chunk = chunk_bytes
        self._decode = codecs.getincrementaldecoder("utf-8-sig")()
        self._text = ""
        self._pos = 0
        self._eof = False
        self._dropped_lines = 0
        self._dropped_line_start = 0
        self.bytes_read = 0
        """Bytes of the file read so far (for progress reports)."""
        self.members: dict[str, Any] = {}
        """Every top-level member except ``entry``, as far as the document has been read."""
        self.entry_is_list = True
        """``False`` when ``entry`` was there but not an array (its value is in ``members``)."""

    # --- the buffer ----------------------------------------------------------------------------
    def _more(self) -> bool:
        if self._eof:
            return False
        data = self._source.read(self._chunk)
        self.bytes_read += len(data)
        try:
            text = self._decode.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            raise self._error(f"is not UTF-8 text ({exc.reason})", len(self._text)) from None
        if not data:
            self._eof = True
        if self._pos > self._chunk:
            dropped = self._text[: self._pos]
            self._dropped_lines += dropped.count("\n")
            last = dropped.rfind("\n")
            if last >= 0:
                self._dropped_line_start = last + 1 - len(dropped)
            else:
                self._dropped_line_start -= len(dropped)
            self._text, self._pos = self._text[self._pos :], 0
        self._text += text
        return True

    def _error(self, message: str, pos: int) -> BundleSyntaxError:
        before = self._text[:pos]
        newlines = before.count("\n")
        line = self._dropped_lines + newlines + 1
        start = before.rfind("\n") + 1 if newlines else self._dropped_line_start
        where = f"{self._name}: " if self._name else ""
        return BundleSyntaxError(
            f"{where}not a valid JSON Bundle: {message}", line, pos - start + 1
        )

    def _peek(self) -> str:
        """The next non-space character ('' at the end of the file), not consumed."""
        while True:
            match = _SPACE.match(self._text, self._pos)
            self._pos = match.end() if match else self._pos
            if self._pos < len(self._text):
                return self._text[self._pos]
            if not self._more():
                return ""

    def _expect(self, allowed: str, what: str) -> str:
        ch = self._peek()
        if ch == "" or ch not in allowed:
            found = "the end of the file" if ch == "" else repr(ch)
            raise self._error(f"expected {what}, found {found}", self._pos)
        self._pos += 1
        return ch

    def _value(self) -> Any:
        """Decode the JSON value starting here, reading more of the file as long as needed."""
        self._peek()
        wanted = len(self._text) - self._pos
        while True:
            try:
                value, end = _DECODER.raw_decode(self._text, self._pos)
            except json.JSONDecodeError as exc:
                if self._eof:
                    raise self._error(exc.msg, exc.pos) from None
            else:
                if end < len(self._text) or self._eof:  # a number may go on past the buffer
                    self._pos = end
                    return value
            # Incomplete so far: at least double what is buffered, so retries stay linear.
            wanted = max(2 * wanted, self._chunk)
            while len(self._text) - self._pos < wanted and self._more():
                pass

    # --- the document --------------------------------------------------------------------------
    def entries(self) -> Iterator[tuple[int, Any]]:
        """``(index, element)`` of each element of ``entry``; fills ``members`` on the way."""
        self._expect("{", "a JSON object '{'")
        if self._peek() == "}":
            self._pos += 1
            self._end()
            return
        while True:
            if self._peek() != '"':
                raise self._error("expected a member name in double quotes", self._pos)
            name = self._value()
            self._expect(":", "':'")
            if name == "entry" and self._peek() == "[":
                yield from self._array()
            else:
                value = self._value()
                if name == "entry":
                    self.entry_is_list = False
                self.members[str(name)] = value
            if self._expect(",}", "',' or '}'") == "}":
                break
        self._end()

    def _array(self) -> Iterator[tuple[int, Any]]:
        self._pos += 1  # the '['
        if self._peek() == "]":
            self._pos += 1
            return
        index = 0
        while True:
            yield index, self._value()
            index += 1
            if self._expect(",]", "',' or ']'") == "]":
                return

    def _end(self) -> None:
        if self._peek() != "":
            raise self._error("unexpected text after the Bundle object", self._pos)
