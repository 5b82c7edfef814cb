"""`stuffctl remind …` and `asset reading|schedule` through the CLI boundary."""

from __future__ import annotations

import os
import shlex
from datetime import date, timedelta

import pytest

from stuffctl import paths
from tests.conftest import sql_one

NOW = "2026-03-04 09:00"


def test_remind_add_prints_the_reminder_json(cli):
    data = cli.json("remind", "add", "Pills", "--on", "2026-03-01 08:30", "--every", "daily",
                    "--lead", "0d")
    assert {k: data[k] for k in ("id", "key", "title", "due", "all_day", "rule", "recurrence",
                                 "from_done", "lead", "state", "about")} == {
        "id": 1, "key": "reminder:1", "title": "Pills", "due": "2026-03-01T08:30:00",
        "all_day": False, "rule": "FREQ=DAILY", "recurrence": "every day", "from_done": False,
        "lead": "0d", "state": "open", "about": None}


@pytest.mark.parametrize("args", [
    ("remind", "add", "X"), ("remind", "add", "X", "--on", "2026-13-01"),
    ("remind", "add", "X", "--on", "today", "--every", "sometimes"),
    ("remind", "add", "X", "--on", "today", "--from-done"),
    ("remind", "add", "X", "--on", "today", "--about", "car:1"),
    ("remind", "run", "--now", "yesterdayish"),
])
def test_bad_input_exits_2_with_one_line_and_writes_nothing(cli, home, args):
    result = cli(*args)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    if paths.db_url() is not None or (home / "stuffctl.db").exists():
        assert sql_one("SELECT count(*) FROM reminder") == 0


def test_unknown_ids_exit_3(cli):
    assert cli("remind", "done", "9").exit_code == 3
    assert cli("remind", "rm", "9", "--yes").exit_code == 3
    assert cli("remind", "add", "X", "--on", "today", "--about", "asset:9").exit_code == 3
    assert cli("asset", "reading", "9", "100").exit_code == 3


def test_run_notifies_each_band_once_and_exit_status_says_how_late(cli):
    cli.ok("remind", "add", "Pay rent", "--on", "2026-03-04")
    first = cli("remind", "run", "--now", NOW, "--exit-status")
    assert first.exit_code == 10
    assert first.stdout == "DUE      2026-03-04        Pay rent (reminder 1)\n"
    assert cli("remind", "run", "--now", NOW).stdout == ""
    later = cli("remind", "run", "--now", "2026-03-06 09:00", "--exit-status", "--json")
    assert later.exit_code == 11
    assert [(r["band"], r["overdue_days"]) for r in later.json()] == [("overdue", 2)]
    digest = cli.ok("remind", "run", "--now", "2026-03-06 10:00", "--digest")
    assert "Pay rent" in digest.stdout


def test_a_fixed_schedule_missed_five_times_appears_once(cli):
    cli.ok("remind", "add", "Water plants", "--on", "2026-03-01", "--every", "daily")
    rows = cli.json("remind", "run", "--now", "2026-03-06 12:00")
    assert [(r["due"], r["missed"]) for r in rows] == [("2026-03-06", 5)]
    assert cli.ok("remind", "run", "--now", "2026-03-06 12:00").stdout == ""


def test_done_moves_a_from_done_reminder_from_the_day_it_was_done(cli):
    cli.ok("remind", "add", "Oil", "--on", "2026-03-01", "--every", "6 months", "--from-done")
    done = cli.json("remind", "done", "1", "--on", "2026-03-10")
    assert done["action"] == "done" and done["acted_on"] == "2026-03-10"
    assert cli.json("remind", "list", "--all")[0]["due"] == "2026-09-10"


def test_skip_moves_a_fixed_schedule_and_snooze_silences_until_then(cli):
    # a Monday one to two weeks ahead: not yet overdue, whatever the date today
    today = date.today()
    monday = today + timedelta(days=7 + (7 - today.weekday()) % 7)
    cli.ok("remind", "add", "Bins", "--on", monday.isoformat(), "--every", "every monday")
    cli.ok("remind", "skip", "1")
    assert cli.json("remind", "list", "--all")[0]["due"] == (monday + timedelta(7)).isoformat()
    cli.ok("remind", "add", "Call mum", "--on", "today")
    cli.ok("remind", "snooze", "2", "3d")
    assert [r["title"] for r in cli.json("remind", "run")] == []


