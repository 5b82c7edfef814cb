"""A read-only client of libpq through ``ctypes``, for the fast paths on a server (#21).

``task next``, ``status --brief``, an idle ``remind run`` and completion answer before
Typer loads (``stuffctl.fastpath``). On a server database, importing psycopg alone
costs more than the whole answer from SQLite (135 to 177 ms against 99 ms for ``task
next``), so these paths talk to the same libpq psycopg uses (the copy bundled with
``psycopg[binary]``, else the system's), which reads the URL, ``~/.pgpass``,
``PGPASSWORD`` and the ``PG*`` variables exactly as psycopg's connections do.

It does what psycopg's ``ClientCursor`` does for the backend: parameters are quoted into
the statement as literals (an untyped string takes its type from where it stands, as a
``?`` in SQLite). A query's rows come back as one JSON value (``json_agg`` over the query,
in its order), parsed at once: reading a result cell by cell through ``ctypes`` cost more
than the ranking of ``task next`` over thousands of tasks. The values are those
``store.postgres`` reads (the schema has no floating-point columns): integers, and integer
aggregates (``numeric``), as int, a ``numeric`` with a point as float, a boolean as 0/1,
text as str. What it is not sure of raises :class:`Refused`, and the fast path then
leaves the answer to the full command.
"""

from __future__ import annotations

import ctypes
import itertools
import json
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

CONNECTION_OK = 0
COMMAND_OK = 1
TUPLES_OK = 2
LIBRARY_NAMES = ("libpq.so.5", "libpq.5.dylib", "libpq.dll")
QUERIES = ("SELECT", "WITH", "VALUES")


class Refused(Exception):
    """What this client does not do, or the server refused: the full command answers."""


def _bundled() -> list[str]:
    """The libpq shipped with ``psycopg[binary]``, found without importing it."""
    from importlib.util import find_spec

    try:
        spec = find_spec("psycopg_binary")
    except (ImportError, ValueError):
        return []
    if spec is None or spec.origin is None:
        return []
    libs = Path(spec.origin).parent.parent / "psycopg_binary.libs"
    return sorted(str(p) for p in libs.glob("libpq*")) if libs.is_dir() else []


@lru_cache(maxsize=1)
def library() -> Any:
    """libpq, with the signatures this module calls; Refused when there is none."""
    for name in (*_bundled(), *LIBRARY_NAMES):
        try:
            lib = ctypes.CDLL(name)
            break
        except OSError:
            continue
    else:
        raise Refused("no libpq")
    p, c, i = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
    for function, result, arguments in (
        ("PQconnectdbParams", p, [ctypes.POINTER(c), ctypes.POINTER(c), i]),
        ("PQstatus", i, [p]), ("PQfinish", None, [p]),
        ("PQexec", p, [p, c]), ("PQresultStatus", i, [p]), ("PQclear", None, [p]),
        ("PQntuples", i, [p]), ("PQnfields", i, [p]), ("PQgetisnull", i, [p, i, i]),
        ("PQgetvalue", ctypes.POINTER(ctypes.c_char), [p, i, i]),
        ("PQgetlength", i, [p, i, i]),
        ("PQparameterStatus", c, [p, c]), ("PQresultErrorMessage", c, [p]),
    ):
        bound = getattr(lib, function)
        bound.restype, bound.argtypes = result, arguments
    return lib


