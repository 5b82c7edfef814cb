"""Export, import and find on the large home, each against its floor (#26).

    python benchmarks/generate.py --home /tmp/big           # once: the large home
    python benchmarks/bench_data.py --home /tmp/big [--runs 3] [--work DIR]

The home is never written: its database is copied into a scratch folder (``--work``,
default a temporary one) and every command runs on the copy. Each target runs
alternately with its floor, as a whole process, after one warm-up pair; the ratio is
of the two medians, so load that comes and goes moves both alike:

- ``stuffctl export --out FILE`` against ``sqlite3 DB .dump > FILE`` (target 2.5 times);
- ``stuffctl import FILE`` of that export into an empty home, a fresh one each run,
  against a bare ``json.loads`` of the same file in Python (target 3 times), and its peak
  resident memory (with the helper process that reads the document: their sum, sampled;
  target under 300 MB);
- ``stuffctl find WORD`` over a word most transactions hold (70,000 matches) against
  the same command for about a hundred matches (target 1.5 times).

It also checks that the import's home exports the very same bytes. The load average
is printed before and after.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from common import PY, bench_env, stuffctl, table

# Runs ``argv`` in a child and prints its wall time and the peak of the resident memory
# of it and its own children together (sampled every 20 ms from /proc: an import reads
# its document in a helper process), or the largest process's own peak if higher.
MEASURE = """
import resource, subprocess, sys, time
from pathlib import Path

def rss(pid):
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0
    own = next((int(l.split()[1]) for l in status.splitlines() if l.startswith("VmRSS")), 0)
    return own + sum(rss(int(k)) for k in kids)

start = time.perf_counter()
peak = 0
with open(sys.argv[1], "wb") as out:
    child = subprocess.Popen(sys.argv[2:], stdout=out, stderr=subprocess.DEVNULL)
    while child.poll() is None:
        peak = max(peak, rss(child.pid))
        time.sleep(0.02)
assert child.returncode == 0, child.returncode
own = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(time.perf_counter() - start, max(peak, own))
"""
LOADS = "import json, sys; json.loads(open(sys.argv[1], 'rb').read())"


def measure(argv: list[str], env: dict[str, str], out: str = "/dev/null") -> tuple[float, float]:
    """(wall ms, peak resident MB of it and its children) of ``argv`` as a whole process,
    stdout to ``out``."""
    done = subprocess.run([PY, "-c", MEASURE, out, *argv], env=env, capture_output=True,
                          text=True, check=True)
    seconds, kib = done.stdout.split()
    return float(seconds) * 1000, int(kib) / 1024


def alternate(runs: int, target: Callable[[], tuple[float, float]],
              floor: Callable[[], tuple[float, float]]) -> tuple[list[tuple[float, float]],
                                                                 list[tuple[float, float]]]:
    """``runs`` measurements of each, alternately, after a warm-up pair."""
    pairs = [(target(), floor()) for _ in range(runs + 1)][1:]
    return [t for t, _ in pairs], [f for _, f in pairs]


def row(what: str, target: list[tuple[float, float]], floor: list[tuple[float, float]],
        floor_name: str, allowed: float) -> tuple[str, float, str, float, str]:
    ms = statistics.median(t for t, _ in target)
    floor_ms = statistics.median(f for f, _ in floor)
    ratio = ms / floor_ms
    return (what, ms, f"{floor_name}: {floor_ms:,.0f} ms", ratio,
            f"≤ {allowed}× {'ok' if ratio <= allowed else 'MISSED'}")


def loadavg() -> str:
    try:
        return Path("/proc/loadavg").read_text().strip()
    except OSError:
        return "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, help="scratch folder (default: a temporary one)")
    parser.add_argument("--common", default="lidl", help="a word most transactions hold")
    parser.add_argument("--rare", default="item 555", help="words about a hundred rows hold")
    parser.add_argument("--skip", nargs="*", default=[], choices=["export", "import", "find"])
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="stuffctl-bench-data-"))
    print(f"load average before: {loadavg()}")
    source = work / "source"
    source.mkdir(parents=True, exist_ok=True)
    shutil.copy(args.home / "stuffctl.db", source / "stuffctl.db")
    env = bench_env(source)
    subprocess.run([*stuffctl(), "db", "info"], env=env, check=True, capture_output=True)
    exported = work / "export.json"
    rows = []
    if "export" not in args.skip:
        rows.append(_export(args, env, source, work, exported))
    elif not exported.exists():
        subprocess.run([*stuffctl(), "export", "--out", str(exported)], env=env, check=True)
    if "import" not in args.skip:
        rows += _import(args, work, exported)
    if "find" not in args.skip:
        rows.append(_find(args, env))
    print(table(rows))
    print(f"load average after: {loadavg()}")


def _export(args: argparse.Namespace, env: dict[str, str], source: Path, work: Path,
            exported: Path) -> tuple[str, float, str, float, str]:
    dump = work / "dump.sql"
    target, floor = alternate(
        args.runs, lambda: measure([*stuffctl(), "export", "--out", str(exported)], env),
        lambda: measure(["sqlite3", str(source / "stuffctl.db"), ".dump"], env, str(dump)))
    size = exported.stat().st_size / 1e6
    peak = max(m for _, m in target)
    return row(f"export of the large home ({size:,.0f} MB, peak {peak:,.0f} MB)", target,
               floor, "sqlite3 .dump", 2.5)


def _import(args: argparse.Namespace, work: Path,
            exported: Path) -> list[tuple[str, float, str, float, str]]:
    home = work / "imported"

    def fresh() -> tuple[float, float]:
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir()
        return measure([*stuffctl(), "import", str(exported)], bench_env(home))

    target, floor = alternate(args.runs, fresh,
                              lambda: measure([PY, "-c", LOADS, str(exported)], bench_env(home)))
    again = work / "again.json"
    subprocess.run([*stuffctl(), "export", "--out", str(again)], env=bench_env(home), check=True,
                   capture_output=True)
    same = again.read_bytes() == exported.read_bytes()
    print(f"re-export of the imported home is {'the same bytes' if same else 'DIFFERENT'}")
    peak = max(m for _, m in target)
    print(f"import: peak resident memory {peak:,.0f} MB (the largest of {len(target)} runs; "
          f"target < 300 MB: {'ok' if peak < 300 else 'MISSED'}); json.loads: "
          f"{max(m for _, m in floor):,.0f} MB")
    return [row(f"import of that export into an empty home (peak {peak:,.0f} MB)", target,
                floor, "json.loads of the file", 3.0)]


def _find(args: argparse.Namespace, env: dict[str, str]) -> tuple[str, float, str, float, str]:
    def count(words: str) -> int:
        done = subprocess.run([*stuffctl(), "find", words, "--limit", "10000000", "--format",
                               "csv"], env=env, capture_output=True, text=True, check=True)
        return len(done.stdout.splitlines()) - 1

    common, rare = count(args.common), count(args.rare)
    runs = max(args.runs, 7)
    target, floor = alternate(runs, lambda: measure([*stuffctl(), "find", args.common], env),
                              lambda: measure([*stuffctl(), "find", args.rare], env))
    return row(f"find {args.common} ({common:,} matches, 50 shown)", target, floor,
               f"find {args.rare} ({rare:,} matches)", 1.5)


if __name__ == "__main__":
    main()