def test_edit_and_rm(cli):
    cli.ok("remind", "add", "Pills", "--on", "2026-03-01")
    assert cli.json("remind", "edit", "1", "--title", "Vitamins")["title"] == "Vitamins"
    cli.ok("remind", "rm", "1", "--yes")
    assert cli.json("remind", "list", "--all") == []


def test_maintenance_is_due_by_meter_and_closed_by_logging_the_event(cli):
    cli.ok("asset", "add", "Car", "--bought", "2025-01-01")
    cli.ok("asset", "log", "1", "--kind", "service", "--on", "2025-06-01", "--meter", "10000")
    assert cli.json("asset", "reading", "1", "21000", "--on", "2025-10-01")["current"] == 21000
    sched = cli.json("asset", "schedule", "1", "every 1 year or 10000 km", "--kind", "service")
    assert sched["next_due"] == "2025-10-01" and sched["every"] == "every year or 10000 km"
    rows = cli.json("remind", "list", "--now", "2025-10-01 09:00")
    assert [(r["key"], r["band"]) for r in rows] == [("maintenance:1", "due")]
    done = cli.json("remind", "done", "maintenance:1", "--log")
    assert done["logged"] is True
    assert cli.json("asset", "schedules")[0]["next_due"] > "2026-01-01"


def test_warranty_ending_is_a_reminder_without_typing(cli):
    cli.ok("asset", "add", "Dishwasher", "--warranty", "+10d")
    rows = cli.json("remind", "list")
    assert [(r["key"], r["band"], r["lead"]) for r in rows] == [
        ("warranty:asset:1", "upcoming", "30d")]


def test_notification_preferences_and_command(cli, tmp_path):
    out = tmp_path / "notified"
    script = tmp_path / "notify.sh"
    script.write_text(f'#!/bin/sh\nprintf "%s|%s" "$1" "$2" > {out}\n')
    script.chmod(0o755)
    cli.ok("config", "set", "notify.command", f'["{script}"]')
    cli.ok("remind", "add", "Pay rent; rm -rf /", "--on", "2026-03-04")
    cli.ok("remind", "run", "--now", NOW)
    assert out.read_text().startswith("stuffctl: Pay rent; rm -rf /|DUE")
    cli.ok("config", "set", "notify.reminder", "overdue-only")
    cli.ok("remind", "add", "Quiet one", "--on", "2026-03-04")
    assert cli.ok("remind", "run", "--now", NOW).stdout == ""


RENT_DUE = "DUE      2026-03-04        Pay rent (reminder 1)\n"


@pytest.mark.parametrize(("command", "problem"), [
    ("/nonexistent/notify", "notification command '/nonexistent/notify' failed: [Errno 2] "
     "No such file or directory: '/nonexistent/notify'"),
    ("false", "notification command 'false' exited 1"),
])
def test_a_notification_whose_command_failed_is_sent_again_by_the_next_run(
        cli, command, problem):
    cli.ok("config", "set", "notify.command", command)
    cli.ok("remind", "add", "Pay rent", "--on", "2026-03-04")
    for _ in range(2):
        failed = cli("remind", "run", "--now", NOW)
        assert (failed.exit_code, failed.stdout, failed.stderr) == (
            12, RENT_DUE, f"{problem}; the next run tries again\n")
    cli.ok("config", "set", "notify.command", "true")
    assert (cli.ok("remind", "run", "--now", NOW).stdout,
            cli.ok("remind", "run", "--now", NOW).stdout) == (RENT_DUE, "")


@pytest.mark.parametrize(("command", "cached"), [("true", True), ("false", False)])
def test_only_a_delivered_notification_lets_the_fast_path_stay_silent(cli, command, cached):
    from stuffctl import fastpath

    cli.ok("config", "set", "notify.command", command)
    cli.ok("remind", "add", "Pay rent", "--on", "today")
    done = cli("remind", "run")
    assert "Pay rent" in done.stdout and done.exit_code == (0 if cached else 12)
    assert fastpath.nothing_to_do(["remind", "run"]) is cached


