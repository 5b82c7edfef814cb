"""Ledger benchmark: `tx import` of 100,000 CSV rows and reports over 1,000,000 transactions.

Run: ``python benchmarks/bench_ledger.py`` after ``pip install .`` (about two minutes).
Every figure is a whole run of the installed ``stuffctl`` console script
(interpreter start-up and imports included), in a temporary home that is removed
afterwards; the first import is the median of five, each into a fresh home.
"""

from __future__ import annotations

import os
import random
import sqlite3
import statistics
import subprocess
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

IMPORT_ROWS = 100_000
IMPORT_RUNS = 5
LEDGER_ROWS = 1_000_000
CATEGORIES = ["groceries", "groceries:bakery", "home:rent", "home:energy", "home:repairs",
              "transport:train", "transport:fuel", "eating out", "shopping", "health"]
RULES = """\
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


def stuffctl(env: dict[str, str], *args: str) -> float:
    """Seconds one run of the installed console script takes (as cron and shells run it)."""
    from common import stuffctl as script

    start = time.perf_counter()
    done = subprocess.run([*script(), *args], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"stuffctl {' '.join(args)} failed: {done.stderr}")
    return elapsed


def write_csv(path: Path, rng: random.Random) -> None:
    payees = ["ALBERT HEIJN 1234", "LIDL 55", "NS Reizigers", "Shell", "bol.com", "HEMA"]
    start = date(2016, 1, 1)
    lines = ["Datum;Bedrag;Naam;Omschrijving"]
    for i in range(IMPORT_ROWS):
        day = start + timedelta(days=i // 30)
        cents = rng.randint(100, 50000)
        lines.append(f"{day:%d-%m-%Y};-{cents // 100},{cents % 100:02d};"
                     f"{rng.choice(payees)};ref {i}")
    path.write_text("\n".join(lines) + "\n")


def fill_ledger(db: Path, rng: random.Random) -> None:
    now = "2026-01-01 00:00:00.000000"
    start = date(2020, 1, 1)
    rows = ((str(uuid.uuid4()), now, now, (start + timedelta(days=i % 2500)).isoformat(),
             -rng.randint(100, 20000), "EUR", "payee", rng.choice(CATEGORIES), "bank:x")
            for i in range(LEDGER_ROWS))
    conn = sqlite3.connect(db)
    with conn:
        conn.executemany(
            "INSERT INTO txn (uid, created_at, updated_at, occurred_on, amount_minor, "
            "currency, payee, category, account) VALUES (?,?,?,?,?,?,?,?,?)", rows)
    conn.close()


def main() -> None:
    rng = random.Random(1)
    results: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        csv = home / "bank.csv"
        write_csv(csv, rng)
        firsts = []
        for n in range(IMPORT_RUNS):  # each into a fresh home, creating its database
            env = {**os.environ, "STUFFCTL_HOME": str(home / f"import{n}"), "NO_COLOR": "1"}
            (home / f"import{n}" / "rules").mkdir(parents=True)
            (home / f"import{n}" / "rules" / "bench.toml").write_text(RULES)
            firsts.append(stuffctl(env, "tx", "import", str(csv), "--rules", "bench"))
        results.append((f"tx import, 100,000 new rows (median of {IMPORT_RUNS} fresh homes)",
                        statistics.median(firsts)))
        results.append(("tx import again, 100,000 duplicates", stuffctl(
            env, "tx", "import", str(csv), "--rules", "bench")))
        env["STUFFCTL_HOME"] = str(home / "big")
        for category in ("groceries", "home", "transport", "eating out", "shopping"):
            stuffctl(env, "budget", "set", category, "500")
        fill_ledger(home / "big" / "stuffctl.db", rng)
        results.append(("budget list (start-up + open: the baseline)",
                        stuffctl(env, "budget", "list")))
        results.append(("budget status, 5 budgets, 1,000,000 txns",
                        stuffctl(env, "budget", "status", "--json")))
        results.append(("budget status --period 2022 (a year)",
                        stuffctl(env, "budget", "status", "--period", "2022", "--json")))
        results.append(("tx list --period 2022-10 --totals",
                        stuffctl(env, "tx", "list", "--period", "2022-10", "--totals")))
        results.append(("tx list --limit 50 (newest first)",
                        stuffctl(env, "tx", "list", "--desc", "--limit", "50")))
        results.append(("stuffctl --help (start-up)", stuffctl(env, "--help")))
    width = max(len(name) for name, _ in results)
    print(f"{'what':<{width}}  seconds")
    for name, seconds in results:
        print(f"{name:<{width}}  {seconds:7.2f}")


if __name__ == "__main__":
    main()
