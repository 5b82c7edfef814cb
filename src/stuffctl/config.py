"""The TOML config file: default currency, date display, lead times, backups.

``KEYS`` is the schema: every known key with its default and a parser that
turns the text a person types (``stuffctl config set KEY VALUE``) into the
stored value, raising ``InvalidInput`` on nonsense. Other modules add their
keys with :func:`register`. The same parser checks the file's values when it is
read (:func:`load`), so a value edited by hand is refused at once, naming the key
and the file, instead of failing later in whatever command uses it.
"""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stuffctl import config_reminders, paths
from stuffctl.errors import InvalidInput, OperationFailed


@dataclass(frozen=True)
class Key:
    name: str
    default: Any
    parse: Callable[[str], Any]
    help: str


KEYS: dict[str, Key] = {}


def register(name: str, default: Any, parse: Callable[[str], Any], help: str) -> None:
    KEYS[name] = Key(name, default, parse, help)


def _currency(text: str) -> str:
    from stuffctl.money import normalise_currency

    return normalise_currency(text)


def _date_display(text: str) -> str:
    if text in ("iso", "relative") or "%" in text:
        return text
    raise InvalidInput("expected iso, relative or a strftime pattern such as %d.%m.%Y")


def _date_order(text: str) -> str:
    from stuffctl.dates import parse_date_order

    return parse_date_order(text)


def _duration(text: str) -> str:
    from stuffctl.dates import format_duration, parse_duration

    return format_duration(parse_duration(text))


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput(f"not a number: {text!r}") from None
    if not math.isfinite(value):
        raise InvalidInput(f"not a finite number: {text!r}")
    return value


def positive_int(text: str) -> int:
    """A whole number of at least 1 (``backups.keep``, the import limits)."""
    try:
        value = int(text)
    except ValueError:
        raise InvalidInput(f"not a whole number: {text!r}") from None
    if value < 1:
        raise InvalidInput(f"must be at least 1: {text!r}")
    return value


register("currency", "EUR", _currency, "Default ISO 4217 currency for amounts without one.")
register("date_display", "iso", _date_display,
         "How tables and views show dates: iso, relative or a strftime pattern (JSON: ISO).")
register("date_order", "", _date_order,
         "How a typed date like 03/04/2026 is read: DMY, MDY or YMD (default, empty: from "
         "the locale; a part above 12 or a year first is read whatever the order).")
register("lead.default", "7d", _duration, "Lead time of reminders without one of their own.")
register("lead.warranty", "30d", _duration, "How long before a warranty ends to remind.")
register("lead.stock", "0d", _duration,
         "How long before a consumable is low to remind; `shopping` looks as far ahead.")
register("backups.keep", 5, positive_int, "How many automatic backups to keep.")


def _db_url(text: str) -> str:
    """A PostgreSQL URL without a password (libpq finds it in ~/.pgpass or PGPASSWORD),
    or '' for the home's own file."""
    from urllib.parse import urlsplit

    if not text:
        return text
    if not paths.is_url(text):
        raise InvalidInput(f"expected a postgresql://user@host/dbname URL: {text!r}")
    if urlsplit(text).password is not None or "password=" in text:
        raise InvalidInput("a password does not belong in the config: put it in ~/.pgpass "
                           "or PGPASSWORD")
    return text


def _folder(text: str) -> str:
    if text and not Path(text).expanduser().is_absolute():
        raise InvalidInput(f"expected an absolute folder: {text!r}")
    return text


register("db_url", "", _db_url,
         "A PostgreSQL server database to use instead of the home's file "
         "(postgresql://user@host/dbname; docs/shared.md).")
register("attachments_dir", "", _folder,
         "Where attachment files live (default: beside the database file); the members "
         "of a server database share one folder.")


def _user(text: str) -> str:
    return " ".join(text.split())


register("user", "", _user,
         "Who you are: a person's name or login (default: $STUFFCTL_USER, else your "
         "database login); rows record who wrote them, --mine and --owner me mean them.")

# Files of a zoneinfo folder that load as zones but name none a calendar app knows.
_NOT_ZONES = ("localtime", "posixrules", "Factory")


def timezone_name(text: str) -> str:
    """An IANA time zone name (``Europe/Amsterdam``), or '' for the system's."""
    from zoneinfo import ZoneInfo

    name = text.strip()
    if not name:
        return ""
    try:
        ZoneInfo(name)
        known = name not in _NOT_ZONES and name.partition("/")[0] not in ("posix", "right")
    except (LookupError, ValueError, OSError):  # not found; a path or no zone file; a folder
        known = False
    if not known:
        raise InvalidInput(f"unknown time zone {text!r}: expected an IANA name such as "
                           "Europe/Amsterdam (empty: the system's)")
    return name


register("open.command", [], config_reminders._command,  # as notify.command
         "Command `stuffctl open` runs with the URL (or a stored file's path) as its last "
         "argument, never via a shell, e.g. xdg-open (default: the web browser Python "
         "finds, $BROWSER first).")
register("timezone", "", timezone_name,
         "The IANA time zone of timed reminders in `remind ics` calendars (Europe/Amsterdam; "
         "default: $TZ, else the zone /etc/localtime links to, else UTC).")


