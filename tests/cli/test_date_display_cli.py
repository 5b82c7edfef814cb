"""`config set date_display`: every table and view shows dates that way; JSON and CSV keep ISO."""

from __future__ import annotations

from datetime import date

import pytest

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(("value", "style", "shown"), [
    ("2026-11-20", "iso", "2026-11-20"),
    ("2026-11-20", "%d.%m.%Y", "20.11.2026"),
    ("2026-11-20", "relative", "3 days ago"),
    ("2026-11-24", "relative", "tomorrow"),
    ("2027-03-01", "relative", "in 3 months"),
    ("2026-11-24T08:30", "iso", "2026-11-24 08:30"),  # a local date-time keeps its time
    ("2026-11-24 08:30:15", "%d/%m", "24/11 08:30"),
    ("2026-11-23T07:04:05.123456Z", "relative", "today 07:04"),
    (date(2026, 1, 5), "%e %b %Y", " 5 Jan 2026"),
    (None, "%d.%m.%Y", ""),
    ("2026-11", "%d.%m.%Y", "2026-11"),  # a period key is not a date
    ("2026-02-30", "%d.%m.%Y", "2026-02-30"),  # nor is text that only looks like one
    ("Bakery", "relative", "Bakery"),
])
def test_day_shows_a_date_as_the_setting_says(value, style, shown):
    from stuffctl.render import day

    assert day(value, style=style, today=TODAY) == shown


@pytest.fixture
def household(cli):
    """One of everything that has a date, all in the past or far ahead."""
    cli.ok("asset", "add", "Drill", "--bought", "2025-03-01", "--warranty", "2031-04-02",
           "--price", "100")
    cli.ok("person", "add", "Sam")
    cli.ok("asset", "lend", "1", "--to", "Sam", "--on", "2025-05-06", "--due", "2031-07-08")
    cli.ok("asset", "log", "1", "--kind", "service", "--on", "2025-06-07")
    cli.ok("tx", "add", "--on", "2025-09-10", "--", "-5", "Bakery")
    cli.ok("project", "add", "Shed", "--due", "2031-10-11")
    cli.ok("task", "add", "Shed", "Paint", "--due", "2031-10-09")
    cli.ok("sub", "add", "Gym", "30", "--every", "monthly", "--next", "2031-12-13")
    cli.ok("remind", "add", "Pills", "--on", "2031-01-14 08:30")
    cli.ok("config", "set", "date_display", "%d.%m.%Y")


@pytest.mark.parametrize(("command", "shown"), [
    (["asset", "list"], ["01.03.2025", "02.04.2031"]),
    (["asset", "show", "1"], ["01.03.2025", "02.04.2031", "since 06.05.2025, due 08.07.2031",
                              "07.06.2025"]),
    (["loan", "list"], ["06.05.2025", "08.07.2031"]),
    (["person", "show", "1"], ["06.05.2025", "08.07.2031"]),
    (["tx", "list"], ["10.09.2025"]),
    (["tx", "show", "1"], ["10.09.2025"]),
    (["project", "list"], ["11.10.2031"]),
    (["project", "show", "Shed"], ["11.10.2031", "(due 09.10.2031)"]),
    (["task", "list"], ["09.10.2031"]),
    (["sub", "list"], ["13.12.2031"]),
    (["sub", "show", "1"], ["13.12.2031"]),
    (["remind", "list", "--all"], ["14.01.2031 08:30"]),
    (["status"], ["06.05.2025", "08.07.2031"]),
], ids=" ".join)
def test_every_view_shows_dates_as_the_setting_says(cli, household, command, shown):
    out = cli.ok(*command).stdout
    assert [s for s in shown if s not in out] == []
    assert not any(iso in out for iso in ("2025-03-01", "2031-04-02", "2025-05-06",
                                          "2031-07-08", "2025-09-10", "2031-10-11",
                                          "2031-12-13", "2031-01-14"))


@pytest.mark.parametrize(("command", "said"), [
    (["tx", "add", "--on", "2025-09-11", "--", "-3", "Kiosk"], "transaction 2: 11.09.2025"),
    (["asset", "log", "1", "--kind", "repair", "--on", "2025-09-12"], "repair on 12.09.2025"),
    (["asset", "return", "1", "--on", "2025-09-13"], "on 13.09.2025"),
    (["asset", "seen", "1", "--on", "2025-09-14"], "seen on 14.09.2025"),
    (["remind", "add", "Passport", "--on", "2031-02-15"], "(due 15.02.2031)"),
], ids=lambda v: v if isinstance(v, str) else " ".join(v[:2]))
def test_what_a_change_says_shows_dates_as_the_setting_says(cli, household, command, said):
    assert said in cli.ok(*command).stdout


@pytest.mark.parametrize(("command", "iso", "shown"), [
    (["asset", "list"], "2025-03-01", "01.03.2025"),
    (["tx", "list"], "2025-09-10", "10.09.2025"),
    (["loan", "list"], "2025-05-06", "06.05.2025"),
], ids=lambda v: " ".join(v) if isinstance(v, list) else v)
@pytest.mark.parametrize("fmt", ["json", "ndjson", "csv"])
def test_json_ndjson_and_csv_keep_iso_dates(cli, household, command, iso, shown, fmt):
    out = cli.ok(*command, "--format", fmt).stdout
    assert iso in out and shown not in out


def test_relative_dates_count_from_today(cli):
    cli.ok("tx", "add", "--on", "yesterday", "--", "-5", "Bakery")
    cli.ok("asset", "add", "Kettle", "--bought", "today", "--warranty", "+3d")
    cli.ok("config", "set", "date_display", "relative")
    assert "yesterday" in cli.ok("tx", "list").stdout
    line = next(ln for ln in cli.ok("asset", "list").stdout.splitlines() if "Kettle" in ln)
    assert "today" in line and "in 3 days" in line
    assert "yesterday" not in cli.ok("tx", "list", "--json").stdout
