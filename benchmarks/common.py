"""Timing whole processes, and the floors every stuffctl figure is compared with."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

PY = sys.executable
HELLO = '''
import typer
app = typer.Typer()
@app.command()
def hello(name: str = "world"):
    print(f"hello {name}")
app()
'''
ORM_HELLO = '''
import sys, typer
from sqlmodel import create_engine, text
app = typer.Typer()
@app.command()
def count(db: str):
    with create_engine(f"sqlite:///{db}").connect() as c:
        print(c.execute(text("select count(*) from sqlite_master")).scalar())
app()
'''
RAW_AGGREGATE = '''
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
rows = c.execute("select substr(occurred_on,1,7) m, category, sum(amount_minor) from txn "
                 "group by m, category").fetchall()
print(len(rows))
'''


def stuffctl() -> list[str]:
    """The console script of this interpreter's environment (a pyenv shim on PATH would
    add ~90 ms of bash to every run), else the one on PATH, else ``python -m``."""
    beside = Path(PY).parent / "stuffctl"
    found = str(beside) if beside.exists() else shutil.which("stuffctl")
    return [found] if found else [PY, "-m", "stuffctl"]


@dataclass
class Timing:
    name: str
    median_ms: float
    runs: int


def time_command(name: str, argv: Sequence[str], *, runs: int = 7,
                 env: dict[str, str] | None = None, check: bool = True) -> Timing:
    """Median wall time of ``argv`` as a whole process, after one warm-up run."""
    samples = [run_once(name, argv, env=env, check=check) for _ in range(runs + 1)]
    return Timing(name, statistics.median(samples[1:]), runs)


def run_once(name: str, argv: Sequence[str], *, env: dict[str, str] | None = None,
             check: bool = True) -> float:
    """Wall time of one run of ``argv``, in ms (exit 10/11: stuffctl's "there is work")."""
    start = time.perf_counter()
    done = subprocess.run(list(argv), capture_output=True, env=env)
    elapsed = (time.perf_counter() - start) * 1000
    if check and done.returncode not in (0, 10, 11):
        raise SystemExit(f"{name} failed ({done.returncode}): {done.stderr.decode()[:300]}")
    return elapsed


def script(code: str) -> Path:
    path = Path(tempfile.mkdtemp(prefix="stuffctl-bench-")) / "script.py"
    path.write_text(code)
    return path


def floor_commands(db: Path) -> dict[str, tuple[str, list[str]]]:
    """The floors of the design: interpreter, Typer hello, Typer+SQLModel hello, raw sqlite3."""
    return {
        "python": ("python3 -c pass", [PY, "-c", "pass"]),
        "typer": ("Typer hello", [PY, str(script(HELLO))]),
        "orm": ("Typer + SQLModel hello (opens the db)", [PY, str(script(ORM_HELLO)), str(db)]),
        "raw": ("raw sqlite3 monthly-by-category aggregate",
                [PY, str(script(RAW_AGGREGATE)), str(db)]),
    }


def floors(commands: dict[str, tuple[str, list[str]]], *, runs: int,
           env: dict[str, str]) -> dict[str, Timing]:
    return {key: time_command(name, argv, runs=runs, env=env)
            for key, (name, argv) in commands.items()}


def time_pair(argv: Sequence[str], floor: Sequence[str], *, runs: int,
              env: dict[str, str]) -> tuple[float, float]:
    """Medians of ``argv`` and its ``floor``, run alternately after a warm-up of each, so
    that a machine getting busier or calmer during the run moves both alike."""
    pairs = [(run_once(str(argv), argv, env=env), run_once(str(floor), floor, env=env))
             for _ in range(runs + 1)][1:]
    return (statistics.median(a for a, _ in pairs), statistics.median(b for _, b in pairs))


def bench_env(home: Path) -> dict[str, str]:
    env = dict(os.environ, STUFFCTL_HOME=str(home), NO_COLOR="1")
    env.pop("STUFFCTL_DB", None)
    return env


def table(rows: list[tuple[str, float, str, float, str]]) -> str:
    """Markdown: what, median, floor, ratio, target."""
    out = ["| what | median | floor | ratio | target |", "|---|---:|---|---:|---|"]
    for what, ms, floor, ratio, target in rows:
        out.append(f"| {what} | {ms:,.0f} ms | {floor} | {ratio:.2f}× | {target} |")
    return "\n".join(out)
