"""`stuffctl report spend|cashflow|projects|assets`: SQL aggregates over the ledger,
projects and assets, in SQL through the database handle (``store.handle.Db``).

Every report is one (or a few) ``GROUP BY`` queries: the period of a transaction
is computed in SQL from its ISO date (``Backend.period``), never by looping over rows in
Python. Amounts stay per currency: no sum ever mixes two. See docs/reports.md for
the columns and formulas.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING, Any

from stuffctl.dates import add_months, period_bounds
from stuffctl.errors import InvalidInput
from stuffctl.money import money_json
from stuffctl.store.handle import Db
from stuffctl.store.sql import NO_LIMIT, iso, literals
from stuffctl.vocabulary import OUT_OF_USE

if TYPE_CHECKING:
    from stuffctl.services.advice import Settings
    from stuffctl.store.handle import Backend

PERIODS = ("month", "quarter", "year")
DIMENSIONS = ("category", "payee", "account", "asset", "project")
STEP = {"month": 1, "quarter": 3, "year": 12}
BUDGET_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}


def period_key(backend: Backend, per: str) -> str:
    """SQL for the period a transaction ``t`` falls in: ``2026-11``, ``2026-Q4`` or ``2026``."""
    return backend.period("t.occurred_on", per)


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


def spend_query(backend: Backend, by: str, per: str) -> str:
    """The spend aggregate over [?, ?): answered from the covering index ix_txn_spend
    (tests/test_query_plans.py), joined to the asset or project for their names."""
    key, label, join = _dimension(by)
    return (f"SELECT {period_key(backend, per)} AS period, {key}, {label}, t.currency,"
            f" sum(t.amount_minor) FROM txn AS t {join}"
            " WHERE t.occurred_on >= ? AND t.occurred_on < ? AND t.amount_minor < 0"
            f" GROUP BY period, {key}, t.currency")


def span_end(spans: list[tuple[str, date, date]], to: date) -> tuple[date, bool]:
    """Where a report's figures stop (exclusive): the end of its last period, or the day
    after ``to`` when that period is not over by then; and whether it is that partial."""
    end = min(spans[-1][2], to + timedelta(days=1))
    return end, end < spans[-1][2]


def same_days_before(spans: list[tuple[str, date, date]], end: date) -> tuple[date, date]:
    """The span a partial last period is compared with: as many days from the start of
    the period before as the last one has had (at most that whole period)."""
    _, lo, hi = spans[-2]
    return lo, min(hi, lo + (end - spans[-1][1]))


def spend(*, db: Db, by: str = "category", per: str = "month", n: int = 6,
          to: date) -> dict[str, Any]:
    """Spending (money out) per ``by`` and period, per currency.

    One aggregate grouped by period key, dimension and currency; money in
    (income, refunds) is left out (it is in the cashflow report). A last period not over
    by ``to`` is counted to ``to`` (``partial``), and its change is against the same
    number of days of the period before (a second aggregate over those days).
    """
    spans = periods(to, per, n)
    end, partial = span_end(spans, to)
    query = spend_query(db.backend, by, per)
    rows = db.execute(query, (spans[0][1].isoformat(), end.isoformat()))
    cells: dict[tuple[Any, str], dict[str, int]] = defaultdict(dict)
    names: dict[tuple[Any, str], Any] = {}
    for period, ident, name, currency, total in rows:
        cells[ident, currency][period] = -int(total)
        names[ident, currency] = name
    before: dict[tuple[Any, str], int] | None = None
    if partial and n > 1:
        lo, hi = same_days_before(spans, end)
        before = {(ident, cur): -int(total) for _, ident, _, cur, total
                  in db.execute(query, (lo.isoformat(), hi.isoformat()))}
    budgets = _budgets(db, per) if by == "category" else {}
    keys = [k for k, _, _ in spans]
    found = [_spend_row(ident, names[ident, cur], cur, cells[ident, cur], keys,
                        budgets.get((ident, cur)),
                        None if before is None else before.get((ident, cur), 0))
             for ident, cur in cells]
    found.sort(key=lambda r: (r["currency"], -r["_total"], str(r["name"])))
    return {"by": by, "per": per, "periods": keys, "partial": partial,
            "from": iso(spans[0][1]), "to": iso(end), "rows": [_public(r) for r in found],
            "totals": _totals(found, keys)}


def _spend_row(ident: Any, name: Any, currency: str, cells: dict[str, int], keys: list[str],
               budget: int | None, same_days: int | None) -> dict[str, Any]:
    """A group's row; ``same_days``: what it spent in the days a partial last period is
    compared with (None: the last period is whole, compared with the one before)."""
    amounts = [cells.get(k, 0) for k in keys]
    last = amounts[-1]
    before = same_days if same_days is not None else (
        amounts[-2] if len(amounts) > 1 else None)
    return {
        "key": ident, "name": name if name is not None else "(none)", "currency": currency,
        "amounts": [money_json(a, currency) for a in amounts],
        "total": money_json(sum(amounts), currency), "_total": sum(amounts), "_raw": amounts,
        "_before": before, "change": _delta(last, before, currency),
        "budget": money_json(budget, currency) if budget is not None else None,
        "vs_budget": _delta(last, budget, currency) if budget is not None else None,
    }


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if not k.startswith("_")}


def _totals(rows: list[dict[str, Any]], keys: list[str]) -> list[dict[str, Any]]:
    """The totals row, one per currency; its change against the sum of the rows' bases."""
    sums: dict[str, list[int]] = {}
    bases: dict[str, int | None] = {}
    for row in rows:
        acc = sums.setdefault(row["currency"], [0] * len(keys))
        for i, value in enumerate(row["_raw"]):
            acc[i] += value
        base = row["_before"]
        bases[row["currency"]] = None if base is None else bases.get(row["currency"], 0) + base
    return [{"currency": cur, "amounts": [money_json(a, cur) for a in acc],
             "total": money_json(sum(acc), cur),
             "change": _delta(acc[-1], bases[cur], cur)}
            for cur, acc in sorted(sums.items())]


