"""`person`, `loan list` and `asset lend|borrow|return|owner|seen` from the command line."""

from __future__ import annotations

import pytest


def person(cli, name="Sam", *args):
    return cli.json("person", "add", name, *args)


def test_person_add_prints_the_person_shape(cli):
    data = person(cli, "Sam", "--email", "sam@example.org", "--phone", "123")
    assert set(data) == {"id", "uid", "name", "email", "phone", "notes", "login",
                         "created_at", "updated_at", "created_by", "updated_by", "revision"}
    assert (data["id"], data["name"], data["email"], data["phone"], data["notes"]) == (
        1, "Sam", "sam@example.org", "123", None)


def test_person_list_show_edit_rm(cli):
    person(cli, "Sam")
    person(cli, "alex")
    assert [p["name"] for p in cli.json("person", "list")] == ["alex", "Sam"]
    cli.ok("person", "edit", "1", "--email", "s@x.org")
    assert cli.json("person", "show", "1")["email"] == "s@x.org"
    cli.ok("person", "edit", "1", "--unset", "email")
    shown = cli.json("person", "show", "1")
    assert (shown["email"], shown["owns"], shown["loans"]) == (None, [], [])
    assert cli.ok("person", "rm", "2", "--yes").stdout == "removed person 2: alex\n"
    assert cli("person", "show", "2").exit_code == 3


def test_lend_return_and_loan_list(cli):
    person(cli, "Sam")
    cli.ok("asset", "add", "Ladder")
    lent = cli.json("asset", "lend", "1", "--to", "Sam", "--on", "2026-01-01",
                    "--due", "2026-01-10")
    assert set(lent) == {"id", "uid", "asset_id", "asset_name", "person_id", "person_name",
                         "direction", "since", "due_on", "returned_on", "open", "overdue",
                         "notes", "created_at", "updated_at"}
    assert cli.json("asset", "show", "1")["status"] == "lent"
    assert [x["asset_name"] for x in cli.json("loan", "list", "--overdue")] == ["Ladder"]
    assert cli.json("loan", "list", "--person", "1")[0]["person_name"] == "Sam"
    table = cli.ok("loan", "list").stdout
    assert "Ladder" in table and "lent to" in table and "OVERDUE" in table
    cli.ok("asset", "return", "1")
    assert cli.json("loan", "list") == []
    assert len(cli.json("loan", "list", "--all")) == 1
    assert cli.json("asset", "show", "1")["status"] == "active"


def test_borrow_adds_an_asset_owned_by_the_lender(cli):
    person(cli, "Alex")
    loan = cli.json("asset", "borrow", "Tile cutter", "--from", "alex", "--due", "+2w")
    shown = cli.json("asset", "show", str(loan["asset_id"]))
    assert (shown["status"], shown["owner"], shown["loan"]["direction"]) == (
        "borrowed", {"id": 1, "name": "Alex"}, "in")
    assert "borrowed from Alex" in cli.ok("asset", "show", str(loan["asset_id"])).stdout


def test_owner_can_be_set_and_cleared(cli):
    person(cli, "Sam")
    cli.ok("asset", "add", "Bike")
    assert cli.json("asset", "owner", "1", "Sam")["owner_id"] == 1
    assert cli.json("person", "show", "1")["owns"] == [{"id": 1, "name": "Bike"}]
    assert cli.json("asset", "owner", "1", "--clear")["owner_id"] is None
    assert cli("asset", "owner", "1").exit_code == 2


@pytest.mark.parametrize(("args", "code", "message"), [
    (["asset", "lend", "1", "--to", "Nobody"], 3, "no person called 'Nobody'"),
    (["asset", "lend", "9", "--to", "Sam"], 3, "no asset with id 9"),
    (["asset", "lend", "1", "--to", "Sam", "--due", "someday"], 2, "--due"),
    (["asset", "return", "1"], 4, "not on loan"),
    (["asset", "borrow", "Saw", "--from", "Sam"], 2, "--due"),
])
def test_loan_errors_are_one_line_with_their_exit_code(cli, args, code, message):
    person(cli, "Sam")
    cli.ok("asset", "add", "Ladder")
    result = cli(*args)
    assert result.exit_code == code
    assert message in result.stderr and len(result.stderr.splitlines()) == 1
    assert cli.json("loan", "list", "--all") == []


def test_stocktake_lists_what_was_not_seen_since(cli):
    cli.ok("asset", "add", "Tent", "--bought", "2020-05-01")
    cli.ok("asset", "add", "Drill", "--bought", "2020-05-01")
    cli.ok("asset", "seen", "2", "--at", "Garage")
    data = cli.json("asset", "list", "--not-seen-since", "1y")
    assert [a["name"] for a in data] == ["Tent"]
    drill = cli.json("asset", "show", "2")
    assert drill["last_seen_at"] == "Garage" and drill["last_seen_on"] is not None
    assert cli("asset", "list", "--not-seen-since", "whenever").exit_code == 2
