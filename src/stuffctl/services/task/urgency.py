"""The urgency of an open task: a sum of coefficient * factor, as in Taskwarrior.

Pure: no database, no clock. Every factor lies in [0, 1]; the coefficients say
how much each one weighs (defaults in :mod:`stuffctl.config`) and can be changed in
the config (``urgency.<name>``, see docs/projects.md). A task's score is

    due * due_ramp(task due) + priority_<H|M|L> + blocking * [it blocks an open task]
    + blocked * [it waits on an open task] + age * min(age in days / 365, 1)
    + project_due * due_ramp(project due)

where ``due_ramp`` is 0 without a date, 0.2 for two weeks or more ahead, rising
linearly to 1.0 at a week overdue and staying there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from stuffctl.config import URGENCY_DEFAULTS

RAMP_AHEAD_DAYS = 14
RAMP_OVERDUE_DAYS = 7
AGE_CAP_DAYS = 365


@dataclass(frozen=True)
class Factors:
    """What the score of one task depends on."""

    due_on: date | None
    priority: str | None
    blocking: bool
    blocked: bool
    created_on: date
    project_due_on: date | None


def due_ramp(due_on: date | None, today: date) -> float:
    """0 without a date; 0.2 far ahead; linear up to 1.0 at a week overdue."""
    if due_on is None:
        return 0.0
    overdue = (today - due_on).days
    if overdue >= RAMP_OVERDUE_DAYS:
        return 1.0
    if overdue <= -RAMP_AHEAD_DAYS:
        return 0.2
    return 0.2 + 0.8 * (overdue + RAMP_AHEAD_DAYS) / (RAMP_AHEAD_DAYS + RAMP_OVERDUE_DAYS)


def age_factor(created_on: date, today: date) -> float:
    return min(max((today - created_on).days, 0) / AGE_CAP_DAYS, 1.0)


def terms(f: Factors, today: date, coefficients: Mapping[str, float]) -> dict[str, float]:
    """Each coefficient * factor, by name (the parts that add up to the score)."""
    c = coefficients
    priority = f"priority_{f.priority.lower()}" if f.priority else None
    return {
        "due": c["due"] * due_ramp(f.due_on, today),
        "priority": c[priority] if priority else 0.0,
        "blocking": c["blocking"] if f.blocking else 0.0,
        "blocked": c["blocked"] if f.blocked else 0.0,
        "age": c["age"] * age_factor(f.created_on, today),
        "project_due": c["project_due"] * due_ramp(f.project_due_on, today),
    }


def score(f: Factors, today: date, coefficients: Mapping[str, float] = URGENCY_DEFAULTS) -> float:
    """The urgency of a task, rounded to 3 decimals."""
    return round(sum(terms(f, today, coefficients).values()), 3)


def coefficients(overrides: Mapping[str, object]) -> dict[str, float]:
    """URGENCY_DEFAULTS with ``urgency.<name>`` values from a flat config dict applied."""
    result = dict(URGENCY_DEFAULTS)
    for name in URGENCY_DEFAULTS:
        value = overrides.get(f"urgency.{name}")
        if isinstance(value, int | float) and not isinstance(value, bool):
            result[name] = float(value)
    return result
