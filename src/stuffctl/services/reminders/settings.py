"""Reminder settings read from config (keys in :mod:`stuffctl.config_reminders`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta
from functools import lru_cache
from typing import Any

from stuffctl import config
from stuffctl.config_reminders import BANDS, KINDS, NOTIFY

__all__ = ["BANDS", "KINDS", "NOTIFY", "Settings", "duration"]


@lru_cache(maxsize=512)
def duration(text: str) -> Any:
    from stuffctl.dates import parse_duration

    return parse_duration(text)


@dataclass(frozen=True)
class Settings:
    values: dict[str, Any]

    @classmethod
    def load(cls) -> Settings:
        return cls(config.effective())

    def per_kind(self, name: str, kind: str, default_key: str) -> Any:
        value = self.values.get(name.replace("*", kind))
        return self.values[default_key] if value is None else value

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

