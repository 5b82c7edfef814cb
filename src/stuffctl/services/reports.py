"""`stuffctl report projects|assets`: SQL aggregates over projects and assets.

Every report is one (or a few) ``GROUP BY`` queries. Amounts stay per currency:
no sum ever mixes two. The ledger reports (`spend`, `cashflow`) are
``services.ledger_reports``. See docs/reports.md for the columns and formulas.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from sqlalchemy import case, func, union
from sqlmodel import Session, col, select

from stuffctl.models import Txn
from stuffctl.services.common import iso, money_json
from stuffctl.services.ledger_reports import pct
from stuffctl.vocabulary import OUT_OF_USE


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
                        "rate": pct(int(on_time or 0), int(done))},
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
                      "left": money_json(budget - used, cur), "percent": pct(used, budget)})
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
            "percent": pct(int(covered or 0), int(total))}


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