def _budgets(conn: Db, per: str) -> dict[tuple[str, str], int]:
    """Each category's budget scaled to one period of ``per``."""
    found = {}
    for category, period, minor, currency in conn.execute(
            "SELECT category, period, amount_minor, currency FROM budget"):
        scale = Decimal(STEP[per]) / BUDGET_MONTHS.get(period, 1)
        found[category, currency] = int((minor * scale).quantize(Decimal(1), ROUND_HALF_EVEN))
    return found


def cashflow_query(backend: Backend, per: str) -> str:
    """Money in and out per period and currency over [?, ?), from ix_txn_spend."""
    return (f"SELECT {period_key(backend, per)} AS period, t.currency,"
            f" sum({backend.greatest('t.amount_minor', '0')}),"
            f" sum({backend.greatest('-t.amount_minor', '0')}) FROM txn AS t"
            " WHERE t.occurred_on >= ? AND t.occurred_on < ?"
            " GROUP BY period, t.currency ORDER BY period, t.currency")


def cashflow(*, db: Db, per: str = "month", n: int = 12, to: date) -> list[dict[str, Any]]:
    """Money in, out and net per period and currency, oldest first (one aggregate); a
    last period not over by ``to`` is counted to ``to`` and marked ``partial``."""
    spans = periods(to, per, n)
    end, partial = span_end(spans, to)
    rows = db.execute(cashflow_query(db.backend, per),
                      (spans[0][1].isoformat(), end.isoformat()))
    last = spans[-1][0]
    return [{"period": p, "currency": cur, "in": money_json(int(i), cur),
             "out": money_json(int(o), cur), "net": money_json(int(i) - int(o), cur),
             "partial": partial and p == last}
            for p, cur, i, o in rows]


IN_USE = f"status NOT IN {literals(OUT_OF_USE)}"


def projects(*, db: Db, today: date) -> dict[str, Any]:
    """Status counts, on-time rate of finished projects and budget use per project."""
    counts = dict(db.execute("SELECT status, count(*) FROM project GROUP BY status"))
    done, on_time = db.execute(
        "SELECT count(*), sum(CASE WHEN done_on <= due_on THEN 1 ELSE 0 END) FROM project"
        " WHERE status = 'done' AND due_on IS NOT NULL AND done_on IS NOT NULL").fetchone()
    return {"as_of": iso(today), "status_counts": {k: int(v) for k, v in sorted(counts.items())},
            "on_time": {"done_with_due": int(done), "on_time": int(on_time or 0),
                        "rate": pct(int(on_time or 0), int(done))},
            "budgets": _project_budgets(db)}


