"""What a table costs: long listings as tables against Taskwarrior and against their JSON.

    python benchmarks/generate.py --home /tmp/big        # once: the large home
    python benchmarks/bench_tables.py --home /tmp/big [--runs 7]

Byte-compiles src/stuffctl first (PYTHONDONTWRITEBYTECODE may be set), then times, as
whole processes with stdout piped, each pair alternately (``common.time_pair``: load
that comes and goes moves both alike) and reports the ratio of the two medians:

- ``stuffctl task list`` against Taskwarrior's ``task list`` over the same tasks (the
  home's tasks imported into a temporary TASKDATA, ``bench_others.taskwarrior_data``);
  target 1.5x;
- ``remind list`` and ``status`` as tables against their ``--json``; target 1.3x;
- the same tables on a forced terminal (``FORCE_COLOR``, 100 columns: fitted and
  coloured), for information.

The load average before and after is printed with the figures: a busy machine makes
every figure worse, the ratios less so.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_others import taskwarrior_data
from common import PY, bench_env, stuffctl, time_pair

SRC = Path(__file__).resolve().parent.parent / "src" / "stuffctl"


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def lines(argv: list[str], env: dict[str, str]) -> int:
    """How many lines ``argv`` writes: the rows each side of a pair really shows."""
    done = subprocess.run(argv, env=env, capture_output=True, check=True)
    return done.stdout.count(b"\n")


def report(what: str, ms: float, floor: str, floor_ms: float, target: float | None) -> None:
    ratio = ms / floor_ms
    verdict = "" if target is None else (" ok" if ratio <= target else " OVER")
    goal = "" if target is None else f" (target {target}x){verdict}"
    print(f"| {what} | {ms:,.0f} ms | {floor} {floor_ms:,.0f} ms | {ratio:.2f}x{goal} |")


def tasks(home: Path, runs: int, env: dict[str, str], tmp: Path) -> None:
    if not shutil.which("task"):
        print("skipped: Taskwarrior (`task`) not installed")
        return
    tw, _ = taskwarrior_data(home, tmp)
    both = {**env, **tw}
    ours, theirs = [*stuffctl(), "task", "list"], ["task", "list"]
    floor = f"Taskwarrior task list ({lines(theirs, both):,} lines)"
    ms, floor_ms = time_pair(ours, theirs, runs=runs, env=both)
    report(f"stuffctl task list, table piped ({lines(ours, both):,} lines)", ms, floor,
           floor_ms, 1.5)
    ms, floor_ms = time_pair([*ours, "--json"], theirs, runs=runs, env=both)
    report("stuffctl task list --json", ms, floor, floor_ms, None)
    tty = {**both, "FORCE_COLOR": "1", "COLUMNS": "100"}
    tty.pop("NO_COLOR", None)
    ms, floor_ms = time_pair(ours, theirs, runs=runs, env=tty)
    report("stuffctl task list, forced terminal of 100 columns", ms, floor, floor_ms, None)


def tables(runs: int, env: dict[str, str]) -> None:
    tty = {**env, "FORCE_COLOR": "1", "COLUMNS": "100"}
    tty.pop("NO_COLOR", None)
    for words in (["remind", "list"], ["status"]):
        argv = [*stuffctl(), *words]
        name = " ".join(words)
        ms, floor_ms = time_pair(argv, [*argv, "--json"], runs=runs, env=env)
        report(f"{name}, table piped ({lines(argv, env):,} lines)", ms, f"{name} --json",
               floor_ms, 1.3)
        ms, floor_ms = time_pair(argv, [*argv, "--json"], runs=runs, env=tty)
        report(f"{name}, forced terminal of 100 columns", ms, f"{name} --json", floor_ms, None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if not (args.home / "stuffctl.db").exists():
        sys.exit(f"no stuffctl.db in {args.home}: python benchmarks/generate.py --home {args.home}")
    subprocess.run([PY, "-m", "compileall", "-q", str(SRC)], check=True)
    env = bench_env(args.home)
    print(f"load average before: {load()}")
    print("| what | median | floor | ratio |\n|---|---:|---|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        tasks(args.home, args.runs, env, Path(tmp))
    tables(args.runs, env)
    print(f"load average after: {load()}")


if __name__ == "__main__":
    main()
