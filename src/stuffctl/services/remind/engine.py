"""The engine: bands, catch-up, what is open, and `remind run` (notify each band once).

Times are local wall-clock (naive) datetimes. An occurrence moves through
bands: ``upcoming`` (inside its lead time), ``soon`` (``bands.soon_days`` or
less, never before the lead window), ``due``, ``overdue`` (``bands.overdue_after``
past due). A run records each newly reached band in ``notification``, whose
unique key (key, occurrence, band, round) with the ``BEGIN IMMEDIATE`` of the
writing transaction makes overlapping runs notify once.

The engine reads and writes in SQL through the database handle (``store.handle.Db``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, NamedTuple

from stuffctl.dates import FIRST_DAY, LAST_DAY, Recurrence, in_range, parse_recurrence
from stuffctl.errors import InvalidInput
from stuffctl.services.remind.collect import collect
from stuffctl.services.remind.settings import BANDS, Settings, duration
from stuffctl.services.remind.sources import UNREADABLE, Candidate, Skipped
from stuffctl.store.handle import Db
from stuffctl.store.sql import iso, marks, moment, when

HORIZON = timedelta(days=7)  # a run looks at most this far ahead for the next change


@dataclass(frozen=True)
class Item:
    """A candidate at a moment: its band (None: not yet in its lead window)."""

    cand: Candidate
    band: str | None
    lead: str
    next_at: datetime | None
    round: int = 0
    snoozed_until: datetime | None = None


@dataclass
class RunResult:
    now: datetime
    new: list[Item] = field(default_factory=list)
    open: list[Item] = field(default_factory=list)
    next_at: datetime | None = None
    skipped: list[Skipped] = field(default_factory=list)


# Kinds whose due date is when something ends, not something to do: past it, the
# occurrence has expired (from the next day on), it is not overdue.
ENDS = ("warranty",)


def thresholds(c: Candidate, lead: str, settings: Settings) -> list[tuple[str, datetime]]:
    """When each band begins; bands that would start outside the lead window are left out."""
    due = c.due_at
    window = due - duration(lead)
    soon = max(due - settings.soon(c.kind), window)
    found = [("upcoming", window)] if window < soon else []
    if soon < due:
        found.append(("soon", soon))
    if c.kind in ENDS:
        return [*found, ("due", due), ("expired", due + timedelta(days=1))]
    return [*found, ("due", due), ("overdue", due + settings.overdue_after())]


@lru_cache(maxsize=256)
def _known_rule(rule: str) -> None:
    """Raise InvalidInput unless ``rule`` is one `remind add --every` would accept."""
    parse_recurrence(rule)


def readable(c: Candidate) -> Candidate:
    """``c`` itself, or InvalidInput saying which of its stored values the engine cannot
    follow: a date outside the range stuffctl handles (``dates.FIRST_DAY``..
    ``LAST_DAY``; its lead and bands would overflow), a rule or lead it does not know.
    Checked before anything is computed from them (a per-second rule caught up from
    years ago would not end)."""
    for name, at in (("due", c.due), ("start", c.anchor), ("snoozed until", c.snoozed_until)):
        if at is not None and not in_range(at):
            raise InvalidInput(f"{name} {at.isoformat()} is outside the dates stuffctl "
                               f"handles ({FIRST_DAY} to {LAST_DAY})")
    if c.rule is not None:
        _known_rule(c.rule)
    if c.lead is not None:
        duration(c.lead)
    return c


def caught_up(found: list[Candidate], now: datetime, skipped: list[Skipped] | None
              ) -> list[Candidate]:
    """Each readable candidate of ``found``, caught up to ``now``; the others are left
    out and added to ``skipped`` (one line each on stderr: unattended runs go on)."""
    ready = []
    for c in found:
        try:
            ready.append(catch_up(readable(c), now))
        except UNREADABLE as exc:
            skip(skipped, c, exc)
    return ready


def skip(skipped: list[Skipped] | None, c: Candidate, exc: Exception) -> None:
    """Add ``c`` to ``skipped`` with why; an own reminder with the commands that fix it."""
    if skipped is None:
        return
    found = Skipped.of(f"{c.key} ({c.title})", exc)
    if c.reminder_id is not None:
        found = Skipped(found.what, f"{found.reason}; change it with 'stuffctl remind edit "
                                    f"{c.reminder_id}' or remove it with 'stuffctl remind rm "
                                    f"{c.reminder_id}'")
    skipped.append(found)


def catch_up(c: Candidate, now: datetime) -> Candidate:
    """A fixed-schedule recurring candidate moved to its latest occurrence already due."""
    if c.rule is None or c.anchor is None or c.due_at >= now:
        return c
    rule = Recurrence(c.rule).rrule(c.anchor)
    passed, latest = 0, c.due_at
    for at in rule.xafter(c.due_at, inc=True):  # counted, not kept: years of them
        if at > now:
            break
        passed, latest = passed + 1, at
    if passed <= 1:
        return c
    due = latest if isinstance(c.due, datetime) else latest.date()
    return c.moved(due=due, missed=c.missed + passed - 1)


def window(now: datetime, settings: Settings) -> tuple[date, date]:
    """The dates derived sources are asked about: lookback behind, longest lead ahead."""
    today = now.date()
    leads = [v for k, v in settings.values.items() if k.startswith("lead.") and v]
    ahead = max((today + duration(str(v)) for v in leads), default=today)
    return today - settings.lookback(), ahead + HORIZON + timedelta(days=1)


class State(NamedTuple):
    """What was done with an occurrence (a row of ``occurrence``)."""

    state: str
    snoozes: int
    snoozed_until: datetime | None


def _states(conn: Db, start: date) -> dict[tuple[str, str], State]:
    rows = conn.execute(
        "SELECT key, occurrence, state, snoozes, snoozed_until FROM occurrence"
        " WHERE due >= ? OR state = 'open'", (moment(datetime.combine(start, time())),))
    return {(key, occ): State(state, snoozes, when(snoozed))
            for key, occ, state, snoozes, snoozed in rows}


def _item(c: Candidate, now: datetime, settings: Settings, state: State | None) -> Item:
    lead = c.lead or settings.lead(c.kind)
    rnd, snoozed = (state.snoozes, state.snoozed_until) if state else (0, None)
    if snoozed is not None and now < snoozed:
        return Item(c, None, lead, snoozed, rnd, snoozed)
    band, next_at = None, None
    for name, start in thresholds(c, lead, settings):
        if start <= now:
            band = name
        elif next_at is None:
            next_at = start
    return Item(c, band, lead, next_at, rnd, snoozed)


def open_items(db: Db, now: datetime, settings: Settings, *,
               due_before: datetime | None = None, in_reach: bool = False,
               ahead: datetime | None = None,
               skipped: list[Skipped] | None = None) -> list[Item]:
    """Every occurrence not done or skipped, with its band at ``now``; with
    ``due_before``, only those due before it (status asks for what can be soon).

    Derived sources are asked about the :func:`window`, and with ``ahead`` about
    everything due before it too (``remind list --upcoming 1y``).

    ``in_reach``: only what can be in a band now or change band within ``HORIZON``
    (own reminders far ahead are not read: ``sources.own_reminders``). Enough for a
    run, a listing of bands and status; not for ``remind list --all``, ``--upcoming``
    or finding a reminder by id.

    A row the engine cannot follow (:func:`readable`) is left out and added to
    ``skipped``, for the command to report.
    """
    start, end = window(now, settings)
    if ahead is not None:
        end = max(end, ahead.date() + timedelta(days=1))
    states = _states(db, start)
    items = []
    found = collect(db, start, end, in_reach=in_reach, skipped=skipped)
    for c in caught_up(found, now, skipped):
        if due_before is not None and c.due_at >= due_before:
            continue
        state = states.get((c.key, c.occurrence_id))
        if state is not None and state.state in ("done", "skipped"):
            continue
        try:
            items.append(_item(c, now, settings, state))
        except UNREADABLE as exc:
            skip(skipped, c, exc)
    items.sort(key=lambda i: (i.cand.due_at, i.cand.key))
    return items


def wanted(item: Item, settings: Settings) -> bool:
    """Whether notification preferences let this band through."""
    pref = settings.notify(item.cand.kind)
    return item.band is not None and (pref == "all" or (
        pref == "overdue-only" and item.band == "overdue"))


def _notified(conn: Db, items: list[Item]) -> set[tuple[str, str, str, int]]:
    keys = sorted({i.cand.key for i in items})
    found: set[tuple[str, str, str, int]] = set()
    for n in range(0, len(keys), 500):
        part = keys[n:n + 500]
        found.update(conn.execute("SELECT key, occurrence, band, round FROM notification"
                                  f" WHERE key IN ({marks(part)})", part))
    return found


def _ident(i: Item) -> tuple[str, str, str, int]:
    assert i.band is not None
    return (i.cand.key, i.cand.occurrence_id, i.band, i.round)


def run(*, db: Db, now: datetime, settings: Settings,
        remember: bool = True, dry: bool = False) -> RunResult:
    """Notify what newly needs attention at ``now``; record it in this transaction
    (``dry``: only say what would be new, record nothing)."""
    skipped: list[Skipped] = []
    items = open_items(db, now, settings, in_reach=True, skipped=skipped)
    reached = [i for i in items if wanted(i, settings)]
    seen = _notified(db, reached)
    new = [i for i in reached if _ident(i) not in seen]
    if not dry:
        _record(db, new, now)
    soonest = min((i.next_at for i in items if i.next_at), default=None)
    next_at = min(soonest or now + HORIZON, now + HORIZON)
    if remember and not dry:
        remember_next(db, next_at)
    return RunResult(now=now, new=new, open=[i for i in items if i.band], next_at=next_at,
                     skipped=skipped)


def _record(conn: Db, new: list[Item], now: datetime) -> None:
    stamp = moment(now.astimezone(UTC))
    conn.executemany(
        "INSERT INTO notification (key, occurrence, band, round, kind, title, due,"
        " notified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [(i.cand.key, i.cand.occurrence_id, i.band, i.round, i.cand.kind, i.cand.title,
          moment(i.cand.due_at), stamp) for i in new])


def unrecord(*, db: Db, items: list[Item]) -> None:
    """Take back the record of ``items``: their notification command failed or did not
    run, so they count as not notified and the next run notifies them again."""
    db.executemany("DELETE FROM notification WHERE key = ? AND occurrence = ?"
                          " AND band = ? AND round = ?", [_ident(i) for i in items])


def remember_next(db: Db, next_at: datetime) -> None:
    """Store what the fast path reads; this run's own writes keep it valid."""
    remember(db, {"next_attention_at": next_at.isoformat()})


