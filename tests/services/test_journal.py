"""Plain-text accounting in and out (#24): ledger, hledger and beancount journals checked
by the real programs (``hledger check``, ``ledger``, ``bean-check``), with totals per
category equal to ``report spend``; read back exactly; hand-written journals read."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stuffctl import store
from stuffctl.services import demo
from stuffctl.services.tx import journal
from tests.conftest import Cli

PERIOD = "2025"


def program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (.ci/run installs it)")
    return found


@pytest.fixture
def demo_home(home: Path) -> Path:
    with store.transaction(write=True) as db:
        demo.build(db=db, seed=1, today=date(2026, 11, 23))
    return home


def spend(cli: Cli) -> dict[str, Decimal]:
    """``report spend`` per category over PERIOD."""
    data = cli.json("report", "spend", "--by", "category", "--per", "year", "--periods",
                    "1", "--to", f"{PERIOD}-12-31")
    return {r["key"]: Decimal(r["total"]["amount"]) for r in data["rows"]
            if Decimal(r["total"]["amount"])}


def export(cli: Cli, fmt: str, tmp_path: Path, *args: str) -> Path:
    path = tmp_path / f"stuff.{fmt}"
    path.write_text(cli.ok("tx", "export", "--format", fmt, *args).stdout, encoding="utf-8")
    return path


def test_hledger_checks_the_export_and_its_expenses_are_report_spend(
        cli: Cli, demo_home: Path, tmp_path: Path) -> None:
    hledger = program("hledger")
    path = export(cli, "hledger", tmp_path, "--period", PERIOD)
    subprocess.run([hledger, "-f", str(path), "check"], check=True, capture_output=True)
    done = subprocess.run([hledger, "-f", str(path), "balance", "^expenses:", "--flat",
                           "--no-total", "-O", "csv"], check=True, capture_output=True,
                          text=True)
    found = {account.removeprefix("expenses:"): Decimal(amount.split()[0])
             for account, amount in list(csv.reader(io.StringIO(done.stdout)))[1:]}
    assert found == spend(cli)


def test_ledger_reads_the_export_and_its_expenses_are_report_spend(
        cli: Cli, demo_home: Path, tmp_path: Path) -> None:
    ledger = program("ledger")
    path = export(cli, "ledger", tmp_path, "--from", f"{PERIOD}-01-01", "--to",
                  f"{PERIOD}-12-31")
    done = subprocess.run([ledger, "-f", str(path), "csv", "^expenses:"], check=True,
                          capture_output=True, text=True)
    found: dict[str, Decimal] = defaultdict(Decimal)
    for row in csv.reader(io.StringIO(done.stdout)):
        found[row[3].removeprefix("expenses:")] += Decimal(row[5])
    assert dict(found) == spend(cli)
    subprocess.run([ledger, "-f", str(path), "balance"], check=True, capture_output=True)


def test_bean_check_passes_the_export(cli: Cli, demo_home: Path, tmp_path: Path) -> None:
    bean_check = program("bean-check")
    path = export(cli, "beancount", tmp_path)
    done = subprocess.run([bean_check, str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    from beancount import loader

    entries, errors, _ = loader.load_file(str(path))
    assert errors == []
    costs: dict[str, Decimal] = defaultdict(Decimal)
    for entry in entries:
        if hasattr(entry, "postings") and str(entry.date).startswith(PERIOD):
            for posting in entry.postings:
                if posting.account.startswith("Expenses:"):
                    costs[entry.meta.get("category") or "unknown"] += posting.units.number
    assert dict(costs) == spend(cli)


def odd_home(cli: Cli) -> None:
    """Transactions with everything a journal has to keep: tags, memos over lines, payees
    with the characters journals use, categories with spaces, currencies of 0 and 2
    decimals, no category, no account, money in and out."""
    cli.ok("tx", "add", "54.20", "Albert Heijn", "--out", "--category", "groceries",
           "--account", "bank:checking", "--tag", "weekly", "--tag", "food", "--on",
           "2026-03-01")
    cli.ok("tx", "add", "5", 'Café; "Bäcker" | Ecke', "--out", "--category", "eating out",
           "--memo", "two\nlines; and \\ a backslash", "--on", "2026-03-02")
    cli.ok("tx", "add", "3100", "ACME", "--in", "--category", "salary", "--account",
           "bank:checking", "--on", "2026-03-25")
    cli.ok("tx", "add", "1200 JPY", "Ramen", "--out", "--on", "2026-03-26")
    cli.ok("tx", "add", "19.99", "", "--out", "--category", "home:tools  and stuff",
           "--on", "2026-03-27")


@pytest.mark.parametrize("fmt", journal.FORMATS)
def test_an_export_imported_into_a_fresh_home_exports_the_same(
        cli: Cli, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        request: pytest.FixtureRequest, backend: str, fmt: str) -> None:
    odd_home(cli)
    first = export(cli, fmt, tmp_path)
    monkeypatch.setenv("STUFFCTL_HOME", str(tmp_path / "fresh"))
    if backend == "postgres":  # a second fresh server database
        fresh = request.getfixturevalue("postgres_databases").fresh()
        request.addfinalizer(fresh.drop)
        monkeypatch.setenv("STUFFCTL_DB", fresh.url)
    added = cli.json("tx", "import", "--format", fmt, str(first))
    assert added["added"] == 5
    assert cli.ok("tx", "export", "--format", fmt).stdout == first.read_text("utf-8")
    again = cli.json("tx", "import", "--format", fmt, str(first))
    assert (again["added"], again["duplicates"]) == (0, 5)


def test_a_home_reading_its_own_export_adds_nothing(cli: Cli, home: Path,
                                                   tmp_path: Path) -> None:
    odd_home(cli)
    for fmt in journal.FORMATS:
        done = cli.json("tx", "import", "--format", fmt, str(export(cli, fmt, tmp_path)))
        assert (done["rows"], done["added"]) == (5, 0)


HLEDGER = """\
; a hand-written journal
account assets:bank:checking
commodity 1,000.00 EUR
P 2026-01-01 USD 0.92 EUR

