"""Dates, times, durations, periods and recurrences from a person's words.

The one module that parses dates; the rest of stuffctl calls it. Pure: every
function that needs "today" takes it as a keyword (default: the real today).
dateutil is imported lazily, inside functions, to keep imports cheap.

Conventions: weeks run Monday to Sunday (``sow``/``eow``). ``friday``/``fri``/
``this fri`` is the next Friday on or after today (today itself if it is a Friday);
``next fri`` is the Friday of next week (on a Wednesday, 9 days ahead; on a Sunday,
5), so ``next WEEKDAY`` is 1 to 13 days ahead and never before the bare weekday;
``last fri`` is the latest Friday strictly before today. ``next week``/``next month``
(``quarter``, ``year``) is the first day of that period, where parse_period's
``next-week`` starts. A day and month without a year (``24.12.``, ``Dec 24``) is the
next such day from today, today included. In a date whose day and month could each be
the other (``03/04/2026``) the date order decides (:func:`date_order`: the
``date_order`` setting, else the locale's); a part above 12 or a four-digit first part
(``2026/12/24``) is read whatever the order. ``m`` is always months, never minutes.
Periods are half-open ``[start, end)``.
"""

from __future__ import annotations

import calendar
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from itertools import takewhile
from typing import TYPE_CHECKING, Literal, TypeVar, cast

from stuffctl.errors import InvalidInput

if TYPE_CHECKING:
    from dateutil.relativedelta import relativedelta
    from dateutil.rrule import rrule as RRule

Unit = Literal["week", "month", "quarter", "year"]
DateOrder = Literal["DMY", "MDY", "YMD"]
_D = TypeVar("_D", date, datetime)

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july",
          "august", "september", "october", "november", "december")
_UNIT = r"(?:days?|d|weeks?|wks?|w|months?|mos?|m|years?|yrs?|y)"  # unit = first letter
_ISO = re.compile(r"([0-9]{4})([-./])([0-9]{1,2})\2([0-9]{1,2})")  # and 2026/12/24
# A day and a month, either way round, then the year or not: 24.12.2026, 12/24, 24.12.
_NUMERIC = re.compile(r"([0-9]{1,2})([-./])([0-9]{1,2})(?:\2([0-9]*))?")
_ORD = r"(?:st|nd|rd|th)?"
_NAMED = re.compile(  # Dec 24, December 24 2026, Dec 24, 2026, 24 Dec, 24th December 2026
    rf"(?:([a-z]{{3,}})\.? ([0-9]{{1,2}}){_ORD}|([0-9]{{1,2}}){_ORD}\.? ([a-z]{{3,}})\.?)"
    r"(?:,? ([0-9]+))?")
_NEXT = re.compile(r"next[- ](week|month|quarter|year)")
_HOURS = re.compile(r"(?:([0-9]{1,6}) ?(?:h|hrs?|hours?))?(?:(?<=[a-z]) ?"
                    r"(?:and )?)?(?:([0-9]{1,6}) ?(?:min|mins|minutes?))?")
_REL = re.compile(rf"(in |[+-])?([0-9]+ ?|an? )({_UNIT})( ago)?")
_TIME = re.compile(r"([0-9]{1,2})(?::([0-9]{2})(?::([0-9]{2}))?)? ?([ap]m)?")
_WITH_TIME = re.compile(
    r"(?:(.*?)(?: |(?<=[0-9])t))?([0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?: ?[ap]m)?|[0-9]{1,2} ?[ap]m)")
_DUR = re.compile(rf"([0-9]+) ?({_UNIT})")
_DUR_SEP = re.compile(r",? and |, ?| ?")
_DATE_HINT = ("use YYYY-MM-DD, 24.12.2026, 12/24/2026, 24.12., Dec 24, 24 December 2026, "
              "today, tomorrow, yesterday, +3d, -2w, 6m, in 2 weeks, 3 days ago, fri, "
              "next fri, last mon, next week, next month, som, eom, sow, eow, soy or eoy")
_UNTIL_HINT = ("use a time from now (2h, 90 min, 1h30min, 3d, 2w) or a date with or without "
               "a time of day (tomorrow, fri 14:00, 24.12., 2026-12-24 09:00)")
_DUR_HINT = "use a number and a unit, e.g. 30d, 2w, 6m, 2y, 1y6m, 18 months"
_PERIOD_HINT = ("use 2026-10, 2026-Q3, 2026, this-month, last-quarter, this-year, "
                "from 2026-03 to 2026-06 or a date")

#: The dates stuffctl handles: every parser here refuses a date outside them, so that
#: whatever a command or an import accepts, every other command can read. A supported
#: date plus or minus any duration (at most 1000 years, ``parse_duration``) stays
#: inside Python's years 1..9999, so the reminder engine's arithmetic (a due date less
#: its lead, plus ``bands.overdue_after``) cannot overflow; before 1900 is a typo here.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(8999, 12, 31)
_RANGE_HINT = f"out of range: stuffctl handles dates from {FIRST_DAY} to {LAST_DAY}"


def _bad(kind: str, text: str, reason: str) -> InvalidInput:
    return InvalidInput(f"not {kind}: {text!r} ({reason})")


def in_range(d: date) -> bool:
    """Whether ``d`` (a date or a datetime's day) is one stuffctl handles."""
    day = d.date() if isinstance(d, datetime) else d
    return FIRST_DAY <= day <= LAST_DAY


