"""The `stuffctl status` screen: one panel per non-empty section."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel

from stuffctl.render import Column, day, is_terminal, table, text


def _money(m: dict[str, str] | None) -> str:
    return f"{m['amount']} {m['currency']}" if m else ""


def _band(band: str) -> str:
    return {"soon": "due soon"}.get(band, band)


# section key → (panel title, columns); sections without an entry are shown as key: value.
LAYOUT: dict[str, tuple[str, list[Column]]] = {
    "mine": ("Mine: my open tasks", [
        Column("ID", "task_id", justify="right"), Column("TASK", "title"),
        Column("PROJECT", "project"), Column("DUE", "due_on", show=day),
        Column("STATE", "band", show=lambda b: _band(b) if b else "")]),
    "reminders": ("Overdue and due soon", [
        Column("DUE", "due", show=day),
        Column("WHAT", "title"), Column("KIND", "kind"),
        Column("STATE", "band", show=_band)]),
    "warranties": ("Warranties ending in the next 60 days", [
        Column("ID", "asset_id", justify="right"), Column("ASSET", "name"),
        Column("ENDS", "warranty_until", show=day),
        Column("LEFT", "days_left", show=lambda d: f"{d} days", justify="right")]),
    "lent": ("Lent out", [
        Column("ID", "asset_id", justify="right"), Column("ASSET", "name"),
        Column("TO", "person"), Column("SINCE", "since", show=day),
        Column("DUE BACK", "due_on", show=day),
        Column("LATE", "overdue_days", show=lambda d: f"{d} days" if d else "",
               justify="right")]),
    "budgets": ("Spending this period against budget", [
        Column("CATEGORY", "category"), Column("SPENT", "spent", show=_money, justify="right"),
        Column("BUDGET", "budget", show=_money, justify="right"),
        Column("USED", "percent", show=lambda p: "" if p is None else f"{p:g}%",
               justify="right"),
        Column("", "over", show=lambda o: "over" if o else "")]),
    "renewals": ("Renewals in the next 30 days", [
        Column("DATE", "date", show=day), Column("SUBSCRIPTION", "name"),
        Column("WHAT", "kind", show=lambda k: k.replace("_", " ")),
        Column("AMOUNT", "amount", show=_money, justify="right")]),
    "projects": ("Active projects", [
        Column("ID", "project_id", justify="right"), Column("PROJECT", "name"),
        Column("DONE", "progress", show=lambda p: f"{p}%", justify="right"),
        Column("DUE", "due_on", show=day),
        Column("NEXT", "next_task", show=lambda t: t["title"] if t else "")]),
    "recent": ("Changed in the last 7 days", [
        Column("WHEN", "at", show=day),
        Column("WHAT", "what"), Column("ABOUT", "about"), Column("NAME", "name")]),
    "notifications": ("Notifications not delivered (stuffctl remind outbox)", [
        Column("WHO", "person"), Column("CHANNEL", "channel"), Column("STATE", "state"),
        Column("MESSAGES", "count", justify="right"), Column("LAST ERROR", "error")]),
    "gaps": ("Worth completing", [
        Column("COUNT", "count", justify="right"), Column("WHAT", "gap"),
        Column("HOW", "fix")]),
}


def panel(title: str, body: RenderableType) -> RenderableType:
    if is_terminal():
        return Panel(body, title=title, title_align="left", box=box.ROUNDED)
    return Group(text(f"== {title} =="), body, "")


def status_view(data: dict[str, Any]) -> RenderableType:
    if data["empty"]:
        return text(data["hint"])
    parts: list[RenderableType] = []
    me = data.get("me")
    for key, rows in data["sections"].items():
        if not rows:
            continue
        title, columns = LAYOUT.get(key, (key, [Column(k.upper(), k) for k in rows[0]]))
        if me is not None:  # a household: what is mine, then what is ours
            title = (f"Mine ({me['name']}): my open tasks" if key == "mine"
                     else f"Ours: {title[0].lower()}{title[1:]}")
        parts.append(panel(title, table(rows, columns)))
    if not parts:
        parts.append(text("All clear: nothing needs you today."))
    return Group(*parts)
