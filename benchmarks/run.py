"""Time whole stuffctl commands against the floors measured in the same run.

    python benchmarks/generate.py --home /tmp/big          # once: the large home
    python benchmarks/run.py --home /tmp/big [--runs 7] [--write docs/performance.md]
    stuffctl demo --home /tmp/typical >/dev/null             # a typical home
    python benchmarks/run.py --home /tmp/typical --typical --marker typical \
        [--write docs/performance.md]

Each target names its floor and the ratio the design allows; the target and
its floor run alternately (so load that comes and goes moves both alike), and
the ratio is of the two medians of that pair. Commands that this build does
not have are reported as skipped, not failed.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from common import bench_env, floor_commands, floors, same_sql, stuffctl, table, time_pair

# (what, argv after `stuffctl`, floor key, allowed ratio)
TARGETS: list[tuple[str, list[str], str, float]] = [
    ("stuffctl --help", ["--help"], "typer", 1.2),
    ("stuffctl asset --help", ["asset", "--help"], "typer", 1.2),
    ("stuffctl tx --help", ["tx", "--help"], "typer", 1.2),
    ("remind run, nothing due", ["remind", "run"], "python", 4.0),
    ("status --brief", ["status", "--brief"], "python", 4.0),
    ("status", ["status", "--json"], "orm", 3.0),
    ("bench", ["bench", "--json"], "orm", 3.0),
    # "sql": the floor is the command's own statements from bare Python (common.same_sql);
    # "typer-sql": the same from a Typer command, for a command whose SQL is quick (its
    # start-up is most of it, which bare Python does not have)
    ("report spend (default: six months by month and category)",
     ["report", "spend", "--json"], "typer-sql", 1.5),
    ("report spend over the whole history, per year",
     ["report", "spend", "--per", "year", "--periods", "{years}", "--to", "{last}", "--json"],
     "sql", 1.2),
    ("budget status (default: each budget's current period)",
     ["budget", "status", "--json"], "typer-sql", 1.5),
    ("budget status --period 2025 (a year)",
     ["budget", "status", "--period", "2025", "--json"], "typer-sql", 1.5),
    ("budget status over the whole history",
     ["budget", "status", "--period", "{first}..{last}", "--json"], "sql", 1.2),
    ("tx list --limit 50 --category groceries",
     ["tx", "list", "--limit", "50", "--category", "groceries", "--json"], "orm", 1.3),
    ("tx list --period 2026-10 --totals",
     ["tx", "list", "--period", "2026-10", "--totals", "--json"], "orm", 1.3),
    ("tx list --desc --limit 50", ["tx", "list", "--desc", "--limit", "50", "--json"], "orm", 1.3),
    ("asset list --limit 50 --category tools",
     ["asset", "list", "--limit", "50", "--category", "tools", "--json"], "orm", 1.3),
    ("task next", ["task", "next", "--json"], "orm", 1.5),
    ("project list --limit 50", ["project", "list", "--limit", "50", "--json"], "orm", 1.3),
    ("remind list", ["remind", "list", "--json"], "orm", 1.5),
    ("sub list", ["sub", "list", "--json"], "orm", 1.3),
    ("find lidl", ["find", "lidl", "--json"], "orm", 1.5),
    ("db info", ["db", "info", "--json"], "orm", 1.2),
]
# Typical home only: the show commands and the smaller listings (ids of the demo).
TYPICAL_TARGETS: list[tuple[str, list[str], str, float]] = [
    (f"{' '.join(argv)}", [*argv, "--json"], "orm", 1.2) for argv in (
        ["tx", "show", "1"], ["asset", "show", "1"], ["project", "show", "1"],
        ["sub", "show", "1"], ["person", "show", "1"], ["task", "list"], ["person", "list"],
        ["loan", "list"], ["budget", "list"], ["asset", "schedules"], ["asset", "files", "1"],
        ["report", "assets"], ["report", "projects"], ["project", "templates"],
        ["report", "cashflow"], ["remind", "cron"], ["config", "show"], ["db", "check"],
        ["export"],
        ["share", "--project", "1", "--out", str(Path(tempfile.gettempdir()) / "bench-share.json")])
]
# Typical home only, on a copy of it: commands that write (each can run again and again).
WRITE_TARGETS: list[tuple[str, list[str], str, float]] = [
    (f"{' '.join(argv)}", [*argv, "--json"], "orm", 1.2) for argv in (
        ["tx", "add", "--out", "3.50", "Bakery", "-c", "groceries"],
        ["tx", "edit", "1", "--memo", "checked"],
        ["asset", "add", "Drill", "--price", "89"],
        ["asset", "edit", "1", "--notes", "checked"],
        ["asset", "log", "1", "--notes", "looked at it"],
        ["remind", "add", "Call the plumber", "--on", "tomorrow"],
        ["project", "add", "Shed", "--status", "done"],
        ["task", "add", "1", "Sand the door"],
        ["task", "edit", "1", "--due", "+3d"],
        ["person", "add", "Sam"],
        ["budget", "set", "groceries", "400"],
        ["person", "edit", "1", "--notes", "neighbour"],
        ["asset", "seen", "1", "--at", "garage"],
        ["asset", "reading", "1", "1000"],
        ["remind", "edit", "1", "--notes", "checked"],
        ["project", "edit", "1", "--notes", "checked"],
        ["sub", "post"],
        ["bench", "goal", "set", "spend:groceries <= 400"],
        # the home's own export (nothing changes) and a share bundle of one project,
        # both written to the copy's directory before the timing starts
        ["import", "{scratch}/all.json"],
        ["import", "{scratch}/shed.json"])
]


# Typical home only: the commands people type most, as they type them (a table, piped),
# against the Typer hello (#26: within 1.3x). The writes run on the copy.
TYPED_WRITES = (["tx", "add", "--out", "3.50", "Bakery", "-c", "groceries"],
                ["task", "add", "1", "Sand the door"], ["task", "done", "{n}"])
TYPED_TARGETS: list[tuple[str, list[str], str, float]] = [
    (f"typed: {' '.join(argv)}", argv, "typer", 1.3) for argv in (
        *TYPED_WRITES, ["tx", "list"], ["task", "next"], ["task", "list"], ["asset", "list"],
        ["asset", "show", "1"], ["status"], ["remind", "list"], ["report", "spend"])]


def available(argv: list[str], env: dict[str, str]) -> bool:
    probe = [*stuffctl(), *[a for a in argv if not a.startswith("-")][:2], "--help"]
    return subprocess.run(probe, capture_output=True, env=env).returncode == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--write", type=Path, help="replace the table in this markdown file")
    parser.add_argument("--typical", action="store_true",
                        help="a typical home (a few thousand rows): every command against the "
                             "Typer + SQLModel hello is held to 1.2x")
    parser.add_argument("--marker", default="bench",
                        help="the table replaced is between <!-- MARKER:start/end -->")
    parser.add_argument("--only", default="",
                        help="run only the targets whose name contains this text")
    args = parser.parse_args()
    env = bench_env(args.home)
    commands = floor_commands(args.home / "stuffctl.db")
    base = floors(commands, runs=args.runs, env=env)
    scratch = Path(tempfile.mkdtemp(prefix="stuffctl-bench-"))  # the writes run on a copy
    shutil.copy2(args.home / "stuffctl.db", scratch / "stuffctl.db")
    writes = bench_env(scratch)
    if args.typical:
        for argv in (["export", "--out", f"{scratch}/all.json"],
                     ["share", "--project", "1", "--out", f"{scratch}/shed.json"]):
            subprocess.run([*stuffctl(), *argv], env=env, check=True, capture_output=True)
    rows = [(f"floor: {t.name}", t.median_ms, "", 1.0, "") for t in base.values()]
    span = history(args.home / "stuffctl.db")
    typical = [*TYPED_TARGETS, *TYPICAL_TARGETS, *WRITE_TARGETS] if args.typical else []
    writes_at = {tuple(t[1]) for t in WRITE_TARGETS} | set(map(tuple, TYPED_WRITES))
    for what, argv, floor, allowed in [*TARGETS, *typical]:
        if args.only not in what:
            continue
        run_env = writes if tuple(argv) in writes_at else env
        if not available(argv, env):
            print(f"skipped (not in this build): {what}")
            continue
        if args.typical and floor in ("orm", "sql", "typer-sql"):
            floor, allowed = "orm", 1.2  # a few thousand rows: start-up is the whole cost
        argv = [a if a == "{n}" else a.format(scratch=scratch, **span) for a in argv]
        each: list[str] = []
        if "{n}" in argv:  # one thing per run: the copy's open tasks, oldest first
            conn = sqlite3.connect(scratch / "stuffctl.db")
            each = [str(i) for (i,) in conn.execute(
                "SELECT id FROM task WHERE status = 'open' ORDER BY id LIMIT ?",
                (args.runs + 1,))]
            conn.close()
        name, floor_argv = (same_sql(argv, run_env, typer=floor == "typer-sql")
                            if floor in ("sql", "typer-sql") else commands[floor])
        ms, floor_ms = time_pair([*stuffctl(), *argv], floor_argv, runs=args.runs, env=run_env,
                                 each=each)
        ratio = ms / floor_ms
        verdict = "ok" if ratio <= allowed else "MISSED"
        rows.append((what, ms, f"{name}: {floor_ms:,.0f} ms", ratio,
                     f"≤ {allowed}× {verdict}"))
    shutil.rmtree(scratch)
    text = table(rows)
    print(text)
    if args.write:
        write_table(args.write, text, args.marker)


def history(db: Path) -> dict[str, str]:
    """The span of the home's transactions: its first and last day, and how many calendar
    years it touches (the arguments of the whole-history targets)."""
    conn = sqlite3.connect(db)
    first, last = conn.execute("SELECT min(occurred_on), max(occurred_on) FROM txn").fetchone()
    conn.close()
    first, last = first or "2026-01-01", last or "2026-01-01"
    return {"first": first, "last": last, "years": str(int(last[:4]) - int(first[:4]) + 1)}


def write_table(path: Path, text: str, marker: str = "bench") -> None:
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    doc = path.read_text() if path.exists() else f"# Performance\n\n{start}\n{end}\n"
    head, _, rest = doc.partition(start)
    _, _, tail = rest.partition(end)
    path.write_text(f"{head}{start}\n{text}\n{end}{tail}")


if __name__ == "__main__":
    main()
