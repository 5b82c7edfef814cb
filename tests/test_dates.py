"""stuffctl.dates: every accepted and rejected form, plus properties."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

import stuffctl
from stuffctl.dates import (
    DAYS,
    FIRST_DAY,
    LAST_DAY,
    MONTHS,
    DateOrder,
    Recurrence,
    add_months,
    date_order,
    format_date,
    format_duration,
    humanize_delta,
    iter_periods,
    locale_date_order,
    month_start,
    parse_date,
    parse_date_or_duration,
    parse_date_order,
    parse_datetime,
    parse_duration,
    parse_period,
    parse_recurrence,
    parse_time,
    parse_until,
    period_bounds,
    use_date_order,
)
from stuffctl.errors import InvalidInput

TODAY = date(2026, 11, 23)  # a Monday
SUPPORTED = st.dates(FIRST_DAY, LAST_DAY)  # the dates stuffctl handles
NOW = datetime(2026, 11, 23, 10, 15)
D = date


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-11-23", D(2026, 11, 23)), ("2024-02-29", D(2024, 2, 29)), ("2026-1-5", D(2026, 1, 5)),
    ("today", TODAY), ("  TOMORROW ", D(2026, 11, 24)), ("yesterday", D(2026, 11, 22)),
    ("+3d", D(2026, 11, 26)), ("-2w", D(2026, 11, 9)), ("+6m", D(2027, 5, 23)),
    ("+1y", D(2027, 11, 23)), ("3d", D(2026, 11, 26)), ("+3 days", D(2026, 11, 26)),
    ("in 2 weeks", D(2026, 12, 7)), ("in 3 days", D(2026, 11, 26)), ("in a month", D(2026, 12, 23)),
    ("2 weeks ago", D(2026, 11, 9)), ("a year ago", D(2025, 11, 23)),
    ("next friday", D(2026, 12, 4)), ("next monday", D(2026, 11, 30)),
    ("friday", D(2026, 11, 27)), ("fri", D(2026, 11, 27)), ("monday", TODAY),
    ("this mon", TODAY), ("on thu", D(2026, 11, 26)),
    ("last monday", D(2026, 11, 16)), ("last sunday", D(2026, 11, 22)),
    ("eom", D(2026, 11, 30)), ("eoy", D(2026, 12, 31)), ("som", D(2026, 11, 1)),
    ("soy", D(2026, 1, 1)), ("eow", D(2026, 11, 29)), ("sow", TODAY),
])
def test_parse_date_accepts(text: str, expected: date) -> None:
    assert parse_date(text, today=TODAY) == expected


def test_months_clamp_to_month_end() -> None:
    assert parse_date("+1m", today=D(2026, 1, 31)) == D(2026, 2, 28)
    assert parse_date("+1y", today=D(2024, 2, 29)) == D(2025, 2, 28)


@pytest.mark.parametrize(("text", "reason"), [
    ("2026-13-45", "month 13 is out of range"),
    ("2026-02-30", "February 2026 has 28 days"),
    ("2025-02-29", "day 29 is out of range"),
    ("2026-04-00", "day 0 is out of range"),
    ("0000-01-01", "out of range"),
    ("+99999999y", "out of range"),
    ("-3d ago", "use YYYY-MM-DD"), ("in 3 days ago", "use YYYY-MM-DD"),
    ("", "use YYYY-MM-DD"), ("foo", "use YYYY-MM-DD"), ("next", "use YYYY-MM-DD"),
    ("26-11-23", "four digits"), ("next fr", "use YYYY-MM-DD"), ("and", "use YYYY-MM-DD"),
])
def test_parse_date_rejects(text: str, reason: str) -> None:
    with pytest.raises(InvalidInput, match="not a date") as info:
        parse_date(text, today=TODAY)
    assert reason in info.value.message
    assert repr(text) in info.value.message


def test_import_does_not_load_dateutil() -> None:
    code = ("import sys, stuffctl.dates, stuffctl.money as m; "
            "stuffctl.dates.parse_date('eom'); stuffctl.dates.parse_period('last-month'); "
            "m.parse_money('12 EUR', default_currency='EUR'); "
            "stuffctl.dates.Recurrence('FREQ=MONTHLY').approx_days(); "
            "print(sorted(k for k in sys.modules if k.startswith('dateutil')))")
    env = {**os.environ, "PYTHONPATH": str(Path(stuffctl.__file__).parents[1])}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, check=True)
    assert done.stdout.strip() == "[]"


def test_parse_date_defaults_to_real_today() -> None:
    assert parse_date("today") == date.today()


# -- dates people type (#23): day, month and year in their own order, next week ----------

WED = date(2026, 11, 25)  # a Wednesday
ORDERS = ("DMY", "MDY", "YMD")


@pytest.fixture
def no_order_setting() -> Iterator[None]:
    """The date order read from the locale (what a CLI run set is forgotten) and back."""
    use_date_order(None)
    yield
    use_date_order(None)


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize(("text", "expected"), [
    # what the issue names, on a Wednesday
    ("next week", D(2026, 11, 30)), ("next month", D(2026, 12, 1)),
    ("24.12.2026", D(2026, 12, 24)), ("12/24/2026", D(2026, 12, 24)), ("Dec 24", D(2026, 12, 24)),
    ("next friday", D(2026, 12, 4)), ("friday", D(2026, 11, 27)),
    # the other forms, whatever the order
    ("next-week", D(2026, 11, 30)), ("next quarter", D(2027, 1, 1)), ("next year", D(2027, 1, 1)),
    ("end of month", D(2026, 11, 30)), ("end of week", D(2026, 11, 29)),
    ("end of year", D(2026, 12, 31)), ("start of month", D(2026, 11, 1)),
    ("start of week", D(2026, 11, 23)), ("start of year", D(2026, 1, 1)),
    ("24.12.", D(2026, 12, 24)), ("24.12", D(2026, 12, 24)), ("24/12/2026", D(2026, 12, 24)),
    ("24-12-2026", D(2026, 12, 24)), ("2026/12/24", D(2026, 12, 24)),
    ("2026.12.24", D(2026, 12, 24)), ("2026/1/5", D(2026, 1, 5)),
    ("24 Dec", D(2026, 12, 24)), ("December 24 2026", D(2026, 12, 24)),
    ("24 December 2026", D(2026, 12, 24)), ("Dec 24, 2026", D(2026, 12, 24)),
    ("DEC 24", D(2026, 12, 24)), ("dec. 24th", D(2026, 12, 24)), ("24th of", None),
    ("24. Dez", None), ("1st jan", D(2027, 1, 1)), ("sept 3 2027", D(2027, 9, 3)),
    ("may 5", D(2027, 5, 5)), ("25.11.", WED), ("nov 24", D(2027, 11, 24)),
    ("feb 29", D(2028, 2, 29)), ("29.2.2028", D(2028, 2, 29)),
    ("5.5.", D(2027, 5, 5)),  # day and month the same: no ambiguity
])
def test_typed_dates_read_the_same_in_every_order(text: str, expected: date | None,
                                                 order: DateOrder) -> None:
    if expected is None:
        with pytest.raises(InvalidInput, match="not a date"):
            parse_date(text, today=WED, order=order)
    else:
        assert parse_date(text, today=WED, order=order) == expected


@pytest.mark.parametrize(("text", "dmy", "mdy"), [
    ("03/04/2026", D(2026, 4, 3), D(2026, 3, 4)), ("3.4.2026", D(2026, 4, 3), D(2026, 3, 4)),
    ("03/04", D(2027, 4, 3), D(2027, 3, 4)), ("12.11.", D(2027, 11, 12), D(2026, 12, 11)),
])
def test_an_ambiguous_date_is_read_in_the_date_order(text: str, dmy: date, mdy: date) -> None:
    assert parse_date(text, today=WED, order="DMY") == dmy
    assert parse_date(text, today=WED, order="MDY") == mdy


def test_the_year_first_order_reads_a_yearless_date_month_first_and_refuses_a_guess() -> None:
    assert parse_date("03/04", today=WED, order="YMD") == D(2027, 3, 4)
    with pytest.raises(InvalidInput) as info:
        parse_date("03/04/2026", today=WED, order="YMD")
    assert info.value.message == (
        "not a date: '03/04/2026' (is it 2026-04-03 or 2026-03-04? With the date order YMD "
        "(config date_order, else the locale's) write YYYY-MM-DD, or set date_order to DMY "
        "or MDY)")


@pytest.mark.parametrize(("text", "reason"), [
    ("31.04.2026", "day 31 is out of range: April 2026 has 30 days"),
    ("31.04.", "day 31 is out of range: April has 30 days"),
    ("Feb 30", "day 30 is out of range: February has 29 days"),
    ("29 feb 2027", "day 29 is out of range: February 2027 has 28 days"),
    ("13/13/2026", "no month in it: 13 and 13 are both above 12"),
    ("2026/13/01", "month 13 is out of range"), ("0.5.", " 0 is out of range"),
    ("32.5.", "day 32 is out of range: May has 31 days"),
    ("24.12.26", "write the year with four digits"), ("dec 24 26", "four digits"),
    ("24/12/", "use YYYY-MM-DD, 24.12.2026"), ("24.12/2026", "use YYYY-MM-DD"),
    ("24 12 2026", "use YYYY-MM-DD"), ("smarch 3", "use YYYY-MM-DD"), ("next fortnight", "use"),
    ("this week", "use YYYY-MM-DD"), ("24..12", "use YYYY-MM-DD"),
])
def test_typed_dates_that_are_no_dates_say_what_is_wrong(text: str, reason: str) -> None:
    for order in ORDERS:
        with pytest.raises(InvalidInput, match="not a date") as info:
            parse_date(text, today=WED, order=order)  # type: ignore[arg-type]
        assert reason in info.value.message


def test_the_hint_names_the_new_forms() -> None:
    with pytest.raises(InvalidInput) as info:
        parse_date("whenever", today=WED)
    for form in ("24.12.2026", "12/24/2026", "Dec 24", "next week", "next month", "next fri"):
        assert form in info.value.message


@pytest.mark.parametrize(("env", "order"), [
    ({"LANG": "en_US.UTF-8"}, "MDY"), ({"LANG": "en_PH.utf8"}, "MDY"),
    ({"LANG": "en_GB.UTF-8"}, "DMY"), ({"LANG": "de_DE@euro"}, "DMY"), ({"LANG": "fr_FR"}, "DMY"),
    ({"LANG": "ja_JP.UTF-8"}, "YMD"), ({"LANG": "zh_CN.UTF-8"}, "YMD"), ({"LANG": "sv_SE"}, "YMD"),
    ({"LANG": "en_CA.UTF-8"}, "YMD"), ({"LANG": "C.UTF-8"}, "YMD"), ({"LANG": "POSIX"}, "YMD"),
    ({}, "YMD"), ({"LANG": "de"}, "DMY"),
    # LC_ALL wins over LC_TIME, which wins over LANG; an empty one counts as unset
    ({"LANG": "de_DE.UTF-8", "LC_TIME": "en_US.UTF-8"}, "MDY"),
    ({"LANG": "en_US.UTF-8", "LC_TIME": "de_DE.UTF-8", "LC_ALL": "ja_JP.UTF-8"}, "YMD"),
    ({"LANG": "en_US.UTF-8", "LC_ALL": ""}, "MDY"),
])
def test_the_default_date_order_comes_from_the_locale(env: dict[str, str],
                                                      order: DateOrder) -> None:
    assert locale_date_order(env) == order


def test_without_an_order_the_setting_is_read_once_else_the_locale(
        monkeypatch: pytest.MonkeyPatch, no_order_setting: None) -> None:
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    assert date_order() == "MDY"
    assert parse_date("03/04/2026") == D(2026, 3, 4)
    reads: list[str] = []
    use_date_order(lambda: reads.append("read") or "dmy")
    assert parse_date("eom", today=WED) == D(2026, 11, 30) and reads == []  # not needed
    assert [parse_date("03/04/2026"), parse_date("05/06/2026")] == [D(2026, 4, 3),
                                                                    D(2026, 6, 5)]
    assert reads == ["read"]
    assert parse_date("03/04/2026", order="MDY") == D(2026, 3, 4)  # an order given wins
    use_date_order(lambda: "")  # the setting left empty: the locale's
    assert date_order() == "MDY"


@pytest.mark.parametrize(("text", "stored"), [("DMY", "DMY"), ("mdy", "MDY"), (" YMD ", "YMD"),
                                              ("", "")])
def test_parse_date_order(text: str, stored: str) -> None:
    assert parse_date_order(text) == stored


@pytest.mark.parametrize("text", ["XYZ", "DM", "D-M-Y", "iso"])
def test_parse_date_order_rejects(text: str) -> None:
    with pytest.raises(InvalidInput, match="expected DMY, MDY or YMD"):
        parse_date_order(text)


def _written_as(d: date, order: DateOrder, form: int, case: Callable[[str], str]) -> str:
    """``d`` written as people write it in ``order``: numbers (year last in DMY and MDY,
    first in all), or its month's name or abbreviation in any case."""
    month = MONTHS[d.month - 1]
    day_first = (f"{d.day}.{d.month}.{d.year}", f"{d.day:02}/{d.month:02}/{d.year}",
                 f"{d.day}-{d.month}-{d.year}")
    month_first = (f"{d.month}/{d.day}/{d.year}", f"{d.month:02}.{d.day:02}.{d.year}")
    forms = {"DMY": day_first, "MDY": month_first, "YMD": ()}[order] + (
        f"{d.year}/{d.month}/{d.day}", f"{d.year}.{d.month:02}.{d.day:02}",
        f"{d.year}-{d.month}-{d.day}", case(f"{month[:3]} {d.day}, {d.year}"),
        case(f"{month} {d.day} {d.year}"), case(f"{d.day} {month} {d.year}"),
        case(f"{d.day} {month[:3]} {d.year}"))
    return forms[form % len(forms)]


