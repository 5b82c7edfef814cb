"""One colour theme: what each state looks like, on a terminal only.

A state is a word for how urgent or how good something is; every table and screen shows
it through this one mapping, so "overdue" looks the same in ``task list``, ``remind
list`` and ``status``:

    state         style          meaning
    overdue       bold red       past its date
    due, today    bold yellow    due now / today
    soon          yellow         due within a few days (the "soon" band)
    over_budget   bold red       spent more than the budget
    near_budget   yellow         80 % of the budget or more
    worse         red            worse than usual (bench)
    better        green          better than usual (bench)
    done, muted   dim            finished, blocked, or not worth the eye
    header        bold           a table's header line
    title         bold           a table's or a section's title

The API (no Rich at import):

- ``style(state) -> str``: the Rich style string ("" for no state or an unknown one),
  for Rich renderables: ``Text(value, style=theme.style("overdue"))``.
- ``colour() -> bool``: whether escape codes may be written at all: stdout is a terminal
  (or one is forced with ``FORCE_COLOR``) and ``NO_COLOR`` is not set.
- ``sgr(state) -> str`` / ``paint(text, state) -> str``: the ANSI start code / the text
  wrapped in it and a reset; "" / the text unchanged when ``colour()`` is off.
- ``due_state(value, today=None) -> str | None``: "overdue", "today" or "soon" for a due
  date (ISO text, optionally with a time), else None.
- ``band_state(band) -> str | None``: a reminder band ("overdue", "due", "soon") as a state.

Tables mark state through their columns (``render.Column(state=…, row_state=…)``): a
function of the row returns the state, which styles that cell or, with
``row_state=True``, the whole row, whether or not that column fits on the screen.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from typing import Any

STYLES: dict[str, str] = {
    "overdue": "bold red",
    "due": "bold yellow",
    "today": "bold yellow",
    "soon": "yellow",
    "over_budget": "bold red",
    "near_budget": "yellow",
    "worse": "red",
    "better": "green",
    "done": "dim",
    "muted": "dim",
    "header": "bold",
    "title": "bold",
}
SOON_DAYS = 3
RESET = "\x1b[0m"
_SGR = {"bold": "1", "dim": "2", "italic": "3", "underline": "4", "black": "30",
        "red": "31", "green": "32", "yellow": "33", "blue": "34", "magenta": "35",
        "cyan": "36", "white": "37"}
_codes: dict[str, str] = {}


def style(state: str | None) -> str:
    """The Rich style of ``state``: "" for None or a state the theme does not colour."""
    return STYLES.get(state or "", "")


def terminal() -> bool:
    """Whether stdout is shown to a person: a terminal, or one forced with ``FORCE_COLOR``
    (as Rich and Typer do); never with ``_TYPER_FORCE_DISABLE_TERMINAL`` (tests, docs)."""
    if os.environ.get("_TYPER_FORCE_DISABLE_TERMINAL"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or sys.stdout.isatty()


def colour() -> bool:
    """Whether escape codes may be written: a terminal and no ``NO_COLOR``."""
    return not os.environ.get("NO_COLOR") and terminal()


def sgr(state: str | None) -> str:
    """The ANSI code that starts ``state``'s style, or "" (no colour, or a plain state)."""
    spec = style(state)
    if not spec or not colour():
        return ""
    code = _codes.get(spec)
    if code is None:
        code = _codes[spec] = "\x1b[" + ";".join(
            _SGR[word] for word in spec.split() if word in _SGR) + "m"
    return code


def paint(text: str, state: str | None) -> str:
    """``text`` in ``state``'s style, or unchanged when there is nothing to paint."""
    code = sgr(state)
    return f"{code}{text}{RESET}" if code and text else text


_today: list[Any] = []  # [date, its ISO text], once per command (forget)


def forget() -> None:
    """Look at the clock again on next use (each command line run in one process)."""
    _today.clear()


def due_state(value: Any, today: date | None = None) -> str | None:
    """How urgent a due date is: "overdue", "today", "soon" (within ``SOON_DAYS``) or None."""
    if not value:
        return None
    day = str(value)[:10]
    if today is None:
        if not _today:
            now = date.today()
            _today[:] = [now, now.isoformat()]
        now, iso = _today
    else:
        now, iso = today, today.isoformat()
    if day < iso:
        return "overdue"
    if day == iso:
        return "today"
    try:
        return "soon" if (date.fromisoformat(day) - now).days <= SOON_DAYS else None
    except ValueError:
        return None


BANDS = {"overdue": "overdue", "due": "due", "soon": "soon", "expired": "muted"}


def band_state(band: Any) -> str | None:
    """A reminder's band as a state: overdue, due or soon; an expired warranty muted (it
    asks for nothing); None for later ones."""
    return BANDS.get(band) if isinstance(band, str) else None
