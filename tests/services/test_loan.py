"""Loans and people as services: status changes, history, due dates for reminders."""

from __future__ import annotations

from datetime import date

import pytest

from stuffctl.errors import Conflict, InvalidInput, NotFound
from stuffctl.services import asset, loan, lookup, person
from stuffctl.services.asset import AssetChanges, show_asset
from stuffctl.services.remind import due

D = date(2026, 3, 1)


def add_asset(db, name):
    return asset.add_asset(db=db, changes=AssetChanges(values={"name": name}))["id"]


def column(db, asset_id, name):
    return db.one(f"SELECT {name} FROM asset WHERE id = ?", (asset_id,))


@pytest.fixture
def ladder(db):
    person.add_person(db=db, values={"name": "Sam"})
    return add_asset(db, "Ladder")


def test_lending_marks_the_asset_lent_and_returning_makes_it_active_again(db, ladder):
    record = loan.lend(db=db, asset_id=ladder, person="sam", since=D,
                       due=date(2026, 3, 10))
    assert (column(db, ladder, "status"), record["direction"], record["open"]) == (
        "lent", "out", True)
    back = loan.give_back(db=db, asset_id=ladder, on=date(2026, 3, 12))
    assert (column(db, ladder, "status"), back["returned_on"], back["open"]) == (
        "active", "2026-03-12", False)
    history = list(loan.list_loans(db=db, include_returned=True))
    assert [h["id"] for h in history] == [record["id"]]
    assert list(loan.list_loans(db=db)) == []


def test_a_borrowed_thing_is_an_asset_owned_by_the_lender_and_goes_back(db, ladder):
    record = loan.borrow(db=db, name="Tile cutter", person="Sam", since=D,
                         due=date(2026, 3, 5))
    asset = record["asset_id"]
    assert (column(db, asset, "status"), column(db, asset, "owner_id")) == (
        "borrowed", record["person_id"])
    loan.give_back(db=db, asset_id=asset, on=D)
    assert column(db, asset, "status") == "returned"


def test_overdue_means_open_and_past_due(db, ladder):
    loan.lend(db=db, asset_id=ladder, person="Sam", since=D, due=date(2026, 3, 2))
    loan.borrow(db=db, name="Drill", person="Sam", since=D, due=date(2026, 4, 1))
    late = list(loan.list_loans(db=db, overdue=True, today=date(2026, 3, 20)))
    assert [x["asset_name"] for x in late] == ["Ladder"]
    assert late[0]["overdue"] is True


def test_loans_due_lists_open_loans_due_in_the_window(db, ladder):
    loan.lend(db=db, asset_id=ladder, person="Sam", since=D, due=date(2026, 3, 2))
    drill = loan.borrow(db=db, name="Drill", person="Sam", since=D,
                        due=date(2026, 4, 1))
    assert due.loans_due(db=db, start=date(2026, 3, 15), end=date(2026, 4, 30)) == [
        {"loan_id": drill["id"], "asset_id": drill["asset_id"], "asset_name": "Drill",
         "person": "Sam", "direction": "in", "due": "2026-04-01"}]


@pytest.mark.parametrize(("status", "error"), [("lent", Conflict), ("sold", Conflict)])
def test_a_lent_or_sold_asset_cannot_be_lent(db, ladder, status, error):
    db.execute("UPDATE asset SET status = ? WHERE id = ?", (status, ladder))
    with pytest.raises(error):
        loan.lend(db=db, asset_id=ladder, person="Sam", since=D)


def test_lending_checks_person_and_dates(db, ladder):
    with pytest.raises(NotFound, match="no person called 'Kim'"):
        loan.lend(db=db, asset_id=ladder, person="Kim", since=D)
    with pytest.raises(InvalidInput, match="before the loan starts"):
        loan.lend(db=db, asset_id=ladder, person="Sam", since=D,
                  due=date(2026, 2, 1))
    with pytest.raises(Conflict, match="not on loan"):
        loan.give_back(db=db, asset_id=ladder, on=D)


def test_a_name_shared_by_two_people_needs_the_id(db, ladder):
    person.add_person(db=db, values={"name": "sam"})
    with pytest.raises(InvalidInput, match="2 people are called"):
        loan.lend(db=db, asset_id=ladder, person="Sam", since=D)


def test_a_person_with_loans_on_record_cannot_be_removed(db, ladder):
    record = loan.lend(db=db, asset_id=ladder, person="Sam", since=D)
    with pytest.raises(Conflict, match="1 loan"):
        person.remove_person(db=db, person_id=record["person_id"])


def test_asset_show_has_owner_current_loan_and_history(db, ladder):
    loan.lend(db=db, asset_id=ladder, person="Sam", since=D)
    data = show_asset(db=db, asset_id=ladder, today=date.today())
    assert data["owner"] is None
    assert data["loan"]["person_name"] == "Sam"
    assert len(data["loans"]) == 1


def test_seen_records_date_and_place(db, ladder):
    seen = asset.mark_seen(db=db, asset_id=ladder, on=D, at="Shed")
    assert (seen["last_seen_on"], seen["last_seen_at"]) == ("2026-03-01", "Shed")
    assert column(db, ladder, "last_seen_at") == "Shed"


def test_the_loan_list_orders_open_by_due_date_then_the_history(db, ladder):
    drill, saw = add_asset(db, "Drill"), add_asset(db, "Saw")
    no_due = loan.lend(db=db, asset_id=saw, person="Sam", since=D)
    later = loan.lend(db=db, asset_id=drill, person="Sam", since=D,
                      due=date(2026, 5, 1))
    soon = loan.lend(db=db, asset_id=ladder, person="Sam", since=D,
                     due=date(2026, 3, 9))
    loan.give_back(db=db, asset_id=drill, on=date(2026, 3, 3))
    listed = loan.list_loans(db=db, include_returned=True, direction="out")
    assert [x["id"] for x in listed] == [soon["id"], no_due["id"], later["id"]]
    assert [x["id"] for x in loan.list_loans(db=db, direction="in")] == []
    with pytest.raises(InvalidInput, match="--direction: expected out or in"):
        list(loan.list_loans(db=db, direction="sideways"))


def test_a_person_is_found_by_id_or_by_name_in_any_case(db, ladder):
    sam = lookup.resolve(db, "person", "SAM", "--person")
    assert lookup.resolve(db, "person", f" {sam} ", "--person") == sam
    with pytest.raises(NotFound, match="--person: no person with id 99"):
        lookup.resolve(db, "person", "99", "--person")
    with pytest.raises(NotFound, match="no person called 'Kim'"):
        lookup.resolve(db, "person", "Kim", "--to")
    person.add_person(db=db, values={"name": "sam"})
    with pytest.raises(InvalidInput,
                       match=r"2 people are called 'Sam'; did you mean 1 Sam or 2 sam\?"):
        lookup.resolve(db, "person", "Sam", "--person")


def test_showing_a_person_lists_what_they_own_and_their_loans(db, ladder):
    sam = lookup.resolve(db, "person", "Sam", "--person")
    record = loan.borrow(db=db, name="Tile cutter", person="Sam", since=D,
                         due=date(2026, 3, 5))
    shown = person.show_person(db=db, person_id=sam)
    assert shown["owns"] == [{"id": record["asset_id"], "name": "Tile cutter"}]
    assert [x["id"] for x in shown["loans"]] == [record["id"]]
    with pytest.raises(NotFound, match="no person with id 42"):
        person.show_person(db=db, person_id=42)
