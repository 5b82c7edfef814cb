"""Every output format in one place: tables, JSON, NDJSON, CSV, and errors.

Data arrives as JSON-ready dicts (the documented shapes). Lists are streamed:
JSON, NDJSON and CSV write row by row, so a million-row listing never builds
a list. Text from the database is never read as Rich markup and control
characters are shown escaped, so names cannot restyle or hijack the terminal.

Tables (the engine: ``render/layout.py``; the colours: ``render/theme.py``):

- ``Column(header, key, show=…, justify=…, kind=…, priority=…, min_width=…, state=…,
  row_state=…)`` declares a column. ``kind`` says what may happen to its cells when
  space is short: "text" (titles, payees, memos, tags) shrinks with an ellipsis; "id",
  "number", "money", "date", "word" are never cut or split. Without a kind, a
  right-aligned column is a number, one shown by :func:`day` a date, any other text.
  ``priority``: which columns go first when the screen is narrow (lowest first, the
  rightmost of equals); ``KEEP`` columns are never dropped. ``min_width``: how far a
  text column may shrink. ``state``: a function of the row that returns a theme state
  ("overdue", "soon", …) for that cell, or with ``row_state=True`` for the whole row.
- ``table(rows, columns, title=, footer=)`` returns a Rich renderable that fits the
  width it is given (a panel's inside, the terminal); put it in any Group or Panel.
- ``emit_list(rows, columns, fmt)`` writes a listing; its table goes straight to
  stdout line by line (no Rich): fitted to the terminal, or, piped, one line per
  record with nothing cut or wrapped.
- ``write_table(rows, columns)`` writes one table the same way (views that list many
  rows); ``table_width()`` is the width tables are fitted to (None when piped).
"""

from __future__ import annotations

import csv
import errno
import json
import os
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TextIO

from stuffctl.render import theme

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.text import Text


class Format(StrEnum):
    table = "table"
    json = "json"
    ndjson = "ndjson"
    csv = "csv"


KEEP = 9
"""A ``Column.priority`` for columns never dropped to fit a narrow screen (ids, titles)."""


@dataclass(frozen=True)
class Column:
    """One column of a listing: header, key in the row dict, how to show it, and how it
    gives way on a narrow screen (see the module docstring)."""

    header: str
    key: str
    show: Callable[[Any], str] | None = None
    justify: str = "left"
    csv: Callable[[Any], Any] | None = None
    kind: str | None = None
    priority: int = 1
    min_width: int = 0
    state: Callable[[dict[str, Any]], str | None] | None = None
    row_state: bool = False

    def cell(self, row: dict[str, Any]) -> str:
        value = row.get(self.key)
        if self.show is not None:
            return self.show(value)
        return plain(value)


# C0 and C1 controls (tab and newline stay), and the bidirectional embedding, override
# and isolate controls (U+202A-U+202E, U+2066-U+2069) that can make a terminal show text
# in another order than it is stored ("Trojan Source").
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: str) -> str:
    """Text with control characters made visible (``\\x1b``, ``\\u202e``), never interpreted."""
    if text.isascii() and text.isprintable():
        return text
    return _CONTROL.sub(_visible, text)


def for_terminal(text: str) -> str:
    """Machine output (CSV, a calendar) as a terminal may show it: line ends as newlines,
    every other control made visible (:func:`safe`). Sent to a file or a pipe, the same
    output is written exactly."""
    return safe(text.replace("\r\n", "\n"))


def plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(plain(v) for v in value)
    if isinstance(value, dict) and set(value) == {"amount", "currency"}:
        return f"{value['amount']} {value['currency']}"
    return safe(str(value))


# A date as JSON has it, optionally with a time of day (local, or UTC ending in Z):
# 2026-11-23, 2026-11-23T08:30, 2026-11-23 08:30:00, 2026-11-23T07:04:05.123456Z.
_DATE = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[T ]([0-9]{2}:[0-9]{2})[0-9:.]*Z?)?")
_date_display: str | None = None


def date_display() -> str:
    """The ``date_display`` setting, read once per command (:func:`forget_settings`)."""
    global _date_display
    if _date_display is None:
        from stuffctl import config

        _date_display = str(config.get("date_display"))
    return _date_display


def forget_settings() -> None:
    """Read the settings again on next use (each command line run in one process)."""
    global _date_display, _raw_csv
    _date_display = None
    _raw_csv = False
    _days.clear()
    theme.forget()


_days: dict[Any, str] = {}  # value -> shown, for the default style (a listing repeats dates)


