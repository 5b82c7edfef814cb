"""Bench goals: ``spend:groceries <= 400``, ``maintenance_on_time >= 0.9``."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from stuffctl.errors import InvalidInput, NotFound
from stuffctl.services.sql import dbapi, stamp
from stuffctl.vocabulary import GOAL_OPS

if TYPE_CHECKING:
    from sqlmodel import Session

_GOAL = re.compile(r"\s*(\S.*?)\s*(<=|>=|==|=|<|>)\s*(\S+)\s*")


def known_metrics() -> list[str]:
    from stuffctl.services.bench import METRICS

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


GOALS = "SELECT id, uid, metric, op, target, created_at, updated_at FROM goal ORDER BY metric"


def goal_json(row: Sequence[Any]) -> dict[str, Any]:
    """The JSON shape of a goal, from a row of ``GOALS`` (as stored, or a model's values)."""
    ident, uid, metric, op, target, created_at, updated_at = row
    return {"id": ident, "uid": uid, "metric": metric, "op": op, "target": target,
            "created_at": stamp(created_at), "updated_at": stamp(updated_at)}


def _json(g: Any) -> dict[str, Any]:
    return goal_json([g.id, g.uid, g.metric, g.op, g.target, g.created_at, g.updated_at])


def set_goal(*, session: Session, metric: str, op: str, target: Decimal) -> dict[str, Any]:
    """Set (or replace) the goal of ``metric``."""
    from sqlmodel import col, select

    from stuffctl.models.bench import Goal

    goal = session.exec(select(Goal).where(col(Goal.metric) == metric)).first()
    if goal is None:
        goal = Goal(metric=metric, op=op, target=str(target))
        session.add(goal)
    else:
        goal.op, goal.target = op, str(target)
    session.flush()
    return _json(goal)


def list_goals(*, db: Any) -> list[dict[str, Any]]:
    """Every goal, by metric (``db``: a plain sqlite3 connection or a session)."""
    return [goal_json(row) for row in dbapi(db).execute(GOALS)]


def remove_goal(*, session: Session, metric: str) -> dict[str, Any]:
    from sqlmodel import col, select

    from stuffctl.models.bench import Goal

    goal = session.exec(select(Goal).where(col(Goal.metric) == metric)).first()
    if goal is None:
        raise NotFound(f"no goal for {metric!r} (see 'stuffctl bench goal list')")
    data = _json(goal)
    session.delete(goal)
    session.flush()
    return data


def met(now: float, op: str, target: float) -> bool:
    return {"<=": now <= target, ">=": now >= target, "<": now < target,
            ">": now > target, "==": now == target}[op]


def progress(*, db: Any, metrics: list[dict[str, Any]]) -> list[dict[str, Any]]:
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
