"""Text for `remind cron`: a crontab line and a systemd user service and timer.

Both run `remind run` with this home's database (a server database by its URL without
the password, which libpq reads from ``~/.pgpass``) and config: cron and the
systemd user manager start it with neither ``STUFFCTL_HOME`` nor
``XDG_CONFIG_HOME``, so the run is told the config directory whenever either
moved it (else it would read another config: no ``notify.command``, no quiet
hours, another currency).
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path


def command_words() -> list[str]:
    """How to start this stuffctl from cron: the installed script, else this Python."""
    found = shutil.which("stuffctl")
    return [found] if found else [sys.executable, "-m", "stuffctl"]


def run_words(db: Path | str | None) -> list[str]:
    """``db``: the SQLite file, a server database's URL (without its password), or None
    when the config's ``db_url`` names it (the run reads the same config)."""
    named = [] if db is None else ["--db", db if isinstance(db, str) else str(db.resolve())]
    return [*command_words(), *named, "remind", "run", "--quiet-hours"]


def database() -> Path | str | None:
    """What the run is told of the database in use (see ``run_words``)."""
    from stuffctl import paths

    url = paths.db_url()
    if url is None:
        return paths.db_path()
    if paths.named_db() is None:
        return None
    from stuffctl.store.postgres import redacted

    return redacted(url)


def run_env() -> dict[str, str]:
    """What the run's environment must set to read this config: ``STUFFCTL_HOME`` (the
    database is named by ``--db``) when it is set here, or when ``XDG_CONFIG_HOME``
    moves the config directory; else nothing."""
    from stuffctl import paths

    if paths.home() is None and not os.environ.get("XDG_CONFIG_HOME"):
        return {}
    return {"STUFFCTL_HOME": str(paths.config_dir().resolve())}


def crontab_line(db: Path | str | None, every_minutes: int = 15) -> str:
    """A crontab line; ``%`` (a newline to cron) escaped as ``\\%``."""
    assignments = [f"{name}={shlex.quote(value)}" for name, value in run_env().items()]
    command = " ".join([*assignments, shlex.join(run_words(db))])
    return f"*/{every_minutes} * * * * " + command.replace("%", "\\%")


def systemd_units(db: Path | str | None, every_minutes: int = 15) -> dict[str, str]:
    """``stuffctl-remind.service`` and ``stuffctl-remind.timer`` (Persistent=true)."""
    exec_line = " ".join(_systemd_quote(w.replace("$", "$$")) for w in run_words(db))
    env = "".join(f"Environment={_systemd_quote(f'{name}={value}')}\n"
                  for name, value in run_env().items())
    service = ("[Unit]\nDescription=stuffctl reminders\n\n[Service]\nType=oneshot\n"
               f"{env}ExecStart={exec_line}\n")
    timer = ("[Unit]\nDescription=Run stuffctl reminders every "
             f"{every_minutes} minutes\n\n[Timer]\nOnCalendar=*:0/{every_minutes}\n"
             "Persistent=true\n\n[Install]\nWantedBy=timers.target\n")
    return {"stuffctl-remind.service": service, "stuffctl-remind.timer": timer}


def _systemd_quote(word: str) -> str:
    """One word of ``ExecStart=`` or ``Environment=``: ``%%`` for ``%`` (a specifier),
    C-style double quotes around anything but plain path characters."""
    word = word.replace("%", "%%")
    if word and all(ch.isalnum() or ch in "/._-=:+@%" for ch in word):
        return word
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'