_CASES = st.sampled_from([str.lower, str.upper, str.title])


@given(SUPPORTED, st.sampled_from(ORDERS), st.integers(0, 20), _CASES)
def test_every_date_written_in_each_form_of_each_order_reads_back(
        d: date, order: DateOrder, form: int, case: Callable[[str], str]) -> None:
    assert parse_date(_written_as(d, order, form, case), today=WED, order=order) == d


@given(st.dates(D(1901, 1, 1), D(8990, 1, 1)), st.integers(0, 364), st.sampled_from(ORDERS),
       st.integers(0, 5), _CASES)
def test_a_date_without_its_year_is_the_next_such_day_today_included(
        today: date, ahead: int, order: DateOrder, form: int, case: Callable[[str], str]
) -> None:
    d = today + timedelta(days=ahead)
    month = MONTHS[d.month - 1]
    numbers = {"DMY": f"{d.day}.{d.month}.", "MDY": f"{d.month}/{d.day}",
               "YMD": f"{d.month:02}/{d.day:02}"}[order]
    forms = (numbers, case(f"{month[:3]} {d.day}"), case(f"{d.day} {month}"),
             case(f"{d.day}th {month[:3]}"), f"{d.day:02}.{d.month:02}" if order == "DMY"
             else f"{d.month}-{d.day}", case(f"{month}. {d.day}"))
    assert parse_date(forms[form], today=today, order=order) == d