def remember(db: Db, values: dict[str, str]) -> None:
    """Store fast-path facts in ``meta`` with the config stamp and TZ they hold under.

    A writing command forgets them when its transaction begins (``store.transaction``,
    unless told it keeps them, as here). `remind run` and
    `status --brief` keep each other's (``keeps_attention``); the two share one
    stamp, so what the other stored under another config or TZ is forgotten here."""
    from stuffctl.paths import config_stamp
    from stuffctl.store import FORGET_ATTENTION

    context = {"config_stamp": config_stamp(), "tz": os.environ.get("TZ", "")}
    stored = dict(db.execute("SELECT key, value FROM meta WHERE key IN (?, ?)",
                               tuple(context)))
    if stored != context:
        db.execute(FORGET_ATTENTION)
    db.executemany(db.backend.upsert("meta", ("key", "value"), key=("key",), update=("value",)),
                     list({**values, **context}.items()))


def in_quiet_hours(now: datetime, settings: Settings) -> bool:
    from stuffctl.dates import in_time_range

    span = settings.quiet_hours()
    return span is not None and in_time_range(now.time(), *span)


def overdue_days(item: Item, now: datetime) -> int:
    return max(0, (now.date() - item.cand.due_at.date()).days) if item.band in (
        "due", "overdue") else 0


