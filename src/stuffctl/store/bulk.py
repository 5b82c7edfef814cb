"""Bulk writes: the settings and index handling that make a large insert cheap.

Adding a row updates every index of its table at a place of its own: for a
million rows that is most of the cost, and the indexes whose keys arrive in
random order (uids, categories) spill out of the page cache. Building an index
afresh instead sorts its keys once. ``deferred_indexes`` drops a table's plain
(non-unique) indexes for the block when the insert is large next to the table,
and creates them again at its end. Unique indexes stay: they are constraints the
insert relies on. The caller holds the write lock, so the dropped indexes are
never seen by another connection, and a rollback undoes it all.

Both are SQLite's: on a PostgreSQL server the page cache is the server's, and dropping
an index would make every reader wait for the insert's commit (SQLite's readers go on
reading the snapshot they had), so a server keeps its indexes.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

CACHE_KIB = 131072  # page cache for a bulk write: 128 MB instead of SQLite's 2 MB
WORTH_IT = 20_000  # fewer new rows than this: keep the indexes


def execute(conn: Any, sql: str, params: tuple[Any, ...] = ()) -> Any:
    """Run ``sql`` on the handle (``store.handle.Db``) or on the SQLAlchemy connection
    the migrations run with (``store.search.install``)."""
    run = getattr(conn, "exec_driver_sql", None) or conn.execute
    return run(sql, params)


def on_sqlite(conn: Any) -> bool:
    """Whether ``conn`` (a handle, or the migrations' SQLAlchemy connection) is SQLite's."""
    backend = getattr(conn, "backend", None)
    return backend is None or backend.name == "sqlite"


def large_cache(conn: Any, kib: int = CACHE_KIB) -> None:
    """A page cache big enough for the indexes a bulk insert touches (this connection);
    building an index afterwards sorts in as much memory again."""
    if on_sqlite(conn):
        execute(conn, f"PRAGMA cache_size = -{kib}")


@contextmanager
def deferred_indexes(conn: Any, table: str, adding: int) -> Iterator[None]:
    """Build ``table``'s plain indexes after the block rather than row by row, when
    ``adding`` rows is many (at least ``WORTH_IT``, and more than the table has)."""
    if adding < WORTH_IT or not on_sqlite(conn):
        yield
        return
    (count,) = execute(conn, f'SELECT count(*) FROM "{table}"').fetchone()
    if adding <= count:
        yield
        return
    with rebuilt_indexes(conn, table):
        yield


@contextmanager
def rebuilt_indexes(conn: Any, table: str) -> Iterator[None]:
    """``table``'s plain indexes dropped for the block and built again at its end (a
    caller that adds rows as it reads them decides when that is worth it)."""
    if not on_sqlite(conn):
        yield
        return
    found = execute(conn, "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                       "AND tbl_name = ? AND sql IS NOT NULL "
                       "AND sql NOT LIKE 'CREATE UNIQUE%'", (table,)).fetchall()
    for name, _sql in found:
        execute(conn, f'DROP INDEX "{name}"')
    yield
    for _name, sql in found:
        execute(conn, sql)


@contextmanager
def no_gc() -> Iterator[None]:
    """The cyclic garbage collector off for the block.

    Reading a large document makes millions of containers, and every few
    thousand new ones the collector walks all that are alive: for a full
    export it costs more than the parsing itself. Nothing a bulk load makes is
    cyclic garbage, and reference counting still frees the rest.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
