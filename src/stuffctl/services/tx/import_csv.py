"""Bank CSV import: parse every row first, then add the new ones in one bulk insert.

A bulk path: one ``store.sql.insert_many`` in the command's transaction, with the
txn table's plain indexes built afresh afterwards for a large file (``store.bulk``).

Each row gets a fingerprint: a hash of its date, amount, currency, account,
payee and memo, plus the number of the identical row within its file
(``<hash>:1``, ``<hash>:2``). Re-importing the same file, or an export that
overlaps an earlier one, adds nothing twice, while two identical real
transactions on the same day in one file both stay. Errors name the file, the
line and the column: ``bank.csv:57: column amount: not an amount: 'x'``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from hashlib import sha256
from typing import Any

from stuffctl.clock import is_uid
from stuffctl.dates import parse_date, parse_date_format
from stuffctl.errors import InvalidInput
from stuffctl.money import money_json, normalise_currency, parse_amount, plain_parser
from stuffctl.services.tx.rules import BUILTIN, Rules
from stuffctl.store import bulk, search, sql, undo
from stuffctl.store.handle import Db

Progress = Callable[[int, int], None]


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
    """(line number, cells) of each non-blank record after the skipped lines. Lines end
    in LF, CRLF or CR alone (old Mac exports); a ``skip`` past the end skips them all."""
    lines = io.StringIO(text, newline="")  # splits at \n, \r\n and \r, keeps them
    for _ in range(rules.skip):
        if not lines.readline():
            break
    reader = csv.reader(lines, delimiter=rules.separator)
    line = rules.skip + 1
    try:
        for cells in reader:
            if "".join(cells).strip():
                yield line, _unquoted(cells) if rules.name == BUILTIN else cells
            line = rules.skip + reader.line_num + 1
    except csv.Error as exc:
        raise InvalidInput(f"{name}:{line}: {exc}") from None


# What `tx export` writes for a spreadsheet (render.spreadsheet_cell): a cell that would
# run as a formula, starting with = + - @, tab or CR after any quotes, got one quote more.
_QUOTED_FORMULA = re.compile(r"'+[=+\-@\t\r]")


def _unquoted(cells: list[str]) -> list[str]:
    """The cells of ``tx export`` as they were stored: its quote taken off again."""
    return [c[1:] if c[:1] == "'" and _QUOTED_FORMULA.match(c) else c for c in cells]


class _RowError(Exception):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column, self.reason = column, reason


def parse_csv(data: bytes, rules: Rules, *, name: str, default_currency: str,
              progress: Progress | None = None) -> Parsed:
    """Every row of a bank export as txn values, or InvalidInput for the first bad row."""
    with bulk.no_gc():
        return _parse_csv(data, rules, name=name, default_currency=default_currency,
                          progress=progress)


def _parse_csv(data: bytes, rules: Rules, *, name: str, default_currency: str,
               progress: Progress | None) -> Parsed:
    text = decode(data, rules, name)
    if rules.name == BUILTIN and text.lstrip().startswith("["):
        return Parsed(_json_rows(text, name), 0)
    if rules.name == BUILTIN:
        from stuffctl.services.tx.rules import builtin_for

        rules = builtin_for(text.split("\n", 1)[0])
    total = (text.count("\n") or text.count("\r")) + 1
    rows, skipped, seen = [], 0, dict[str, int]()
    skip_if = list(rules.skip_if.items())
    fast = None if skip_if else _fast_reader(rules, default_currency)
    for line, cells in _records(text, rules, name):
        row = fast(cells) if fast else None
        if row is None:
            try:
                values = _cells(cells, rules)
                if skip_if and any(p.search(values[k]) for k, p in skip_if):
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


def _fast_reader(rules: Rules, default_currency: str
                 ) -> Callable[[list[str]], dict[str, Any] | None] | None:
    """The usual row (a date, one signed amount, text columns) read straight from its
    cells: the same values ``_row`` gives, about twice as fast. It returns None for
    anything unusual, and the general path then reads the row or explains the error.
    None when the rules need the general path for every row."""
    named = dict((name, i) for i, name in rules.columns)
    if rules.direction or "amount" not in named or {"currency", "uid", "tags"} & set(named):
        return None
    width, fmt = rules.columns[-1][0] + 1, rules.date_format
    date_i, amount_i = named["date"], named["amount"]
    payee_i, memo_i = named.get("payee"), named.get("memo")
    category_i, account_i = named.get("category"), named.get("account")
    currency = rules.currency or default_currency
    amount = plain_parser(currency, rules.decimal_mark)
    category_for = rules.category_for if rules.categorize else None

    def read(cells: list[str]) -> dict[str, Any] | None:
        if len(cells) < width:
            return None
        try:
            day, iso = _day(cells[date_i].strip(), fmt)
        except InvalidInput:
            return None
        minor = amount(cells[amount_i])
        if minor is None:
            return None
        payee = (cells[payee_i].strip() or None) if payee_i is not None else None
        memo = (cells[memo_i].strip() or None) if memo_i is not None else None
        match = category_for(payee, memo) if category_for else None
        category = (cells[category_i].strip() or None) if category_i is not None else None
        account = (cells[account_i].strip() or None) if account_i is not None else None
        row = {
            "occurred_on": day, "iso": iso, "amount_minor": minor, "currency": currency,
            "payee": payee, "memo": memo, "account": account or rules.account,
            "category": category or (match.category if match else None),
            "display_payee": match.payee if match and match.payee else payee,
        }
        if match is not None and match.stock is not None:
            row["stock"] = (match.stock, match.qty)
        return row

    return read


def _cells(cells: list[str], rules: Rules) -> dict[str, str]:
    columns = rules.columns
    if len(cells) <= columns[-1][0]:
        column = next(name for i, name in columns if i >= len(cells))
        raise _RowError(column, f"missing (the row has {len(cells)} column(s), the "
                                f"rules name {len(rules.fields)})")
    return {name: cells[i].strip() for i, name in columns}


@lru_cache(maxsize=4096)
def _day(text: str, fmt: str) -> tuple[date, str]:
    """A bank-export date and its ISO text (an export repeats a few hundred dates)."""
    day = parse_date_format(text, fmt)
    return day, day.isoformat()


def _row(values: dict[str, str], rules: Rules, default_currency: str) -> dict[str, Any]:
    column = "date"
    try:
        day, iso = _day(values["date"], rules.date_format)
        currency = rules.currency or default_currency
        if values.get("currency"):
            column = "currency"
            currency = normalise_currency(values["currency"])
        minor = _amount(values, rules, currency)
    except InvalidInput as exc:
        raise _RowError(column, exc.message) from None
    payee, memo = values.get("payee") or None, values.get("memo") or None
    match = rules.category_for(payee, memo) if rules.categorize else None
    row = {
        "occurred_on": day, "iso": iso, "amount_minor": minor, "currency": currency,
        "payee": payee, "memo": memo, "account": values.get("account") or rules.account,
        "category": values.get("category") or (match.category if match else None),
        "display_payee": match.payee if match and match.payee else payee,
    }
    if match is not None and match.stock is not None:
        row["stock"] = (match.stock, match.qty)
    if "uid" in values and is_uid(values["uid"]):  # a stuffctl export's own row
        row["uid"] = values["uid"]
    if values.get("tags"):
        row["tags"] = [t.strip() for t in values["tags"].split(";") if t.strip()]
    return row


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


def _fingerprinted(row: dict[str, Any], seen: dict[str, int]) -> dict[str, Any]:
    """Add the row's fingerprint: a hash of its content and its number among identical
    rows of the file. The format is stored: changing it would re-import old files."""
    key = (f"{row['iso']}\x1f{row['amount_minor']}\x1f{row['currency']}\x1f"
           f"{row['account'] or ''}\x1f{row['payee'] or ''}\x1f{row['memo'] or ''}")
    n = seen[key] = seen.get(key, 0) + 1
    row["fingerprint"] = f"{sha256(key.encode()).hexdigest()[:32]}:{n}"
    row["payee"] = row.pop("display_payee")
    return row


def journal_rows(rows: list[dict[str, Any]]) -> Parsed:
    """Rows read from a journal (``services.tx.journal``), fingerprinted as a file's."""
    seen: dict[str, int] = {}
    return Parsed([_fingerprinted({**row, "display_payee": row["payee"]}, seen)
                   for row in rows], 0)


