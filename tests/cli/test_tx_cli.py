"""tx, budget and sub as a person and a script use them."""

from __future__ import annotations

import pytest

from tests.conftest import sql_one


def test_tx_add_takes_a_negative_amount_or_out_and_prints_the_json_shape(cli):
    cli.ok("asset", "add", "Car")
    cli.ok("project", "add", "Road trip")
    data = cli.json("tx", "add", "-12.50", "Lidl", "--on", "2026-03-05", "--category",
                    "groceries", "--account", "bank:ing", "--memo", "weekly", "--tag", "food",
                    "--asset", "1", "--project", "1")
    stamps = ("uid", "created_at", "updated_at", "created_by", "updated_by", "revision")
    assert data["created_by"] == data["updated_by"] and data["created_by"]  # the login
    assert {k: v for k, v in data.items() if k not in stamps} == {
        "id": 1, "on": "2026-03-05", "amount": {"amount": "-12.50", "currency": "EUR"},
        "payee": "Lidl", "category": "groceries", "account": "bank:ing", "memo": "weekly",
        "tags": ["food"], "asset_id": 1, "project_id": 1, "subscription_id": None,
        "imported": False}
    assert cli.json("tx", "add", "30", "Shop", "--out", "--currency", "usd")["amount"] == {
        "amount": "-30.00", "currency": "USD"}
    assert cli.ok("tx", "add", "2000", "Employer", "--in").stdout.startswith(
        "added transaction 3: ")


def test_tx_list_filters_and_the_table_has_totals_per_currency(cli):
    cli.ok("tx", "add", "-10", "Lidl", "--on", "2026-03-01", "--category", "food")
    cli.ok("tx", "add", "-20", "Cafe", "--on", "2026-04-01", "--category", "food:out")
    cli.ok("tx", "add", "-5", "Kiosk", "--on", "2026-04-02", "--currency", "USD")
    assert [t["payee"] for t in cli.json("tx", "list", "--category", "food", "--desc")] == [
        "Cafe", "Lidl"]
    assert [t["payee"] for t in cli.json("tx", "list", "--from", "2026-04-01",
                                         "--to", "2026-04-01")] == ["Cafe"]
    assert [t["payee"] for t in cli.json("tx", "list", "--search", "kio")] == ["Kiosk"]
    table = cli.ok("tx", "list").stdout
    assert "Totals" in table and "-30.00 EUR" in table and "-5.00 USD" in table


def test_tx_edit_show_and_rm(cli):
    cli.ok("tx", "add", "-10", "Lidl", "--tag", "a")
    changed = cli.json("tx", "edit", "1", "--amount", "-11", "--payee", "LIDL", "--untag", "a",
                       "--unset", "category")
    assert (changed["amount"]["amount"], changed["payee"], changed["tags"]) == (
        "-11.00", "LIDL", [])
    assert "Payee" in cli.ok("tx", "show", "1").stdout
    assert cli.json("tx", "rm", "1", "--yes")["id"] == 1
    missing = cli("tx", "show", "1")
    assert (missing.exit_code, missing.stderr) == (3, "stuffctl: error: no transaction with "
                                                      "id 1\n")


@pytest.mark.parametrize(("args", "message"), [
    (["tx", "add", "12,3x", "A"], "AMOUNT: not an amount"),
    (["tx", "add", "5", "A", "--in", "--out"], "--in and --out contradict each other"),
    (["tx", "add", "5", "A", "--on", "someday"], "--on: not a date"),
    (["tx", "list", "--period", "2026-13"], "--period: not a period"),
    (["budget", "set", "food", "0"], "a budget must be more than zero"),
    (["sub", "add", "X", "5", "--every", "sometimes", "--next", "today"],
     "--every: not a recurrence"),
])
def test_bad_input_is_exit_2_and_writes_nothing(cli, args, message):
    result = cli(*args)
    assert result.exit_code == 2, result.stderr
    assert message in result.stderr and len(result.stderr.splitlines()) == 1
    assert sql_one("SELECT count(*) FROM txn") == 0


def test_budget_commands(cli):
    assert cli.json("budget", "set", "food", "400")["amount"] == {"amount": "400.00",
                                                                  "currency": "EUR"}
    cli.ok("tx", "add", "-100", "Lidl", "--category", "food:groceries")
    status = cli.json("budget", "status")
    assert status["budgets"][0]["spent"]["amount"] == "100.00"
    assert "25.0%" in cli.ok("budget", "status").stdout
    assert [b["category"] for b in cli.json("budget", "list")] == ["food"]
    cli.ok("budget", "rm", "food")
    assert cli("budget", "rm", "food").exit_code == 3


def test_sub_commands_post_once_and_show_history(cli):
    added = cli.json("sub", "add", "Power", "80", "--every", "every 3 months", "--next",
                     "2026-01-01", "--category", "home:energy", "--cancel-by", "2026-12-01")
    assert (added["every"], added["yearly"]["amount"], added["next_on"]) == (
        "every 3 months", "320.00", "2026-01-01")
    posted = cli.json("sub", "post", "--until", "2026-06-30")
    assert [p["due_on"] for p in posted] == ["2026-01-01", "2026-04-01"]
    assert cli.json("sub", "post", "--until", "2026-06-30") == []
    paid = cli.json("sub", "paid", "1", "--amount", "95.20", "--on", "2026-01-04")
    assert (paid["amount"]["amount"], paid["due_on"]) == ("95.20", "2026-01-01")
    shown = cli.json("sub", "show", "1")
    assert shown["paid_total"]["amount"] == "175.20" and shown["price_change"] is not None
    assert "Charges" in cli.ok("sub", "show", "1").stdout
    assert "PER MONTH" in cli.ok("sub", "list").stdout
    assert cli.json("sub", "cancel", "1")["status"] == "cancelled"
    assert cli.json("sub", "list") == []
    assert cli.json("sub", "rm", "1", "--yes")["name"] == "Power"
    assert len(cli.json("tx", "list")) == 2
