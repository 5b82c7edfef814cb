"""stuffctl next to Taskwarrior, Debian's remind, ledger and hledger, on the same data.

    python benchmarks/generate.py --home /tmp/big
    python benchmarks/bench_others.py --home /tmp/big [--runs 3] [--only task]

Like for like, each pair alternated in one run (so load that comes and goes moves both
alike), the ratio of the pair's medians:

- `stuffctl task next` / Taskwarrior `task limit:5 next`, `stuffctl task list` /
  Taskwarrior `task list`: the home's 10,000 tasks imported into a temporary TASKDATA.
- `stuffctl remind list --all` / `remind -n` (the next occurrence of every reminder): a
  remind file holding exactly what `remind list --all` lists, each on its due day.
- `stuffctl report spend --per year` over every transaction / `ledger bal -Y`-style
  `ledger bal` and `hledger bal -Y` over the same transactions as a journal.
- `stuffctl tx import` of a CSV / `hledger import` of it with an equivalent rules file,
  each into an empty home / journal.

Tools that are not installed are skipped. Peak memory (max RSS) is shown for the
ledgers, whose cost on a million transactions is mostly memory.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import subprocess
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from common import bench_env, stuffctl, time_pair

PRIORITY = {"H": "H", "M": "M", "L": "L"}


def pair(what: str, ours: list[str], theirs: list[str], *, runs: int,
         env: dict[str, str], note: str = "") -> None:
    ms, floor_ms = time_pair(ours, theirs, runs=runs, env=env)
    print(f"| {what} | {ms:,.0f} ms | {floor_ms:,.0f} ms | {ms / floor_ms:.2f}× | {note} |")


def peak_mib(argv: list[str], env: dict[str, str]) -> float:
    """Maximum resident set size of one run of ``argv``, in MiB (GNU time)."""
    done = subprocess.run(["/usr/bin/time", "-f", "%M", *argv], env=env, capture_output=True,
                          text=True)
    return int(done.stderr.strip().splitlines()[-1]) / 1024


# -- Taskwarrior ---------------------------------------------------------------------

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


def taskwarrior(home: Path, runs: int, env: dict[str, str], tmp: Path) -> None:
    if not shutil.which("task"):
        print("skipped: Taskwarrior (`task`) not installed")
        return
    n = task_json(home / "stuffctl.db", tmp / "tasks.json")
    (tmp / "taskrc").write_text(f"data.location={tmp / 'task'}\nconfirmation=off\n"
                                "verbose=nothing\n")
    tw = {"TASKRC": str(tmp / "taskrc"), "TASKDATA": str(tmp / "task")}
    subprocess.run(["task", "import", str(tmp / "tasks.json")], env={**os.environ, **tw},
                   check=True, capture_output=True)
    both = {**env, **tw}
    note = f"the same {n:,} tasks"
    pair("`task next` / Taskwarrior `task limit:5 next`", [*stuffctl(), "task", "next"],
         ["task", "limit:5", "next"], runs=runs, env=both, note=note)
    pair("`task list` / Taskwarrior `task list`", [*stuffctl(), "task", "list"],
         ["task", "list"], runs=runs, env=both, note=note)


# -- remind ----------------------------------------------------------------------------

def remind_file(env: dict[str, str], out: Path) -> int:
    """What `remind list --all` lists, as a remind(1) file: each on its due day."""
    listed = json.loads(subprocess.run([*stuffctl(), "remind", "list", "--all", "--json"],
                                       env=env, check=True, capture_output=True).stdout)
    with out.open("w") as f:
        for item in listed:
            day = date.fromisoformat(str(item["due"])[:10])
            title = str(item["title"]).replace("[", "(").replace("%", "%%")
            f.write(f"REM {day:%d %b %Y} MSG {title}\n")
    return len(listed)


def remind(runs: int, env: dict[str, str], tmp: Path) -> None:
    if not shutil.which("remind"):
        print("skipped: remind not installed (Debian: apt install remind)")
        return
    n = remind_file(env, tmp / "reminders.rem")
    pair("`remind list --all` / `remind -n`", [*stuffctl(), "remind", "list", "--all"],
         ["remind", "-n", str(tmp / "reminders.rem")], runs=runs, env=env,
         note=f"the same {n:,} items")


# -- ledger and hledger ------------------------------------------------------------------

def journal(db: Path, out: Path) -> tuple[int, str, str]:
    """Every transaction as a ledger journal (the category balances the account);
    returns how many, the first and the last day."""
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT occurred_on, payee, category, account, amount_minor, currency "
                        "FROM txn ORDER BY occurred_on, id")
    n, first, last = 0, "", ""
    with out.open("w") as f:
        for day, payee, category, account, minor, currency in rows:
            sign, minor = ("-", -minor) if minor < 0 else ("", minor)
            f.write(f"{day} {payee or '?'}\n    {account or 'assets:bank'}  "
                    f"{sign}{minor // 100}.{minor % 100:02d} {currency}\n"
                    f"    {category or 'unknown'}\n\n")
            n, first, last = n + 1, first or day, day
    return n, first, last


def ledgers(home: Path, runs: int, env: dict[str, str], tmp: Path) -> None:
    path = tmp / "all.journal"
    n, first, last = journal(home / "stuffctl.db", path)
    years = str(int(last[:4]) - int(first[:4]) + 1)
    ours = [*stuffctl(), "report", "spend", "--per", "year", "--periods", years, "--to", last]
    note = f"the same {n:,} transactions, per year"
    ours_mib = peak_mib(ours, env)
    for tool, argv in (("ledger", ["ledger", "-f", str(path), "bal"]),
                       ("hledger", ["hledger", "-f", str(path), "bal", "-Y"])):
        if not shutil.which(tool):
            print(f"skipped: {tool} not installed")
            continue
        theirs_mib = peak_mib(argv, env)
        pair(f"`report spend --per year` / `{' '.join([tool, *argv[3:]])}`", ours, argv,
             runs=runs, env=env,
             note=f"{note}; peak {ours_mib:,.0f} MiB against {theirs_mib:,.0f} MiB")


HLEDGER_RULES = """\
skip 1
separator ;
fields date, amount, payee, memo
date-format %d-%m-%Y
decimal-mark ,
currency EUR
account1 assets:bank:bench
account2 expenses:unknown
if ALBERT HEIJN|LIDL
  account2 expenses:groceries
