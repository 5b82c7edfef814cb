"""Config keys of reminders: lead times, bands and notification preferences per kind.

Each per-kind key (``lead.<kind>``, ``notify.<kind>``, ``bands.<kind>.soon_days``)
falls back to its default key. Below :mod:`stuffctl.config`, which imports this module
and calls :func:`register_keys` with its own ``register`` (so this module imports no config).
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Container
from typing import Any

from stuffctl.errors import InvalidInput

KINDS = ("reminder", "warranty", "maintenance", "renewal", "cancel_by", "project", "task",
         "loan", "stock")
NOTIFY = ("all", "overdue-only", "off")
BANDS = ("upcoming", "soon", "due", "overdue", "expired")  # expired: a warranty past its end


def _duration(text: str) -> str:
    from stuffctl.dates import format_duration, parse_duration

    return format_duration(parse_duration(text))


def _notify(text: str) -> str:
    if text not in NOTIFY:
        raise InvalidInput(f"expected one of {', '.join(NOTIFY)}")
    return text


def _days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise InvalidInput(f"not a whole number of days: {text!r}") from None
    if not 0 <= value <= 365:
        raise InvalidInput(f"must be 0..365: {text!r}")
    return value


def _command(text: str) -> list[str]:
    """A JSON/TOML array (``["notify-send", "-u", "normal"]``) or shell words."""
    import json

    try:
        value = json.loads(text) if text.lstrip().startswith("[") else shlex.split(text)
    except (ValueError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"not a command: {exc}") from None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput("expected a list of strings, e.g. [\"notify-send\"]")
    return value


def _quiet(text: str) -> str:
    from stuffctl.dates import parse_time_range

    if text.strip() == "":
        return ""
    first, last = parse_time_range(text)
    return f"{first:%H:%M}-{last:%H:%M}"


def _time_of_day(text: str) -> str:
    from stuffctl.dates import parse_time

    return f"{parse_time(text):%H:%M}"


def _nobody(text: str) -> str:
    value = text.strip()
    if not value:
        raise InvalidInput("expected everyone, nobody or a person's name")
    return value


def _bool(text: str) -> bool:
    value = text.strip().lower()
    if value in ("true", "yes", "on", "1"):
        return True
    if value in ("false", "no", "off", "0"):
        return False
    raise InvalidInput(f"expected true or false (got {text!r})")


def register_keys(register: Callable[[str, Any, Callable[[str], Any], str], None],
                  known: Container[str]) -> None:
    """Add the reminder keys with ``register`` (:func:`stuffctl.config.register`);
    ``known`` holds the keys already registered (``lead.warranty`` has its own default)."""
    register("notify.command", [], _command,
             "Command run with a title and a body for new reminders (never via a shell).")
    register("notify.default", "all", _notify, "Which bands to notify: all, overdue-only, off.")
    register("notify.nobody", "everyone", _nobody,
             "Who hears, on their channels, what concerns nobody in particular: everyone "
             "(each person with a channel), nobody, or a person's name (docs/notify.md).")
    register("remind.quiet_hours", "", _quiet,
             "`remind run --quiet-hours` stays silent in this range, e.g. 22:00-07:00.")
    register("remind.morning", "08:00", _time_of_day,
             "`remind snooze ID DATE` snoozes to this time of day when DATE has none "
             "(tomorrow: tomorrow at 08:00).")
    register("bands.soon_days", 7, _days, "An occurrence is 'soon' this many days ahead.")
    register("bands.overdue_after", "1d", _duration,
             "An occurrence is 'overdue' this long after it fell due.")
    register("remind.lookback", "90d", _duration,
             "How far back derived occurrences (warranties, renewals) are still shown.")
    for kind in KINDS:
        if f"lead.{kind}" not in known:
            register(f"lead.{kind}", None, _duration, f"Lead time of {kind} reminders.")
        register(f"notify.{kind}", None, _notify, f"Which {kind} bands to notify.")
        register(f"bands.{kind}.soon_days", None, _days, f"'soon' days for {kind}.")
    register("alerts.budget", True, _bool,
             "`remind run` alerts once when a budget passes 100% this period.")
    register("alerts.unusual_spend", True, _bool,
             "`remind run` alerts once when a category's month-to-date spend is unusual.")
    register("alerts.price_change", True, _bool,
             "`remind run` alerts once when a subscription charge changes price.")