def _ranged(d: _D, kind: str, text: str) -> _D:
    """``d`` itself, or the error saying which dates stuffctl handles."""
    if not in_range(d):
        raise _bad(kind, text, _RANGE_HINT)
    return d


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _name(word: str, names: tuple[str, ...]) -> int | None:
    """Index of the name ``word`` spells in full or by a 3+ letter prefix."""
    if len(word) >= 3:
        for i, name in enumerate(names):
            if name.startswith(word):
                return i
    return None


# -- calendar helpers (pure stdlib) ------------------------------------------

def month_start(d: date) -> date:
    """The first day of d's month."""
    return d.replace(day=1)


def add_months(d: date, n: int) -> date:
    """d moved by n months, the day clamped to the month's end (as relativedelta)."""
    years, month0 = divmod(d.month - 1 + n, 12)
    year = d.year + years
    return date(year, month0 + 1, min(d.day, calendar.monthrange(year, month0 + 1)[1]))


def period_bounds(d: date, unit: Unit) -> tuple[date, date]:
    """The calendar week/month/quarter/year holding d, as [start, end)."""
    if unit == "week":
        start = d - timedelta(days=d.weekday())
        return start, start + timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[unit]
    start = date(d.year, d.month - (d.month - 1) % months, 1)
    return start, add_months(start, months)


def iter_periods(start: date, end: date, unit: Unit) -> Iterator[tuple[date, date]]:
    """The whole calendar periods overlapping [start, end), in order."""
    lo, hi = period_bounds(start, unit)
    while lo < end:
        yield lo, hi
        lo, hi = hi, period_bounds(hi, unit)[1]


def _shift(d: date, n: int, unit: str) -> date:
    if unit in ("d", "w"):
        return d + timedelta(days=n * (7 if unit == "w" else 1))
    return add_months(d, n * (12 if unit == "y" else 1))


# -- the order of day and month ------------------------------------------------

DATE_ORDERS: tuple[DateOrder, ...] = ("DMY", "MDY", "YMD")
# Where people write the month first (en_US: 12/24/2026), by the territory of a locale
# name (the part after "_"); and the languages (and Canada) whose dates start with the
# year (ja_JP: 2026/12/24, sv_SE and en_CA/fr_CA: 2026-12-24). Every other: day first.
_MDY_PLACES = frozenset({"US", "PH", "PR", "AS", "GU", "MP", "UM", "VI", "FM", "MH", "PW"})
_YMD_LANGS = frozenset({"zh", "ja", "ko", "hu", "lt", "mn", "sv"})
_YMD_PLACES = frozenset({"CA"})

_order_setting: Callable[[], str] | None = None
_order_read: DateOrder | None = None


def parse_date_order(text: str) -> str:
    """The ``date_order`` setting: ``DMY``, ``MDY`` or ``YMD`` (any case), or '' for the
    locale's (:func:`locale_date_order`)."""
    value = text.strip().upper()
    if value and value not in DATE_ORDERS:
        raise InvalidInput(f"expected DMY, MDY or YMD, or nothing for the locale's "
                           f"(got {text!r})")
    return value


def locale_date_order(env: Mapping[str, str] | None = None) -> DateOrder:
    """The date order of the locale that sets how dates look (``LC_ALL``, else
    ``LC_TIME``, else ``LANG``): MDY in en_US and the other month-first places, YMD in
    the year-first languages, in Canada and in the C/POSIX locale (ISO 8601's order),
    DMY everywhere else."""
    env = os.environ if env is None else env
    name = next((value for key in ("LC_ALL", "LC_TIME", "LANG") if (value := env.get(key))),
                "")
    lang, _, place = (re.split(r"[.@]", part)[0] for part in name.partition("_"))
    lang, place = lang.lower(), place.upper()
    if lang in ("", "c", "posix"):
        return "YMD"
    if place in _MDY_PLACES:
        return "MDY"
    return "YMD" if lang in _YMD_LANGS or place in _YMD_PLACES else "DMY"


def use_date_order(setting: Callable[[], str] | None) -> None:
    """Read the date order from ``setting`` (the CLI: the ``date_order`` config key, ''
    for the locale's) the first time a date needs it; None: from the locale."""
    global _order_setting, _order_read
    _order_setting, _order_read = setting, None


def date_order() -> DateOrder:
    """The order a date like ``03/04/2026`` is read in when none is passed: the one
    :func:`use_date_order` gives, else the locale's."""
    global _order_read
    if _order_setting is None:
        return locale_date_order()
    if _order_read is None:
        chosen = parse_date_order(_order_setting())
        _order_read = cast(DateOrder, chosen) if chosen else locale_date_order()
    return _order_read


# -- dates and times ---------------------------------------------------------

_KEYWORDS: dict[str, Callable[[date], date]] = {
    "today": lambda d: d, "tomorrow": lambda d: d + timedelta(days=1),
    "yesterday": lambda d: d - timedelta(days=1),
    "som": month_start, "eom": lambda d: add_months(month_start(d), 1) - timedelta(days=1),
    "soy": lambda d: d.replace(month=1, day=1), "eoy": lambda d: d.replace(month=12, day=31),
    "sow": lambda d: d - timedelta(days=d.weekday()),
    "eow": lambda d: d + timedelta(days=6 - d.weekday()),
}
for _unit in ("week", "month", "year"):
    _KEYWORDS[f"start of {_unit}"] = _KEYWORDS[f"so{_unit[0]}"]
    _KEYWORDS[f"end of {_unit}"] = _KEYWORDS[f"eo{_unit[0]}"]
del _unit


def _ymd(t: str, year: int, month: int, day: int) -> date:
    """The date, or the error naming the month or day that is out of range."""
    if not 1 <= month <= 12:
        raise _bad("a date", t, f"month {month} is out of range")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        name = MONTHS[month - 1].title()
        raise _bad("a date", t, f"day {day} is out of range: {name} {year} has {last} days")
    return date(year, month, day)