def day(value: Any, *, style: str | None = None, today: date | None = None) -> str:
    """A date for people, as the ``date_display`` setting says: ``iso`` (2026-11-23),
    ``relative`` (``in 3 days``, ``yesterday``) or a strftime pattern (``%d.%m.%Y``).

    The one way every table and view shows a date (JSON, NDJSON and CSV keep ISO). A
    value with a time of day keeps it as ``HH:MM`` after the date; anything that is not
    a date is shown as it is.
    """
    if value is None or value == "":
        return ""
    if style is None and today is None and value.__class__ is str:
        shown = _days.get(value)
        if shown is None:
            shown = _days[value] = _day(value, date_display(), None)
        return shown
    return _day(value, style, today)


def _day(value: Any, style: str | None, today: date | None) -> str:
    match = _DATE.fullmatch(str(value))
    try:
        d = date.fromisoformat(match[1]) if match else None
    except ValueError:
        d = None
    if match is None or d is None:
        return plain(value)
    shown = _styled(d, style or date_display(), today)
    return f"{shown} {match[2]}" if match[2] else shown


def _styled(d: date, style: str, today: date | None) -> str:
    if style == "iso":
        return d.isoformat()
    if style == "relative":
        from stuffctl.dates import humanize_delta

        return humanize_delta(d, today=today)
    try:
        return safe(d.strftime(style))
    except ValueError:  # a pattern this platform's strftime refuses
        return d.isoformat()


def is_terminal() -> bool:
    """Whether stdout is shown to a person (``theme.terminal``: a TTY or ``FORCE_COLOR``)."""
    from stuffctl.render import theme

    return theme.terminal()


def _env_width() -> int | None:
    width = os.environ.get("TERMINAL_WIDTH") or os.environ.get("COLUMNS")
    return int(width) if width and width.isascii() and width.isdigit() and int(width) else None


def table_width() -> int | None:
    """The width tables are fitted to: the terminal's (``TERMINAL_WIDTH`` or ``COLUMNS``
    first), or None when stdout is not a terminal (piped: one line per record)."""
    if not is_terminal():
        return None
    width = _env_width()
    if width is None:
        try:
            width = os.get_terminal_size(sys.stdout.fileno()).columns
        except (OSError, ValueError):
            width = 80
    return max(width, 20)


def console(*, stderr: bool = False) -> Console:
    from rich.console import Console

    from stuffctl.render import theme

    width = _env_width()
    if stderr:
        tty = sys.stderr.isatty() and not os.environ.get("_TYPER_FORCE_DISABLE_TERMINAL")
        colour = tty and not os.environ.get("NO_COLOR")
    else:
        tty, colour = theme.terminal(), theme.colour()
    con = Console(
        stderr=stderr,
        highlight=False,
        emoji=False,
        markup=False,
        force_terminal=tty,
        color_system=("auto" if (sys.stderr if stderr else sys.stdout).isatty() else
                      "standard") if colour else None,
        width=width if width is not None else (None if tty else 120),
        soft_wrap=not tty,
    )
    con.on_broken_pipe = _pipe_closed  # type: ignore[method-assign]
    return con


def _pipe_closed() -> None:
    """Rich would exit 1 when the reader goes away; the CLI boundary makes that a quiet 0."""
    raise BrokenPipeError(errno.EPIPE, "the reader closed the pipe")


def text(value: Any, style: str = "") -> Text:
    """A Rich Text of a database value: no markup, controls escaped."""
    from rich.text import Text

    return Text(plain(value), style=style)


# -- data formats -----------------------------------------------------------------------


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def emit_json(data: Any, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    out.write(dumps(data) + "\n")
    out.flush()


def emit_bytes(data: bytes) -> None:
    """Machine output that is not JSON (a calendar) on stdout: exactly, or on a terminal
    with its controls made visible (:func:`for_terminal`)."""
    if sys.stdout.isatty():
        sys.stdout.write(for_terminal(data.decode("utf-8", "replace")))
    else:
        sys.stdout.buffer.write(data)
    sys.stdout.flush()


def emit_chunks(chunks: Iterable[str]) -> None:
    """Write pre-serialised text (an export document) to stdout as it is produced."""
    sys.stdout.writelines(chunks)
    sys.stdout.flush()


def stream_json(rows: Iterable[Any], out: TextIO) -> None:
    out.write("[")
    first = True
    for row in rows:
        out.write("\n  " if first else ",\n  ")
        out.write(json.dumps(row, ensure_ascii=False))
        first = False
    out.write("]\n" if first else "\n]\n")


def stream_ndjson(rows: Iterable[Any], out: TextIO) -> None:
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")


def csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dict) and set(value) == {"amount", "currency"}:
        return f"{value['amount']} {value['currency']}"
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


