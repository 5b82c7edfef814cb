"""Save pictures of the main screens on the demo home as SVG, at 80 and 120 columns.

    python docs/pictures.py

Builds the demo household (seed 1) in a temporary home and runs each screen's command
(`status`, `bench`, `report spend`, `report cashflow`, `remind list`, `task list`,
`asset show Car`, `budget status`) in this process as on a colour terminal of that width,
on a clock stopped at a fixed day and time (tests/frozen_clock.py), so the pictures only
change when the code does. Each is written to docs/img/SCREEN-WIDTH.svg (Rich's SVG
export of exactly what the command printed, colours included).
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from contextlib import redirect_stdout
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 23, 9, 30)
WIDTHS = (80, 120)
SCREENS: dict[str, list[str]] = {
    "status": ["status"],
    "bench": ["bench"],
    "report-spend": ["report", "spend"],
    "report-cashflow": ["report", "cashflow"],
    "remind-list": ["remind", "list"],
    "task-list": ["task", "list"],
    "asset-show": ["asset", "show", "Car"],
    "budget-status": ["budget", "status"],
}


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from tests.frozen_clock import frozen

    for name in ("NO_COLOR", "_TYPER_FORCE_DISABLE_TERMINAL", "STUFFCTL_DB", "COLUMNS"):
        os.environ.pop(name, None)
    os.environ["FORCE_COLOR"] = "1"  # a terminal, in colour
    out = ROOT / "docs" / "img"
    out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as home, frozen(NOW):
        os.environ["STUFFCTL_HOME"] = home
        build()
        for width in WIDTHS:
            os.environ["TERMINAL_WIDTH"] = str(width)
            for name, args in SCREENS.items():
                path = out / f"{name}-{width}.svg"
                path.write_text(svg(screen(args), width, f"stuffctl {' '.join(args)}"),
                                encoding="utf-8")
                print(f"wrote {path.relative_to(ROOT)}")
    from stuffctl import store

    store.dispose_all()


def build() -> None:
    from stuffctl import store
    from stuffctl.services import demo

    with store.transaction(write=True) as db:
        demo.build(db=db, seed=1, today=NOW.date())


def screen(args: list[str]) -> str:
    """What ``stuffctl ARGS`` prints, escape codes included."""
    from stuffctl.cli.main import run

    buffer = io.StringIO()
    with redirect_stdout(buffer):
        code = run(args)
    if code:
        raise SystemExit(f"stuffctl {' '.join(args)} failed with exit code {code}")
    return buffer.getvalue()


def svg(output: str, width: int, title: str) -> str:
    from rich.console import Console
    from rich.text import Text

    console = Console(record=True, width=width, force_terminal=True, file=io.StringIO())
    console.print(Text.from_ansi(output), end="", soft_wrap=True)
    return console.export_svg(title=title)


if __name__ == "__main__":
    main()
