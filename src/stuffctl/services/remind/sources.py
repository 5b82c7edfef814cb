"""Where occurrences come from: a registry of sources, one function each.

A source is ``fn(conn, start: date, end: date) -> list[Candidate]``: the
occurrences it knows of that fall due in ``[start, end)`` (own reminders are
returned whatever their date: they are few and always pending). ``conn`` is a
DB-API connection and sources read in plain SQL (``store.sql``), so that
``status`` and ``remind list`` run without SQLAlchemy. Adding a source is a
decorated function; see docs/reminders.md, "Sources". This module is the registry
and knows none of the modules that register into it (alerts, linked, maintenance):
:func:`stuffctl.services.remind.collect.collect` imports them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from functools import cached_property
from typing import Any, TypeVar

from stuffctl import vocabulary
from stuffctl.errors import InvalidInput
from stuffctl.store.handle import Db
from stuffctl.store.sql import literals

Due = date | datetime


@dataclass(frozen=True)
class Candidate:
    """One occurrence that may need attention.

    ``key`` names the thing for good ("warranty:asset:12"); ``occurrence``
    names this occurrence of it (default: the due date or time in ISO form).
    ``lead`` is a duration text such as ``30d``; None takes ``lead.<kind>``.
    ``rule``/``anchor`` make a fixed-schedule recurring candidate that the
    engine rolls forward to the latest occurrence already due.
    """

    kind: str
    key: str
    title: str
    due: Due
    lead: str | None = None
    about: str | None = None
    occurrence: str | None = None
    rule: str | None = None
    anchor: datetime | None = None
    missed: int = 0
    reminder_id: int | None = None
    snoozed_until: datetime | None = None

    @cached_property
    def due_at(self) -> datetime:
        """The due moment, local time; a date falls due at the start of its day."""
        if isinstance(self.due, datetime):
            return self.due
        return datetime.combine(self.due, time())

    @property
    def all_day(self) -> bool:
        return not isinstance(self.due, datetime)

    @property
    def occurrence_id(self) -> str:
        return self.occurrence or self.due.isoformat()

    def moved(self, **changes: Any) -> Candidate:
        return replace(self, **changes)


#: What a stored value the engine cannot follow raises (a date it cannot reach, a rule
#: or lead it does not know): the row is skipped and reported, the run goes on.
UNREADABLE = (ArithmeticError, LookupError, ValueError, InvalidInput)


@dataclass(frozen=True)
class Skipped:
    """A row (``reminder:3``) or a whole source the engine could not use: left out of
    this run and reported on stderr by the command, never the end of the run."""

    what: str
    reason: str

    @classmethod
    def of(cls, what: str, exc: Exception) -> Skipped:
        reason = exc.message if isinstance(exc, InvalidInput) else (
            f"{type(exc).__name__}: {exc}")
        return cls(what, reason)

    def line(self) -> str:
        return f"warning: skipped {self.what}: {self.reason}"


Source = Callable[[Db, date, date], list[Candidate]]
SOURCES: dict[str, Source] = {}
S = TypeVar("S", bound=Source)


def source(name: str) -> Callable[[S], S]:
    """Register a source under ``name`` (a decorator)."""

    def register(fn: S) -> S:
        SOURCES[name] = fn
        return fn

    return register


OWN = ("SELECT id, kind, title, due_on, due_time, start_on, rule, from_done, lead, about_kind,"
       " about_id, snoozed_until FROM reminder WHERE state = 'open'")


def reminder_candidate(row: tuple[Any, ...]) -> Candidate:
    """A row of :data:`OWN` (as SQLite stores it: ISO text) as a candidate."""
    rid, kind, title, due_on, due_time, start_on, rule, from_done, lead, about_kind, \
        about_id, snoozed = row
    at = time.fromisoformat(due_time) if due_time else None
    due: Due = date.fromisoformat(due_on)
    if at is not None:
        due = datetime.combine(due, at)
    fixed = rule is not None and not from_done
    return Candidate(
        kind=kind, key=f"reminder:{rid}", title=title, due=due, lead=lead,
        about=f"{about_kind}:{about_id}" if about_kind else None, rule=rule,
        anchor=datetime.combine(date.fromisoformat(start_on), at or time()) if fixed else None,
        reminder_id=rid, snoozed_until=datetime.fromisoformat(snoozed) if snoozed else None,
    )


@source("reminder")
def own_reminders(conn: Db, start: date, end: date, *,
                  until: date | None = None) -> list[Candidate]:
    """Every open reminder (a lead of its own can reach past ``end``): a home may have
    thousands.

    With ``until`` (the engine's window end: the longest configured lead and a week
    past today), a reminder on its kind's lead that falls due on or after it is left
    out: its lead window opens more than a week from now, so it is in no band and
    its next change lies past anything a run or a listing of bands looks at. One with
    a lead or a snooze of its own is always read.
    """
    if until is None:
        return [reminder_candidate(row) for row in conn.execute(OWN)]
    bounded = f"{OWN} AND (due_on < ? OR lead IS NOT NULL OR snoozed_until IS NOT NULL)"
    return [reminder_candidate(row)
            for row in conn.execute(bounded, (until.isoformat(),))]


OUT_OF_USE = literals(vocabulary.OUT_OF_USE)


@source("warranty")
def warranties(conn: Db, start: date, end: date) -> list[Candidate]:
    rows = conn.execute(f"SELECT id, name, warranty_until FROM asset WHERE warranty_until >= ?"
                        f" AND warranty_until < ? AND status NOT IN {OUT_OF_USE}",
                        (start.isoformat(), end.isoformat()))
    return [Candidate(kind="warranty", key=f"warranty:asset:{i}", title=f"Warranty of {n} ends",
                      due=date.fromisoformat(d), about=f"asset:{i}") for i, n, d in rows]


@source("stock")
def stock_to_buy(conn: Db, start: date, end: date) -> list[Candidate]:
    """Consumables to buy (``services.stock.shopping.to_remind``): each item low now, due
    today, or low within the lead time of ``stock`` reminders (``lead.stock``) of a day
    before ``end``, due that day; once until its next purchase (the occurrence names the
    latest one), always in the ``due`` band (its own lead is 0d)."""
    from stuffctl.services.remind.settings import Settings
    from stuffctl.services.stock.shopping import to_remind

    settings = Settings.load()
    today = start + settings.lookback()  # sources are asked from today - lookback
    ahead = (today + settings.lead_delta(settings.lead("stock")) - today).days
    return [Candidate(kind="stock", key=f"stock:item:{r['id']}", title=r["title"],
                      due=r["due"], lead="0d", occurrence=r["occurrence"],
                      about=f"asset:{r['asset_id']}" if r["asset_id"] else None)
            for r in to_remind(db=conn, today=today, ahead=ahead, end=end)]
