"""The `stuffctl bench` screen: a row per metric, a sparkline, better/worse by arrow and colour."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from stuffctl.render import Column, is_terminal, table, text

BLOCKS = "▁▂▃▄▅▆▇█"
VERDICT_STYLE = {"better": "green", "worse": "red", "same": "", None: ""}


def sparkline(values: list[float | None]) -> str:
    """One block per value, scaled between the smallest and largest; a gap for None."""
    known = [v for v in values if v is not None]
    if not known:
        return " " * len(values)
    lo, hi = min(known), max(known)
    span = hi - lo
    top = len(BLOCKS) - 1
    return "".join(" " if v is None else BLOCKS[round((v - lo) / span * top) if span else 0]
                   for v in values)


def number(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "share":
        return f"{value * 100:.0f}%"
    if unit == "money":
        return f"{value:,.2f}"
    if unit == "days":
        return f"{value:.1f} d"
    return f"{value:g}"


def arrow(row: dict[str, Any]) -> str:
    """``↑ better``: the arrow is the value's move against the basis, the word its meaning."""
    now, ref, word = row["now"], row["vs"]["value"], row["verdict"]
    if word is None:
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


GOAL_COLUMNS = [
    Column("METRIC", "metric"), Column("GOAL", "op", show=lambda v: v or ""),
    Column("TARGET", "target", justify="right"),
    Column("NOW", "now", show=lambda v: "–" if v is None else f"{v:g}", justify="right"),
    Column("MET", "met", show=lambda v: "–" if v is None else ("✓ met" if v else "✗ not met")),
    Column("DISTANCE", "distance", show=lambda v: "–" if v is None else f"{v:g}",
           justify="right"),
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
    Column("NOW", "now", show=lambda v: f"{v:g}", justify="right"),
    Column("RANK", "rank", justify="right"), Column("OF", "of", justify="right"),
    Column("PCTL", "percentile", show=lambda v: f"{v:g}", justify="right"),
    Column("PEER MEDIAN", "peer_median", show=lambda v: f"{v:g}", justify="right"),
    Column("DIRECTION", "direction",
           show=lambda v: "higher is better" if v == "higher_is_better" else "lower is better"),
]
