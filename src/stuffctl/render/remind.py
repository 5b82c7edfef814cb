"""How occurrences and reminders look: plain lines for cron, a table for people."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from stuffctl.render import Column, day, note, plain


class Skipped(Protocol):
    """A row the engine could not follow (``services.remind.sources.Skipped``)."""

    def line(self) -> str: ...

LIST_COLUMNS = [
    Column("ID", "ref"),
    Column("BAND", "band"),
    Column("DUE", "due", show=day),
    Column("KIND", "kind"),
    Column("TITLE", "title"),
    Column("ABOUT", "about"),
    Column("REPEATS", "recurrence"),
]
CSV_COLUMNS = [Column("", k) for k in (
    "key", "reminder_id", "kind", "title", "due", "all_day", "lead", "about", "band",
    "overdue_days", "missed", "occurrence", "snoozed_until", "recurrence")]


def with_ref(row: dict[str, Any]) -> dict[str, Any]:
    """A listing row: own reminders by id, derived ones by key."""
    ref = row["reminder_id"] if row.get("reminder_id") is not None else row["key"]
    return {**row, "ref": ref, "band": row.get("band") or "later",
            "due": (row["due"] or "").replace("T", " ")}


def occurrence_line(row: dict[str, Any]) -> str:
    """One plain line: ``DUE      2026-03-01 08:30  Title (reminder 3), missed 5 times``."""
    ref = f"reminder {row['reminder_id']}" if row.get("reminder_id") else row["key"]
    due = day(row["due"])
    extra = []
    if row.get("overdue_days"):
        n = row["overdue_days"]
        extra.append(f"overdue {n} day{'s' if n != 1 else ''}")
    if row.get("missed"):
        n = row["missed"]
        extra.append(f"missed {n} time{'s' if n != 1 else ''}")
    tail = f", {', '.join(extra)}" if extra else ""
    return f"{(row['band'] or '').upper():<9}{due:<18}{plain(row['title'])} ({plain(ref)}){tail}"


def notification_text(rows: list[dict[str, Any]]) -> tuple[str, str]:
    """Title and body for the notification command."""
    title = (f"stuffctl: {plain(rows[0]['title'])}" if len(rows) == 1
             else f"stuffctl: {len(rows)} reminders need attention")
    return title, "\n".join(occurrence_line(r) for r in rows)


SCHEDULE_COLUMNS = [
    Column("ID", "id", justify="right"),
    Column("ASSET", "asset_id", justify="right"),
    Column("KIND", "kind"),
    Column("EVERY", "every"),
    Column("LAST", "last_done", show=day),
    Column("NEXT", "next_due", show=day),
]


def report_skipped(skipped: Iterable[Skipped]) -> None:
    """One line on stderr per row the engine could not follow (``sources.Skipped``)."""
    for s in skipped:
        note(s.line())
