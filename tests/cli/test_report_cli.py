"""`stuffctl report` through the CLI: tables, JSON, CSV and bad input."""

from __future__ import annotations


def household(cli):
    cli.ok("budget", "set", "groceries", "100")
    cli.ok("tx", "add", "--on", "2026-10-03", "--category", "groceries", "--", "-80", "Lidl")
    cli.ok("tx", "add", "--on", "2026-11-03", "--category", "groceries", "--", "-120", "Lidl")
    cli.ok("tx", "add", "--on", "2026-11-01", "--category", "salary", "3000", "Employer")


def test_report_spend_csv_has_one_column_per_period_and_a_total_row(cli):
    household(cli)
    out = cli.ok("report", "spend", "--periods", "2", "--to", "2026-11-20", "-f", "csv").stdout
    assert out.splitlines() == [
        "name,currency,2026-10,2026-11,total,change,change_pct,budget,vs_budget,vs_budget_pct",
        "groceries,EUR,80.00,120.00,200.00,40.00,+50.0%,100.00,20.00,+20.0%",
        "TOTAL,EUR,80.00,120.00,200.00,40.00,+50.0%,,,",
    ]


def test_report_spend_json_and_table(cli):
    household(cli)
    data = cli.json("report", "spend", "--by", "payee", "--per", "year", "--periods", "1",
                    "--to", "2026-11-20")
    assert set(data) == {"by", "per", "periods", "partial", "from", "to", "rows", "totals"}
    assert [(r["name"], r["total"]["amount"]) for r in data["rows"]] == [("Lidl", "200.00")]
    out = cli.ok("report", "spend", "--periods", "2", "--to", "2026-11-20").stdout
    assert "groceries" in out and "TOTAL" in out and "█" in out


def test_report_cashflow_lists_in_out_and_net(cli):
    household(cli)
    rows = cli.json("report", "cashflow", "--periods", "1", "--to", "2026-11-20")
    assert rows == [{"period": "2026-11", "currency": "EUR",
                     "in": {"amount": "3000.00", "currency": "EUR"},
                     "out": {"amount": "120.00", "currency": "EUR"},
                     "net": {"amount": "2880.00", "currency": "EUR"},
                     "partial": True}]  # November counted to the 20th


def test_report_projects_and_assets_answer_on_an_empty_home(cli):
    assert cli.json("report", "projects")["status_counts"] == {}
    assert cli.json("report", "assets")["warranty"] == {"assets": 0, "covered": 0,
                                                        "percent": None}


def test_report_rejects_bad_options_with_exit_2(cli):
    for args in (["--by", "colour"], ["--per", "week"], ["--to", "someday"],
                 ["--json", "--format", "csv"]):
        result = cli("report", "spend", *args)
        assert result.exit_code == 2, args
        assert result.stdout == ""
        assert result.stderr.startswith("stuffctl: error: --"), args
