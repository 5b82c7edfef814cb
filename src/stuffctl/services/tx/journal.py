"""Plain-text accounting in and out: ledger, hledger and beancount journals
(docs/transactions.md, "Plain-text accounting").

Out (``tx export --format ledger|hledger|beancount``): each transaction is a balanced
double-entry transaction of two postings. Its category becomes an ``expenses:…`` account
(money out) or an ``income:…`` account (money in), ``expenses:unknown`` /
``income:unknown`` without one (hledger's own names); its account becomes
``assets:…`` (``assets:unknown`` without one). The payee is the description, and the
memo, tags, uid and links (asset, project, subscription ids) are metadata: ``; key:
value`` comment lines in ledger and hledger, ``key: "value"`` lines and ``#tags`` in
beancount, which also gets an ``open`` directive for each account so that
``bean-check`` passes (beancount's account names are capitalised, ``Expenses:Eating-Out``;
the exact category and account are kept as metadata).

In (``tx import --format hledger|ledger|beancount FILE``): what the export writes, read
back exactly (an export imported into a fresh home exports the same), and common
hand-written journals: each posting that is not to an asset or liability account
becomes one row against the transaction's first asset or liability account (a
transfer between two of them, one row each, category ``transfer``); an amount left out
is what balances the transaction; prices, costs and balance assertions are ignored;
directives (``account``, ``commodity``, ``P``, ``open``, ``option``, …) are skipped;
periodic and automated transactions are skipped. What cannot be read is one error naming
the file and the line. Links are not read back: ids are the exporting home's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from stuffctl.clock import is_uid
from stuffctl.errors import InvalidInput
from stuffctl.money import parse_money

FORMATS = ("ledger", "hledger", "beancount")
UNKNOWN = "unknown"
HOME_ROOTS = ("assets", "asset", "liabilities", "liability")
META = ("uid", "payee", "memo", "category", "account", "tags", "asset", "project",
        "subscription")
LINKS = (("asset_id", "asset"), ("project_id", "project"), ("subscription_id", "subscription"))


# -- out -------------------------------------------------------------------------------

ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
UNESCAPES = {"n": "\n", "r": "\r", "t": "\t", "s": " "}


def _escape(text: str) -> str:
    """``text`` on one line: backslash, newline, carriage return and tab escaped."""
    return "".join(ESCAPES.get(c, c) for c in text)


def _escape_value(text: str) -> str:
    """A comment's value: escaped, and a space at either end as ``\\s`` (lines are read
    without their trailing blanks)."""
    escaped = _escape(text)
    start = len(escaped) - len(escaped.lstrip(" "))
    end = len(escaped.rstrip(" "))
    if end <= start:
        return "\\s" * len(escaped)
    return "\\s" * start + escaped[start:end] + "\\s" * (len(escaped) - end)


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: UNESCAPES.get(m[1], m[1]), text)


def accounts_of(row: dict[str, Any]) -> tuple[str, str]:
    """(the category's account, the asset account) of a transaction in the tx shape."""
    money_in = not row["amount"]["amount"].startswith("-")
    side = "income" if money_in else "expenses"
    return (f"{side}:{row['category'] or UNKNOWN}", f"assets:{row['account'] or UNKNOWN}")


def _account_name(name: str) -> str:
    """A ledger/hledger account name: no run of two spaces (it ends the name), no tab."""
    return re.sub(r"\s{2,}|\t", " ", name).replace(";", ",").strip()


def _negated(amount: str) -> str:
    return amount[1:] if amount.startswith("-") else f"-{amount}"


def ledger_text(rows: Iterable[dict[str, Any]], *, flavour: str = "hledger") -> Iterator[str]:
    """A ledger or hledger journal of ``rows`` (the tx shape), a chunk at a time."""
    yield f"; stuffctl tx export --format {flavour}\n"
    for row in rows:
        category, asset = accounts_of(row)
        amount, currency = row["amount"]["amount"], row["amount"]["currency"]
        payee = row["payee"] or ""
        description = _escape(payee).replace(";", ",").replace("|", "/")
        if description.startswith("("):  # a code, to ledger and hledger
            description = "[" + description[1:]
        lines = [f"\n{row['on']} * {description}".rstrip()]
        meta = {"uid": row["uid"], "memo": row["memo"],
                "payee": payee if description != payee else None,
                "category": row["category"] if _account_name(category) != category else None,
                "account": row["account"] if _account_name(asset) != asset else None,
                "tags": ", ".join(row["tags"]) if row["tags"] else None,
                **{name: row[key] for key, name in LINKS}}
        lines += [f"    ; {key}: {_escape_value(str(value))}" for key, value in meta.items()
                  if value is not None]
        width = max(len(_account_name(category)), len(_account_name(asset))) + 4
        lines.append(f"    {_account_name(category):<{width}}{_negated(amount):>14} {currency}")
        lines.append(f"    {_account_name(asset):<{width}}{amount:>14} {currency}")
        yield "\n".join(lines) + "\n"


_BEAN_PART = re.compile(r"[^A-Za-z0-9-]+")


def bean_account(name: str) -> str:
    """A beancount account: each part capitalised, other characters as ``-``."""
    parts = []
    for part in name.split(":"):
        clean = "-".join(w[:1].upper() + w[1:] for w in _BEAN_PART.split(part) if w)
        parts.append(clean if clean[:1].isalnum() and clean[:1].upper() == clean[:1]
                     else f"X{clean}")
    return ":".join(parts)


def _bean_string(text: str) -> str:
    return '"' + _escape(text).replace('"', '\\"') + '"'


def beancount_text(rows: list[dict[str, Any]]) -> Iterator[str]:
    """A beancount file of ``rows``: ``open`` directives, then the transactions."""
    opened: dict[str, str] = {}
    for row in rows:
        for account in accounts_of(row):
            opened.setdefault(bean_account(account), row["on"])
    yield "; stuffctl tx export --format beancount\n\n"
    yield "".join(f"{day} open {account}\n" for account, day in sorted(
        opened.items(), key=lambda kv: (kv[1], kv[0])))
    for row in rows:
        category, asset = accounts_of(row)
        amount, currency = row["amount"]["amount"], row["amount"]["currency"]
        tags = " ".join(f"#{t}" for t in row["tags"] if re.fullmatch(r"[A-Za-z0-9_/.-]+", t))
        head = f"\n{row['on']} * {_bean_string(row['payee'] or '')} " \
               f"{_bean_string(row['memo'] or '')}" + (f" {tags}" if tags else "")
        meta = {"uid": row["uid"], "category": row["category"], "account": row["account"],
                "tags": ", ".join(row["tags"]) if row["tags"] else None,
                "memo": row["memo"] if row["memo"] is not None else None,
                **{name: row[key] for key, name in LINKS}}
        lines = [head]
        lines += [f"  {key}: {_bean_string(str(value))}" for key, value in meta.items()
                  if value is not None]
        lines.append(f"  {bean_account(category)}  {_negated(amount)} {currency}")
        lines.append(f"  {bean_account(asset)}  {amount} {currency}")
        yield "\n".join(lines) + "\n"


# -- in --------------------------------------------------------------------------------

@dataclass
class Posting:
    account: str
    amount: int | None  # minor units; None: left out, what balances
    currency: str | None
    line: int


@dataclass
class Entry:
    day: date
    payee: str
    line: int
    memo: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    postings: list[Posting] = field(default_factory=list)


_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:=\S+)?")
_LEDGER_HEAD = re.compile(r"(\S+)\s*(?:([*!])\s*)?(?:\(([^)]*)\)\s*)?(.*)")
_BEAN_HEAD = re.compile(r"(\d{4}-\d{2}-\d{2})\s+(?:txn|[*!#&?%PSTCURM])(?:\s+(.*))?$")
_BEAN_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_META_LINE = re.compile(r"([A-Za-z][\w-]*):\s?(.*)")
_SPLIT = re.compile(r"[ \t]{2,}|\t")
BLANK = " \t\r"  # what ends a line's text (str.strip would take \x1c-\x1f too)


