"""The columns of task listings (`task list`, `task next`): no Rich or Typer at import,
so the fast path of `task next` can use them before either loads."""

from __future__ import annotations

from typing import Any

from stuffctl.render import KEEP, Column, day, theme


def _urgency(v: Any) -> str:
    return "" if v is None else f"{v:.2f}"


def task_state(row: dict[str, Any]) -> str | None:
    """A task's theme state: done (muted), overdue / due today / soon, or blocked (muted)."""
    if row.get("status") == "done":
        return "done"
    return theme.due_state(row.get("due_on")) or ("muted" if row.get("blocked") else None)


COLUMNS = [
    Column("ID", "id", justify="right", kind="id", priority=KEEP),
    Column("PROJECT", "project", priority=2),
    Column("TITLE", "title", priority=KEEP, min_width=20),
    Column("P", "priority", kind="word", priority=3),
    Column("DUE", "due_on", show=day, priority=KEEP, state=task_state, row_state=True),
    Column("STATUS", "status", kind="word", priority=0),
    Column("WHO", "assignee", priority=1),
    Column("AFTER", "depends_on", kind="id", priority=1),
    Column("TAGS", "tags", priority=0),
]
URGENCY = Column("URGENCY", "urgency", show=_urgency, justify="right", priority=2)
CSV_EXTRA = [Column("", "blocked"), Column("", "done_at"), Column("", "urgency"),
             Column("", "uid"), Column("", "assignee_id")]
NEXT_COLUMNS = [URGENCY, *COLUMNS[:5],
                Column("", "blocked", show=lambda v: "blocked" if v else "", kind="word")]
