"""How each person wants to hear: the kinds of their role, the bands of their temperament,
now or in a digest, and quiet hours (``stuffctl person notify PERSON --profile …``;
docs/notify.md).

A profile is four settings, each a fine-grained key; a preset sets several at once:

- ``kinds``: groups or kinds, comma-separated: ``money`` (budgets, subscriptions,
  anomalies), ``upkeep`` (maintenance, warranties, stock), ``plans`` (tasks, projects, own
  reminders), ``loans``, ``anomalies``; or any kind (``renewal``, ``task``, …); ``all``.
- ``bands``: ``proactive`` (each band as it is reached: upcoming, soon, due, overdue;
  expired, for a warranty),
  ``reactive`` (overdue only), ``anomalies`` (only anomaly alerts, whatever the kinds
  say), or bands, comma-separated (``due,overdue``).
- ``digest``: ``off`` (each at once), ``daily HH:MM``, ``weekly DAY HH:MM``.
- ``quiet``: ``HH:MM-HH:MM`` (nothing is sent inside; held until it ends), or ``off``.

A person with no profile hears as the household's config says (``notify.<kind>``,
``remind.quiet_hours``), at once: the single-person case needs no setup.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from typing import Any

from stuffctl.errors import InvalidInput
from stuffctl.services.remind.settings import BANDS, KINDS, Settings

ANOMALIES = ("alert_budget", "alert_spend", "alert_price")
GROUPS: dict[str, tuple[str, ...]] = {
    "money": ("renewal", "cancel_by", *ANOMALIES),
    "upkeep": ("maintenance", "warranty", "stock"),
    "plans": ("task", "project", "reminder"),
    "loans": ("loan",),
    "anomalies": ANOMALIES,
}
ALL_KINDS = (*KINDS, *ANOMALIES)
TEMPERAMENTS: dict[str, tuple[str, ...]] = {
    "proactive": BANDS, "reactive": ("overdue",), "anomalies": BANDS,
}
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Profile:
    kinds: str = "all"
    bands: str = "proactive"
    digest: str = "off"
    quiet_hours: str = ""

    def hears(self, kind: str, band: str) -> bool:
        """Whether an occurrence of ``kind`` reaching ``band`` is for them."""
        if self.bands == "anomalies":
            return kind in ANOMALIES
        return kind in expand_kinds(self.kinds) and band in expand_bands(self.bands)

    def as_json(self) -> dict[str, Any]:
        return {"kinds": self.kinds, "bands": self.bands, "digest": self.digest,
                "quiet_hours": self.quiet_hours or None}


PRESETS: dict[str, tuple[str, Profile]] = {
    "everything": ("every kind, each band as it is reached, at once", Profile()),
    "planner": ("plans (tasks, projects, own reminders), proactive, at once",
                Profile(kinds="plans")),
    "operations": ("upkeep, loans and own reminders, proactive, at once",
                   Profile(kinds="upkeep,loans,reminder")),
    "budget": ("money (budgets, subscriptions, anomalies), proactive, at once",
               Profile(kinds="money")),
    "reactive": ("every kind, only once it is overdue", Profile(bands="reactive")),
    "anomalies": ("only anomalies (a budget passed, unusual spending, a price change)",
                  Profile(bands="anomalies")),
    "digest": ("every kind, proactive, in one message a day at 08:00",
               Profile(digest="daily 08:00")),
}


def expand_kinds(text: str) -> frozenset[str]:
    found: set[str] = set()
    for word in text.split(","):
        found |= set(ALL_KINDS) if word == "all" else set(GROUPS.get(word, (word,)))
    return frozenset(found)


def expand_bands(text: str) -> frozenset[str]:
    found: set[str] = set()
    for word in text.split(","):
        found |= set(TEMPERAMENTS.get(word, (word,)))
    return frozenset(found)


def _kinds(text: str) -> str:
    words = [w.strip().lower() for w in text.split(",") if w.strip()]
    known = {"all", *GROUPS, *ALL_KINDS}
    wrong = [w for w in words if w not in known]
    if not words or wrong:
        raise InvalidInput(f"--profile kinds: unknown {', '.join(wrong) or 'nothing'} "
                           f"(groups: all, {', '.join(GROUPS)}; kinds: {', '.join(ALL_KINDS)})")
    return ",".join(dict.fromkeys(words))


def _bands(text: str) -> str:
    words = [w.strip().lower() for w in text.split(",") if w.strip()]
    if len(words) == 1 and words[0] in TEMPERAMENTS:
        return words[0]
    wrong = [w for w in words if w not in BANDS]
    if not words or wrong:
        raise InvalidInput(f"--profile bands: expected {', '.join(TEMPERAMENTS)} or bands "
                           f"({', '.join(BANDS)}), got {text!r}")
    return ",".join(b for b in BANDS if b in words)


def _clock(text: str, what: str) -> time:
    try:
        hours, minutes = text.split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise InvalidInput(f"--profile {what}: expected a time as HH:MM, got {text!r}") from None


def _digest(text: str) -> str:
    words = text.lower().split()
    if words == ["off"]:
        return "off"
    if len(words) == 2 and words[0] == "daily":
        return f"daily {_clock(words[1], 'digest'):%H:%M}"
    if len(words) == 3 and words[0] == "weekly" and words[1][:3] in DAYS:
        return f"weekly {words[1][:3]} {_clock(words[2], 'digest'):%H:%M}"
    raise InvalidInput(f"--profile digest: expected off, 'daily HH:MM' or 'weekly DAY HH:MM', "
                       f"got {text!r}")


def _quiet(text: str) -> str:
    from stuffctl.dates import parse_time_range

    if text.strip().lower() in ("off", ""):
        return ""
    try:
        first, last = parse_time_range(text)
    except (ValueError, InvalidInput):
        raise InvalidInput(f"--profile quiet: expected HH:MM-HH:MM or off, got {text!r}"
                           ) from None
    return f"{first:%H:%M}-{last:%H:%M}"


KEYS = {"kinds": ("kinds", _kinds), "bands": ("bands", _bands), "digest": ("digest", _digest),
        "quiet": ("quiet_hours", _quiet)}


def apply(profile: Profile, settings: list[str]) -> Profile:
    """``profile`` with each ``--profile`` value applied in order: a preset's name, or
    ``key=value`` (``kinds``, ``bands``, ``digest``, ``quiet``)."""
    for setting in settings:
        key, eq, value = setting.partition("=")
        key = key.strip().lower()
        if not eq:
            if key not in PRESETS:
                raise InvalidInput(f"--profile: {setting!r} is neither a preset "
                                   f"({', '.join(PRESETS)}) nor key=value ({', '.join(KEYS)})")
            profile = PRESETS[key][1]
            continue
        if key not in KEYS:
            raise InvalidInput(f"--profile: unknown key {key!r} (keys: {', '.join(KEYS)})")
        field, check = KEYS[key]
        profile = replace(profile, **{field: check(value.strip())})
    return profile


def household(settings: Settings) -> Profile:
    """The profile of a person who set none: the config's ``notify.<kind>`` (``all``,
    ``overdue-only``, ``off``) and ``remind.quiet_hours``, at once."""
    return Profile(kinds="config", bands="config", quiet_hours=str(
        settings.values.get("remind.quiet_hours") or ""))


def hears(profile: Profile, settings: Settings, kind: str, band: str) -> bool:
    if profile.kinds == "config":
        pref = settings.notify(kind)
        return pref == "all" or (pref == "overdue-only" and band == "overdue")
    return profile.hears(kind, band)


def in_quiet(profile: Profile, now: datetime) -> datetime | None:
    """When the quiet hours ``now`` is in end, or None when it is in none."""
    from stuffctl.dates import in_time_range, parse_time_range

    if not profile.quiet_hours:
        return None
    first, last = parse_time_range(profile.quiet_hours)
    if not in_time_range(now.time(), first, last):
        return None
    end = datetime.combine(now.date(), last)
    return end if end > now else end + timedelta(days=1)


def next_digest(profile: Profile, last: datetime | None, now: datetime) -> datetime | None:
    """The local time of the digest after ``last`` (the last one made; None: never, and
    then the first one at or after ``now``'s day); None for no digest."""
    words = profile.digest.split()
    if words[0] == "off":
        return None
    at = _clock(words[-1], "digest")
    start = last if last is not None else datetime.combine(now.date(), time()) - \
        timedelta(microseconds=1)
    day = start.date()
    while True:
        moment = datetime.combine(day, at)
        if moment > start and (words[0] == "daily" or DAYS[day.weekday()] == words[1]):
            return moment
        day += timedelta(days=1)
