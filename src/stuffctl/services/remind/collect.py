"""Every occurrence of every source: the registry (:mod:`.sources`) filled by importing
the modules that register into it, then asked in registration order.

A new module of sources is imported in :func:`collect`, which the engine and
``remind ics`` call; the sources themselves import only the registry.
"""

from __future__ import annotations

from datetime import date

from stuffctl.services.remind.sources import (
    SOURCES,
    UNREADABLE,
    Candidate,
    Skipped,
    own_reminders,
)
from stuffctl.store.handle import Db


def collect(db: Db, start: date, end: date, *, in_reach: bool = False,
            skipped: list[Skipped] | None = None) -> list[Candidate]:
    """Every candidate of every registered source ;
    with ``in_reach``, own reminders only where they can be in a band or next need
    attention before ``end`` (see :func:`.sources.own_reminders`).

    A source that fails on a stored value it cannot read is left out and added to
    ``skipped``: one bad row never stops the others' reminders."""
    # Importing these registers their sources (on first use: start-up stays light).
    from stuffctl.services.remind import alerts, linked, maintenance  # noqa: F401

    found: list[Candidate] = []
    for name, fn in SOURCES.items():
        try:
            if fn is own_reminders and in_reach:
                found.extend(own_reminders(db, start, end, until=end))
            else:
                found.extend(fn(db, start, end))
        except UNREADABLE as exc:
            if skipped is not None:
                skipped.append(Skipped.of(f"every {name} reminder", exc))
    return found
