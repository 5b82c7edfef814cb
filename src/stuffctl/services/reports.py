"""`stuffctl report spend|cashflow|projects`: SQL aggregates over the ledger and projects.

Every report is one (or a few) ``GROUP BY`` queries: the period of a
transaction is computed in SQL from its ISO date (``substr``), never by
looping over rows in Python. Amounts stay per currency: no sum ever mixes two.
See docs/reports.md for the columns and formulas.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from sqlalchemy import Integer, case, cast, func, union
from sqlmodel import Session, col, select

from stuffctl.dates import add_months, period_bounds
from stuffctl.errors import InvalidInput
from stuffctl.models import Budget, Txn
from stuffctl.services.common import iso, money_json
from stuffctl.vocabulary import OUT_OF_USE

PERIODS = ("month", "quarter", "year")
DIMENSIONS = ("category", "payee", "account", "asset", "project")
STEP = {"month": 1, "quarter": 3, "year": 12}
BUDGET_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}


def period_key(per: str) -> Any:
    """SQL for the period a transaction falls in: ``2026-11``, ``2026-Q4`` or ``2026``."""
    day = col(Txn.occurred_on)
    if per == "month":
        return func.substr(day, 1, 7)
    if per == "year":
        return func.substr(day, 1, 4)
    quarter = (cast(func.substr(day, 6, 2), Integer) + 2) // 3
    return func.printf("%s-Q%d", func.substr(day, 1, 4), quarter)


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


def _dimension(by: str) -> tuple[Any, Any, Any]:
    """(key column, label column, join) of a spend dimension."""
    if by not in DIMENSIONS:
        raise InvalidInput(f"--by: expected one of {', '.join(DIMENSIONS)} (got {by!r})")
    if by == "asset":
        from stuffctl.models import Asset  # built only for this dimension

        return col(Txn.asset_id), func.max(Asset.name), (Asset, col(Asset.id) == col(Txn.asset_id))
    if by == "project":
        from stuffctl.models import Project  # built only for this dimension

        return (col(Txn.project_id), func.max(Project.name),
                (Project, col(Project.id) == col(Txn.project_id)))
    column = col(getattr(Txn, by))
    return column, func.max(column), None


def _pct(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def _delta(now: int, before: int | None, currency: str) -> dict[str, Any] | None:
    if before is None:
        return None
    return {"amount": money_json(now - before, currency), "percent": _pct(now - before, before)}


def spend(*, session: Session, by: str = "category", per: str = "month", n: int = 6,
          to: date) -> dict[str, Any]:
    """Spending (money out) per ``by`` and period, per currency.

    One aggregate grouped by period key, dimension and currency; money in
    (income, refunds) is left out (it is in the cashflow report).
    """
    spans = periods(to, per, n)
    key, label, join = _dimension(by)
    pkey = period_key(per).label("period")
    query = (select(pkey, key, label, col(Txn.currency), func.sum(Txn.amount_minor))
             .where(col(Txn.occurred_on) >= spans[0][1], col(Txn.occurred_on) < spans[-1][2],
                    col(Txn.amount_minor) < 0)
             .group_by(pkey, key, col(Txn.currency)))
    if join is not None:
        query = query.outerjoin(*join)
    cells: dict[tuple[Any, str], dict[str, int]] = defaultdict(dict)
    names: dict[tuple[Any, str], Any] = {}
    for period, ident, name, currency, total in session.exec(query):
        cells[ident, currency][period] = -int(total)
        names[ident, currency] = name
    budgets = _budgets(session, per) if by == "category" else {}
    keys = [k for k, _, _ in spans]
    rows = [_spend_row(ident, names[ident, cur], cur, cells[ident, cur], keys,
                       budgets.get((ident, cur)))
            for ident, cur in cells]
    rows.sort(key=lambda r: (r["currency"], -r["_total"], str(r["name"])))
    return {"by": by, "per": per, "periods": keys, "from": iso(spans[0][1]),
            "to": iso(spans[-1][2]), "rows": [_public(r) for r in rows],
            "totals": _totals(rows, keys)}


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


def _budgets(session: Session, per: str) -> dict[tuple[str, str], int]:
    """Each category's budget scaled to one period of ``per``."""
    found = {}
    for b in session.exec(select(Budget)):
        scale = Decimal(STEP[per]) / BUDGET_MONTHS.get(b.period, 1)
        found[b.category, b.currency] = int((b.amount_minor * scale).quantize(
            Decimal(1), ROUND_HALF_EVEN))
    return found