def _day(text: str, where: str) -> date:
    m = _DATE.fullmatch(text)
    if m is None:
        raise InvalidInput(f"{where}: not a date: {text!r} (expected YYYY-MM-DD)")
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise InvalidInput(f"{where}: not a date: {text!r}") from None


def _amount(text: str, where: str) -> tuple[int, str]:
    text = re.split(r"\s*[@={]", text, maxsplit=1)[0].strip()  # no cost, price, assertion
    try:
        money = parse_money(text, default_currency="XXX")
    except InvalidInput as exc:
        raise InvalidInput(f"{where}: {exc.message}") from None
    if money.currency == "XXX":
        raise InvalidInput(f"{where}: {text!r} has no currency (write 12.50 EUR)")
    return money.minor, money.currency


def _meta(entry: Entry, posting: bool, comment: str) -> None:
    """A comment of an entry (ledger ``; key: value``); tags of a posting are ignored."""
    m = _META_LINE.fullmatch(comment.strip(BLANK))
    if m is None or posting:
        return
    entry.meta[m[1].lower()] = _unescape(m[2])


def read_ledger(text: str, name: str) -> list[Entry]:
    """The transactions of a ledger or hledger journal."""
    entries: list[Entry] = []
    entry: Entry | None = None
    skipping = False
    for n, raw in enumerate(text.split("\n"), 1):
        where = f"{name}:{n}"
        line = raw.rstrip(BLANK)
        if not line.strip(BLANK):
            entry = None if entry is None or entry.postings else entry
            continue
        if line[0] not in BLANK:
            entry, skipping = None, False
            if line[0] in ";#*%|":
                continue
            if line[0].isdigit():
                head, _, comment = line.partition(";")
                m = _LEDGER_HEAD.fullmatch(head.strip(BLANK))
                assert m is not None
                payee, _, note = m[4].strip(BLANK).partition("|")
                entry = Entry(_day(m[1], where), _unescape(payee.strip(BLANK)), n,
                              memo=note.strip(BLANK) or None)
                if comment:
                    for part in comment.split(","):
                        _meta(entry, False, part)
                entries.append(entry)
                continue
            skipping = True  # a directive, a periodic (~) or automated (=) transaction
            continue
        if skipping or entry is None:
            if skipping:
                continue
            raise InvalidInput(f"{where}: an indented line outside a transaction")
        body, _, comment = line.strip(BLANK).partition(";")
        if not body.strip(BLANK):
            _meta(entry, False, comment)
            continue
        parts = _SPLIT.split(body.strip(BLANK), maxsplit=1)
        account = parts[0].strip(BLANK).strip("()[]")
        amount, currency = (None, None) if len(parts) == 1 or not parts[1].strip(BLANK) else \
            _amount(parts[1], where)
        entry.postings.append(Posting(account, amount, currency, n))
    return entries


