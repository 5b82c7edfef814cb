"""Human view of `budget status`."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from stuffctl.render import Column, day, plain, table

if TYPE_CHECKING:
    from rich.console import RenderableType


def _percent(value: Any) -> str:
    return "" if value is None else f"{value:.1f}%"


BUDGET_COLUMNS = [
    Column("CATEGORY", "label"),
    Column("PERIOD", "period"),
    Column("BUDGET", "budget", justify="right"),
    Column("SPENT", "spent", justify="right"),
    Column("LEFT", "left", justify="right"),
    Column("USED", "percent", show=_percent, justify="right"),
]


def budget_status_view(data: dict[str, Any]) -> RenderableType:
    rows = [{**r, "label": "  " * r["depth"] + plain(r["category"])} for r in data["budgets"]]
    last = date.fromisoformat(data["end"]) - timedelta(days=1)
    title = f"Budgets {day(data['start'])} to {day(last)}"
    return table(rows, BUDGET_COLUMNS, title=title)
