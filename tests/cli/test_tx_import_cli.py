"""A year from two banks through saved rules: totals, budgets, re-import, bad input."""

from __future__ import annotations

import pytest

from stuffctl import paths
from tests.banks import save_rules, write_exports
from tests.conftest import sql_one


@pytest.fixture
def exports(home, tmp_path):
    save_rules(home)
    return write_exports(tmp_path)


def txn_count() -> int:
    return int(sql_one("SELECT count(*) FROM txn"))


def test_a_year_from_two_banks_imports_once_and_totals_match_hand_figures(cli, exports):
    ing, asn = exports
    first = [cli.json("tx", "import", str(ing), "--rules", "ing"),
             cli.json("tx", "import", str(asn), "--rules", "asn")]
    assert [(r["added"], r["duplicates"], r["skipped"]) for r in first] == [(60, 0, 1),
                                                                            (37, 0, 0)]
    again = [cli.json("tx", "import", str(ing), "--rules", "ing"),
             cli.json("tx", "import", str(asn), "--rules", "asn")]
    assert [(r["added"], r["duplicates"]) for r in again] == [(0, 60), (0, 37)]
    assert txn_count() == 97
    march = cli.json("tx", "list", "--period", "2026-03", "--totals")
    assert march == [{"currency": "EUR", "count": 9,
                      "in": {"amount": "3205.00", "currency": "EUR"},
                      "out": {"amount": "1195.90", "currency": "EUR"},
                      "net": {"amount": "2009.10", "currency": "EUR"}}]
    year = cli.json("tx", "list", "--period", "2026", "--category", "groceries", "--totals")
    assert year[0]["out"] == {"amount": "2779.80", "currency": "EUR"}
    net = cli.json("tx", "list", "--period", "from 2026-01 to 2026-12", "--totals")
    assert net[0]["net"] == {"amount": "23445.20", "currency": "EUR"}


def test_budget_status_matches_the_hand_computed_spend(cli, exports):
    for path, rules in zip(exports, ("ing", "asn"), strict=True):
        cli.ok("tx", "import", str(path), "--rules", rules)
    cli.ok("budget", "set", "groceries", "300")
    cli.ok("budget", "set", "home", "9000", "--period", "yearly")
    cli.ok("budget", "set", "home:repairs", "50")
    status = cli.json("budget", "status", "--period", "2026-03")
    rows = {r["category"]: r for r in status["budgets"]}
    assert rows["groceries"] | {} == {
        "category": "groceries", "depth": 0, "period": "monthly",
        "start": "2026-03-01", "end": "2026-04-01",
        "budget": {"amount": "300.00", "currency": "EUR"},
        "spent": {"amount": "215.90", "currency": "EUR"},
        "left": {"amount": "84.10", "currency": "EUR"}, "percent": 72.0, "over": False}
    assert rows["home"]["budget"]["amount"] == "750.00"  # 9000 a year, one month of it
    assert rows["home"]["spent"]["amount"] == "975.00"  # rent 950 + Gamma 30 - refund 5
    assert rows["home"]["over"] is True
    assert (rows["home:repairs"]["depth"], rows["home:repairs"]["spent"]["amount"]) == (1, "25.00")
    q1 = cli.json("budget", "status", "--period", "2026-Q1")
    assert {r["category"]: r["spent"]["amount"] for r in q1["budgets"]} == {
        "groceries": "634.20", "home": "2905.00", "home:repairs": "55.00"}


def test_dry_run_shows_the_rows_and_writes_nothing(cli, exports):
    result = cli.json("tx", "import", str(exports[1]), "--rules", "asn", "--dry-run")
    assert (result["added"], result["new"], result["dry_run"]) == (0, 37, True)
    assert result["transactions"][0] == {
        "on": "2026-01-01", "amount": {"amount": "-950.00", "currency": "EUR"},
        "payee": "Verhuurder", "category": "home:rent", "account": "bank:asn",
        "memo": "Huur 1", "line": 38}
    table = cli.ok("tx", "import", str(exports[1]), "--rules", "asn", "--dry-run").stdout
    assert "would add 37 of 37 row(s)" in table
    assert not paths.db_path().exists()  # it only reads: not even a new database is made
    assert txn_count() == 0


def test_newest_first_inserts_oldest_first(cli, exports):
    cli.ok("tx", "import", str(exports[1]), "--rules", "asn")
    ids = cli.json("tx", "list", "--sort", "id", "--limit", "2")
    assert [t["on"] for t in ids] == ["2026-01-01", "2026-01-12"]


