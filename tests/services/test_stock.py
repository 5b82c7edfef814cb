"""Consumables through the services: quantities, moves that never go below zero, the
use rate, running low, the shopping list, purchases from `tx add` and imports, and the
``stock`` reminder source; on both backends."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import count as counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stuffctl import store
from stuffctl.errors import Conflict, InvalidInput, NotFound
from stuffctl.money import Money
from stuffctl.services.stock import items, shopping, usage
from stuffctl.services.stock.quantity import MAX_MILLI, format_quantity, parse_quantity
from stuffctl.services.tx import import_csv, records
from stuffctl.services.tx.rules import parse_rules
from tests.conftest import sql_one

TODAY = date(2026, 12, 1)


def add(db, name="wiper blades", **kw):
    fields = items.ItemFields(name=name, **kw)
    return items.add_item(db=db, fields=fields, today=TODAY)["id"]


def quantity(db, item_id) -> int:
    return int(db.one("SELECT quantity_milli FROM stock_item WHERE id = ?", (item_id,)))


def moved(db, item_id) -> int:
    return int(db.one("SELECT coalesce(sum(delta_milli), 0) FROM stock_move WHERE item_id = ?",
                      (item_id,)))


# -- quantities -------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "milli"), [
    ("2", 2000), ("1.5", 1500), ("1,5", 1500), (" 0,25 ", 250), (".5", 500), (",125", 125),
    ("0.001", 1), ("007", 7000), ("1,25", 1250), ("0,250", 250), ("12.000", 12000),
    ("999999999999.999", MAX_MILLI),
])
def test_quantities_are_read_as_thousandths(text, milli):
    assert parse_quantity(text) == milli


@pytest.mark.parametrize(("text", "reason"), [
    ("", "use e.g. 2"), ("-1", "cannot be negative"), ("1.2345", "at most 3 decimals"),
    ("1,000", "is the comma a decimal mark or does it group thousands? write 1.000 or 1000"),
    ("1 000", "use e.g."), ("1.", "use e.g."), ("two", "use e.g."), ("1e3", "use e.g."),
    ("1000000000000", "more than 12 digits"), ("١", "use e.g."),
])
def test_a_quantity_that_is_not_one_is_an_error_never_a_rounding(text, reason):
    with pytest.raises(InvalidInput, match="not a quantity") as err:
        parse_quantity(text)
    assert reason in err.value.message


@given(st.integers(0, MAX_MILLI))
def test_a_quantity_shown_reads_back_the_same(milli):
    shown = format_quantity(milli)
    assert shown is not None and parse_quantity(shown) == milli
    assert format_quantity(-milli) == (f"-{shown}" if milli else "0")


@given(st.integers(0, 10**12 - 1), st.text("0123456789", min_size=1, max_size=3),
       st.sampled_from([".", ","]))
def test_a_typed_quantity_is_exact_whichever_the_decimal_mark(whole, frac, mark):
    text = f"{whole}{mark}{frac}"
    if mark == "," and len(frac) == 3 and whole:
        with pytest.raises(InvalidInput, match="decimal mark or does it group"):
            parse_quantity(text)
        return
    milli = parse_quantity(text)
    assert Decimal(milli) / 1000 == Decimal(f"{whole}.{frac}")
    assert parse_quantity(format_quantity(milli) or "") == milli


# -- moves ------------------------------------------------------------------------------

ops = st.lists(st.tuples(st.sampled_from(["buy", "use", "force", "count"]),
                         st.integers(0, 5000)), max_size=12)
names = counter()


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(start=st.integers(0, 5000), steps=ops)
def test_any_buys_uses_and_counts_keep_the_quantity_the_sum_of_the_moves_never_below_zero(
        db, start, steps):
    item = add(db, f"thing {next(names)}", quantity_milli=start)
    for kind, milli in steps:
        before = (quantity(db, item), db.one("SELECT count(*) FROM stock_move"))
        try:
            if kind == "buy":
                items.buy(db=db, item_id=item, qty=milli, on=TODAY, today=TODAY)
            elif kind == "count":
                items.count(db=db, item_id=item, qty=milli, on=TODAY, today=TODAY)
            else:
                items.use(db=db, item_id=item, qty=milli, on=TODAY, today=TODAY,
                          force=kind == "force")
        except InvalidInput:
            # refused (nothing to take, or more than there is): nothing changed
            assert (quantity(db, item), db.one("SELECT count(*) FROM stock_move")) == before
            assert milli == 0 or (kind == "use" and milli > before[0])
        else:
            if kind in ("use", "force"):
                expected = max(before[0] - milli, 0)
            else:
                expected = before[0] + milli if kind == "buy" else milli
            assert quantity(db, item) == expected
        assert quantity(db, item) == moved(db, item) >= 0


def test_a_use_beyond_the_stock_says_how_much_there_is_and_changes_nothing(db):
    item = add(db, unit="pcs", quantity_milli=1000)
    with pytest.raises(InvalidInput, match=r"only 1 pcs of wiper blades in stock \(asked for "
                       r"2 pcs\); record a purchase first, or --force"):
        items.use(db=db, item_id=item, qty=2000, on=TODAY, today=TODAY)
    assert quantity(db, item) == 1000
    assert db.one("SELECT count(*) FROM stock_move WHERE kind = 'use'") == 0


def test_a_forced_use_counts_in_what_was_missing_then_takes_it_all(db):
    item = add(db, quantity_milli=500)
    data = items.use(db=db, item_id=item, qty=2000, on=TODAY, today=TODAY, force=True,
                     notes="last ones")
    assert [(m["kind"], m["delta"], m["notes"]) for m in data["moves"]] == [
        ("count", "1.5", "--force: 1.5 more than recorded"), ("use", "-2", "last ones")]
    assert (data["quantity"], data["status"]) == ("0", "out")
    assert quantity(db, item) == moved(db, item) == 0


def test_a_count_records_the_difference_even_none(db):
    item = add(db, quantity_milli=3000)
    assert items.count(db=db, item_id=item, qty=1250, on=TODAY, today=TODAY)["moves"][0][
        "delta"] == "-1.75"
    assert items.count(db=db, item_id=item, qty=1250, on=TODAY, today=TODAY)["moves"][0][
        "delta"] == "0"
    assert quantity(db, item) == moved(db, item) == 1250


def test_moves_of_a_missing_item_are_not_found(db):
    for move in (items.use, items.count, items.buy):
        with pytest.raises(NotFound, match="no stock item with id 9"):
            move(db=db, item_id=9, qty=1000, on=TODAY, today=TODAY)


def test_more_than_the_largest_quantity_is_refused(db):
    item = add(db, quantity_milli=MAX_MILLI)
    with pytest.raises(InvalidInput, match=r"more than 999999999999\.999"):
        items.buy(db=db, item_id=item, qty=1, on=TODAY, today=TODAY)
    assert quantity(db, item) == MAX_MILLI


def test_names_are_unique_in_any_case_and_edits_clear_fields(db):
    item = add(db, vendor="ATU", reorder_milli=1000)
    with pytest.raises(Conflict, match="a stock item called 'Wiper Blades' exists already"):
        add(db, "Wiper Blades")
    data = items.edit_item(db=db, item_id=item, today=TODAY,
                           values={"vendor": "", "reorder_milli": None, "unit": "pcs"})
    assert (data["vendor"], data["reorder"], data["unit"]) == (None, None, "pcs")
    assert data["revision"] > 0
    with pytest.raises(InvalidInput, match="--lead: expected 0 to 3660 days"):
        items.edit_item(db=db, item_id=item, today=TODAY, values={"lead_days": 5000})
    with pytest.raises(InvalidInput, match="--buy: must be more than 0"):
        items.edit_item(db=db, item_id=item, today=TODAY, values={"buy_milli": 0})
    with pytest.raises(InvalidInput, match="NAME: a stock item needs a name"):
        items.edit_item(db=db, item_id=item, today=TODAY, values={"name": " "})


def test_removing_an_item_removes_its_moves_and_keeps_the_transactions(db):
    item = add(db)
    txn = _purchase(db, item, -1299, 2000)
    items.remove_item(db=db, item_id=item, today=TODAY)
    assert db.one("SELECT count(*) FROM stock_move") == 0
    assert db.one("SELECT count(*) FROM txn WHERE id = ?", (txn,)) == 1


# -- use rate, low, how much to buy -----------------------------------------------------

def _use(db, item, milli, days_ago):
    items.use(db=db, item_id=item, qty=milli, on=TODAY - timedelta(days=days_ago),
              today=TODAY)


def test_the_use_rate_needs_two_uses_and_counts_from_the_first_one(db):
    item = add(db, quantity_milli=10_000)
    _use(db, item, 1000, 10)
    assert usage.usages(db, [item], TODAY) == {}
    _use(db, item, 1000, 0)
    assert usage.usages(db, [item], TODAY) == {item: usage.Usage(2000, 10)}
    data = items.show(db, item, TODAY)
    # 2 in 10 days: 1.4 a week, 6.087 a month; 8 left last 40 days
    assert (data["per_week"], data["per_month"], data["runs_out_on"]) == (
        "1.4", "6.087", "2027-01-10")


def test_the_use_rate_looks_back_180_days_at_most(db):
    item = add(db, quantity_milli=100_000)
    for days_ago in (400, 200, 90, 30):
        _use(db, item, 3000, days_ago)
    # the two uses of the last 180 days over those 180 days
    assert usage.usages(db, [item], TODAY) == {item: usage.Usage(6000, 180)}
    # uses after today do not count yet; two on one day are no rate
    other = add(db, "salt", quantity_milli=5000)
    _use(db, other, 1000, 0)
    _use(db, other, 1000, 0)
    _use(db, other, 1000, -3)
    assert usage.usages(db, [other], TODAY) == {}


@pytest.mark.parametrize(("quantity_", "reorder", "lead", "rate", "low", "state"), [
    (0, None, None, None, TODAY, "out"),
    (1000, 1000, None, None, TODAY, "low"),
    (2000, 1000, None, None, None, "ok"),
    # 1 a day: 10 left run out in 10 days; with 10 days' lead, low today
    (10_000, None, 10, (1000, 1), TODAY, "low"),
    (10_000, None, 3, (1000, 1), TODAY + timedelta(days=7), "ok"),
    # reaches its reorder level (4) after 6 days, before the lead time says
    (10_000, 4000, 2, (1000, 1), TODAY + timedelta(days=6), "ok"),
    (10_000, 4000, 2, (3000, 2), TODAY + timedelta(days=4), "ok"),
])
def test_low_is_at_the_reorder_level_or_within_the_lead_time_of_running_out(
        quantity_, reorder, lead, rate, low, state):
    rated = usage.Usage(*rate) if rate else None
    found = usage.low_on(quantity_, reorder, lead, rated, TODAY)
    assert (found, usage.status(quantity_, found, TODAY)) == (low, state)


@pytest.mark.parametrize(("quantity_", "reorder", "buy", "milli"), [
    (0, 1000, 4000, 4000), (0, 1000, None, 2000), (500, 2000, None, 2000),
    (1000, 1000, None, 1000), (3000, 1000, None, 1000), (0, None, None, 1000),
])
def test_how_much_to_buy(quantity_, reorder, buy, milli):
    assert usage.to_buy(quantity_, reorder, buy) == milli


# -- purchases --------------------------------------------------------------------------

def _purchase(db, item, minor, milli, *, unsigned=False, on=TODAY, category=None):
    values = {"occurred_on": on, "payee": "ATU", "amount": Money(minor, "EUR")}
    if category:
        values["category"] = category
    changes = records.TxnChanges(values=values, unsigned=unsigned, stock=(item, milli))
    return records.add_txn(db=db, changes=changes)["id"]


def test_a_purchase_adds_to_stock_linked_to_its_transaction(db):
    item = add(db, unit="pcs", vendor="ATU", reorder_milli=1000)
    txn = _purchase(db, item, 1299, 2000, unsigned=True, on=date(2026, 11, 20))
    assert db.one("SELECT amount_minor FROM txn WHERE id = ?", (txn,)) == -1299
    assert db.execute("SELECT kind, delta_milli, txn_id, occurred_on FROM stock_move "
                      "WHERE item_id = ?", (item,)).fetchall() == [
        ("buy", 2000, txn, "2026-11-20")]
    with pytest.raises(InvalidInput, match="--stock: a purchase is money out"):
        _purchase(db, item, 500, 1000)
    with pytest.raises(InvalidInput, match="--stock: a purchase is money out"):
        _purchase(db, item, 500, 1000, unsigned=True, category="salary")
    assert quantity(db, item) == 2000


def test_removing_the_transaction_keeps_the_purchase_without_it(db):
    item = add(db)
    txn = _purchase(db, item, -1299, 2000)
    records.remove_txn(db=db, txn_id=txn)
    assert db.execute("SELECT kind, delta_milli, txn_id FROM stock_move").fetchall() == [
        ("buy", 2000, None)]
    assert quantity(db, item) == 2000


def test_a_purchase_of_a_recorded_transaction_takes_its_date(db):
    item = add(db)
    txn = records.add_txn(db=db, changes=records.TxnChanges(values={
        "occurred_on": date(2026, 10, 3), "payee": "ATU", "amount": Money(-900, "EUR")}))["id"]
    data = items.buy(db=db, item_id=item, qty=3000, on=None, today=TODAY, txn_id=txn)
    assert (data["moves"][0]["on"], data["moves"][0]["txn_id"]) == ("2026-10-03", txn)
    with pytest.raises(NotFound, match="no transaction with id 99"):
        items.buy(db=db, item_id=item, qty=1000, on=None, today=TODAY, txn_id=99)


def test_the_shopping_list_says_how_much_and_the_last_price_of_one_unit(db):
    blades = add(db, unit="pcs", vendor="ATU", reorder_milli=1000)
    _purchase(db, blades, -1299, 2000, on=date(2026, 10, 1))
    _purchase(db, blades, -1500, 3000, on=date(2026, 11, 1))  # the latest: 5.00 each
    items.use(db=db, item_id=blades, qty=5000, on=TODAY, today=TODAY)
    salt = add(db, "salt", unit="kg", buy_milli=4000, quantity_milli=500, reorder_milli=1000)
    add(db, "filters", quantity_milli=9000, reorder_milli=1000)
    found = shopping.shopping(db=db, today=TODAY)
    assert [(r["name"], r["vendor"], r["to_buy"], r["status"], r["last_price"], r["estimate"])
            for r in found] == [
        ("wiper blades", "ATU", "2", "out", {"amount": "5.00", "currency": "EUR"},
         {"amount": "10.00", "currency": "EUR"}),
        ("salt", None, "4", "low", None, None)]
    assert found[0]["last_bought_on"] == "2026-11-01"
    assert found[1]["item_id"] == salt


def test_a_price_per_unit_is_rounded_to_the_cent(db):
    item = add(db, reorder_milli=5000)
    _purchase(db, item, -1000, 3000)
    (line,) = shopping.shopping(db=db, today=TODAY)
    assert line["last_price"] == {"amount": "3.33", "currency": "EUR"}


def test_within_days_the_shopping_list_adds_what_will_be_low_by_then(db):
    item = add(db, quantity_milli=10_000)
    _use(db, item, 1000, 10)
    _use(db, item, 1000, 0)  # 0.2 a day: 8 left last 40 days
    assert shopping.shopping(db=db, today=TODAY, within=39) == []
    (line,) = shopping.shopping(db=db, today=TODAY, within=40)
    assert (line["status"], line["low_on"]) == ("ok", "2027-01-10")


# -- imported purchases -----------------------------------------------------------------

def _rules(**entry):
    return parse_rules({"fields": ["date", "amount", "payee"],
                        "categorize": [{"match": "ATU", "category": "car", **entry}]},
                       name="bank")


def _import(db, text, spec, *, dry_run=False):
    parsed = import_csv.parse_csv(text.encode(), spec, name="f.csv", default_currency="EUR")
    return import_csv.import_rows(db=db, parsed=parsed, dry_run=dry_run)


def test_an_import_rule_with_stock_adds_each_new_purchase_once(db):
    item = add(db, unit="pcs")
    spec = _rules(stock="wiper", qty="2")
    text = "2026-11-02,-12.99,ATU Mitte\n2026-11-03,4.00,ATU refund\n2026-11-04,-3,Bakery\n"
    assert _import(db, text, spec, dry_run=True)["stock_moves"] == 1
    assert _import(db, text, spec)["stock_moves"] == 1
    assert _import(db, text, spec)["stock_moves"] == 0  # seen before: nothing twice
    assert db.execute("SELECT m.delta_milli, m.occurred_on, t.payee FROM stock_move m "
                      "JOIN txn t ON t.id = m.txn_id").fetchall() == [
        (2000, "2026-11-02", "ATU Mitte")]
    assert quantity(db, item) == 2000


def test_an_import_naming_a_stock_item_there_is_not_imports_nothing(db):
    with pytest.raises(NotFound, match="rules: stock 'ink': no stock item called 'ink'"):
        _import(db, "2026-11-02,-12.99,ATU\n", _rules(stock="ink"))
    assert db.one("SELECT count(*) FROM txn") == 0


@pytest.mark.parametrize(("entry", "message"), [
    ({"qty": 2}, "categorize[1].qty: needs stock"),
    ({"stock": "x", "qty": "1.2345"}, "categorize[1].qty: not a quantity"),
    ({"stock": "x", "qty": 0}, "categorize[1].qty: must be more than 0"),
    ({"stock": "x", "qty": True}, "categorize[1].qty: expected a quantity"),
    ({"stock": ["x"]}, "categorize[1].stock: expected a stock item's name or id"),
    ({"stock": "x", "each": 1}, "categorize[1]: expected match"),
])
def test_a_stock_rule_is_checked_when_the_rules_are_read(entry, message):
    with pytest.raises(InvalidInput, match=message.replace("[", r"\[").replace("]", r"\]")):
        _rules(**entry)


def test_a_rule_quantity_may_be_a_number_or_a_text():
    assert _rules(stock="x", qty=1.5).categorize[0].qty == 1500
    assert _rules(stock="x", qty="0,5").categorize[0].qty == 500
    assert _rules(stock="x").categorize[0].qty == 1000


# -- the reminder source ----------------------------------------------------------------

def test_the_reminder_source_yields_what_is_low_once_per_purchase(db):
    item = add(db, unit="pcs", quantity_milli=2000, reorder_milli=1000)
    end = TODAY + timedelta(days=30)
    assert shopping.to_remind(db=db, today=TODAY, ahead=0, end=end) == []
    items.use(db=db, item_id=item, qty=1000, on=TODAY - timedelta(days=7), today=TODAY)
    items.use(db=db, item_id=item, qty=500, on=TODAY, today=TODAY)
    (low,) = shopping.to_remind(db=db, today=TODAY, ahead=0, end=end)
    assert low == {"id": item, "title": "Buy wiper blades (0.5 pcs left, runs out ~Dec 3)",
                   "due": TODAY, "occurrence": "bought:never", "asset_id": None}
    move = items.buy(db=db, item_id=item, qty=500, on=TODAY, today=TODAY)["moves"][0]
    (again,) = shopping.to_remind(db=db, today=TODAY, ahead=0, end=end)
    assert again["occurrence"] == f"bought:{move['id']}"


def test_the_reminder_source_looks_ahead_by_the_reminder_lead(db):
    item = add(db, "ink", quantity_milli=10_000)
    _use(db, item, 1000, 10)
    _use(db, item, 1000, 0)  # low (runs out) on 2027-01-10
    end = TODAY + timedelta(days=30)
    assert shopping.to_remind(db=db, today=TODAY, ahead=0, end=end) == []
    (soon,) = shopping.to_remind(db=db, today=TODAY, ahead=14, end=end)
    assert (soon["due"], soon["title"]) == (date(2026, 12, 27),
                                             "Buy ink (8 left, runs out ~Jan 10 2027)")


# -- at once ----------------------------------------------------------------------------

def _take_all(n: int, out) -> None:
    """One person's command line, many times: use 1 each, count the refusals."""
    try:
        taken = refused = 0
        for _ in range(n):
            try:
                with store.transaction(write=True) as db:
                    items.use(db=db, item_id=1, qty=1000, on=TODAY, today=TODAY)
                taken += 1
            except InvalidInput:
                refused += 1
        out.send((taken, refused))
    except BaseException as exc:  # reported by the test
        out.send(exc)
    finally:
        out.close()


def test_two_people_using_at_once_never_take_more_than_there_is(home):
    import multiprocessing

    with store.transaction(write=True) as db:
        add(db, quantity_milli=25_000)
    context = multiprocessing.get_context("fork")
    pipes, processes = [], []
    for _ in range(2):
        mine, theirs = context.Pipe(duplex=False)
        process = context.Process(target=_take_all, args=(20, theirs))
        process.start()
        theirs.close()
        pipes.append(mine)
        processes.append(process)
    results = [pipe.recv() for pipe in pipes]
    for process in processes:
        process.join(timeout=120)
    assert [r for r in results if isinstance(r, BaseException)] == []
    assert sum(taken for taken, _ in results) == 25
    assert sum(refused for _, refused in results) == 15
    assert sql_one("SELECT quantity_milli FROM stock_item") == 0
    assert sql_one("SELECT sum(delta_milli) FROM stock_move") == 0