def test_quiet_hours_hold_notifications_until_they_end(cli):
    cli.ok("config", "set", "remind.quiet_hours", "22:00-07:00")
    cli.ok("remind", "add", "Pay rent", "--on", "2026-03-04")
    assert cli.ok("remind", "run", "--quiet-hours", "--now", "2026-03-04 03:00").stdout == ""
    assert "Pay rent" in cli.ok("remind", "run", "--quiet-hours", "--now",
                                "2026-03-04 07:00").stdout


def test_ics_parses_with_icalendar(cli):
    from icalendar import Calendar

    cli.ok("remind", "add", "Pills", "--on", "tomorrow 08:30", "--every", "daily")
    cli.ok("remind", "add", "Passport", "--on", "+20d")
    cal = Calendar.from_ical(cli.ok("remind", "ics").stdout)
    events = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {"Pills", "Passport"}
    assert events["Pills"]["rrule"]["FREQ"] == ["DAILY"]


def test_cron_prints_a_crontab_line_and_a_persistent_timer(cli, home):
    data = cli.json("remind", "cron")
    assert data["crontab"].startswith("*/15 * * * * ")
    database = os.environ.get("STUFFCTL_DB") or home / "stuffctl.db"  # a server's: its URL
    assert f"--db {database} remind run" in data["crontab"]
    assert "Persistent=true" in data["systemd"]["stuffctl-remind.timer"]


def test_cron_and_the_systemd_unit_carry_the_home_quoted(cli, tmp_path, monkeypatch):
    from stuffctl.services.remind.cron import command_words

    home = tmp_path / "my 100% home"
    monkeypatch.setenv("STUFFCTL_HOME", str(home))
    exe, unit_exe = shlex.join(command_words()), " ".join(command_words())
    url = os.environ.get("STUFFCTL_DB")  # a server's database is named by its URL
    db_cron = url or f"'{tmp_path}/my 100\\% home/stuffctl.db'"
    db_unit = url or f'"{tmp_path}/my 100%% home/stuffctl.db"'
    data = cli.json("remind", "cron")
    assert data["crontab"] == (
        f"*/15 * * * * STUFFCTL_HOME='{tmp_path}/my 100\\% home' {exe}"
        f" --db {db_cron} remind run --quiet-hours")
    assert data["systemd"]["stuffctl-remind.service"] == (
        "[Unit]\nDescription=stuffctl reminders\n\n[Service]\nType=oneshot\n"
        f'Environment="STUFFCTL_HOME={tmp_path}/my 100%% home"\n'
        f'ExecStart={unit_exe} --db {db_unit}'
        " remind run --quiet-hours\n")


def test_cron_names_the_config_dir_that_xdg_config_home_moved(cli, tmp_path, monkeypatch):
    from stuffctl import paths

    monkeypatch.delenv("STUFFCTL_HOME")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    data = cli.json("--db", str(tmp_path / "s.db"), "remind", "cron")
    assert f"* STUFFCTL_HOME={paths.config_dir()} " in data["crontab"]
    assert f"\nEnvironment=STUFFCTL_HOME={paths.config_dir()}\n" in data["systemd"][
        "stuffctl-remind.service"]


def test_cron_sets_nothing_when_the_config_is_where_cron_looks(cli, tmp_path, monkeypatch):
    from stuffctl.services.remind.cron import command_words

    monkeypatch.delenv("STUFFCTL_HOME")
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    data = cli.json("--db", str(tmp_path / "s.db"), "remind", "cron")
    assert data["crontab"] == (f"*/15 * * * * {shlex.join(command_words())} --db "
                               f"{tmp_path / 's.db'} remind run --quiet-hours")
    assert "Environment" not in data["systemd"]["stuffctl-remind.service"]


