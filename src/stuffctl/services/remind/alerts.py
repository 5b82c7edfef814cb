"""Alerts on anomalies, as reminder sources: notified once each by `remind run`.

Three sources, each switched off by its config key (``alerts.budget``,
``alerts.unusual_spend``, ``alerts.price_change``):

- ``alert_budget``: a budget past 100% in its current period;
- ``alert_spend``: a category's month-to-date spend above the 90th percentile of
  its spend up to the same day of month in each of the last 12 months;
- ``alert_price``: a subscription charge whose amount differs from the one before.

A candidate is due today (so it is in the ``due`` band while the condition
holds) and its occurrence names the period or the charge, so the
notify-once machinery sends it once per budget period, month or charge.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date
from typing import Any

from stuffctl.dates import add_months
from stuffctl.money import Money
from stuffctl.services.budget import budget_status
from stuffctl.services.remind.settings import Settings
from stuffctl.services.remind.sources import Candidate, source
from stuffctl.store.handle import Db

PERCENTILE = 0.9
HISTORY_MONTHS = 12
MIN_HISTORY = 3  # months with spending before a category's range is "usual"


def _today(start: date, settings: Settings) -> date:
    """Sources are asked about [today - lookback, …): recover today from the window."""
    today: date = start + settings.lookback()
    return today


def _enabled(settings: Settings, name: str) -> bool:
    return bool(settings.values.get(f"alerts.{name}", True))


def _alert(kind: str, key: str, title: str, today: date, occurrence: str,
           about: str | None = None) -> Candidate:
    return Candidate(kind=kind, key=key, title=title, due=today, lead="0d",
                     occurrence=occurrence, about=about)


@source("alert_budget")
def budgets_over(conn: Db, start: date, end: date) -> list[Candidate]:
    settings = Settings.load()
    if not _enabled(settings, "budget"):
        return []
    today = _today(start, settings)
    rows = budget_status(db=conn, today=today)["budgets"]
    return [_alert("alert_budget", f"alert:budget:{r['category']}",
                   f"Budget {r['category']} passed 100%: spent {_text(r['spent'])} of "
                   f"{_text(r['budget'])} ({r['percent']:g}%)", today, r["start"])
            for r in rows if r["over"]]


def _text(money: dict[str, str]) -> str:
    return f"{money['amount']} {money['currency']}"


MONTH_TO_DATE = (
    "SELECT substr(occurred_on, 1, 7), category, currency, -sum(amount_minor) FROM txn"
    " WHERE occurred_on >= ? AND occurred_on <= ? AND amount_minor < 0"
    " AND category IS NOT NULL AND CAST(substr(occurred_on, 9, 2) AS INTEGER) <= ?"
    " GROUP BY 1, category, currency")


def month_to_date(db: Db, today: date) -> dict[tuple[str, str], dict[str, int]]:
    """Spend per (category, currency) and month up to ``today``'s day of month.

    One aggregate over the last 12 months and this one: money out only.
    """
    first = add_months(today.replace(day=1), -HISTORY_MONTHS)
    rows = db.execute(MONTH_TO_DATE, (first.isoformat(), today.isoformat(), today.day))
    found: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for m, category, currency, total in rows:
        found[str(category), currency][m] = int(total)
    return found


def percentile(values: list[int], share: float = PERCENTILE) -> int:
    """Nearest-rank percentile of ``values`` (not empty)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def unusual(db: Db, today: date) -> list[dict[str, Any]]:
    """Categories whose month-to-date spend is above their usual range."""
    current = f"{today.year:04d}-{today.month:02d}"
    history = [f"{d.year:04d}-{d.month:02d}" for d in
               (add_months(today.replace(day=1), -n) for n in range(1, HISTORY_MONTHS + 1))]
    found = []
    for (category, currency), months in month_to_date(db, today).items():
        past = [months.get(m, 0) for m in history]
        if current not in months or sum(1 for v in past if v) < MIN_HISTORY:
            continue
        usual = percentile(past)
        if months[current] > usual:
            found.append({"category": category, "currency": currency, "month": current,
                          "spent": months[current], "usual": usual})
    return sorted(found, key=lambda f: (f["category"], f["currency"]))


@source("alert_spend")
def unusual_spend(conn: Db, start: date, end: date) -> list[Candidate]:
    settings = Settings.load()
    if not _enabled(settings, "unusual_spend"):
        return []
    today = _today(start, settings)
    return [_alert("alert_spend", f"alert:spend:{u['category']}:{u['currency']}",
                   f"Unusual spending on {u['category']}: {Money(u['spent'], u['currency'])} "
                   f"so far this month (usually at most {Money(u['usual'], u['currency'])} "
                   f"by day {today.day})", today, u["month"])
            for u in unusual(conn, today)]


# Each charge with the amount of the charge before it (of the same subscription).
PRICE_CHANGES = (
    "SELECT c.subscription_id, s.name, c.due_on, c.before, c.amount_minor, c.currency FROM"
    " (SELECT subscription_id, due_on, amount_minor, currency, lag(amount_minor)"
    "  OVER (PARTITION BY subscription_id ORDER BY due_on) AS before"
    "  FROM subscription_charge) AS c JOIN subscription s ON s.id = c.subscription_id"
    " WHERE c.due_on >= ? AND c.due_on <= ? AND c.before IS NOT NULL"
    " AND c.before != c.amount_minor")


@source("alert_price")
def price_changes(conn: Db, start: date, end: date) -> list[Candidate]:
    """Charges since ``start`` whose amount differs from the subscription's charge before."""
    settings = Settings.load()
    if not _enabled(settings, "price_change"):
        return []
    today = _today(start, settings)
    rows = conn.execute(PRICE_CHANGES, (start.isoformat(), today.isoformat()))
    return [_alert("alert_price", f"alert:price:subscription:{sid}",
                   f"{name} changed price: {Money(old, cur)} → {Money(new, cur)}", today,
                   due, about=f"subscription:{sid}")
            for sid, name, due, old, new, cur in rows]