# A cell a spreadsheet would run as a formula: one starting with = + - @, tab or carriage
# return (OWASP, "CSV Injection"), also after quotes, so that the quote added to neutralise
# it can be told from one that was there (a cell `'=x` is written `''=x`, and `tx import
# --rules stuffctl` takes exactly one quote off; services/tx/import_csv.py). A number
# (-12.50, +3, +50.0%) starts with - or + but stays a number.
_FORMULA = re.compile(r"(?![+-]?[0-9]+(?:\.[0-9]+)?%?\Z)'*[=+\-@\t\r]")
_STARTS = frozenset("'=+-@\t\r")
_raw_csv = False


def set_raw_csv(raw: bool) -> None:
    """``--raw``: CSV cells exactly as stored, for scripts (:func:`spreadsheet_cell`)."""
    global _raw_csv
    _raw_csv = raw


def spreadsheet_cell(text: str) -> str:
    """``text`` as a CSV cell a spreadsheet shows as text and never runs: a leading ``'``
    when it would be read as a formula (``=HYPERLINK(…)``, ``@SUM(…)``, ``+1+2``)."""
    return "'" + text if _FORMULA.match(text) else text


def stream_csv(rows: Iterable[dict[str, Any]], columns: list[Column], out: TextIO) -> None:
    """Rows as CSV, each cell safe for a spreadsheet (:func:`spreadsheet_cell`) unless
    ``--raw``, and with its controls escaped when ``out`` is a terminal (:func:`for_terminal`)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.key for c in columns])
    pairs = [(c.key, c.csv or csv_value) for c in columns]
    formula = None if _raw_csv else _FORMULA.match
    tty = out.isatty()
    for row in rows:
        if formula is None:
            cells = [value(row.get(key)) for key, value in pairs]
        else:  # spreadsheet_cell, inlined: this runs for every cell of a listing
            cells = ["'" + v if (v := value(row.get(key))).__class__ is str
                     and v[:1] in _STARTS and formula(v) else v for key, value in pairs]
        writer.writerow([for_terminal(v) if v.__class__ is str else v for v in cells]
                        if tty else cells)


def table(
    rows: Iterable[dict[str, Any]], columns: list[Column], *, title: str | None = None,
    footer: dict[str, str] | None = None,
) -> RenderableType:
    """A table that fits the width Rich gives it (a panel's inside, the terminal), or
    one line per record when piped; see the module docstring and ``render/layout.py``."""
    from stuffctl.render.layout import Grid

    return Grid.of(rows, columns, title=title, footer=footer)


def write_table(
    rows: Iterable[dict[str, Any]], columns: list[Column], *, title: str | None = None,
    footer: dict[str, str] | None = None, out: TextIO | None = None,
) -> None:
    """Write a table straight to ``out`` (stdout) without Rich: fitted to
    :func:`table_width`, coloured by state on a terminal (``theme.colour``)."""
    from stuffctl.render import theme
    from stuffctl.render.layout import Grid

    out = out or sys.stdout
    grid = Grid.of(rows, columns, title=title, footer=footer)
    lines = grid.lines(table_width(), terminal=is_terminal(), colour=theme.colour())
    chunk: list[str] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) == 512:
            out.write("\n".join(chunk) + "\n")
            chunk.clear()
    if chunk:
        out.write("\n".join(chunk) + "\n")


def emit_list(
    rows: Iterable[dict[str, Any]], columns: list[Column], fmt: Format, *,
    empty: str = "nothing found", footer: dict[str, str] | None = None,
    title: str | None = None,
) -> None:
    """Write a listing in ``fmt``; a table of nothing says so on stderr."""
    out = sys.stdout
    if fmt is Format.json:
        stream_json(rows, out)
    elif fmt is Format.ndjson:
        stream_ndjson(rows, out)
    elif fmt is Format.csv:
        stream_csv(rows, columns, out)
    else:
        rows = list(rows)
        if not rows:
            note(empty)
            return
        write_table(rows, columns, footer=footer, title=title, out=out)
    out.flush()


def group(*parts: RenderableType) -> RenderableType:
    """Rich's Group, imported only when something is drawn: modules that hold both the
    columns of a listing and its views stay cheap to import for JSON and CSV."""
    from rich.console import Group

    return Group(*parts)


def emit(renderable: RenderableType) -> None:
    console().print(renderable)


def note(message: str) -> None:
    """A human note (progress, hint, warning) on stderr, never on stdout."""
    sys.stderr.write(safe(message) + "\n")
    sys.stderr.flush()


def error_line(message: str, code: str, *, as_json: bool) -> None:
    sys.stderr.write(f"stuffctl: error: {safe(message)}\n")
    if as_json:
        sys.stderr.write(json.dumps({"error": {"code": code, "message": message}}) + "\n")
    sys.stderr.flush()

