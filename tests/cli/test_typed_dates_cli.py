"""Dates as people type them (#23), through the CLI: the ``date_order`` setting (else
the locale's) for every date option, and ``remind snooze ID DATE`` at the morning hour."""

from __future__ import annotations

import pytest

from stuffctl import paths
from tests.conftest import sql_one

NOW = "2026-03-04 09:00"  # a Wednesday


@pytest.fixture
def pills(cli):
    """A reminder due on NOW's day: open, so it can be snoozed."""
    cli.ok("remind", "add", "Pills", "--on", "2026-03-04")


@pytest.mark.parametrize(("until", "snoozed"), [
    ("tomorrow", "2026-03-05T08:00:00"),  # a date: at the morning hour, not midnight
    ("next friday", "2026-03-13T08:00:00"),
    ("24.12.2026", "2026-12-24T08:00:00"),
    ("tomorrow 14:00", "2026-03-05T14:00:00"),  # a time typed is kept
    ("2h", "2026-03-04T11:00:00"),  # a time from now stays relative
    ("90 min", "2026-03-04T10:30:00"),
    ("3d", "2026-03-07T09:00:00"),
])
def test_snooze_to_a_date_wakes_at_the_morning_hour(cli, pills, until, snoozed):
    data = cli.json("remind", "snooze", "1", until, "--now", NOW)
    assert (data["action"], data["snoozed_until"]) == ("snooze", snoozed)
    listed = cli.json("remind", "list", "--all", "--now", NOW)
    assert [r["snoozed_until"] for r in listed] == [snoozed]


def test_snooze_tomorrow_is_silent_until_the_configured_morning(cli, pills):
    assert cli.ok("config", "set", "remind.morning", "7:30am").stdout == (
        "remind.morning = 07:30\n")
    done = cli.ok("remind", "snooze", "1", "tomorrow", "--now", NOW)
    assert done.stdout == "snoozed: Pills until 2026-03-05 07:30\n"
    assert cli.ok("remind", "run", "--now", "2026-03-05 07:29").stdout == ""
    assert "Pills" in cli.ok("remind", "run", "--now", "2026-03-05 07:30").stdout


@pytest.mark.parametrize(("args", "message"), [
    (("remind", "snooze", "1", "yesterday", "--now", NOW),
     "snooze: the time must be in the future"),
    (("remind", "snooze", "1", "2h30", "--now", NOW), "UNTIL: not a date or time: '2h30'"),
    (("config", "set", "remind.morning", "breakfast"), "remind.morning: not a time"),
])
def test_snooze_refuses_what_is_no_later_time_in_one_line(cli, pills, args, message):
    result = cli(*args)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert message in result.stderr


def test_config_set_date_order_refuses_other_orders(cli, home):
    result = cli("config", "set", "date_order", "XYZ")
    assert result.exit_code == 2
    assert result.stderr == ("stuffctl: error: date_order: expected DMY, MDY or YMD, or "
                             "nothing for the locale's (got 'XYZ')\n")
    assert not paths.config_path().exists()
    assert cli.ok("config", "set", "date_order", "mdy").stdout == "date_order = MDY\n"


@pytest.mark.parametrize(("setting", "locale", "due"), [
    ("DMY", "en_US.UTF-8", "2026-04-03"),  # the setting wins over the locale
    ("MDY", "de_DE.UTF-8", "2026-03-04"),
    (None, "en_US.UTF-8", "2026-03-04"),  # unset: the locale's
    (None, "de_DE.UTF-8", "2026-04-03"),
])
def test_an_ambiguous_date_option_follows_date_order_else_the_locale(
        cli, monkeypatch, setting, locale, due):
    monkeypatch.setenv("LC_ALL", locale)
    if setting:
        cli.ok("config", "set", "date_order", setting)
    cli.ok("project", "add", "Shed")
    assert cli.json("task", "add", "Shed", "Paint", "--due", "03/04/2026")["due_on"] == due


def test_the_year_first_order_refuses_to_guess_and_writes_nothing(cli, monkeypatch):
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    cli.ok("project", "add", "Shed")
    result = cli("task", "add", "Shed", "Paint", "--due", "03/04/2026")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "--due: not a date: '03/04/2026' (is it 2026-04-03 or 2026-03-04?" in result.stderr
    assert sql_one("SELECT count(*) FROM task") == 0


@pytest.mark.parametrize(("typed", "stored"), [
    ("24.12.2025", "2025-12-24"), ("12/24/2025", "2025-12-24"), ("Dec 24, 2025", "2025-12-24"),
    ("24 December 2025", "2025-12-24"), ("2025/12/24", "2025-12-24"),
])
def test_every_date_option_takes_the_forms_people_type(cli, typed, stored):
    assert cli.json("asset", "add", "Drill", "--bought", typed)["purchased_on"] == stored
