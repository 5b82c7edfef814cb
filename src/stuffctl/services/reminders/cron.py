"""Text for `remind cron`: a crontab line and a systemd user service and timer."""

from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path


def command_words() -> list[str]:
    """How to start this stuffctl from cron: the installed script, else this Python."""
    found = shutil.which("stuffctl")
    return [found] if found else [sys.executable, "-m", "stuffctl"]


def run_words(db: Path) -> list[str]:
    return [*command_words(), "--db", str(db.resolve()), "remind", "run", "--quiet-hours"]


def crontab_line(db: Path, every_minutes: int = 15) -> str:
    return f"*/{every_minutes} * * * * {shlex.join(run_words(db))}"


def systemd_units(db: Path, every_minutes: int = 15) -> dict[str, str]:
    """``stuffctl-remind.service`` and ``stuffctl-remind.timer`` (Persistent=true)."""
    exec_line = " ".join(_systemd_quote(w) for w in run_words(db))
    service = ("[Unit]\nDescription=stuffctl reminders\n\n[Service]\nType=oneshot\n"
               f"ExecStart={exec_line}\n")
    timer = ("[Unit]\nDescription=Run stuffctl reminders every "
             f"{every_minutes} minutes\n\n[Timer]\nOnCalendar=*:0/{every_minutes}\n"
             "Persistent=true\n\n[Install]\nWantedBy=timers.target\n")
    return {"stuffctl-remind.service": service, "stuffctl-remind.timer": timer}


def _systemd_quote(word: str) -> str:
    if word and all(ch.isalnum() or ch in "/._-=:+@" for ch in word):
        return word
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'