@given(st.dates(D(1900, 1, 1), D(8999, 12, 1)), st.integers(1, 12), st.integers(1, 12),
       st.sampled_from(["/", ".", "-"]))
def test_ambiguous_dates_follow_the_order(d: date, a: int, b: int, sep: str) -> None:
    text = f"{a}{sep}{b}{sep}{d.year}"
    assert parse_date(text, today=WED, order="DMY") == D(d.year, b, a)
    assert parse_date(text, today=WED, order="MDY") == D(d.year, a, b)
    if a == b:
        assert parse_date(text, today=WED, order="YMD") == D(d.year, a, a)
    else:
        with pytest.raises(InvalidInput, match="YYYY-MM-DD"):
            parse_date(text, today=WED, order="YMD")


@given(st.dates(D(1900, 1, 1), D(8990, 1, 1)), st.sampled_from(DAYS),
       st.sampled_from(["", "next "]), st.integers(3, 9))
def test_next_weekday_is_that_day_of_next_week(today: date, day: str, next_: str,
                                                 letters: int) -> None:
    """``next fri`` is the Friday of the week after this one: 1 to 13 days ahead, on a
    Wednesday 9 days, and never before the bare ``fri`` (0 to 6 days ahead)."""
    found = parse_date(f"{next_}{day[:letters]}", today=today)
    ahead = (found - today).days
    assert DAYS[found.weekday()] == day
    if next_:
        monday = today - timedelta(days=today.weekday())
        assert monday + timedelta(days=7) <= found < monday + timedelta(days=14)
        assert 1 <= ahead <= 13 and found >= parse_date(day, today=today)
        assert found == parse_date("next week", today=today) + timedelta(DAYS.index(day))
        if today.weekday() == 2 and day == "friday":
            assert ahead == 9
    else:
        assert 0 <= ahead <= 6


@given(st.dates(D(1900, 1, 1), D(8990, 1, 1)), st.sampled_from(["week", "month", "quarter",
                                                                "year"]))
