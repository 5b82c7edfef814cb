"""Tables (and CSV rows) of `stuffctl report spend|assets|projects|cashflow`."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from stuffctl.render import Column, day, group, plain, table, text

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


def spend_view(data: dict[str, Any]) -> RenderableType:
    title = f"Spending by {data['by']} per {data['per']}"
    return table(spend_rows(data), spend_columns(data, bar=True), title=title)


CASHFLOW_COLUMNS = [
    Column("PERIOD", "period"), Column("CUR", "currency"),
    Column("IN", "in", show=_amount, justify="right", csv=_amount),
    Column("OUT", "out", show=_amount, justify="right", csv=_amount),
    Column("NET", "net", show=_amount, justify="right", csv=_amount),
]

BUDGET_COLUMNS = [
    Column("ID", "project_id", justify="right"), Column("PROJECT", "name"),
    Column("STATUS", "status"), Column("BUDGET", "budget", justify="right"),
    Column("SPENT", "spent", justify="right"), Column("LEFT", "left", justify="right"),
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
                  Column("VALUE", "value", justify="right")]
OWNERSHIP_COLUMNS = [
    Column("ID", "asset_id", justify="right"), Column("ASSET", "name"),
    Column("YEARS", "years_owned", justify="right"), Column("COST", "cost", justify="right"),
    Column("PER YEAR", "per_year", justify="right")]
REPLACEMENT_COLUMNS = [
    Column("ID", "asset_id", justify="right"), Column("ASSET", "name"),
    Column("REPLACE ON", "replace_on", show=day), Column("MONTHS", "months_left", justify="right"),
    Column("PRICE", "price", justify="right"),
    Column("SET ASIDE/MONTH", "monthly", justify="right")]


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
        parts.append(table(data["replacement"], REPLACEMENT_COLUMNS,
                           title="Replacement planning"))
    return group(*parts)
