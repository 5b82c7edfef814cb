"""Money direction by category kind: `stuffctl category`, `tx add` without a sign, `tx edit
--amount` keeping the sign (#23)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stuffctl.money import has_sign
from stuffctl.services import category
from tests.cli.test_json_docs import documented_keys
from tests.conftest import sql_one


def added(cli, *args: str) -> tuple[str, str]:
    """The stored amount of ``tx add ARGS`` and what it said on stderr."""
    result = cli.ok("tx", "add", "--on", "2026-03-05", *args)
    found = sql_one("SELECT amount_minor FROM txn ORDER BY id DESC LIMIT 1")
    return f"{found / 100:.2f}", result.stderr


@pytest.mark.parametrize(("args", "amount", "hint"), [
    (["5", "Coffee", "-c", "eating out"], "-5.00",
     "money out: 'eating out' is an expense category (type +5 or --in for money in)\n"),
    (["3000", "Employer", "-c", "Salary"], "3000.00",
     "money in: 'Salary' is an income category (type -3000 or --out for money out)\n"),
    (["12.50 EUR", "Tax office", "-c", "tax refund"], "12.50",
     "money in: 'tax refund' is an income category (type -12.50 EUR or --out for money "
     "out)\n"),
    (["40", "Bank", "-c", "interest paid"], "-40.00",
     "money out: 'interest paid' is an expense category (type +40 or --in for money in)\n"),
    (["5", "Kiosk"], "5.00",
     "money in: no sign and no category (type -5 or --out for money out)\n"),
])
def test_an_amount_without_a_sign_takes_its_categorys_kind_and_says_so(cli, args, amount,
                                                                        hint):
    assert added(cli, *args) == (amount, hint)


@pytest.mark.parametrize(("args", "amount"), [
    (["+5", "Refund", "-c", "groceries"], "5.00"),
    (["-5", "Fee", "-c", "salary"], "-5.00"),
    (["(5)", "Fee", "-c", "salary"], "-5.00"),
    (["5", "Refund", "-c", "groceries", "--in"], "5.00"),
    (["5", "Fee", "-c", "salary", "--out"], "-5.00"),
    (["-5", "Refund", "-c", "groceries", "--in"], "5.00"),
])
def test_a_typed_sign_or_in_and_out_win_over_the_kind_without_a_hint(cli, args, amount):
    assert added(cli, *args) == (amount, "")


def test_with_json_the_direction_is_the_same_and_stderr_stays_empty(cli):
    result = cli.ok("tx", "add", "5", "Coffee", "-c", "eating out", "--json")
    assert (result.json()["amount"]["amount"], result.stderr) == ("-5.00", "")


def test_a_kind_set_on_a_category_or_its_parent_decides(cli):
    assert cli.json("category", "set", "Eating Out", "--kind", "income") == {
        "name": "eating out", "kind": "income", "source": "set", "parent": None,
        "transactions": 0}
    assert added(cli, "5", "Friend paid back", "-c", "eating out")[0] == "5.00"
    cli.ok("category", "set", "home", "--kind", "income")
    assert added(cli, "20", "Ikea", "-c", "HOME:Kitchen:sink")[0] == "20.00"
    cli.ok("category", "set", "home:kitchen", "--kind", "expense")
    assert added(cli, "20", "Ikea", "-c", "home:kitchen:sink")[0] == "-20.00"
    assert added(cli, "20", "Ikea", "-c", "home:garden")[0] == "20.00"
    unset = cli.json("category", "unset", "home")
    assert (unset["kind"], unset["source"]) == ("expense", "default")
    assert added(cli, "20", "Ikea", "-c", "home:garden")[0] == "-20.00"


def test_category_list_shows_every_category_in_use_or_set_with_its_kind_and_count(cli):
    for args in (["-5", "Cafe", "-c", "Eating out"], ["-7", "Bar", "-c", "eating out"],
                 ["3000", "Employer", "-c", "salary"], ["-30", "Ikea", "-c", "home:kitchen"]):
        cli.ok("tx", "add", *args)
    cli.ok("category", "set", "home", "--kind", "expense")
    cli.ok("category", "set", "side jobs", "-k", "income")
    listed = cli.json("category", "list")
    assert listed == [
        {"name": "eating out", "kind": "expense", "source": "default", "parent": None,
         "transactions": 2},
        {"name": "home", "kind": "expense", "source": "set", "parent": None, "transactions": 0},
        {"name": "home:kitchen", "kind": "expense", "source": "parent", "parent": "home",
         "transactions": 1},
        {"name": "salary", "kind": "income", "source": "default", "parent": None,
         "transactions": 1},
        {"name": "side jobs", "kind": "income", "source": "set", "parent": None,
         "transactions": 0},
    ]
    assert documented_keys("category") == set(listed[0])
    assert cli.ok("category", "list").stdout.splitlines() == [
        "CATEGORY      KIND     FROM     PARENT  TRANSACTIONS",
        "eating out    expense  default                     2",
        "home          expense  set                         0",
        "home:kitchen  expense  parent   home               1",
        "salary        income   default                     1",
        "side jobs     income   set                         0",
    ]
    assert cli.ok("category", "list", "-f", "csv").stdout.splitlines()[:2] == [
        "name,kind,source,parent,transactions", "eating out,expense,default,,2"]
    assert cli.ok("category", "set", "Side Jobs", "--kind", "expense").stdout == (
        "set category side jobs: expense (set on it)\n")
    assert cli.ok("category", "unset", "home").stdout == (
        "unset category home: expense (from its name)\n")


def test_an_empty_home_lists_no_categories(cli):
    result = cli.ok("category", "list")
    assert (result.stdout, result.stderr) == ("", "no categories\n")
    assert cli.json("category", "list") == []


@pytest.mark.parametrize(("args", "code", "message"), [
    (["category", "set", "food", "--kind", "spending"], 2,
     "stuffctl: error: --kind: expected expense or income (got 'spending')\n"),
    (["category", "set", " ", "--kind", "income"], 2,
     "stuffctl: error: NAME: a category cannot be empty\n"),
    (["category", "unset", "food"], 3, "stuffctl: error: category 'food' has no kind set "
     "(see 'stuffctl category list')\n"),
])
def test_bad_category_input_is_one_line_and_changes_nothing(cli, args, code, message):
    result = cli(*args)
    assert (result.exit_code, result.stderr) == (code, message)
    assert sql_one("SELECT count(*) FROM category") == 0


def test_tx_edit_amount_keeps_the_direction_unless_one_is_typed(cli):
    cli.ok("tx", "add", "-50", "Lidl", "-c", "groceries")
    cli.ok("tx", "add", "3000", "Employer", "-c", "salary")

    def edit(*args: str) -> str:
        return cli.json("tx", "edit", *args)["amount"]["amount"]

    assert edit("1", "--amount", "55") == "-55.00"  # the issue: not turned into income
    assert edit("2", "--amount", "3100") == "3100.00"
    assert edit("1", "--amount", "+20") == "20.00"  # a typed sign changes it
    assert edit("1", "--amount", "25") == "25.00"  # and is kept from then on
    assert edit("1", "--amount", "25", "--out") == "-25.00"
    assert edit("2", "--amount=-10") == "-10.00"
    assert edit("2", "--amount", "10", "--in") == "10.00"
    assert edit("2", "--category", "groceries") == "10.00"  # a category alone changes no sign
    bad = cli("tx", "edit", "2", "--amount", "ten")
    assert (bad.exit_code, bad.stderr.startswith("stuffctl: error: --amount: not an amount")) \
        == (2, True)


AMOUNTS = st.integers(min_value=1, max_value=10**12)
SIGNS = {"": None, "+": 1, "-": -1, "()": -1, "trailing -": -1}


def typed(minor: int, sign: str) -> str:
    text = f"{minor // 100}.{minor % 100:02d}"
    return {"": text, "+": f"+{text}", "-": f"-{text}", "()": f"({text})",
            "trailing -": f"{text}-"}[sign]


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(minor=AMOUNTS, sign=st.sampled_from(sorted(SIGNS)),
       kind=st.sampled_from(category.KINDS), flag=st.sampled_from([None, "--in", "--out"]))
def test_the_stored_sign_is_the_typed_one_else_the_kinds(cli, minor, sign, kind, flag):
    cli.ok("category", "set", f"kind {kind}", "--kind", kind)
    text = typed(minor, sign)
    assert has_sign(text) == (sign != "")
    stored = cli.ok("tx", "add", "-c", f"kind {kind}", "--json", *([flag] if flag else []),
                    text, "Shop").json()
    direction = (1 if flag == "--in" else -1 if flag == "--out" else SIGNS[sign]
                 or (-1 if kind == "expense" else 1))
    assert int(stored["amount"]["amount"].replace(".", "")) == direction * minor