def cashflow(*, session: Session, per: str = "month", n: int = 12,
             to: date) -> list[dict[str, Any]]:
    """Money in, out and net per period and currency, oldest first (one aggregate)."""
    spans = periods(to, per, n)
    pkey = period_key(per).label("period")
    amount = col(Txn.amount_minor)
    money_in = func.sum(case((amount > 0, amount), else_=0))
    money_out = func.sum(case((amount < 0, -amount), else_=0))
    rows = session.exec(
        select(pkey, col(Txn.currency), money_in, money_out)
        .where(col(Txn.occurred_on) >= spans[0][1], col(Txn.occurred_on) < spans[-1][2])
        .group_by(pkey, col(Txn.currency)).order_by(pkey, col(Txn.currency)))
    return [{"period": p, "currency": cur, "in": money_json(int(i), cur),
             "out": money_json(int(o), cur), "net": money_json(int(i) - int(o), cur)}
            for p, cur, i, o in rows]


def projects(*, session: Session, today: date) -> dict[str, Any]:
    """Status counts, on-time rate of finished projects and budget use per project."""
    from stuffctl.models import Project  # the asset and project reports only

    counts = dict(session.exec(select(Project.status, func.count())
                               .group_by(col(Project.status))).all())
    timed = col(Project.due_on).is_not(None) & col(Project.done_on).is_not(None)
    done, on_time = session.exec(
        select(func.count(), func.sum(case((col(Project.done_on) <= col(Project.due_on), 1),
                                           else_=0)))
        .where(col(Project.status) == "done", timed)).one()
    return {"as_of": iso(today), "status_counts": {k: int(v) for k, v in sorted(counts.items())},
            "on_time": {"done_with_due": int(done), "on_time": int(on_time or 0),
                        "rate": _pct(int(on_time or 0), int(done))},
            "budgets": _project_budgets(session)}


def _project_budgets(session: Session) -> list[dict[str, Any]]:
    """Per project with a budget: spent in the budget's currency and the share used."""
    from stuffctl.models import Project  # the asset and project reports only

    spent = (select(Txn.project_id, Txn.currency, func.sum(Txn.amount_minor).label("net"))
             .where(col(Txn.project_id).is_not(None))
             .group_by(col(Txn.project_id), col(Txn.currency)).subquery())
    rows = session.exec(
        select(col(Project.id), col(Project.name), col(Project.status),
               col(Project.budget_minor), col(Project.budget_currency), spent.c.net)
        .outerjoin(spent, (spent.c.project_id == col(Project.id))
                   & (spent.c.currency == col(Project.budget_currency)))
        .where(col(Project.budget_minor).is_not(None)).order_by(col(Project.id)))
    found = []
    for pid, name, status, budget, cur, net in rows:
        used, budget = -int(net or 0), int(budget)
        found.append({"project_id": pid, "name": name, "status": status,
                      "budget": money_json(budget, cur), "spent": money_json(used, cur),
                      "left": money_json(budget - used, cur), "percent": _pct(used, budget)})
    return found


def assets(*, session: Session, today: date, limit: int = 20) -> dict[str, Any]:
    """Value bought per category and location, warranty coverage, ownership, replacement."""
    from stuffctl.models import Asset  # the asset and project reports only

    return {"as_of": iso(today), "by_category": _bought(session, Asset.category),
            "by_location": _bought(session, Asset.location),
            "warranty": _coverage(session, today),
            "ownership": _ownership(session, today, limit),
            "replacement": _replacement(session, today, limit)}


def _in_use() -> Any:
    from stuffctl.models import Asset

    return col(Asset.status).not_in(OUT_OF_USE)


def _bought(session: Session, column: Any) -> list[dict[str, Any]]:
    """Assets in use and what they cost, per value of ``column`` and currency."""
    from stuffctl.models import Asset  # the asset and project reports only

    rows = session.exec(
        select(column, col(Asset.price_currency), func.count(), func.sum(Asset.price_minor))
        .where(_in_use()).group_by(column, col(Asset.price_currency))
        .order_by(func.sum(Asset.price_minor).desc().nulls_last(), column))
    return [{"name": name, "count": int(n),
             "value": money_json(int(total or 0), cur) if cur else None}
            for name, cur, n, total in rows]


