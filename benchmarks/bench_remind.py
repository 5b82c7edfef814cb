"""Benchmark `remind run`: an empty run's start-up against `python3 -c pass`, and 10,000 reminders.

    PYTHONPATH=src python benchmarks/bench_remind.py

Prints median wall-clock times. Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

RUNS = 15


def timed(cmd: list[str], env: dict[str, str], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def fill(db: Path, n: int) -> None:
    conn = sqlite3.connect(db)
    conn.executemany(
        "INSERT INTO reminder (uid, created_at, updated_at, title, kind, start_on, due_on, "
        "rule, from_done, state) VALUES (?, '2026-01-01', '2026-01-01', ?, 'reminder', "
        "date('now', ?), date('now', ?), ?, 0, 'open')",
        [(str(uuid.uuid4()), f"Reminder {i}", f"{i % 400 - 30} days", f"{i % 400 - 30} days",
          "FREQ=MONTHLY" if i % 3 == 0 else None) for i in range(n)])
    conn.commit()
    conn.close()


def main() -> None:
    home = Path(tempfile.mkdtemp())
    env = dict(os.environ, STUFFCTL_HOME=str(home))
    stuffctl = [sys.executable, "-m", "stuffctl"]
    subprocess.run([*stuffctl, "remind", "run"], env=env, check=True, capture_output=True)
    base = timed([sys.executable, "-c", "pass"], env)
    empty = timed([*stuffctl, "remind", "run"], env)
    full = timed([*stuffctl, "remind", "run", "--now", "2026-01-01 00:00"], env, runs=5)
    print(f"python3 -c pass:                        {base * 1000:7.0f} ms")
    print(f"remind run, nothing due (fast path):    {empty * 1000:7.0f} ms")
    print(f"remind run, full path, empty database:  {full * 1000:7.0f} ms")
    fill(home / "stuffctl.db", 10_000)
    first = timed([*stuffctl, "remind", "run", "--json"], env, runs=1)
    again = timed([*stuffctl, "remind", "run", "--digest", "--json"], env, runs=3)
    quiet = timed([*stuffctl, "remind", "run"], env)
    print(f"remind run, 10,000 reminders, first:    {first * 1000:7.0f} ms (notifies all due)")
    print(f"remind run --digest, 10,000 reminders:  {again * 1000:7.0f} ms")
    print(f"remind run, 10,000, nothing new:        {quiet * 1000:7.0f} ms (fast path)")


if __name__ == "__main__":
    main()
