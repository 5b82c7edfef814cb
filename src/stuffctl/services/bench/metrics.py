"""The bench metrics: one SQL statement per metric, grouped by a period key.

Each query (plain SQL on a DB-API connection, ``store.sql``: `bench` runs
without SQLAlchemy) returns ``(period_key, [series,] value)`` rows for every period in
``[first, end)``; ``summary.py`` turns them into 13-value histories. Period keys
are ``2026-10`` (month), ``2026-Q4`` (quarter) or ``2026`` (year), built in SQL
by :func:`key_sql` and in Python by :func:`period_key`, which must agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from stuffctl.store.handle import Db

MONTHS = {"month": 1, "quarter": 3, "year": 12}


@dataclass(frozen=True)
class Window:
    """The 13 periods of a bench: ``keys`` oldest first, ``[first, end)`` in dates."""

    unit: str
    keys: list[str]
    starts: list[date]
    end: date
    currency: str
    today: date

    @property
    def months(self) -> int:
        return MONTHS[self.unit]

    def params(self) -> dict[str, Any]:
        return {"first": self.starts[0].isoformat(), "end": self.end.isoformat(),
                "cur": self.currency, "today": self.today.isoformat()}


# Every metric of `stuffctl bench`, what it measures and which way is better (here, below
# the summary and the goals that both read it).
@dataclass(frozen=True)
class Info:
    unit: str  # money (the bench currency), share (0..1), days or count
    higher_is_better: bool
    formula: str


METRICS: dict[str, Info] = {
    "spend_total": Info("money", False, "money out in the period"),
    "spend:CATEGORY": Info("money", False, "money out in a top-level category"),
    "budget_adherence": Info("share", True, "budgeted categories within budget / budgets"),
    "subscription_cost": Info("money", False, "subscription charges due / months"),
    "maintenance_on_time": Info("share", True,
                                "maintenance occurrences done by their due date / due"),
    "maintenance_days_late": Info("days", False, "mean days late of maintenance done"),
    "reminders_handled": Info("count", True, "occurrences due and done or skipped"),
    "reminders_missed": Info("count", False, "missed occurrences + still open ones"),
    "tasks_completed": Info("count", True, "tasks done in the period"),
    "project_lead_time": Info("days", False, "mean days start → done of projects done"),
    "overdue_tasks": Info("count", False, "tasks due in the period not done by then"),
    "ownership_cost": Info("money", False,
                           "(depreciation of owned assets + spending linked to assets) "
                           "× 12 / months"),
    "completeness": Info("share", True,
                         "checked fields present / checked fields, of the records created "
                         "in the period, as they are now"),
}


def period_key(d: date, unit: str) -> str:
    if unit == "month":
        return f"{d.year}-{d.month:02d}"
    if unit == "quarter":
        return f"{d.year}-Q{(d.month + 2) // 3}"
    return str(d.year)


def key_sql(db: Db, column: str, unit: str) -> str:
    """The SQL expression of :func:`period_key` for a date/datetime column."""
    return db.backend.period(column, unit)


def _rows(db: Db, sql: str, window: Window, **extra: Any) -> list[Any]:
    """Rows of ``sql`` with the window's named parameters (``:first``, ``:cur``, …)."""
    return db.execute(sql, {**window.params(), **extra}).fetchall()


def _txn_key(s: Db, w: Window) -> str:
    return key_sql(s, "occurred_on", w.unit)


TOP = "COALESCE(NULLIF(substr(category, 1, instr(category || ':', ':') - 1), ''), '-')"


def spend_by_category(s: Db, w: Window) -> list[Any]:
    """Spending per top-level category (``transport:fuel`` counts under ``transport``).

    Uncategorised spending comes as category ``-``; the total is the sum of all rows.
    """
    inner = (f"SELECT {_txn_key(s, w)} AS k, category, -SUM(amount_minor) AS v FROM txn "
             "WHERE amount_minor < 0 AND currency = :cur "
             "AND occurred_on >= :first AND occurred_on < :end GROUP BY k, category")
    # the top-level category is cut once per (period, category), not once per row
    return _rows(s, f"SELECT k, {TOP} AS top, SUM(v) FROM ({inner}) AS byc GROUP BY k, top", w)


def first_record(s: Db, w: Window) -> str | None:
    """The period key of the first transaction in the bench currency (None: none yet):
    spending is history from there on, not zero before it."""
    (first,), = s.execute("SELECT MIN(occurred_on) FROM txn WHERE currency = :cur",
                          {"cur": w.currency})
    return None if first is None else period_key(date.fromisoformat(str(first)[:10]), w.unit)


def budget_spend(s: Db, w: Window) -> list[Any]:
    """Per period and budget: spent in the budget's category tree, and the budget scaled."""
    per_month = ("CASE b.period WHEN 'monthly' THEN 1.0 WHEN 'quarterly' THEN 1.0 / 3 "
                 "ELSE 1.0 / 12 END")
    return _rows(s, f"SELECT {key_sql(s, 't.occurred_on', w.unit)} AS k, b.id, "
                 f"-SUM(t.amount_minor), MAX(b.amount_minor * {per_month} * :months) "
                 "FROM budget b JOIN txn t ON (t.category = b.category OR t.category LIKE "
                 "b.category || ':%') AND t.currency = b.currency AND t.amount_minor < 0 "
                 "WHERE b.currency = :cur AND t.occurred_on >= :first AND t.occurred_on < :end "
                 "GROUP BY k, b.id", w, months=w.months)


def budget_count(s: Db, w: Window) -> int:
    (count,), = s.execute("SELECT COUNT(*) FROM budget WHERE currency = :cur",
                                 {"cur": w.currency})
    return int(count)


