"""A simulated year of cron ticks every 15 minutes over a household.

The household: a daily 08:30 reminder, a weekly fixed-schedule one, an oil change
counted from when it was done, a yearly renewal, warranties ending during the year,
and maintenance schedules by time and by meter. A simulated person acts on some
occurrences; the machine is off for one week. Each run is driven through the same
service `remind run` uses, skipping ticks before the run's own `next_at`, as the
fast path does. Other sources join the household by adding to ``HOUSEHOLD``.
"""

from __future__ import annotations

import time as time_mod
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from stuffctl import store
from stuffctl.dates import parse_recurrence, parse_schedule
from stuffctl.services import asset
from stuffctl.services.asset import AssetChanges
from stuffctl.services.remind import engine, own, schedules
from stuffctl.services.remind.settings import Settings

START = datetime(2026, 1, 1)
TICK = timedelta(minutes=15)
GAP = (datetime(2026, 7, 10), datetime(2026, 7, 17))  # the machine is off


def _asset(s, name: str, warranty: date | None, bought: date = date(2025, 1, 1)) -> int:
    values = {"name": name, "purchased_on": bought}
    if warranty:
        values["warranty_until"] = warranty
    return int(asset.add_asset(db=s, changes=AssetChanges(values=values))["id"])


def _reminder(s, title: str, due, every: str | None = None, from_done=False, lead=None):
    values = {"title": title, "due": due, "from_done": from_done}
    if every:
        values["rule"] = parse_recurrence(every).rule
    if lead:
        values["lead"] = lead
    return own.add_reminder(db=s, changes=own.ReminderChanges(values))["id"]


def household(s) -> dict[str, int]:
    ids = {
        "pills": _reminder(s, "Pills", datetime(2026, 1, 1, 8, 30), "daily", lead="0d"),
        "bins": _reminder(s, "Bins out", date(2026, 1, 5), "every monday", lead="1d"),
        "oil": _reminder(s, "Oil change", date(2026, 2, 1), "every 6 months", True, "14d"),
        "registration": _reminder(s, "Registration", date(2026, 1, 2), "every nov 5"),
    }
    for name, end in (("Dishwasher", date(2026, 3, 14)), ("Laptop", date(2026, 8, 2)),
                      ("Fridge", date(2026, 11, 30))):
        _asset(s, name, end)
    boiler = _asset(s, "Boiler", None)
    asset.log_event(db=s, asset_id=boiler, kind="inspection", on=date(2025, 4, 1))
    schedules.add_schedule(db=s, asset_id=boiler, schedule=parse_schedule("yearly"),
                           kind="inspection", lead=None)
    car = ids["car"] = _asset(s, "Car", None)
    asset.log_event(db=s, asset_id=car, kind="service", on=date(2025, 12, 1),
                    meter=10000, meter_unit="km")
    schedules.add_schedule(db=s, asset_id=car, kind="service", lead=None,
                           schedule=parse_schedule("every 6 months or 10000 km"))
    ids["boiler"] = boiler
    return ids


# What the simulated person does when a band is notified: (band, delay, action).
PERSON: dict[str, tuple[str, timedelta, str]] = {
    "reminder:2": ("due", timedelta(hours=11), "done"),
    "reminder:3": ("due", timedelta(days=3), "done"),
    "reminder:4": ("overdue", timedelta(hours=2), "done"),
    "maintenance:1": ("due", timedelta(days=2), "log"),
    "maintenance:2": ("overdue", timedelta(days=1), "log"),
}
# Things the person does at a fixed time: the pills are taken once, just before the week off.
SCHEDULED = [(datetime(2026, 7, 9, 10), "reminder:1", "done")]
HOUSEHOLD: list[Callable] = [household]


def ticks(start: datetime, end: datetime) -> Iterator[datetime]:
    t = start
    while t < end:
        if not GAP[0] <= t < GAP[1]:
            yield t
        t += TICK


def simulate(end: datetime, settings: Settings):
    with store.transaction(write=True) as s:
        for build in HOUSEHOLD:
            build(s)
    log: list[tuple[datetime, engine.Item]] = []
    todo: list[tuple[datetime, str, str]] = list(SCHEDULED)
    next_at = START
    for now in ticks(START, end):
        for when, key, action in [t for t in todo if t[0] <= now]:
            todo.remove((when, key, action))
            _act(key, action, now, settings)
            next_at = now
        if now.day == 1 and now.time() == time(12):
            _read_meter(now)
            next_at = now
        if now < next_at:
            continue
        with store.transaction(write=True) as s:
            result = engine.run(db=s, now=now, settings=settings, remember=False)
        next_at = result.next_at
        for item in result.new:
            log.append((now, item))
            plan = PERSON.get(item.cand.key)
            if plan and plan[0] == item.band:
                todo.append((now + plan[1], item.cand.key, plan[2]))
    return log


