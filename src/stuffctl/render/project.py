"""Human view of `project show`: progress bar, spend vs budget, tasks, assets, activity."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.progress_bar import ProgressBar
from rich.table import Table

from stuffctl.render import Column, day, plain, table, text
from stuffctl.render.views import fields_table, heading, shown_fields

PROJECT_FIELDS = [
    ("Outcome", "outcome"), ("Status", "status"), ("Start", "start_on"), ("Due", "due_on"),
    ("Done on", "done_on"), ("Tags", "tags"), ("Notes", "notes"),
]
TASK_COLUMNS = [
    Column("ID", "id", justify="right"), Column("", "status",
                                                show=lambda v: "[x]" if v == "done" else "[ ]"),
    Column("TITLE", "title"), Column("P", "priority"), Column("DUE", "due_on", show=day),
    Column("AFTER", "depends_on"), Column("", "blocked", show=lambda v: "blocked" if v else ""),
]


def progress_line(data: dict[str, Any]) -> RenderableType:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold")
    grid.add_column(width=30)
    grid.add_column()
    counts = (f"{data['tasks_done']}/{data['tasks_total']} tasks" if data["tasks_total"]
              else "no tasks")
    grid.add_row("Progress", ProgressBar(total=100, completed=data["progress"], width=30),
                 text(f"{data['progress']}% ({counts})"))
    return grid


def spend_lines(data: dict[str, Any]) -> list[tuple[str, Any]]:
    spent = ", ".join(plain(m) for m in data["spent"]) or "nothing yet"
    rows: list[tuple[str, Any]] = [("Spent", spent)]
    if data["budget"] is not None:
        rows.append(("Budget", f"{plain(data['budget'])} ({data['budget_used_percent']}% used, "
                               f"{plain(data['budget_left'])} left)"))
    return rows


def project_view(data: dict[str, Any]) -> RenderableType:
    parts: list[RenderableType] = [
        text(f"Project {data['id']}: {plain(data['name'])}", style="bold"),
        fields_table(shown_fields(data, PROJECT_FIELDS) + spend_lines(data)),
        progress_line(data),
    ]
    nxt = data["next_task"]
    if nxt is not None:
        parts += [text(f"Next: task {nxt['id']}: {plain(nxt['title'])}"
                       + (f" (due {day(nxt['due_on'])})" if nxt["due_on"] else ""),
                       style="bold")]
    if data["tasks"]:
        parts += ["", heading("Tasks"), table(data["tasks"], TASK_COLUMNS)]
    if data["assets"]:
        parts += ["", heading("Assets"), table(data["assets"], [
            Column("ID", "id", justify="right"), Column("NAME", "name"),
            Column("BOUGHT", "purchased_on", show=day),
            Column("PRICE", "price", justify="right"),
            Column("STATUS", "status")])]
    if data["activity"]:
        parts += ["", heading("Recent activity"), table(data["activity"], [
            Column("DATE", "on", show=day),
            Column("WHAT", "kind", show=lambda v: v.replace("_", " ")),
            Column("", "text"), Column("AMOUNT", "amount", justify="right")])]
    return Group(*parts)
