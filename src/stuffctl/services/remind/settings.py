"""Reminder settings read from config (keys in :mod:`stuffctl.config_reminders`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time, timedelta
from functools import lru_cache
from typing import Any

from stuffctl import config
from stuffctl.config_reminders import BANDS, KINDS, NOTIFY

__all__ = ["BANDS", "KINDS", "NOTIFY", "Settings", "duration"]


@lru_cache(maxsize=512)
def duration(text: str) -> Any:
    """A lead or band duration: a ``timedelta`` when it is whole days and weeks (adding
    one is ~50 times cheaper than a ``relativedelta``, and the engine adds two per
    occurrence), else the ``relativedelta`` of months and years."""
    from stuffctl.dates import parse_duration

    rd = parse_duration(text)
    return rd if rd.years or rd.months else timedelta(days=rd.days)


@dataclass(frozen=True)
class Settings:
    values: dict[str, Any]
    # per-kind answers, asked twice for each of thousands of occurrences
    memo: dict[tuple[str, str], Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def load(cls) -> Settings:
        return cls(config.effective())

    def per_kind(self, name: str, kind: str, default_key: str) -> Any:
        key = (name, kind)
        if key not in self.memo:
            value = self.values.get(name.replace("*", kind))
            self.memo[key] = self.values[default_key] if value is None else value
        return self.memo[key]

    def lead(self, kind: str) -> str:
        return str(self.per_kind("lead.*", kind, "lead.default"))

    def lead_delta(self, lead: str) -> Any:
        return duration(lead)

    def notify(self, kind: str) -> str:
        return str(self.per_kind("notify.*", kind, "notify.default"))

    def soon(self, kind: str) -> timedelta:
        return timedelta(days=int(self.per_kind("bands.*.soon_days", kind, "bands.soon_days")))

    def longest_soon(self) -> timedelta:
        """The widest "soon" band of any kind: nothing due later can be soon yet."""
        return max(self.soon(kind) for kind in (*KINDS, "default"))

    def overdue_after(self) -> Any:
        return duration(str(self.values["bands.overdue_after"]))

    def lookback(self) -> Any:
        return duration(str(self.values["remind.lookback"]))

    def quiet_hours(self) -> tuple[time, time] | None:
        from stuffctl.dates import parse_time_range

        text = str(self.values.get("remind.quiet_hours") or "")
        return parse_time_range(text) if text else None

    def command(self) -> list[str]:
        return list(self.values.get("notify.command") or [])

