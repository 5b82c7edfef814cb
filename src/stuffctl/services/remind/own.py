"""Own reminders (add, edit, rm) and acting on any occurrence (done, skip, snooze)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from stuffctl.dates import Recurrence
from stuffctl.errors import InvalidInput, NotFound
from stuffctl.services.remind.engine import Item, item_json, open_items
from stuffctl.services.remind.settings import Settings
from stuffctl.store import sql
from stuffctl.store.handle import Db
from stuffctl.store.tables import TABLES

ABOUT_KINDS = ("asset", "project", "task", "transaction", "loan")
# A reminder is read into a dict of Python values (``_reminder``) that ``_apply``
# changes and ``_write`` stores: every column but the record's own.
WRITTEN = tuple(c for c in TABLES["reminder"].columns if c not in ("id", *sql.RECORD))


@dataclass
class ReminderChanges:
    """What `remind add` / `remind edit` sets; ``values`` holds only what was given."""

    values: dict[str, Any] = field(default_factory=dict)


def parse_about(text: str) -> tuple[str, str]:
    """``KIND:REF`` of ``--about``: an asset, project or task by id or name
    (``lookup.resolve``, in ``_apply``), a transaction or loan by id."""
    kind, _, ident = text.partition(":")
    named = kind in ("asset", "project", "task")
    if kind not in ABOUT_KINDS or not (ident.strip() if named else
                                       ident.isascii() and ident.isdigit()):
        raise InvalidInput(f"--about: expected KIND:ID with KIND one of {', '.join(ABOUT_KINDS)}"
                           f" (got {text!r})")
    return kind, ident


def _first_due(due: date | datetime, rule: str | None) -> datetime:
    """The first occurrence on or after ``due`` (``due`` itself without a rule)."""
    start = due if isinstance(due, datetime) else datetime.combine(due, time())
    if rule is None:
        return start
    first = Recurrence(rule).rrule(start).after(start, inc=True)
    if first is None:
        raise InvalidInput("--every: that rule has no occurrence on or after --on")
    return first


def _reminder(db: Db, reminder_id: int) -> dict[str, Any]:
    """Reminder ``reminder_id`` as Python values (NotFound when there is none)."""
    r = dict(sql.row_or_404(db, "reminder", None, reminder_id, "reminder"))
    for name in ("start_on", "due_on"):
        r[name] = sql.day(r[name])
    r["due_time"] = time.fromisoformat(r["due_time"]) if r["due_time"] else None
    r["snoozed_until"] = sql.when(r["snoozed_until"])
    r["from_done"] = bool(r["from_done"])
    return r


def _write(db: Db, r: dict[str, Any]) -> None:
    sql.update(db, "reminder", r["id"], {name: r[name] for name in WRITTEN})


def _apply(db: Db, r: dict[str, Any], values: dict[str, Any]) -> None:
    if "about" in values:
        about = values.pop("about")
        if about is not None:
            from stuffctl.services.lookup import NOUNS, resolve

            kind, ident = about
            about = kind, resolve(db, kind, ident, "--about") if kind in NOUNS else int(ident)
        r["about_kind"], r["about_id"] = about if about else (None, None)
    if "for" in values:  # a person (id, name, me), or everyone: who hears it
        from stuffctl.services.lookup import resolve

        ref = values.pop("for")
        r["person_id"] = None if ref.strip().lower() == "everyone" else \
            resolve(db, "person", ref, "--for")
    for name in ("title", "lead", "notes", "from_done", "kind"):
        if name in values:
            r[name] = values[name]
    if "rule" in values or "due" in values:
        due = values.get("due", datetime.combine(r["due_on"], r["due_time"] or time()) if
                         r["due_time"] else r["due_on"])
        r["rule"] = values.get("rule", r["rule"])
        first = _first_due(due, r["rule"])
        r["start_on"], r["due_on"] = first.date(), first.date()
        r["due_time"] = first.time() if isinstance(due, datetime) else None
        r["state"], r["snoozed_until"] = "open", None
    if not (r["title"] or "").strip():
        raise InvalidInput("a reminder needs a title")
    if r["from_done"] and not r["rule"]:
        raise InvalidInput("--from-done needs --every")


def add_reminder(*, db: Db, changes: ReminderChanges) -> dict[str, Any]:
    values = dict(changes.values)
    if "due" not in values:
        raise InvalidInput("--on: a reminder needs a date")
    today = date.today()
    r: dict[str, Any] = {
        "title": values.get("title", ""), "kind": "reminder", "about_kind": None,
        "about_id": None, "start_on": today, "due_on": today, "due_time": None, "rule": None,
        "from_done": False, "lead": None, "snoozed_until": None, "state": "open",
        "notes": None, "person_id": None}
    _apply(db, r, values)
    return reminder_public(db, sql.insert(db, "reminder", {n: r[n] for n in WRITTEN}))


def edit_reminder(*, db: Db, reminder_id: int, changes: ReminderChanges) -> dict[str, Any]:
    r = _reminder(db, reminder_id)
    _apply(db, r, dict(changes.values))
    _write(db, r)
    return reminder_public(db, reminder_id)


def remove_reminder(*, db: Db, reminder_id: int) -> dict[str, Any]:
    data = reminder_public(db, reminder_id)
    db.execute("DELETE FROM reminder WHERE id = ?", (reminder_id,))
    return data


def reminder_public(db: Db, reminder_id: int) -> dict[str, Any]:
    """The JSON shape of an own reminder (docs/json.md#reminder)."""
    r = _reminder(db, reminder_id)
    due = datetime.combine(r["due_on"], r["due_time"]) if r["due_time"] else r["due_on"]
    rule = r["rule"]
    person = None if r["person_id"] is None else db.one(
        "SELECT name FROM person WHERE id = ?", (r["person_id"],))
    return {"id": r["id"], "uid": r["uid"], "key": f"reminder:{r['id']}", "title": r["title"],
            "kind": r["kind"], "person_id": r["person_id"], "person": person,
            "about": f"{r['about_kind']}:{r['about_id']}" if r["about_kind"] else None,
            "due": sql.iso(due), "all_day": r["due_time"] is None, "rule": rule,
            "recurrence": Recurrence(rule).describe() if rule else None,
            "from_done": r["from_done"], "lead": r["lead"],
            "snoozed_until": sql.iso(r["snoozed_until"]), "state": r["state"],
            "notes": r["notes"], "created_at": sql.stamp(r["created_at"]),
            "updated_at": sql.stamp(r["updated_at"])}


def find_item(db: Db, ref: str, now: datetime, settings: Settings) -> Item:
    """The open occurrence ``ref`` names: a reminder id or a key (``warranty:asset:3``)."""
    key = f"reminder:{ref}" if ref.isascii() and ref.isdigit() else ref
    if ref.isascii() and ref.isdigit():
        (state,) = sql.row_or_404(db, "reminder", ("state",), int(ref), "reminder")
        if state != "open":
            raise NotFound(f"reminder {ref} is {state}; nothing is open")
    for item in open_items(db, now, settings):
        if item.cand.key == key:
            return item
    raise NotFound(f"nothing open for {ref!r} (see 'stuffctl remind list --all')")


def act(*, db: Db, ref: str, action: str, now: datetime, settings: Settings,
        on: date | None = None, until: datetime | None = None,
        log: bool = False) -> dict[str, Any]:
    """Mark the open occurrence ``ref`` done, skipped or snoozed (until ``until``)."""
    item = find_item(db, ref, now, settings)
    c = item.cand
    found = db.execute("SELECT id, snoozes FROM occurrence WHERE key = ? AND occurrence = ?",
                         (c.key, c.occurrence_id)).fetchone()
    ident, snoozes = found if found else (None, 0)
    if action == "snooze":
        if until is None or until <= now:
            raise InvalidInput("snooze: the time must be in the future")
        change: dict[str, Any] = {"snoozed_until": until, "snoozes": snoozes + 1}
        acted_on = None
    else:
        acted_on = (on or now.date()) if action == "done" else c.due_at.date()
        change = {"state": "done" if action == "done" else "skipped", "acted_on": acted_on}
    if ident is None:
        sql.insert(db, "occurrence", {
            "key": c.key, "occurrence": c.occurrence_id, "kind": c.kind, "title": c.title,
            "due": c.due_at, "all_day": c.all_day, "state": "open", "acted_on": None,
            "missed": c.missed, "snoozed_until": None, "snoozes": 0, **change})
    else:
        sql.update(db, "occurrence", ident, change)
    _follow_up(db, item, action, acted_on, until, log)
    result = item_json(item, now)
    result.update(action=action, acted_on=sql.iso(acted_on), snoozed_until=sql.iso(until),
                  logged=bool(log and action == "done" and c.kind == "maintenance"))
    return result


def _follow_up(db: Db, item: Item, action: str, acted_on: date | None,
               until: datetime | None, log: bool) -> None:
    c = item.cand
    if c.reminder_id is not None:
        r = _reminder(db, c.reminder_id)
        if action == "snooze":
            r["snoozed_until"] = until
        else:
            _advance(r, c.due_at, acted_on or c.due_at.date(), action)
        _write(db, r)
    elif c.kind == "maintenance" and action == "done" and log:
        from stuffctl.services.asset import log_event

        asset_id, kind = sql.row_or_404(db, "maintenance_schedule", ("asset_id", "kind"),
                                        int(c.key.split(":")[1]), "schedule")
        log_event(db=db, asset_id=asset_id, kind=kind, on=acted_on or date.today(),
                  notes="done (remind done)")


def _advance(r: dict[str, Any], shown: datetime, on: date, action: str) -> None:
    """Move a reminder to its next occurrence, or close it when there is none."""
    r["snoozed_until"] = None
    nxt = None
    if r["rule"] is not None:
        rec = Recurrence(r["rule"])
        at = r["due_time"] or time()
        if r["from_done"] and action == "done":
            base = datetime.combine(on, at)
            nxt = rec.next_after(base, dtstart=base)
        else:
            nxt = rec.next_after(shown, dtstart=datetime.combine(r["start_on"], at))
    if nxt is None:
        r["state"] = "done" if action == "done" else "skipped"
        return
    r["due_on"] = nxt.date()
    if r["from_done"] and action == "done":
        r["start_on"] = nxt.date()