def read_beancount(text: str, name: str) -> list[Entry]:
    """The transactions of a beancount file (its other directives are skipped)."""
    entries: list[Entry] = []
    entry: Entry | None = None
    for n, raw in enumerate(text.split("\n"), 1):
        where = f"{name}:{n}"
        line = raw.split(";")[0].rstrip(BLANK) if '"' not in raw else raw.rstrip(BLANK)
        if not line.strip(BLANK) or line.lstrip(BLANK).startswith(";"):
            continue
        if line[0] not in BLANK:
            entry = None
            m = _BEAN_HEAD.match(line)
            if m is None:
                continue  # open, close, option, price, balance, … or a bad line
            rest = m[2] or ""
            strings = [_unescape(s) for s in _BEAN_STRING.findall(rest)]
            payee, memo = (strings[0], strings[1]) if len(strings) >= 2 else \
                ("", strings[0] if strings else "")
            entry = Entry(_day(m[1], where), payee, n, memo=memo or None,
                          tags=re.findall(r"#([\w/.-]+)", _BEAN_STRING.sub("", rest)))
            entries.append(entry)
            continue
        if entry is None:
            continue  # metadata of a directive
        body = line.strip(BLANK)
        meta = re.fullmatch(r"([a-z][\w-]*):\s*(.*)", body)
        if meta is not None:
            value = meta[2].strip(BLANK)
            found = _BEAN_STRING.fullmatch(value)
            entry.meta[meta[1].lower()] = _unescape(found[1]) if found else value
            continue
        body = body.split(";")[0].strip(BLANK)
        parts = body.split(None, 1)
        if parts[0] in "*!" and len(parts) > 1:  # a posting's own flag
            parts = parts[1].split(None, 1)
        amount, currency = (None, None) if len(parts) == 1 else _amount(parts[1], where)
        entry.postings.append(Posting(parts[0], amount, currency, n))
    return entries


