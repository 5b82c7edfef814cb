"""Peak memory of streaming every transaction: `tx list --format ndjson` over the large home.

    python benchmarks/generate.py --home /tmp/big
    python benchmarks/bench_stream.py --home /tmp/big [--format ndjson]

Runs the command once with stdout to /dev/null and prints its wall time, the
number of rows, and its peak resident memory (the child's ``ru_maxrss``), next
to the same figure for `stuffctl --help` (the interpreter and imports alone).
Target: under 150 MB for 1,000,000 rows, whatever the row count.
"""

from __future__ import annotations

import argparse
import subprocess
import time
from pathlib import Path

from common import PY, bench_env, stuffctl

PEAK_RSS = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def peak_mb(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(peak RSS in MB, seconds) of ``argv``, measured by a fresh wrapper process."""
    start = time.perf_counter()
    done = subprocess.run([PY, "-c", PEAK_RSS, *argv], env=env, capture_output=True,
                          text=True, check=True)
    return int(done.stdout) / 1024, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--format", default="ndjson")
    args = parser.parse_args()
    env = bench_env(args.home)
    rows = subprocess.run(["sqlite3", str(args.home / "stuffctl.db"),
                           "select count(*) from txn"], capture_output=True, text=True)
    base, _ = peak_mb([*stuffctl(), "--help"], env)
    mb, seconds = peak_mb([*stuffctl(), "tx", "list", "--format", args.format], env)
    print(f"stuffctl --help: peak {base:.0f} MB")
    print(f"tx list --format {args.format} ({rows.stdout.strip() or '?'} rows): peak {mb:.0f} MB,"
          f" {seconds:.1f} s  (target < 150 MB)")


if __name__ == "__main__":
    main()
