"""Own reminders (add, edit, rm) and acting on any occurrence (done, skip, snooze)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlmodel import Session, col, select

from stuffctl.dates import Recurrence
from stuffctl.errors import InvalidInput, NotFound
from stuffctl.models import MaintenanceSchedule, Occurrence, Reminder
from stuffctl.services.common import get_or_404, iso, touch
from stuffctl.services.reminders.engine import Item, item_json, open_items
from stuffctl.services.reminders.settings import Settings
from stuffctl.services.sql import row_or_404

ABOUT_KINDS = ("asset", "project", "task", "transaction", "loan")


@dataclass
class ReminderChanges:
    """What `remind add` / `remind edit` sets; ``values`` holds only what was given."""

    values: dict[str, Any] = field(default_factory=dict)


def parse_about(text: str) -> tuple[str, int]:
    kind, _, ident = text.partition(":")
    if kind not in ABOUT_KINDS or not ident.isdigit():
        raise InvalidInput(f"--about: expected KIND:ID with KIND one of {', '.join(ABOUT_KINDS)}"
                           f" (got {text!r})")
    return kind, int(ident)


def _first_due(due: date | datetime, rule: str | None) -> datetime:
    """The first occurrence on or after ``due`` (``due`` itself without a rule)."""
    start = due if isinstance(due, datetime) else datetime.combine(due, time())
    if rule is None:
        return start
    first = Recurrence(rule).rrule(start).after(start, inc=True)
    if first is None:
        raise InvalidInput("--every: that rule has no occurrence on or after --on")
    return first


def _apply(session: Session, r: Reminder, values: dict[str, Any]) -> None:
    if "about" in values:
        about = values.pop("about")
        if about is not None and about[0] == "asset":
            row_or_404(session, "asset", ("id",), about[1], "asset")
        r.about_kind, r.about_id = about if about else (None, None)
    for name in ("title", "lead", "notes", "from_done", "kind"):
        if name in values:
            setattr(r, name, values[name])
    if "rule" in values or "due" in values:
        due = values.get("due", datetime.combine(r.due_on, r.due_time or time()) if
                         r.due_time else r.due_on)
        r.rule = values.get("rule", r.rule)
        first = _first_due(due, r.rule)
        r.start_on, r.due_on = first.date(), first.date()
        r.due_time = first.time() if isinstance(due, datetime) else None
        r.state, r.snoozed_until = "open", None
    if not (r.title or "").strip():
        raise InvalidInput("a reminder needs a title")
    if r.from_done and not r.rule:
        raise InvalidInput("--from-done needs --every")


def add_reminder(*, session: Session, changes: ReminderChanges) -> dict[str, Any]:
    values = dict(changes.values)
    if "due" not in values:
        raise InvalidInput("--on: a reminder needs a date")
    today = date.today()
    r = Reminder(title=values.get("title", ""), start_on=today, due_on=today)
    _apply(session, r, values)
    session.add(r)
    session.flush()
    return reminder_public(r)


def edit_reminder(*, session: Session, reminder_id: int,
                  changes: ReminderChanges) -> dict[str, Any]:
    r = get_or_404(session, Reminder, reminder_id, "reminder")
    _apply(session, r, dict(changes.values))
    touch(r)
    session.flush()
    return reminder_public(r)


def remove_reminder(*, session: Session, reminder_id: int) -> dict[str, Any]:
    r = get_or_404(session, Reminder, reminder_id, "reminder")
    data = reminder_public(r)
    session.delete(r)
    session.flush()
    return data


def reminder_public(r: Reminder) -> dict[str, Any]:
    """The JSON shape of an own reminder (docs/json.md#reminder)."""
    due = datetime.combine(r.due_on, r.due_time) if r.due_time else r.due_on
    return {"id": r.id, "uid": r.uid, "key": f"reminder:{r.id}", "title": r.title,
            "kind": r.kind, "about": f"{r.about_kind}:{r.about_id}" if r.about_kind else None,
            "due": iso(due), "all_day": r.due_time is None, "rule": r.rule,
            "recurrence": Recurrence(r.rule).describe() if r.rule else None,
            "from_done": r.from_done, "lead": r.lead, "snoozed_until": iso(r.snoozed_until),
            "state": r.state, "notes": r.notes, "created_at": iso(r.created_at),
            "updated_at": iso(r.updated_at)}


def find_item(session: Session, ref: str, now: datetime, settings: Settings) -> Item:
    """The open occurrence ``ref`` names: a reminder id or a key (``warranty:asset:3``)."""
    key = f"reminder:{ref}" if ref.isdigit() else ref
    if ref.isdigit():
        r = get_or_404(session, Reminder, int(ref), "reminder")
        if r.state != "open":
            raise NotFound(f"reminder {ref} is {r.state}; nothing is open")
    for item in open_items(session, now, settings):
        if item.cand.key == key:
            return item
    raise NotFound(f"nothing open for {ref!r} (see 'stuffctl remind list --all')")


def _state(session: Session, item: Item) -> Occurrence:
    c = item.cand
    row = session.exec(select(Occurrence).where(
        col(Occurrence.key) == c.key, col(Occurrence.occurrence) == c.occurrence_id)).first()
    if row is None:
        row = Occurrence(key=c.key, occurrence=c.occurrence_id, kind=c.kind, title=c.title,
                         due=c.due_at, all_day=c.all_day, missed=c.missed)
        session.add(row)
    return row


def act(*, session: Session, ref: str, action: str, now: datetime, settings: Settings,
        on: date | None = None, until: datetime | None = None,
        log: bool = False) -> dict[str, Any]:
    """Mark the open occurrence ``ref`` done, skipped or snoozed (until ``until``)."""
    item = find_item(session, ref, now, settings)
    row = _state(session, item)
    if action == "snooze":
        if until is None or until <= now:
            raise InvalidInput("snooze: the time must be in the future")
        row.snoozed_until, row.snoozes = until, row.snoozes + 1
    else:
        row.state = "done" if action == "done" else "skipped"
        row.acted_on = (on or now.date()) if action == "done" else item.cand.due_at.date()
    touch(row)
    _follow_up(session, item, action, row, until, log)
    session.flush()
    result = item_json(item, now)
    result.update(action=action, acted_on=iso(row.acted_on), snoozed_until=iso(until),
                  logged=bool(log and action == "done" and item.cand.kind == "maintenance"))
    return result


def _follow_up(session: Session, item: Item, action: str, row: Occurrence,
               until: datetime | None, log: bool) -> None:
    c = item.cand
    if c.reminder_id is not None:
        r = get_or_404(session, Reminder, c.reminder_id, "reminder")
        if action == "snooze":
            r.snoozed_until = until
        else:
            _advance(r, c.due_at, row.acted_on or c.due_at.date(), action)
        touch(r)
    elif c.kind == "maintenance" and action == "done" and log:
        from stuffctl.services.assets import log_event

        sched = get_or_404(session, MaintenanceSchedule, int(c.key.split(":")[1]), "schedule")
        log_event(session=session, asset_id=sched.asset_id, kind=sched.kind,
                  on=row.acted_on or date.today(), notes="done (remind done)")


def _advance(r: Reminder, shown: datetime, on: date, action: str) -> None:
    """Move a reminder to its next occurrence, or close it when there is none."""
    r.snoozed_until = None
    nxt = None
    if r.rule is not None:
        rec = Recurrence(r.rule)
        if r.from_done and action == "done":
            base = datetime.combine(on, r.due_time or time())
            nxt = rec.next_after(base, dtstart=base)
        else:
            nxt = rec.next_after(shown, dtstart=datetime.combine(r.start_on, r.due_time or time()))
    if nxt is None:
        r.state = "done" if action == "done" else "skipped"
        return
    r.due_on = nxt.date()
    if r.from_done and action == "done":
        r.start_on = nxt.date()
