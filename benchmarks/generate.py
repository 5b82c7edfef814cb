"""Fill a stuffctl home with a large, realistic dataset, fast (sqlite3 executemany).

    python benchmarks/generate.py --home /tmp/big [--txns 1000000 --assets 100000]

The schema comes from stuffctl itself (`stuffctl db info` migrates a new file);
rows go in with plain executemany in one transaction per table.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from common import bench_env, stuffctl

STAMP = "2026-01-01 00:00:00.000000"
CATEGORIES = ["groceries", "home:rent", "home:utilities", "home:repairs", "transport:fuel",
              "transport:public", "dining", "health", "kids", "clothing", "subscriptions",
              "gifts", "travel", "insurance", "tech", "sport", "books", "pets"]
PAYEES = ["Albert Heijn", "Lidl", "Shell", "NS", "Landlord", "Vattenfall", "Bol.com",
          "Decathlon", "IKEA", "Apotheek", "HEMA", "Spotify", "Netflix", "Restaurant Vis"]
ASSET_CATEGORIES = ["tools", "home:kitchen", "home:furniture", "tech:computers", "sport",
                    "garden", "vehicles", "hobby:music", "office", "clothing"]
LOCATIONS = ["Home / Kitchen", "Home / Office", "Garage", "Shed", "Attic", "Office / Floor 2"]


def rows_txn(n: int, rng: random.Random, start: date) -> Iterator[tuple[object, ...]]:
    span = (date(2026, 11, 1) - start).days
    for _ in range(n):
        day = start + timedelta(days=rng.randrange(span))
        amount = -rng.randint(100, 20_000) if rng.random() < 0.93 else rng.randint(50_000, 400_000)
        category = rng.choice(CATEGORIES) if amount < 0 else "income:salary"
        yield (str(uuid.uuid4()), STAMP, STAMP, day.isoformat(), amount, "EUR",
               rng.choice(PAYEES), category, rng.choice(("bank:checking", "card:visa")))


def rows_asset(n: int, rng: random.Random) -> Iterator[tuple[object, ...]]:
    for i in range(n):
        bought = date(2006, 1, 1) + timedelta(days=rng.randrange(7300))
        yield (str(uuid.uuid4()), STAMP, STAMP, f"Item {i}", rng.choice(ASSET_CATEGORIES),
               rng.choice(LOCATIONS), bought.isoformat(), rng.randint(500, 300_000), "EUR",
               (bought + timedelta(days=730)).isoformat(), "active")


def fill(db: Path, *, txns: int, assets: int, seed: int) -> None:
    rng = random.Random(seed)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode = WAL")
    with conn:
        conn.executemany(
            "INSERT INTO txn (uid, created_at, updated_at, occurred_on, amount_minor, currency, "
            "payee, category, account) VALUES (?,?,?,?,?,?,?,?,?)",
            rows_txn(txns, rng, date(2006, 11, 1)))
    with conn:
        conn.executemany(
            "INSERT INTO asset (uid, created_at, updated_at, name, category, location, "
            "purchased_on, price_minor, price_currency, warranty_until, status) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows_asset(assets, rng))
    conn.execute("ANALYZE")
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--txns", type=int, default=1_000_000)
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    env = bench_env(args.home)
    subprocess.run([*stuffctl(), "db", "info"], env=env, check=True, capture_output=True)
    fill(args.home / "stuffctl.db", txns=args.txns, assets=args.assets, seed=args.seed)
    print(f"filled {args.home}: {args.txns:,} transactions, {args.assets:,} assets")


if __name__ == "__main__":
    main()
