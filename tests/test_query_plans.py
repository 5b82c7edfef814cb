"""The main listings and reports use an index: SQLite's own query plans, checked.

Each query is the service's own plain SQL (``store.sql``). A dropped index or
a rewritten filter that stops using one fails here instead of turning a
1,000,000-row report slow without anyone noticing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from stuffctl.services import asset, budget, report
from stuffctl.services.task import rank
from stuffctl.services.tx import records
from stuffctl.store.sqlite import SQLITE

pytestmark = pytest.mark.sqlite_only("the query plans are SQLite's (EXPLAIN QUERY PLAN)")

MONTH = (date(2026, 10, 1), date(2026, 11, 1))


def plan(db: Any, sql: str, params: Any = ()) -> list[str]:
    """The detail lines of ``EXPLAIN QUERY PLAN`` for a service's plain SQL."""
    return [row[-1] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", params)]


def full_scans(lines: list[str], table: str) -> list[str]:
    """``SCAN <table>`` lines that read the table itself, not an index."""
    return [line for line in lines
            if line.startswith(f"SCAN {table}") and "INDEX" not in line]


@pytest.mark.parametrize("flt", [
    records.TxnFilter(category="groceries"),
    records.TxnFilter(start=MONTH[0], end=MONTH[1]),
    records.TxnFilter(start=MONTH[0], end=MONTH[1], category="groceries"),
], ids=["category", "period", "period-and-category"])
def test_tx_list_filters_walk_an_index_not_the_table(db, flt):
    lines = plan(db, *records.txn_query(flt, limit=50))
    assert full_scans(lines, "txn") == [], lines
    assert any("ix_txn_spend" in line for line in lines), lines


def test_tx_list_by_period_searches_the_date_range(db):
    lines = plan(db, *records.txn_query(records.TxnFilter(start=MONTH[0],
                                                               end=MONTH[1])))
    assert any(line.startswith("SEARCH txn USING INDEX ix_txn_spend (occurred_on>? AND "
                               "occurred_on<?)") for line in lines), lines


def test_asset_list_by_category_uses_an_index(db):
    lines = plan(db, *asset.asset_query(db.backend, asset.AssetFilter(category="tools"),
                                             limit=50))
    assert full_scans(lines, "asset") == [], lines
    assert any("INDEX ix_asset_" in line for line in lines), lines


@pytest.mark.parametrize("query", [
    budget.SUMS, records.SPEND, *(report.spend_query(SQLITE, "category", per)
                                  for per in report.PERIODS),
    report.cashflow_query(SQLITE, "quarter"),
], ids=["budget-status", "spend-by-category", "report-spend-month", "report-spend-quarter",
        "report-spend-year", "report-cashflow"])
def test_money_aggregates_read_only_the_covering_index(db, query):
    lines = plan(db, query, tuple(d.isoformat() for d in MONTH))
    assert any(line.startswith("SEARCH t") and "USING COVERING INDEX ix_txn_spend" in line
               for line in lines), lines


def test_task_next_never_scans_the_task_table(db):
    lines = plan(db, rank.NEXT)
    assert full_scans(lines, "task") == [], lines
    assert any("ix_task_project_id" in line or "ix_task_status" in line for line in lines), lines


def test_status_finds_what_changed_lately_without_scanning_the_big_tables(db):
    from stuffctl.services import status

    lines = plan(db, status.RECENT, status.recent_params(date(2026, 11, 23)))
    for table in ("txn", "asset", "event"):
        assert not full_scans(lines, table), lines


def test_category_list_counts_from_the_category_index_alone(db):
    from stuffctl.services import category

    lines = plan(db, category.IN_USE)
    assert lines == ["SEARCH txn USING COVERING INDEX ix_txn_category (category>?)"], lines