def _act(key: str, action: str, now: datetime, settings: Settings) -> None:
    ref = key.removeprefix("reminder:")
    with store.transaction(write=True) as s:
        own.act(db=s, ref=ref, action="done", now=now, settings=settings,
                log=action == "log")


def _read_meter(now: datetime) -> None:
    months = (now.year - 2025) * 12 + now.month - 12
    with store.transaction(write=True) as s:
        schedules.add_reading(db=s, asset_id=5, value=10000 + 2000 * months, unit="km",
                              on=now.date())


@pytest.fixture(scope="module")
def year(tmp_path_factory) -> list[tuple[datetime, engine.Item]]:
    import os

    from stuffctl import paths

    home = tmp_path_factory.mktemp("year")
    old = os.environ.get("STUFFCTL_HOME")
    os.environ["STUFFCTL_HOME"] = str(home)
    paths.set_db_override(None)
    try:
        return simulate(datetime(2027, 1, 1), Settings.load())
    finally:
        store.dispose_all()
        if old is not None:
            os.environ["STUFFCTL_HOME"] = old


def _first_tick_at_or_after(moment: datetime) -> datetime:
    t = max(moment, START)
    t = START + -(-(t - START) // TICK) * TICK
    return GAP[1] if GAP[0] <= t < GAP[1] else t


def test_each_band_of_each_occurrence_is_notified_exactly_once(year):
    counts = Counter((i.cand.key, i.cand.occurrence_id, i.band) for _, i in year)
    assert counts and max(counts.values()) == 1
    kinds = {i.cand.kind for _, i in year}
    assert kinds == {"reminder", "warranty", "maintenance"}


def test_bands_are_notified_on_their_tick_and_never_before_the_lead_window(year):
    settings = Settings.load()
    for when, item in year:
        if item.cand.key == "maintenance:2":  # its meter projection moves with each reading
            continue
        start = dict(engine.thresholds(item.cand, item.lead, settings))[item.band]
        if item.cand.missed:
            continue  # caught up after the gap: reported at the first tick back
        assert when == _first_tick_at_or_after(start), (item.cand.key, item.band, when)
        assert when >= item.cand.due_at - settings.lead_delta(item.lead)


def test_a_daily_0830_reminder_is_due_at_0830_every_day_outside_the_gap(year):
    pills = [w for w, i in year if i.cand.key == "reminder:1" and i.band == "due"]
    assert len(pills) == 365 - 7 + 1
    assert {w.time() for w in pills if w != GAP[1]} == {time(8, 30)}


def test_warranties_pass_through_every_band_on_the_right_day(year):
    dish = [(w, i.band) for w, i in year if i.cand.key == "warranty:asset:1"]
    assert dish == [(datetime(2026, 2, 12), "upcoming"), (datetime(2026, 3, 7), "soon"),
                    (datetime(2026, 3, 14), "due"), (datetime(2026, 3, 15), "expired")]


def test_the_week_off_is_reported_once_with_the_missed_count(year):
    back = [i for w, i in year if w == GAP[1]]
    pills = [i for i in back if i.cand.key == "reminder:1"]
    assert len(pills) == 1 and pills[0].cand.missed == 6  # 10th..15th; the 16th is shown
    assert pills[0].cand.due_at == datetime(2026, 7, 16, 8, 30)


def test_maintenance_closed_by_logging_the_event_moves_to_the_next_period(year):
    boiler = [(w.date(), i.band, i.cand.occurrence_id) for w, i in year
              if i.cand.key == "maintenance:1"]
    assert (date(2026, 4, 1), "due", "after:2025-04-01") in boiler
    assert all(occ == "after:2025-04-01" for _, _, occ in boiler)
    car = [(i.band, i.cand.occurrence_id) for _, i in year if i.cand.key == "maintenance:2"]
    assert ("overdue", "after:2025-12-01") in car and len({o for _, o in car}) >= 2


def test_a_daily_0830_reminder_stays_at_0830_across_both_daylight_saving_changes(
        monkeypatch, home):
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time_mod.tzset()
    try:
        berlin, settings = ZoneInfo("Europe/Berlin"), Settings.load()
        with store.transaction(write=True) as s:
            _reminder(s, "Pills", datetime(2026, 3, 27, 8, 30), "daily", lead="0d")
        fired = []
        for start in (datetime(2026, 3, 27, tzinfo=UTC), datetime(2026, 10, 23, tzinfo=UTC)):
            with store.transaction(write=True) as s:
                due = datetime.combine(start.date(), time(8, 30))
                own.edit_reminder(db=s, reminder_id=1,
                                  changes=own.ReminderChanges({"due": due}))
            fired += _berlin_days(start, berlin, settings)
        assert [f.time() for f in fired] == [time(8, 30)] * 8
        assert [f.date() for f in fired][2:6] == [date(2026, 3, 29), date(2026, 3, 30),
                                                  date(2026, 10, 23), date(2026, 10, 24)]
    finally:
        monkeypatch.delenv("TZ")
        time_mod.tzset()


def _berlin_days(start: datetime, berlin: ZoneInfo, settings: Settings) -> list[datetime]:
    """Four days of UTC ticks seen as Berlin wall-clock time; done when due."""
    fired, moment, next_at = [], start, datetime.min
    while moment < start + timedelta(days=4):
        now = moment.astimezone(berlin).replace(tzinfo=None)
        moment += TICK
        if now < next_at:
            continue
        with store.transaction(write=True) as s:
            result = engine.run(db=s, now=now, settings=settings, remember=False)
        next_at = result.next_at
        for item in result.new:
            if item.band == "due":
                fired.append(now)
                with store.transaction(write=True) as s:
                    own.act(db=s, ref="1", action="done", now=now, settings=settings)
                next_at = datetime.min
    return fired


@given(n=st.integers(0, 500), unit=st.sampled_from(["d", "w", "m", "y"]),
       at=st.datetimes(datetime(1900, 1, 1), datetime(2100, 1, 1)))
def test_durations_move_a_moment_exactly_as_the_parsed_duration_does(n, unit, at):
    """Whole days and weeks come back as a cheap timedelta, months and years as the
    relativedelta: either way a lead moves a due moment as ``parse_duration`` says."""
    from dateutil.relativedelta import relativedelta

    from stuffctl.dates import parse_duration
    from stuffctl.services.remind.settings import duration

    text = f"{n}{unit}"
    assert isinstance(duration(text), timedelta if unit in "dw" or n == 0 else relativedelta)
    exact = parse_duration(text)
    assert at - duration(text) == at - exact
    assert at + duration(text) == at + exact


@hyp_settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.integers(-40, 400), st.integers(120, 132)),
                          st.sampled_from([None, None, "0d", "3d", "60d"]),
                          st.sampled_from([None, "daily", "every monday", "monthly"]),
                          st.booleans()), min_size=1, max_size=12),
       st.integers(0, 23))