def bad_file(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def ing_with_bad_amount_on_line_57() -> bytes:
    from tests.banks import ing_csv

    lines = ing_csv().splitlines()
    lines[56] = '20261110,ALBERT HEIJN 1234,NL01,"12,3x",,pinbetaling'
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize(("name", "data", "message"), [
    ("bad-amount.csv", ing_with_bad_amount_on_line_57(),
     "bad-amount.csv:57: column amount_out: not an amount: '12,3x'"),
    ("bad-date.csv", b"x\nDatum\n2026-01-05,A,B,\"1,00\",,m\n",
     "bad-date.csv:3: column date: not a date: '2026-01-05' (does not match the date format "
     "'%Y%m%d')"),
    ("empty.csv", b"", "empty.csv: empty file"),
    ("binary.csv", b"PK\x03\x04\x00\x00\x08\x00binary", "binary.csv: binary data (NUL bytes), "
     "not a CSV text file"),
    ("short.csv", b"x\nDatum\n20260105,A,B,\"1,00\"\n",
     "short.csv:3: column amount_in: missing (the row has 4 column(s), the rules name 6)"),
    ("latin.csv", b"x\nDatum\n20260105,Caf\xe9,B,\"1,00\",,m\n",
     "latin.csv: not utf-8 text (bad byte at offset"),
    ("header-only.csv", b"x\nDatum,Naam\n", "header-only.csv: no rows to import"),
])
def test_bad_input_is_one_line_exit_2_and_nothing_written(cli, exports, tmp_path, name, data,
                                                          message):
    cli.ok("tx", "import", str(exports[1]), "--rules", "asn")
    before = txn_count()
    result = cli("tx", "import", bad_file(tmp_path, name, data), "--rules", "ing")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"stuffctl: error: {message}")
    assert len(result.stderr.splitlines()) == 1
    assert txn_count() == before


def test_unknown_rules_name_is_not_found_and_bad_rules_name_their_key(cli, home, tmp_path):
    csv = bad_file(tmp_path, "a.csv", b"2026-01-01,1\n")
    missing = cli("tx", "import", csv, "--rules", "nosuch")
    assert missing.exit_code == 3 and "no rules named 'nosuch'" in missing.stderr
    rules = tmp_path / "bad.toml"
    rules.write_text('fields = ["date", "amount"]\nseperator = ";"\n')
    bad = cli("tx", "import", csv, "--rules", str(rules))
    assert bad.exit_code == 2 and "unknown key(s) seperator" in bad.stderr


def test_export_csv_and_json_are_read_back_and_add_nothing_twice(cli, exports, tmp_path):
    cli.ok("tx", "import", str(exports[0]), "--rules", "ing")
    csv_text = cli.ok("tx", "export").stdout
    json_text = cli.ok("tx", "export", "--format", "json").stdout
    first = cli.json("tx", "list", "--sort", "date")[0]
    assert csv_text.splitlines()[1] == (f"{first['id']},{first['uid']},2026-01-03,-46.60,EUR,"
                                        "ALBERT HEIJN 1234,groceries,bank:ing,pinbetaling,,,,")
    again = cli.ok("tx", "import", "-", "--json", input=csv_text).json()
    assert (again["added"], again["duplicates"]) == (0, 60)
    before = "\n".join(["date,amount,currency,payee,category,account,memo",
                        "2026-01-03,-46.60,EUR,ALBERT HEIJN 1234,groceries,bank:ing,"
                        "pinbetaling"]) + "\n"  # what tx export wrote before 0.2
    assert cli.ok("tx", "import", "-", "--json", input=before).json()["duplicates"] == 1
    fresh = tmp_path / "fresh.db"
    copied = cli.ok("--db", str(fresh), "tx", "import", "-", "--json", input=csv_text).json()
    assert copied["added"] == 60
    assert [(t["uid"], t["tags"]) for t in cli.json("--db", str(fresh), "tx", "list",
                                                    "--sort", "date")][:1] == [
        (first["uid"], first["tags"])]
    other = tmp_path / "elsewhere.db"
    moved = cli.ok("--db", str(other), "tx", "import", "-", "--json", input=json_text).json()
    assert moved["added"] == 60
    assert cli.json("--db", str(other), "tx", "list", "--totals") == cli.json(
        "tx", "list", "--totals")


def test_categorize_applies_rules_to_uncategorised_transactions(cli, home):
    save_rules(home)
    cli.ok("tx", "add", "-12", "LIDL Utrecht")
    cli.ok("tx", "add", "-30", "Gamma", "--category", "diy")
    cli.ok("tx", "add", "-5", "Kiosk")
    result = cli.json("tx", "categorize", "--rules", "asn")
    assert result == {"uncategorized": 2, "categorized": 1, "dry_run": False,
                      "by_category": {"groceries": 1}}
    assert [t["category"] for t in cli.json("tx", "list", "--sort", "id")] == [
        "groceries", "diy", None]


def test_the_example_rules_in_the_docs_read_their_example_exports(cli, home, tmp_path):
    from pathlib import Path

    doc = (Path(__file__).parents[2] / "docs" / "transactions.md").read_text()
    blocks = doc.split("```")
    rules = [b.removeprefix("toml\n") for b in blocks if b.startswith("toml\n")]
    exports = [b.lstrip("\n") for b in blocks if b.startswith("\n") and "Datum" in b]
    (home / "rules").mkdir(parents=True)
    for name, text, data in zip(("ing", "asn"), rules, exports, strict=True):
        (home / "rules" / f"{name}.toml").write_text(text)
        path = tmp_path / f"{name}.csv"
        path.write_bytes(data.encode("cp1252"))
        assert cli.json("tx", "import", str(path), "--rules", name)["added"] == 2
    assert [(t["category"], t["amount"]["amount"]) for t in cli.json("tx", "list")] == [
        ("groceries", "-46.60"), ("income:salary", "3200.00"),
        ("income:tax refund", "1250.00"), ("home:repairs", "-30.00")]
