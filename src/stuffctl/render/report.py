"""Tables (and CSV rows) of `stuffctl report spend|assets|projects|cashflow`.

The spend report fits any width without splitting a number: the most recent period,
TOTAL and CHANGE stay in the first table; the columns that do not fit beside them
(older periods first, then the budget columns) continue in tables below
(``render.screen.Split``). Piped, it is one line per group. A last period that is not
over yet is marked ``*`` and named under the table (docs/reports.md).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from stuffctl.render import KEEP, Column, day, group, plain, table, text, theme
from stuffctl.render.screen import Split, amount, grouped, money, one_currency

if TYPE_CHECKING:
    from rich.console import RenderableType

BAR_WIDTH = 16


def _amount(m: dict[str, str] | None) -> str:
    return "" if m is None else m["amount"]


def _pct(p: float | None) -> str:
    return "" if p is None else f"{p:+.1f}%"


def _flat_row(row: dict[str, Any], keys: list[str], name: str) -> dict[str, Any]:
    flat = {"name": name, "currency": row["currency"]}
    flat.update({k: _amount(m) for k, m in zip(keys, row["amounts"], strict=True)})
    change, vs = row.get("change"), row.get("vs_budget")
    flat.update({"total": _amount(row["total"]),
                 "change": _amount(change["amount"]) if change else "",
                 "change_pct": _pct(change["percent"]) if change else "",
                 "budget": _amount(row.get("budget")),
                 "vs_budget": _amount(vs["amount"]) if vs else "",
                 "vs_budget_pct": _pct(vs["percent"]) if vs else ""})
    return flat


def spend_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The spend report as flat rows (one per group, then a TOTAL row per currency)."""
    keys = data["periods"]
    rows = [_flat_row(r, keys, plain(r["name"])) for r in data["rows"]]
    rows += [_flat_row(t, keys, "TOTAL") for t in data["totals"]]
    top: dict[str, Decimal] = {}
    for r in rows[: len(data["rows"])]:
        top[r["currency"]] = max(top.get(r["currency"], Decimal(0)), Decimal(r["total"]))
    for r in rows:
        most = top.get(r["currency"]) or Decimal(1)
        share = Decimal(r["total"]) / most if r["name"] != "TOTAL" else Decimal(0)
        r["bar"] = "█" * int(share * BAR_WIDTH)
    return rows


def spend_columns(data: dict[str, Any], *, bar: bool) -> list[Column]:
    """The CSV columns of the spend report (its headers are these keys)."""
    cols = [Column(data["by"].upper(), "name"), Column("CUR", "currency")]
    cols += [Column(k, k, justify="right") for k in data["periods"]]
    cols += [Column("TOTAL", "total", justify="right"),
             Column("CHANGE", "change", justify="right"),
             Column("%", "change_pct", justify="right")]
    if data["by"] == "category":
        cols += [Column("BUDGET", "budget", justify="right"),
                 Column("VS BUDGET", "vs_budget", justify="right"),
                 Column("%B", "vs_budget_pct", justify="right")]
    return cols + ([Column("", "bar")] if bar else [])


def _over_budget(row: dict[str, Any]) -> str | None:
    return "over_budget" if row.get("vs_budget_pct", "").startswith("+") else None


def _money_column(header: str, key: str, priority: int, **more: Any) -> Column:
    return Column(header, key, show=grouped, justify="right", kind="money",
                  priority=priority, **more)


def spend_table_columns(data: dict[str, Any], *, currency: bool) -> list[Column]:
    """The screen's columns, valued for a narrow screen: the name, the currency and the
    last period are kept; then TOTAL, CHANGE, the period before, the budget columns, and
    the older periods (the oldest given up first, the bar before everything)."""
    keys = data["periods"]
    last = len(keys) - 1
    cols = [Column(data["by"].upper(), "name", priority=KEEP, min_width=12)]
    if currency:
        cols.append(Column("CUR", "currency", kind="word", priority=KEEP))
    for i, key in enumerate(keys):
        head = key + ("*" if i == last and data.get("partial") else "")
        cols.append(_money_column(head, key, KEEP if i == last else 4 if i == last - 1
                                  else i - last))
    cols += [_money_column("TOTAL", "total", 6), _money_column("CHANGE", "change", 5),
             Column("%", "change_pct", justify="right", kind="number", priority=5)]
    if data["by"] == "category":
        cols += [_money_column("BUDGET", "budget", 3),
                 _money_column("VS BUDGET", "vs_budget", 3, state=_over_budget),
                 Column("%B", "vs_budget_pct", justify="right", kind="number", priority=3,
                        state=_over_budget)]
    return [*cols, Column("", "bar", kind="word", priority=-1000)]