def test_reading_only_reminders_in_reach_changes_no_band_and_no_next_time(tmp_path_factory,
                                                                        rows, hour):
    """What `remind run`, `remind list` and `status` read (``in_reach``) gives the same
    bands, the same notifications and the same next attention time as reading every
    own reminder; only far-off occurrences on their kind's lead are left out."""
    from stuffctl import paths
    from stuffctl.store import dispose_all

    paths.set_db_override(tmp_path_factory.mktemp("reach") / "stuffctl.db")
    try:
        from stuffctl import config

        # The longest lead of any kind: the window's end is then as tight as it gets.
        config.set_value("lead.reminder", "120d")
        now = datetime(2026, 6, 1, hour, 15)
        with store.transaction(write=True) as s:
            for n, (days, lead, every, timed) in enumerate(rows):
                due = now.date() + timedelta(days=days)
                _reminder(s, f"r{n}", datetime.combine(due, time(9)) if timed else due,
                          every, lead=lead)
        settings_ = Settings.load()
        with store.transaction() as s:
            every_one = engine.open_items(s, now, settings_)
            in_reach = engine.open_items(s, now, settings_, in_reach=True)
        banded = [(i.cand.key, i.band, i.cand.due_at) for i in every_one if i.band]
        assert banded == [(i.cand.key, i.band, i.cand.due_at) for i in in_reach if i.band]
        cap = now + engine.HORIZON

        def soonest(items):
            return min([cap, *(i.next_at for i in items if i.next_at)])

        assert soonest(in_reach) == soonest(every_one)
        assert {i.cand.key for i in in_reach} <= {i.cand.key for i in every_one}
    finally:
        dispose_all()
        paths.set_db_override(None)
