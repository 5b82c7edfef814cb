"""PostgreSQL, the household backend (#21): what is built of it so far.

The schema comes from the same declaration as SQLite's: the models
(``stuffctl.models``), created by SQLAlchemy on a blank server database and stamped
with the head revision, so ``store/tables.py`` describes both. Only the tests reach
this module today; ``--db``/``STUFFCTL_DB`` take a PostgreSQL URL once every command
runs on it (docs/development.md, "A second backend", says what is left).

psycopg is imported only here, and only when a PostgreSQL URL is used.
"""

from __future__ import annotations

from typing import Any

SCHEMES = ("postgresql://", "postgres://")


def is_url(text: str) -> bool:
    """Whether ``text`` names a PostgreSQL database rather than a SQLite file."""
    return text.startswith(SCHEMES)


def sqlalchemy_url(url: str) -> Any:
    """The SQLAlchemy URL of a libpq URL, for the psycopg 3 driver."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql+psycopg")


def create_schema(url: str) -> str:
    """Give the blank server database ``url`` the models' schema at the head revision, in
    one transaction; return the revision. A database that already has tables is refused
    (nothing is dropped or changed)."""
    from sqlalchemy import create_engine, inspect, text

    from stuffctl import models
    from stuffctl.errors import OperationFailed
    from stuffctl.store import schema

    head = schema.head_revision()
    engine = create_engine(sqlalchemy_url(url))
    try:
        with engine.begin() as conn:
            if inspect(conn).get_table_names():
                raise OperationFailed(f"{redacted(url)} already holds tables; stuffctl makes "
                                      "its schema only in a blank database")
            models.metadata().create_all(conn)
            conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) "
                              "NOT NULL PRIMARY KEY)"))
            conn.execute(text("INSERT INTO alembic_version VALUES (:head)"), {"head": head})
    finally:
        engine.dispose()
    return head


def redacted(url: str) -> str:
    """``url`` without its password: the form every message and output shows."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}@{host}" if user else host))
