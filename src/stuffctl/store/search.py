"""Full-text search: SQLite FTS5 tables kept in step with their sources by triggers.

``SOURCES`` is the whole configuration: which table is searched and as which kind
of hit; the text columns searched are those the models declare ``searched``
(``models.base.searched``, carried to ``store/tables.py``). For every source whose
table exists, ``install`` creates an external-content FTS5 table ``fts_<table>``
and three triggers (insert, update, delete) that keep it in step, and is
idempotent: migration 0002 calls it, and so does every later migration run (a
batch-mode table rebuild drops the table's triggers, and new tables may have
appeared), so a new searched column needs only its declaration and its
migration, and a new source a line here too. Sources whose table does not exist
yet are skipped; declared columns the table lacks are left out.

``search`` runs one ranked query over every installed source (BM25), and falls
back to plain ``LIKE`` matching on a database without FTS5.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from stuffctl.store.bulk import execute

PREFIX = "fts_"


@dataclass(frozen=True)
class Source:
    table: str
    kind: str
    title: str  # SQL expression over the source row ``src``
    id_column: str = "id"  # the id reported for a hit
    rowid: str = "id"  # the source's integer row key (``rowid`` for tables without id)

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns searched: those the models declare ``searched``."""
        from stuffctl.store.tables import TABLES

        return TABLES[self.table].searched


SOURCES: tuple[Source, ...] = (
    Source("asset", "asset", "src.name"),
    Source("asset_field", "asset",
           "(SELECT name FROM asset WHERE asset.id = src.asset_id)", "asset_id", "rowid"),
    Source("event", "log",
           "(SELECT name FROM asset WHERE asset.id = src.asset_id) || ': ' || src.kind"),
    Source("txn", "transaction", "coalesce(src.payee, src.memo, src.category, '')"),
    Source("person", "person", "src.name"),
    Source("loan", "loan", "'loan ' || src.id"),
    Source("project", "project", "src.name"),
    Source("task", "task", "src.title"),
    Source("incident", "incident",
           "(SELECT name FROM asset WHERE asset.id = src.asset_id) || ': ' || src.symptom"),
    Source("incident_step", "incident",
           "(SELECT symptom FROM incident WHERE incident.id = src.incident_id)",
           "incident_id"),
    Source("playbook", "playbook", "src.symptom"),
    Source("link", "link", "coalesce(src.title, src.url)"),
    Source("stock_item", "stock", "src.name"),
)


def fts_name(source: Source) -> str:
    return f"{PREFIX}{source.table}"


def is_search_table(name: str) -> bool:
    """True for our FTS tables and their shadow tables (not part of the models)."""
    return name.startswith(PREFIX)


def _q(conn: Any, sql: str, *params: Any) -> list[Any]:
    return list(execute(conn, sql, params).fetchall())


def table_columns(conn: Any, table: str) -> list[str]:
    return [row[1] for row in _q(conn, f'PRAGMA table_info("{table}")')]


def installed(conn: Any) -> list[tuple[Source, tuple[str, ...]]]:
    """Sources with their indexed columns, for every FTS table present."""
    present = {row[0] for row in _q(conn, "SELECT name FROM sqlite_master WHERE type='table'")}
    found = []
    for source in SOURCES:
        if fts_name(source) in present and source.table in present:
            found.append((source, tuple(table_columns(conn, fts_name(source)))))
    return found


def fts5_available(conn: Any) -> bool:
    rows = _q(conn, "SELECT 1 FROM pragma_compile_options WHERE compile_options = 'ENABLE_FTS5'")
    return bool(rows)


def install(conn: Any, *, rebuild: bool = False) -> list[str]:
    """Create or repair the FTS tables and triggers of every present source.

    Returns the names of the FTS tables. An FTS table whose columns no longer
    match is recreated; a new or recreated one (or all, with ``rebuild``) is
    filled from its source.
    """
    if not fts5_available(conn):
        return []
    present = {row[0] for row in _q(conn, "SELECT name FROM sqlite_master WHERE type='table'")}
    made = []
    for source in SOURCES:
        if source.table not in present:
            continue
        have = set(table_columns(conn, source.table))
        columns = tuple(c for c in source.columns if c in have)
        if not columns:
            continue
        fresh = _ensure_table(conn, source, columns, present)
        _create_triggers(conn, source, columns)
        if fresh or rebuild:
            name = fts_name(source)
            conn.exec_driver_sql(f"INSERT INTO {name}({name}) VALUES ('rebuild')")
        made.append(fts_name(source))
    return made


def _ensure_table(conn: Any, source: Source, columns: tuple[str, ...], present: set[str]) -> bool:
    name = fts_name(source)
    if name in present:
        if tuple(table_columns(conn, name)) == columns:
            return False
        conn.exec_driver_sql(f"DROP TABLE {name}")
    cols = ", ".join(columns)
    conn.exec_driver_sql(
        f"CREATE VIRTUAL TABLE {name} USING fts5({cols}, content='{source.table}', "
        f"content_rowid='{source.rowid}', tokenize='unicode61 remove_diacritics 2')"
    )
    return True


def _create_triggers(conn: Any, source: Source, columns: tuple[str, ...]) -> None:
    name, table, key = fts_name(source), source.table, source.rowid
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    add = f"INSERT INTO {name}(rowid, {cols}) VALUES (new.{key}, {new});"
    drop = f"INSERT INTO {name}({name}, rowid, {cols}) VALUES ('delete', old.{key}, {old});"
    for suffix, event, body in (("ai", "INSERT", add), ("ad", "DELETE", drop),
                                ("au", "UPDATE", drop + " " + add)):
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}_{suffix}")
        conn.exec_driver_sql(
            f"CREATE TRIGGER {name}_{suffix} AFTER {event} ON {table} BEGIN {body} END"
        )


