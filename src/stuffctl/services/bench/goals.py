"""Bench goals: ``spend:groceries <= 400``, ``maintenance_on_time >= 0.9``."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from stuffctl.errors import InvalidInput, NotFound
from stuffctl.store.handle import Db
from stuffctl.store.sql import insert, stamp, update
from stuffctl.vocabulary import GOAL_OPS

_GOAL = re.compile(r"\s*(\S.*?)\s*(<=|>=|==|=|<|>)\s*(\S+)\s*")


def known_metrics() -> list[str]:
    from stuffctl.services.bench.metrics import METRICS

    return list(METRICS)


def parse_goal(text: str) -> tuple[str, str, Decimal]:
    """``METRIC OP VALUE`` → (metric, op, target); ``=`` means ``==``."""
    m = _GOAL.fullmatch(text)
    if not m:
        raise InvalidInput(f"goal: expected METRIC OP VALUE like 'spend:groceries <= 400' "
                           f"(got {text!r})")
    metric, op, value = m[1], "==" if m[2] == "=" else m[2], m[3]
    _check_metric(metric)
    try:
        target = Decimal(value)
    except InvalidOperation:
        raise InvalidInput(f"goal: {value!r} is not a number") from None
    if not target.is_finite():
        raise InvalidInput(f"goal: {value!r} is not a number")
    assert op in GOAL_OPS
    return metric, op, target


def _check_metric(metric: str) -> None:
    if metric.startswith("spend:") and len(metric) > len("spend:"):
        return
    if metric not in known_metrics() or metric == "spend:CATEGORY":
        raise InvalidInput(f"unknown metric {metric!r}; known: "
                           f"{', '.join(known_metrics())}")


GOAL_ROWS = "SELECT id, uid, metric, op, target, created_at, updated_at FROM goal"
GOALS = f"{GOAL_ROWS} ORDER BY metric"


def goal_json(row: Sequence[Any]) -> dict[str, Any]:
    """The JSON shape of a goal, from a row of ``GOALS`` (as stored, or a model's values)."""
    ident, uid, metric, op, target, created_at, updated_at = row
    return {"id": ident, "uid": uid, "metric": metric, "op": op, "target": target,
            "created_at": stamp(created_at), "updated_at": stamp(updated_at)}


def _goal(db: Db, metric: str) -> dict[str, Any] | None:
    row = db.execute(f"{GOAL_ROWS} WHERE metric = ?", (metric,)).fetchone()
    return goal_json(row) if row else None


def set_goal(*, db: Db, metric: str, op: str, target: Decimal) -> dict[str, Any]:
    """Set (or replace) the goal of ``metric``; its JSON shape."""
    found = _goal(db, metric)
    if found is None:
        insert(db, "goal", {"metric": metric, "op": op, "target": str(target)})
    else:
        update(db, "goal", found["id"], {"op": op, "target": str(target)})
    data = _goal(db, metric)
    assert data is not None
    return data


def list_goals(*, db: Db) -> list[dict[str, Any]]:
    """Every goal, by metric."""
    return [goal_json(row) for row in db.execute(GOALS)]


def remove_goal(*, db: Db, metric: str) -> dict[str, Any]:
    data = _goal(db, metric)
    if data is None:
        raise NotFound(f"no goal for {metric!r} (see 'stuffctl bench goal list')")
    db.execute("DELETE FROM goal WHERE id = ?", (data["id"],))
    return data


def met(now: float, op: str, target: float) -> bool:
    return {"<=": now <= target, ">=": now >= target, "<": now < target,
            ">": now > target, "==": now == target}[op]


def progress(*, db: Db, metrics: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each goal against this period's value: met or not, and how far from the target."""
    now = {m["metric"]: m["now"] for m in metrics}
    out = []
    for g in list_goals(db=db):
        value, target = now.get(g["metric"]), float(g["target"])
        ok = None if value is None else met(value, g["op"], target)
        distance = None if value is None else (0.0 if ok else round(abs(target - value), 4))
        out.append({"metric": g["metric"], "op": g["op"], "target": g["target"],
                    "now": value, "met": ok, "distance": distance})
    return out
