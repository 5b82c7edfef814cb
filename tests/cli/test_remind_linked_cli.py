"""Renewals, cancel-by dates, project and task due dates and loans become reminders
with no extra typing, and `remind run` notifies each band of each once."""

from __future__ import annotations

from datetime import date, timedelta

TODAY = date.today()
# `remind run --now` ten days from today; every date below counts from today.
NOW = f"{TODAY + timedelta(days=10)} 09:00"


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


def household(cli):
    cli.ok("sub", "add", "Gym", "30", "--every", "monthly", "--next", day(16),
           "--cancel-by", day(12))
    cli.ok("project", "add", "Tax return", "--due", day(11))
    cli.ok("task", "add", "Tax return", "Collect receipts", "--due", day(8))
    cli.ok("person", "add", "Sam")
    cli.ok("asset", "add", "Ladder")
    cli.ok("asset", "lend", "1", "--to", "Sam", "--due", day(8))


def test_every_linked_source_appears_with_its_kind_and_key(cli):
    household(cli)
    items = cli.json("remind", "run", "--now", NOW)
    found = {(i["kind"], i["key"], i["band"]) for i in items}
    assert found == {
        ("renewal", "renewal:subscription:1", "soon"),
        ("cancel_by", "cancel_by:subscription:1", "soon"),
        ("project", "project:1", "soon"),
        ("task", "task:1", "overdue"),
        ("loan", "loan:1", "overdue"),
    }
    titles = {i["key"]: i["title"] for i in items}
    assert titles["renewal:subscription:1"] == "Gym renews (30.00 EUR)"
    assert titles["cancel_by:subscription:1"] == "Last day to cancel Gym"
    assert titles["loan:1"] == "Sam should bring back the Ladder"
    assert titles["task:1"] == "Collect receipts (Tax return)"
    assert cli("remind", "run", "--now", NOW).stdout == ""


def test_closing_the_thing_closes_its_reminder(cli):
    household(cli)
    cli.ok("asset", "return", "1")
    cli.ok("task", "done", "1")
    cli.ok("sub", "cancel", "1")
    keys = {i["key"] for i in cli.json("remind", "run", "--now", NOW)}
    assert keys == {"project:1"}
