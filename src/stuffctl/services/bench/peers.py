"""Compare with peers, privately: an anonymised bench summary, and ranking among several.

The export holds only metric names (spending per *top-level* category), the
period keys and rounded numbers: money to whole units, shares to 2 decimals,
days to 1. No names, payees, notes, ids or uids (docs/bench.md#export).
"""

from __future__ import annotations

import statistics
from datetime import date
from pathlib import Path
from typing import Any

from stuffctl.errors import InvalidInput
from stuffctl.services.bench import summary
from stuffctl.store.handle import Db

FORMAT = "stuffctl-bench"
VERSION = 1
DIGITS = {"money": 0, "share": 2, "days": 1, "count": 0}


def _round(value: float | None, unit: str) -> float | int | None:
    if value is None:
        return None
    digits = DIGITS[unit]
    return round(value) if digits == 0 else round(value, digits)


def export(*, db: Db, unit: str, today: date, currency: str) -> dict[str, Any]:
    """The shareable summary: per metric its unit, direction and 13 rounded values."""
    w = summary.window(unit=unit, today=today, currency=currency)
    metrics = {}
    for name, values in summary.histories(db=db, w=w).items():
        meta = summary.info(name)
        metrics[name] = {
            "unit": meta.unit,
            "direction": "higher_is_better" if meta.higher_is_better else "lower_is_better",
            "values": [_round(values[k], meta.unit) for k in w.keys]}
    return {"format": FORMAT, "version": VERSION, "period": unit, "currency": currency,
            "periods": w.keys, "metrics": metrics}


def load(path: Path) -> dict[str, Any]:
    """Read and check one export file; errors name the file."""
    from stuffctl.services.data import intake

    data = intake.load_json(intake.read_text(path), str(path))
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InvalidInput(f"{path}: not a stuffctl bench export (no \"format\": \"{FORMAT}\")")
    if not isinstance(data.get("metrics"), dict):
        raise InvalidInput(f"{path}: \"metrics\" must be an object")
    return data


def _latest(doc: dict[str, Any], metric: str) -> float | None:
    entry = doc["metrics"].get(metric)
    values = entry.get("values") if isinstance(entry, dict) else None
    if not isinstance(values, list) or not values:
        return None
    last = values[-1]
    return float(last) if isinstance(last, int | float) and not isinstance(last, bool) else None


def rank(mine: float, peers: list[float], higher_is_better: bool) -> int:
    """1 = best among me and the peers; ties share the better rank."""
    better = [p for p in peers if (p > mine if higher_is_better else p < mine)]
    return len(better) + 1


def compare(*, mine: dict[str, Any], peers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per metric of mine: where this period's value stands among the peers' latest.

    Money metrics are compared only with peers that use the same currency.
    """
    rows = []
    for metric, entry in mine["metrics"].items():
        now = _latest(mine, metric)
        pool = [p for p in peers
                if entry["unit"] != "money" or p.get("currency") == mine.get("currency")]
        values = [v for v in (_latest(p, metric) for p in pool) if v is not None]
        if now is None or not values:
            continue
        higher = entry["direction"] == "higher_is_better"
        rows.append({"metric": metric, "unit": entry["unit"], "direction": entry["direction"],
                     "now": now, "peers": len(values), "rank": rank(now, values, higher),
                     "of": len(values) + 1, "percentile": summary.percentile(now, values),
                     "peer_median": statistics.median(values)})
    return rows


def compare_files(*, db: Db, paths: list[Path], today: date,
                  currency: str) -> dict[str, Any]:
    """Load the peers' exports and rank this home's latest period among them.

    The period (month, quarter, year) is the peers'; money metrics are compared only
    with peers that use the same currency.
    """
    peers = [load(p) for p in paths]
    units = {p.get("period") for p in peers}
    if len(units) != 1 or not units <= set(summary.PERIODS):
        raise InvalidInput(f"the files mix or lack periods ({', '.join(map(str, units))}); "
                           "compare exports of one period (month, quarter or year)")
    unit = str(units.pop())
    mine = export(db=db, unit=unit, today=today, currency=currency)
    rows = [summary.money_fields(row, currency, "now", "peer_median")
            for row in compare(mine=mine, peers=peers)]
    return {"period": unit, "as_of": mine["periods"][-1], "currency": currency,
            "files": len(peers), "metrics": rows}
