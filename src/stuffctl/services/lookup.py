"""Finding a record from what a person typed: an id, a name, or the start of a name.

Every command that takes an asset, a person, a project, a task, a subscription, a
reminder, an incident or a playbook (these two named by their symptom), or a stock
item resolves it
here (:func:`resolve`), below the nouns, so that one noun can refer to another's rows
without the two importing each other; shell completion
offers the same records (:func:`candidates`). What was typed is, in this order:

1. digits: an id (NotFound when there is none). A name of only digits is reached
   with a leading ``=`` (``=2024``), which says "a name": ``==x`` is the name ``=x``;
2. a name, in any case (an exact tie is won by the one still in use: an open
   project or task, an asset not retired, sold or lost, an active subscription, an
   open reminder);
3. the start of exactly one name (``kitchen`` → "Kitchen renovation");
4. a part of exactly one name (``tyres`` → "Winter tyres").

More than one match at the first step that has any is InvalidInput listing them
(``id name``, a few) with "did you mean"; no match at all is NotFound suggesting the
closest name. The matching is SQL (``LIKE`` with the wildcards escaped, ``lower``)
with a limit, never a read of every row: tasks can be 100,000 rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from stuffctl.errors import InvalidInput, NotFound
from stuffctl.store.sql import like_escape, literals
from stuffctl.vocabulary import CLOSED_STATUSES, INCIDENT_CLOSED, OUT_OF_USE

if TYPE_CHECKING:
    from stuffctl.store.handle import Db


@dataclass(frozen=True)
class Noun:
    """A kind of record people name: its table, the column that names a row, and which
    rows are still in use (``live``, SQL over the table's columns)."""

    table: str
    label: str
    one: str
    many: str
    live: str = "1 = 1"


NOUNS: dict[str, Noun] = {
    "asset": Noun("asset", "name", "asset", "assets", f"status NOT IN {literals(OUT_OF_USE)}"),
    "person": Noun("person", "name", "person", "people"),
    "project": Noun("project", "name", "project", "projects",
                    f"status NOT IN {literals(CLOSED_STATUSES)}"),
    "task": Noun("task", "title", "task", "tasks", "status = 'open'"),
    "sub": Noun("subscription", "name", "subscription", "subscriptions", "status = 'active'"),
    "reminder": Noun("reminder", "title", "reminder", "reminders", "state = 'open'"),
    "incident": Noun("incident", "symptom", "incident", "incidents",
                     f"status NOT IN {literals(INCIDENT_CLOSED)}"),
    "playbook": Noun("playbook", "symptom", "playbook", "playbooks"),
    "stock": Noun("stock_item", "name", "stock item", "stock items"),
}
SHOWN = 5  # candidates an ambiguous name lists
POOL = 500  # names "did you mean" compares with, of each of two kinds (see _closest)
LIMIT = 200  # completions offered at most


def resolve(db: Db, noun: str, ref: str | int, option: str | None = None) -> int:
    """The id of the ``noun`` (a key of :data:`NOUNS`) that ``ref`` names, as the module
    says; errors start with ``option`` (``--asset: …``) when it is given. A person may
    also be ``me`` (:func:`me`)."""
    spec, text = NOUNS[noun], str(ref).strip()
    at = f"{option}: " if option else ""
    if noun == "person" and text.lower() == "me":
        return me(db, option or "PERSON")
    if text.isascii() and text.isdigit():
        return _by_id(db, spec, text, at)
    name = text[1:] if text.startswith("=") else text
    if not name.strip():
        raise InvalidInput(f"{at}expected {_a(spec.one)}'s id or {spec.label} (got {text!r})")
    for how in ("exact", "prefix", "part"):
        rows = _matches(db, spec, how, name)
        if how == "exact" and len(rows) > 1 and rows[0][2] and not rows[1][2]:
            return int(rows[0][0])  # the one still in use wins a tie
        if len(rows) == 1:
            return int(rows[0][0])
        if rows:
            raise _ambiguous(db, spec, how, name, rows, at)
    raise _missing(db, spec, name, at)


def _a(word: str) -> str:
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"


def _by_id(db: Db, spec: Noun, text: str, at: str) -> int:
    if db.execute(f"SELECT 1 FROM {spec.table} WHERE id = ?", (int(text),)).fetchone():
        return int(text)
    named = db.execute(f"SELECT 1 FROM {spec.table} WHERE {spec.label} = ?", (text,)).fetchone()
    hint = f"; for the one called {text!r}, give ={text}" if named else ""
    raise NotFound(f"{at}no {spec.one} with id {text}{hint}")


# how: (condition, the parameter's pattern, the words of the ambiguity message)
_HOW = {
    "exact": ("lower({label}) = lower(?)", "{}", "are called {name!r}"),
    "prefix": ("{label} LIKE ? ESCAPE '\\'", "{}%", "have {label}s starting with {name!r}"),
    "part": ("{label} LIKE ? ESCAPE '\\'", "%{}%", "have {name!r} in their {label}"),
}


def _where(spec: Noun, how: str, name: str) -> tuple[str, str]:
    cond, pattern, _ = _HOW[how]
    return cond.format(label=spec.label), pattern.format(name if how == "exact"
                                                         else like_escape(name))


def _matches(db: Db, spec: Noun, how: str, name: str) -> list[tuple[int, str, int]]:
    """Up to ``SHOWN + 1`` rows ``(id, label, in use)`` that ``name`` matches ``how``,
    those in use first. SQLite's ``LIKE`` ignores the case of ASCII letters; on
    PostgreSQL the handle makes it ``ILIKE``."""
    cond, param = _where(spec, how, name)
    return [(int(i), str(label), int(live)) for i, label, live in db.execute(
        f"SELECT id, {spec.label}, CASE WHEN {spec.live} THEN 1 ELSE 0 END AS live "
        f"FROM {spec.table} WHERE {cond} ORDER BY live DESC, id LIMIT ?",
        (param, SHOWN + 1))]


def _ambiguous(db: Db, spec: Noun, how: str, name: str, rows: list[tuple[int, str, int]],
               at: str) -> InvalidInput:
    cond, param = _where(spec, how, name)
    if how == "exact" and rows[0][2]:  # only those in use are candidates
        rows, cond = [r for r in rows if r[2]], f"{cond} AND {spec.live}"
    total = len(rows) if len(rows) <= SHOWN else int(db.execute(
        f"SELECT count(*) FROM {spec.table} WHERE {cond}", (param,)).fetchone()[0])
    listed = [f"{i} {label}" for i, label, _ in rows[:SHOWN]]
    choice = (", ".join(listed[:-1]) + " or " + listed[-1]) if total <= SHOWN else \
        ", ".join(listed) + f" (or {total - SHOWN} more)"
    what = _HOW[how][2].format(label=spec.label, name=name)
    give = "the id" if how == "exact" else f"the id or more of the {spec.label}"
    return InvalidInput(f"{at}{total} {spec.many} {what}; did you mean {choice}? Give {give}.")


def _missing(db: Db, spec: Noun, name: str, at: str) -> NotFound:
    close = _closest(db, spec, name)
    if close is not None:
        return NotFound(f"{at}no {spec.one} called {name!r}; did you mean {close[0]} "
                        f"{close[1]}?")
    hint = f" (add them with 'stuffctl person add {name}')" if spec.one == "person" else ""
    return NotFound(f"{at}no {spec.one} called {name!r}{hint}")


def _closest(db: Db, spec: Noun, name: str) -> tuple[int, str] | None:
    """The row whose label is closest to ``name`` (difflib), if one is close: among the
    ``POOL`` newest rows and the ``POOL`` newest that start with the same letter, each
    compared whole and by as many letters as were typed (a typo in the start of a
    long name)."""
    import difflib

    pool = {int(i): str(label) for query, params in (
        (f"WHERE {spec.label} LIKE ? ESCAPE '\\' ", (like_escape(name[:1]) + "%", POOL)),
        ("", (POOL,)))
        for i, label in db.execute(
            f"SELECT id, {spec.label} FROM {spec.table} {query}ORDER BY id DESC LIMIT ?",
            params)}
    typed = name.lower()
    keys: dict[str, tuple[int, str]] = {}
    for i, label in sorted(pool.items(), reverse=True):
        for key in (label.lower(), label.lower()[:len(typed)]):
            keys.setdefault(key, (i, label))
    found = difflib.get_close_matches(typed, list(keys), n=1)
    return keys[found[0]] if found else None


def candidates(db: Db, noun: str, typed: str, limit: int = LIMIT) -> list[tuple[str, str]]:
    """What completes ``typed`` as the ``noun`` argument of a command, as
    ``(value, description)``: for nothing or digits, the ids that start with them,
    described by their names (those in use first); for text, the names that start with
    it (any case), described by their id."""
    spec = NOUNS[noun]
    if not typed or (typed.isascii() and typed.isdigit()):
        found: list[tuple[str, str]] = []
        for live in (spec.live, f"NOT ({spec.live})"):
            found += [(str(i), str(label)) for i, label in db.execute(
                f"SELECT id, {spec.label} FROM {spec.table} WHERE {live} AND "
                "substr(CAST(id AS TEXT), 1, ?) = ? ORDER BY id LIMIT ?",
                (len(typed), typed, limit - len(found)))]
            if len(found) >= limit or spec.live == "1 = 1":
                break
        return found
    cond, param = _where(spec, "prefix", typed.removeprefix("="))
    return [(str(label), f"id {i}" if n == 1 else f"{n} of them, ids from {i}")
            for label, i, n in db.execute(
                f"SELECT {spec.label}, min(id), count(*) FROM {spec.table} WHERE {cond} "
                f"GROUP BY {spec.label} ORDER BY {spec.label} LIMIT ?", (param, limit))]


def me(db: Db, option: str) -> int:
    """The id of the person this command runs as (``store.sql.who``); NotFound saying how
    to name them when no person is."""
    from stuffctl.store.sql import who

    person_id, name = who(db)
    if person_id is None:
        raise NotFound(f"{option}: you are {name!r}, who is no person here: say who you are "
                       "with STUFFCTL_USER or 'stuffctl config set user NAME', or give "
                       f"a person your login with 'stuffctl person edit ID --login {name}'")
    return person_id
