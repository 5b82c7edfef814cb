"""Bank CSV import: parse every row first, then add the new ones in one bulk insert.

Each row gets a fingerprint: a hash of its date, amount, currency, account,
payee and memo, plus the number of the identical row within its file
(``<hash>:1``, ``<hash>:2``). Re-importing the same file, or an export that
overlaps an earlier one, adds nothing twice, while two identical real
transactions on the same day in one file both stay. Errors name the file, the
line and the column: ``bank.csv:57: column amount: not an amount: 'x'``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlmodel import Session, col

from stuffctl.dates import parse_date, parse_date_format
from stuffctl.errors import InvalidInput
from stuffctl.models import Txn, utcnow
from stuffctl.money import normalise_currency, parse_amount
from stuffctl.services.common import money_json
from stuffctl.services.csv_rules import BUILTIN, Rules
from stuffctl.store import search

Progress = Callable[[int, int], None]
CHUNK = 900  # below SQLite's bound-parameter limit


@dataclass
class Parsed:
    rows: list[dict[str, Any]]
    skipped: int  # left out by skip_if


def decode(data: bytes, rules: Rules, name: str) -> str:
    """The file's text; binary files and wrong encodings are one clear error."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise InvalidInput(f"{name}: empty file")
    if not rules.encoding.startswith("utf-16") and b"\x00" in data:
        raise InvalidInput(f"{name}: binary data (NUL bytes), not a CSV text file")
    try:
        return data.decode(rules.encoding).lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{name}: not {rules.encoding} text (bad byte at offset "
                           f"{exc.start}); binary file, or set encoding in the rules") from None


