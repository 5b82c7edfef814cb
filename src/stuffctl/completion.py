"""Dynamic completion: the values a person has used, for the static shell scripts.

The scripts in completions/ complete commands and options without starting
Python. For an option whose value is one of the person's own things (a
category, an account, a tag, an asset…), and for an argument that names a record
(``asset show <Tab>``: ``RECORDS``, by id or name, ``services.lookup.candidates``),
they run ``stuffctl __complete KIND PREFIX``, which ``entry.py`` answers here from the
database in use (``store.sqlite.open_current``: plain sqlite3 on a file, or the server a
URL names),
before Typer, Rich or the ORM load: one value per line, optionally a tab and a
description (zsh and fish show it, bash keeps the value). In any doubt (no database,
an older schema, a locked file, no server) it prints nothing and exits 0: completion
must never get in the way.

Distinct values of an indexed column are read by skipping through its index
(one seek per distinct value, not one step per row), so completing a category
over a million transactions costs as much as over a hundred.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stuffctl.store.handle import Db

LIMIT = 200
RECENT = 20_000  # payees and accounts (not indexed) come from the newest transactions

# Options whose value is a kind of thing, by long name. ``--to``/``--from`` only where
# their help says they name a person (elsewhere they are dates).
OPTION_KINDS = {
    "--category": "category", "--account": "account", "--location": "location",
    "--tag": "tag", "--untag": "tag", "--asset": "asset", "--project": "project",
    "--payee": "payee", "--person": "person", "--assignee": "person", "--owner": "person",
}
PERSON_OPTIONS = ("--to", "--from")
# Kinds that are records people name (``services.lookup.NOUNS``), completed by id or name.
RECORDS = ("asset", "person", "project", "task", "sub", "reminder", "incident", "playbook",
           "stock")


def option_kind(names: Iterable[str], help_text: str | None) -> str | None:
    """The kind of value an option takes, for the completion scripts, or None."""
    for name in names:
        if name in OPTION_KINDS:
            return OPTION_KINDS[name]
        if name in PERSON_OPTIONS and "person" in (help_text or "").lower():
            return "person"
    return None


def _distinct(conn: Db, table: str, column: str, prefix: str) -> list[str]:
    """Distinct non-empty values of an indexed column that start with ``prefix``."""
    step = f"SELECT min({column}) FROM {table} WHERE {column} > ?"
    found: list[str] = []
    (value,) = conn.execute(f"SELECT min({column}) FROM {table} WHERE {column} >= ?",
                            (prefix,)).fetchone()
    while isinstance(value, str) and value.startswith(prefix) and len(found) < LIMIT:
        if value:
            found.append(value)
        (value,) = conn.execute(step, (value,)).fetchone()
    return found


def _recent(conn: Db, column: str, prefix: str) -> list[str]:
    rows = conn.execute(
        f"SELECT DISTINCT {column} FROM (SELECT {column} FROM txn ORDER BY id DESC LIMIT ?)"
        f" AS recent WHERE substr({column}, 1, ?) = ? AND {column} != '' ORDER BY {column} LIMIT ?",
        (RECENT, len(prefix), prefix, LIMIT))
    return [v for (v,) in rows]


def _union(*parts: list[str]) -> list[str]:
    return sorted({v for part in parts for v in part})[:LIMIT]


Query = Callable[["Db", str], list[str]]
KINDS: dict[str, Query] = {
    "category": lambda c, p: _union(_distinct(c, "txn", "category", p),
                                    _distinct(c, "asset", "category", p),
                                    _distinct(c, "budget", "category", p)),
    "location": lambda c, p: _distinct(c, "asset", "location", p),
    "tag": lambda c, p: _union(*(_distinct(c, t, "tag", p) for t in
                                 ("asset_tag", "txn_tag", "project_tag", "task_tag"))),
    "account": lambda c, p: _recent(c, "account", p),
    "payee": lambda c, p: _recent(c, "payee", p),
}


def _records(noun: str) -> Query:
    """Records of ``noun`` (``services.lookup.candidates``): ids described by their names,
    or the names that start with what was typed, described by their ids."""
    def query(conn: Db, prefix: str) -> list[str]:
        from stuffctl.services.lookup import candidates

        return [f"{value}\t{about}" for value, about in candidates(conn, noun, prefix)]

    return query


KINDS.update({noun: _records(noun) for noun in RECORDS})


def values(kind: str, prefix: str, db: str | None = None) -> list[str]:
    """The completions of ``prefix`` for ``kind``; empty in any doubt."""
    from stuffctl.store.sqlite import open_current

    query = KINDS.get(kind)
    if query is None:
        return []
    conn = open_current(db)
    if conn is None:
        return []
    try:
        return query(conn, prefix)
    except Exception:  # either driver's error: complete nothing
        return []
    finally:
        conn.connection.close()


def main(args: list[str], db: str | None = None) -> int:
    """``__complete KIND [PREFIX]``: print the values, one per line."""
    if not 1 <= len(args) <= 2:
        sys.stderr.write("usage: stuffctl __complete KIND [PREFIX]\n")
        return 2
    found: Any = values(args[0], args[1] if len(args) == 2 else "", db)
    if found:
        sys.stdout.write("\n".join(found) + "\n")
    return 0