def _next_yearly(t: str, month: int, day: int, today: date) -> date:
    """The first ``day`` of ``month`` on or after today (a 29 February: of a leap year)."""
    if not 1 <= month <= 12:
        raise _bad("a date", t, f"month {month} is out of range")
    longest = calendar.monthrange(2000, month)[1]
    if not 1 <= day <= longest:
        name = MONTHS[month - 1].title()
        raise _bad("a date", t, f"day {day} is out of range: {name} has {longest} days")
    year = today.year
    while day > calendar.monthrange(year, month)[1] or date(year, month, day) < today:
        year += 1
    return date(year, month, day)


def _year(t: str, text: str) -> int:
    if len(text) != 4:
        raise _bad("a date", t, "write the year with four digits, e.g. 24.12.2026")
    return int(text)


def _day_month(t: str, a: int, b: int, order: DateOrder, year: int | None) -> tuple[int, int]:
    """(day, month) of a date written with its day and month as ``a`` then ``b`` in
    some order: a number above 12 is the day, else the order says."""
    if a > 12 and b > 12:
        raise _bad("a date", t, f"no month in it: {a} and {b} are both above 12")
    if a > 12 or a == b or (b <= 12 and order == "DMY"):
        return a, b
    if b <= 12 and order == "YMD" and year is not None:
        raise _bad("a date", t, f"is it {date(year, b, a)} or {date(year, a, b)}? With the "
                   "date order YMD (config date_order, else the locale's) write YYYY-MM-DD, "
                   "or set date_order to DMY or MDY")
    return b, a


def _numeric(t: str, m: re.Match[str], today: date, order: DateOrder) -> date | None:
    """24.12.2026, 12/24/2026, 24-12-2026, 24.12. and 24/12 (``_NUMERIC``)."""
    if m[4] == "" and m[2] != ".":  # 24.12. ends with a dot (German), not 24/12/
        return None
    year = _year(t, m[4]) if m[4] else None
    day, month = _day_month(t, int(m[1]), int(m[3]), order, year)
    return _next_yearly(t, month, day, today) if year is None else _ymd(t, year, month, day)


def _named(t: str, m: re.Match[str], today: date) -> date | None:
    """Dec 24, 24 Dec, December 24 2026, Dec 24, 2026, 24th December 2026."""
    month = _name(m[1] or m[4], MONTHS)
    if month is None:
        return None
    day = int(m[2] or m[3])
    if m[5] is None:
        return _next_yearly(t, month + 1, day, today)
    return _ymd(t, _year(t, m[5]), month + 1, day)


def _weekday(t: str, today: date) -> date | None:
    words = t.split(" ")
    mode = words[0] if len(words) == 2 else "this"
    wd = _name(words[-1], DAYS) if len(words) <= 2 else None
    if wd is None or mode not in ("this", "next", "last", "on"):
        return None
    if mode == "last":
        return today - timedelta(days=(today.weekday() - wd) % 7 or 7)
    if mode == "next":  # that day of next week
        return today + timedelta(days=7 - today.weekday() + wd)
    return today + timedelta(days=(wd - today.weekday()) % 7)


def _date(t: str, today: date, order: DateOrder | None) -> date | None:
    if m := _ISO.fullmatch(t):
        return _ymd(t, int(m[1]), int(m[3]), int(m[4]))
    if t in _KEYWORDS:
        return _KEYWORDS[t](today)
    if m := _REL.fullmatch(t):
        if m[1] and m[4]:
            return None
        n = 1 if m[2].startswith("a") else int(m[2])
        return _shift(today, -n if m[1] == "-" or m[4] else n, m[3][0])
    if m := _NUMERIC.fullmatch(t):
        return _numeric(t, m, today, order or date_order())
    if m := _NAMED.fullmatch(t):
        return _named(t, m, today)
    if m := _NEXT.fullmatch(t):
        return period_bounds(today, cast(Unit, m[1]))[1]
    return _weekday(t, today)


def _written(t: str) -> bool:
    """Whether ``t`` is shaped as a calendar date (2026-02-30, 30.02., Feb 30): its own
    error (which day or month is wrong) says more than a list of forms."""
    if _ISO.fullmatch(t) or _NUMERIC.fullmatch(t):
        return True
    m = _NAMED.fullmatch(t)
    return m is not None and _name(m[1] or m[4], MONTHS) is not None


def parse_date(text: str, *, today: date | None = None,
               order: DateOrder | None = None) -> date:
    """Parse a date a person typed: ISO or day, month and year in the ways people write
    them (``24.12.2026``, ``12/24/2026``, ``Dec 24``), a keyword, a relative offset or a
    weekday phrase. ``order`` reads an ambiguous ``03/04/2026`` (default:
    :func:`date_order`)."""
    t = _norm(text)
    try:
        d = _date(t, today or date.today(), order)
    except (ValueError, OverflowError):
        raise _bad("a date", text, "out of range") from None
    if d is None:
        raise _bad("a date", text, _DATE_HINT)
    return _ranged(d, "a date", text)


def parse_time(text: str) -> time:
    """Parse ``08:30``, ``8:30:15``, ``8pm`` or ``8:30 am``."""
    m = _TIME.fullmatch(_norm(text))
    if m is None or (m[2] is None and m[4] is None):
        raise _bad("a time", text, "use HH:MM, e.g. 08:30")
    hour, minute, second = int(m[1]), int(m[2] or 0), int(m[3] or 0)
    if m[4]:
        if not 1 <= hour <= 12:
            raise _bad("a time", text, f"hour {hour} is out of range for {m[4]}")
        hour = hour % 12 + (12 if m[4] == "pm" else 0)
    for value, name, top in ((hour, "hour", 23), (minute, "minute", 59), (second, "second", 59)):
        if value > top:
            raise _bad("a time", text, f"{name} {value} is out of range")
    return time(hour, minute, second)