def test_next_unit_is_where_the_next_period_starts(today: date, unit: str) -> None:
    assert parse_date(f"next {unit}", today=today) == parse_period(f"next-{unit}",
                                                                  today=today)[0]


_GARBAGE = st.one_of(
    st.text(max_size=30),
    st.lists(st.sampled_from(["24", "12", "2026", "0", "31", "99", "1", ".", "/", "-", " ",
                              ",", "dec", "december", "feb", "th", "st", "next", "week",
                              "fri", "of", "end", "start", "month", "smarch", "in", "2h"]),
             max_size=7).map("".join),
)


@settings(max_examples=500, deadline=None)
@given(_GARBAGE, st.sampled_from(ORDERS))
def test_anything_typed_is_a_supported_date_or_refused_with_invalid_input(
        text: str, order: DateOrder) -> None:
    try:
        found = parse_date(text, today=WED, order=order)
    except InvalidInput as e:
        assert e.message.startswith("not a date: ")
    else:
        assert FIRST_DAY <= found <= LAST_DAY


@pytest.mark.parametrize(("text", "expected"), [
    # a date without a time of day: at the morning hour, not midnight
    ("tomorrow", datetime(2026, 11, 26, 8, 0)), ("fri", datetime(2026, 11, 27, 8, 0)),
    ("next week", datetime(2026, 11, 30, 8, 0)), ("Dec 24", datetime(2026, 12, 24, 8, 0)),
    ("24.12.2026", datetime(2026, 12, 24, 8, 0)),
    # a time typed is kept
    ("tomorrow 14:00", datetime(2026, 11, 26, 14, 0)), ("fri 7pm", datetime(2026, 11, 27, 19)),
    ("24.12. 18:30", datetime(2026, 12, 24, 18, 30)), ("16:00", datetime(2026, 11, 25, 16)),
    ("now", datetime(2026, 11, 25, 10, 15)),
    # a time from now stays relative to now
    ("2h", datetime(2026, 11, 25, 12, 15)), ("90 min", datetime(2026, 11, 25, 11, 45)),
    ("1h30min", datetime(2026, 11, 25, 11, 45)), ("in 2 hours", datetime(2026, 11, 25, 12, 15)),
    ("1 hour and 5 minutes", datetime(2026, 11, 25, 11, 20)),
    ("in an hour", datetime(2026, 11, 25, 11, 15)), ("+45min", datetime(2026, 11, 25, 11, 0)),
    ("3d", datetime(2026, 11, 28, 10, 15)), ("in 3 days", datetime(2026, 11, 28, 10, 15)),
    ("in a week", datetime(2026, 12, 2, 10, 15)), ("2w", datetime(2026, 12, 9, 10, 15)),
])
def test_parse_until_puts_a_bare_date_at_the_morning_hour(text: str, expected: datetime) -> None:
    now = datetime(2026, 11, 25, 10, 15)
    assert parse_until(text, now=now, morning=time(8)) == expected


def test_parse_until_defaults_to_midnight_and_names_what_it_takes() -> None:
    now = datetime(2026, 11, 25, 10, 15)
    assert parse_until("tomorrow", now=now) == datetime(2026, 11, 26)
    with pytest.raises(InvalidInput) as info:
        parse_until("2h30", now=now)
    assert info.value.message.startswith("not a date or time: '2h30' (use a time from now")
    with pytest.raises(InvalidInput, match="April has 30 days"):
        parse_until("31.4.", now=now)
    with pytest.raises(InvalidInput, match="hour 25 is out of range"):
        parse_until("tomorrow 25:00", now=now)


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-11-23 08:30", datetime(2026, 11, 23, 8, 30)),
    ("2026-11-23T08:30", datetime(2026, 11, 23, 8, 30)),
    ("2026-11-23t08:30:15", datetime(2026, 11, 23, 8, 30, 15)),
    ("tomorrow 08:30", datetime(2026, 11, 24, 8, 30)),
    ("today 17:00", datetime(2026, 11, 23, 17, 0)),
    ("next fri 8pm", datetime(2026, 12, 4, 20, 0)),
    ("2026-12-01", datetime(2026, 12, 1)),
    ("+2d", datetime(2026, 11, 25)),
    ("08:30", datetime(2026, 11, 23, 8, 30)),
    ("now", NOW),
])
def test_parse_datetime(text: str, expected: datetime) -> None:
    assert parse_datetime(text, now=NOW) == expected


