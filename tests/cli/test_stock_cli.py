"""`stuffctl stock`, `stuffctl use` and `stuffctl shopping` through the command line, on
a frozen clock: output, JSON shapes as docs/json.md has them, errors and exit codes,
purchases from `tx add` and imports, and the stock reminders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from stuffctl.errors import ExitCode
from tests.cli.test_json_docs import documented_keys
from tests.conftest import Cli, sql_one, sql_rows
from tests.frozen_clock import frozen

NOW = dt.datetime(2026, 12, 1, 9, 0)


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    with frozen(NOW):
        yield


@pytest.fixture
def blades(cli: Cli) -> dict:
    cli.ok("asset", "add", "Car")
    return cli.json("stock", "add", "wiper blades", "--unit", "pcs", "--qty", "2",
                    "--reorder", "1", "--lead", "1w", "--asset", "car", "--vendor", "ATU")


def test_stock_add_prints_the_item_with_its_starting_count(cli, blades):
    assert {k: blades[k] for k in ("id", "name", "unit", "quantity", "reorder", "buy",
                                   "lead_days", "asset_id", "asset_name", "vendor",
                                   "status", "per_week", "runs_out_on")} == {
        "id": 1, "name": "wiper blades", "unit": "pcs", "quantity": "2", "reorder": "1",
        "buy": None, "lead_days": 7, "asset_id": 1, "asset_name": "Car", "vendor": "ATU",
        "status": "ok", "per_week": None, "runs_out_on": None}
    assert [(m["on"], m["kind"], m["delta"], m["notes"]) for m in blades["moves"]] == [
        ("2026-12-01", "count", "2", "starting quantity")]
    text = cli.ok("stock", "add", "salt", "--unit", "kg", "--qty", "1,5").stdout
    assert text == "added salt (stock item 2): 1.5 kg left\n"


def test_the_json_shapes_are_the_documented_ones(cli, blades):
    item = {k: v for k, v in blades.items() if k != "moves"}
    assert documented_keys("stock item") == set(item) | {"moves"}
    assert documented_keys("stock move") == set(blades["moves"][0])
    for listed in cli.json("stock", "list"):
        assert set(listed) == set(item)
    cli.ok("use", "wiper")
    (line,) = cli.json("shopping")
    assert documented_keys("shopping") == set(line)


def test_use_takes_one_by_default_and_says_what_is_left(cli, blades):
    result = cli.ok("use", "wiper", "--on", "2026-11-24")
    assert result.stdout == "used 1 pcs of wiper blades (stock item 1): 1 pcs left (low)\n"
    data = cli.json("use", "1", "0.5", "--notes", "rear")
    assert (data["quantity"], data["status"], data["per_week"], data["runs_out_on"]) == (
        "0.5", "low", "1.5", "2026-12-03")
    assert [(m["kind"], m["delta"], m["notes"]) for m in data["moves"]] == [
        ("use", "-0.5", "rear")]


def test_a_use_beyond_the_stock_exits_2_saying_how_much_there_is(cli, blades):
    result = cli("use", "wiper", "3", "--json")
    assert result.exit_code == ExitCode.BAD_INPUT
    assert result.stdout == ""
    assert result.stderr.splitlines()[0] == (
        "stuffctl: error: only 2 pcs of wiper blades in stock (asked for 3 pcs); record a "
        "purchase first, or --force to take it anyway (the missing part is counted in and "
        "the stock becomes 0)")
    assert '"code": "invalid_input"' in result.stderr.splitlines()[1]
    assert sql_one("SELECT quantity_milli FROM stock_item") == 2000
    assert sql_one("SELECT count(*) FROM stock_move") == 1


def test_a_forced_use_empties_the_stock_and_notes_the_count_it_added(cli, blades):
    result = cli.ok("use", "wiper", "3", "--force")
    assert result.stdout == "used 3 pcs of wiper blades (stock item 1): 0 pcs left (out)\n"
    assert result.stderr == "counted 1 pcs more than was recorded (--force)\n"
    assert sql_rows("SELECT kind, delta_milli FROM stock_move ORDER BY id") == [
        ("count", 2000), ("count", 1000), ("use", -3000)]
    assert sql_one("SELECT quantity_milli FROM stock_item") == 0


@pytest.mark.parametrize(("args", "code", "message"), [
    (("use", "wiper", "1.2345"), ExitCode.BAD_INPUT,
     "QTY: not a quantity: '1.2345' (at most 3 decimals: thousandths)"),
    (("use", "wiper", "0"), ExitCode.BAD_INPUT, "QTY: must be more than 0 (got 0)"),
    (("use", "ink"), ExitCode.NOT_FOUND, "no stock item called 'ink'"),
    (("stock", "add", "x", "--lead", "1m"), ExitCode.BAD_INPUT,
     "--lead: give days or weeks, such as 10d or 2w (got '1m')"),
    (("stock", "add", "x", "--qty", "-2"), ExitCode.BAD_INPUT,
     "--qty: not a quantity: '-2' (cannot be negative)"),
    (("stock", "add", "Wiper Blades"), ExitCode.CONFLICT,
     "a stock item called 'Wiper Blades' exists already (id 1)"),
    (("stock", "count", "wiper", "1,000"), ExitCode.BAD_INPUT,
     "is the comma a decimal mark or does it group thousands? write 1.000 or 1000"),
    (("tx", "add", "-5", "Kiosk", "--qty", "2"), ExitCode.BAD_INPUT,
     "--qty: needs --stock (what was bought)"),
    (("tx", "add", "-5", "ATU", "--stock", "wiper", "--qty", "0"), ExitCode.BAD_INPUT,
     "--qty: must be more than 0 (got 0)"),
    (("tx", "add", "+5", "ATU", "--stock", "wiper"), ExitCode.BAD_INPUT,
     "--stock: a purchase is money out, and this amount is money in"),
    (("stock", "buy", "wiper", "1", "--txn", "7"), ExitCode.NOT_FOUND,
     "no transaction with id 7"),
])
def test_bad_input_is_one_line_with_its_exit_code_and_changes_nothing(
        cli, blades, args, code, message):
    before = sql_rows("SELECT id, quantity_milli FROM stock_item ORDER BY id")
    result = cli(*args)
    assert result.exit_code == code, result.stderr
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert sql_rows("SELECT id, quantity_milli FROM stock_item ORDER BY id") == before
    assert sql_one("SELECT count(*) FROM txn") == 0


def test_stock_list_in_every_format(cli, blades):
    cli.ok("use", "wiper", "--on", "2026-11-24")
    cli.ok("stock", "add", "salt", "--unit", "kg", "--qty", "4", "--vendor", "Aldi")
    table = cli.ok("stock", "list").stdout
    assert table.splitlines() == [
        "ID  NAME          QTY  UNIT  REORDER  PER WEEK  PER MONTH  RUNS OUT  STATUS",
        " 2  salt            4  kg                                            ok",
        " 1  wiper blades    1  pcs         1                                 low"]
    rows = cli.json("stock", "list", "--low")
    assert [r["name"] for r in rows] == ["wiper blades"]
    assert [r["name"] for r in cli.json("stock", "list", "--vendor", "aldi")] == ["salt"]
    assert [r["name"] for r in cli.json("stock", "list", "--asset", "car")] == [
        "wiper blades"]
    ndjson = cli.ok("stock", "list", "--format", "ndjson").stdout.splitlines()
    assert len(ndjson) == 2
    csv = cli.ok("stock", "list", "--format", "csv").stdout.splitlines()
    assert csv[0] == ("id,name,unit,quantity,reorder,buy,lead_days,per_week,per_month,"
                      "runs_out_on,low_on,status,asset_id,asset_name,category,vendor,"
                      "notes,uid")
    assert csv[2].startswith("1,wiper blades,pcs,1,1,,7,,,,2026-12-01,low,1,Car,,ATU,,")
    assert cli("stock", "list", "--json", "--format", "csv").exit_code == ExitCode.BAD_INPUT


def test_stock_show_lists_the_moves_oldest_first(cli, blades):
    cli.ok("tx", "add", "-12.99", "ATU", "--on", "2026-11-20", "--stock", "wiper", "--qty",
           "2")
    cli.ok("use", "wiper", "--on", "2026-11-24")
    text = cli.ok("stock", "show", "wiper").stdout
    assert "Stock item 1: wiper blades\n" in text
    assert "Quantity          3 pcs\n" in text and "For               Car\n" in text
    moves = text.split("Moves\n")[1].splitlines()
    assert moves == ["DATE        KIND   CHANGE  TXN  NOTES",
                     "2026-11-20  buy         2    1",
                     "2026-11-24  use        -1",
                     "2026-12-01  count       2       starting quantity"]
    assert cli.json("stock", "show", "wiper")["moves"][0]["txn_id"] == 1


def test_stock_edit_changes_and_clears_and_rm_asks(cli, blades):
    data = cli.json("stock", "edit", "wiper", "--name", "Wiper blades", "--buy", "2",
                    "--reorder", "", "--asset", "", "--lead", "3d", "--since", "0")
    assert (data["name"], data["buy"], data["reorder"], data["asset_id"], data["lead_days"]
            ) == ("Wiper blades", "2", None, None, 3)
    late = cli("stock", "edit", "1", "--buy", "3", "--since", "0")
    assert late.exit_code == ExitCode.CONFLICT
    assert cli.json("stock", "edit", "1", "--vendor", "Bosch", "--since", "0")["vendor"] == \
        "Bosch"  # another field than the one changed since
    assert cli("stock", "rm", "1", input="n\n").exit_code == ExitCode.FAILED
    assert cli.ok("stock", "rm", "1", input="y\n").stdout.endswith(
        "removed Wiper blades (stock item 1): 2 pcs left\n")
    assert sql_one("SELECT count(*) FROM stock_move") == 0


def test_a_purchase_from_tx_add_and_its_removal(cli, blades):
    added = cli.json("tx", "add", "12.99", "ATU", "--stock", "wiper blades", "--qty", "2")
    assert added["amount"] == {"amount": "-12.99", "currency": "EUR"}  # a purchase: out
    assert sql_rows("SELECT kind, delta_milli, txn_id FROM stock_move WHERE kind = 'buy'") \
        == [("buy", 2000, added["id"])]
    assert cli.json("stock", "show", "wiper")["quantity"] == "4"
    cli.ok("tx", "rm", str(added["id"]), "--yes")
    assert sql_rows("SELECT kind, delta_milli, txn_id FROM stock_move WHERE kind = 'buy'") \
        == [("buy", 2000, None)]
    assert cli.json("stock", "show", "wiper")["quantity"] == "4"


def test_stock_buy_links_a_recorded_transaction(cli, blades):
    cli.ok("tx", "add", "-9", "ATU", "--on", "2026-11-02")
    result = cli.ok("stock", "buy", "wiper", "3", "--txn", "1")
    assert result.stdout == "bought 3 pcs of wiper blades (stock item 1): 5 pcs left\n"
    assert sql_rows("SELECT occurred_on, txn_id FROM stock_move WHERE kind = 'buy'") == [
        ("2026-11-02", 1)]


def test_stock_count_records_a_stock_take(cli, blades):
    assert cli.ok("stock", "count", "wiper", "5").stdout == (
        "counted wiper blades (stock item 1): 5 pcs left\n")
    assert cli.json("stock", "count", "wiper", "0")["moves"][0]["delta"] == "-5"


def test_shopping_groups_by_vendor_with_how_much_and_the_last_price(cli, blades):
    cli.ok("tx", "add", "-12", "ATU", "--on", "2026-11-01", "--stock", "wiper", "--qty", "2")
    cli.ok("use", "wiper", "3.5", "--on", "2026-11-24")
    cli.ok("stock", "add", "salt", "--unit", "kg", "--buy", "4")
    cli.ok("stock", "add", "filters", "--qty", "3", "--reorder", "1")
    assert cli.ok("shopping").stdout.splitlines() == [
        "                                   ATU",
        "ID  NAME            BUY  HAVE  LOW ON      RUNS OUT     LAST PRICE  STATUS",
        " 1  wiper blades  1 pcs   0.5  2026-12-01            6.00 EUR each  low",
        "",
        "                           Anywhere",
        "ID  NAME   BUY  HAVE  LOW ON      RUNS OUT  LAST PRICE  STATUS",
        " 2  salt  4 kg     0  2026-12-01                        out"]
    rows = cli.json("shopping")
    assert [(r["name"], r["to_buy"], r["estimate"]) for r in rows] == [
        ("wiper blades", "1", {"amount": "6.00", "currency": "EUR"}), ("salt", "4", None)]
    csv = cli.ok("shopping", "--format", "csv").stdout.splitlines()
    assert csv[0] == ("item_id,name,unit,quantity,status,low_on,runs_out_on,to_buy,vendor,"
                      "category,asset_id,last_price,last_bought_on,estimate")
    assert csv[1] == "1,wiper blades,pcs,0.5,low,2026-12-01,,1,ATU,,1,6.00 EUR,2026-11-01,6.00 EUR"


def test_shopping_looks_ahead_by_within_or_the_stock_reminder_lead(cli):
    cli.ok("stock", "add", "ink", "--qty", "10")
    cli.ok("use", "ink", "--on", "2026-11-21")
    cli.ok("use", "ink")  # 2 in 10 days: 8 left run out on 2027-01-10
    assert cli.ok("shopping").stderr == "nothing to buy\n"
    assert [r["low_on"] for r in cli.json("shopping", "--within", "6w")] == ["2027-01-10"]
    cli.ok("config", "set", "lead.stock", "6w")
    assert [r["name"] for r in cli.json("shopping")] == ["ink"]


def test_an_imported_purchase_adds_stock_through_a_rule(cli, blades, tmp_path):
    rules = tmp_path / "bank.toml"
    rules.write_text('fields = ["date", "amount", "payee"]\n[[categorize]]\n'
                     'match = "ATU"\ncategory = "car"\nstock = "wiper blades"\nqty = 2\n')
    bank = tmp_path / "bank.csv"
    bank.write_text("2026-11-02,-12.99,ATU Mitte\n2026-11-03,-3.10,Bakery\n")
    result = cli.json("tx", "import", str(bank), "--rules", str(rules))
    assert (result["added"], result["stock_moves"]) == (2, 1)
    assert cli.json("stock", "show", "wiper")["quantity"] == "4"
    again = cli.json("tx", "import", str(bank), "--rules", str(rules))
    assert (again["added"], again["stock_moves"]) == (0, 0)


def test_a_low_item_is_reminded_once_until_the_next_purchase(cli, blades):
    first = cli.json("remind", "run", "--now", "2026-12-01 09:00")
    assert first == []
    cli.ok("use", "wiper")
    (low,) = cli.json("remind", "run", "--now", "2026-12-01 10:00")
    assert (low["kind"], low["key"], low["title"], low["band"], low["about"],
            low["occurrence"]) == ("stock", "stock:item:1", "Buy wiper blades (1 pcs left)",
                                   "due", "asset:1", "bought:never")
    assert cli.ok("remind", "run", "--now", "2026-12-02 09:00").stdout == ""
    cli.ok("use", "wiper")
    assert cli.ok("remind", "run", "--now", "2026-12-03 09:00").stdout == ""
    cli.ok("tx", "add", "-8", "ATU", "--stock", "wiper")
    cli.ok("use", "wiper")
    (again,) = cli.json("remind", "run", "--now", "2026-12-04 09:00")
    assert again["occurrence"] == "bought:4"
    listed = cli.json("remind", "list", "--now", "2026-12-04 09:00")
    assert [(r["key"], r["band"]) for r in listed] == [("stock:item:1", "due")]