@pytest.mark.parametrize(("upcoming", "expected"), [
    ("30d", []),
    ("60d", [("warranty:asset:2", "2027-01-21")]),
    ("120d", [("warranty:asset:2", "2027-01-21"), ("warranty:asset:1", "2027-03-01")]),
    ("365d", [("warranty:asset:2", "2027-01-21"), ("warranty:asset:1", "2027-03-01"),
              ("renewal:subscription:1", "2027-06-01")]),
    ("2y", [("warranty:asset:2", "2027-01-21"), ("warranty:asset:1", "2027-03-01"),
            ("renewal:subscription:1", "2027-06-01"), ("renewal:subscription:1", "2028-06-01")]),
])
def test_upcoming_lists_everything_due_within_the_window_asked(cli, upcoming, expected):
    cli.ok("asset", "add", "TV", "--warranty", "2027-03-01")
    cli.ok("asset", "add", "Radio", "--warranty", "2027-01-21")
    cli.ok("sub", "add", "Gym", "20", "--every", "yearly", "--next", "2027-06-01")
    rows = cli.json("remind", "list", "--upcoming", upcoming, "--now", "2026-12-02 09:00")
    assert [(r["key"], r["due"]) for r in rows] == expected


def test_a_warranty_past_its_end_is_expired_not_overdue(cli):
    cli.ok("asset", "add", "TV", "--warranty", "2026-03-01")

    def band(now: str) -> list[tuple[str, str, int]]:
        return [(r["key"], r["band"], r["overdue_days"])
                for r in cli.json("remind", "list", "--now", now)]

    assert band("2026-02-25 09:00") == [("warranty:asset:1", "soon", 0)]
    assert band("2026-03-01 09:00") == [("warranty:asset:1", "due", 0)]
    assert band("2026-03-04 09:00") == [("warranty:asset:1", "expired", 0)]
    assert "expired  2026-03-01  warranty  Warranty of TV ends" in cli.ok(
        "remind", "list", "--now", "2026-03-04 09:00").stdout
    assert cli.json("remind", "list", "--overdue", "--now", "2026-03-04 09:00") == []
    run = cli("remind", "run", "--now", "2026-03-04 09:00", "--exit-status")
    assert (run.exit_code, run.stdout) == (
        0, "EXPIRED  2026-03-01        Warranty of TV ends (warranty:asset:1)\n")


def test_list_all_shows_each_renewal_once_and_upcoming_every_charge(cli):
    cli.ok("sub", "add", "Netflix", "13.99", "--every", "monthly", "--next", "2026-03-04")
    cli.ok("remind", "add", "Pay rent", "--on", "2026-03-20", "--every", "monthly")

    def listed(*args: str) -> list[tuple[str, str, str | None]]:
        return [(r["key"], r["due"], r["band"])
                for r in cli.json("remind", "list", *args, "--now", NOW)]

    assert listed("--all") == [("renewal:subscription:1", "2026-03-04", "due"),
                               ("reminder:1", "2026-03-20", None)]
    assert listed("--upcoming", "40d") == [("renewal:subscription:1", "2026-03-04", "due"),
                                           ("reminder:1", "2026-03-20", None),
                                           ("renewal:subscription:1", "2026-04-04", None)]


@pytest.mark.parametrize(("noun", "add", "question"), [
    ("remind", ["remind", "add", "Pay rent", "--on", "2026-03-04"],
     "Remove reminder 1 (Pay rent)? [y/N]: "),
    ("tx", ["tx", "add", "-5", "Lidl", "--on", "2026-03-04"],
     "Remove transaction 1 (2026-03-04 -5.00 EUR)? [y/N]: "),
])
def test_rm_asks_first_as_tx_rm_does_and_yes_or_an_answer_removes(cli, noun, add, question):
    table = {"remind": "reminder", "tx": "txn"}[noun]
    cli.ok(*add)
    for answer in (None, ""):  # no terminal and nothing to read
        kept = cli(noun, "rm", "1", input=answer)
        assert (kept.exit_code, kept.stdout, kept.stderr) == (
            1, "", f"{question.rstrip()}stuffctl: error: aborted, nothing changed\n")
    kept = cli(noun, "rm", "1", input="n\n")  # (the test runner echoes the answer on stdout)
    assert (kept.exit_code, kept.stderr) == (
        1, f"{question.rstrip()}stuffctl: error: aborted, nothing changed\n")
    assert sql_one(f"SELECT count(*) FROM {table}") == 1
    removed = cli(noun, "rm", "1", input="y\n")
    assert (removed.exit_code, removed.stderr) == (0, question.rstrip())
    assert "removed " in removed.stdout
    again = cli.json(*add)["id"]
    assert cli.ok(noun, "rm", str(again), "--yes").stderr == ""
    assert sql_one(f"SELECT count(*) FROM {table}") == 0