~ monthly  rent
    expenses:rent   900 EUR
    assets:bank:checking

2026/01/03 * (42) Supermarket | weekly shop  ; trip:yes
    expenses:groceries          40.00 EUR
    expenses:household  ; soap
                                 9.50 EUR
    assets:bank:checking       -49.50 EUR = 950.50 EUR

2026-01-05 Salary
    assets:bank:checking    EUR 3,000.00
    income:salary

2026-01-06 Savings
    assets:bank:checking   -500 EUR
    assets:bank:savings     500 EUR

2026-01-07 Book in dollars
    expenses:books    12.00 USD @ 0.92 EUR
    liabilities:visa
"""


def test_a_hand_written_hledger_journal_becomes_one_row_per_posting(
        cli: Cli, home: Path, tmp_path: Path) -> None:
    path = tmp_path / "hand.journal"
    path.write_text(HLEDGER.replace("expenses:household  ; soap\n"
                                    "                                 9.50 EUR",
                                    "expenses:household       9.50 EUR  ; soap"))
    assert cli.json("tx", "import", "--format", "hledger", str(path))["added"] == 6
    rows = [(t["on"], t["amount"]["amount"], t["amount"]["currency"], t["payee"],
             t["category"], t["account"], t["memo"])
            for t in cli.json("tx", "list", "--sort", "date")]
    assert sorted(rows) == sorted([
        ("2026-01-03", "-40.00", "EUR", "Supermarket", "groceries", "bank:checking",
         "weekly shop"),
        ("2026-01-03", "-9.50", "EUR", "Supermarket", "household", "bank:checking",
         "weekly shop"),
        ("2026-01-05", "3000.00", "EUR", "Salary", "salary", "bank:checking", None),
        ("2026-01-06", "-500.00", "EUR", "Savings", "transfer", "bank:checking", None),
        ("2026-01-06", "500.00", "EUR", "Savings", "transfer", "bank:savings", None),
        ("2026-01-07", "-12.00", "USD", "Book in dollars", "books", "visa", None),
    ])


BEANCOUNT = """\
option "title" "Home"
2026-01-01 open Assets:Bank:Checking EUR
2026-01-01 open Expenses:Food:Groceries

2026-01-03 * "Supermarket" "weekly shop" #food ^receipt-1
  trip: "yes"
  Expenses:Food:Groceries   40.00 EUR
  Expenses:Household         9.50 EUR ; soap
  Assets:Bank:Checking

2026-01-04 balance Assets:Bank:Checking  950.50 EUR
2026-01-05 txn "Salary"
  Assets:Bank:Checking   3000.00 EUR
  Income:Salary         -3000.00 EUR
