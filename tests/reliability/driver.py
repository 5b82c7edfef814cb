"""A child process for the reliability tests (run as a script; imports only stuffctl).

    driver.py write COUNT ARGS_JSON        run stuffctl ARGS ({i} = run number) COUNT times;
                                           prints the exit codes and the runs that exited 0
    driver.py read MIN STOPFILE ARGS_JSON  run stuffctl ARGS until STOPFILE exists (at least
                                           MIN times), each must exit 0 with valid JSON
    driver.py go ARGS_JSON                 run stuffctl ARGS once (stdout/stderr as is)
    driver.py hold DBFILE                  take the write lock, change asset 1, print
                                           "locked", commit when a line arrives on stdin
                                           (DBFILE: a file, or a server database's URL)
    driver.py atomic FILE SIZE             write_atomic FILE with alternating contents forever

Every loop goes through ``stuffctl.cli.main.run``, the boundary the console script uses,
so each run is one whole command: its own transaction, error translation and exit code.
write, read and go first import everything (the database is not opened yet), print
"ready" and wait for a line on stdin, so that a test can start children at one moment.
"""

from __future__ import annotations

import contextlib
import io
import json
import sqlite3
import sys
from collections import Counter
from pathlib import Path


def _run_quiet(args: list[str]) -> tuple[int, str]:
    from stuffctl.cli.main import run

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = run(args)
    return code, out.getvalue()


def _ready() -> None:
    """Import everything (without opening the database), say so, wait for the go."""
    import sqlmodel  # noqa: F401

    import stuffctl.services.asset
    import stuffctl.store.sqlite  # noqa: F401
    from stuffctl.cli.main import _command

    _command()
    print("ready", flush=True)
    sys.stdin.readline()


def write(count: str, template: str) -> int:
    words = json.loads(template)
    codes: Counter[int] = Counter()
    acknowledged = []
    _ready()
    for i in range(int(count)):
        code, _ = _run_quiet([w.format(i=i) for w in words])
        codes[code] += 1
        if code == 0:
            acknowledged.append(i)
    print(json.dumps({"codes": codes, "acknowledged": acknowledged}))
    return 0 if set(codes) == {0} else 1


def read(minimum: str, stopfile: str, template: str) -> int:
    args = json.loads(template)
    runs = bad = 0
    _ready()
    while runs < int(minimum) or not Path(stopfile).exists():
        code, out = _run_quiet(args)
        try:
            json.loads(out)
        except ValueError:
            code = code or -1
        bad += code != 0
        runs += 1
    print(json.dumps({"runs": runs, "bad": bad}))
    return 0 if bad == 0 else 1


def go(template: str) -> int:
    from stuffctl.cli.main import run

    args = json.loads(template)
    _ready()
    return run(args)


def hold(dbfile: str) -> int:
    if dbfile.startswith("postgresql://"):  # a server database: its writers' lock
        return _hold_server(dbfile)
    conn = sqlite3.connect(dbfile, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE asset SET name = 'changed by the holder' WHERE id = 1")
    print("locked", flush=True)
    sys.stdin.readline()
    conn.execute("COMMIT")
    conn.close()
    return 0


def _hold_server(url: str) -> int:
    import psycopg

    from stuffctl.store.postgres import WRITE_LOCK

    with psycopg.connect(url) as conn:  # one transaction, committed at the end of the block
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
        conn.execute("UPDATE asset SET name = 'changed by the holder' WHERE id = 1")
        print("locked", flush=True)
        sys.stdin.readline()
    return 0


def atomic(target: str, size: str) -> int:
    from stuffctl import paths

    for n in range(10**9):
        paths.write_atomic(Path(target), (b"AB"[n % 2 : n % 2 + 1]) * int(size))
    return 0


if __name__ == "__main__":
    verb, *rest = sys.argv[1:]
    sys.exit({"write": write, "read": read, "go": go, "hold": hold,
              "atomic": atomic}[verb](*rest))
