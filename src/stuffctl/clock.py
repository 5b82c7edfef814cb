"""The time a command runs at and new row ids (``store.sql.insert``, and the models'
declared defaults), without importing either."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

# per thread (a context variable): a thread's transaction never stops another's clock
_transaction_time: ContextVar[datetime | None] = ContextVar("transaction_time", default=None)


def utcnow() -> datetime:
    """Now, aware, in UTC: every stored datetime is UTC.

    Inside a transaction this is the transaction's start time (as PostgreSQL's
    ``now()``), so everything one command writes carries one timestamp and a
    new row's ``updated_at`` equals its ``created_at``.
    """
    return _transaction_time.get() or datetime.now(UTC)


@contextmanager
def transaction_clock() -> Iterator[datetime]:
    now = _transaction_time.get() or datetime.now(UTC)
    token = _transaction_time.set(now)
    try:
        yield now
    finally:
        _transaction_time.reset(token)


def is_uid(text: str) -> bool:
    """Whether ``text`` has the form of a uid (a UUID as lower-case text): one a file
    brought in may keep (a stuffctl export's, read back)."""
    import re

    return re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
                        text) is not None


def new_uid() -> str:
    """A new uid (``new_uids``)."""
    return new_uids(1)[0]


def new_uids(n: int) -> list[str]:
    """``n`` new uids: version 7 UUIDs (RFC 9562) as text, in increasing order, the one
    kind of uid every row gets. The Unix time in milliseconds, a 26-bit counter in the
    bits the RFC leaves to the generator (``rand_a`` and the top of ``rand_b``), then 48
    random bits: time-ordered, so a uid index grows at its end instead of at random
    places, and made without importing ``uuid`` (5 ms, most of it ``platform``)."""
    import time

    ms = f"{time.time_ns() // 1_000_000:012x}"
    head = f"{ms[:8]}-{ms[8:12]}-7"
    raw = os.urandom(6 * n).hex()
    return [f"{head}{_HEX3[i >> 14 & 0xfff]}-{'89ab'[i >> 12 & 3]}{_HEX3[i & 0xfff]}-"
            f"{raw[12 * i:12 * i + 12]}" for i in range(n)]


_HEX3 = [f"{i:03x}" for i in range(4096)]  # 12 bits as 3 hex digits, looked up per uid
