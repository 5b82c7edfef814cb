"""The time a command runs at and new row ids: shared by the ORM models and the
plain-SQL writes (``store.sql.insert``), without importing either."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

_transaction_time: datetime | None = None


def utcnow() -> datetime:
    """Now, aware, in UTC: every stored datetime is UTC.

    Inside a transaction this is the transaction's start time (as PostgreSQL's
    ``now()``), so everything one command writes carries one timestamp and a
    new row's ``updated_at`` equals its ``created_at``.
    """
    return _transaction_time or datetime.now(UTC)


@contextmanager
def transaction_clock() -> Iterator[datetime]:
    global _transaction_time
    outer = _transaction_time
    _transaction_time = outer or datetime.now(UTC)
    try:
        yield _transaction_time
    finally:
        _transaction_time = outer


def new_uid() -> str:
    """A random (version 4) UUID as text, as ``str(uuid.uuid4())`` gives, without
    importing ``uuid`` (5 ms, most of it ``platform``)."""
    raw = bytearray(os.urandom(16))
    raw[6] = raw[6] & 0x0F | 0x40  # version 4
    raw[8] = raw[8] & 0x3F | 0x80  # RFC 4122 variant
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
