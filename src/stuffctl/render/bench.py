"""The `stuffctl bench` screen: a row per metric, a sparkline, better/worse by arrow and colour."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from stuffctl.render import KEEP, Column, day, theme
from stuffctl.render.screen import Split, grouped

BLOCKS = "▁▂▃▄▅▆▇█"


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
        return grouped(str(value))
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


def _verdict(row: dict[str, Any]) -> str | None:
    """Worse or better than usual, as the theme colours it."""
    return row["verdict"] if row["verdict"] in ("worse", "better") else None


def metric_columns(vs: str) -> list[Column]:
    """The metric table's columns: on a narrow screen NOW, the verdict and MEDIAN stay
    beside the metric, BEST, PCTL, the trend and the unit continue below."""
    return [
        Column("METRIC", "metric", kind="id", priority=KEEP),  # typed in `bench goal set`
        Column("UNIT", "unit", kind="word", priority=1),
        Column("NOW", "now", justify="right", kind="number", priority=KEEP),
        Column("MEDIAN", "median", justify="right", kind="number", priority=6),
        Column("BEST", "best", justify="right", kind="number", priority=4),
        Column("PCTL", "percentile", justify="right", kind="number", priority=3),
        Column("TREND", "trend", kind="word", priority=2),
        Column(f"VS {vs.upper()}", "arrow", kind="word", priority=KEEP, state=_verdict),
    ]


def metric_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Each metric's row as the screen shows it."""
    return [{"metric": row["metric"], "unit": _unit(row, data["currency"]),
             "now": number(row["now"], row["unit"]),
             "median": number(row["median"], row["unit"]),
             "best": number(row["best"], row["unit"]),
             "percentile": "–" if row["percentile"] is None else f"{row['percentile']:g}",
             "trend": sparkline(row["history"]), "arrow": arrow(row),
             "verdict": row["verdict"]} for row in data["metrics"]]


def metric_table(data: dict[str, Any]) -> RenderableType:
    return Split(metric_rows(data), metric_columns(data["vs"]))


def _value(value: float | str | None) -> str:
    """A goal's or peer's number: money is already a decimal string."""
    if value is None:
        return "–"
    return grouped(value) if isinstance(value, str) else f"{value:g}"


def _met(row: dict[str, Any]) -> str | None:
    return {True: "better", False: "worse"}.get(row["met"])


GOAL_COLUMNS = [
    Column("METRIC", "metric", kind="id", priority=KEEP),
    Column("GOAL", "op", show=lambda v: v or "", kind="word", priority=KEEP),
    Column("TARGET", "target", show=_value, justify="right", kind="number", priority=KEEP),
    Column("NOW", "now", show=_value, justify="right", kind="number", priority=KEEP),
    Column("MET", "met", show=lambda v: "–" if v is None else ("✓ met" if v else "✗ not met"),
           kind="word", priority=5, state=_met),
    Column("DISTANCE", "distance", show=_value, justify="right", kind="number", priority=4),
]


def bench_view(data: dict[str, Any]) -> RenderableType:
    previous = len(data["periods"]) - 1
    title = (f"Bench: {data['period']} {data['as_of']} (to {day(data['ends'])}) vs your "
             f"{data['vs']} of the previous {previous}; money in {data['currency']}")
    parts: list[RenderableType] = [Text(title, style=theme.style("title")),
                                   metric_table(data)]
    if data["goals"]:
        parts += [Text(""), Text("Goals", style=theme.style("title")),
                  Split(data["goals"], GOAL_COLUMNS)]
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
