"""`stuffctl report projects|assets`: SQL aggregates over projects and assets, in plain
SQL (``services.sql``).

Every report is one (or a few) ``GROUP BY`` queries. Amounts stay per currency:
no sum ever mixes two. The ledger reports (`spend`, `cashflow`) are
``services.ledger_reports``. See docs/reports.md for the columns and formulas.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from stuffctl.money import money_json
from stuffctl.services.ledger_reports import pct
from stuffctl.services.sql import Connection, dbapi, iso, literals
from stuffctl.vocabulary import OUT_OF_USE

IN_USE = f"status NOT IN {literals(OUT_OF_USE)}"


def projects(*, db: Any, today: date) -> dict[str, Any]:
    """Status counts, on-time rate of finished projects and budget use per project."""
    conn = dbapi(db)
    counts = dict(conn.execute("SELECT status, count(*) FROM project GROUP BY status"))
    done, on_time = conn.execute(
        "SELECT count(*), sum(CASE WHEN done_on <= due_on THEN 1 ELSE 0 END) FROM project"
        " WHERE status = 'done' AND due_on IS NOT NULL AND done_on IS NOT NULL").fetchone()
    return {"as_of": iso(today), "status_counts": {k: int(v) for k, v in sorted(counts.items())},
            "on_time": {"done_with_due": int(done), "on_time": int(on_time or 0),
                        "rate": pct(int(on_time or 0), int(done))},
            "budgets": _project_budgets(conn)}


PROJECT_BUDGETS = (
    "SELECT p.id, p.name, p.status, p.budget_minor, p.budget_currency, s.net FROM project p"
    " LEFT OUTER JOIN (SELECT project_id, currency, sum(amount_minor) AS net FROM txn"
    " WHERE project_id IS NOT NULL GROUP BY project_id, currency) s"
    " ON s.project_id = p.id AND s.currency = p.budget_currency"
    " WHERE p.budget_minor IS NOT NULL ORDER BY p.id")


def _project_budgets(conn: Connection) -> list[dict[str, Any]]:
    """Per project with a budget: spent in the budget's currency and the share used."""
    found = []
    for pid, name, status, budget, cur, net in conn.execute(PROJECT_BUDGETS):
        used, budget = -int(net or 0), int(budget)
        found.append({"project_id": pid, "name": name, "status": status,
                      "budget": money_json(budget, cur), "spent": money_json(used, cur),
                      "left": money_json(budget - used, cur), "percent": pct(used, budget)})
    return found


def assets(*, db: Any, today: date, limit: int | None = 20) -> dict[str, Any]:
    """Value bought per category and location, warranty coverage, ownership, replacement."""
    conn = dbapi(db)
    return {"as_of": iso(today), "by_category": _bought(conn, "category"),
            "by_location": _bought(conn, "location"),
            "warranty": _coverage(conn, today),
            "ownership": _ownership(conn, today, limit),
            "replacement": _replacement(conn, today, limit)}


def _bought(conn: Connection, column: str) -> list[dict[str, Any]]:
    """Assets in use and what they cost, per value of ``column`` and currency."""
    rows = conn.execute(
        f"SELECT {column}, price_currency, count(*), sum(price_minor) FROM asset"
        f" WHERE {IN_USE} GROUP BY {column}, price_currency"
        f" ORDER BY sum(price_minor) DESC NULLS LAST, {column}")
    return [{"name": name, "count": int(n),
             "value": money_json(int(total or 0), cur) if cur else None}
            for name, cur, n, total in rows]


def _coverage(conn: Connection, today: date) -> dict[str, Any]:
    """Assets in use, how many have a warranty still running, and the share."""
    total, covered = conn.execute(
        "SELECT count(*), sum(CASE WHEN warranty_until >= ? THEN 1 ELSE 0 END) FROM asset"
        f" WHERE {IN_USE}", (today.isoformat(),)).fetchone()
    return {"assets": int(total), "covered": int(covered or 0),
            "percent": pct(int(covered or 0), int(total))}


# Cost of ownership: purchase + costs (transactions linked to the asset or to one of its
# log entries, each counted once, in the purchase currency) - sale; days owned, at least
# a year's worth. Parameters: today, limit.
OWNERSHIP_TOTAL = ("(a.price_minor + coalesce(c.spent, 0)) - CASE WHEN a.sold_currency ="
                   " a.price_currency THEN coalesce(a.sold_minor, 0) ELSE 0 END")
OWNERSHIP_DAYS = ("max(julianday(coalesce(a.retired_on, :today)) - julianday(a.purchased_on),"
                  " 365.2425)")
OWNERSHIP = (
    f"SELECT a.id, a.name, a.price_currency, {OWNERSHIP_TOTAL}, {OWNERSHIP_DAYS} FROM asset a"
    " LEFT OUTER JOIN (SELECT l.asset_id, t.currency, -sum(t.amount_minor) AS spent FROM"
    " (SELECT asset_id, id AS txn_id FROM txn WHERE asset_id IS NOT NULL"
    " UNION SELECT asset_id, txn_id FROM event WHERE txn_id IS NOT NULL) l"
    " JOIN txn t ON t.id = l.txn_id GROUP BY l.asset_id, t.currency) c"
    " ON c.asset_id = a.id AND c.currency = a.price_currency"
    " WHERE a.price_minor IS NOT NULL AND a.purchased_on IS NOT NULL"
    f" ORDER BY ({OWNERSHIP_TOTAL}) / ({OWNERSHIP_DAYS} + 0.0) DESC, a.id LIMIT :limit")


def _ownership(conn: Connection, today: date, limit: int | None) -> list[dict[str, Any]]:
    """Cost of ownership per asset (price currency): purchase + costs - sale, and per year;
    dearest per year first."""
    rows = conn.execute(OWNERSHIP, {"today": today.isoformat(),
                                    "limit": -1 if limit is None else limit})
    return [{"asset_id": aid, "name": name, "years_owned": float(round(Decimal(d) / YEAR_DAYS, 2)),
             "cost": money_json(int(t), cur),
             "per_year": money_json(_div(int(t) * YEAR_DAYS, Decimal(str(d))), cur)}
            for aid, name, cur, t, d in rows]


YEAR_DAYS = Decimal("365.2425")


def _div(value: Any, by: Any) -> int:
    return int((Decimal(value) / Decimal(by)).quantize(Decimal(1), ROUND_HALF_EVEN))


REPLACE_ON = "date(purchased_on, printf('+%d months', life_months))"
REPLACEMENT = (
    f"SELECT id, name, life_months, price_minor, price_currency, {REPLACE_ON} FROM asset"
    f" WHERE {IN_USE} AND life_months IS NOT NULL AND price_minor IS NOT NULL"
    f" AND purchased_on IS NOT NULL ORDER BY {REPLACE_ON}, id LIMIT ?")


def _replacement(conn: Connection, today: date, limit: int | None) -> list[dict[str, Any]]:
    """Assets in use with an expected life: when each is due and what to set aside monthly."""
    found = []
    for aid, name, life, price, cur, on in conn.execute(
            REPLACEMENT, (-1 if limit is None else limit,)):
        replace_on = date.fromisoformat(on)
        left = max(0, (replace_on.year - today.year) * 12 + replace_on.month - today.month)
        found.append({"asset_id": aid, "name": name, "life_months": life,
                      "replace_on": on, "months_left": left, "price": money_json(price, cur),
                      "monthly": money_json(_div(price, max(left, 1)), cur)})
    return found