def literal(value: Any) -> str:
    """``value`` as an SQL literal, as psycopg's ClientCursor would bind it."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"  # flags are 0/1 here, as in SQLite
    if isinstance(value, int):
        if not -2**63 <= value < 2**63:
            raise OverflowError("Python int too large to convert to a 64-bit integer")
        return f"({value})" if value < 0 else str(value)  # never "- -1": a comment
    if isinstance(value, float):
        text = repr(value)
        return f"'{text}'::float8" if text in ("inf", "-inf", "nan") else f"({text}::float8)"
    if isinstance(value, str):
        if "\0" in value:
            raise Refused("a NUL in text")
        return "'" + value.replace("'", "''") + "'"
    raise Refused(f"no literal for {type(value).__name__}")


def bound(sql: str, params: Sequence[Any] | Mapping[str, Any]) -> str:
    """``sql`` with psycopg's ``%s``/``%(name)s`` marks replaced by ``params`` as literals
    (and ``%%`` by ``%``)."""
    if isinstance(params, Mapping):
        return sql % {name: literal(value) for name, value in params.items()}
    return sql % tuple(literal(value) for value in params)


class Column:
    """A column of a result, as ``cursor.description`` names it."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __getitem__(self, index: int) -> str:  # as a DB-API description's (name, …)
        if index != 0:
            raise IndexError(index)
        return self.name


class Cursor:
    """The rows of one statement, read at once (fast-path answers are small)."""

    def __init__(self, description: list[Column], rows: list[tuple[Any, ...]]) -> None:
        self.description = description
        self._rows = iter(rows)

    def fetchone(self) -> Any:
        return next(self._rows, None)

    def fetchall(self) -> list[Any]:
        return list(self._rows)

    def fetchmany(self, size: int = 1) -> list[Any]:
        return list(itertools.islice(self._rows, size))

    def __iter__(self) -> Iterator[Any]:
        return self._rows


class Connection:
    """One connection to the server ``url`` (a libpq URL or connection string)."""

    def __init__(self, url: str, *, application_name: str = "stuffctl",
                 connect_timeout: int = 5) -> None:
        lib = library()
        settings = {"dbname": url, "application_name": application_name,
                    "connect_timeout": str(connect_timeout), "client_encoding": "UTF8"}
        keys = (ctypes.c_char_p * (len(settings) + 1))(
            *(key.encode() for key in settings), None)
        values = (ctypes.c_char_p * (len(settings) + 1))(
            *(value.encode() for value in settings.values()), None)
        self._lib = lib
        self._conn = lib.PQconnectdbParams(keys, values, 1)  # 1: dbname may be a URL
        if not self._conn or lib.PQstatus(self._conn) != CONNECTION_OK:
            self.close()
            raise Refused("no connection")
        if lib.PQparameterStatus(self._conn, b"standard_conforming_strings") != b"on":
            self.close()  # quoting above assumes it
            raise Refused("standard_conforming_strings is off")
        self.execute("SET default_transaction_read_only = on")

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Cursor:
        """Run ``sql`` (psycopg's marks) with ``params``; Refused when the server does."""
        statement = bound(sql, params)
        if statement.lstrip()[:6].upper().startswith(QUERIES):
            text = self._value(f"SELECT json_agg(q)::text FROM ({statement}\n) AS q")
            found = [] if text is None else json.loads(text, object_pairs_hook=list)
            names = [name for name, _ in found[0]] if found else []
            rows = [tuple(int(v) if v is True or v is False else v for _, v in row)
                    for row in found]
            return Cursor([Column(name) for name in names], rows)
        self._value(statement, query=False)
        return Cursor([], [])

    def _value(self, statement: str, *, query: bool = True) -> str | None:
        """The one value a query gives (None: NULL, or no row); a command gives none."""
        if self._conn is None:
            raise Refused("closed")
        lib = self._lib
        result = lib.PQexec(self._conn, statement.encode())
        try:
            status = lib.PQresultStatus(result) if result else -1
            if status == COMMAND_OK and not query:
                return None
            if status != TUPLES_OK or not query or lib.PQnfields(result) != 1:
                said = (lib.PQresultErrorMessage(result) if result else b"") or b"no result"
                raise Refused(said.decode(errors="replace").strip() or "not one value")
            if lib.PQntuples(result) == 0 or lib.PQgetisnull(result, 0, 0):
                return None
            data = ctypes.string_at(lib.PQgetvalue(result, 0, 0),
                                    lib.PQgetlength(result, 0, 0))
            return data.decode()
        finally:
            if result:
                lib.PQclear(result)

    def close(self) -> None:
        if self._conn:
            self._lib.PQfinish(self._conn)
        self._conn = None
