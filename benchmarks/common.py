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
# The floor of a command whose cost is its SQL: the very statements the command ran
# (``traced``), run again from bare Python + sqlite3, every row fetched and printed as
# JSON: the same rows read, about the same output written, none of stuffctl's code.
REPLAY = '''
import json, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for statement in json.load(open(sys.argv[2])):
    print(json.dumps(c.execute(statement).fetchall()))
'''
# The same from a Typer command (two parameters): the floor of a command whose SQL is
# quick, so that start-up is most of it (the Typer hello's start-up plus its SQL).
TYPER_REPLAY = '''
import json, sqlite3, typer
app = typer.Typer()
@app.command()
def replay(db: str, statements: str):
    c = sqlite3.connect(db)
    for statement in json.load(open(statements)):
        print(json.dumps(c.execute(statement).fetchall()))
app()
'''
# Run a stuffctl command in-process with every statement SQLite runs recorded (its
# expanded text: parameters in place), and write the reads to a JSON file.
TRACE = '''
import json, sqlite3, sys
seen = []
plain = sqlite3.connect
def connect(*args, **kwargs):
    conn = plain(*args, **kwargs)
    conn.set_trace_callback(seen.append)
    return conn
sqlite3.connect = connect
from stuffctl.cli.main import run
code = run(sys.argv[2:])
reads = [s for s in seen if s.lstrip().upper().startswith(("SELECT", "WITH"))]
json.dump(reads, open(sys.argv[1], "w"))
sys.exit(code)
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
    """The floors of the design: interpreter, Typer hello, Typer+SQLModel hello. A
    command's own SQL is a floor of its own (``same_sql``)."""
    return {
        "python": ("python3 -c pass", [PY, "-c", "pass"]),
        "typer": ("Typer hello", [PY, str(script(HELLO))]),
        "orm": ("Typer + SQLModel hello (opens the db)", [PY, str(script(ORM_HELLO)), str(db)]),
    }


def same_sql(argv: Sequence[str], env: dict[str, str], *, typer: bool = False
             ) -> tuple[str, list[str]]:
    """The floor of ``stuffctl argv``: the reads it runs, traced in one run of it, then
    run from bare Python + sqlite3 (``REPLAY``) on the same database, or with ``typer``
    from a Typer command (``TYPER_REPLAY``)."""
    home = Path(env["STUFFCTL_HOME"])
    statements = Path(tempfile.mkdtemp(prefix="stuffctl-bench-")) / "statements.json"
    subprocess.run([PY, str(script(TRACE)), str(statements), *argv], env=env, check=True,
                   capture_output=True)
    if typer:
        return ("the same SQL from a Typer command",
                [PY, str(script(TYPER_REPLAY)), str(home / "stuffctl.db"), str(statements)])
    return ("the same SQL in bare Python + sqlite3",
            [PY, str(script(REPLAY)), str(home / "stuffctl.db"), str(statements)])


def floors(commands: dict[str, tuple[str, list[str]]], *, runs: int,
           env: dict[str, str]) -> dict[str, Timing]:
    return {key: time_command(name, argv, runs=runs, env=env)
            for key, (name, argv) in commands.items()}


def time_pair(argv: Sequence[str], floor: Sequence[str], *, runs: int,
              env: dict[str, str], each: Sequence[str] = ()) -> tuple[float, float]:
    """Medians of ``argv`` and its ``floor``, run alternately after a warm-up of each, so
    that a machine getting busier or calmer during the run moves both alike. An argument
    ``{n}`` in ``argv`` is ``each[run]``: a command that cannot run twice on the same
    thing (``task done {n}``) gets a new one each time."""
    pairs = [(run_once(str(argv), argv, env=env), run_once(str(floor), floor, env=env))
             for argv in _each(argv, runs + 1, each)][1:]
    return (statistics.median(a for a, _ in pairs), statistics.median(b for _, b in pairs))


def _each(argv: Sequence[str], times: int, each: Sequence[str]) -> list[list[str]]:
    if "{n}" not in argv:
        return [list(argv)] * times
    return [[each[n] if a == "{n}" else a for a in argv] for n in range(times)]


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