def parse_datetime(text: str, *, now: datetime | None = None) -> datetime:
    """Parse a date phrase with an optional time (``tomorrow 08:30``); naive, local."""
    current = now or datetime.now().replace(microsecond=0)
    t = _norm(text)
    if t == "now":
        return current
    m = _WITH_TIME.fullmatch(t)
    if m is None:
        return datetime.combine(parse_date(text, today=current.date()), time())
    day = parse_date(m[1], today=current.date()) if m[1] else current.date()
    return datetime.combine(day, parse_time(m[2]))


# -- machine formats (export files, other tools' exports) -----------------------

_COMPACT = re.compile(r"([0-9]{8})T([0-9]{6})Z")


def parse_iso_date(text: str) -> date:
    """Strict ISO date ``YYYY-MM-DD`` (files, not people)."""
    try:
        day = date.fromisoformat(text) if len(text) == 10 else _fail()
    except (ValueError, TypeError):
        raise _bad("an ISO date", str(text), "use YYYY-MM-DD") from None
    return _ranged(day, "an ISO date", text)


def parse_iso_timestamp(text: str, *, local: bool = False) -> datetime:
    """Strict ISO 8601 timestamp with a UTC offset (``…Z`` or ``+02:00``), as aware UTC.

    Also takes the compact form Taskwarrior writes (``20260301T120000Z``). With
    ``local=True`` it is a wall-clock time instead, and must have no offset.
    """
    from datetime import UTC

    if local:
        try:
            value = datetime.fromisoformat(text)
        except (ValueError, TypeError):
            raise _bad("a local time", str(text), "use ISO 8601 like 2026-11-23T08:30:00") from None
        if value.utcoffset() is not None:
            raise _bad("a local time", text, "a wall-clock time has no UTC offset")
        return _ranged(value, "a local time", text)

    try:
        if m := _COMPACT.fullmatch(text):
            value = datetime.strptime(m[1] + m[2], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
        else:
            value = datetime.fromisoformat(text)
    except (ValueError, TypeError):
        raise _bad("a timestamp", str(text), "use ISO 8601 like 2026-11-23T07:04:05Z") from None
    if value.utcoffset() is None:
        raise _bad("a timestamp", text, "it has no UTC offset (end it with Z)")
    return _ranged(value, "a timestamp", text).astimezone(UTC)


def _fail() -> date:
    raise ValueError


def format_date(d: date) -> str:
    """ISO form, YYYY-MM-DD."""
    return d.isoformat()


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def humanize_delta(d: date, *, today: date | None = None) -> str:
    """``today``, ``tomorrow``, ``in 3 days``, ``5 days ago``, ``in 2 months``."""
    n = (d - (today or date.today())).days
    named = {0: "today", 1: "tomorrow", -1: "yesterday"}
    if n in named:
        return named[n]
    a = abs(n)
    if a < 45:
        span = _plural(a, "day")
    elif a < 730:
        span = _plural(max(1, round(a / 30.436875)), "month")
    else:
        span = _plural(round(a / 365.2425), "year")
    return f"in {span}" if n > 0 else f"{span} ago"


# -- durations ---------------------------------------------------------------

def parse_duration(text: str) -> relativedelta:
    """Parse ``30d``, ``2w``, ``6m``, ``1y6m``, ``18 months``; zero allowed."""
    from dateutil.relativedelta import relativedelta

    t = _norm(text).removeprefix("+")
    if t.startswith("-"):
        raise _bad("a duration", text, "durations cannot be negative")
    found: dict[str, int] = {}
    pos = 0
    while pos < len(t) or not found:
        m = _DUR.match(t, pos)
        if m is None or m[2][0] in found or len(m[1]) > 6:
            raise _bad("a duration", text, _DUR_HINT)
        found[m[2][0]] = int(m[1])
        pos = m.end()
        if sep := _DUR_SEP.match(t, pos):
            pos = sep.end()
    years, months = found.get("y", 0), found.get("m", 0)
    days = found.get("d", 0) + 7 * found.get("w", 0)
    if years * 365.2425 + months * 30.436875 + days > 1000 * 365.2425:
        raise _bad("a duration", text, "longer than 1000 years")
    return relativedelta(years=years, months=months, days=days)


def format_duration(rd: relativedelta) -> str:
    """Compact form (``1y6m``, ``2w``, ``30d``, ``0d``) that parse_duration reads back.

    Raises ValueError for values parse_duration cannot produce (times, negatives).
    """
    absolute = (rd.year, rd.month, rd.day, rd.weekday, rd.hour, rd.minute, rd.second,
                rd.microsecond)
    if any(x is not None for x in absolute) or (
            rd.hours or rd.minutes or rd.seconds or rd.microseconds or rd.leapdays
            or min(rd.years, rd.months, rd.days) < 0):
        raise ValueError(f"not a plain non-negative duration: {rd!r}")
    days = f"{rd.days // 7}w" if rd.days and rd.days % 7 == 0 else f"{rd.days}d"
    text = "".join(f"{n}{u}" for n, u in ((rd.years, "y"), (rd.months, "m")) if n)
    return text + days if rd.days or not text else text


def duration_months(rd: relativedelta) -> int:
    """Whole months in a duration; days count as 1/30 of a month, rounded."""
    return int(rd.years) * 12 + int(rd.months) + round(int(rd.days) / 30)


def plus(start: date, rd: relativedelta) -> date:
    """``start`` moved on by a duration; InvalidInput when that is past ``LAST_DAY``."""
    try:
        end = start + rd
    except (ValueError, OverflowError):
        end = date.max
    if not in_range(end):
        raise InvalidInput(f"{start} + {format_duration(rd)} is past {LAST_DAY}, the last "
                           "date stuffctl handles")
    return end


def parse_date_or_duration(text: str, *, base: date | None,
                           today: date | None = None) -> date:
    """A date (``2026-12-01``) or a duration from base (``2y``; base None = today)."""
    start = base or today or date.today()
    try:
        rd = parse_duration(text)
    except InvalidInput:
        pass
    else:
        try:
            return plus(start, rd)
        except InvalidInput as e:
            raise _bad("a date", text, e.message) from None
    try:
        return parse_date(text, today=today)
    except InvalidInput as e:
        if _written(_norm(text)):
            raise
        raise _bad("a date or duration", text,
                   f"use a date like 2026-12-01 or a duration from {start} like 2y or 18m"
                   ) from e


# -- periods -----------------------------------------------------------------

def _period(t: str, today: date) -> tuple[date, date]:
    if re.fullmatch(r"[0-9]{4}", t):
        return period_bounds(date(int(t), 1, 1), "year")
    if m := re.fullmatch(r"([0-9]{4})-([0-9]{1,2})", t):
        if not 1 <= int(m[2]) <= 12:
            raise _bad("a period", t, f"month {int(m[2])} is out of range")
        return period_bounds(date(int(m[1]), int(m[2]), 1), "month")
    if m := re.fullmatch(r"([0-9]{4})[- ]?q([1-4])", t):
        return period_bounds(date(int(m[1]), 3 * int(m[2]), 1), "quarter")
    if m := re.fullmatch(r"(this|last|next)[- ](week|month|quarter|year)", t):
        unit = cast(Unit, m[2])
        start = period_bounds(today, unit)[0]
        if m[1] == "last":
            start = period_bounds(start - timedelta(days=1), unit)[0]
        return period_bounds(period_bounds(start, unit)[1] if m[1] == "next" else start, unit)
    try:
        d = parse_date(t, today=today)
    except InvalidInput:
        if _written(t):
            raise
        raise _bad("a period", t, _PERIOD_HINT) from None
    return d, d + timedelta(days=1)


def parse_period(text: str, *, today: date | None = None) -> tuple[date, date]:
    """Parse a month, quarter, year, relative period, range or date as [start, end)."""
    t, now = _norm(text), today or date.today()
    try:
        if m := re.fullmatch(r"from (.+?) to (.+)|(.+?) ?\.\. ?(.+)", t):
            start, end = _period(m[1] or m[3], now)[0], _period(m[2] or m[4], now)[1]
            if start >= end:
                raise _bad("a period", text, "it ends before it starts")
        else:
            start, end = _period(t, now)
    except (ValueError, OverflowError):
        raise _bad("a period", text, "out of range") from None
    if not (in_range(start) and in_range(end - timedelta(days=1))):
        raise _bad("a period", text, _RANGE_HINT)
    return start, end


# -- recurrences -------------------------------------------------------------

_WD = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_FREQ_DAYS = {"DAILY": 1.0, "WEEKLY": 7.0, "MONTHLY": 30.436875, "YEARLY": 365.2425}
_FREQ_UNIT = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}
_KEYS = ("FREQ", "INTERVAL", "BYMONTH", "BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY",
         "BYHOUR", "BYMINUTE", "BYSECOND", "BYSETPOS", "WKST", "COUNT", "UNTIL")
