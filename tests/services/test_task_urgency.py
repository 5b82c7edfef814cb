"""The urgency score and the order of `task next`: each test says why a task ranks where."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stuffctl import config
from stuffctl.config import URGENCY_DEFAULTS
from stuffctl.services.project import records as project_records
from stuffctl.services.project.records import ProjectChanges
from stuffctl.services.task import rank, urgency
from stuffctl.services.task import records as task_records
from stuffctl.services.task.records import TaskChanges

TODAY = date(2026, 6, 15)


@pytest.mark.parametrize(("days_until_due", "expected"), [
    (30, 0.2), (14, 0.2), (0, 0.2 + 0.8 * 14 / 21), (-7, 1.0), (-100, 1.0), (7, 0.2 + 0.8 * 7 / 21),
])
def test_due_ramp_runs_from_two_weeks_ahead_to_a_week_overdue(days_until_due, expected):
    assert urgency.due_ramp(TODAY + timedelta(days=days_until_due), TODAY) == pytest.approx(
        expected)


def test_no_due_date_adds_nothing_and_age_is_capped_at_a_year():
    assert urgency.due_ramp(None, TODAY) == 0.0
    assert urgency.age_factor(TODAY - timedelta(days=73), TODAY) == pytest.approx(0.2)
    assert urgency.age_factor(TODAY - timedelta(days=900), TODAY) == 1.0


@given(st.integers(-2000, 2000), st.integers(-2000, 2000))
def test_due_ramp_is_bounded_and_never_falls_as_the_date_comes_closer(a, b):
    early, late = sorted((a, b))
    ramp_far = urgency.due_ramp(TODAY + timedelta(days=late), TODAY)
    ramp_near = urgency.due_ramp(TODAY + timedelta(days=early), TODAY)
    assert 0.2 <= ramp_far <= ramp_near <= 1.0


def test_the_score_is_the_sum_of_its_terms():
    f = urgency.Factors(due_on=TODAY - timedelta(days=7), priority="M", blocking=True,
                        blocked=True, created_on=TODAY - timedelta(days=365),
                        project_due_on=TODAY + timedelta(days=30))
    assert urgency.terms(f, TODAY, URGENCY_DEFAULTS) == pytest.approx({
        "due": 12.0, "priority": 3.9, "blocking": 8.0, "blocked": -5.0, "age": 2.0,
        "project_due": 0.8})
    assert urgency.score(f, TODAY) == pytest.approx(21.7)


def _project(db, name, due=None, status="active"):
    values = {"name": name, "status": status, "due_on": due}
    return project_records.add_project(db=db, today=TODAY, changes=ProjectChanges(
        values={k: v for k, v in values.items() if v is not None}))["id"]


def _task(db, project, title, *, due=None, priority=None, after=(), age_days=0):
    values = {"title": title, "due_on": due, "priority": priority}
    task = task_records.add_task(db=db, project=str(project), changes=TaskChanges(
        values={k: v for k, v in values.items() if v is not None}, add_deps=list(after)))
    created = datetime.combine(TODAY - timedelta(days=age_days), datetime.min.time(), UTC)
    db.execute("UPDATE task SET created_at = ? WHERE id = ?",
               (created.strftime("%Y-%m-%d %H:%M:%S.%f"), task["id"]))
    return task["id"]


def _next(db, limit=10):
    return [t["title"] for t in rank.next_tasks(db, TODAY, limit=limit)]


def test_task_next_order_and_why(db):
    home = _project(db, "Home")
    trip = _project(db, "Trip", due=TODAY + timedelta(days=3))
    # 12 * 1.0: a week overdue, the due ramp is at its top.
    _task(db, home, "overdue", due=TODAY - timedelta(days=7))
    # 6 (H) + 2 * 1.0 (a year old): high priority, old, but no date.
    _task(db, home, "old high", priority="H", age_days=400)
    # 8: another open task waits on it (blocking); 12 * 0.2 = 2.4 more for a date far ahead.
    first = _task(db, home, "blocks another", due=TODAY + timedelta(days=60))
    # 4 * 0.62: its project is due in 3 days; nothing else.
    _task(db, trip, "in a project due soon")
    # 1.8 (L): low priority only.
    _task(db, home, "low")
    # -5 + 3.9 (M): waits on an open task, so it sinks below everything else.
    _task(db, home, "blocked", priority="M", after=[first])
    assert _next(db) == ["overdue", "blocks another", "old high", "in a project due soon",
                              "low", "blocked"]


def test_ties_go_to_the_sooner_due_then_the_older_id(db):
    home = _project(db, "Home")
    # Same score (both far ahead: 12 * 0.2); the sooner date wins, then the lower id.
    _task(db, home, "later", due=TODAY + timedelta(days=90))
    _task(db, home, "sooner", due=TODAY + timedelta(days=30))
    _task(db, home, "plain a")
    _task(db, home, "plain b")
    assert _next(db) == ["sooner", "later", "plain a", "plain b"]


def test_tasks_of_projects_on_hold_done_or_dropped_are_not_next(db):
    for status in ("on_hold", "done", "dropped", "planned"):
        _task(db, _project(db, status, status=status), f"in {status}")
    assert _next(db) == ["in planned"]


def test_a_done_dependency_no_longer_blocks(db):
    home = _project(db, "Home")
    first = _task(db, home, "first", priority="L")
    _task(db, home, "second", priority="M", after=[first])
    # second: M 3.9 - 5 blocked; first: L 1.8 + 8 blocking.
    assert _next(db) == ["first", "second"]
    task_records.complete_tasks(db=db, ids=[first])
    assert _next(db) == ["second"]


def test_coefficients_come_from_the_config(db):
    home = _project(db, "Home")
    _task(db, home, "overdue", due=TODAY - timedelta(days=10))
    _task(db, home, "high", priority="H")
    assert _next(db) == ["overdue", "high"]
    config.set_value("urgency.priority_h", "20")
    # 20 for H now beats 12 for a week overdue.
    assert _next(db) == ["high", "overdue"]
    assert rank.next_tasks(db, TODAY, limit=5)[0]["urgency"] == 20.0


def test_next_limits_and_loads_only_the_top(db):
    home = _project(db, "Home")
    for n in range(8):
        _task(db, home, f"t{n}", due=TODAY + timedelta(days=n))
    assert _next(db, limit=3) == ["t0", "t1", "t2"]