@pytest.mark.parametrize("text", ["2026-11-23 25:00", "tomorrow 8", "2026-13-01 08:00", "x 08:00"])
def test_parse_datetime_rejects(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_datetime(text, now=NOW)


@pytest.mark.parametrize(("text", "expected"), [
    ("08:30", time(8, 30)), ("8:30", time(8, 30)), ("23:59:59", time(23, 59, 59)),
    ("8pm", time(20)), ("12am", time(0)), ("12 pm", time(12)), ("8:15 AM", time(8, 15)),
])
def test_parse_time(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["24:00", "8:60", "13pm", "0am", "8", "", "8:5", "noon"])
def test_parse_time_rejects(text: str) -> None:
    with pytest.raises(InvalidInput, match="not a time"):
        parse_time(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("30d", relativedelta(days=30)), ("2w", relativedelta(days=14)),
    ("6m", relativedelta(months=6)), ("2y", relativedelta(years=2)),
    ("1y6m", relativedelta(years=1, months=6)), ("2 years", relativedelta(years=2)),
    ("18 months", relativedelta(years=1, months=6)), ("3 days", relativedelta(days=3)),
    ("0d", relativedelta()), ("+2y", relativedelta(years=2)),
    ("1 year, 6 months and 3 days", relativedelta(years=1, months=6, days=3)),
])
def test_parse_duration(text: str, expected: relativedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(("text", "reason"), [
    ("-3d", "cannot be negative"), ("5", "a number and a unit"), ("", "a number and a unit"),
    ("1y2y", "a number and a unit"), ("2 weekz", "a number and a unit"),
    ("1001y", "longer than 1000 years"), ("99999999999d", "a number and a unit"),
])
def test_parse_duration_rejects(text: str, reason: str) -> None:
    with pytest.raises(InvalidInput, match="not a duration") as info:
        parse_duration(text)
    assert reason in info.value.message


@pytest.mark.parametrize(("rd", "text"), [
    (relativedelta(years=1, months=6), "1y6m"), (relativedelta(days=30), "30d"),
    (relativedelta(days=14), "2w"), (relativedelta(), "0d"),
    (relativedelta(years=2, days=3), "2y3d"),
])
def test_format_duration(rd: relativedelta, text: str) -> None:
    assert format_duration(rd) == text


@pytest.mark.parametrize("rd", [relativedelta(hours=1), relativedelta(days=-1),
                                relativedelta(day=31)])
def test_format_duration_rejects_non_durations(rd: relativedelta) -> None:
    with pytest.raises(ValueError):
        format_duration(rd)


@given(st.integers(0, 990), st.integers(0, 11), st.integers(0, 3000))
def test_duration_round_trip(years: int, months: int, days: int) -> None:
    rd = relativedelta(years=years, months=months, days=days)
    assert parse_duration(format_duration(rd)) == rd


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-12-01", D(2026, 12, 1)), ("2y", D(2028, 1, 31)), ("18 months", D(2027, 7, 31)),
    ("1m", D(2026, 2, 28)), ("in 2 years", D(2028, 11, 23)), ("eoy", D(2026, 12, 31)),
])
def test_parse_date_or_duration(text: str, expected: date) -> None:
    assert parse_date_or_duration(text, base=D(2026, 1, 31), today=TODAY) == expected


def test_parse_date_or_duration_without_base_counts_from_today() -> None:
    assert parse_date_or_duration("2y", base=None, today=TODAY) == D(2028, 11, 23)


def test_parse_date_or_duration_rejects() -> None:
    with pytest.raises(InvalidInput) as info:
        parse_date_or_duration("soon", base=None, today=TODAY)
    assert "2026-12-01" in info.value.message and "2y" in info.value.message
    with pytest.raises(InvalidInput, match="February 2026 has 28 days"):
        parse_date_or_duration("2026-02-30", base=None, today=TODAY)
    with pytest.raises(InvalidInput, match="past 8999-12-31"):
        parse_date_or_duration("999y", base=D(8500, 1, 1), today=TODAY)


@pytest.mark.parametrize(("text", "start", "end"), [
    ("2026-10", D(2026, 10, 1), D(2026, 11, 1)), ("2026-12", D(2026, 12, 1), D(2027, 1, 1)),
    ("2026-Q3", D(2026, 7, 1), D(2026, 10, 1)), ("2026q3", D(2026, 7, 1), D(2026, 10, 1)),
    ("2026-q4", D(2026, 10, 1), D(2027, 1, 1)), ("2026", D(2026, 1, 1), D(2027, 1, 1)),
    ("this-month", D(2026, 11, 1), D(2026, 12, 1)), ("last-month", D(2026, 10, 1), D(2026, 11, 1)),
    ("this month", D(2026, 11, 1), D(2026, 12, 1)), ("next-month", D(2026, 12, 1), D(2027, 1, 1)),
    ("this-year", D(2026, 1, 1), D(2027, 1, 1)), ("last-year", D(2025, 1, 1), D(2026, 1, 1)),
    ("this-quarter", D(2026, 10, 1), D(2027, 1, 1)),
    ("last-quarter", D(2026, 7, 1), D(2026, 10, 1)),
    ("this-week", D(2026, 11, 23), D(2026, 11, 30)),
    ("from 2026-03 to 2026-06", D(2026, 3, 1), D(2026, 7, 1)),
    ("from 2026-03-05 to 2026-03-20", D(2026, 3, 5), D(2026, 3, 21)),
    ("2026-03..2026-06", D(2026, 3, 1), D(2026, 7, 1)),
    ("from last-month to today", D(2026, 10, 1), D(2026, 11, 24)),
    ("2026-11-05", D(2026, 11, 5), D(2026, 11, 6)), ("yesterday", D(2026, 11, 22), TODAY),
])
def test_parse_period(text: str, start: date, end: date) -> None:
    assert parse_period(text, today=TODAY) == (start, end)


@pytest.mark.parametrize(("text", "reason"), [
    ("2026-13", "month 13 is out of range"), ("2026-Q5", "use 2026-10"),
    ("from 2026-06 to 2026-03", "ends before it starts"), ("whenever", "use 2026-10"),
    ("9999", "out of range"), ("", "use 2026-10"),
])
def test_parse_period_rejects(text: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_period(text, today=TODAY)
    assert reason in info.value.message


def test_calendar_helpers() -> None:
    assert month_start(D(2026, 11, 23)) == D(2026, 11, 1)
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2026, 1, 31), -2) == D(2025, 11, 30)
    assert period_bounds(D(2026, 8, 15), "quarter") == (D(2026, 7, 1), D(2026, 10, 1))
    assert period_bounds(D(2026, 8, 15), "year") == (D(2026, 1, 1), D(2027, 1, 1))
    assert list(iter_periods(D(2026, 3, 15), D(2026, 6, 1), "month")) == [
        (D(2026, 3, 1), D(2026, 4, 1)), (D(2026, 4, 1), D(2026, 5, 1)),
        (D(2026, 5, 1), D(2026, 6, 1))]
    assert list(iter_periods(D(2026, 1, 1), D(2026, 1, 1), "year")) == []
    assert format_date(D(2026, 1, 5)) == "2026-01-05"