@contextmanager
def bulk_insert(conn: Any, table: str) -> Iterator[None]:
    """Index the rows added to ``table`` inside the block with one statement at its end.

    The per-row insert trigger costs about four times the insert itself (100,000
    imported transactions: 16 s against 0.8 s for one ``INSERT … SELECT``). The
    caller holds the write lock, so dropping the trigger and creating it again
    inside its transaction is invisible to other connections, and a rollback
    undoes both.
    """
    from stuffctl.store.bulk import on_sqlite

    if not on_sqlite(conn):  # a server's GIN index takes a bulk insert in its stride
        yield
        return
    source = next((s for s in SOURCES if s.table == table), None)
    name = f"{PREFIX}{table}"
    found = _q(conn, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
               f"{name}_ai")
    if source is None or not found:
        yield
        return
    key, cols = source.rowid, ", ".join(table_columns(conn, name))
    last = _q(conn, f"SELECT coalesce(max({key}), 0) FROM {table}")[0][0]
    execute(conn, f"DROP TRIGGER {name}_ai")
    try:
        yield
        execute(conn, f"INSERT INTO {name}(rowid, {cols}) SELECT {key}, {cols} "
                      f"FROM {table} WHERE {key} > ?", (last,))
    finally:
        execute(conn, found[0][0])


def uninstall(conn: Any) -> None:
    for source in SOURCES:
        name = fts_name(source)
        for suffix in ("ai", "ad", "au"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}_{suffix}")
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {name}")


def match_query(text: str) -> str:
    """A person's words as an FTS5 query: every word must occur, as a prefix."""
    words = [w.replace('"', '""') for w in text.split()]
    return " ".join(f'"{w}"*' for w in words)


def search(conn: Any, text: str, *, limit: int = 50) -> list[dict[str, Any]]:
    """Ranked hits ``{kind, id, title, snippet, score}`` for ``text``, best first.

    Ranked first, shown after: one query ranks every match of every installed source
    by BM25 and keeps the best ``limit`` (``hit``), reading no source row where the
    index's rowid is the hit's id; only the kept rows are then joined to their source
    for a title, and get a snippet. A common word matches most transactions, and the
    join and snippet per match were most of the time (docs/performance.md#find)."""
    sources = installed(conn)
    if not sources:
        return like_search(conn, text, limit=limit)
    ranked, shown = [], []
    for n, (source, _cols) in enumerate(sources):
        name = fts_name(source)
        if source.id_column == source.rowid == "id":  # the index's rowid is the id
            found = f"{name}.rowid AS id FROM {name}"
        else:
            found = (f"src.{source.id_column} AS id FROM {name} "
                     f"JOIN {source.table} AS src ON src.{source.rowid} = {name}.rowid")
        ranked.append(f"SELECT {n} AS n, '{source.kind}' AS kind, {name}.rowid AS rid, "
                      f"bm25({name}) AS score, {found} WHERE {name} MATCH ?")
        shown.append(f"SELECT hit.kind, hit.id, {source.title}, "
                     f"snippet({name}, -1, '[', ']', '…', 10), hit.score, hit.n, hit.rid "
                     f"FROM hit JOIN {name} ON {name}.rowid = hit.rid "
                     f"JOIN {source.table} AS src ON src.{source.rowid} = hit.rid "
                     f"WHERE hit.n = {n} AND {name} MATCH ?")
    order = "ORDER BY score, kind, id, n, rid"
    sql = (f"WITH hit AS MATERIALIZED (SELECT * FROM ({' UNION ALL '.join(ranked)}) {order} "
           f"LIMIT ?) {' UNION ALL '.join(shown)} ORDER BY 5, 1, 2, 6, 7")
    query = match_query(text)
    rows = _q(conn, sql, *([query] * len(ranked)), limit, *([query] * len(shown)))
    return _dedupe(row[:5] for row in rows)


def _dedupe(rows: Iterable[Any]) -> list[dict[str, Any]]:
    """One hit per (kind, id): an asset found by name and by a custom field counts once."""
    seen: set[tuple[str, int]] = set()
    hits = []
    for kind, ident, title, snippet, score in rows:
        if (kind, ident) in seen:
            continue
        seen.add((kind, ident))
        hits.append({"kind": kind, "id": ident, "title": title, "snippet": snippet,
                     "score": round(-float(score), 4)})
    return hits


def like_search(conn: Any, text: str, *, limit: int = 50) -> list[dict[str, Any]]:
    """The plain fallback: case-insensitive substring match, every word somewhere."""
    present = {row[0] for row in _q(conn, "SELECT name FROM sqlite_master WHERE type='table'")}
    words = text.split()
    rows: list[Any] = []
    for source in SOURCES:
        if source.table not in present:
            continue
        have = set(table_columns(conn, source.table))
        cols = [c for c in source.columns if c in have]
        if not cols or not words:
            continue
        blob = " || ' ' || ".join(f"coalesce(src.{c}, '')" for c in cols)
        cond = " AND ".join(f"({blob}) LIKE ? ESCAPE '\\'" for _ in words)
        params = [f"%{_like(w)}%" for w in words]
        rows += _q(conn, f"SELECT '{source.kind}', src.{source.id_column}, {source.title}, "
                   f"NULL, 0 FROM {source.table} AS src WHERE {cond} LIMIT ?", *params, limit)
    return _dedupe(rows)[:limit]


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
