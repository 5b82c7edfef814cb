"""Repair or replace through the CLI: `report assets`, `asset show` and the `advice.*`
settings, on a frozen clock."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.cli.test_json_docs import documented_keys
from tests.frozen_clock import frozen

NOW = dt.datetime(2026, 11, 23, 9, 30)


@pytest.fixture
def clock():
    with frozen(NOW):
        yield


def incident(asset_id, on, status="fixed"):
    """An incident on an asset (as `incident` commands record them)."""
    from stuffctl import store
    from stuffctl.store import sql

    with store.transaction(write=True) as db:
        sql.insert(db, "incident", {"asset_id": asset_id, "symptom": "leaks",
                                    "started_on": dt.date.fromisoformat(on),
                                    "status": status})


def household(cli):
    """A washer that cost 60% of a new one in repairs this year, with an open incident;
    a young kettle that broke once; a drill never repaired."""
    cli.ok("asset", "add", "Washer", "--price", "500", "--bought", "2021-11-01", "--life",
           "10y", "--brand", "Bosch", "--model", "WAN28")
    cli.ok("asset", "log", "1", "--kind", "repair", "--cost", "180", "--on", "2026-03-02")
    cli.ok("asset", "log", "1", "--kind", "service", "--cost", "120", "--on", "2026-09-14")
    incident(1, "2026-03-01")
    incident(1, "2026-11-20", status="open")
    cli.ok("asset", "add", "Kettle", "--price", "40", "--bought", "2026-02-01",
           "--brand", "Bosch", "--model", "wan28")
    incident(2, "2026-06-01")
    cli.ok("asset", "add", "Drill", "--price", "90")


def test_report_assets_gives_the_advice_and_the_failures_per_model(cli, clock):
    household(cli)
    data = cli.json("report", "assets")
    assert {"advice", "failures_by_model"} <= set(data) == documented_keys("report assets")
    washer, kettle = data["advice"]
    assert set(washer) == documented_keys("advice")
    assert (washer["name"], washer["recommendation"], kettle["recommendation"]) == (
        "Washer", "replace", "keep")
    assert washer["repair_cost_12m"] == {"amount": "300.00", "currency": "EUR"}
    assert [(r["reason"], r["value"], r["met"]) for r in washer["reasons"]] == [
        ("repair_cost", 0.6, True), ("age", 0.5, False), ("incident_rate", 1.0, False),
        ("open_incidents", 1, True)]
    assert data["failures_by_model"] == [
        {"brand": "Bosch", "model": "WAN28", "assets": 2, "failed": 2, "incidents": 3,
         "per_asset": 1.5, "mtbf_days": 264.0}]
    out = cli.ok("report", "assets").stdout
    assert "Repair or replace" in out and "Failures by brand and model" in out
    table = out.split("Repair or replace\n", 1)[1]
    row = next(line for line in table.splitlines() if line.startswith(" 1  Washer"))
    assert row.split()[2:7] == ["replace", "2", "1", "264", "days"]
    assert "repairs 60% of new, 1 open" in row


def test_asset_show_says_repair_or_replace_and_why(cli, clock):
    household(cli)
    data = cli.json("asset", "show", "1")
    assert data["advice"]["recommendation"] == "replace"
    assert cli.json("asset", "show", "3")["advice"] is None
    out = cli.ok("asset", "show", "1").stdout
    assert out.split("Repair or replace\n", 1)[1].splitlines() == [
        "ADVICE   FAILURES  OPEN  FIRST       LAST            MTBF     REPAIRS    LAST 12M  "
        "       NEW",
        "replace         2     1  2026-03-01  2026-11-20  264 days  300.00 EUR  300.00 EUR  "
        "500.00 EUR",
        "",
        "Why (● met, ○ not)",
        "● Repairs in the last 12 months cost 300.00 EUR, 60% of a new one at 500.00 EUR: "
        "replacing pays from 50%.",
        "○ It is 60 months old, 50% of its expected life of 120 months; old from 80%.",
        "○ 2 incidents so far, 1 a year over the last two years; too often from 2 a year.",
        "● 1 incident open: it needs a repair now."]
    assert "Repair or replace" not in cli.ok("asset", "show", "3").stdout


def test_the_thresholds_are_settings(cli, clock):
    household(cli)
    cli.ok("config", "set", "advice.repair_share", "0.75")
    data = cli.json("asset", "show", "1")["advice"]
    assert (data["recommendation"], data["reasons"][0]["threshold"]) == ("repair", 0.75)
    cli.ok("config", "set", "advice.age_share", "0.5")  # now old, not failing often
    assert cli.json("asset", "show", "1")["advice"]["recommendation"] == "repair"
    cli.ok("config", "set", "advice.incidents_per_year", "1")  # old and failing often
    assert cli.json("asset", "show", "1")["advice"]["recommendation"] == "replace"
    result = cli("config", "set", "advice.repair_share", "0")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "stuffctl: error: advice.repair_share: must be above 0: '0'\n"