"""
STUFFCTL_RULES = """\
skip = 1
separator = ";"
fields = ["date", "amount", "payee", "memo"]
date_format = "%d-%m-%Y"
decimal_mark = ","
currency = "EUR"
account = "bank:bench"
[[categorize]]
match = "ALBERT HEIJN|LIDL"
category = "groceries"
"""


def bank_csv(path: Path, rows: int) -> None:
    rng = random.Random(1)
    payees = ["ALBERT HEIJN 1234", "LIDL 55", "NS Reizigers", "Shell", "bol.com", "HEMA"]
    start = date(2016, 1, 1)
    lines = ["Datum;Bedrag;Naam;Omschrijving"]
    for i in range(rows):
        cents = rng.randint(100, 50000)
        lines.append(f"{start + timedelta(days=i // 30):%d-%m-%Y};-{cents // 100},"
                     f"{cents % 100:02d};{rng.choice(payees)};ref {i}")
    path.write_text("\n".join(lines) + "\n")


def imports(runs: int, tmp: Path, rows: int) -> None:
    if not shutil.which("hledger"):
        print("skipped: hledger not installed")
        return
    csv = tmp / "bank.csv"
    bank_csv(csv, rows)
    (tmp / "bank.csv.rules").write_text(HLEDGER_RULES)
    ours_s, theirs_s = [], []
    for n in range(runs + 1):  # alternated, each into an empty home / journal
        home = tmp / f"import{n}"
        (home / "rules").mkdir(parents=True)
        (home / "rules" / "bench.toml").write_text(STUFFCTL_RULES)
        env = bench_env(home)
        start = time.perf_counter()
        subprocess.run([*stuffctl(), "tx", "import", str(csv), "--rules", "bench"], env=env,
                       check=True, capture_output=True)
        ours_s.append(time.perf_counter() - start)
        journal_path = tmp / f"import{n}.journal"
        journal_path.write_text("")
        start = time.perf_counter()
        subprocess.run(["hledger", "-f", str(journal_path), "import", str(csv)],
                       check=True, capture_output=True)
        theirs_s.append(time.perf_counter() - start)
    ours, theirs = sorted(ours_s[1:])[len(ours_s[1:]) // 2], sorted(theirs_s[1:])[
        len(theirs_s[1:]) // 2]
    print(f"| `tx import` / `hledger import` with rules | {ours * 1000:,.0f} ms | "
          f"{theirs * 1000:,.0f} ms | {ours / theirs:.2f}× | {rows:,} new CSV rows, "
          "each into an empty home / journal |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--only", default="", help="task, remind, ledger or import")
    args = parser.parse_args()
    env = bench_env(args.home)
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print("| stuffctl / peer | stuffctl | peer | ratio | what |\n|---|---:|---:|---:|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, run in (("task", lambda: taskwarrior(args.home, args.runs, env, Path(tmp))),
                          ("remind", lambda: remind(args.runs, env, Path(tmp))),
                          ("ledger", lambda: ledgers(args.home, args.runs, env, Path(tmp))),
                          ("import", lambda: imports(args.runs, Path(tmp),
                                                     args.import_rows))):
            if args.only in name:
                run()
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