def item_json(item: Item, now: datetime) -> dict[str, Any]:
    """The JSON shape of an occurrence (docs/json.md#occurrence)."""
    c = item.cand
    return {"key": c.key, "reminder_id": c.reminder_id, "kind": c.kind, "title": c.title,
            "due": iso(c.due), "all_day": c.all_day, "lead": item.lead, "about": c.about,
            "band": item.band, "overdue_days": overdue_days(item, now), "missed": c.missed,
            "occurrence": c.occurrence_id, "snoozed_until": iso(item.snoozed_until),
            "recurrence": Recurrence(c.rule).describe() if c.rule else None}


def by_band(items: Iterable[Item], bands: Iterable[str]) -> list[Item]:
    wanted_bands = set(bands)
    return [i for i in items if i.band in wanted_bands]


__all__ = ["BANDS", "Item", "RunResult", "item_json", "open_items", "run"]


def exit_status(open_now: list[Item]) -> int:
    """``remind run --exit-status``: 11 when anything is overdue, 10 when due, else 0."""
    from stuffctl.errors import RemindStatus

    bands = {i.band for i in open_now}
    status = (RemindStatus.OVERDUE if "overdue" in bands else
              RemindStatus.DUE if "due" in bands else RemindStatus.NOTHING_DUE)
    return int(status)
