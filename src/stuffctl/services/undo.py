"""`stuffctl undo`: take back the last write commands, each as one step.

The database journals what each command changed (``store.undo``: a row's key and, for
an update or a delete, the row as it was). Undoing a step plays its rows back newest
first: a row it added is removed, a row it changed gets its earlier values again, a row
it removed comes back with its id, uid and timestamps. A person undoes their own steps,
newest first. A step is refused (``Conflict``, nothing changed) while a later step that
is not undone changed one of its rows: undo that one first.

Limits (docs/undo.md): what `remind run` does unattended, and notifications sent, stay;
files attached stay in the attachments folder (only the record goes); `restore`, `db`
and `demo` are not journaled; an undo itself is not undone.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING, Any

from stuffctl.errors import Conflict, InvalidInput, NotFound
from stuffctl.store import sql

if TYPE_CHECKING:
    from stuffctl.store.handle import Db

NOUNS = {"txn": ("transaction", "transactions"), "txn_tag": ("transaction tag", "transaction tags"),
         "asset_tag": ("asset tag", "asset tags"), "asset_field": ("asset field", "asset fields"),
         "task_dep": ("task dependency", "task dependencies"),
         "subscription_charge": ("subscription charge", "subscription charges"),
         "maintenance_schedule": ("maintenance schedule", "maintenance schedules"),
         "meter_reading": ("meter reading", "meter readings"),
         "notify_profile": ("notification profile", "notification profiles"),
         "category": ("category", "categories"), "person": ("person", "people"),
         "project_asset": ("project asset", "project assets")}
VERBS = {"i": "remove", "r": "remove", "u": "restore", "d": "bring back"}
LABELS = ("name", "title", "payee", "tag", "key", "url")


def _noun(table: str, count: int) -> str:
    one, many = NOUNS.get(table, (table.replace("_", " "), table.replace("_", " ") + "s"))
    return one if count == 1 else many


def _mine(db: Db) -> str:
    return sql.who(db)[1]


def _expanded(rows: Any, at: int) -> list[tuple[Any, ...]]:
    """``rows`` of the journal (``op`` at ``at``, ``key`` after it) with every key in one
    written form, and a server's list of the keys one statement inserted (``op`` a:
    ``store.undo.PG_FUNCTIONS``) as one added row (i) each."""
    found: list[tuple[Any, ...]] = []
    for row in rows:
        head, op, key, tail = tuple(row[:at]), row[at], row[at + 1], tuple(row[at + 2:])
        if op == "r":
            found.append((*head, op, key, *tail))
        else:
            keys = json.loads(key)
            for one in ([dict(zip(keys["columns"], values, strict=True))
                         for values in keys["rows"]] if op == "a" else [keys]):
                found.append((*head, "i" if op == "a" else op,
                              json.dumps(one, sort_keys=True), *tail))
    return found


def _rows(db: Db, step_id: int) -> list[tuple[Any, ...]]:
    """The step's rows, newest first: id, table, op, key, before."""
    return _expanded(db.execute(
        "SELECT id, table_name, op, key, before FROM undo_row WHERE step_id = ? "
        "ORDER BY id DESC", (step_id,)).fetchall(), 2)


def _size(op: str, key: str) -> int:
    if op != "r":
        return 1
    span = json.loads(key)
    return int(span["to"]) - int(span["from"]) + 1


def _changes(rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """What undoing ``rows`` (``_rows``: id, table, op, key, …) does, per table and kind:
    ``{"action": "remove", "table": "txn", "count": 3, "what": "3 transactions"}``. A
    row the same step added and then changed is only removed."""
    added = {(table, key) for _id, table, op, key, *_ in rows if op == "i"}
    spans = [(table, json.loads(key)) for _id, table, op, key, *_ in rows if op == "r"]
    counts: Counter[tuple[str, str]] = Counter()
    for _id, table, op, key, *_ in rows:
        if op == "u" and ((table, key) in added or any(
                t == table and span["from"] <= json.loads(key).get("id", -1) <= span["to"]
                for t, span in spans)):
            continue
        counts[(VERBS[op], table)] += _size(op, key)
    return [{"action": action, "table": table, "count": n,
             "what": f"{n} {_noun(table, n)}"}
            for (action, table), n in sorted(counts.items())]


def _step(row: Any, rows: list[tuple[Any, ...]] | None) -> dict[str, Any]:
    data = {"id": int(row[0]), "command": row[1], "ran_at": sql.stamp(row[2]),
            "ran_by": row[3], "undone_at": sql.stamp(row[4]) if row[4] else None}
    if rows is not None:
        data["changes"] = _changes(rows)
    return data


def history(db: Db, *, limit: int | None = 20) -> list[dict[str, Any]]:
    """The journal's steps, newest first (``undo --list``), with what undoing each would
    do (``changes``)."""
    query = "SELECT id, command, ran_at, ran_by, undone_at FROM undo_step ORDER BY id DESC"
    found = db.execute(query + (f" LIMIT {int(limit)}" if limit else "")).fetchall()
    rows: dict[int, list[tuple[Any, ...]]] = {int(r[0]): [] for r in found}
    if rows:
        for row in _expanded(db.execute(
                "SELECT id, table_name, op, key, step_id FROM undo_row WHERE step_id IN "
                f"({sql.marks(list(rows))})", list(rows)), 2):
            rows[int(row[4])].append(row)
    return [_step(r, rows[int(r[0])]) for r in found]


def plan(db: Db, steps: int = 1) -> list[dict[str, Any]]:
    """The last ``steps`` steps of this person that are not undone, newest first, with
    what undoing each does; Conflict when a later step changed one of their rows."""
    if steps < 1:
        raise InvalidInput(f"STEPS: undo at least one step (got {steps})")
    found = db.execute(
        "SELECT id, command, ran_at, ran_by, undone_at FROM undo_step WHERE undone_at IS NULL "
        "AND ran_by = ? ORDER BY id DESC LIMIT ?", (_mine(db), steps)).fetchall()
    if not found:
        raise NotFound("nothing to undo: no command of yours is in the undo journal "
                       "('stuffctl undo --list' shows what is)")
    chosen = [_step(r, _rows(db, int(r[0]))) for r in found]
    _refuse_conflicts(db, [c["id"] for c in chosen])
    return chosen


def _key(text: str) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted(json.loads(text).items()))


