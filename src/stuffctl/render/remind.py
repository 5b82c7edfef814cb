"""How occurrences and reminders look: plain lines for cron, a table for people."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from stuffctl.render import KEEP, Column, day, note, plain, theme


class Skipped(Protocol):
    """A row the engine could not follow (``services.remind.sources.Skipped``)."""

    def line(self) -> str: ...

def _band_state(row: dict[str, Any]) -> str | None:
    return theme.band_state(row.get("band"))


LIST_COLUMNS = [
    Column("ID", "ref", kind="id", priority=KEEP),
    Column("BAND", "band", kind="word", priority=2, state=_band_state, row_state=True),
    Column("DUE", "due", show=day, priority=KEEP),
    Column("KIND", "kind", kind="word", priority=0),
    Column("TITLE", "title", priority=KEEP, min_width=20),
    Column("ABOUT", "about", kind="id", priority=0),
    Column("REPEATS", "recurrence", priority=0),
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


BAND_WORDS = {"upcoming": "Coming up", "soon": "Soon", "due": "Due", "overdue": "Overdue",
              "expired": "Expired"}


class ChannelTexts:
    """How a message to a person's channel reads (``services.remind.outbox.Texts``)."""

    @staticmethod
    def one(row: dict[str, Any]) -> tuple[str, str]:
        band = BAND_WORDS.get(row.get("band") or "", row.get("band") or "")
        return f"{band}: {plain(row['title'])}", occurrence_line(row)

    @staticmethod
    def digest(new: list[dict[str, Any]], changed: list[dict[str, Any]]
               ) -> tuple[str, str]:
        parts = [f"{len(new)} new" if new else "", f"{len(changed)} changed" if changed else ""]
        title = f"stuffctl digest: {', '.join(p for p in parts if p)}"
        sections = [(f"New since the last digest ({len(new)})", new),
                    (f"Changed since the last digest ({len(changed)})", changed)]
        body = "\n\n".join(f"{head}\n" + "\n".join(occurrence_line(r) for r in rows)
                            for head, rows in sections if rows)
        return title, body


OUTBOX_COLUMNS = [
    Column("ID", "id", justify="right"),
    Column("STATE", "state"),
    Column("WHO", "person"),
    Column("CHANNEL", "channel"),
    Column("TITLE", "title"),
    Column("TRIES", "attempts", justify="right"),
    Column("WHEN", "when", show=day),
    Column("ERROR", "error"),
]
DRY_RUN_COLUMNS = [
    Column("WHO", "person"),
    Column("CHANNEL", "channel"),
    Column("WHEN", "send"),
    Column("TITLE", "title"),
]


def outbox_row(row: dict[str, Any]) -> dict[str, Any]:
    """A row of ``remind outbox``'s table: WHEN is the delivery, else the next try."""
    from datetime import datetime

    moment = row["delivered_at"] or row["next_try_at"] or row["created_at"]
    shown = datetime.fromisoformat(moment.replace("Z", "+00:00")).astimezone()
    return {**row, "when": f"{shown:%Y-%m-%d %H:%M}"}


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