def subscription_cost(s: Db, w: Window) -> list[Any]:
    return _rows(s, f"SELECT {key_sql(s, 'due_on', w.unit)} AS k, SUM(amount_minor) * 1.0 / "
                 ":months FROM subscription_charge WHERE currency = :cur AND due_on >= :first "
                 "AND due_on < :end GROUP BY k", w, months=w.months)


_OCC = "FROM occurrence WHERE due >= :first AND due < :end"


def maintenance(s: Db, w: Window) -> list[Any]:
    """Per period: maintenance occurrences due, done by their due date, mean days late."""
    due_day = s.backend.date_of("due")
    late = s.backend.greatest("0", s.backend.days_between("acted_on", due_day))
    return _rows(s, f"SELECT {key_sql(s, 'due', w.unit)} AS k, COUNT(*), "
                 f"SUM(CASE WHEN state = 'done' AND acted_on <= {due_day} THEN 1 ELSE 0 END), "
                 f"AVG(CASE WHEN state = 'done' THEN {late} END) "
                 f"{_OCC} AND kind = 'maintenance' GROUP BY k", w)


def reminders(s: Db, w: Window) -> list[Any]:
    """Per period: occurrences handled (done or skipped) and missed (never acted on)."""
    return _rows(s, f"SELECT {key_sql(s, 'due', w.unit)} AS k, "
                 "SUM(CASE WHEN state IN ('done', 'skipped') THEN 1 ELSE 0 END), "
                 "SUM(missed) + SUM(CASE WHEN state = 'open' THEN 1 ELSE 0 END) "
                 f"{_OCC} GROUP BY k", w)


def tasks_completed(s: Db, w: Window) -> list[Any]:
    return _rows(s, f"SELECT {key_sql(s, 'done_at', w.unit)} AS k, COUNT(*) FROM task "
                 "WHERE status = 'done' AND done_at >= :first AND done_at < :end GROUP BY k", w)


def overdue_tasks(s: Db, w: Window) -> list[Any]:
    """Tasks due in the period that were not done by their due date."""
    return _rows(s, f"SELECT {key_sql(s, 'due_on', w.unit)} AS k, COUNT(*) FROM task "
                 "WHERE due_on >= :first AND due_on < :end AND due_on < :today "
                 f"AND (done_at IS NULL OR {s.backend.date_of('done_at')} > due_on) "
                 "GROUP BY k", w)


def lead_time(s: Db, w: Window) -> list[Any]:
    return _rows(s, f"SELECT {key_sql(s, 'done_on', w.unit)} AS k, "
                 f"AVG({s.backend.days_between('done_on', 'start_on')}) FROM project "
                 "WHERE status = 'done' AND start_on IS NOT NULL AND done_on >= :first "
                 "AND done_on < :end GROUP BY k", w)


def ownership(s: Db, w: Window) -> list[Any]:
    """Per period, annualised: straight-line depreciation of owned assets + linked spending."""
    values = ", ".join(f"(:k{i}, :s{i}, :e{i})" for i in range(len(w.keys)))
    params: dict[str, Any] = {"months": w.months}
    ends = [*w.starts[1:], w.end]
    for i, (k, start, end) in enumerate(zip(w.keys, w.starts, ends, strict=True)):
        params.update({f"k{i}": k, f"s{i}": start.isoformat(), f"e{i}": end.isoformat()})
    # The assets that count somewhere in the window, each with its end of life computed
    # once (materialised), then matched with the 13 periods: one pass over the assets
    # instead of 13, and 13 times fewer date() calls.
    sql = (f"WITH p(k, s, e) AS (VALUES {values}), a AS MATERIALIZED ("
           "SELECT price_minor * 1.0 * :months / life_months AS v, purchased_on AS b, "
           f"retired_on AS r, {s.backend.plus_months('purchased_on', 'life_months')} AS dead "
           "FROM asset WHERE price_currency = :cur AND life_months > 0 "
           "AND price_minor IS NOT NULL AND purchased_on < :end "
           "AND (retired_on IS NULL OR retired_on >= :first)) "
           "SELECT k, SUM(v) * 12.0 / :months FROM ("
           "SELECT p.k AS k, a.v AS v FROM p JOIN a ON a.b < p.e "
           "AND (a.r IS NULL OR a.r >= p.s) AND a.dead > p.s "
           f"UNION ALL SELECT {key_sql(s, 'occurred_on', w.unit)}, -amount_minor FROM txn "
           "WHERE asset_id IS NOT NULL AND amount_minor < 0 AND currency = :cur "
           # ``|| ''`` keeps SQLite's planner on the partial asset_id index (few rows)
           # rather than the date range (every row of the 13 periods)
           "AND occurred_on || '' >= :first AND occurred_on || '' < :end) AS spent "
           "GROUP BY k")
    return _rows(s, sql, w, **params)


def completeness(s: Db, w: Window) -> list[Any]:
    """Per period: of the records created in it (assets in use, transactions, open
    projects), the share of the checked fields (services/gaps.py) present now."""
    from stuffctl.services.gaps import KINDS, tally

    ends = [*w.starts[1:], w.end]
    spans = [(k, start.isoformat(), end.isoformat())
             for k, start, end in zip(w.keys, w.starts, ends, strict=True)]
    present: dict[str, int] = {}
    checked: dict[str, int] = {}
    for kind in KINDS.values():
        n = len(kind.fields)
        for key, (records, _, missing) in tally(s, kind, spans=spans).items():
            present[key] = present.get(key, 0) + records * n - sum(missing)
            checked[key] = checked.get(key, 0) + records * n
    return [(key, round(present[key] / total, 4)) for key, total in sorted(checked.items())
            if total]
