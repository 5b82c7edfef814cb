"""Incidents as services: from the symptom through steps and costs to the fix, the
playbook kept from it, downtime, and what `asset show` says of them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stuffctl.errors import Conflict, InvalidInput, NotFound
from stuffctl.money import Money
from stuffctl.services import asset, incident, playbook
from stuffctl.services.asset import AssetChanges
from stuffctl.services.incident import IncidentChanges
from stuffctl.services.tx import records

D = date(2026, 3, 1)
TODAY = date(2026, 3, 20)


@pytest.fixture
def washer(db):
    return asset.add_asset(db=db, changes=AssetChanges(values={
        "name": "Washer", "brand": "Miele", "model": "W1", "category": "home:laundry"}))["id"]


def opened(db, asset_id, symptom="won't drain", **kw):
    return incident.open_incident(db=db, asset_id=asset_id, symptom=symptom, on=D,
                                  today=TODAY, **kw)


def update(db, incident_id, **kw):
    return incident.update_incident(db=db, incident_id=incident_id,
                                    changes=IncidentChanges(**kw), today=TODAY)


def test_opening_offers_the_playbooks_of_the_model(db, washer):
    kept = playbook.add_playbook(db=db, values={"symptom": "does not drain", "fix": "filter",
                                                "brand": "miele", "model": "w1"})
    data = opened(db, washer, " won't drain ", out_of_use=True, notes="smells")
    assert {k: data[k] for k in ("asset_name", "symptom", "started_on", "status", "closed",
                                 "out_of_use", "downtime_days", "downtime_given", "cost",
                                 "notes", "revision")} == {
        "asset_name": "Washer", "symptom": "won't drain", "started_on": "2026-03-01",
        "status": "open", "closed": False, "out_of_use": True, "downtime_days": 19,
        "downtime_given": False, "cost": [], "notes": "smells", "revision": 0}
    assert [(p["id"], p["matched_by"], p["shared_words"]) for p in data["playbooks"]] == [
        (kept["id"], "model", ["drain"])]


@pytest.mark.parametrize(("symptom", "asset_id", "error"), [
    ("  ", None, InvalidInput), ("x", 99, NotFound)])
def test_an_incident_needs_a_symptom_and_an_asset(db, washer, symptom, asset_id, error):
    with pytest.raises(error):
        opened(db, asset_id or washer, symptom)


def test_steps_costs_and_transactions_add_up_on_the_incident(db, washer):
    inc = opened(db, washer)["id"]
    bill = records.add_txn(db=db, changes=records.TxnChanges(values={
        "occurred_on": D, "amount": Money(-1200, "EUR"), "payee": "Parts shop"}))
    data = update(db, inc, step="checked the filter", helped=False, on=date(2026, 3, 2),
                  cost=Money(4500, "EUR"), payee="Repair Joe", txn_ids=[bill["id"]],
                  values={"status": "waiting", "cause": " pump "})
    assert [(s["on"], s["notes"], s["helped"]) for s in data["steps"]] == [
        ("2026-03-02", "checked the filter", False)]
    assert data["cost"] == [{"amount": "57.00", "currency": "EUR"}]
    assert [(t["payee"], t["amount"]["amount"], t["asset_id"], t["category"])
            for t in data["transactions"]] == [
        ("Parts shop", "-12.00", washer, None),  # linked: it becomes the washer's cost
        ("Repair Joe", "-45.00", washer, "assets:repair")]
    assert (data["status"], data["cause"]) == ("waiting", "pump")
    again = update(db, inc, txn_ids=[bill["id"]])  # linking twice counts once
    assert again["cost"] == [{"amount": "57.00", "currency": "EUR"}]


@pytest.mark.parametrize(("changes", "message"), [
    ({"helped": True}, "--helped/--no-help: say it of a --step"),
    ({"payee": "Joe"}, "--payee and --category go with --cost"),
    ({"step": "x", "on": D - timedelta(days=1)}, "before the incident started"),
    ({"values": {"status": "fixed"}}, "close it with 'stuffctl incident close"),
    ({"values": {"status": "broken"}}, "--status: expected open or waiting"),
    ({"values": {"symptom": " "}}, "--symptom: the symptom cannot be empty"),
    ({"values": {"downtime_days": -1}}, "--downtime: cannot be negative"),
    ({"txn_ids": [99], "cost": Money(100, "EUR"), "step": "x"}, "no transaction with id 99"),
    ({"links": ["mailto:joe@example.com"], "step": "x"}, "is not a link stuffctl opens"),
    ({"step": " ", "cost": Money(100, "EUR")}, "--step: a step cannot be empty"),
])
def test_an_update_says_what_is_wrong_and_changes_nothing(db, washer, changes, message):
    inc = opened(db, washer)["id"]
    with pytest.raises((InvalidInput, NotFound), match=message):
        update(db, inc, **changes)
    assert [db.one(f"SELECT count(*) FROM {t}") for t in ("incident_step", "txn", "link")] == [
        0, 0, 0]
    assert incident.public(db, inc, TODAY)["revision"] == 0


def test_closing_as_fixed_needs_a_fix_and_keeps_a_playbook(db, washer):
    inc = opened(db, washer, "water won't drain")["id"]
    update(db, inc, step="checked the filter", helped=False)
    update(db, inc, step="replaced  the pump", helped=True)
    with pytest.raises(InvalidInput, match="closing as fixed needs --fix"):
        incident.close_incident(db=db, incident_id=inc, on=TODAY, today=TODAY)
    with pytest.raises(InvalidInput, match="before the incident started"):
        incident.close_incident(db=db, incident_id=inc, on=D - timedelta(days=1),
                                today=TODAY, fix="pump")
    data = incident.close_incident(db=db, incident_id=inc, on=date(2026, 3, 5), today=TODAY,
                                   cause="worn pump", fix="new pump", keep_playbook=True)
    assert (data["status"], data["closed"], data["closed_on"], data["fix"]) == (
        "fixed", True, "2026-03-05", "new pump")
    kept = data["saved_playbook"]
    assert {k: kept[k] for k in ("brand", "model", "category", "symptom", "cause", "fix",
                                 "steps", "incident_id", "origin")} == {
        "brand": "Miele", "model": "W1", "category": "home:laundry",
        "symptom": "water won't drain", "cause": "worn pump", "fix": "new pump",
        "steps": ["checked the filter (did not help)", "replaced the pump (helped)"],
        "incident_id": inc, "origin": None}
    assert data["playbooks"] == []  # not offered its own
    with pytest.raises(Conflict, match="closed already"):
        incident.close_incident(db=db, incident_id=inc, on=TODAY, today=TODAY, fix="x")
    reopened = update(db, inc, values={"status": "open"})
    assert (reopened["status"], reopened["closed_on"]) == ("open", None)
    again = incident.close_incident(db=db, incident_id=inc, on=TODAY, today=TODAY,
                                    fix="new pump, again", keep_playbook=True)
    assert again["saved_playbook"]["id"] == kept["id"]  # the same playbook, updated
    assert again["saved_playbook"]["fix"] == "new pump, again"
    assert len(list(playbook.list_playbooks(db=db, flt=playbook.PlaybookFilter()))) == 1


def test_a_playbook_is_kept_for_the_category_when_the_asset_has_no_model(db):
    lamp = asset.add_asset(db=db, changes=AssetChanges(values={
        "name": "Lamp", "brand": "Ikea", "category": "home:light"}))["id"]
    inc = opened(db, lamp, "flickers")["id"]
    kept = incident.close_incident(db=db, incident_id=inc, on=TODAY, today=TODAY,
                                   fix="new bulb", keep_playbook=True)["saved_playbook"]
    assert (kept["brand"], kept["model"], kept["category"]) == (None, None, "home:light")
    bare = asset.add_asset(db=db, changes=AssetChanges(values={"name": "Thing"}))["id"]
    other = opened(db, bare, "broken")["id"]
    with pytest.raises(InvalidInput, match="neither a model nor a category"):
        incident.close_incident(db=db, incident_id=other, on=TODAY, today=TODAY, fix="glue",
                                keep_playbook=True)
    given_up = incident.close_incident(db=db, incident_id=other, on=TODAY, today=TODAY,
                                       status="wont_fix")
    assert (given_up["status"], given_up["saved_playbook"]) == ("wont_fix", None)


def test_the_list_shows_those_not_closed_unless_asked(db, washer):
    first = opened(db, washer, "a")["id"]
    second = incident.open_incident(db=db, asset_id=washer, symptom="b",
                                    on=date(2026, 3, 3), today=TODAY)["id"]
    incident.close_incident(db=db, incident_id=first, on=TODAY, today=TODAY, fix="x")

    def listed(**kw):
        return [i["id"] for i in incident.list_incidents(db=db, today=TODAY, **kw)]

    assert listed() == [second]
    assert listed(status="all") == [second, first]
    assert listed(status="fixed") == [first]
    assert listed(asset_id=washer + 1, status="all") == []
    with pytest.raises(InvalidInput, match="--status: expected open, waiting, fixed, "
                                           "wont_fix or all"):
        listed(status="nope")


def test_removing_an_incident_keeps_its_transactions_files_and_playbook(db, washer):
    inc = opened(db, washer)["id"]
    update(db, inc, cost=Money(900, "EUR"), step="looked")
    file = asset.add_attachment(db=db, asset_id=washer, filename="bill.pdf", sha256="a" * 64,
                                size=3, incident_id=inc)
    incident.close_incident(db=db, incident_id=inc, on=TODAY, today=TODAY, fix="x",
                            keep_playbook=True)
    gone = incident.remove_incident(db=db, incident_id=inc, today=TODAY)
    assert gone["id"] == inc
    assert db.one("SELECT count(*) FROM txn WHERE asset_id = ?", (washer,)) == 1
    assert db.one("SELECT incident_id FROM attachment WHERE id = ?", (file["id"],)) is None
    assert db.one("SELECT count(*) FROM playbook WHERE incident_id IS NULL") == 1
    assert db.one("SELECT count(*) FROM incident_step") == 0
    with pytest.raises(NotFound, match=f"no incident with id {inc}"):
        incident.show_incident(db=db, incident_id=inc, today=TODAY)


def test_the_same_file_attached_again_is_claimed_by_the_incident(db, washer):
    inc = opened(db, washer)["id"]
    first = asset.add_attachment(db=db, asset_id=washer, filename="p.jpg", sha256="b" * 64,
                                 size=1)
    again = asset.add_attachment(db=db, asset_id=washer, filename="p.jpg", sha256="b" * 64,
                                 size=1, incident_id=inc)
    assert (again["id"], first["incident_id"], again["incident_id"]) == (
        first["id"], None, inc)
    assert [a["id"] for a in incident.show_incident(
        db=db, incident_id=inc, today=TODAY)["attachments"]] == [first["id"]]


def test_asset_show_has_its_open_incidents_the_closed_count_and_repair_cost(db, washer):
    first = opened(db, washer, "a", out_of_use=True)["id"]
    opened(db, washer, "b")
    update(db, first, cost=Money(4500, "EUR"))
    incident.close_incident(db=db, incident_id=first, on=TODAY, today=TODAY, fix="x")
    shown = asset.show_asset(db=db, asset_id=washer, today=TODAY)["incidents"]
    assert shown == {"open": [{"id": first + 1, "symptom": "b", "status": "open",
                               "started_on": "2026-03-01", "out_of_use": False}],
                     "closed": 1, "repair_cost": [{"amount": "45.00", "currency": "EUR"}]}


def test_downtime_given_wins_and_auto_counts_again(db, washer):
    inc = opened(db, washer, out_of_use=True)["id"]
    assert update(db, inc, values={"downtime_days": 3})["downtime_days"] == 3
    counted = update(db, inc, values={"downtime_days": None})
    assert (counted["downtime_days"], counted["downtime_given"]) == (19, False)
    assert update(db, inc, values={"out_of_use": False})["downtime_days"] == 0


@given(start=st.dates(date(1990, 1, 1), date(2100, 1, 1)), length=st.integers(0, 5000),
       waited=st.integers(0, 5000), out_of_use=st.booleans(), closed=st.booleans(),
       given_days=st.none() | st.integers(0, 10_000))
def test_downtime_is_the_given_days_else_the_days_out_of_use(
        start, length, waited, out_of_use, closed, given_days):
    end = start + timedelta(days=length)
    today = end + timedelta(days=waited)
    days = incident.downtime_days(started_on=start, closed_on=end if closed else None,
                                  out_of_use=out_of_use, given=given_days, today=today)
    if given_days is not None:
        assert days == given_days
    elif not out_of_use:
        assert days == 0
    else:
        assert days == (length if closed else length + waited)
        assert start + timedelta(days=days) == (end if closed else today)
    # before it started (a date typed in the future) it has not been down at all
    assert incident.downtime_days(started_on=today + timedelta(days=1), closed_on=None,
                                  out_of_use=True, given=None, today=today) == 0
