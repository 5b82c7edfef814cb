"""`stuffctl bench`: how this period compares with your own last 12.

Every metric is computed for all 13 periods by one SQL statement grouped by a
period key (services/bench/metrics.py); median, best and percentile are then
worked out here over those 13 numbers. Money metrics use one currency (the
configured default): numbers in its major unit while they are worked out, decimal
strings (``"12.50"``) in the document, as every amount in JSON is.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from stuffctl.dates import add_months, period_bounds
from stuffctl.errors import InvalidInput
from stuffctl.money import Money, exponent, to_minor
from stuffctl.services.bench import metrics as q
from stuffctl.services.bench.metrics import METRICS, Info, Window
from stuffctl.store.handle import Db

PERIODS = ("month", "quarter", "year")
BASES = ("last", "median", "best")
HISTORY = 13


def info(metric: str) -> Info:
    return METRICS["spend:CATEGORY" if metric.startswith("spend:") else metric]


def window(*, unit: str, today: date, currency: str) -> Window:
    """The last complete ``unit`` before ``today`` and the 12 before it."""
    if unit not in PERIODS:
        raise InvalidInput(f"--period: expected one of {', '.join(PERIODS)} (got {unit!r})")
    end = period_bounds(today, unit)[0]  # type: ignore[arg-type]
    months = q.MONTHS[unit]
    starts = [add_months(end, -months * n) for n in range(HISTORY, 0, -1)]
    return Window(unit, [q.period_key(s, unit) for s in starts], starts, end, currency, today)


Series = dict[str, dict[str, float | None]]


def _fill(w: Window, values: dict[str, float | None], default: float | None) -> dict[str, Any]:
    return {k: values.get(k, default) for k in w.keys}


def _major(w: Window, minor: float | None) -> float | None:
    return None if minor is None else round(minor / 10 ** exponent(w.currency), 2)


def _money(w: Window, rows: list[Any]) -> dict[str, float | None]:
    return _fill(w, {r[0]: _major(w, r[-1]) for r in rows}, 0.0)


def _budget_adherence(s: Db, w: Window) -> dict[str, float | None]:
    total = q.budget_count(s, w)
    if not total:
        return _fill(w, {}, None)
    over: dict[str, int] = {}
    for key, _, spent, limit in q.budget_spend(s, w):
        over[key] = over.get(key, 0) + (spent > limit)
    return {k: round((total - over.get(k, 0)) / total, 4) for k in w.keys}


def _maintenance(s: Db, w: Window) -> Series:
    rows = q.maintenance(s, w)
    on_time = {r[0]: round(r[2] / r[1], 4) for r in rows if r[1]}
    late = {r[0]: None if r[3] is None else round(r[3], 1) for r in rows}
    return {"maintenance_on_time": _fill(w, on_time, None),
            "maintenance_days_late": _fill(w, late, None)}


def _reminders(s: Db, w: Window) -> Series:
    rows = q.reminders(s, w)
    return {"reminders_handled": _fill(w, {r[0]: r[1] for r in rows}, 0),
            "reminders_missed": _fill(w, {r[0]: r[2] for r in rows}, 0)}


def _spend(s: Db, w: Window) -> Series:
    """Total and per top-level category, from one query (uncategorised: total only).
    The history starts with the first transaction: a period before it is None (nothing
    recorded yet), not zero spending; one after it without spending is zero."""
    total: dict[str, float] = {}
    per: dict[str, dict[str, float | None]] = {}
    for key, top, minor in q.spend_by_category(s, w):
        total[key] = total.get(key, 0) + minor
        if top != "-":
            per.setdefault(f"spend:{top}", {})[key] = _major(w, minor)
    first = q.first_record(s, w)

    def history(values: dict[str, float | None]) -> dict[str, float | None]:
        return {k: None if first is None or k < first else v
                for k, v in _fill(w, values, 0.0).items()}

    out: Series = {"spend_total": history({k: _major(w, v) for k, v in total.items()})}
    out.update({name: history(vals) for name, vals in sorted(per.items())})
    return out


def _one(name: str, fn: Callable[[Any, Window], dict[str, Any]]) -> Callable[..., Series]:
    return lambda s, w: {name: fn(s, w)}


COLLECTORS: list[Callable[[Any, Window], Series]] = [
    _spend,
    _one("budget_adherence", _budget_adherence),
    _one("subscription_cost", lambda s, w: _money(w, q.subscription_cost(s, w))),
    _maintenance,
    _reminders,
    _one("tasks_completed", lambda s, w: _fill(w, dict(q.tasks_completed(s, w)), 0)),
    _one("project_lead_time", lambda s, w: _fill(
        w, {k: round(v, 1) for k, v in q.lead_time(s, w)}, None)),
    _one("overdue_tasks", lambda s, w: _fill(w, dict(q.overdue_tasks(s, w)), 0)),
    _one("ownership_cost", lambda s, w: _money(w, q.ownership(s, w))),
    _one("completeness", lambda s, w: _fill(w, dict(q.completeness(s, w)), None)),
]


def histories(*, db: Db, w: Window) -> Series:
    """Every metric's value for each of the 13 periods (None: nothing to measure)."""
    series: Series = {}
    for collect in COLLECTORS:
        series.update(collect(db, w))
    return series


