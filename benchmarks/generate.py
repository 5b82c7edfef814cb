"""Fill a stuffctl home with a large, realistic dataset, fast (sqlite3 executemany).

    python benchmarks/generate.py --home /tmp/big [--txns 1000000 --assets 100000]

The issue's "large" household: 1,000,000 transactions over 20 years, 100,000
assets with a log (events), 10,000 tasks in 1,000 projects, 10,000 own
reminders (a third with a recurrence rule), budgets and a few subscriptions.
The schema comes from stuffctl itself (its first write transaction makes the file);
rows go in with plain executemany in one transaction, then ANALYZE.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

from common import bench_env

STAMP = "2026-01-01 00:00:00.000000"
TODAY = date(2026, 11, 23)
CATEGORIES = ["groceries", "home:rent", "home:utilities", "home:repairs", "transport:fuel",
              "transport:public", "dining", "health", "kids", "clothing", "subscriptions",
              "gifts", "travel", "insurance", "tech", "sport", "books", "pets"]
PAYEES = ["Albert Heijn", "Lidl", "Shell", "NS", "Landlord", "Vattenfall", "Bol.com",
          "Decathlon", "IKEA", "Apotheek", "HEMA", "Spotify", "Netflix", "Restaurant Vis"]
ASSET_CATEGORIES = ["tools", "home:kitchen", "home:furniture", "tech:computers", "sport",
                    "garden", "vehicles", "hobby:music", "office", "clothing"]
LOCATIONS = ["Home / Kitchen", "Home / Office", "Garage", "Shed", "Attic", "Office / Floor 2"]
EVENT_KINDS = ["service", "repair", "inspection", "note", "cleaning"]
BUDGETS = [("groceries", "monthly", 60_000), ("dining", "monthly", 20_000),
           ("transport", "monthly", 25_000), ("home", "monthly", 150_000),
           ("travel", "yearly", 300_000), ("tech", "quarterly", 50_000)]
SUBSCRIPTIONS = [("Spotify", 1_199, "FREQ=MONTHLY"), ("Netflix", 1_399, "FREQ=MONTHLY"),
                 ("Car insurance", 62_000, "FREQ=YEARLY"), ("Gym", 3_500, "FREQ=MONTHLY"),
                 ("Cloud backup", 9_900, "FREQ=YEARLY")]


def uid(rng: random.Random) -> str:
    """A version-4 UUID from the seeded generator: reproducible and cheaper than uuid4()."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def day_in(rng: random.Random, start: date, end: date) -> str:
    return (start + timedelta(days=rng.randrange((end - start).days))).isoformat()


def uids(n: int, rng: random.Random) -> Iterator[str]:
    """Sorted, so the unique index on uid is filled in order (random order is much slower)."""
    return iter(sorted(uid(rng) for _ in range(n)))


def rows_txn(n: int, rng: random.Random, start: date) -> Iterator[tuple[object, ...]]:
    """In date order, as a real ledger grows (ids follow dates; the date index fills in order)."""
    keys = uids(n, rng)
    span = (TODAY - start).days
    for offset in sorted(rng.randrange(span) for _ in range(n)):
        amount = -rng.randint(100, 20_000) if rng.random() < 0.93 else rng.randint(50_000, 400_000)
        category = rng.choice(CATEGORIES) if amount < 0 else "income:salary"
        day = (start + timedelta(days=offset)).isoformat()
        yield (next(keys), STAMP, STAMP, day, amount, "EUR", rng.choice(PAYEES), category,
               rng.choice(("bank:checking", "card:visa")))


def rows_asset(n: int, rng: random.Random) -> Iterator[tuple[object, ...]]:
    keys = uids(n, rng)
    for i in range(n):
        bought = date(2006, 1, 1) + timedelta(days=rng.randrange(7300))
        yield (next(keys), STAMP, STAMP, f"Item {i}", rng.choice(ASSET_CATEGORIES),
               rng.choice(LOCATIONS), bought.isoformat(), rng.randint(500, 300_000), "EUR",
               (bought + timedelta(days=730)).isoformat(), "active")


def rows_event(assets: int, rng: random.Random) -> Iterator[tuple[object, ...]]:
    """About two log entries per asset, one in five with a meter reading."""
    for asset_id in range(1, assets + 1):
        for _ in range(rng.randrange(5)):
            meter = rng.randint(1_000, 200_000) if rng.random() < 0.2 else None
            yield (uid(rng), STAMP, STAMP, asset_id, day_in(rng, date(2006, 1, 1), TODAY),
                   rng.choice(EVENT_KINDS), "checked and cleaned", meter,
                   "km" if meter else None)


def rows_project(n: int, rng: random.Random) -> Iterator[tuple[object, ...]]:
    statuses = ["active"] * 4 + ["planned", "on_hold", "done", "dropped"]
    for i in range(n):
        yield (uid(rng), STAMP, STAMP, f"Project {i}", rng.choice(statuses),
               day_in(rng, TODAY - timedelta(days=60), TODAY + timedelta(days=300)))


