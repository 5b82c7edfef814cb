"""``stuffctl demo``: a realistic household in a separate home, shown at once."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Annotated

import typer

from stuffctl import render
from stuffctl.errors import Conflict

MARKER = ".stuffctl-demo"


def default_home() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("stuffctl")) / "demo"


def _fresh(home: Path) -> None:
    """Empty ``home`` for a new demo; refuse to touch anything that is not a demo."""
    if home.exists() and any(home.iterdir()):
        if not (home / MARKER).exists():
            raise Conflict(f"{home} exists and is not a demo home; pick another --home")
        shutil.rmtree(home)
    from stuffctl import paths

    paths.ensure_dir(home)
    paths.write_atomic(home / MARKER, b"made by `stuffctl demo`; safe to delete\n")


def demo(
    home: Annotated[Path | None, typer.Option("--home", help="Where to create it "
                    "(default: a 'demo' folder in the user data directory).")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same household.")] = 1,
) -> None:
    """Create a demo household in a separate home and show it."""
    from datetime import date

    from stuffctl import paths, store
    from stuffctl.services import demo as demo_service

    target = (home or default_home()).expanduser().resolve()
    _fresh(target)
    os.environ["STUFFCTL_HOME"] = str(target)
    # Its own database only: --db and STUFFCTL_DB name the person's real one.
    paths.set_db_override(target / paths.DB_NAME)
    with store.transaction(write=True) as db:
        demo_service.build(db=db, seed=seed, today=date.today())
    render.note(f"demo home created in {target}")
    unset = "unset STUFFCTL_DB; " if os.environ.get("STUFFCTL_DB") else ""
    render.note(f"look around: {unset}export STUFFCTL_HOME={target}; stuffctl asset list")
    from stuffctl.cli.bench import show as bench
    from stuffctl.cli.status import status

    status()
    bench()