def percentile(now: float, values: list[float]) -> float | None:
    """Share of ``values`` below ``now`` (ties count half), in percent."""
    if not values:
        return None
    below = sum(v < now for v in values) + 0.5 * sum(v == now for v in values)
    return round(100 * below / len(values), 1)


def verdict(now: float | None, ref: float | None, higher_is_better: bool) -> str | None:
    if now is None or ref is None:
        return None
    if now == ref:
        return "same"
    return "better" if (now > ref) == higher_is_better else "worse"


def summarise(metric: str, history: list[float | None], vs: str) -> dict[str, Any]:
    """The documented bench row of one metric (docs/json.md#bench)."""
    meta = info(metric)
    now, prev = history[-1], [v for v in history[:-1] if v is not None]
    digits = 2 if meta.unit == "money" else 4
    median = round(statistics.median(prev), digits) if prev else None
    best = (max if meta.higher_is_better else min)(prev) if prev else None
    ref = {"last": history[-2], "median": median, "best": best}[vs]
    return {"metric": metric, "unit": meta.unit,
            "direction": "higher_is_better" if meta.higher_is_better else "lower_is_better",
            "now": now, "median": median, "best": best,
            "percentile": None if now is None else percentile(now, prev),
            "history": history, "vs": {"basis": vs, "value": ref},
            "verdict": verdict(now, ref, meta.higher_is_better)}


def bench(*, db: Db, unit: str, vs: str, today: date,
          currency: str) -> dict[str, Any]:
    """The `stuffctl bench` document: every metric, and progress toward each goal."""
    from stuffctl.services.bench.goals import progress

    if vs not in BASES:
        raise InvalidInput(f"--vs: expected one of {', '.join(BASES)} (got {vs!r})")
    w = window(unit=unit, today=today, currency=currency)
    series = histories(db=db, w=w)
    rows = [summarise(name, [vals[k] for k in w.keys], vs) for name, vals in series.items()]
    goals = progress(db=db, metrics=rows)
    return {"period": unit, "as_of": w.keys[-1], "periods": w.keys, "currency": currency,
            "ends": (w.end - timedelta(days=1)).isoformat(), "vs": vs,
            "metrics": [metric_json(row, currency) for row in rows],
            "goals": [money_fields(g, currency, "now", "distance") for g in goals]}


def decimal_str(value: float | None, currency: str) -> str | None:
    """A money statistic as JSON has every amount: ``12.5`` → ``"12.50"`` (EUR)."""
    if value is None:
        return None
    minor = to_minor(Decimal(repr(value)), currency, rounding=ROUND_HALF_EVEN)
    return Money(minor, currency).decimal_str()


def money_fields(row: dict[str, Any], currency: str, *keys: str) -> dict[str, Any]:
    """``row`` with ``keys`` as decimal strings when its metric is money, else as it is."""
    if info(row["metric"]).unit != "money":
        return row
    return {**row, **{k: decimal_str(row[k], currency) for k in keys}}


def metric_json(row: dict[str, Any], currency: str) -> dict[str, Any]:
    """A metric row as documented (docs/json.md#bench): money values as decimal strings."""
    if row["unit"] != "money":
        return row
    out = money_fields(row, currency, "now", "median", "best")
    return {**out, "history": [decimal_str(v, currency) for v in row["history"]],
            "vs": {**row["vs"], "value": decimal_str(row["vs"]["value"], currency)}}
