"""The `stuffctl bench` screen: a row per metric, a sparkline, better/worse by arrow and colour."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from stuffctl.render import Column, is_terminal, table, text

BLOCKS = "▁▂▃▄▅▆▇█"
VERDICT_STYLE = {"better": "green", "worse": "red", "same": "", None: ""}


def _float(value: float | str | None) -> float | None:
    """A metric's value as a number: money comes as a decimal string (docs/json.md#bench)."""
    return None if value is None else float(value)


def sparkline(values: list[float | str | None]) -> str:
    """One block per value, scaled between the smallest and largest; a gap for None."""
    nums = [_float(v) for v in values]
    known = [v for v in nums if v is not None]
    if not known:
        return " " * len(values)
    lo, hi = min(known), max(known)
    span = hi - lo
    top = len(BLOCKS) - 1
    return "".join(" " if v is None else BLOCKS[round((v - lo) / span * top) if span else 0]
                   for v in nums)


def number(value: float | str | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "money":  # a decimal string with the currency's digits
        return f"{Decimal(value):,f}"
    value = float(value)
    if unit == "share":
        return f"{value * 100:.0f}%"
    if unit == "days":
        return f"{value:.1f} d"
    return f"{value:g}"


def arrow(row: dict[str, Any]) -> str:
    """``↑ better``: the arrow is the value's move against the basis, the word its meaning."""
    now, ref, word = _float(row["now"]), _float(row["vs"]["value"]), row["verdict"]
    if word is None or now is None or ref is None:
        return "–"
    sign = "→" if now == ref else ("↑" if now > ref else "↓")
    return f"{sign} {word}"


def _unit(row: dict[str, Any], currency: str) -> str:
    return currency if row["unit"] == "money" else row["unit"]


def metric_table(data: dict[str, Any]) -> RenderableType:
    from rich import box
    from rich.table import Table

    tty = is_terminal()
    tbl = Table(box=box.SIMPLE_HEAD if tty else None, show_edge=False, pad_edge=False,
                header_style="bold" if tty else "")
    for header, justify in (("METRIC", "left"), ("UNIT", "left"), ("NOW", "right"),
                            ("MEDIAN", "right"), ("BEST", "right"), ("PCTL", "right"),
                            ("TREND", "left"), (f"VS {data['vs'].upper()}", "left")):
        tbl.add_column(header, justify=justify)  # type: ignore[arg-type]
    for row in data["metrics"]:
        unit = row["unit"]
        tbl.add_row(text(row["metric"]), text(_unit(row, data["currency"])),
                    number(row["now"], unit), number(row["median"], unit),
                    number(row["best"], unit),
                    "–" if row["percentile"] is None else f"{row['percentile']:g}",
                    sparkline(row["history"]),
                    Text(arrow(row), style=VERDICT_STYLE[row["verdict"]]))
    return tbl


def _value(value: float | str | None) -> str:
    """A goal's or peer's number: money is already a decimal string."""
    if value is None:
        return "–"
    return value if isinstance(value, str) else f"{value:g}"


GOAL_COLUMNS = [
    Column("METRIC", "metric"), Column("GOAL", "op", show=lambda v: v or ""),
    Column("TARGET", "target", justify="right"),
    Column("NOW", "now", show=_value, justify="right"),
    Column("MET", "met", show=lambda v: "–" if v is None else ("✓ met" if v else "✗ not met")),
    Column("DISTANCE", "distance", show=_value, justify="right"),
]


def bench_view(data: dict[str, Any]) -> RenderableType:
    title = (f"Bench: {data['period']} {data['as_of']} vs your {data['vs']} of the "
             f"previous {len(data['periods']) - 1}; money in {data['currency']}")
    parts: list[RenderableType] = [Text(title, style="bold" if is_terminal() else ""),
                                   metric_table(data)]
    if data["goals"]:
        parts += [Text(""), Text("Goals", style="bold" if is_terminal() else ""),
                  table(data["goals"], GOAL_COLUMNS)]
    return Group(*parts)


COMPARE_COLUMNS = [
    Column("METRIC", "metric"), Column("UNIT", "unit"),
    Column("NOW", "now", show=_value, justify="right"),
    Column("RANK", "rank", justify="right"), Column("OF", "of", justify="right"),
    Column("PCTL", "percentile", show=lambda v: f"{v:g}", justify="right"),
    Column("PEER MEDIAN", "peer_median", show=_value, justify="right"),
    Column("DIRECTION", "direction",
           show=lambda v: "higher is better" if v == "higher_is_better" else "lower is better"),
]
