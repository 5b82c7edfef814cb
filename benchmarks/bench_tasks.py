"""Time `stuffctl task next` with 10,000 open tasks, as a whole subprocess (median of 5).

    PYTHONPATH=src python benchmarks/bench_tasks.py [--tasks 10000] [--runs 5]

Fills a fresh database in a temporary STUFFCTL_HOME with 100 projects and N open
tasks (priorities, due dates, one dependency in ten) using executemany, then runs
`python -m stuffctl task next` N times and prints the median wall time.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path


def fill(db: Path, n_tasks: int) -> None:
    now = datetime.now(UTC).isoformat(sep=" ")
    today = date.today()
    conn = sqlite3.connect(db)
    with conn:
        conn.executemany(
            "INSERT INTO project (uid, created_at, updated_at, name, status, due_on) "
            "VALUES (?, ?, ?, ?, 'active', ?)",
            [(str(uuid.uuid4()), now, now, f"Project {p}",
              (today + timedelta(days=p % 90)).isoformat()) for p in range(1, 101)])
        conn.executemany(
            "INSERT INTO task (uid, created_at, updated_at, project_id, title, status, "
            "priority, due_on) VALUES (?, ?, ?, ?, ?, 'open', ?, ?)",
            [(str(uuid.uuid4()), now, now, t % 100 + 1, f"Task {t}", "HML-"[t % 4].strip("-")
              or None, (today + timedelta(days=t % 60 - 20)).isoformat() if t % 3 else None)
             for t in range(1, n_tasks + 1)])
        conn.executemany("INSERT INTO task_dep (task_id, depends_on_id) VALUES (?, ?)",
                         [(t, t - 1) for t in range(2, n_tasks + 1, 10)])
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, STUFFCTL_HOME=home, NO_COLOR="1")
        cmd = [sys.executable, "-m", "stuffctl"]
        subprocess.run([*cmd, "project", "list"], env=env, check=True, capture_output=True)
        fill(Path(home) / "stuffctl.db", args.tasks)
        times = timed([*cmd, "task", "next"], env, args.runs)
        baseline = timed([*cmd, "asset", "list"], env, args.runs)
    print(f"task next with {args.tasks:,} open tasks: median {times:.0f} ms over {args.runs} "
          f"runs; baseline `asset list` of nothing, same start-up: {baseline:.0f} ms")


def timed(argv: list[str], env: dict[str, str], runs: int) -> float:
    """Median wall time of ``argv`` as a subprocess, in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


if __name__ == "__main__":
    main()
