"""`db info` and `db check`: facts about the database file and checks on it.

Checks are pure functions ``check_*(session) -> list[Finding]`` in the manner of
beancount's plugins: each returns what it found; the CLI decides how to show
it and which exit code follows.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session, SQLModel

from stuffctl import paths
from stuffctl.store import schema


@dataclass(frozen=True)
class Finding:
    check: str
    ok: bool
    message: str
    fix: str | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _scalar(session: Session, sql: str) -> Any:
    return session.connection().exec_driver_sql(sql).scalar()


def info(*, session: Session) -> dict[str, Any]:
    path = paths.db_path()
    counts = {
        name: _scalar(session, f'SELECT count(*) FROM "{name}"')
        for name in sorted(SQLModel.metadata.tables)
    }
    size = sum(p.stat().st_size for p in _files(path) if p.exists())
    return {
        "path": str(path),
        "schema_version": _scalar(session, "SELECT version_num FROM alembic_version"),
        "code_schema_version": schema.head_revision(),
        "size_bytes": size,
        "journal_mode": _scalar(session, "PRAGMA journal_mode"),
        "rows": counts,
    }


def _files(path: Path) -> list[Path]:
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def check_integrity(session: Session) -> list[Finding]:
    rows = session.connection().exec_driver_sql("PRAGMA integrity_check").fetchall()
    problems = [r[0] for r in rows if r[0] != "ok"]
    if not problems:
        return [Finding("integrity", True, "SQLite integrity check passed")]
    return [Finding("integrity", False, p, "restore a backup: stuffctl restore FILE")
            for p in problems[:20]]


def check_foreign_keys(session: Session) -> list[Finding]:
    rows = session.connection().exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if not rows:
        return [Finding("foreign_keys", True, "every reference points at an existing row")]
    return [
        Finding("foreign_keys", False, f"{table} row {rowid} refers to a missing {parent}",
                "edit or remove that row, or restore a backup")
        for table, rowid, parent, _ in rows[:20]
    ]


def check_schema(session: Session) -> list[Finding]:
    stored = _scalar(session, "SELECT version_num FROM alembic_version")
    head = schema.head_revision()
    if stored == head:
        return [Finding("schema", True, f"schema at {head}, as this stuffctl expects")]
    if stored in schema.known_revisions():
        return [Finding("schema", False, f"schema at {stored}, code expects {head}",
                        "run any writing command to migrate")]
    return [Finding("schema", False, f"schema {stored} is newer than this stuffctl ({head})",
                    "upgrade stuffctl")]


def check_journal_mode(session: Session) -> list[Finding]:
    mode = _scalar(session, "PRAGMA journal_mode")
    if mode == "wal":
        return [Finding("journal_mode", True, "write-ahead log in use")]
    return [Finding("journal_mode", False, f"journal mode is {mode}, expected wal",
                    "run any stuffctl command with write access to the file")]


def check_permissions(session: Session) -> list[Finding]:
    path = paths.db_path()
    loose = [p for p in _files(path) if p.exists() and p.stat().st_mode & 0o077]
    if not loose:
        return [Finding("permissions", True, "database readable by its owner only")]
    return [Finding("permissions", False, f"{p} is readable by others", f"chmod 600 {p}")
            for p in loose]


CHECKS = [check_integrity, check_foreign_keys, check_schema, check_journal_mode,
          check_permissions]


def run_checks(*, session: Session) -> list[Finding]:
    return [finding for check in CHECKS for finding in check(session)]