_INTS = {"INTERVAL": (1, 1000, False), "COUNT": (1, 100000, False),
         "BYMONTH": (1, 12, False), "BYWEEKNO": (1, 53, True), "BYYEARDAY": (1, 366, True),
         "BYMONTHDAY": (1, 31, True), "BYHOUR": (0, 23, False), "BYMINUTE": (0, 59, False),
         "BYSECOND": (0, 59, False), "BYSETPOS": (1, 366, True)}
_SIMPLE = {
    "daily": "FREQ=DAILY", "weekly": "FREQ=WEEKLY", "monthly": "FREQ=MONTHLY",
    "quarterly": "FREQ=MONTHLY;INTERVAL=3", "yearly": "FREQ=YEARLY", "annually": "FREQ=YEARLY",
    "biweekly": "FREQ=WEEKLY;INTERVAL=2", "fortnightly": "FREQ=WEEKLY;INTERVAL=2",
    "every weekday": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "every weekend": "FREQ=WEEKLY;BYDAY=SA,SU",
    "last day of month": "FREQ=MONTHLY;BYMONTHDAY=-1",
    "every last day of month": "FREQ=MONTHLY;BYMONTHDAY=-1"}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": -1}
_REC_HINT = ("try daily, weekly, monthly, quarterly, yearly, every 2 weeks, every mon,thu, "
             "every weekday, every 2nd monday, every last friday, every 15th, every nov 5, "
             "last day of month or FREQ=MONTHLY;INTERVAL=3")


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _split(rule: str) -> dict[str, str]:
    return {k: v for k, _, v in (part.partition("=") for part in rule.split(";"))}


def _bare(p: dict[str, str]) -> str:
    """The rule without INTERVAL, COUNT, UNTIL and WKST: its pattern, free of phase."""
    return ";".join(f"{k}={v}" for k, v in p.items() if k not in ("INTERVAL", "COUNT", "UNTIL",
                                                                   "WKST"))


