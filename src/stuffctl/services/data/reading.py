"""Reading an export document as it is written: the header, then each table's rows in
batches, in constant memory (``stuffctl import FILE``).

``export`` writes one row per line (``services.data.document``), so a batch of rows
is a run of whole lines, parsed by one ``json.loads`` of them as an array: as fast
as parsing the whole document, without ever holding it. Any other layout JSON
allows is read value by value (``JSONDecoder.raw_decode``). Either way the line each
row starts on is known, so an error names the file, the line and the row.

What this reader does not follow is handed back (``NotStreamable``) to be read whole,
as ``json.loads`` reads it: a document that is not an object, whose format fields
come after its tables, or that names a key twice (JSON keeps the last one); the
merge hands back tables in an order it cannot take (``merge``). Invalid JSON is an
error here, worded as ``intake.load_json`` words it, with its line and column.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from stuffctl.errors import InvalidInput
from stuffctl.services.data import intake

READ = 1 << 20  # bytes read at a time
WINDOW = 1 << 18  # characters of whole lines parsed as one batch of rows
SLOW_BATCH = 1000  # rows per batch when they are read one by one
HEADER = ("format", "format_version", "schema_version")  # needed before the tables
_SPACE = re.compile(r"[ \t\n\r]*")
_TABLE_END = re.compile(r"\n[ \t\r]*\]")  # a line that starts by closing an array
_DECODER = json.JSONDecoder()


class NotStreamable(Exception):
    """The document is to be read whole (see the module's docstring)."""


class Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


@dataclass(frozen=True)
class Batch:
    """Rows of one table as the file holds them (not yet checked), numbered from
    ``first``; ``lines``: the line each one starts on (None for a document in memory)."""

    rows: list[Any]
    first: int
    lines: list[int] | range | None = None

    def where(self, source: str, table: str, i: int) -> str:
        """``f.json:12: txn row 5`` (``f.json: txn row 5`` without lines) of ``rows[i]``."""
        place = source if self.lines is None else f"{source}:{self.lines[i]}"
        return f"{place}: {table} row {self.first + i}"


Tables = Iterator[tuple[str, Iterator[Batch]]]


class Reader:
    """One document read from ``fh`` as it is written (``header``, then ``tables``)."""

    def __init__(self, fh: Readable, source: str) -> None:
        self.fh, self.source = fh, source
        self.buf, self.pos, self.eof = "", 0, False
        self.offset = 0  # characters dropped from the front of ``buf``
        self.line, self.line_pos = 1, 0  # the line ``buf[line_pos]`` is on
        self.last_break = -1  # where the last line break dropped from ``buf`` was
        first = fh.read(max(READ, 4))  # enough to tell the encoding
        self.encoding = json.detect_encoding(first)
        self._decoder = codecs.getincrementaldecoder(self.encoding)("strict")
        self._add(first)

    # -- the text ------------------------------------------------------------------

    def _decode(self, data: bytes, final: bool) -> str:
        """``data`` as text, as ``merge.decode`` reads a document: strict, else with
        surrogates written out as UTF-8 (``json.loads`` takes them), else refused."""
        state = self._decoder.getstate()
        try:
            return self._decoder.decode(data, final)
        except UnicodeDecodeError:
            lax = codecs.getincrementaldecoder(self.encoding)("surrogatepass")
            lax.setstate(state)
            try:
                text = lax.decode(data, final)
            except UnicodeDecodeError:
                raise InvalidInput(f"{self.source}: not UTF-8 text") from None
            self._decoder.setstate(lax.getstate())
            return text

    def _add(self, data: bytes) -> None:
        self.eof = not data
        text = self._decode(data, self.eof)
        if self.pos > READ:  # drop what was read, keeping count of its lines
            self._line_at(self.pos)
            found = self.buf.rfind("\n", 0, self.pos)
            if found >= 0:
                self.last_break = self.offset + found
            self.buf, self.offset = self.buf[self.pos:], self.offset + self.pos
            self.line_pos -= self.pos
            self.pos = 0
        self.buf += text

    def _more(self) -> bool:
        """Read on; False at the end of the file."""
        if self.eof:
            return False
        self._add(self.fh.read(READ))
        return True

    def _line_at(self, i: int) -> int:
        """The line ``buf[i]`` is on (asked in order, so each line is counted once)."""
        self.line += self.buf.count("\n", self.line_pos, i)
        self.line_pos = i
        return self.line

    def _error(self, message: str, i: int) -> InvalidInput:
        found = self.buf.rfind("\n", 0, i)
        column = i - found if found >= 0 else self.offset + i - self.last_break
        return InvalidInput(f"{self.source}:{self._line_at(i)}:{column}: not valid JSON: "
                            f"{message}")

    def _space(self) -> str:
        """Skip white space; the next character ('' at the end of the file)."""
        while True:
            self.pos = _SPACE.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buf) or not self._more():
                return self.buf[self.pos:self.pos + 1]

    def _expect(self, char: str, message: str) -> None:
        if self._space() != char:
            raise self._error(message, self.pos)
        self.pos += 1

    def _value(self) -> Any:
        """The JSON value at the read position (after white space)."""
        self._space()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                # Cut off by the end of what was read (at the end of it, or a string
                # still open there): read on; otherwise it is wrong.
                if self.eof or (exc.pos < len(self.buf) - 8
                                and not exc.msg.startswith("Unterminated string")):
                    raise self._error(exc.msg, exc.pos) from None
            except (RecursionError, ValueError) as exc:
                raise intake.json_failure(self.source, exc) from None
            else:
                if end < len(self.buf) or self.eof:  # else a number could go on
                    self.pos = end
                    return value
            want = max(2 * (len(self.buf) - self.pos), READ)
            while len(self.buf) - self.pos < want and self._more():
                pass

    def _key(self) -> str:
        if self._space() != '"':
            raise self._error("Expecting property name enclosed in double quotes", self.pos)
        key = self._value()
        self._expect(":", "Expecting ':' delimiter")
        return str(key)

    # -- the document --------------------------------------------------------------

    def header(self) -> dict[str, Any]:
        """The document's fields up to ``"tables"``, whose rows ``tables`` then reads."""
        if self._space() != "{":
            raise NotStreamable
        self.pos += 1
        found: dict[str, Any] = {}
        if self._space() == "}":
            raise NotStreamable
        while True:
            key = self._key()
            if key == "tables":
                if any(k not in found for k in HEADER) or self._space() != "{":
                    raise NotStreamable
                self.pos += 1
                return found
            if key in found:
                raise NotStreamable
            found[key] = self._value()
            self._expect(",", "Expecting ',' delimiter")

    def tables(self, header: dict[str, Any]) -> Tables:
        """Each table's name and its rows in batches, in the file's order; a table's
        batches are read before the next table."""
        seen: set[str] = set()
        if self._space() == "}":
            self.pos += 1
        else:
            while True:
                name = self._key()
                if name in seen:
                    raise NotStreamable
                seen.add(name)
                yield name, self._rows(name)
                if self._space() == "}":
                    self.pos += 1
                    break
                self._expect(",", "Expecting ',' delimiter")
        self._rest(header)

    def _rest(self, header: dict[str, Any]) -> None:
        """What follows the tables: other fields (not those read already), the end."""
        while self._space() == ",":
            self.pos += 1
            key = self._key()
            if key in header or key == "tables":
                raise NotStreamable
            self._value()
        self._expect("}", "Expecting ',' delimiter")
        if self._space():
            raise self._error("Extra data", self.pos)

    def _rows(self, name: str) -> Iterator[Batch]:
        """The rows of table ``name``'s array, in batches, up to its end."""
        if self._space() != "[":
            self._value()  # what it is must be JSON first
            raise InvalidInput(f"{self.source}: table {name!r} must be an array of rows")
        self.pos += 1
        if self._space() == "]":
            self.pos += 1
            return
        count, whole_lines = 0, True
        while True:  # at a row
            found = self._lines(count + 1) if whole_lines else None
            whole_lines = found is not None
            batch, more = found or self._one_by_one(count + 1)
            count += len(batch.rows)
            yield batch
            if more:  # the batch ended with its last row's comma
                continue
            if self._space() == "]":
                self.pos += 1
                return
            self._expect(",", "Expecting ',' delimiter")

    def _lines(self, first: int) -> tuple[Batch, bool] | None:
        """The rows of the whole lines from here, parsed at once, if each line holds one
        row (as ``export`` writes them), and whether a comma followed the last; None
        when they are not that simple (they are then read one by one, which also finds
        what is wrong with them)."""
        if self._space() != "{":
            return None
        while len(self.buf) - self.pos < WINDOW and self._more():
            pass
        start = self.pos
        cut = self.buf.rfind("\n", start, start + WINDOW)
        if cut < 0:
            return None
        text = self.buf[start:cut]
        end = _TABLE_END.search(text)
        text = (text if end is None else text[:end.start()]).rstrip()
        more = text.endswith(",")
        if more:
            text = text[:-1]
        try:
            rows = json.loads(f"[{text}]")
        except (ValueError, RecursionError):
            return None
        count = text.count("\n") + 1
        if len(rows) != count:
            return None
        line = self._line_at(start)
        self.pos = start + len(text) + more
        # the batch's lines are counted already: the count goes on from its last
        self.line, self.line_pos = line + count - 1, start + len(text)
        return Batch(rows, first, range(line, line + count)), more

    def _one_by_one(self, first: int) -> tuple[Batch, bool]:
        rows: list[Any] = []
        lines: list[int] = []
        while True:
            self._space()
            lines.append(self._line_at(self.pos))
            rows.append(self._value())
            if len(rows) == SLOW_BATCH or self._space() != ",":
                return Batch(rows, first, lines), False
            self.pos += 1


def in_memory(doc: dict[str, Any], source: str) -> Tables:
    """The tables of a document already parsed (``merge.parse``), in its order, in
    batches, without lines."""
    for name, rows in doc["tables"].items():
        yield name, _batches(name, rows, source)


def _batches(name: str, rows: Any, source: str) -> Iterator[Batch]:
    if not isinstance(rows, list):
        raise InvalidInput(f"{source}: table {name!r} must be an array of rows")
    for start in range(0, len(rows), SLOW_BATCH):
        yield Batch(rows[start:start + SLOW_BATCH], start + 1)


def read(fh: Readable, source: str) -> tuple[dict[str, Any], Tables]:
    """The header of the document in ``fh`` and its tables as they are read;
    NotStreamable when it is to be read whole."""
    reader = Reader(fh, source)
    header = reader.header()
    return header, reader.tables(header)