def _json_rows(text: str, name: str) -> list[dict[str, Any]]:
    """``tx export --format json`` read back (the tx shape); errors name the record."""
    from stuffctl.services.data import intake

    items = intake.load_json(text, name)
    if not isinstance(items, list):
        raise InvalidInput(f"{name}: not a stuffctl JSON export (expected an array)")
    seen: dict[str, int] = {}
    rows = []
    for i, item in enumerate(items, 1):
        try:
            row = _json_row(item)
        except InvalidInput as exc:
            raise InvalidInput(f"{name}: record {i}: {exc.message}") from None
        row["import_line"] = i
        rows.append(_fingerprinted(row, seen))
    return rows


def _json_row(item: Any) -> dict[str, Any]:
    """One transaction of the tx shape as txn values; InvalidInput names the key."""
    if not isinstance(item, dict):
        raise InvalidInput(f"expected an object (a transaction), not {_kind(item)}")
    amount = item.get("amount")
    if not isinstance(amount, dict):
        raise InvalidInput('amount: expected {"amount": "12.50", "currency": "EUR"}, not '
                           f"{_kind(amount)}")
    texts: dict[str, str | None] = {}
    try:
        for key in ("payee", "memo", "account", "category"):
            texts[key] = _text(item.get(key))
        key = "on"
        day = parse_date(_required(item.get(key)))
        key = "currency"
        currency = normalise_currency(_required(amount.get(key)))
        key = "amount"
        minor = parse_amount(_required(amount.get(key)), currency=currency)
    except InvalidInput as exc:
        raise InvalidInput(f"{key}: {exc.message}") from None
    return {"occurred_on": day, "iso": day.isoformat(), "currency": currency,
            "amount_minor": minor, "display_payee": texts["payee"], **texts}