def _norm_value(key: str, value: str) -> str:
    items = value.split(",")
    if key == "FREQ":
        if value not in _FREQ_DAYS:
            raise InvalidInput(f"FREQ must be one of {', '.join(_FREQ_DAYS)}")
        return value
    if key == "UNTIL":
        try:
            if not re.fullmatch(r"[0-9]{8}(T[0-9]{6})?", value):
                raise ValueError(value)
            datetime.strptime(value, "%Y%m%dT%H%M%S" if "T" in value else "%Y%m%d")
        except ValueError:
            raise InvalidInput("UNTIL must be YYYYMMDD or YYYYMMDDTHHMMSS, local time") from None
        return value
    if key in ("BYDAY", "WKST"):
        days: set[tuple[int, int]] = set()
        for item in items:
            m = re.fullmatch(r"([+-]?[0-9]{1,2})?(MO|TU|WE|TH|FR|SA|SU)", item)
            n = int(m[1]) if m and m[1] else 0
            if m is None or (m[1] and not 1 <= abs(n) <= 53) or (key == "WKST" and m[1]):
                raise InvalidInput(f"bad {key} value {item!r}")
            days.add((_WD.index(m[2]), n))
        if key == "WKST" and len(days) != 1:
            raise InvalidInput("WKST takes one weekday")
        return ",".join(f"{n:+d}{_WD[wd]}" if n else _WD[wd] for wd, n in sorted(days))
    lo, hi, signed = _INTS[key]
    if not all(re.fullmatch(r"[+-]?[0-9]{1,6}", item) for item in items) or any(
            not lo <= (abs(int(i)) if signed else int(i)) <= hi for i in items) or (
            key in ("INTERVAL", "COUNT") and len(items) > 1):
        sign = "±" if signed else ""
        raise InvalidInput(f"{key} takes {'' if len(items) == 1 else 'a list of '}"
                           f"whole numbers {sign}{lo}..{sign}{hi}")
    return ",".join(str(n) for n in sorted({int(i) for i in items}))


def _check_rule(p: dict[str, str]) -> None:
    freq = p.get("FREQ")
    problems = [
        (freq is None, "FREQ is missing"),
        ("COUNT" in p and "UNTIL" in p, "COUNT and UNTIL cannot both be given"),
        ("BYWEEKNO" in p and freq != "YEARLY", "BYWEEKNO needs FREQ=YEARLY"),
        ("BYYEARDAY" in p and freq != "YEARLY", "BYYEARDAY needs FREQ=YEARLY"),
        ("BYMONTHDAY" in p and freq == "WEEKLY", "BYMONTHDAY does not go with FREQ=WEEKLY"),
        (bool(re.search("[0-9]", p.get("BYDAY", ""))) and (
            freq not in ("MONTHLY", "YEARLY") or "BYWEEKNO" in p),
         "numbered BYDAY needs FREQ=MONTHLY or YEARLY"),
        # A reminder comes at a time of day, at most hourly: a list of minutes or seconds
        # would make it come every minute or second (and catching up, years of them).
        ("," in p.get("BYMINUTE", "") or "," in p.get("BYSECOND", ""),
         "BYMINUTE and BYSECOND take one value (a time of day); for more, list hours in BYHOUR"),
    ]
    for failed, reason in problems:
        if failed:
            raise InvalidInput(reason)


def _normalise_rule(raw: str) -> str:
    """Validate an RRULE value and put it in canonical form (fixed key order)."""
    from dateutil.rrule import rrulestr

    parts: dict[str, str] = {}
    for item in filter(None, (i.strip() for i in raw.upper().removeprefix("RRULE:").split(";"))):
        key, _, value = (x.strip() for x in item.partition("="))
        if key not in _KEYS or key in parts or not value:
            why = "unknown key" if key not in _KEYS else "repeated" if key in parts else "no value"
            raise InvalidInput(f"{item!r}: {why}")
        parts[key] = _norm_value(key, value)
    _check_rule(parts)
    rule = ";".join(f"{k}={parts[k]}" for k in _KEYS if k in parts and
                    (k, parts[k]) != ("INTERVAL", "1"))
    try:
        rrulestr(rule, dtstart=datetime(2000, 1, 1))
        late = datetime(9900, 1, 1)  # near MAXYEAR, so that an empty rule ends fast
        first = rrulestr(_bare(parts), dtstart=late).after(late, inc=True)
    except (ValueError, OverflowError, TypeError) as e:
        raise InvalidInput(f"invalid rule: {e}") from None
    if first is None:
        raise InvalidInput("that rule never occurs")
    return rule


def _day_list(text: str) -> str | None:
    found: set[int] = set()
    for word in filter(None, re.split(r" ?, ?| and | ", text)):
        wd = _name(word, DAYS)
        if wd is None:
            return None
        found.add(wd)
    return ",".join(_WD[i] for i in sorted(found)) or None