def _partial_note(data: dict[str, Any]) -> str:
    """What the ``*`` of a last period not over yet means."""
    last, to = data["periods"][-1], day(_day_before(data["to"]))
    if len(data["periods"]) < 2:
        return f"* {last} to {to}: the period is not over"
    return (f"* {last} to {to}: not over yet; its CHANGE is against the same number of "
            f"days of {data['periods'][-2]}")


def _day_before(iso_day: str) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(iso_day) - timedelta(days=1)).isoformat()


def spend_view(data: dict[str, Any]) -> RenderableType:
    cur = one_currency(data["rows"], "total")
    title = (f"Spending by {data['by']} per {data['per']}, {day(data['from'])} to "
             f"{day(_day_before(data['to']))}" + (f", in {cur}" if cur else ""))
    parts: list[RenderableType] = [
        text(title, style=theme.style("title")),
        Split(spend_rows(data), spend_table_columns(data, currency=cur is None),
              keys=1 if cur else 2, optional=("bar",),
              together=(("change", "change_pct"), ("budget", "vs_budget", "vs_budget_pct")))]
    if data.get("partial"):
        parts.append(text(_partial_note(data)))
    return group(*parts)


def _period(row: dict[str, Any]) -> str:
    return str(row["period"]) + ("*" if row.get("partial") else "")


def cashflow_view(rows: list[dict[str, Any]], *, to: str) -> RenderableType:
    """Money in, out and net per period; a period not over yet is marked ``*``."""
    cur = one_currency(rows, "in")
    cols = [Column("PERIOD", "shown", kind="word", priority=KEEP)]
    if cur is None:
        cols.append(Column("CUR", "currency", kind="word", priority=KEEP))
    cols += [Column(head, key, show=amount, justify="right", kind="money", priority=KEEP)
             for head, key in (("IN", "in"), ("OUT", "out"), ("NET", "net"))]
    shown = [{**r, "shown": _period(r)} for r in rows]
    parts: list[RenderableType] = [
        text("Money in and out per period" + (f", in {cur}" if cur else ""),
             style=theme.style("title")),
        Split(shown, cols, keys=len(cols))]
    partial = next((r["period"] for r in rows if r.get("partial")), None)
    if partial:
        parts.append(text(f"* {partial} to {day(to)}: not over yet"))
    return group(*parts)


CASHFLOW_COLUMNS = [
    Column("PERIOD", "period"), Column("CUR", "currency"),
    Column("IN", "in", show=_amount, justify="right", csv=_amount),
    Column("OUT", "out", show=_amount, justify="right", csv=_amount),
    Column("NET", "net", show=_amount, justify="right", csv=_amount),
    Column("PARTIAL", "partial"),
]

BUDGET_COLUMNS = [
    Column("ID", "project_id", justify="right"), Column("PROJECT", "name"),
    Column("STATUS", "status"), Column("BUDGET", "budget", show=money, justify="right"),
    Column("SPENT", "spent", show=money, justify="right"),
    Column("LEFT", "left", show=money, justify="right"),
    Column("USED", "percent", show=lambda p: "" if p is None else f"{p:g}%", justify="right"),
]


def projects_view(data: dict[str, Any]) -> RenderableType:
    counts = ", ".join(f"{k} {v}" for k, v in data["status_counts"].items()) or "none"
    on_time = data["on_time"]
    rate = "n/a" if on_time["rate"] is None else f"{on_time['rate']:g}%"
    parts: list[RenderableType] = [
        text(f"Projects: {counts}"),
        text(f"On time: {on_time['on_time']} of {on_time['done_with_due']} done with a due "
             f"date ({rate})"), ""]
    if data["budgets"]:
        parts.append(table(data["budgets"], BUDGET_COLUMNS, title="Budget use"))
    return group(*parts)


BOUGHT_COLUMNS = [Column("NAME", "name", show=lambda v: "(none)" if v is None else plain(v)),
                  Column("COUNT", "count", justify="right"),
                  Column("VALUE", "value", show=money, justify="right")]
OWNERSHIP_COLUMNS = [
    Column("ID", "asset_id", justify="right"), Column("ASSET", "name"),
    Column("YEARS", "years_owned", justify="right"),
    Column("COST", "cost", show=money, justify="right"),
    Column("PER YEAR", "per_year", show=money, justify="right")]
REPLACEMENT_COLUMNS = [
    Column("ID", "asset_id", justify="right"), Column("ASSET", "name"),
    Column("REPLACE ON", "replace_on", show=day), Column("MONTHS", "months_left", justify="right"),
    Column("PRICE", "price", show=money, justify="right"),
    Column("SET ASIDE/MONTH", "monthly", show=money, justify="right")]