"""


def test_a_hand_written_beancount_file_is_read(cli: Cli, home: Path, tmp_path: Path) -> None:
    path = tmp_path / "hand.beancount"
    path.write_text(BEANCOUNT)
    assert cli.json("tx", "import", "--format", "beancount", str(path))["added"] == 3
    rows = {(t["amount"]["amount"], t["payee"], t["category"], t["account"], t["memo"],
             tuple(t["tags"])) for t in cli.json("tx", "list")}
    assert rows == {
        ("-40.00", "Supermarket", "Food:Groceries", "Bank:Checking", "weekly shop",
         ("food",)),
        ("-9.50", "Supermarket", "Household", "Bank:Checking", "weekly shop", ("food",)),
        ("3000.00", None, "Salary", "Bank:Checking", "Salary", ()),
    }


@pytest.mark.parametrize(("text", "fmt", "said"), [
    ("2026-13-01 Bad\n  expenses:x  1 EUR\n  assets:y\n", "hledger",
     "bad.journal:1: not a date: '2026-13-01'"),
    ("2026-01-01 X\n  expenses:x  12 apples\n  assets:y\n", "hledger",
     "bad.journal:2: not an amount: '12 apples'"),
    ("2026-01-01 X\n  expenses:x  12\n  assets:y\n", "ledger",
     "bad.journal:2: '12' has no currency (write 12.50 EUR)"),
    ("2026-01-01 X\n  expenses:x\n  assets:y\n", "hledger",
     "bad.journal:1: more than one posting without an amount"),
    ("2026-01-01 X\n  expenses:x  1 EUR\n", "hledger",
     "bad.journal:1: a transaction needs two postings or more"),
    ('2026-01-01 * "X"\n  Expenses:X  1 EUR\n  Assets:Y  -1 USD\n  Assets:Z\n', "beancount",
     "bad.journal:1: a posting without an amount in a transaction of 2 currencies"),
    ("  expenses:x  1 EUR\n", "hledger", "bad.journal:1: an indented line outside a "
     "transaction"),
])
def test_what_cannot_be_read_is_one_line_naming_file_and_line_and_nothing_is_added(
        cli: Cli, home: Path, tmp_path: Path, text: str, fmt: str, said: str) -> None:
    path = tmp_path / "bad.journal"
    path.write_text("2026-01-01 Fine\n  expenses:x  1 EUR\n  assets:y\n\n" * 0 + text)
    done = cli("tx", "import", "--format", fmt, str(path))
    assert done.exit_code == 2 and done.stderr.startswith(f"stuffctl: error: {said}")
    assert len(done.stderr.strip().splitlines()) == 1
    assert cli.json("tx", "list") == []


TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20)
ROW = st.fixed_dictionaries({
    "on": st.dates(date(2000, 1, 1), date(2099, 12, 31)).map(date.isoformat),
    "minor": st.integers(-10**9, 10**9).filter(bool),
    "currency": st.sampled_from(["EUR", "USD", "JPY", "CHF"]),
    "payee": st.one_of(st.none(), TEXT.filter(lambda t: t.strip() == t and t)),
    "memo": st.one_of(st.none(), st.text(st.characters(blacklist_categories=("Cs",),
                                                       blacklist_characters="\x00"),
                                         min_size=1, max_size=30)),
    "category": st.one_of(st.none(), st.from_regex(r"[a-z][a-z ]{0,8}(:[a-z]{1,6})?",
                                                   fullmatch=True)),
    "account": st.one_of(st.none(), st.from_regex(r"[a-z]{1,6}(:[a-z]{1,6})?",
                                                  fullmatch=True)),
    "tags": st.lists(st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True), unique=True,
                     max_size=3).map(sorted),
})


def tx_shape(n: int, r: dict[str, Any]) -> dict[str, Any]:
    from stuffctl.money import money_json

    return {"uid": f"00000000-0000-7000-8000-{n:012d}", "on": r["on"],
            "amount": money_json(r["minor"], r["currency"]), "payee": r["payee"],
            "memo": r["memo"], "category": r["category"], "account": r["account"],
            "tags": r["tags"], "asset_id": None, "project_id": None,
            "subscription_id": None}


@settings(max_examples=150)
@given(rows=st.lists(ROW, min_size=1, max_size=5), fmt=st.sampled_from(journal.FORMATS))
def test_what_a_journal_is_written_with_reads_back(rows: list[dict[str, Any]],
                                                   fmt: str) -> None:
    shaped = [tx_shape(n, r) for n, r in enumerate(rows)]
    text = "".join(journal.beancount_text(shaped) if fmt == "beancount"
                   else journal.ledger_text(shaped, flavour=fmt))
    read = journal.parse(text.encode(), fmt, "x")
    assert [(r["iso"], r["amount_minor"], r["currency"], r["payee"], r["memo"],
             r["category"], r["account"], r["tags"], r["uid"]) for r in read] == [
        (r["on"], r["minor"], r["currency"], r["payee"], r["memo"], r["category"],
         r["account"], r["tags"], s["uid"]) for r, s in zip(rows, shaped, strict=True)]


def test_an_unknown_format_is_refused(cli: Cli, home: Path) -> None:
    done = cli("tx", "export", "--format", "gnucash")
    assert done.exit_code == 2 and "ledger, hledger, beancount" in done.stderr
    assert json.loads(cli.ok("tx", "export", "--format", "json").stdout) == []