def _phrase(t: str) -> str | None:
    """The (unnormalised) RRULE a phrase stands for, or None."""
    t = re.sub(r"\bthe\b ?", "", t).replace("every other ", "every 2 ").strip()
    if t in _SIMPLE or not t.startswith("every "):
        return _SIMPLE.get(t)
    rest = t.removeprefix("every ")
    if m := re.fullmatch(r"(?:([0-9]+) )?(day|week|month|year)s?(?: on (.+))?", rest):
        freq = {v: k for k, v in _FREQ_UNIT.items()}[m[2]]
        rule = f"FREQ={freq};INTERVAL={m[1] or 1}"
        days = _day_list(m[3]) if m[3] and m[2] == "week" else None
        return rule if not m[3] else f"{rule};BYDAY={days}" if days else None
    if days := _day_list(rest):
        return f"FREQ=WEEKLY;BYDAY={days}"
    if (m := re.fullmatch(r"([0-9]+)(?:st|nd|rd|th)|(\w+) (\w+)", rest)) is None:
        return None
    if m[1]:
        return f"FREQ=MONTHLY;BYMONTHDAY={m[1]}"
    if (wd := _name(m[3], DAYS)) is not None:
        nth = re.fullmatch(r"([0-9]+)(?:st|nd|rd|th)", m[2])
        n = int(nth[1]) if nth else _ORDINALS.get(m[2], 0)
        return f"FREQ=MONTHLY;BYDAY={n:+d}{_WD[wd]}" if n else None
    words = (m[2], m[3]) if m[2].isalpha() else (m[3], m[2])
    month, day = _name(words[0], MONTHS), re.fullmatch(r"([0-9]+)(?:st|nd|rd|th)?", words[1])
    return None if month is None or day is None else (
        f"FREQ=YEARLY;BYMONTH={month + 1};BYMONTHDAY={day[1]}")


@dataclass(frozen=True)
class Recurrence:
    """A normalised RFC 5545 RRULE value, without the ``RRULE:`` prefix."""

    rule: str

    def rrule(self, dtstart: datetime) -> RRule:
        """The dateutil rrule, anchored at dtstart (which supplies the time of day)."""
        from dateutil.rrule import rrulestr

        return cast("RRule", rrulestr(self.rule, dtstart=dtstart))

    def next_after(self, after: datetime, dtstart: datetime) -> datetime | None:
        """The first occurrence strictly after ``after``; None once the rule has ended
        (an occurrence past ``LAST_DAY`` is none)."""
        try:
            found = self.rrule(dtstart).after(after)
        except (ValueError, OverflowError):
            return None
        return found if found is None or in_range(found) else None

    def approx_days(self) -> float:
        """Average days between occurrences (monthly 30.436875, yearly 365.2425)."""
        return _approx_days(self.rule)

    def describe(self) -> str:
        """A phrase that parse_recurrence reads back as this very rule (the rule itself
        when it is not one stuffctl writes)."""
        p = _split(self.rule)
        if p.get("FREQ") not in _FREQ_UNIT:
            return self.rule
        n, unit = int(p.get("INTERVAL", "1")), _FREQ_UNIT[p["FREQ"]]
        keys = set(p) - {"FREQ", "INTERVAL"}
        every = f"every {n} {unit}s" if n > 1 else f"every {unit}"
        byday, simple = p.get("BYDAY", ""), n == 1 and "," not in self.rule
        if not keys:
            return every
        if keys == {"BYDAY"} and unit == "week" and not re.search("[0-9]", byday):
            names = [DAYS[_WD.index(x)] for x in byday.split(",")]
            listed = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
            if n == 1:
                return {"MO,TU,WE,TH,FR": "every weekday", "SA,SU": "every weekend"}.get(
                    byday, f"every {listed}")
            return f"{every} on {listed}"
        if simple and unit == "month" and keys == {"BYDAY"} and (
                m := re.fullmatch(r"(\+[1-5]|-1)(..)", byday)):
            nth = "last" if m[1] == "-1" else _ordinal(int(m[1]))
            return f"every {nth} {DAYS[_WD.index(m[2])]}"
        day = int(p.get("BYMONTHDAY", "0")) if simple else 0
        if unit == "month" and keys == {"BYMONTHDAY"} and (day > 0 or day == -1):
            return "every last day of the month" if day == -1 else f"every {_ordinal(day)}"
        if unit == "year" and keys == {"BYMONTH", "BYMONTHDAY"} and day > 0:
            return f"every {MONTHS[int(p['BYMONTH']) - 1]} {day}"
        return self.rule


@lru_cache(maxsize=256)
def _approx_days(rule: str) -> float:
    """INTERVAL times the average gap of the rule without INTERVAL/COUNT/UNTIL."""
    p = _split(rule)
    interval, bare = int(p.get("INTERVAL", "1")), _bare(p)
    if bare == f"FREQ={p['FREQ']}":
        return interval * _FREQ_DAYS[p["FREQ"]]
    if re.fullmatch(r"FREQ=WEEKLY;BYDAY=[A-Z,]+", bare):
        return interval * 7 / len(p["BYDAY"].split(","))
    from dateutil.rrule import rrulestr

    start = datetime(2000, 1, 1)
    end = start + timedelta(days=146097)  # one whole Gregorian 400-year cycle
    n, last = 0, start
    for n, last in enumerate(takewhile(lambda x: x < end, rrulestr(bare, dtstart=start)), 1):
        if n == 30000:  # dense rule: the average so far is good enough
            return interval * ((last - start) / timedelta(days=1)) / n
    return interval * 146097 / max(n, 1)


def parse_recurrence(text: str) -> Recurrence:
    """Parse a recurrence phrase or a raw ``RRULE:``/``FREQ=`` rule."""
    t = _norm(text)
    try:
        raw = text.strip() if "=" in t else _phrase(t)
        if raw is not None:
            return Recurrence(_normalise_rule(raw))
    except InvalidInput as e:
        raise _bad("a recurrence", text, e.message) from None
    except (ValueError, OverflowError):
        raise _bad("a recurrence", text, "out of range") from None
    raise _bad("a recurrence", text, _REC_HINT)


# -- maintenance schedules ---------------------------------------------------

METER_UNITS = ("km", "mi", "h", "cycles")
_USAGE = re.compile(r"(?:every )?([0-9]+(?:\.[0-9]+)?) ?(km|mi|miles?|h|hours?|cycles?)")
_SCHED_HINT = ("use a recurrence (every 6 months), a usage interval (every 10000 km, "
               "every 500 h) or both joined by 'or' (every 6 months or 10000 km)")


