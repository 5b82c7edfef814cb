"""Rules files: how to read one bank's CSV export (in the spirit of hledger's CSV rules).

A rules file is TOML; saved ones live in the config directory as
``rules/NAME.toml``. The keys are documented in docs/transactions.md. The
built-in rules named ``stuffctl`` read what ``tx export --format csv`` writes.

The regular expressions of ``skip_if`` and ``[[categorize]]`` run on RE2, which
never backtracks: a search takes time linear in the text whatever the pattern
(Python's ``re`` ran for ever on ``(a+)+$``). A pattern RE2 cannot run
(backreferences, lookarounds) is refused when the rules are read.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from stuffctl import paths
from stuffctl.clock import utcnow
from stuffctl.errors import InvalidInput, NotFound
from stuffctl.store import sql
from stuffctl.store.handle import Db

KEYS = {"skip", "separator", "encoding", "fields", "date_format", "decimal_mark", "currency",
        "account", "newest_first", "direction", "skip_if", "categorize"}
ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "latin-1", "iso-8859-1", "iso-8859-15",
             "utf-16", "utf-16-le", "utf-16-be")
KNOWN_FIELDS = ("date", "amount", "amount_in", "amount_out", "payee", "memo", "category",
                "account", "currency", "uid", "tags")
# What `tx export --format csv` writes (the keys of the tx shape, the amount's number and
# currency in two columns so that a spreadsheet computes with it), as the built-in rules
# read it: the uid keeps a home's own rows from coming back twice, tags are kept.
EXPORT_COLUMNS = ("id", "uid", "on", "amount", "currency", "payee", "category", "account",
                  "memo", "tags", "asset_id", "project_id", "subscription_id")
EXPORT_FIELDS = ["", "uid", "date", "amount", "currency", "payee", "category", "account",
                 "memo", "tags", "", "", ""]
# What it wrote before 0.2 (date,amount,currency,payee,category,account,memo): still read.
EXPORT_FIELDS_V1 = ["date", "amount", "currency", "payee", "category", "account", "memo"]
BUILTIN = "stuffctl"


class Patterns:
    """Regular expressions (each passed by :func:`checked_pattern`) searched for
    case-insensitively, all at once, in time linear in the text: one RE2 set, so a row
    costs about the same whatever the number of rules."""

    __slots__ = ("_set",)

    def __init__(self, texts: Sequence[str], *, key: str) -> None:
        re2 = _re2()
        self._set = re2.Set.SearchSet(_options())
        try:
            for text in texts:
                self._set.Add(text)
            self._set.Compile()
        except re2.error:
            raise InvalidInput(f"{key}: the {len(texts)} patterns are too large together "
                               "(use fewer or simpler ones)") from None

    def search(self, text: str) -> list[int]:
        """The indices of the patterns found in ``text`` (empty: none)."""
        return self._set.Match(text) or []


def _re2() -> Any:
    """The RE2 module, imported lazily: only rules with patterns pay for it."""
    import re2  # type: ignore[import-untyped]  # (it ships no type hints)

    return re2


def _options() -> Any:
    options = _re2().Options()
    options.case_sensitive = False
    options.log_errors = False  # the reason is raised, not printed by the library
    return options


def checked_pattern(key: str, text: Any) -> str:
    """``text`` if it is a regular expression RE2 can run, else ``InvalidInput`` naming
    ``key`` and the pattern."""
    re2 = _re2()
    if not isinstance(text, str):
        raise InvalidInput(f"{key}: expected a regular expression string")
    try:
        re2.compile(text, _options())
    except re2.error as exc:
        reason = exc.args[0] if exc.args else "cannot compile"
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise InvalidInput(f"{key}: bad regular expression {text!r}: {reason} (rules use "
                           "RE2: no backreferences or lookarounds)") from None
    return text


@dataclass(frozen=True)
class Categorize:
    pattern: str
    category: str
    payee: str | None = None
    # a purchase of this stock item (its name or id) adds ``qty`` (thousandths) to stock
    stock: str | None = None
    qty: int = 1000


@dataclass(frozen=True)
class Rules:
    name: str
    fields: list[str]
    skip: int = 0
    separator: str = ","
    encoding: str = "utf-8-sig"
    date_format: str = "%Y-%m-%d"
    decimal_mark: str = "."
    currency: str | None = None
    account: str | None = None
    newest_first: bool = False
    direction: dict[str, str] | None = None
    skip_if: dict[str, Patterns] = field(default_factory=dict)
    categorize: list[Categorize] = field(default_factory=list)
    # the patterns of ``categorize``, compiled once when the rules are read
    matcher: Patterns | None = field(init=False, default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.categorize:
            object.__setattr__(self, "matcher", Patterns(
                [rule.pattern for rule in self.categorize], key="categorize"))

    @cached_property
    def columns(self) -> list[tuple[int, str]]:
        """(index, name) of the named columns."""
        return [(i, f) for i, f in enumerate(self.fields) if f]

    def category_for(self, payee: str | None, memo: str | None) -> Categorize | None:
        """The first rule whose pattern is found in the payee or the memo (this runs
        once per imported row)."""
        if self.matcher is None:
            return None
        search = self.matcher.search
        found = [*(search(payee) if payee else ()), *(search(memo) if memo else ())]
        return self.categorize[min(found)] if found else None


def rules_dir() -> Path:
    return paths.config_dir() / "rules"


def load_rules(name_or_path: str) -> Rules:
    """Rules by saved NAME (config dir ``rules/NAME.toml``), PATH, or the built-in ``stuffctl``."""
    if name_or_path == BUILTIN:
        return Rules(name=BUILTIN, fields=EXPORT_FIELDS, skip=1)
    path = Path(name_or_path).expanduser()
    if not (path.suffix == ".toml" or "/" in name_or_path) or not path.exists():
        saved = rules_dir() / f"{name_or_path}.toml"
        if not saved.exists() and not path.exists():
            raise NotFound(f"--rules: no rules named {name_or_path!r} (looked for {saved}) "
                           "and no such file")
        path = saved if saved.exists() else path
    from stuffctl.services.data.intake import read_text

    try:
        data = tomllib.loads(read_text(path))
    except InvalidInput as exc:
        raise InvalidInput(f"--rules: {exc.message}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{path}: not valid TOML: {exc}") from None
    try:
        return parse_rules(data, name=path.stem)
    except InvalidInput as exc:
        raise InvalidInput(f"{path}: {exc.message}") from None


def _typed(data: dict[str, Any], key: str, kind: type | tuple[type, ...], default: Any) -> Any:
    value = data.get(key, default)
    if value is not default and (not isinstance(value, kind) or (isinstance(value, bool)
                                 and kind is int)):
        raise InvalidInput(f"{key}: expected a {getattr(kind, '__name__', kind)}")
    return value


def parse_rules(data: dict[str, Any], *, name: str) -> Rules:
    """Validate a rules document; every mistake names its key."""
    unknown = set(data) - KEYS
    if unknown:
        raise InvalidInput(f"unknown key(s) {', '.join(sorted(unknown))} "
                           f"(known: {', '.join(sorted(KEYS))})")
    fields = _typed(data, "fields", list, None)
    if not fields or not all(isinstance(f, str) for f in fields):
        raise InvalidInput("fields: expected a list of column names such as "
                           '["date", "amount", "payee"]')
    direction = _direction(data.get("direction"), fields)
    _check_fields(fields, direction)
    encoding = _typed(data, "encoding", str, "utf-8-sig").lower()
    if encoding not in ENCODINGS:
        raise InvalidInput(f"encoding: expected one of {', '.join(ENCODINGS)}")
    separator = _typed(data, "separator", str, ",").replace("\\t", "\t")
    if len(separator) != 1:
        raise InvalidInput('separator: expected one character such as ",", ";" or "\\t"')
    mark = _typed(data, "decimal_mark", str, ".")
    if mark not in (".", ","):
        raise InvalidInput('decimal_mark: expected "." or ","')
    for key in _typed(data, "skip_if", dict, {}):
        if key not in fields:
            raise InvalidInput(f"skip_if: {key!r} is not in fields")
    skip = _typed(data, "skip", int, 0)
    if skip < 0:
        raise InvalidInput("skip: cannot be negative")
    return Rules(
        name=name, fields=fields, skip=skip, separator=separator, encoding=encoding,
        date_format=_typed(data, "date_format", str, "%Y-%m-%d"), decimal_mark=mark,
        currency=_currency(data.get("currency")), account=_typed(data, "account", str, None),
        newest_first=_typed(data, "newest_first", bool, False), direction=direction,
        skip_if={k: Patterns([checked_pattern(f"skip_if.{k}", v)], key=f"skip_if.{k}")
                 for k, v in _typed(data, "skip_if", dict, {}).items()},
        categorize=[_categorize(i, c) for i, c in
                    enumerate(_typed(data, "categorize", list, []), 1)],
    )


def _currency(value: Any) -> str | None:
    from stuffctl.money import normalise_currency

    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput("currency: expected a code such as EUR")
    try:
        return normalise_currency(value)
    except InvalidInput as exc:
        raise InvalidInput(f"currency: {exc.message}") from None


def _direction(value: Any, fields: list[str]) -> dict[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != {"field", "in", "out"} or not all(
            isinstance(v, str) for v in value.values()):
        raise InvalidInput('direction: expected { field = "...", in = "...", out = "..." }')
    if value["field"] not in fields:
        raise InvalidInput(f"direction: field {value['field']!r} is not in fields")
    return dict(value)


def _check_fields(fields: list[str], direction: dict[str, str] | None) -> None:
    named = [f for f in fields if f]
    dupes = {f for f in named if named.count(f) > 1}
    if dupes:
        raise InvalidInput(f"fields: {', '.join(sorted(dupes))} named more than once")
    if "date" not in named:
        raise InvalidInput('fields: no "date" column')
    signed, split = "amount" in named, {"amount_in", "amount_out"} & set(named)
    if signed == bool(split) or (split and len(split) != 2):
        raise InvalidInput('fields: name either an "amount" column or both "amount_in" '
                           'and "amount_out"')
    if direction and not signed:
        raise InvalidInput('direction: needs an "amount" column')


def _categorize(index: int, entry: Any) -> Categorize:
    where = f"categorize[{index}]"
    if not isinstance(entry, dict) or not {"match", "category"} <= set(entry) or set(entry) - {
            "match", "category", "payee", "stock", "qty"}:
        raise InvalidInput(f"{where}: expected match = \"regex\", category = \"...\" "
                           "and optionally payee = \"...\", stock = \"item\" and qty")
    stock, qty = _stock(where, entry)
    return Categorize(checked_pattern(f"{where}.match", entry["match"]),
                      str(entry["category"]), entry.get("payee"), stock, qty)


def _stock(where: str, entry: dict[str, Any]) -> tuple[str | None, int]:
    """A rule's ``stock`` (a stock item's name or id) and ``qty`` (a number or a text such
    as "1.5"; default 1), in thousandths."""
    from stuffctl.services.stock.quantity import checked, parse_quantity

    stock, qty = entry.get("stock"), entry.get("qty", 1)
    if "qty" in entry and stock is None:
        raise InvalidInput(f"{where}.qty: needs stock = \"item\" (what was bought)")
    if stock is not None and (not isinstance(stock, str | int) or isinstance(stock, bool)
                              or not str(stock).strip()):
        raise InvalidInput(f"{where}.stock: expected a stock item's name or id")
    if not isinstance(qty, str | int | float) or isinstance(qty, bool):
        raise InvalidInput(f"{where}.qty: expected a quantity such as 2 or \"1.5\"")
    try:
        milli = checked("qty", parse_quantity(str(qty)), zero=False)
    except InvalidInput as exc:
        raise InvalidInput(f"{where}.{exc.message}" if exc.message.startswith("qty") else
                           f"{where}.qty: {exc.message}") from None
    assert milli is not None
    return (None if stock is None else str(stock).strip()), milli


@dataclass(frozen=True)
class Categorization:
    """What ``tx categorize`` changes: the uncategorised transactions, and the category
    of each one a rule matched, as ``(category, id)``."""

    uncategorized: int
    changes: list[tuple[str, int]]

    def summary(self, *, dry_run: bool) -> dict[str, Any]:
        counts = Counter(category for category, _ in self.changes)
        return {"uncategorized": self.uncategorized, "categorized": len(self.changes),
                "dry_run": dry_run, "by_category": dict(sorted(counts.items()))}


def plan_categories(*, db: Db, rules: Rules) -> Categorization:
    """Match the rules against the uncategorised transactions: in a read transaction, so
    that no rule runs while the write lock is held (:func:`apply_categories` writes)."""
    changes, total = [], 0
    for txn_id, payee, memo in db.execute(
            "SELECT id, payee, memo FROM txn WHERE category IS NULL ORDER BY id"):
        total += 1
        match = rules.category_for(payee, memo)
        if match is not None:
            changes.append((match.category, txn_id))
    return Categorization(total, changes)


def apply_categories(*, db: Db, plan: Categorization) -> None:
    """Give each planned transaction its category, unless it got one meanwhile."""
    now, by = sql.moment(utcnow()), sql.who(db)[1]
    db.executemany("UPDATE txn SET category = ?, updated_at = ?, updated_by = ? "
                   "WHERE id = ? AND category IS NULL",
                   [(category, now, by, txn_id) for category, txn_id in plan.changes])


def export_row(txn: dict[str, Any]) -> dict[str, Any]:
    """A transaction (JSON shape) as a row of ``tx export --format csv`` (``EXPORT_COLUMNS``)."""
    amount = txn["amount"]
    return {**{k: txn[k] for k in EXPORT_COLUMNS if k not in ("amount", "currency")},
            "amount": amount["amount"], "currency": amount["currency"]}


def builtin_for(header: str) -> Rules:
    """The built-in rules for an export whose first line is ``header``: today's columns,
    or the ones it wrote before."""
    fields = EXPORT_FIELDS_V1 if header.lstrip("\ufeff").startswith("date,") else EXPORT_FIELDS
    return Rules(name=BUILTIN, fields=fields, skip=1)
