"""Project services: due items for reminders, spend per currency, name lookups, demo."""

from __future__ import annotations

from datetime import date

import pytest

from stuffctl.errors import Conflict, InvalidInput
from stuffctl.money import Money
from stuffctl.services import demo
from stuffctl.services.lookup import resolve
from stuffctl.services.project import records as project_records
from stuffctl.services.project.records import ProjectChanges
from stuffctl.services.remind.due import due_items
from stuffctl.services.task import records as task_records
from stuffctl.services.task.records import TaskChanges
from stuffctl.store import sql

TODAY = date(2026, 6, 15)


def add(db, name, **values):
    return project_records.add_project(db=db, today=TODAY,
                                       changes=ProjectChanges(values={"name": name, **values}))


def test_due_items_lists_open_projects_and_open_tasks_due_in_the_half_open_range(db):
    trip = add(db, "Trip", due_on=date(2026, 6, 20))
    add(db, "Old", due_on=date(2026, 6, 18), status="dropped")
    add(db, "Later", due_on=date(2026, 7, 1))
    for title, due in (("Book", date(2026, 6, 15)), ("Pack", date(2026, 6, 30)),
                       ("Done one", date(2026, 6, 16))):
        task_records.add_task(db=db, project="Trip",
                              changes=TaskChanges(values={"title": title, "due_on": due}))
    task_records.complete_tasks(db=db, ids=[3])
    assert due_items(db=db, start=TODAY, end=date(2026, 7, 1)) == [
        {"kind": "task", "id": 1, "title": "Book", "due": "2026-06-15", "project": "Trip"},
        {"kind": "project", "id": trip["id"], "title": "Trip", "due": "2026-06-20",
         "project": "Trip"},
        {"kind": "task", "id": 2, "title": "Pack", "due": "2026-06-30", "project": "Trip"},
    ]


def test_spend_is_money_out_minus_money_in_per_currency(db):
    project = add(db, "Trip", budget=Money(100000, "EUR"))
    for m, c in ((-50000, "EUR"), (-3000, "NOK"), (5000, "EUR"), (-999, "NOK")):
        sql.insert(db, "txn", {"occurred_on": TODAY, "amount_minor": m, "currency": c,
                               "project_id": project["id"]})
    sql.insert(db, "txn", {"occurred_on": TODAY, "amount_minor": -1, "currency": "EUR"})
    data = project_records.show_project(db=db, ref="trip", today=TODAY)
    assert data["spent"] == [{"amount": "450.00", "currency": "EUR"},
                             {"amount": "39.99", "currency": "NOK"}]
    assert data["budget_left"] == {"amount": "550.00", "currency": "EUR"}
    assert data["budget_used_percent"] == 45


def test_names_are_unique_among_open_projects_only(db):
    first = add(db, "Car service", status="done")
    second = add(db, "Car service")
    assert resolve(db, "project", "car SERVICE") == second["id"]
    with pytest.raises(Conflict):
        add(db, "car service")
    project_records.set_status(db=db, ref=str(second["id"]), status="done", on=TODAY)
    with pytest.raises(InvalidInput, match=f"did you mean {first['id']} Car service or "
                                           f"{second['id']} Car service"):
        resolve(db, "project", "Car service")
    with pytest.raises(InvalidInput, match="only digits"):
        add(db, "2026")


def test_the_demo_has_five_projects_in_different_states(db):
    demo.build(db=db, seed=1, today=TODAY)
    rows = list(project_records.list_projects(db=db,
                                              flt=project_records.ProjectFilter(include_closed=True)))
    assert sorted(p["status"] for p in rows) == ["active", "active", "done", "on_hold",
                                                 "planned"]
    kitchen = project_records.show_project(db=db, ref="Kitchen renovation", today=TODAY)
    assert (kitchen["progress"], len(kitchen["assets"])) == (50, 2)
    assert kitchen["next_task"]["title"] == "Remove the old kitchen"


def test_task_list_filters_by_project_due_date_readiness_and_status(db):
    from stuffctl.errors import NotFound
    from stuffctl.services.task.records import TaskFilter, list_tasks

    add(db, "Trip")
    add(db, "Shed", status="dropped")
    for project, title, due in (("Trip", "Book", date(2026, 6, 10)), ("Trip", "Pack", None),
                                ("Trip", "Go", date(2026, 6, 20)), ("Shed", "Paint", None)):
        task_records.add_task(db=db, project=project,
                              changes=TaskChanges(values={"title": title, "due_on": due}))
    task_records.edit_task(db=db, task_id=3, changes=TaskChanges(add_deps=[2]))

    def titles(**kw):
        return [t["title"] for t in list_tasks(db=db, flt=TaskFilter(**kw), today=TODAY)]

    assert titles() == ["Book", "Go", "Pack"]  # soonest due first, undated last
    assert titles(overdue=True) == ["Book"]
    assert titles(ready=True) == ["Book", "Pack"]  # Go waits on Pack
    assert titles(due_before=date(2026, 6, 15)) == ["Book"]
    assert titles(project="shed", include_done=True) == ["Paint"]
    assert titles(include_done=True) == ["Book", "Go", "Pack", "Paint"]
    task_records.complete_tasks(db=db, ids=[2])
    assert titles(ready=True) == ["Book", "Go"]
    with pytest.raises(NotFound, match="no project called 'nowhere'"):
        titles(project="nowhere")
