"""Save pictures of `stuffctl status` and `stuffctl bench` on the demo home as SVG.

    PYTHONPATH=src python docs/pictures.py

Builds the demo household (seed 1, as of a fixed day so the pictures only change
when the code does) in a temporary home and writes docs/img/status.svg and
docs/img/bench.svg with Rich's console export.
"""

from __future__ import annotations

import io
import os
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 23)
WIDTH = 100


def main() -> None:
    for name in ("NO_COLOR", "_TYPER_FORCE_DISABLE_TERMINAL", "STUFFCTL_DB"):
        os.environ.pop(name, None)
    with tempfile.TemporaryDirectory() as home:
        os.environ["STUFFCTL_HOME"] = home
        save(*screens())


def screens() -> tuple[object, object]:
    from stuffctl import config, render, store
    from stuffctl.render import bench as bench_render
    from stuffctl.render import status as status_render
    from stuffctl.services import demo, status
    from stuffctl.services.bench import summary

    for module in (render, bench_render, status_render):
        module.is_terminal = lambda: True  # type: ignore[attr-defined]  # drawn as on a TTY
    with store.session(write=True) as s:
        demo.build(session=s, seed=1, today=TODAY)
    with store.session() as s:
        state = status.status(db=s, today=TODAY)
        marks = summary.bench(db=s, unit="month", vs="median", today=TODAY,
                              currency=str(config.get("currency")))
    store.dispose_all()
    return status_render.status_view(state), bench_render.bench_view(marks)


def save(status_view: object, bench_view: object) -> None:
    from rich.console import Console

    out = ROOT / "docs" / "img"
    out.mkdir(exist_ok=True)
    for name, view in (("status", status_view), ("bench", bench_view)):
        console = Console(record=True, width=WIDTH, force_terminal=True, file=io.StringIO())
        console.print(view)
        svg = console.export_svg(title=f"stuffctl {name}")
        (out / f"{name}.svg").write_text(svg, encoding="utf-8")
        print(f"wrote {out / f'{name}.svg'}")


if __name__ == "__main__":
    main()
