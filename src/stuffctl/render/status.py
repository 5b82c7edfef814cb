"""The `stuffctl status` screen: one panel per non-empty section.

Each section is a table that fits the panel at any width without cutting an id, a
date or an amount (``render.screen.Split``), coloured by state through the theme
(overdue, due soon, over budget); piped, a ``== title ==`` line and one line per row.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel

from stuffctl.render import KEEP, Column, day, is_terminal, text, theme
from stuffctl.render.screen import Split, amount, budget_state, money, one_currency

PER = {"monthly": "month", "quarterly": "quarter", "yearly": "year"}


def _band(band: str) -> str:
    return {"soon": "due soon"}.get(band, band)


def _band_state(row: dict[str, Any]) -> str | None:
    return theme.band_state(row.get("band"))


def _late(row: dict[str, Any]) -> str | None:
    return "overdue" if row.get("overdue_days") else None


def _used(row: dict[str, Any]) -> str:
    percent = row.get("percent")
    shown = "" if percent is None else f"{percent:g}%"
    return f"{shown} over" if row.get("over") else shown


def _id(header: str, key: str) -> Column:
    return Column(header, key, justify="right", kind="id", priority=KEEP)


def _day(header: str, key: str, **more: Any) -> Column:
    return Column(header, key, show=day, kind="date", priority=more.pop("priority", KEEP),
                  **more)


def _name(header: str, key: str, priority: int = KEEP, width: int = 12) -> Column:
    return Column(header, key, priority=priority, min_width=width)


# section key → (panel title, columns); sections without an entry are shown as key: value.
LAYOUT: dict[str, tuple[str, list[Column]]] = {
    "mine": ("Mine: my open tasks", [
        _id("ID", "task_id"), _name("TASK", "title"), _name("PROJECT", "project", 2),
        _day("DUE", "due_on", state=_band_state),
        Column("STATE", "band", show=lambda b: _band(b) if b else "", kind="word",
               priority=3, state=_band_state)]),
    "reminders": ("Overdue and due soon", [
        _day("DUE", "due", state=_band_state, row_state=True), _name("WHAT", "title"),
        Column("KIND", "kind", kind="word", priority=2),
        Column("STATE", "band", show=_band, kind="word", priority=KEEP)]),
    "warranties": ("Warranties ending in the next 60 days", [
        _id("ID", "asset_id"), _name("ASSET", "name"), _day("ENDS", "warranty_until"),
        Column("LEFT", "days_left", show=lambda d: f"{d} days", justify="right",
               kind="number", priority=3)]),
    "lent": ("Lent out", [
        _id("ID", "asset_id"), _name("ASSET", "name"), _name("TO", "person", 4, 8),
        _day("SINCE", "since", priority=5), _day("DUE BACK", "due_on", state=_late),
        Column("LATE", "overdue_days", show=lambda d: f"{d} days" if d else "",
               justify="right", kind="number", priority=6, state=_late)]),
    "renewals": ("Renewals in the next 30 days", [
        _day("DATE", "date"), _id("ID", "subscription_id"),
        _name("SUBSCRIPTION", "name"),
        Column("WHAT", "kind", show=lambda k: k.replace("_", " "), kind="word", priority=3),
        Column("AMOUNT", "amount", show=money, justify="right", kind="money",
               priority=KEEP)]),
    "incidents": ("Open incidents (stuffctl incident show ID)", [
        _id("ID", "incident_id"), _name("ASSET", "asset", KEEP, 10),
        _name("SYMPTOM", "symptom", KEEP, 12), _day("SINCE", "since", priority=4),
        Column("STATE", "status", kind="word", priority=3),
        _name("PLAYBOOK OFFERED", "offered", 2, 14)]),
    "replace": ("Worth replacing rather than repairing (stuffctl report assets)", [
        _id("ID", "asset_id"), _name("ASSET", "name", KEEP, 10),
        Column("REPAIRS 12M", "repair_cost_12m", show=money, justify="right", kind="money",
               priority=KEEP),
        Column("NEW", "replacement_price", show=money, justify="right", kind="money",
               priority=KEEP),
        _name("WHY", "reason", 2, 20)]),
    "projects": ("Active projects", [
        _id("ID", "project_id"), _name("PROJECT", "name"),
        Column("DONE", "progress", show=lambda p: f"{p}%", justify="right", kind="number",
               priority=KEEP),
        _day("DUE", "due_on", state=lambda r: r.get("due_state")),
        _name("NEXT", "next_task", 2, 10)]),
    "recent": ("Changed in the last 7 days", [
        _day("WHEN", "at"), _name("WHAT", "what", KEEP, 10),
        Column("ABOUT", "about", kind="id", priority=KEEP), _name("NAME", "name", 3, 10)]),
    "notifications": ("Notifications not delivered (stuffctl remind outbox)", [
        _name("WHO", "person"), _name("CHANNEL", "channel", 3),
        Column("STATE", "state", kind="word", priority=KEEP),
        Column("MESSAGES", "count", justify="right", kind="number", priority=KEEP),
        _name("LAST ERROR", "error", 2)]),
    "gaps": ("Worth completing", [
        Column("COUNT", "count", justify="right", kind="number", priority=KEEP),
        _name("WHAT", "gap", KEEP, 16), _name("HOW", "fix", 2, 16)]),
}


def budget_columns(rows: list[dict[str, Any]]) -> tuple[str, list[Column]]:
    """The budgets section: its title names the currency when there is one, else each
    amount has its own; each budget with its period (a yearly one is not a month's)."""
    cur = one_currency(rows, "budget", "spent")
    show = amount if cur else money
    return (f"Spending this period against budget{f', in {cur}' if cur else ''}", [
        _name("CATEGORY", "category", KEEP, 10),
        Column("SPENT", "spent", show=show, justify="right", kind="money", priority=KEEP),
        Column("BUDGET", "budget", show=show, justify="right", kind="money", priority=KEEP),
        Column("PER", "period", show=lambda p: PER.get(p, p), kind="word", priority=KEEP),
        Column("USED", "used", justify="right", kind="word", priority=KEEP,
               state=budget_state)])


def panel(title: str, body: RenderableType) -> RenderableType:
    if is_terminal():
        return Panel(body, title=title, title_align="left", box=box.ROUNDED)
    return Group(text(f"== {title} =="), body, "")


def _rows(key: str, rows: list[dict[str, Any]], today: date) -> list[dict[str, Any]]:
    """A section's rows with what its columns show beside the JSON."""
    if key == "budgets":
        return [{**r, "used": _used(r)} for r in rows]
    if key == "incidents":
        return [{**r, "offered": _offered(r["playbook"])} for r in rows]
    if key == "projects":
        return [{**r, "next_task": (r["next_task"] or {}).get("title"),
                 "due_state": theme.due_state(r.get("due_on"), today)} for r in rows]
    return rows


def _offered(playbook: dict[str, Any] | None) -> str:
    if playbook is None:
        return ""
    cause = f"{playbook['cause']}: " if playbook.get("cause") else ""
    return f"#{playbook['id']} {cause}{playbook['fix']}"


def status_view(data: dict[str, Any]) -> RenderableType:
    if data["empty"]:
        return text(data["hint"])
    today = date.fromisoformat(data["as_of"])
    parts: list[RenderableType] = []
    me = data.get("me")
    for key, rows in data["sections"].items():
        if not rows:
            continue
        if key == "budgets":
            title, columns = budget_columns(rows)
        else:
            title, columns = LAYOUT.get(key, (key, [Column(k.upper(), k) for k in rows[0]]))
        if me is not None:  # a household: what is mine, then what is ours
            title = (f"Mine ({me['name']}): my open tasks" if key == "mine"
                     else f"Ours: {title[0].lower()}{title[1:]}")
        parts.append(panel(title, Split(_rows(key, rows, today), columns)))
    if not parts:
        parts.append(text("All clear: nothing needs you today."))
    score = data.get("completeness")
    if score and score["checked"]:  # one line; `report gaps` has the rest
        from stuffctl.render.gaps import score_line

        parts.append(text(f"{score_line(score)}: stuffctl report gaps"))
    return Group(*parts)
