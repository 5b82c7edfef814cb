"""The columns of task listings (`task list`, `task next`): no Rich or Typer at import,
so the fast path of `task next` can use them before either loads."""

from __future__ import annotations

from typing import Any

from stuffctl.render import Column, day


def _urgency(v: Any) -> str:
    return "" if v is None else f"{v:.2f}"


COLUMNS = [
    Column("ID", "id", justify="right"),
    Column("PROJECT", "project"),
    Column("TITLE", "title"),
    Column("P", "priority"),
    Column("DUE", "due_on", show=day),
    Column("STATUS", "status"),
    Column("WHO", "assignee"),
    Column("AFTER", "depends_on"),
    Column("TAGS", "tags"),
]
URGENCY = Column("URGENCY", "urgency", show=_urgency, justify="right")
CSV_EXTRA = [Column("", "blocked"), Column("", "done_at"), Column("", "urgency"),
             Column("", "uid"), Column("", "assignee_id")]
NEXT_COLUMNS = [URGENCY, *COLUMNS[:5],
                Column("", "blocked", show=lambda v: "blocked" if v else "")]