def _records(text: str, rules: Rules, name: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of each non-blank record after the skipped lines."""
    pos = 0
    for _ in range(rules.skip):
        pos = text.find("\n", pos) + 1 or len(text)
    reader = csv.reader(io.StringIO(text[pos:], newline=""), delimiter=rules.separator)
    line = rules.skip + 1
    try:
        for cells in reader:
            if "".join(cells).strip():
                yield line, cells
            line = rules.skip + reader.line_num + 1
    except csv.Error as exc:
        raise InvalidInput(f"{name}:{line}: {exc}") from None


class _RowError(Exception):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column, self.reason = column, reason


def parse_csv(data: bytes, rules: Rules, *, name: str, default_currency: str,
              progress: Progress | None = None) -> Parsed:
    """Every row of a bank export as txn values, or InvalidInput for the first bad row."""
    text = decode(data, rules, name)
    if rules.name == BUILTIN and text.lstrip().startswith("["):
        return Parsed(_json_rows(text, name), 0)
    total, rows, skipped, seen = text.count("\n") + 1, [], 0, Counter[str]()
    for line, cells in _records(text, rules, name):
        try:
            values = _cells(cells, rules)
            if rules.skip_if and any(p.search(values[k]) for k, p in rules.skip_if.items()):
                skipped += 1
                continue
            row = _row(values, rules, default_currency)
        except _RowError as exc:
            raise InvalidInput(f"{name}:{line}: column {exc.column}: {exc.reason}") from None
        row["import_line"] = line
        rows.append(_fingerprinted(row, seen))
        if progress and len(rows) % 2000 == 0:
            progress(line, total)
    if not rows and not skipped:
        raise InvalidInput(f"{name}: no rows to import (after skipping {rules.skip} line(s))")
    return Parsed(rows[::-1] if rules.newest_first else rows, skipped)


def _cells(cells: list[str], rules: Rules) -> dict[str, str]:
    columns = rules.columns
    if len(cells) <= columns[-1][0]:
        column = next(name for i, name in columns if i >= len(cells))
        raise _RowError(column, f"missing (the row has {len(cells)} column(s), the "
                                f"rules name {len(rules.fields)})")
    return {name: cells[i].strip() for i, name in columns}


def _row(values: dict[str, str], rules: Rules, default_currency: str) -> dict[str, Any]:
    column = "date"
    try:
        day = parse_date_format(values["date"], rules.date_format)
        currency = rules.currency or default_currency
        if values.get("currency"):
            column = "currency"
            currency = normalise_currency(values["currency"])
        minor = _amount(values, rules, currency)
    except InvalidInput as exc:
        raise _RowError(column, exc.message) from None
    payee, memo = values.get("payee") or None, values.get("memo") or None
    match = rules.category_for(payee, memo) if rules.categorize else None
    return {
        "occurred_on": day, "amount_minor": minor, "currency": currency, "payee": payee,
        "memo": memo, "account": values.get("account") or rules.account,
        "category": values.get("category") or (match.category if match else None),
        "display_payee": match.payee if match and match.payee else payee,
    }


def _num(values: dict[str, str], column: str, rules: Rules, currency: str) -> int:
    try:
        return parse_amount(values[column], currency=currency, decimal_mark=rules.decimal_mark)
    except InvalidInput as exc:
        raise _RowError(column, exc.message) from None


def _amount(values: dict[str, str], rules: Rules, currency: str) -> int:
    if "amount" in values:
        minor = _num(values, "amount", rules, currency)
        if rules.direction:
            column, way = rules.direction["field"], values[rules.direction["field"]].casefold()
            if way not in (rules.direction["in"].casefold(), rules.direction["out"].casefold()):
                raise _RowError(column, f"expected {rules.direction['in']!r} or "
                                        f"{rules.direction['out']!r}, not {values[column]!r}")
            minor = abs(minor) * (-1 if way == rules.direction["out"].casefold() else 1)
        return minor
    if not values["amount_in"] and not values["amount_out"]:
        raise _RowError("amount_in", "no amount in amount_in or amount_out")
    money_in = abs(_num(values, "amount_in", rules, currency)) if values["amount_in"] else 0
    out = abs(_num(values, "amount_out", rules, currency)) if values["amount_out"] else 0
    return money_in - out


def _fingerprinted(row: dict[str, Any], seen: Counter[str]) -> dict[str, Any]:
    key = (f"{row['occurred_on']}\x1f{row['amount_minor']}\x1f{row['currency']}\x1f"
           f"{row['account'] or ''}\x1f{row['payee'] or ''}\x1f{row['memo'] or ''}")
    seen[key] += 1
    row["fingerprint"] = f"{hashlib.sha256(key.encode()).hexdigest()[:32]}:{seen[key]}"
    row["payee"] = row.pop("display_payee")
    return row


def _json_rows(text: str, name: str) -> list[dict[str, Any]]:
    """``tx export --format json`` read back (the tx shape)."""
    try:
        items = json.loads(text)
        seen: Counter[str] = Counter()
        rows = []
        for i, item in enumerate(items, 1):
            amount = item["amount"]
            row = {"occurred_on": parse_date(item["on"]), "currency": amount["currency"],
                   "amount_minor": parse_amount(amount["amount"], currency=amount["currency"]),
                   **{k: item.get(k) for k in ("payee", "memo", "account", "category")},
                   "import_line": i}
            row["display_payee"] = row["payee"]
            rows.append(_fingerprinted(row, seen))
        return rows
    except (ValueError, KeyError, TypeError, InvalidInput) as exc:
        raise InvalidInput(f"{name}: not a stuffctl JSON export: {exc}") from None


def _existing(session: Session, fingerprints: list[str]) -> set[str]:
    """Those of ``fingerprints`` already stored (an indexed lookup, 900 at a time)."""
    found: set[str] = set()
    conn = session.connection()
    for i in range(0, len(fingerprints), CHUNK):
        chunk = fingerprints[i:i + CHUNK]
        sql = f"SELECT fingerprint FROM txn WHERE fingerprint IN ({', '.join('?' * len(chunk))})"
        found.update(fp for (fp,) in conn.exec_driver_sql(sql, tuple(chunk)))
    return found


INSERT_COLUMNS = ("uid", "created_at", "updated_at", "occurred_on", "amount_minor", "currency",
                  "payee", "category", "account", "memo", "fingerprint", "import_line")


def _insert(session: Session, rows: list[dict[str, Any]]) -> None:
    """One executemany on the session's connection, in its transaction.

    Values are given in SQLAlchemy's own SQLite storage format (ISO dates,
    ``YYYY-MM-DD HH:MM:SS.ffffff`` UTC timestamps), which skips per-row type
    processing: 100,000 rows take a fraction of a second.
    """
    now = utcnow().strftime("%Y-%m-%d %H:%M:%S.%f")
    sql = (f"INSERT INTO txn ({', '.join(INSERT_COLUMNS)}) "
           f"VALUES ({', '.join('?' * len(INSERT_COLUMNS))})")
    conn = session.connection()
    with search.bulk_insert(conn, "txn"):
        conn.exec_driver_sql(sql, [(
            uid, now, now, r["occurred_on"].isoformat(), r["amount_minor"], r["currency"],
            r["payee"], r["category"], r["account"], r["memo"], r["fingerprint"],
            r["import_line"]) for uid, r in zip(new_uids(len(rows)), rows, strict=True)])


def new_uids(n: int) -> list[str]:
    """``n`` random (version 4) UUIDs as text, several times faster than uuid4() each."""
    raw = os.urandom(16 * n).hex()
    return [f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"
            for h in (raw[i:i + 32] for i in range(0, 32 * n, 32))]


def import_rows(*, session: Session, parsed: Parsed, dry_run: bool = False) -> dict[str, Any]:
    """Add the rows not seen before, in one bulk Core insert (docs/json.md#tx-import)."""
    rows = parsed.rows
    seen = _existing(session, [r["fingerprint"] for r in rows])
    new = [r for r in rows if r["fingerprint"] not in seen]
    if new and not dry_run:
        _insert(session, new)
    sums: Counter[str] = Counter()
    for r in new:
        sums[r["currency"]] += r["amount_minor"]
    return {
        "rows": len(rows), "added": 0 if dry_run else len(new), "new": len(new),
        "duplicates": len(rows) - len(new), "skipped": parsed.skipped, "dry_run": dry_run,
        "totals": [money_json(sums[c], c) for c in sorted(sums)],
        "transactions": [_preview(r) for r in new] if dry_run else None,
    }


def _preview(row: dict[str, Any]) -> dict[str, Any]:
    return {"on": row["occurred_on"].isoformat(),
            "amount": money_json(row["amount_minor"], row["currency"]),
            **{k: row[k] for k in ("payee", "category", "account", "memo")},
            "line": row["import_line"]}


def categorize(*, session: Session, rules: Rules, dry_run: bool = False) -> dict[str, Any]:
    """Give uncategorised transactions the category of the first matching rule."""
    query = select(col(Txn.id), col(Txn.payee), col(Txn.memo)).where(col(Txn.category).is_(None))
    changes, total, counts = [], 0, Counter[str]()
    for txn_id, payee, memo in session.execute(query):
        total += 1
        match = rules.category_for(payee, memo)
        if match is not None:
            changes.append({"b_id": txn_id, "b_category": match.category})
            counts[match.category] += 1
    if changes and not dry_run:
        table: Any = Txn.__table__  # type: ignore[attr-defined]
        session.execute(update(table).where(table.c.id == bindparam("b_id"))
                        .values(category=bindparam("b_category"), updated_at=utcnow()),
                        changes)
    return {"uncategorized": total, "categorized": len(changes), "dry_run": dry_run,
            "by_category": dict(sorted(counts.items()))}
