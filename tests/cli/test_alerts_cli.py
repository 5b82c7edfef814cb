"""Alerts through `stuffctl remind run --now` and their config switches."""

from __future__ import annotations


def test_remind_run_reports_a_budget_over_100_percent_once(cli):
    cli.ok("budget", "set", "fun", "50")
    cli.ok("tx", "add", "--on", "2026-11-03", "--category", "fun", "--", "-60", "Cinema")
    first = cli.json("remind", "run", "--now", "2026-11-20 09:00")
    assert [(r["kind"], r["key"], r["occurrence"], r["band"]) for r in first] == [
        ("alert_budget", "alert:budget:fun", "2026-11-01", "due")]
    assert "passed 100%: spent 60.00 EUR of 50.00 EUR (120%)" in first[0]["title"]
    assert cli.ok("remind", "run", "--now", "2026-11-21 09:00").stdout == ""


def test_alerts_switched_off_in_config_stay_quiet(cli):
    cli.ok("config", "set", "alerts.budget", "off")
    cli.ok("budget", "set", "fun", "50")
    cli.ok("tx", "add", "--on", "2026-11-03", "--category", "fun", "--", "-60", "Cinema")
    assert cli.ok("remind", "run", "--now", "2026-11-20 09:00").stdout == ""


def test_an_alert_switch_must_be_a_boolean(cli):
    result = cli("config", "set", "alerts.price_change", "maybe")
    assert result.exit_code == 2
    assert "expected true or false" in result.stderr