def _text(value: Any) -> str | None:
    """A JSON value that must be text or null."""
    return None if value is None else _required(value)


def _required(value: Any) -> str:
    """A JSON value that must be text."""
    if isinstance(value, str):
        return value
    raise InvalidInput("missing" if value is None else f"expected text, not {_kind(value)}")


def _kind(value: Any) -> str:
    """What a JSON value is, in words (never the value itself: it may be huge)."""
    kinds = {type(None): "null", bool: "true/false", int: "a number", float: "a number",
             str: "text", list: "an array", dict: "an object"}
    return kinds.get(type(value), type(value).__name__)


def _existing(db: Db, fingerprints: list[str]) -> set[str]:
    """Those of ``fingerprints`` already stored: one statement, an index lookup each."""
    query = f"SELECT fingerprint FROM txn WHERE {db.backend.in_list('fingerprint')}"
    return {fp for (fp,) in db.execute(query, (json.dumps(fingerprints),))}


IMPORTED = ("occurred_on", "amount_minor", "currency", "payee", "category", "account", "memo",
            "fingerprint", "import_line")  # the columns an imported row gives


def _insert(db: Db, rows: list[dict[str, Any]]) -> None:
    """One bulk insert in the connection's transaction; a row whose fingerprint is
    already stored is left out by the unique index itself (no lookup beforehand). Rows
    with tags (from a journal) get them once their ids are known."""
    with search.bulk_insert(db, "txn"), undo.bulk_insert(db, "txn"), \
            bulk.deferred_indexes(db, "txn", len(rows)):
        (last,) = db.execute("SELECT coalesce(max(id), 0) FROM txn").fetchone()
        sql.insert_many(db, "txn", IMPORTED, [(
            r["iso"], r["amount_minor"], r["currency"], r["payee"], r["category"],
            r["account"], r["memo"], r["fingerprint"], r["import_line"]) for r in rows],
            skip_duplicates=True)
    tagged = {r["fingerprint"]: r["tags"] for r in rows if r.get("tags")}
    uids = {r["fingerprint"]: r["uid"] for r in rows if r.get("uid")}
    if tagged or uids:
        ids = dict(db.execute("SELECT fingerprint, id FROM txn WHERE id > ?", (last,)))
        sql.insert_many(db, "txn_tag", ("txn_id", "tag"), [
            (ids[fp], tag) for fp, tags in tagged.items() if fp in ids
            for tag in dict.fromkeys(tags)], skip_duplicates=True)
        db.executemany("UPDATE txn SET uid = ? WHERE id = ?",
                       [(uid, ids[fp]) for fp, uid in uids.items() if fp in ids])


