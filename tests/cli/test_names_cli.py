"""Names wherever an id is: the demo household's assets, people, projects, tasks,
subscriptions and reminders by id, by name in any case, by the start or a part of a name;
"did you mean" when that is not one thing (issue #23)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from stuffctl import store

TODAY = date(2026, 3, 2)  # the demo is built as of this day, whatever the clock says


@pytest.fixture
def demo(home):
    """The demo household (seed 1) in the test's database."""
    from stuffctl.services import demo as demo_service

    with store.transaction(write=True) as db:
        demo_service.build(db=db, seed=1, today=TODAY)


def ids(cli, *args: str) -> dict[str, int]:
    """Name (or title) → id of what a list command shows."""
    return {row.get("name", row.get("title")): row["id"] for row in cli.json(*args)}


def error(result) -> str:
    """The one line a failed command wrote, without its ``stuffctl: error:`` prefix."""
    lines = result.stderr.splitlines()
    assert result.stdout == "" and len(lines) == 1, result.stderr
    return lines[0].removeprefix("stuffctl: error: ")


def test_the_issues_examples_take_names(demo, cli):
    assert cli.json("asset", "show", "Dishwasher")["name"] == "Dishwasher"
    assert cli.json("person", "show", "Sam")["name"] == "Sam"
    assert cli.json("project", "show", "kitchen")["name"] == "Kitchen renovation"
    done = cli.json("task", "done", "Remove the old kitchen")
    assert [(t["title"], t["status"]) for t in done["tasks"]] == [
        ("Remove the old kitchen", "done")]


@pytest.mark.parametrize(("args", "key", "found"), [
    (["asset", "show", "DISHWASHER"], "name", "Dishwasher"),  # any case
    (["asset", "show", "frid"], "name", "Fridge"),  # the start of one name
    (["asset", "show", "tyres"], "name", "Winter tyres"),  # a part of one name
    (["asset", "show", "Car"], "name", "Car"),  # a whole name beats the start of another
    (["person", "show", "rob"], "name", "Robin"),
    (["project", "show", "NORWAY"], "name", "Summer trip to Norway"),
    (["sub", "show", "netflix"], "name", "Netflix"),
    (["sub", "show", "car"], "name", "Car insurance"),
    (["remind", "edit", "bins", "--notes", "kerbside"], "title", "Bins out"),
    (["task", "edit", "ferry", "--priority", "m"], "title", "Book the ferry"),
])
def test_a_name_in_any_case_or_a_unique_start_or_part_of_one_is_enough(demo, cli, args,
                                                                        key, found):
    assert cli.json(*args)[key] == found


def test_options_that_take_an_id_take_a_name(demo, cli):
    assets, projects = ids(cli, "asset", "list"), ids(cli, "project", "list", "--all")
    txn = cli.json("tx", "add", "-12", "Bosch service", "--asset", "dishwasher",
                   "--project", "kitchen")
    assert (txn["asset_id"], txn["project_id"]) == (assets["Dishwasher"],
                                                    projects["Kitchen renovation"])
    listed = cli.json("tx", "list", "--asset", "Dishwasher", "--project", "Kitchen")
    assert [t["id"] for t in listed] == [txn["id"]]
    task = cli.json("task", "add", "norway", "Buy maps", "--after", "Book the ferry",
                    "--assignee", "alex")
    tasks = ids(cli, "task", "list", "--all")
    assert (task["project"], task["depends_on"], task["assignee"]) == (
        "Summer trip to Norway", [tasks["Book the ferry"]], "Alex")
    linked = cli.json("project", "edit", "Sell the old", "--asset", "Road bike")
    assert sorted(linked["asset_ids"]) == sorted([assets["City bike"], assets["Road bike"]])
    lent = cli.json("asset", "lend", "drill", "--to", "robin", "--on", "2026-03-01")
    assert (lent["asset_name"], lent["person_name"]) == ("Drill", "Robin")


def test_an_ambiguous_start_lists_the_candidates_and_exits_2(demo, cli):
    assets = ids(cli, "asset", "list")
    result = cli("asset", "show", "Ca")
    assert result.exit_code == 2
    assert error(result) == (
        f"2 assets have names starting with 'Ca'; did you mean {assets['Camera']} Camera or "
        f"{assets['Car']} Car? Give the id or more of the name.")
    as_json = cli("asset", "show", "ca", "--json")
    assert json.loads(as_json.stderr.splitlines()[1])["error"]["code"] == "invalid_input"


def test_many_candidates_show_five_and_how_many_more(demo, cli):
    result = cli("asset", "show", "a")  # no name starts with "a": a part of 20 or so
    assert result.exit_code == 2
    message = error(result)
    count = sum("a" in name.lower() for name in ids(cli, "asset", "list"))
    assert message.startswith(f"{count} assets have 'a' in their name; did you mean ")
    assert message.endswith(f" (or {count - 5} more)? Give the id or more of the name.")


def test_a_typo_is_not_found_with_a_suggestion_and_exits_3(demo, cli):
    assets, projects = ids(cli, "asset", "list"), ids(cli, "project", "list", "--all")
    result = cli("asset", "show", "Dishwsher")
    assert (result.exit_code, error(result)) == (
        3, f"no asset called 'Dishwsher'; did you mean {assets['Dishwasher']} Dishwasher?")
    result = cli("task", "add", "kitchn", "Tiles")  # a typo in the start of a long name
    assert (result.exit_code, error(result)) == (3, "no project called 'kitchn'; did you "
                                                    f"mean {projects['Kitchen renovation']} "
                                                    "Kitchen renovation?")
    result = cli("asset", "lend", "Drill", "--to", "Kim")
    assert (result.exit_code, error(result)) == (
        3, "--to: no person called 'Kim' (add them with 'stuffctl person add Kim')")
    assert cli("asset", "show", "9999").exit_code == 3


def test_a_name_of_digits_is_an_id_unless_it_starts_with_an_equals_sign(demo, cli):
    added = cli.json("asset", "add", "1984")
    result = cli("asset", "show", "1984")
    assert (result.exit_code, error(result)) == (
        3, "no asset with id 1984; for the one called '1984', give =1984")
    assert cli.json("asset", "show", "=1984")["id"] == added["id"]
    first = cli.json("asset", "show", "1")
    assert cli.json("asset", "show", str(first["id"]))["name"] == first["name"]


def test_one_still_in_use_wins_a_tie_of_whole_names(demo, cli):
    old = cli.json("asset", "add", "Drill")
    result = cli("asset", "show", "drill")
    drills = [a["id"] for a in cli.json("asset", "list", "--sort", "id") if a["name"] == "Drill"]
    assert (result.exit_code, error(result)) == (
        2, f"2 assets are called 'drill'; did you mean {drills[0]} Drill or {drills[1]} "
           "Drill? Give the id.")
    cli.ok("asset", "retire", str(old["id"]))
    assert cli.json("asset", "show", "drill")["id"] == drills[0]


def test_several_tasks_by_title_and_id_in_one_command(demo, cli):
    tasks = ids(cli, "task", "list")
    done = cli.json("task", "done", "Install", str(tasks["Book the ferry"]))
    assert [t["title"] for t in done["tasks"]] == ["Install cabinets", "Book the ferry"]
    assert cli("task", "done", "Install", "nothing like it").exit_code == 3
