"""Categories of money and their kind: ``expense`` or ``income``, which gives a
transaction typed without a sign its direction (`tx add 5 Coffee -c "eating out"` is
money out), in plain SQL (``store.sql``).

A category's kind is the one set on it (`category set NAME --kind …`: a row of the
``category`` table, its name in lower case), else the one set on its nearest parent
(``home:kitchen`` takes ``home``'s), else the kind its name suggests
(:func:`default_kind`). Categories match in any case: ``Eating Out`` is ``eating out``.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

from stuffctl.errors import InvalidInput, NotFound
from stuffctl.store import sql
from stuffctl.store.handle import Db
from stuffctl.vocabulary import CATEGORY_KINDS as KINDS

# Words that name money coming in, matched as whole words of a category's first segment
# (``income:salary``, ``Salary``, ``tax refund``, ``rent income``).
INCOME_WORDS = frozenset({
    "salary", "salaries", "wage", "wages", "pay", "paycheck", "payslip", "payroll",
    "income", "earnings", "revenue", "interest", "dividend", "dividends", "refund",
    "refunds", "reimbursement", "reimbursements", "rebate", "rebates", "pension",
    "pensions", "benefit", "benefits", "bonus", "bonuses", "cashback", "royalties",
    "stipend",
})
INCOME_PHRASES = frozenset({("gift", "received"), ("gifts", "received"), ("cash", "back")})
# Words that keep a name with an income word an expense: "interest paid", "loan
# interest", "mortgage interest", "bank fees", "pay tv".
EXPENSE_WORDS = frozenset({"paid", "fee", "fees", "loan", "loans", "mortgage", "debt", "tv"})


def normalised(name: str) -> str:
    """A category as the ``category`` table stores it: trimmed, in lower case."""
    text = name.strip().lower()
    if not text:
        raise InvalidInput("NAME: a category cannot be empty")
    return text


def lineage(name: str) -> list[str]:
    """``home:kitchen:sink``, ``home:kitchen``, ``home``: the category and its parents."""
    parts = name.split(":")
    return [":".join(parts[:n]) for n in range(len(parts), 0, -1)]


def default_kind(name: str) -> str:
    """The kind a category's name suggests: ``income`` when the words of its first
    segment name money coming in (salary, wages, interest, dividends, refund, pension,
    benefits, bonus, cashback, gift received, …) and none marks an expense (paid, fee,
    loan, mortgage, …); ``expense`` for everything else."""
    words = re.findall(r"\w+", name.split(":", 1)[0].lower())
    if EXPENSE_WORDS.intersection(words):
        return "expense"
    if INCOME_WORDS.intersection(words) or INCOME_PHRASES.intersection(pairwise(words)):
        return "income"
    return "expense"


def _decided(name: str, kinds: dict[str, str]) -> tuple[str, str, str | None]:
    """(kind, source, parent) of category ``name`` given the kinds set (``kinds``: name →
    kind): source ``set`` (on itself), ``parent`` (on ``parent``) or ``default``."""
    for n, found in enumerate(lineage(name)):
        if found in kinds:
            return (kinds[found], "set", None) if n == 0 else (kinds[found], "parent", found)
    return default_kind(name), "default", None


def kind_of(db: Db, category: str) -> str:
    """The kind of ``category``: set on it, set on its nearest parent, or from its name."""
    name = normalised(category)
    names = lineage(name)
    kinds = dict(db.execute(f"SELECT name, kind FROM category WHERE name IN "
                            f"({sql.marks(names)})", names).fetchall())
    return _decided(name, kinds)[0]


def category_public(name: str, kinds: dict[str, str], count: int) -> dict[str, Any]:
    """The one JSON shape of a category (docs/json.md#category)."""
    kind, source, parent = _decided(name, kinds)
    return {"name": name, "kind": kind, "source": source, "parent": parent,
            "transactions": count}


# Transactions per category as stored: the GROUP BY walks ix_txn_category alone.
IN_USE = "SELECT category, count(*) FROM txn WHERE category IS NOT NULL GROUP BY category"


def _counts(db: Db) -> dict[str, int]:
    """Transactions per category in lower case (``Food`` and ``food`` are one)."""
    counts: dict[str, int] = {}
    for category, count in db.execute(IN_USE):
        if name := category.strip().lower():
            counts[name] = counts.get(name, 0) + int(count)
    return counts


def _kinds(db: Db) -> dict[str, str]:
    return dict(db.execute("SELECT name, kind FROM category").fetchall())


def list_categories(*, db: Db) -> list[dict[str, Any]]:
    """Every category in use by a transaction or with a kind set, by name."""
    counts, kinds = _counts(db), _kinds(db)
    return [category_public(name, kinds, counts.get(name, 0))
            for name in sorted(counts.keys() | kinds.keys())]


def show_category(db: Db, name: str) -> dict[str, Any]:
    return category_public(name, _kinds(db), _counts(db).get(name, 0))


def set_kind(*, db: Db, name: str, kind: str) -> dict[str, Any]:
    """Set the kind of category ``name`` (and of its subcategories without one of their
    own); its JSON shape."""
    name = normalised(name)
    if kind not in KINDS:
        raise InvalidInput(f"--kind: expected expense or income (got {kind!r})")
    found = db.execute("SELECT id, kind FROM category WHERE name = ?", (name,)).fetchone()
    if found is None:
        sql.insert(db, "category", {"name": name, "kind": kind})
    elif found[1] != kind:
        sql.update(db, "category", int(found[0]), {"kind": kind})
    return show_category(db, name)


def unset_kind(*, db: Db, name: str) -> dict[str, Any]:
    """Forget the kind set on category ``name``: it takes its parent's or its name's again;
    its JSON shape."""
    name = normalised(name)
    if db.execute("DELETE FROM category WHERE name = ? RETURNING id", (name,)).fetchone() \
            is None:
        raise NotFound(f"category {name!r} has no kind set (see 'stuffctl category list')")
    return show_category(db, name)
