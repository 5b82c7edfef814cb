"""`stuffctl report gaps`, the completeness line of `status` and the completeness metric of
`bench`, through the CLI."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.cli.test_json_docs import documented_keys
from tests.frozen_clock import frozen

NOW = dt.datetime(2026, 11, 23, 9, 30)


def household(cli):
    cli.ok("asset", "add", "TV", "--price", "900", "--bought", "2026-01-10", "--serial", "X1",
           "--warranty", "2y", "--location", "Living room")
    cli.ok("asset", "add", "Kettle", "--price", "30")
    cli.ok("tx", "add", "--", "-45.50", "Lidl")
    cli.ok("tx", "add", "--category", "home", "--", "-12", "Ikea")
    cli.ok("project", "add", "Shed", "--budget", "2000")


def test_report_gaps_lists_what_is_missing_dearest_first_with_the_score(cli):
    household(cli)
    out = cli.ok("report", "gaps").stdout
    assert out.splitlines() == [
        "Completeness: 44.4% of the checked fields (assets 42.9%, transactions 50%, projects "
        "50%)",
        "",
        "Assets in use: 2 of 2 miss something (42.9% complete)",
        "ID  ASSET        PRICE  MISSING",
        " 1  TV      900.00 EUR  receipt, photo",
        " 2  Kettle   30.00 EUR  receipt, purchase date, serial, warranty end, photo, location",
        "",
        "Transactions: 1 of 2 miss something (50% complete)",
        "ID  PAYEE      AMOUNT  MISSING",
        " 1  Lidl   -45.50 EUR  category",
        "",
        "Open projects: 1 of 1 miss something (50% complete)",
        "ID  PROJECT        BUDGET  MISSING",
        " 1  Shed     2,000.00 EUR  due date",
        "",
        "To fill them in:",
        "receipt: stuffctl asset attach ID FILE",
        "purchase date: stuffctl asset edit ID --bought DATE",
        "serial: stuffctl asset edit ID --serial TEXT",
        "warranty end: stuffctl asset edit ID --warranty DATE",
        "photo: stuffctl asset attach ID PHOTO.jpg",
        "location: stuffctl asset edit ID --location PLACE",
        "category: stuffctl tx edit ID --category NAME",
        "due date: stuffctl project edit ID --due DATE",
    ]


def test_report_gaps_json_has_its_documented_keys(cli):
    household(cli)
    data = cli.json("report", "gaps")
    assert documented_keys("report gaps") == set(data)
    score = data["completeness"]
    kind = score["kinds"]["asset"]
    assert documented_keys("completeness") == (
        set(score) | {f"kinds.*.{k}" for k in kind}) - {"kinds.*.present", "kinds.*.checked",
                                                      "kinds.*.percent"}
    assert set(kind) == {"records", "complete", "present", "checked", "percent", "missing"}
    assert data["gaps"][0] == {"kind": "asset", "id": 1, "name": "TV",
                               "value": {"amount": "900.00", "currency": "EUR"},
                               "missing": ["receipt", "photo"]}


def test_report_gaps_kind_and_limit_choose_the_rows_and_csv_and_ndjson_have_them(cli):
    household(cli)
    csv = cli.ok("report", "gaps", "--kind", "asset", "--limit", "1", "-f", "csv").stdout
    assert csv.splitlines() == ["kind,id,name,amount,currency,missing",
                                "asset,1,TV,900.00,EUR,receipt;photo"]
    csv = cli.ok("report", "gaps", "--kind", "transaction", "-f", "csv").stdout
    assert csv.splitlines()[1] == "transaction,1,Lidl,-45.50,EUR,category"  # a number
    lines = cli.ok("report", "gaps", "--kind", "transaction", "-f", "ndjson").stdout
    assert [json.loads(line)["name"] for line in lines.splitlines()] == ["Lidl"]
    out = cli.ok("report", "gaps", "--kind", "asset", "-n", "1").stdout
    assert "Assets in use: 2 of 2 miss something (42.9% complete); the 1 dearest" in out
    assert "Kettle" not in out and "Transactions" not in out


@pytest.mark.parametrize(("args", "message"), [
    (["--kind", "tools"], "--kind: expected one of asset, transaction, project (got 'tools')"),
    (["--limit", "0"], "Invalid value for '--limit' / '-n': Input should be greater than or "
                       "equal to 1 (see 'stuffctl report gaps --help')")])
def test_report_gaps_refuses_bad_options_with_one_line_and_exit_2(cli, args, message):
    result = cli("report", "gaps", *args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"stuffctl: error: {message}\n"


def test_report_gaps_on_an_empty_home_and_a_complete_one(cli, tmp_path):
    assert cli.ok("report", "gaps").stdout == ("Nothing to check yet: no assets in use, "
                                               "transactions or open projects.\n")
    assert cli.json("report", "gaps")["completeness"]["percent"] is None
    cli.ok("tx", "add", "--category", "home", "--", "-12", "Ikea")
    assert cli.ok("report", "gaps").stdout.splitlines() == [
        "Completeness: 100% of the checked fields (transactions 100%)", "Nothing is missing."]


def test_status_shows_the_completeness_line_and_key(cli):
    household(cli)
    with frozen(NOW):
        out = cli.ok("status").stdout
        data = cli.json("status")
    assert out.splitlines()[-1] == ("Completeness: 44.4% of the checked fields (assets 42.9%, "
                                    "transactions 50%, projects 50%): stuffctl report gaps")
    assert data["completeness"]["percent"] == 44.4
    assert data["completeness"] == cli.json("report", "gaps")["completeness"]


def test_bench_has_the_completeness_metric(cli):
    with frozen(NOW):  # recorded in November
        household(cli)
    with frozen(NOW + dt.timedelta(days=31)):  # December: November is benched
        rows = {m["metric"]: m for m in cli.json("bench")["metrics"]}
        out = cli.ok("bench").stdout
    assert rows["completeness"]["now"] == 0.4444
    assert rows["completeness"]["direction"] == "higher_is_better"
    assert "completeness" in out
