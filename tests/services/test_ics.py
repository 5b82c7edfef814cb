"""`remind ics`: timed items in a named time zone with its VTIMEZONE, all-day items as
dates, a regular subscription as one repeating event; read back by the icalendar parser
and imported by the real calcurse. Every calendar is made at a fixed clock."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Event, vRecur

from stuffctl import config, store
from stuffctl.dates import Recurrence, parse_recurrence
from stuffctl.services.remind import ics
from stuffctl.services.remind.due import occurrences
from stuffctl.services.remind.settings import Settings

NOW = datetime(2026, 3, 1, 12, 0)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def ics_bytes(now: datetime = NOW, **values: str) -> bytes:
    """The calendar at ``now`` with the config plus ``values`` (``timezone=...``)."""
    settings = Settings({**config.effective(), **values})
    with store.transaction() as db:
        return ics.calendar_bytes(db=db, now=now, settings=settings)


def calendar(now: datetime = NOW, **values: str) -> Calendar:
    return Calendar.from_ical(ics_bytes(now, **values))


def by_summary(cal: Calendar) -> dict[str, Event]:
    return {str(e["summary"]): e for e in cal.walk("VEVENT")}


def renewals(cal: Calendar) -> list[Event]:
    return [e for e in cal.walk("VEVENT") if "renewal" in e["categories"].cats]


def charges(every: str, first: date, end: date) -> list[date]:
    """The charges of a subscription added with ``--every every --next first`` before
    ``end``, as stuffctl counts them."""
    sub = SimpleNamespace(rule=parse_recurrence(every).rule, anchor_on=first)
    found = [first]
    for day in occurrences(sub, after=first):
        if day >= end:
            return found
        found.append(day)
    return found


# ------------------------------------------------------------------ time zones


def test_a_timed_reminder_carries_the_configured_zone_and_its_vtimezone(cli):
    cli.ok("config", "set", "timezone", "Europe/Amsterdam")
    cli.ok("remind", "add", "Pills", "--on", "2026-03-02 08:30", "--every", "daily")
    cli.ok("remind", "add", "Dentist", "--on", "2026-04-07 14:00")
    cli.ok("remind", "add", "Passport", "--on", "2026-03-20")
    with store.transaction() as db:
        data = ics.calendar_bytes(db=db, now=NOW, settings=Settings.load())
    assert b"DTSTART;TZID=Europe/Amsterdam:20260302T083000\r\n" in data
    cal = Calendar.from_ical(data)
    [zone] = cal.timezones
    assert zone.tz_name == "Europe/Amsterdam"
    tz = zone.to_tz()  # the VTIMEZONE's own rules: CET, then CEST from 29 March
    assert tz.utcoffset(datetime(2026, 3, 2, 8, 30)) == timedelta(hours=1)
    assert tz.utcoffset(datetime(2026, 4, 7, 14)) == timedelta(hours=2)
    events = by_summary(cal)
    assert events["Pills"]["dtstart"].params["TZID"] == "Europe/Amsterdam"
    assert events["Pills"].decoded("dtstart") == datetime(2026, 3, 2, 8, 30, tzinfo=AMSTERDAM)
    assert events["Pills"]["rrule"]["FREQ"] == ["DAILY"]
    assert events["Dentist"].decoded("dtstart") == datetime(2026, 4, 7, 14, tzinfo=AMSTERDAM)
    assert events["Dentist"].decoded("dtstart").astimezone(UTC).hour == 12
    passport = events["Passport"]
    assert "TZID" not in passport["dtstart"].params
    assert passport.decoded("dtstart") == date(2026, 3, 20)
    assert not isinstance(passport.decoded("dtstart"), datetime)


def test_a_calendar_without_timed_items_has_no_vtimezone(cli):
    cli.ok("remind", "add", "Passport", "--on", "2026-03-20")
    assert calendar(timezone="Europe/Amsterdam").timezones == []


def test_in_utc_timed_items_are_utc_times_without_a_vtimezone(cli):
    cli.ok("remind", "add", "Pills", "--on", "2026-03-02 08:30")
    data = ics_bytes(timezone="UTC")
    assert b"DTSTART:20260302T083000Z\r\n" in data and b"VTIMEZONE" not in data


@pytest.mark.parametrize(("tz", "link", "expected"), [
    ("America/New_York", None, "America/New_York"),
    (":Asia/Tokyo", "/usr/share/zoneinfo/Europe/Lisbon", "Asia/Tokyo"),
    (None, "/usr/share/zoneinfo/Europe/Lisbon", "Europe/Lisbon"),
    ("CET-1CEST,M3.5.0,M10.5.0/3", "../usr/share/zoneinfo/Pacific/Auckland",
     "Pacific/Auckland"),
    ("", None, "UTC"),
    ("localtime", "/etc/no-zone-here", "UTC"),
])
def test_without_a_configured_zone_the_system_zone_is_used(monkeypatch, tmp_path, tz, link,
                                                           expected):
    localtime = tmp_path / "localtime"
    if link is not None:
        localtime.symlink_to(link)
    monkeypatch.setattr(ics, "LOCALTIME", str(localtime))
    if tz is None:
        monkeypatch.delenv("TZ", raising=False)
    else:
        monkeypatch.setenv("TZ", tz)
    assert ics.time_zone("").key == expected
    assert ics.time_zone("Europe/Amsterdam").key == "Europe/Amsterdam"  # config wins


def test_the_system_zone_reaches_the_calendar(cli, monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    cli.ok("remind", "add", "Pills", "--on", "2026-03-02 08:30")
    cal = calendar()
    assert [z.tz_name for z in cal.timezones] == ["America/New_York"]
    assert by_summary(cal)["Pills"]["dtstart"].params["TZID"] == "America/New_York"


@pytest.mark.parametrize("name", ["Nowhere/Land", "Europe", "localtime",
                                  "posix/Europe/Amsterdam", "../../etc/passwd",
                                  "/usr/share/zoneinfo/Europe/Amsterdam", "europe/amsterdam"])
def test_config_set_refuses_what_names_no_time_zone_in_one_line(cli, name):
    done = cli("config", "set", "timezone", name)
    assert done.exit_code == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert f"timezone: unknown time zone {name!r}: expected an IANA name" in done.stderr
    assert cli.json("config", "get", "timezone") == {"key": "timezone", "value": ""}


def test_config_set_takes_an_iana_name_and_empty_for_the_systems(cli):
    cli.ok("config", "set", "timezone", "Europe/Amsterdam")
    assert cli.json("config", "get", "timezone")["value"] == "Europe/Amsterdam"
    cli.ok("config", "set", "timezone", "")
    assert cli.json("config", "get", "timezone")["value"] == ""


def test_until_of_a_timed_rule_is_utc_and_of_an_all_day_rule_a_date(cli):
    cli.ok("remind", "add", "Pills", "--on", "2026-03-02 08:30", "--every",
           "FREQ=DAILY;UNTIL=20260310T083000")
    cli.ok("remind", "add", "Plants", "--on", "2026-03-02", "--every",
           "FREQ=WEEKLY;UNTIL=20260601T120000")
    data = ics_bytes(timezone="Europe/Amsterdam")
    assert b"RRULE:FREQ=DAILY;UNTIL=20260310T073000Z\r\n" in data
    assert b"RRULE:FREQ=WEEKLY;UNTIL=20260601\r\n" in data


def test_the_calendar_is_the_same_for_the_same_clock(cli):
    cli.ok("remind", "add", "Pills", "--on", "2026-03-02 08:30", "--every", "daily")
    cli.ok("sub", "add", "Netflix", "13.99", "--every", "monthly", "--next", "2026-03-31")
    cli.ok("sub", "add", "Gym", "30", "--every", "monthly", "--next", "2026-03-30")
    first = ics_bytes(timezone="Europe/Amsterdam")
    assert ics_bytes(timezone="Europe/Amsterdam") == first
    stamp = NOW.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert set(re.findall(rb"DTSTAMP:(\S+)", first)) == {stamp.encode()}


# ------------------------------------------------------------------ subscriptions


@pytest.mark.parametrize(("every", "next_on", "rule"), [
    ("monthly", date(2026, 3, 15), "FREQ=MONTHLY"),
    ("monthly", date(2026, 3, 31), "FREQ=MONTHLY;BYMONTHDAY=-1"),
    ("monthly", date(2026, 1, 31), "FREQ=MONTHLY;BYMONTHDAY=-1"),
    ("every 2 months", date(2026, 3, 31), "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=-1"),
    ("monthly", date(2026, 2, 28), "FREQ=MONTHLY"),
    ("yearly", date(2026, 1, 31), "FREQ=YEARLY"),
    ("yearly", date(2028, 2, 29), "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1"),
    ("every 2 weeks", date(2026, 3, 3), "FREQ=WEEKLY;INTERVAL=2"),
    ("every last friday", date(2026, 3, 27), "FREQ=MONTHLY;BYDAY=-1FR"),
    ("every 15th", date(2026, 3, 15), "FREQ=MONTHLY;BYMONTHDAY=15"),
    ("FREQ=MONTHLY;UNTIL=20261231", date(2026, 3, 10), "FREQ=MONTHLY;UNTIL=20261231"),
])
def test_a_regular_subscription_is_one_repeating_event(cli, every, next_on, rule):
    cli.ok("sub", "add", "Netflix", "13.99", "--every", every, "--next", next_on.isoformat())
    now = datetime.combine(next_on - timedelta(days=14), time(12))
    [event] = renewals(calendar(now))
    assert str(event["uid"]) == "renewal:subscription:1@stuffctl"
    assert str(event["summary"]) == "Netflix renews (13.99 EUR)"
    assert event.decoded("dtstart") == next_on
    assert event.decoded("dtend") == next_on + timedelta(days=1)
    assert dict(event["rrule"]) == dict(vRecur.from_ical(rule))
    # the event's rule from its start makes stuffctl's charges for years to come
    start, end = datetime.combine(next_on, time()), next_on + timedelta(days=6 * 366)
    made = Recurrence(event["rrule"].to_ical().decode()).rrule(start)
    assert [d.date() for d in made.between(start, datetime.combine(end, time()), inc=True)
            if d.date() < end] == charges(every, next_on, end)


def test_the_series_starts_at_the_first_charge_in_view(cli):
    cli.ok("sub", "add", "Netflix", "13.99", "--every", "monthly", "--next", "2025-10-31")
    [event] = renewals(calendar(datetime(2026, 3, 1, 12)))  # looks back 90 days
    assert event.decoded("dtstart") == date(2025, 12, 31)
    assert dict(event["rrule"]) == {"FREQ": ["MONTHLY"], "BYMONTHDAY": [-1]}


def test_the_cancel_by_date_stays_an_event_of_its_own(cli):
    cli.ok("sub", "add", "Netflix", "13.99", "--every", "monthly", "--next", "2026-03-15",
           "--cancel-by", "2026-03-10")
    events = list(calendar().walk("VEVENT"))
    assert [(str(e["uid"]), e.decoded("dtstart"), "rrule" in e) for e in events] == [
        ("cancel_by:subscription:1/2026-03-10@stuffctl", date(2026, 3, 10), False),
        ("renewal:subscription:1@stuffctl", date(2026, 3, 15), True)]


@pytest.mark.parametrize(("every", "next_on"), [
    ("monthly", date(2026, 3, 30)),  # the 30th, or February's last day
    ("monthly", date(2026, 3, 29)),
    ("every 3 months", date(2026, 4, 30)),  # a month's last day, but 30 July follows
    ("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", date(2026, 3, 31)),
    ("FREQ=MONTHLY;COUNT=3", date(2026, 3, 10)),
    ("FREQ=MONTHLY;BYMONTHDAY=15", date(2026, 3, 10)),  # the first charge is off the rule
])
def test_charges_no_rule_calendars_read_repeats_are_one_event_each(cli, every, next_on):
    cli.ok("sub", "add", "Gym", "30", "--every", every, "--next", next_on.isoformat())
    now = datetime.combine(next_on - timedelta(days=14), time(12))
    events = renewals(calendar(now))
    expected = charges(every, next_on, (now + ics.AHEAD).date())
    assert [e.decoded("dtstart") for e in events] == expected
    assert [str(e["uid"]) for e in events] == [
        f"renewal:subscription:1/{day.isoformat()}@stuffctl" for day in expected]
    assert not any("rrule" in e for e in events)


def test_month_end_charges_are_clamped_in_their_own_events(cli):
    cli.ok("sub", "add", "Gym", "30", "--every", "monthly", "--next", "2026-03-30")
    days = [e.decoded("dtstart") for e in renewals(calendar())]
    assert days[:3] == [date(2026, 3, 30), date(2026, 4, 30), date(2026, 5, 30)]
    assert date(2027, 2, 28) in days and len(days) == 12


# ------------------------------------------------------------------ calcurse


def test_calcurse_reads_the_zones_and_the_repeating_charges(cli, tmp_path):
    if shutil.which("calcurse") is None:
        pytest.skip("calcurse is not installed (apt-get install calcurse)")
    cli.ok("remind", "add", "Pills", "--on", "2026-03-02 08:30", "--every", "daily")
    cli.ok("remind", "add", "Passport", "--on", "2026-03-20")
    cli.ok("sub", "add", "Netflix", "13.99", "--every", "monthly", "--next", "2026-03-31",
           "--cancel-by", "2026-03-25")
    cli.ok("sub", "add", "Gym", "30", "--every", "monthly", "--next", "2026-03-30")
    cli.ok("sub", "add", "Paper", "9", "--every", "every last friday", "--next", "2026-03-27")
    ics_file = tmp_path / "r.ics"
    ics_file.write_bytes(ics_bytes(timezone="Europe/Amsterdam"))
    apts = _calcurse_import(ics_file, tmp_path)
    lines = apts.splitlines()
    # 08:30 in Amsterdam (CET) is 07:30 in UTC, the zone calcurse runs in here
    [pills] = [line for line in lines if line.endswith("|Pills")]
    assert pills.startswith("03/02/2026 @ 07:30 -> 03/02/2026 @ 08:00 {1D}")
    [netflix] = [line for line in lines if line.endswith("Netflix renews (13.99 EUR)")]
    assert netflix.startswith("03/31/2026 [1] {1M d-1}")
    [cancel] = [line for line in lines if line.endswith("Last day to cancel Netflix")]
    assert cancel.startswith("03/25/2026 [1] ") and "{" not in cancel
    [paper] = [line for line in lines if line.endswith("Paper renews (9.00 EUR)")]
    assert paper.startswith("03/27/2026 [1] {1M ")
    gym = sorted(line[:10] for line in lines if line.endswith("Gym renews (30.00 EUR)"))
    assert len(gym) == 12 and "02/28/2027" in gym and "03/30/2026" in gym
    assert "03/20/2026 [1] Passport" in lines


def _calcurse_import(ics_file: Path, tmp_path: Path) -> str:
    """The appointments calcurse 4.7+ made of ``ics_file`` (in UTC), every item read."""
    data = tmp_path / "calcurse"
    data.mkdir()
    env = {**os.environ, "HOME": str(tmp_path), "TZ": "UTC"}
    done = subprocess.run(["calcurse", "-D", str(data), "-i", str(ics_file)],
                          capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert " 0 skipped" in done.stdout, done.stdout
    return (data / "apts").read_text()
