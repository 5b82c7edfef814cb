"""The same commands on SQLite and on a PostgreSQL server on the same machine (#21).

    python benchmarks/generate.py --home /tmp/big            # once: the large home
    python benchmarks/bench_backends.py --home /tmp/big [--runs 5] [--write docs/performance.md]

The large home is copied to a server database once (``stuffctl db copy``, timed and
shown); a throw-away server is started for the run (tests/pg_server.py) unless
``--url`` names a blank database to use. Each target runs on SQLite and on the server
alternately, so that load that comes and goes moves both alike; the ratio is of the
two medians, and the design allows the server twice SQLite's time. ``tx import``
imports 100,000 new rows into a blank database each run (made before the timing).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_ledger import RULES, write_csv
from common import bench_env, run_once, stuffctl, table
from run import write_table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ALLOWED = 2.0
TARGETS: list[tuple[str, list[str]]] = [
    ("status", ["status", "--json"]),
    ("report spend over all 1,000,000 (per year, 21 years)",
     ["report", "spend", "--per", "year", "--periods", "21", "--to", "2026-11-23", "--json"]),
    ("task next", ["task", "next", "--json"]),
    ("tx list --limit 50 --category groceries",
     ["tx", "list", "--limit", "50", "--category", "groceries", "--json"]),
    ("find lidl", ["find", "lidl", "--json"]),
]


def admin(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(statement)


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run([*stuffctl(), *argv], env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"stuffctl {' '.join(argv)} failed: {done.stderr}")
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--url", help="a blank server database (default: a throw-away server)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write", type=Path, help="replace the table in this markdown file")
    args = parser.parse_args()
    server = None
    if args.url is None:
        from tests import pg_server

        server = pg_server.start()
        args.url = server.database("bench")
    try:
        run(args)
    finally:
        if server is not None:
            from tests import pg_server

            pg_server.stop(server)


def run(args: argparse.Namespace) -> None:
    try:
        load = subprocess.run(["cat", "/proc/loadavg"], capture_output=True, text=True)
        print(f"load average: {load.stdout.strip()}")
    except OSError:
        pass
    local = bench_env(args.home)
    remote = {**local, "STUFFCTL_DB": args.url}
    copy_ms = timed(["db", "copy", "--to", args.url], local)
    print(f"db copy of the large home to the server: {copy_ms / 1000:,.1f} s")
    subprocess.run([*stuffctl(), "db", "info"], env=remote, check=True, capture_output=True)
    admin(args.url, "ANALYZE")
    rows: list[tuple[str, float, str, float, str]] = []
    for what, argv in TARGETS:
        pairs = [(run_once(what, [*stuffctl(), *argv], env=remote),
                  run_once(what, [*stuffctl(), *argv], env=local))
                 for _ in range(args.runs + 1)][1:]
        server_ms = statistics.median(p for p, _ in pairs)
        sqlite_ms = statistics.median(s for _, s in pairs)
        rows.append(_row(what, server_ms, sqlite_ms))
    rows.append(_import_row(args))
    text = table(rows)
    print(text)
    if args.write:
        write_table(args.write, text, "backends")


def _row(what: str, server_ms: float, sqlite_ms: float) -> tuple[str, float, str, float, str]:
    ratio = server_ms / sqlite_ms
    verdict = "ok" if ratio <= ALLOWED else "MISSED"
    return (f"{what} (PostgreSQL)", server_ms, f"SQLite: {sqlite_ms:,.0f} ms", ratio,
            f"≤ {ALLOWED}× {verdict}")


def _import_row(args: argparse.Namespace) -> tuple[str, float, str, float, str]:
    """``tx import`` of 100,000 new rows into a blank database, alternately on each."""
    base, _, _ = args.url.rpartition("/")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv = folder / "bank.csv"
        write_csv(csv, random.Random(1))
        server_ms, sqlite_ms = [], []
        for n in range(args.runs + 1):
            home = folder / f"home{n}"
            (home / "rules").mkdir(parents=True)
            (home / "rules" / "bench.toml").write_text(RULES)
            env = bench_env(home)
            name = f"bench_import_{os.getpid()}_{n}"
            admin(f"{base}/postgres", f'DROP DATABASE IF EXISTS "{name}"')
            admin(f"{base}/postgres", f'CREATE DATABASE "{name}"')
            subprocess.run([*stuffctl(), "db", "init"], env={**env, "STUFFCTL_DB":
                           f"{base}/{name}"}, check=True, capture_output=True)
            subprocess.run([*stuffctl(), "db", "init"], env=env, check=True,
                           capture_output=True)
            argv = ["tx", "import", str(csv), "--rules", "bench"]
            server = timed(argv, {**env, "STUFFCTL_DB": f"{base}/{name}"})
            local = timed(argv, env)
            if n:  # the first pair warms up
                server_ms.append(server)
                sqlite_ms.append(local)
            admin(f"{base}/postgres", f'DROP DATABASE "{name}"')
            shutil.rmtree(home)
    return _row("tx import, 100,000 new rows", statistics.median(server_ms),
                statistics.median(sqlite_ms))


if __name__ == "__main__":
    main()