def _coverage(session: Session, today: date) -> dict[str, Any]:
    """Assets in use, how many have a warranty still running, and the share."""
    from stuffctl.models import Asset  # the asset and project reports only

    running = func.sum(case((col(Asset.warranty_until) >= today, 1), else_=0))
    total, covered = session.exec(select(func.count(), running).where(_in_use())).one()
    return {"assets": int(total), "covered": int(covered or 0),
            "percent": _pct(int(covered or 0), int(total))}


def _ownership(session: Session, today: date, limit: int) -> list[dict[str, Any]]:
    """Cost of ownership per asset (price currency): purchase + costs - sale, and per year.

    Costs are transactions linked to the asset or to one of its log entries
    (each counted once), in the purchase currency; dearest per year first.
    """
    from stuffctl.models import Asset, Event  # the asset and project reports only

    linked = union(
        select(col(Txn.asset_id).label("asset_id"), col(Txn.id).label("txn_id"))
        .where(col(Txn.asset_id).is_not(None)),
        select(col(Event.asset_id), col(Event.txn_id)).where(col(Event.txn_id).is_not(None)),
    ).subquery()
    costs = (select(linked.c.asset_id, col(Txn.currency).label("currency"),
                    (-func.sum(Txn.amount_minor)).label("spent"))
             .join(Txn, col(Txn.id) == linked.c.txn_id)
             .group_by(linked.c.asset_id, col(Txn.currency)).subquery())
    sold = case((col(Asset.sold_currency) == col(Asset.price_currency),
                 func.coalesce(Asset.sold_minor, 0)), else_=0)
    total = col(Asset.price_minor) + func.coalesce(costs.c.spent, 0) - sold
    days = func.max(func.julianday(func.coalesce(Asset.retired_on, today))
                    - func.julianday(Asset.purchased_on), 365.2425)
    rows = session.exec(
        select(col(Asset.id), col(Asset.name), col(Asset.price_currency), total, days)
        .outerjoin(costs, (costs.c.asset_id == col(Asset.id))
                   & (costs.c.currency == col(Asset.price_currency)))
        .where(col(Asset.price_minor).is_not(None), col(Asset.purchased_on).is_not(None))
        .order_by((total / days).desc(), col(Asset.id)).limit(limit))
    return [{"asset_id": aid, "name": name, "years_owned": float(round(Decimal(d) / YEAR_DAYS, 2)),
             "cost": money_json(int(t), cur),
             "per_year": money_json(_div(int(t) * YEAR_DAYS, Decimal(str(d))), cur)}
            for aid, name, cur, t, d in rows]


YEAR_DAYS = Decimal("365.2425")


def _div(value: Any, by: Any) -> int:
    return int((Decimal(value) / Decimal(by)).quantize(Decimal(1), ROUND_HALF_EVEN))


def _replacement(session: Session, today: date, limit: int) -> list[dict[str, Any]]:
    """Assets in use with an expected life: when each is due and what to set aside monthly."""
    from stuffctl.models import Asset  # the asset and project reports only

    due = func.date(Asset.purchased_on, func.printf("+%d months", Asset.life_months))
    rows = session.exec(
        select(col(Asset.id), col(Asset.name), col(Asset.life_months), col(Asset.price_minor),
               col(Asset.price_currency), due)
        .where(_in_use(), col(Asset.life_months).is_not(None), col(Asset.price_minor).is_not(None),
               col(Asset.purchased_on).is_not(None))
        .order_by(due, col(Asset.id)).limit(limit))
    found = []
    for aid, name, life, price, cur, on in rows:
        replace_on = date.fromisoformat(on)
        left = max(0, (replace_on.year - today.year) * 12 + replace_on.month - today.month)
        found.append({"asset_id": aid, "name": name, "life_months": life,
                      "replace_on": on, "months_left": left, "price": money_json(price, cur),
                      "monthly": money_json(_div(price, max(left, 1)), cur)})
    return found