@pytest.mark.parametrize(("day", "text"), [
    (TODAY, "today"), (D(2026, 11, 24), "tomorrow"), (D(2026, 11, 22), "yesterday"),
    (D(2026, 11, 26), "in 3 days"), (D(2026, 11, 18), "5 days ago"),
    (D(2027, 1, 23), "in 2 months"), (D(2025, 11, 23), "12 months ago"),
    (D(2029, 11, 23), "in 3 years"), (D(2027, 1, 5), "in 43 days"),
])
def test_humanize_delta(day: date, text: str) -> None:
    assert humanize_delta(day, today=TODAY) == text


# -- recurrences ---------------------------------------------------------------

@pytest.mark.parametrize(("text", "rule"), [
    ("daily", "FREQ=DAILY"), ("weekly", "FREQ=WEEKLY"), ("monthly", "FREQ=MONTHLY"),
    ("quarterly", "FREQ=MONTHLY;INTERVAL=3"), ("yearly", "FREQ=YEARLY"),
    ("Annually", "FREQ=YEARLY"), ("biweekly", "FREQ=WEEKLY;INTERVAL=2"),
    ("every day", "FREQ=DAILY"), ("every 2 weeks", "FREQ=WEEKLY;INTERVAL=2"),
    ("every other week", "FREQ=WEEKLY;INTERVAL=2"),
    ("every 3 months", "FREQ=MONTHLY;INTERVAL=3"), ("every year", "FREQ=YEARLY"),
    ("every monday", "FREQ=WEEKLY;BYDAY=MO"), ("every mon,thu", "FREQ=WEEKLY;BYDAY=MO,TH"),
    ("every thu, mon and thursday", "FREQ=WEEKLY;BYDAY=MO,TH"),
    ("every weekday", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
    ("every 2 weeks on fri", "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"),
    ("every 2nd monday", "FREQ=MONTHLY;BYDAY=+2MO"),
    ("every second monday", "FREQ=MONTHLY;BYDAY=+2MO"),
    ("every last friday", "FREQ=MONTHLY;BYDAY=-1FR"),
    ("every 15th", "FREQ=MONTHLY;BYMONTHDAY=15"),
    ("every nov 5", "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=5"),
    ("every 5 nov", "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=5"),
    ("every november 5th", "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=5"),
    ("every feb 29", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"),
    ("last day of month", "FREQ=MONTHLY;BYMONTHDAY=-1"),
    ("every last day of the month", "FREQ=MONTHLY;BYMONTHDAY=-1"),
    ("RRULE:FREQ=MONTHLY;INTERVAL=3", "FREQ=MONTHLY;INTERVAL=3"),
    ("freq=weekly;byday=th,mo;interval=1;", "FREQ=WEEKLY;BYDAY=MO,TH"),
    ("FREQ=MONTHLY;BYDAY=2MO", "FREQ=MONTHLY;BYDAY=+2MO"),
    ("FREQ=YEARLY;UNTIL=20301231;BYMONTHDAY=+1,-1", "FREQ=YEARLY;BYMONTHDAY=-1,1;UNTIL=20301231"),
    ("FREQ=MONTHLY;COUNT=12;BYDAY=MO,TU;BYSETPOS=-1",
     "FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=-1;COUNT=12"),
])
def test_parse_recurrence(text: str, rule: str) -> None:
    assert parse_recurrence(text).rule == rule


@pytest.mark.parametrize(("text", "reason"), [
    ("sometimes", "every 2nd monday"), ("", "every 2nd monday"), ("every 2 fortnights", "try"),
    ("FREQ=DAILY;INTERVAL=0", "INTERVAL"), ("FREQ=DAILY;FOO=1", "unknown key"),
    ("FREQ=DAILY;FREQ=WEEKLY", "repeated"), ("INTERVAL=2", "FREQ is missing"),
    ("FREQ=HOURLY", "FREQ must be one of"), ("FREQ=MONTHLY;COUNT=0", "COUNT"),
    ("FREQ=MONTHLY;COUNT=2;UNTIL=20300101", "COUNT and UNTIL"),
    ("FREQ=MONTHLY;UNTIL=20301301", "UNTIL must be"),
    ("FREQ=MONTHLY;UNTIL=20300101T000000Z", "UNTIL must be"),
    ("FREQ=MONTHLY;UNTIL=202711", "UNTIL must be"),
    ("FREQ=WEEKLY;BYDAY=+2MO", "numbered BYDAY"), ("FREQ=MONTHLY;BYDAY=XX", "BYDAY"),
    ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "never occurs"), ("every feb 30", "never occurs"),
    ("every 6th monday", "never occurs"), ("every 32nd", "BYMONTHDAY"),
    ("FREQ=DAILY;BYHOUR=24", "BYHOUR"), ("FREQ=DAILY;BYMONTH", "no value"),
])
def test_parse_recurrence_rejects(text: str, reason: str) -> None:
    with pytest.raises(InvalidInput, match="not a recurrence") as info:
        parse_recurrence(text)
    assert reason in info.value.message


@pytest.mark.parametrize(("text", "description"), [
    ("daily", "every day"), ("quarterly", "every 3 months"), ("every mon,thu",
                                                              "every monday and thursday"),
    ("every weekday", "every weekday"), ("every 2nd monday", "every 2nd monday"),
    ("every 15th", "every 15th"), ("every 5 nov", "every november 5"),
    ("last day of month", "every last day of the month"),
    ("FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=-1", "FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=-1"),
])
def test_describe(text: str, description: str) -> None:
    assert parse_recurrence(text).describe() == description


@pytest.mark.parametrize(("text", "days"), [
    ("monthly", 30.436875), ("yearly", 365.2425), ("weekly", 7.0), ("daily", 1.0),
    ("quarterly", 91.310625), ("biweekly", 14.0), ("every mon,thu", 3.5),
    ("every 2nd monday", 30.436875), ("every 15th", 30.436875), ("every nov 5", 365.2425),
    ("every weekday", 1.4),
])
def test_approx_days(text: str, days: float) -> None:
    assert parse_recurrence(text).approx_days() == pytest.approx(days, rel=1e-3)


def test_rrule_and_next_after() -> None:
    rec = parse_recurrence("every 2nd monday")
    start = datetime(2026, 1, 1, 9, 0)
    assert rec.next_after(datetime(2026, 11, 23, 9, 0), start) == datetime(2026, 12, 14, 9, 0)
    assert rec.rrule(start)[0] == datetime(2026, 1, 12, 9, 0)
    ended = parse_recurrence("FREQ=MONTHLY;COUNT=2")
    assert ended.next_after(datetime(2026, 3, 1), datetime(2026, 1, 1)) is None


_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
_intervals = st.integers(1, 12)
recurrence_rules = st.one_of(
    st.builds("FREQ={};INTERVAL={}".format,
              st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]), _intervals),
    st.builds("FREQ=WEEKLY;INTERVAL={};BYDAY={}".format, _intervals,
              st.lists(st.sampled_from(_DAYS), min_size=1, unique=True).map(",".join)),
    st.builds("FREQ=MONTHLY;INTERVAL={};BYDAY={:+d}{}".format, _intervals,
              st.sampled_from([1, 2, 3, 4, 5, -1, -2]), st.sampled_from(_DAYS)),
    st.builds("FREQ=MONTHLY;INTERVAL={};BYMONTHDAY={}".format, _intervals,
              st.integers(-31, 31).filter(bool)),
    st.builds(lambda d: f"FREQ=YEARLY;BYMONTH={d.month};BYMONTHDAY={d.day}",
              st.dates(D(2024, 1, 1), D(2024, 12, 31))),
    st.builds("FREQ=MONTHLY;BYDAY={};BYSETPOS={};COUNT={}".format,
              st.lists(st.sampled_from(_DAYS), min_size=1, unique=True).map(",".join),
              st.sampled_from([1, 2, -1]), st.integers(1, 50)),
)