PROJECT_BUDGETS = (
    "SELECT p.id, p.name, p.status, p.budget_minor, p.budget_currency, s.net FROM project p"
    " LEFT OUTER JOIN (SELECT project_id, currency, sum(amount_minor) AS net FROM txn"
    " WHERE project_id IS NOT NULL GROUP BY project_id, currency) s"
    " ON s.project_id = p.id AND s.currency = p.budget_currency"
    " WHERE p.budget_minor IS NOT NULL ORDER BY p.id")


def _project_budgets(conn: Db) -> list[dict[str, Any]]:
    """Per project with a budget: spent in the budget's currency and the share used."""
    found = []
    for pid, name, status, budget, cur, net in conn.execute(PROJECT_BUDGETS):
        used, budget = -int(net or 0), int(budget)
        found.append({"project_id": pid, "name": name, "status": status,
                      "budget": money_json(budget, cur), "spent": money_json(used, cur),
                      "left": money_json(budget - used, cur), "percent": pct(used, budget)})
    return found


def assets(*, db: Db, today: date, limit: int | None = 20,
           advice_settings: Settings | None = None) -> dict[str, Any]:
    """Value bought per category and location, warranty coverage, ownership, replacement;
    repair or replace per asset (its failures, repair costs and the advice:
    services/advice.py) and failures per brand and model."""
    from stuffctl.services.advice import ranked

    return {"as_of": iso(today), "by_category": _bought(db, "category"),
            "by_location": _bought(db, "location"),
            "warranty": _coverage(db, today),
            "ownership": _ownership(db, today, limit),
            "replacement": _replacement(db, today, limit),
            "advice": ranked(db=db, today=today, limit=limit, settings=advice_settings),
            "failures_by_model": _failures_by_model(db, limit)}


def failures_query(backend: Backend) -> str:
    """Per brand and model (either given; compared in any case): assets, those that had
    an incident, incidents, and for the mean time between failures the days from each
    asset's first incident to its last and the gaps between them (pooled); parameter:
    the limit."""
    span = backend.days_between("max(started_on)", "min(started_on)")
    return (
        "SELECT min(a.brand), min(a.model), count(*), count(s.asset_id),"
        " coalesce(sum(s.n), 0) AS incidents, sum(s.span), sum(s.n - 1) FROM asset a"
        f" LEFT OUTER JOIN (SELECT asset_id, count(*) AS n, {span} AS span FROM incident"
        " GROUP BY asset_id) s ON s.asset_id = a.id"
        " WHERE a.brand IS NOT NULL OR a.model IS NOT NULL"
        " GROUP BY lower(coalesce(a.brand, '')), lower(coalesce(a.model, ''))"
        " HAVING count(s.asset_id) > 0"
        " ORDER BY coalesce(sum(s.n), 0) * 1.0 / count(*) DESC, incidents DESC,"
        " lower(coalesce(a.brand, '')), lower(coalesce(a.model, '')) LIMIT ?")


def _failures_by_model(conn: Db, limit: int | None) -> list[dict[str, Any]]:
    """Failures per brand and model, every asset counted (retired ones too: a model's
    record), the most per asset first."""
    found = []
    for brand, model, n, failed, incidents, span, gaps in conn.execute(
            failures_query(conn.backend), (NO_LIMIT if limit is None else limit,)):
        gaps = int(gaps or 0)
        found.append({"brand": brand, "model": model, "assets": int(n), "failed": int(failed),
                      "incidents": int(incidents),
                      "per_asset": round(int(incidents) / int(n), 2),
                      "mtbf_days": round(float(span) / gaps, 1) if gaps else None})
    return found


def _bought(conn: Db, column: str) -> list[dict[str, Any]]:
    """Assets in use and what they cost, per value of ``column`` and currency."""
    rows = conn.execute(
        f"SELECT {column}, price_currency, count(*), sum(price_minor) FROM asset"
        f" WHERE {IN_USE} GROUP BY {column}, price_currency"
        f" ORDER BY sum(price_minor) DESC NULLS LAST, {column} NULLS FIRST,"
        " price_currency NULLS FIRST")
    return [{"name": name, "count": int(n),
             "value": money_json(int(total or 0), cur) if cur else None}
            for name, cur, n, total in rows]