# The coefficients of a task's urgency (services/task/urgency.py reads them from here:
# the config sits below the services and knows none of them).
URGENCY_DEFAULTS: dict[str, float] = {
    "due": 12.0,
    "priority_h": 6.0,
    "priority_m": 3.9,
    "priority_l": 1.8,
    "blocking": 8.0,
    "blocked": -5.0,
    "age": 2.0,
    "project_due": 4.0,
}
URGENCY_HELP: dict[str, str] = {
    "due": "Weight of the task's due date (ramp from 14 days ahead to 7 days overdue).",
    "priority_h": "Added for priority H.",
    "priority_m": "Added for priority M.",
    "priority_l": "Added for priority L.",
    "blocking": "Added when an open task waits on this one.",
    "blocked": "Added (negative) when this task waits on an open task.",
    "age": "Weight of the task's age (capped at a year).",
    "project_due": "Weight of the project's due date (same ramp as a task's).",
}
for name, default in URGENCY_DEFAULTS.items():
    register(f"urgency.{name}", default, _number, f"Urgency coefficient: {URGENCY_HELP[name]}")
config_reminders.register_keys(register, KEYS)
del name, default


def positive_number(text: str) -> float:
    """A finite number above 0 (the ``advice.*`` thresholds)."""
    value = _number(text)
    if value <= 0:
        raise InvalidInput(f"must be above 0: {text!r}")
    return value


# Repair or replace (services/advice.py reads them; docs/reports.md explains them).
register("advice.repair_share", 0.5, positive_number,
         "Repair or replace: replace when repairs in the last 12 months cost this share of "
         "a new one (0.5: half its price).")
register("advice.age_share", 0.8, positive_number,
         "Repair or replace: an asset is old from this share of its expected life on.")
register("advice.incidents_per_year", 2.0, positive_number,
         "Repair or replace: an asset fails too often from this many incidents a year on.")


def load() -> dict[str, Any]:
    """The config file as a flat ``{dotted.key: value}`` dict (no defaults), every known
    key's value checked by its parser (:func:`_checked`)."""
    path = paths.config_path()
    stored = _read()
    for name, value in stored.items():
        if name in KEYS:
            stored[name] = _checked(KEYS[name], value, path)
    return stored


# What a stored value of each kind the parsers return must look like in the file.
_KIND_WORDS = {bool: "true or false", int: "a whole number", float: "a number",
              list: "a list of strings", str: "a string"}


def _checked(key: Key, value: Any, path: Path) -> Any:
    """A value read from the file, checked by the key's own parser (the one ``config
    set`` uses): a string is parsed as if typed; any other value must pass it as text
    and be what it returns (a whole number may stand for a float)."""
    try:
        parsed = key.parse(value if isinstance(value, str) else _as_text(value))
        kind = type(parsed)
        if not (isinstance(value, str) or (type(value) is kind and parsed == value)
                or (kind is float and type(value) is int)):
            raise InvalidInput(f"expected {_KIND_WORDS.get(kind, kind.__name__)}, "
                               f"not {json.dumps(value, default=str)}")
    except InvalidInput as exc:
        raise InvalidInput(f"{path}: {key.name}: {exc.message} (fix it with `stuffctl config "
                           f"set {key.name} VALUE` or `unset`)") from None
    return parsed


def _as_text(value: Any) -> str:
    """A TOML value as ``config set`` would have been given it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, default=str) if isinstance(value, list) else str(value)


def _read() -> dict[str, Any]:
    """The config file as a flat dict, as written (``config set`` and ``unset`` can so
    mend a bad value)."""
    path = paths.config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise OperationFailed(f"cannot read config {path}: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path}: not valid TOML: {exc}") from None
    return _flatten(data)


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and name not in KEYS:
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def effective() -> dict[str, Any]:
    """Every known key with its value: from the file, else the default."""
    stored = load()
    return {name: stored.get(name, key.default) for name, key in sorted(KEYS.items())}


def get(name: str) -> Any:
    key = _key(name)
    return load().get(name, key.default)


def set_value(name: str, text: str) -> Any:
    """Validate ``text`` for ``name``, store it and return the stored value."""
    key = _key(name)
    try:
        value = key.parse(text)
    except InvalidInput as exc:
        raise InvalidInput(f"{name}: {exc.message}") from None
    stored = _read()
    stored[name] = value
    _save(stored)
    return value


def unset(name: str) -> None:
    _key(name)
    stored = _read()
    if stored.pop(name, None) is not None:
        _save(stored)


def _key(name: str) -> Key:
    try:
        return KEYS[name]
    except KeyError:
        known = ", ".join(sorted(KEYS))
        raise InvalidInput(f"unknown config key {name!r} (known: {known})") from None


def _save(flat: dict[str, Any]) -> None:
    import tomli_w

    nested: dict[str, Any] = {}
    for name, value in sorted(flat.items()):
        *parents, leaf = name.split(".")
        node = nested
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    paths.ensure_dir(paths.config_dir())
    paths.write_atomic(paths.config_path(), tomli_w.dumps(nested).encode("utf-8"))
