"""Human view of `budget status`: fits any width without cutting an amount
(``render.screen.Split``); a budget over its limit in the theme's over-budget colour."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from stuffctl.render import KEEP, Column, day, group, plain, text, theme
from stuffctl.render.screen import Split, amount, budget_state, money, one_currency

if TYPE_CHECKING:
    from rich.console import RenderableType


def _percent(value: Any) -> str:
    return "" if value is None else f"{value:.1f}%"


def budget_columns(currency: str | None) -> list[Column]:
    """The amounts without their currency when the title names the one there is."""
    show = amount if currency else money
    return [
        Column("CATEGORY", "label", priority=KEEP, min_width=10),
        Column("PERIOD", "period", kind="word", priority=3),
        Column("FROM", "start", show=day, kind="date", priority=2),
        Column("BUDGET", "budget", show=show, justify="right", kind="money", priority=KEEP),
        Column("SPENT", "spent", show=show, justify="right", kind="money", priority=KEEP),
        Column("LEFT", "left", show=show, justify="right", kind="money", priority=4),
        Column("USED", "percent", show=_percent, justify="right", kind="number",
               priority=KEEP, state=budget_state),
    ]


def budget_status_view(data: dict[str, Any]) -> RenderableType:
    rows = [{**r, "label": "  " * r["depth"] + plain(r["category"])} for r in data["budgets"]]
    last = date.fromisoformat(data["end"]) - timedelta(days=1)
    cur = one_currency(rows, "budget")
    title = f"Budgets {day(data['start'])} to {day(last)}" + (f", in {cur}" if cur else "")
    return group(text(title, style=theme.style("title")),
                 Split(rows, budget_columns(cur)))