@settings(deadline=None)
@given(recurrence_rules)
def test_describe_round_trips(rule: str) -> None:
    rec = parse_recurrence(rule)
    assert parse_recurrence(rec.describe()).rule == rec.rule
    assert parse_recurrence(rec.rule) == rec
    assert rec.approx_days() > 0


# -- properties ----------------------------------------------------------------

@given(SUPPORTED)
def test_iso_round_trip(d: date) -> None:
    assert parse_date(d.isoformat()) == d
    assert parse_date(format_date(d), today=TODAY) == d


_DELTAS: dict[str, tuple[str, Callable[[int], relativedelta]]] = {
    "d": ("days", lambda n: relativedelta(days=n)),
    "w": ("weeks", lambda n: relativedelta(weeks=n)),
    "m": ("months", lambda n: relativedelta(months=n)),
    "y": ("years", lambda n: relativedelta(years=n)),
}


@given(st.dates(D(2900, 1, 1), D(7999, 12, 31)), st.integers(0, 1000),
       st.sampled_from(["d", "w", "m", "y"]), st.sampled_from(["+", "-", ""]))
def test_relative_offsets_agree_with_relativedelta(
        today: date, n: int, unit: str, sign: str) -> None:
    key, delta = _DELTAS[unit]
    expected = today + delta(-n if sign == "-" else n)
    assert parse_date(f"{sign}{n}{unit}", today=today) == expected
    assert parse_date(f"in {n} {key}", today=today) == today + delta(n)
    assert parse_date(f"{n} {key} ago", today=today) == today - delta(n)


@given(st.dates(D(1, 1, 1), D(9998, 11, 30)), st.integers(-1200, 1200))
def test_add_months_agrees_with_relativedelta(d: date, n: int) -> None:
    try:
        expected = d + relativedelta(months=n)
    except ValueError:
        return
    assert add_months(d, n) == expected


def _period_texts() -> st.SearchStrategy[str]:
    years = st.integers(1, 9998)
    months = st.builds("{:04d}-{:02d}".format, years, st.integers(1, 12))
    dates = st.dates(D(1, 1, 1), D(9998, 12, 31)).map(date.isoformat)
    single = st.one_of(
        years.map("{:04d}".format), months, dates,
        st.builds("{:04d}-Q{}".format, years, st.integers(1, 4)),
        st.builds("{}-{}".format, st.sampled_from(["this", "last", "next"]),
                  st.sampled_from(["week", "month", "quarter", "year"])))
    return st.one_of(single, st.builds("from {} to {}".format, single, single))


@given(_period_texts(), st.dates(D(2, 1, 1), D(9998, 1, 1)))
def test_periods_are_half_open_and_non_empty(text: str, today: date) -> None:
    try:
        start, end = parse_period(text, today=today)
    except InvalidInput as e:
        assert "ends before it starts" in e.message or "stuffctl handles dates" in e.message
        return
    assert start < end
    assert start <= start < end
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        assert (start, end) == (D.fromisoformat(text), D.fromisoformat(text) + timedelta(1))


@given(st.dates(D(1, 1, 1), D(9998, 12, 31)), st.sampled_from(["week", "month", "quarter",
                                                                "year"]))
def test_period_bounds_contain_the_day(d: date, unit: str) -> None:
    start, end = period_bounds(d, unit)  # type: ignore[arg-type]
    assert start <= d < end
    assert period_bounds(end - timedelta(1), unit) == (start, end)  # type: ignore[arg-type]


_FUZZ = st.one_of(
    st.text(),
    st.text(alphabet="0123456789 -+.,:;=()/dwmyqtTinagolsxfrevbuhRULEFQYBMONTHDAYSC€$¥"),
    st.lists(st.sampled_from(
        ["2026", "-", "11", "23", " ", "in", "ago", "next", "every", "2nd", "mon", "fri", "on",
         "d", "w", "m", "y", "q3", "from", "to", "..", ",", "and", "last", "day", "of", "month",
         "weeks", "FREQ=", "DAILY", "MONTHLY", ";", "BYDAY=", "+2MO", "INTERVAL=", "0", "9" * 30,
         "BYSETPOS=", "-1", "UNTIL=", "COUNT=", "the", "nov", "5th", "eom", "today", "T", ":",
         "/", ".", "dec", "24", "12", "h", "min", "hours", "an", "end of", "week"]),
        max_size=8).map("".join),
)


