"""stuffctl next to Taskwarrior and ledger/hledger, on the same data (where installed).

    python benchmarks/generate.py --home /tmp/big
    python benchmarks/bench_others.py --home /tmp/big [--runs 3]

Exports the large home's 10,000 tasks to Taskwarrior's JSON and times `task import`
into a temporary TASKDATA, then `stuffctl task next` alternately with Taskwarrior's
`task list` and `task next` (ratio of the pair's medians); exports
the newest 100,000 transactions as a ledger journal and times `ledger bal` /
`hledger bal` against `stuffctl tx list --totals` over the same rows. Tools that
are not installed are skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path

from common import bench_env, stuffctl, time_command, time_pair

PRIORITY = {"H": "H", "M": "M", "L": "L"}


def task_json(db: Path, out: Path) -> int:
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT t.uid, t.title, p.name, t.status, t.priority, t.due_on "
                        "FROM task t JOIN project p ON p.id = t.project_id").fetchall()
    with out.open("w") as f:
        for uid, title, project, status, priority, due in rows:
            item = {"uuid": uid, "description": title, "project": project.replace(" ", "_"),
                    "status": "pending" if status == "open" else "completed",
                    "entry": "20260101T000000Z"}
            if status != "open":
                item["end"] = "20260102T000000Z"
            if priority:
                item["priority"] = PRIORITY[priority]
            if due:
                item["due"] = due.replace("-", "") + "T000000Z"
            f.write(json.dumps(item) + "\n")
    return len(rows)


def journal(db: Path, out: Path, n: int) -> str:
    """The newest ``n`` transactions as a ledger journal; returns the first date."""
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT occurred_on, payee, category, account, amount_minor FROM txn "
                        "ORDER BY occurred_on DESC, id DESC LIMIT ?", (n,)).fetchall()
    with out.open("w") as f:
        for day, payee, category, account, minor in reversed(rows):
            money = f"EUR {minor / 100:.2f}"  # into the account; the category balances it
            f.write(f"{day} {payee}\n    {account}  {money}\n    {category}\n\n")
    return str(rows[-1][0])


def taskwarrior_data(home: Path, tmp: Path) -> tuple[dict[str, str], int]:
    """A TASKDATA in ``tmp`` holding the home's tasks: its TASKRC/TASKDATA and the count."""
    n = task_json(home / "stuffctl.db", tmp / "tasks.json")
    (tmp / "taskrc").write_text(f"data.location={tmp / 'task'}\nconfirmation=off\n"
                                "verbose=nothing\n")
    tw = {"TASKRC": str(tmp / "taskrc"), "TASKDATA": str(tmp / "task")}
    start = time.perf_counter()
    subprocess.run(["task", "import", str(tmp / "tasks.json")], env={**os.environ, **tw},
                   check=True, capture_output=True)
    print(f"Taskwarrior: import of {n:,} tasks into an empty TASKDATA: "
          f"{(time.perf_counter() - start) * 1000:,.0f} ms")
    return tw, n


def taskwarrior(home: Path, runs: int, env: dict[str, str], tmp: Path) -> None:
    if not shutil.which("task"):
        print("skipped: Taskwarrior (`task`) not installed")
        return
    tw, n = taskwarrior_data(home, tmp)
    both = {**env, **tw}
    ours = [*stuffctl(), "task", "next"]
    for name, theirs in (("task list", ["task", "list"]),
                         ("task next", ["task", "limit:5", "next"])):
        ms, floor_ms = time_pair(ours, theirs, runs=runs, env=both)
        print(f"stuffctl task next {ms:,.0f} ms vs Taskwarrior `{name}` over the same "
              f"{n:,} tasks {floor_ms:,.0f} ms: {ms / floor_ms:.2f}x (goal 1.5x of task list)")


def ledgers(home: Path, runs: int, env: dict[str, str], tmp: Path) -> None:
    first = journal(home / "stuffctl.db", tmp / "main.journal", 100_000)
    t = time_command("stuffctl", [*stuffctl(), "tx", "list", "--from", first, "--totals",
                                  "--json"], runs=runs, env=env)
    print(f"stuffctl tx list --from {first} --totals (the same 100,000): {t.median_ms:,.0f} ms")
    for tool in ("ledger", "hledger"):
        if not shutil.which(tool):
            print(f"skipped: {tool} not installed")
            continue
        t = time_command(tool, [tool, "-f", str(tmp / "main.journal"), "bal"], runs=runs)
        print(f"{tool} bal, 100,000 transactions: {t.median_ms:,.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    env = bench_env(args.home)
    with tempfile.TemporaryDirectory() as tmp:
        taskwarrior(args.home, args.runs, env, Path(tmp))
        ledgers(args.home, args.runs, env, Path(tmp))


if __name__ == "__main__":
    main()