def _own(db: Db, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` without those whose uid (a journal keeps it) is stored already: this
    home's own transactions, exported and read back."""
    uids = [r["uid"] for r in rows if r.get("uid")]
    if not uids:
        return rows
    query = f"SELECT uid FROM txn WHERE {db.backend.in_list('uid')}"
    known = {uid for (uid,) in db.execute(query, (json.dumps(uids),))}
    return [r for r in rows if r.get("uid") not in known]


def import_rows(*, db: Db, parsed: Parsed,
                dry_run: bool = False) -> dict[str, Any]:
    """Add the rows not seen before in one bulk insert (docs/json.md#tx-import)."""
    rows, previews = _own(db, parsed.rows), None
    items = _stock_items(db, rows)
    if dry_run:
        seen = _existing(db, [r["fingerprint"] for r in rows])
        new = [r for r in rows if r["fingerprint"] not in seen]
        sums: Counter[str] = Counter()
        for r in new:
            sums[r["currency"]] += r["amount_minor"]
        count, totals, previews = len(new), sorted(sums.items()), [_preview(r) for r in new]
        stocked = sum(1 for r in new if _bought(r))
    else:
        (last,) = db.execute("SELECT coalesce(max(id), 0) FROM txn").fetchone()
        _insert(db, rows)
        added = db.execute("SELECT currency, count(*), sum(amount_minor) FROM txn "
                             "WHERE id > ? GROUP BY currency ORDER BY currency", (last,))
        found = [(currency, n, total) for currency, n, total in added]
        count, totals = sum(n for _, n, _ in found), [(c, t) for c, _, t in found]
        stocked = _add_stock(db, rows, items, last) if items else 0
    return {
        "rows": len(parsed.rows), "added": 0 if dry_run else count, "new": count,
        "duplicates": len(parsed.rows) - count, "skipped": parsed.skipped,
        "dry_run": dry_run, "stock_moves": stocked,
        "totals": [money_json(total, currency) for currency, total in totals],
        "transactions": previews,
    }


def _bought(row: dict[str, Any]) -> bool:
    """Whether the row is a purchase a rule's ``stock`` adds to stock (money out only: a
    refund adds nothing)."""
    return "stock" in row and row["amount_minor"] < 0


def _stock_items(db: Db, rows: list[dict[str, Any]]) -> dict[str, int]:
    """The id of each stock item the rules name (NotFound for one there is not: nothing
    is imported)."""
    from stuffctl.services.lookup import resolve

    names = dict.fromkeys(r["stock"][0] for r in rows if _bought(r))
    return {name: resolve(db, "stock", name, f"rules: stock {name!r}") for name in names}


def _add_stock(db: Db, rows: list[dict[str, Any]], items: dict[str, int], last: int) -> int:
    """A ``buy`` move for each purchase just added (``id > last``) that a rule gives a
    stock item, linked to its transaction; how many."""
    from stuffctl.services.stock.items import buy

    bought = {r["fingerprint"]: r["stock"] for r in rows if _bought(r)}
    ids = db.execute(f"SELECT fingerprint, id, occurred_on FROM txn WHERE id > ? AND "
                     f"{db.backend.in_list('fingerprint')} ORDER BY id",
                     (last, json.dumps(list(bought)))).fetchall()
    for fingerprint, txn_id, on in ids:
        name, qty = bought[fingerprint]
        day = sql.day(on)
        assert day is not None
        buy(db=db, item_id=items[name], qty=qty, on=day, today=day, txn_id=txn_id)
    return len(ids)


def _preview(row: dict[str, Any]) -> dict[str, Any]:
    return {"on": row["occurred_on"].isoformat(),
            "amount": money_json(row["amount_minor"], row["currency"]),
            **{k: row[k] for k in ("payee", "category", "account", "memo")},
            "line": row["import_line"]}
