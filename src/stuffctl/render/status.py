"""The `stuffctl status` screen: one panel per non-empty section."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel

from stuffctl.render import Column, is_terminal, table, text

# section key → (panel title, columns); sections without an entry are shown as key: value.
LAYOUT: dict[str, tuple[str, list[Column]]] = {
    "warranties": ("Warranties ending in the next 60 days", [
        Column("ID", "asset_id", justify="right"), Column("ASSET", "name"),
        Column("ENDS", "warranty_until"),
        Column("LEFT", "days_left", show=lambda d: f"{d} days", justify="right")]),
    "recent": ("Changed in the last 7 days", [
        Column("WHEN", "at", show=lambda v: (v or "")[:16].replace("T", " ")),
        Column("WHAT", "what"), Column("ID", "asset_id", justify="right"),
        Column("NAME", "name")]),
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
    for key, rows in data["sections"].items():
        if not rows:
            continue
        title, columns = LAYOUT.get(key, (key, [Column(k.upper(), k) for k in rows[0]]))
        parts.append(panel(title, table(rows, columns)))
    if not parts:
        parts.append(text("All clear: nothing needs you today."))
    return Group(*parts)
