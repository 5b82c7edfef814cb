"""`remind list`: what needs attention now, filtered by band or by how soon."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from stuffctl.services.remind.engine import item_json, open_items
from stuffctl.services.remind.settings import Settings
from stuffctl.services.remind.sources import Skipped
from stuffctl.store.handle import Db


def list_items(*, db: Db, now: datetime, settings: Settings, due: bool = False,
               overdue: bool = False, within: Any = None,
               show_all: bool = False,
               skipped: list[Skipped] | None = None) -> list[dict[str, Any]]:
    """Open occurrences as JSON-ready dicts, soonest first.

    Default: those in a band (inside their lead window or later). ``due``,
    ``overdue`` pick bands (both: either); ``within`` (a duration) those due
    before now + within, every occurrence of each; ``show_all`` also the ones not in a
    band yet, each thing once: a renewal's later charges, beyond the next one, are
    not listed (as an own reminder shows only its pending occurrence). A row the
    engine cannot follow is left out and added to ``skipped``.
    """
    limit = now + within if within is not None else None
    items = open_items(db, now, settings, in_reach=not (show_all or limit is not None),
                       ahead=limit, skipped=skipped)
    bands = ({"due", "overdue"} if due else set()) | ({"overdue"} if overdue else set())
    rows, listed = [], set()
    for item in items:  # soonest first
        if bands and item.band not in bands:
            continue
        if limit is not None and item.cand.due_at >= limit:
            continue
        if not (item.band or limit is not None) and (not show_all or item.cand.key in listed):
            continue
        listed.add(item.cand.key)
        rows.append(item_json(item, now))
    return rows

