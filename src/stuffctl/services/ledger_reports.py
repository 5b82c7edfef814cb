"""`stuffctl report spend|cashflow`: aggregates over the ledger, in plain SQL
(``services.sql``; the commands run without SQLAlchemy).

Every report is one ``GROUP BY`` query: the period of a transaction is computed
in SQL from its ISO date (``substr``), never by looping over rows in Python.
Amounts stay per currency: no sum ever mixes two. See docs/reports.md for the
columns and formulas.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from stuffctl.dates import add_months, period_bounds
from stuffctl.errors import InvalidInput
from stuffctl.money import money_json
from stuffctl.services.sql import dbapi, iso

PERIODS = ("month", "quarter", "year")
DIMENSIONS = ("category", "payee", "account", "asset", "project")
STEP = {"month": 1, "quarter": 3, "year": 12}
BUDGET_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}


def period_key(per: str) -> str:
    """SQL for the period a transaction ``t`` falls in: ``2026-11``, ``2026-Q4`` or ``2026``."""
    if per == "month":
        return "substr(t.occurred_on, 1, 7)"
    if per == "year":
        return "substr(t.occurred_on, 1, 4)"
    return ("printf('%s-Q%d', substr(t.occurred_on, 1, 4),"
            " (CAST(substr(t.occurred_on, 6, 2) AS INTEGER) + 2) / 3)")


def key_of(day: date, per: str) -> str:
    """The Python twin of :func:`period_key` for one date."""
    if per == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if per == "year":
        return f"{day.year:04d}"
    return f"{day.year:04d}-Q{(day.month + 2) // 3}"


def periods(to: date, per: str, n: int) -> list[tuple[str, date, date]]:
    """The ``n`` calendar periods ending with the one holding ``to``, oldest first."""
    if per not in PERIODS:
        raise InvalidInput(f"--per: expected one of {', '.join(PERIODS)} (got {per!r})")
    if not 1 <= n <= 120:
        raise InvalidInput(f"--periods: expected 1 to 120 (got {n})")
    start, _ = period_bounds(to, per)  # type: ignore[arg-type]
    found = []
    for back in range(n - 1, -1, -1):
        lo = add_months(start, -back * STEP[per])
        found.append((key_of(lo, per), lo, add_months(lo, STEP[per])))
    return found


def _dimension(by: str) -> tuple[str, str, str]:
    """(key, label, join) of a spend dimension, as SQL over the transaction ``t``."""
    if by not in DIMENSIONS:
        raise InvalidInput(f"--by: expected one of {', '.join(DIMENSIONS)} (got {by!r})")
    if by in ("asset", "project"):
        return (f"t.{by}_id", "max(d.name)",
                f"LEFT OUTER JOIN {by} AS d ON d.id = t.{by}_id")
    return f"t.{by}", f"max(t.{by})", ""


def pct(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def _delta(now: int, before: int | None, currency: str) -> dict[str, Any] | None:
    if before is None:
        return None
    return {"amount": money_json(now - before, currency), "percent": pct(now - before, before)}


def spend_query(by: str, per: str) -> str:
    """The spend aggregate over [?, ?): answered from the covering index ix_txn_spend
    (tests/test_query_plans.py), joined to the asset or project for their names."""
    key, label, join = _dimension(by)
    return (f"SELECT {period_key(per)} AS period, {key}, {label}, t.currency,"
            f" sum(t.amount_minor) FROM txn AS t {join}"
            " WHERE t.occurred_on >= ? AND t.occurred_on < ? AND t.amount_minor < 0"
            f" GROUP BY period, {key}, t.currency")


def spend(*, db: Any, by: str = "category", per: str = "month", n: int = 6,
          to: date) -> dict[str, Any]:
    """Spending (money out) per ``by`` and period, per currency.

    One aggregate grouped by period key, dimension and currency; money in
    (income, refunds) is left out (it is in the cashflow report).
    """
    spans = periods(to, per, n)
    conn = dbapi(db)
    rows = conn.execute(spend_query(by, per),
                        (spans[0][1].isoformat(), spans[-1][2].isoformat()))
    cells: dict[tuple[Any, str], dict[str, int]] = defaultdict(dict)
    names: dict[tuple[Any, str], Any] = {}
    for period, ident, name, currency, total in rows:
        cells[ident, currency][period] = -int(total)
        names[ident, currency] = name
    budgets = _budgets(conn, per) if by == "category" else {}
    keys = [k for k, _, _ in spans]
    found = [_spend_row(ident, names[ident, cur], cur, cells[ident, cur], keys,
                        budgets.get((ident, cur)))
             for ident, cur in cells]
    found.sort(key=lambda r: (r["currency"], -r["_total"], str(r["name"])))
    return {"by": by, "per": per, "periods": keys, "from": iso(spans[0][1]),
            "to": iso(spans[-1][2]), "rows": [_public(r) for r in found],
            "totals": _totals(found, keys)}


def _spend_row(ident: Any, name: Any, currency: str, cells: dict[str, int], keys: list[str],
               budget: int | None) -> dict[str, Any]:
    amounts = [cells.get(k, 0) for k in keys]
    last, before = amounts[-1], (amounts[-2] if len(amounts) > 1 else None)
    return {
        "key": ident, "name": name if name is not None else "(none)", "currency": currency,
        "amounts": [money_json(a, currency) for a in amounts],
        "total": money_json(sum(amounts), currency), "_total": sum(amounts), "_raw": amounts,
        "change": _delta(last, before, currency),
        "budget": money_json(budget, currency) if budget is not None else None,
        "vs_budget": _delta(last, budget, currency) if budget is not None else None,
    }


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if not k.startswith("_")}


def _totals(rows: list[dict[str, Any]], keys: list[str]) -> list[dict[str, Any]]:
    """The totals row, one per currency."""
    sums: dict[str, list[int]] = {}
    for row in rows:
        acc = sums.setdefault(row["currency"], [0] * len(keys))
        for i, value in enumerate(row["_raw"]):
            acc[i] += value
    return [{"currency": cur, "amounts": [money_json(a, cur) for a in acc],
             "total": money_json(sum(acc), cur),
             "change": _delta(acc[-1], acc[-2] if len(acc) > 1 else None, cur)}
            for cur, acc in sorted(sums.items())]


def _budgets(conn: Any, per: str) -> dict[tuple[str, str], int]:
    """Each category's budget scaled to one period of ``per``."""
    found = {}
    for category, period, minor, currency in conn.execute(
            "SELECT category, period, amount_minor, currency FROM budget"):
        scale = Decimal(STEP[per]) / BUDGET_MONTHS.get(period, 1)
        found[category, currency] = int((minor * scale).quantize(Decimal(1), ROUND_HALF_EVEN))
    return found


def cashflow_query(per: str) -> str:
    """Money in and out per period and currency over [?, ?), from ix_txn_spend."""
    return (f"SELECT {period_key(per)} AS period, t.currency, sum(max(t.amount_minor, 0)),"
            " sum(max(-t.amount_minor, 0)) FROM txn AS t"
            " WHERE t.occurred_on >= ? AND t.occurred_on < ?"
            " GROUP BY period, t.currency ORDER BY period, t.currency")


def cashflow(*, db: Any, per: str = "month", n: int = 12, to: date) -> list[dict[str, Any]]:
    """Money in, out and net per period and currency, oldest first (one aggregate)."""
    spans = periods(to, per, n)
    rows = dbapi(db).execute(cashflow_query(per),
                             (spans[0][1].isoformat(), spans[-1][2].isoformat()))
    return [{"period": p, "currency": cur, "in": money_json(int(i), cur),
             "out": money_json(int(o), cur), "net": money_json(int(i) - int(o), cur)}
            for p, cur, i, o in rows]