def assets_view(data: dict[str, Any]) -> RenderableType:
    w = data["warranty"]
    share = "n/a" if w["percent"] is None else f"{w['percent']:g}%"
    parts: list[RenderableType] = [
        table(data["by_category"], BOUGHT_COLUMNS, title="Bought, by category"), "",
        table(data["by_location"], BOUGHT_COLUMNS, title="Bought, by location"), "",
        text(f"Warranty coverage: {w['covered']} of {w['assets']} assets in use ({share})"), ""]
    if data["ownership"]:
        parts += [table(data["ownership"], OWNERSHIP_COLUMNS, title="Cost of ownership"), ""]
    if data["replacement"]:
        parts += [table(data["replacement"], REPLACEMENT_COLUMNS,
                        title="Replacement planning"), ""]
    if data.get("advice"):
        parts += [text("Repair or replace", style=theme.style("title")),
                  Split(advice_rows(data["advice"]), ADVICE_COLUMNS, keys=2), ""]
    if data.get("failures_by_model"):
        parts += [text("Failures by brand and model", style=theme.style("title")),
                  Split(data["failures_by_model"], MODEL_COLUMNS, keys=2)]
    return group(*(parts[:-1] if parts[-1] == "" else parts))


# -- repair or replace (`report assets`, `asset show`) -------------------------------------

MET = {True: "●", False: "○"}  # a reason that is met, one that is not


def _days(value: float | None) -> str:
    return "" if value is None else f"{value:g} days"


def _cost(header: str, key: str, priority: int) -> Column:
    return Column(header, key, show=money, justify="right", kind="money", priority=priority)


def _share(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.4g}%"


# What each reason says in a word or two when it is met (the WHY column).
SHORT = {"repair_cost": lambda r: f"repairs {_share(r['value'])} of new",
         "age": lambda r: f"{_share(r['value'])} of its life",
         "incident_rate": lambda r: f"{r['value']:g} incidents a year",
         "open_incidents": lambda r: f"{r['value']} open"}


def why(advice: dict[str, Any]) -> str:
    """The reasons met, in short (``repairs 54% of new, 2 open``)."""
    return ", ".join(SHORT[r["reason"]](r) for r in advice["reasons"] if r["met"])


def advice_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**r, "why": why(r)} for r in rows]


ADVICE_COLUMNS = [
    Column("ID", "asset_id", justify="right", kind="id", priority=KEEP),
    Column("ASSET", "name", priority=KEEP, min_width=10),
    Column("ADVICE", "recommendation", kind="word", priority=KEEP),
    Column("FAILURES", "incidents", justify="right", kind="number", priority=6),
    Column("OPEN", "open_incidents", justify="right", kind="number", priority=5),
    Column("MTBF", "mtbf_days", show=_days, justify="right", kind="number", priority=2),
    _cost("REPAIRS", "repair_cost", 4),
    _cost("LAST 12M", "repair_cost_12m", 4),
    _cost("NEW", "replacement_price", 3),
    Column("WHY", "why", priority=1, min_width=12),
]
MODEL_COLUMNS = [
    Column("BRAND", "brand", priority=KEEP, min_width=8),
    Column("MODEL", "model", priority=KEEP, min_width=8),
    Column("ASSETS", "assets", justify="right", kind="number", priority=KEEP),
    Column("FAILED", "failed", justify="right", kind="number", priority=5),
    Column("FAILURES", "incidents", justify="right", kind="number", priority=KEEP),
    Column("PER ASSET", "per_asset", justify="right", kind="number", priority=4),
    Column("MTBF", "mtbf_days", show=_days, justify="right", kind="number", priority=3),
]
ASSET_ADVICE_COLUMNS = [
    Column("ADVICE", "recommendation", kind="word", priority=KEEP),
    Column("FAILURES", "incidents", justify="right", kind="number", priority=KEEP),
    Column("OPEN", "open_incidents", justify="right", kind="number", priority=KEEP),
    Column("FIRST", "first_incident_on", show=day, kind="date", priority=3),
    Column("LAST", "last_incident_on", show=day, kind="date", priority=3),
    Column("MTBF", "mtbf_days", show=_days, justify="right", kind="number", priority=2),
    _cost("REPAIRS", "repair_cost", 4),
    _cost("LAST 12M", "repair_cost_12m", 4),
    _cost("NEW", "replacement_price", 4),
]


def advice_parts(advice: dict[str, Any] | None) -> list[RenderableType]:
    """`asset show`'s repair-or-replace block: the figures, then each reason on a line
    of its own, ``●`` when it is met (none, for an asset without incidents or repair
    costs)."""
    if advice is None:
        return []
    head = text("Repair or replace", style="bold underline")
    reasons = [text(f"{MET[r['met']]} {r['text']}") for r in advice["reasons"]]
    return ["", head, Split([advice], ASSET_ADVICE_COLUMNS, keys=1), "",
            text("Why (● met, ○ not)", style="bold underline"), *reasons]