@dataclass(frozen=True)
class Schedule:
    """A maintenance schedule: by time, by usage, or whichever comes first."""

    recurrence: Recurrence | None
    every_amount: float | None = None
    every_unit: str | None = None

    def describe(self) -> str:
        parts = [self.recurrence.describe()] if self.recurrence else []
        if self.every_amount is not None:
            amount = f"{self.every_amount:.15g}"
            parts.append(f"{amount} {self.every_unit}" if parts else
                         f"every {amount} {self.every_unit}")
        return " or ".join(parts)


def meter_unit(text: str) -> str:
    """Normalise a meter unit: km, mi, h or cycles."""
    t = _norm(text)
    unit = {"mile": "mi", "miles": "mi", "hour": "h", "hours": "h", "cycle": "cycles"}.get(t, t)
    if unit not in METER_UNITS:
        raise _bad("a meter unit", text, f"use one of {', '.join(METER_UNITS)}")
    return unit


def _usage(t: str) -> tuple[float, str] | None:
    m = _USAGE.fullmatch(t)
    if m is None:
        return None
    amount = float(m[1])
    if not 0 < amount < 1e9:
        raise _bad("a schedule", t, "the usage interval must be above 0")
    return amount, meter_unit(m[2])


def parse_schedule(text: str) -> Schedule:
    """Parse ``every 6 months``, ``every 10000 km`` or ``every 6 months or 10000 km``."""
    t = _norm(text)
    time_part: Recurrence | None = None
    usage: tuple[float, str] | None = None
    for part in (p.strip() for p in t.split(" or ")):
        found = _usage(part)
        if found is not None and usage is None:
            usage = found
            continue
        if found is not None or time_part is not None or not part:
            raise _bad("a schedule", text, _SCHED_HINT)
        phrase = part if part.startswith("every ") or "=" in part or part in _SIMPLE \
            else f"every {part}"
        try:
            time_part = parse_recurrence(phrase)
        except InvalidInput:
            raise _bad("a schedule", text, _SCHED_HINT) from None
    if time_part is None and usage is None:
        raise _bad("a schedule", text, _SCHED_HINT)
    amount, unit = usage if usage else (None, None)
    return Schedule(time_part, amount, unit)


def parse_time_range(text: str) -> tuple[time, time]:
    """Parse ``22:00-07:00`` (may wrap past midnight) as (start, end)."""
    start, sep, end = _norm(text).partition("-")
    if not sep:
        raise _bad("a time range", text, "use HH:MM-HH:MM, e.g. 22:00-07:00")
    first, last = parse_time(start.strip()), parse_time(end.strip())
    if first == last:
        raise _bad("a time range", text, "start and end are the same")
    return first, last


def in_time_range(moment: time, start: time, end: time) -> bool:
    """Whether ``moment`` is in [start, end), a range that may wrap past midnight."""
    return start <= moment < end if start < end else moment >= start or moment < end


def parse_date_or_datetime(text: str, *, now: datetime | None = None) -> date | datetime:
    """A date phrase (``2026-11-23``) or a date with a time (``tomorrow 08:30``)."""
    if _WITH_TIME.fullmatch(_norm(text)) is None:
        return parse_date(text, today=(now or datetime.now()).date())
    return parse_datetime(text, now=now)


def parse_until(text: str, *, now: datetime | None = None, morning: time = time()
                ) -> datetime:
    """A time from now (``2h``, ``90 min``, ``1h30min``, ``3d``: relative to now) or a
    date with or without a time (``tomorrow``, ``fri 14:00``, ``2026-12-01 09:00``); a
    date without one is that day at ``morning`` (``remind.morning``)."""
    current = now or datetime.now().replace(microsecond=0)
    t = _norm(text)
    span = re.sub(r"^an? ", "1 ", t.removeprefix("in ").removeprefix("+"))
    if (m := _HOURS.fullmatch(span)) and (m[1] or m[2]):
        later = current + timedelta(hours=int(m[1] or 0), minutes=int(m[2] or 0))
        return _ranged(later, "a date", text)
    try:
        rd = parse_duration(span)
    except InvalidInput:
        return _until_day(t, text, current, morning)
    return _ranged(current + rd, "a date", text)


def _until_day(t: str, text: str, now: datetime, morning: time) -> datetime:
    try:
        if t == "now" or _WITH_TIME.fullmatch(t):
            return parse_datetime(text, now=now)
        return datetime.combine(parse_date(text, today=now.date()), morning)
    except InvalidInput:
        if _written(t) or _WITH_TIME.fullmatch(t):
            raise
        raise _bad("a date or time", text, _UNTIL_HINT) from None


def parse_every(text: str) -> Recurrence:
    """``--every`` values: a recurrence, with or without the leading ``every``."""
    t = _norm(text)
    if "=" in t or t.startswith("every ") or t in _SIMPLE:
        return parse_recurrence(text)
    try:
        return parse_recurrence(f"every {t}")
    except InvalidInput:
        return parse_recurrence(text)

# -- bank exports ------------------------------------------------------------

@lru_cache(maxsize=4096)
def parse_date_format(text: str, fmt: str) -> date:
    """A date written in a strptime format (bank exports: ``%d/%m/%Y``).

    Cached: an export repeats the same few hundred dates many times.
    """
    value = text.strip()
    try:
        day = datetime.strptime(value, fmt).date()
    except ValueError:
        raise _bad("a date", text, f"does not match the date format {fmt!r}") from None
    return _ranged(day, "a date", text)