def rows_task(n: int, projects: int, rng: random.Random) -> Iterator[tuple[object, ...]]:
    for i in range(n):
        due = day_in(rng, TODAY - timedelta(days=30), TODAY + timedelta(days=90))
        yield (uid(rng), STAMP, STAMP, rng.randrange(1, projects + 1), f"Task {i}",
               "open" if rng.random() < 0.7 else "done", rng.choice(("H", "M", "L", None)),
               due if rng.random() < 0.6 else None)


def rows_reminder(n: int, rng: random.Random) -> Iterator[tuple[object, ...]]:
    rules = ["FREQ=MONTHLY", "FREQ=YEARLY", "FREQ=WEEKLY", None, None, None]
    for i in range(n):
        due = day_in(rng, TODAY - timedelta(days=10), TODAY + timedelta(days=400))
        yield (uid(rng), STAMP, STAMP, f"Reminder {i}", "reminder", due, due, rng.choice(rules),
               0, "open")


INSERTS = {
    "txn": "uid, created_at, updated_at, occurred_on, amount_minor, currency, payee, category, "
           "account",
    "asset": "uid, created_at, updated_at, name, category, location, purchased_on, "
             "price_minor, price_currency, warranty_until, status",
    "event": "uid, created_at, updated_at, asset_id, occurred_on, kind, notes, meter, meter_unit",
    "project": "uid, created_at, updated_at, name, status, due_on",
    "task": "uid, created_at, updated_at, project_id, title, status, priority, due_on",
    "reminder": "uid, created_at, updated_at, title, kind, start_on, due_on, rule, from_done, "
                "state",
    "budget": "uid, created_at, updated_at, category, period, amount_minor, currency",
    "subscription": "uid, created_at, updated_at, name, amount_minor, currency, rule, "
                    "anchor_on, next_on, category, account, status",
}


def insert(conn: sqlite3.Connection, table: str, rows: Iterator[tuple[object, ...]]) -> None:
    columns = INSERTS[table]
    marks = ", ".join("?" * (columns.count(",") + 1))
    conn.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def small_rows(rng: random.Random) -> dict[str, list[tuple[object, ...]]]:
    return {
        "budget": [(uid(rng), STAMP, STAMP, c, p, a, "EUR") for c, p, a in BUDGETS],
        "subscription": [(uid(rng), STAMP, STAMP, name, amount, "EUR", rule, "2020-01-15",
                          "2026-12-15", "subscriptions", "card:visa", "active")
                         for name, amount, rule in SUBSCRIPTIONS],
    }


@contextmanager
def search_triggers_off(conn: sqlite3.Connection) -> Iterator[None]:
    """Drop the full-text insert triggers, then rebuild each index once and put them back.

    Per-row trigger inserts into the FTS5 tables cost more than the rows themselves.
    """
    triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                            "AND name LIKE 'fts\\_%\\_ai' ESCAPE '\\'").fetchall()
    for name, _ in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    yield
    for name, sql in triggers:
        fts = name.removesuffix("_ai")
        conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
        conn.execute(sql)


def fill(db: Path, *, txns: int, assets: int, tasks: int, reminders: int, seed: int) -> None:
    rng = random.Random(seed)
    projects = max(1, tasks // 10)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode = OFF")  # a fresh file: nothing to roll back to
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -200000")
    with conn, search_triggers_off(conn):
        insert(conn, "txn", rows_txn(txns, rng, TODAY - timedelta(days=20 * 365)))
        insert(conn, "asset", rows_asset(assets, rng))
        insert(conn, "event", rows_event(assets, rng))
        insert(conn, "project", rows_project(projects, rng))
        insert(conn, "task", rows_task(tasks, projects, rng))
        insert(conn, "reminder", rows_reminder(reminders, rng))
        for table, rows in small_rows(rng).items():
            insert(conn, table, iter(rows))
    conn.execute("ANALYZE")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--txns", type=int, default=1_000_000)
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    env = bench_env(args.home)
    start = time.perf_counter()
    # A read never makes a database: open a write transaction to make it at the head.
    subprocess.run([sys.executable, "-c", "from stuffctl import store\n"
                    "with store.transaction(write=True):\n    pass"],
                   env=env, check=True, capture_output=True)
    fill(args.home / "stuffctl.db", txns=args.txns, assets=args.assets, tasks=args.tasks,
         reminders=args.reminders, seed=args.seed)
    print(f"filled {args.home} in {time.perf_counter() - start:.0f} s: {args.txns:,} "
          f"transactions, {args.assets:,} assets with events, {args.tasks:,} tasks, "
          f"{args.reminders:,} reminders, {len(BUDGETS)} budgets, "
          f"{len(SUBSCRIPTIONS)} subscriptions")


if __name__ == "__main__":
    main()