def _refuse_conflicts(db: Db, ids: list[int]) -> None:
    """Conflict when a step after the oldest of ``ids``, not undone and not among them,
    changed a row one of them changed (a range of rows a bulk insert added included)."""
    later = _expanded(db.execute(
        "SELECT r.table_name, r.op, r.key, s.id, s.command FROM undo_row r JOIN undo_step s "
        "ON s.id = r.step_id WHERE s.id > ? AND s.undone_at IS NULL AND s.id NOT IN "
        f"({sql.marks(ids)}) ORDER BY s.id", (min(ids), *ids)).fetchall(), 1)
    if not later:
        return
    touched: dict[tuple[str, Any], tuple[int, str]] = {}
    for table, op, key, step_id, command in later:
        if op != "r":  # rows a later bulk insert added are new: none of ours
            touched.setdefault((table, _key(key)), (int(step_id), command))
    for table, op, key in _expanded(db.execute(
            "SELECT table_name, op, key FROM undo_row WHERE step_id IN "
            f"({sql.marks(ids)})", ids).fetchall(), 1):
        if op == "r":
            span = json.loads(key)
            found = next(((t, k, v) for (t, k), v in touched.items() if t == table
                          and span["from"] <= dict(k).get("id", -1) <= span["to"]), None)
            if found is not None:
                raise _conflict(table, json.dumps(dict(found[1])), found[2])
        elif (hit := touched.get((table, _key(key)))) is not None:
            raise _conflict(table, key, hit)


def _conflict(table: str, key: str, later: tuple[int, str]) -> Conflict:
    return Conflict(f"cannot undo: {_noun(table, 1)} {_shown(key)} was changed since by "
                    f"step {later[0]} ({later[1]}); undo that one first")


def _shown(key: str) -> str:
    values = json.loads(key)
    return str(values["id"]) if set(values) == {"id"} else json.dumps(values)


def undo(db: Db, steps: int = 1) -> list[dict[str, Any]]:
    """Undo the last ``steps`` steps of this person (``plan``), newest first, in the
    caller's transaction; what was undone."""
    from stuffctl.clock import utcnow
    from stuffctl.store.tables import TABLES

    chosen = plan(db, steps)
    db.backend.defer_foreign_keys(db)
    now, by = sql.moment(utcnow()), _mine(db)
    for step in chosen:
        for _id, table, op, key, before in _rows(db, step["id"]):
            if table not in TABLES:
                continue  # a table a later version dropped
            _play(db, table, op, json.loads(key), json.loads(before) if before else None,
                  now, by)
        db.execute("UPDATE undo_step SET undone_at = ? WHERE id = ?", (now, step["id"]))
        step["undone_at"] = sql.stamp(now)
    return chosen


def _play(db: Db, table: str, op: str, key: dict[str, Any], before: dict[str, Any] | None,
          now: str, by: str) -> None:
    from stuffctl.store.tables import TABLES

    columns = TABLES[table].columns
    where = " AND ".join(f"{c} = ?" for c in key)
    if op == "r":
        db.execute(f"DELETE FROM {table} WHERE rowid BETWEEN ? AND ?", (key["from"], key["to"]))
    elif op == "i":
        db.execute(f"DELETE FROM {table} WHERE {where}", tuple(key.values()))
    elif op == "d":
        assert before is not None
        kept = [c for c in columns if c in before]
        db.execute(f"INSERT INTO {table} ({', '.join(kept)}) VALUES ({sql.marks(kept)})",
                   [before[c] for c in kept])
    else:
        assert before is not None
        kept = [c for c in columns if c in before]
        if "id" in key:
            _journal_fields(db, table, int(key["id"]), kept, before, now, by)
        db.execute(f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in kept)} WHERE {where}",
                   [*(before[c] for c in kept), *key.values()])


def _journal_fields(db: Db, table: str, ident: int, columns: list[str],
                    before: dict[str, Any], now: str, by: str) -> None:
    """The edit journal's rows for the fields an undo restores (``store.sql.update``):
    a save made from a read before the undo is refused after it (``--since``)."""
    current = db.rows(f"SELECT {', '.join(columns)} FROM {table} WHERE id = ?",
                      (ident,)).fetchone()
    if current is None:
        return
    changed = [c for c in columns if c not in ("updated_at", "updated_by")
               and current[c] != before[c]]
    if changed:
        db.executemany("INSERT INTO change (table_name, row_id, field, changed_by, "
                       "changed_at) VALUES (?, ?, ?, ?, ?)",
                       [(table, ident, c, by, now) for c in changed])