def _root(account: str) -> str:
    return account.split(":", 1)[0].lower()


def _inner(account: str) -> str:
    """An account without its top level (``expenses:home:kitchen`` → ``home:kitchen``)."""
    root, _, rest = account.partition(":")
    return rest if root.lower() in (*HOME_ROOTS, "expenses", "expense", "income",
                                    "revenue", "revenues") and rest else account


def rows_of(entries: list[Entry], name: str) -> list[dict[str, Any]]:
    """Transaction rows (as ``tx import`` adds them) of journal entries."""
    rows: list[dict[str, Any]] = []
    for entry in entries:
        where = f"{name}:{entry.line}"
        postings = _balanced(entry, where)
        home = [p for p in postings if _root(p.account) in HOME_ROOTS]
        other = [p for p in postings if _root(p.account) not in HOME_ROOTS]
        pairs: list[tuple[Posting | None, Posting, int, str]]
        if home and other:
            pairs = [(home[0], p, -(p.amount or 0), _inner(p.account)) for p in other]
        elif home:
            pairs = [(p, p, p.amount or 0, "transfer") for p in home]
        else:
            pairs = [(None, p, -(p.amount or 0), _inner(p.account)) for p in other]
        meta = entry.meta
        for asset, posting, minor, category in pairs:
            account = _inner(asset.account) if asset is not None else None
            if len(pairs) == 1:  # what the export wrote about its own two postings
                category = meta.get("category", category)
                account = meta.get("account", account)
            rows.append({
                "occurred_on": entry.day, "iso": entry.day.isoformat(),
                "amount_minor": minor, "currency": posting.currency,
                "payee": meta.get("payee", entry.payee) or None,
                "memo": meta.get("memo", entry.memo),
                "category": None if category.lower() == UNKNOWN else category,
                "account": None if (account or "").lower() == UNKNOWN else account,
                "tags": [t.strip() for t in meta["tags"].split(",") if t.strip()]
                if meta.get("tags") else list(entry.tags),
                "import_line": posting.line,
                "uid": meta.get("uid") if len(pairs) == 1 and is_uid(
                    meta.get("uid", "")) else None,
            })
    return rows


def _balanced(entry: Entry, where: str) -> list[Posting]:
    """The entry's postings, the one left without an amount given what balances."""
    if len(entry.postings) < 2:
        raise InvalidInput(f"{where}: a transaction needs two postings or more")
    open_ = [p for p in entry.postings if p.amount is None]
    if len(open_) > 1:
        raise InvalidInput(f"{where}: more than one posting without an amount")
    currencies = {p.currency for p in entry.postings if p.currency}
    if open_:
        if len(currencies) != 1:
            raise InvalidInput(f"{where}: a posting without an amount in a transaction of "
                               f"{len(currencies)} currencies")
        open_[0].amount = -sum(p.amount or 0 for p in entry.postings)
        open_[0].currency = currencies.pop()
    return entry.postings


def parse(data: bytes, fmt: str, name: str) -> list[dict[str, Any]]:
    """The rows of journal ``data`` (``fmt``: one of :data:`FORMATS`)."""
    try:
        text = data.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{name}: not UTF-8 text (bad byte at offset {exc.start})") from None
    entries = read_beancount(text, name) if fmt == "beancount" else read_ledger(text, name)
    return rows_of(entries, name)