def _coverage(conn: Db, today: date) -> dict[str, Any]:
    """Assets in use, how many have a warranty still running, and the share."""
    total, covered = conn.execute(
        "SELECT count(*), sum(CASE WHEN warranty_until >= ? THEN 1 ELSE 0 END) FROM asset"
        f" WHERE {IN_USE}", (today.isoformat(),)).fetchone()
    return {"assets": int(total), "covered": int(covered or 0),
            "percent": pct(int(covered or 0), int(total))}


# Cost of ownership: purchase + costs (transactions linked to the asset, to one of its
# log entries or to one of its incidents, each counted once, in the purchase currency)
# - sale; days owned, at least a year's worth. Parameters: today, limit.
OWNERSHIP_TOTAL = ("(a.price_minor + coalesce(c.spent, 0)) - CASE WHEN a.sold_currency ="
                   " a.price_currency THEN coalesce(a.sold_minor, 0) ELSE 0 END")


def ownership_query(backend: Backend) -> str:
    days = backend.greatest(backend.days_between("coalesce(a.retired_on, :today)",
                                                 "a.purchased_on"), "365.2425")
    return (
        f"SELECT a.id, a.name, a.price_currency, {OWNERSHIP_TOTAL}, {days} FROM asset a"
        " LEFT OUTER JOIN (SELECT l.asset_id, t.currency, -sum(t.amount_minor) AS spent FROM"
        " (SELECT asset_id, id AS txn_id FROM txn WHERE asset_id IS NOT NULL"
        " UNION SELECT asset_id, txn_id FROM event WHERE txn_id IS NOT NULL"
        " UNION SELECT i.asset_id, x.txn_id FROM incident_txn x JOIN incident i"
        " ON i.id = x.incident_id) l"
        " JOIN txn t ON t.id = l.txn_id GROUP BY l.asset_id, t.currency) c"
        " ON c.asset_id = a.id AND c.currency = a.price_currency"
        " WHERE a.price_minor IS NOT NULL AND a.purchased_on IS NOT NULL"
        f" ORDER BY ({OWNERSHIP_TOTAL}) / ({days} + 0.0) DESC, a.id LIMIT :limit")


def _ownership(conn: Db, today: date, limit: int | None) -> list[dict[str, Any]]:
    """Cost of ownership per asset (price currency): purchase + costs - sale, and per year;
    dearest per year first."""
    rows = conn.execute(ownership_query(conn.backend), {"today": today.isoformat(),
                                    "limit": NO_LIMIT if limit is None else limit})
    return [{"asset_id": aid, "name": name, "years_owned": float(round(Decimal(d) / YEAR_DAYS, 2)),
             "cost": money_json(int(t), cur),
             "per_year": money_json(_div(int(t) * YEAR_DAYS, Decimal(str(d))), cur)}
            for aid, name, cur, t, d in rows]


YEAR_DAYS = Decimal("365.2425")


def _div(value: Any, by: Any) -> int:
    return int((Decimal(value) / Decimal(by)).quantize(Decimal(1), ROUND_HALF_EVEN))


def replacement_query(backend: Backend) -> str:
    replace_on = backend.plus_months("purchased_on", "life_months")
    return (
        f"SELECT id, name, life_months, price_minor, price_currency, {replace_on} FROM asset"
        f" WHERE {IN_USE} AND life_months IS NOT NULL AND price_minor IS NOT NULL"
        f" AND purchased_on IS NOT NULL ORDER BY {replace_on}, id LIMIT ?")


def _replacement(conn: Db, today: date, limit: int | None) -> list[dict[str, Any]]:
    """Assets in use with an expected life: when each is due and what to set aside monthly."""
    found = []
    for aid, name, life, price, cur, on in conn.execute(
            replacement_query(conn.backend), (NO_LIMIT if limit is None else limit,)):
        replace_on = date.fromisoformat(on)
        left = max(0, (replace_on.year - today.year) * 12 + replace_on.month - today.month)
        found.append({"asset_id": aid, "name": name, "life_months": life,
                      "replace_on": on, "months_left": left, "price": money_json(price, cur),
                      "monthly": money_json(_div(price, max(left, 1)), cur)})
    return found