@settings(max_examples=400, deadline=None)
@given(_FUZZ)
def test_parsers_raise_only_invalid_input(text: str) -> None:
    for parse in (
        lambda: parse_date(text, today=TODAY),
        lambda: parse_datetime(text, now=NOW),
        lambda: parse_until(text, now=NOW, morning=time(8)),
        lambda: parse_time(text),
        lambda: parse_duration(text),
        lambda: parse_date_or_duration(text, base=TODAY, today=TODAY),
        lambda: parse_period(text, today=TODAY),
        lambda: parse_recurrence(text),
    ):
        try:
            value = parse()
        except InvalidInput as e:
            assert e.message
        else:
            assert value is not None
            if isinstance(value, Recurrence):
                assert parse_recurrence(value.describe()) == value


@pytest.mark.parametrize(("text", "months"), [("4y", 48), ("18m", 18), ("1y6m", 18),
                                               ("90d", 3), ("2w", 0)])
def test_duration_months_counts_whole_months(text, months):
    from stuffctl.dates import duration_months

    assert duration_months(parse_duration(text)) == months
# -- machine formats ------------------------------------------------------------------

from datetime import UTC  # noqa: E402

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from stuffctl.dates import parse_iso_date, parse_iso_timestamp  # noqa: E402


@given(SUPPORTED)
def test_iso_dates_round_trip(d):
    assert parse_iso_date(d.isoformat()) == d


@given(st.datetimes(datetime(1900, 1, 2), datetime(8999, 12, 30), timezones=st.just(UTC)))
def test_iso_timestamps_round_trip_in_both_spellings(dt):
    assert parse_iso_timestamp(dt.isoformat()) == dt
    assert parse_iso_timestamp(dt.isoformat().replace("+00:00", "Z")) == dt


@given(st.datetimes(datetime(1900, 1, 2), datetime(8999, 12, 30), timezones=st.just(UTC))
       .map(lambda d: d.replace(microsecond=0)))
def test_taskwarrior_compact_timestamps_parse(dt):
    assert parse_iso_timestamp(dt.strftime("%Y%m%dT%H%M%SZ")) == dt


@pytest.mark.parametrize("text", ["2026-13-01", "26-01-01", "", "tomorrow"])
def test_bad_iso_dates_are_refused(text):
    with pytest.raises(InvalidInput):
        parse_iso_date(text)


@pytest.mark.parametrize("text", ["2026-01-01T10:00:00", "yesterday", "2026-01-01 noon"])
def test_timestamps_without_offset_or_malformed_are_refused(text):
    with pytest.raises(InvalidInput):
        parse_iso_timestamp(text)
# -- maintenance schedules ----------------------------------------------------

from stuffctl.dates import parse_schedule, parse_time_range  # noqa: E402


@pytest.mark.parametrize(("text", "rule", "amount", "unit"), [
    ("every 6 months", "FREQ=MONTHLY;INTERVAL=6", None, None),
    ("every 10000 km", None, 10000.0, "km"),
    ("every 6 months or 10000 km", "FREQ=MONTHLY;INTERVAL=6", 10000.0, "km"),
    ("every 10000 km or every 6 months", "FREQ=MONTHLY;INTERVAL=6", 10000.0, "km"),
    ("yearly or 500 hours", "FREQ=YEARLY", 500.0, "h"),
    ("every 300 cycles", None, 300.0, "cycles"),
])
def test_parse_schedule_accepts(text, rule, amount, unit):
    s = parse_schedule(text)
    assert (s.recurrence.rule if s.recurrence else None, s.every_amount, s.every_unit) == (
        rule, amount, unit)


@pytest.mark.parametrize("text", ["", "every", "every 0 km", "every 5 parsecs",
                                  "every 10 km or 20 km", "monthly or yearly"])
def test_parse_schedule_rejects(text):
    with pytest.raises(InvalidInput):
        parse_schedule(text)


@given(st.integers(1, 24), st.sampled_from(["days", "weeks", "months", "years"]),
       st.one_of(st.none(), st.integers(1, 10**6)), st.sampled_from(["km", "mi", "h", "cycles"]))
def test_parse_schedule_reads_its_description_back(n, unit, amount, meter):
    s = parse_schedule(f"every {n} {unit}" + (f" or {amount} {meter}" if amount else ""))
    assert parse_schedule(s.describe()) == s


def test_parse_time_range_wraps_past_midnight():
    assert parse_time_range("22:00-07:00") == (time(22), time(7))
    with pytest.raises(InvalidInput):
        parse_time_range("22:00")


@given(st.datetimes(datetime(1900, 1, 1), datetime(8999, 12, 31, 23, 59, 59)))
def test_local_iso_timestamps_round_trip_without_offset(dt):
    assert parse_iso_timestamp(dt.isoformat(), local=True) == dt

# -- bank export dates ---------------------------------------------------------

from stuffctl.dates import parse_date_format  # noqa: E402


@given(st.dates(date(1900, 1, 1), date(2999, 12, 31)),
       st.sampled_from(["%d/%m/%Y", "%Y%m%d", "%d-%m-%Y", "%m/%d/%Y", "%Y-%m-%d"]))
def test_parse_date_format_reads_what_strftime_writes(d, fmt):
    assert parse_date_format(d.strftime(fmt), fmt) == d


def test_parse_date_format_names_the_format_it_wanted():
    with pytest.raises(InvalidInput, match="does not match the date format '%d/%m/%Y'"):
        parse_date_format("2026-01-05", "%d/%m/%Y")
