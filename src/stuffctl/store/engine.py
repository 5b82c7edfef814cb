"""The SQLAlchemy engine Alembic migrates with (``store.migrate``): the run-time code
uses ``store.transaction`` and never imports SQLAlchemy.

Its connections get the same settings as every other (``store.sqlite``), and its
transactions begin as ours do: ``BEGIN IMMEDIATE``, emitted by us rather than by the
driver (SQLAlchemy's SQLite dialect docs, "Serializable isolation").
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


def make_engine(path: Path, *, foreign_keys: bool = True) -> Engine:
    from sqlalchemy import event
    from sqlalchemy.engine import URL
    from sqlmodel import create_engine

    from stuffctl.store.pragmas import apply_pragmas

    # A URL object, not text: a path with % or # is then the file it names.
    engine = create_engine(URL.create("sqlite", database=str(path)))

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        apply_pragmas(dbapi_conn, foreign_keys=foreign_keys)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
