"""Project templates: the shipped examples load, tasks get relative due dates and order."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from stuffctl.errors import InvalidInput, NotFound
from stuffctl.services.project import records, templates
from stuffctl.services.project.records import ProjectChanges

DOCS = Path(__file__).resolve().parents[2] / "docs" / "templates"
START = date(2026, 4, 1)


@pytest.fixture
def shipped():
    target = templates.templates_dir()
    target.mkdir(parents=True)
    for path in DOCS.glob("*.toml"):
        shutil.copy(path, target / path.name)
    return target


def test_the_shipped_examples_are_valid_and_listed(shipped):
    assert [(t["name"], t["tasks"], t["error"]) for t in templates.list_templates()] == [
        ("car-service", 4, None), ("kitchen-renovation", 8, None)]


def test_a_project_from_a_template_gets_its_tasks_with_relative_dates(shipped, db):
    template = templates.load_template("car-service")
    project = templates.add_from_template(
        db=db, template=template, today=START,
        changes=ProjectChanges(values={"name": "Car service", "start_on": START}))
    data = records.show_project(db=db, ref="Car service", today=START)
    assert (data["due_on"], data["budget"], data["tags"]) == (
        "2026-04-22", {"amount": "400.00", "currency": "EUR"}, ["car"])
    assert [(t["title"][:6], t["due_on"], t["depends_on"]) for t in data["tasks"]] == [
        ("Book t", "2026-04-03", []), ("Switch", "2026-04-15", [1]),
        ("Drop t", "2026-04-15", [1]), ("File t", "2026-04-22", [3])]
    assert data["next_task"]["title"] == "Book the garage"
    assert (project["status"], project["tasks_total"]) == ("active", 4)


@pytest.mark.parametrize(("text", "needle"), [
    ('[[tasks]]\ntitle = "a"\nafter = [1]\n', "task 1: after"),
    ('[[tasks]]\ntitle = ""\n', "task 1: needs a title"),
    ('[[tasks]]\ntitle = "a"\npriority = "X"\n', "task 1: priority"),
    ("tags = 'x'\n", "tags: expected a list"),
    ("this is = not toml", "not valid TOML"),
])
def test_a_bad_template_names_the_file_and_the_problem(text, needle):
    target = templates.templates_dir()
    target.mkdir(parents=True)
    (target / "bad.toml").write_text(text)
    with pytest.raises(InvalidInput, match=r"bad\.toml") as err:
        templates.load_template("bad")
    assert needle in err.value.message
    assert templates.list_templates()[0]["tasks"] is None


def test_a_bad_relative_due_date_is_refused_before_anything_is_written(db):
    target = templates.templates_dir()
    target.mkdir(parents=True)
    (target / "t.toml").write_text('[[tasks]]\ntitle = "a"\ndue = "soonish"\n')
    with pytest.raises(InvalidInput, match="task 1: due"):
        templates.add_from_template(db=db, template=templates.load_template("t"),
                                    changes=ProjectChanges(values={"name": "X"}), today=START)


def test_unknown_and_unsafe_names():
    with pytest.raises(NotFound):
        templates.load_template("nothing")
    with pytest.raises(InvalidInput):
        templates.load_template("../etc/passwd")
