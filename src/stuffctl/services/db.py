"""`db info` and `db check`: facts about the database file and checks on it.

Checks are pure functions ``check_*(db) -> list[Finding]`` in the manner of
beancount's plugins: each returns what it found; the CLI decides how to show
it and which exit code follows.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from stuffctl import paths
from stuffctl.errors import Damaged, InvalidInput
from stuffctl.store import blobs, schema
from stuffctl.store.handle import Db
from stuffctl.vocabulary import STORED


@dataclass(frozen=True)
class Finding:
    check: str
    ok: bool
    message: str
    fix: str | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def info(*, db: Db) -> dict[str, Any]:
    """Facts about the database (docs/json.md#db-info), at the head revision: its tables
    are then exactly the models' tables (checked
    in tests/services/test_store.py), besides Alembic's and the search index's."""
    from stuffctl.store.search import is_search_table

    tables = sorted(name for name in db.backend.table_names(db)
                    if name != "alembic_version" and not is_search_table(name))
    if (url := paths.db_url()) is not None:
        from stuffctl.store.postgres import redacted

        where = redacted(url)
        size = int(db.one("SELECT pg_database_size(current_database())"))
    else:
        path = paths.db_path()
        where = str(path)
        size = sum(p.stat().st_size for p in _files(path) if p.exists())
    return {
        "backend": db.backend.name,
        "path": where,
        "schema_version": db.one("SELECT version_num FROM alembic_version"),
        "code_schema_version": schema.head_revision(),
        "size_bytes": size,
        "journal_mode": db.backend.journal_mode(db),
        "rows": {name: db.one(f'SELECT count(*) FROM "{name}"') for name in tables},
    }


def init() -> dict[str, Any]:
    """``stuffctl db init``: make the database in use at the head revision, the home's file
    or a blank server database (``paths.db_url``), as its first write would; one that is
    there already is left as it is (docs/json.md#db-init)."""
    from stuffctl import store

    url = paths.db_url()
    if url is not None:
        from stuffctl.store.postgres import redacted, revision_at

        there, where = revision_at(url) is not None, redacted(url)
    else:
        path = paths.db_path()
        there, where = path.is_file() and path.stat().st_size > 0, str(path)
    with store.transaction(write=True, keeps_attention=True) as db:
        revision = db.one("SELECT version_num FROM alembic_version")
        backend = db.backend.name
    return {"backend": backend, "path": where, "created": not there,
            "schema_version": revision}


def copy(*, to: str, files: Path | None = None) -> dict[str, Any]:
    """``stuffctl db copy --to TARGET``: every row of the database in use, ids and uids as
    they are, into the blank database TARGET (a file, made if needed, or a server URL),
    in one transaction there; and the attached files into TARGET's folder for them
    (docs/shared.md, "Moving in and out"; docs/json.md#db-copy)."""
    from stuffctl import store
    from stuffctl.errors import InvalidInput, OperationFailed
    from stuffctl.store import FORGET_ATTENTION
    from stuffctl.store.tables import TABLES

    target: Path | str = to if paths.is_url(to) else Path(to).expanduser().absolute()
    source_name, target_name = _shown(paths.db_url() or paths.db_path()), _shown(target)
    if source_name == target_name:
        raise InvalidInput(f"--to: {target_name} is the database in use")
    if isinstance(target, Path) and not target.parent.is_dir():
        raise InvalidInput(f"--to: no such folder {target.parent}")
    with store.transaction() as source, store.transaction(write=True, where=target) as dest:
        if held := [name for name in TABLES if dest.one(f'SELECT 1 FROM "{name}" LIMIT 1')]:
            raise OperationFailed(f"{target_name} already holds data ({held[0]}, …); "
                                  "db copy writes into a blank database")
        dest.backend.defer_foreign_keys(dest)
        rows: dict[str, int] = {}
        for name, table in TABLES.items():
            columns = ", ".join(table.columns)
            size = int(source.one(f'SELECT count(*) FROM "{name}"'))
            found = source.execute(f'SELECT {columns} FROM "{name}" '
                                   f"ORDER BY {', '.join(table.primary_key)}")
            rows[name] = dest.backend.load(dest, name, list(table.columns), found, size)
        dest.execute(FORGET_ATTENTION)  # what the fast paths cached is the source's
        hashes = [sha for (sha,) in source.execute(
            "SELECT DISTINCT sha256 FROM attachment ORDER BY sha256")]
    folder = files or _files_folder(target)
    copied = _copy_files(hashes, folder)
    return {"from": source_name, "to": target_name, "rows": rows,
            "files": copied, "files_folder": str(folder)}


def grant(*, db: Db, person: str, role: str, login: str | None = None) -> dict[str, Any]:
    """``stuffctl db grant PERSON ROLE``: the person signs in to the server database as
    ``login`` (by default their name, as ``store.postgres.login_for`` spells it), which
    is made when missing, and may read (viewer), also write (member), and also manage
    people and roles (admin): the server enforces it (docs/json.md#db-grant)."""
    from stuffctl.errors import InvalidInput
    from stuffctl.services.lookup import resolve
    from stuffctl.services.person import check_login_free
    from stuffctl.store import sql
    from stuffctl.store.postgres import ROLES, login_for

    if role not in ROLES:
        raise InvalidInput(f"ROLE: expected one of {', '.join(ROLES)} (got {role!r})")
    person_id = resolve(db, "person", person, "PERSON")
    name = db.one("SELECT name FROM person WHERE id = ?", (person_id,))
    login = login or login_for(name)
    check_login_free(db, person_id, login)
    made = db.backend.grant(db, login, role)
    sql.update(db, "person", person_id, {"login": login})  # their commands run as them
    return {"person": {"id": person_id, "name": name}, "login": login, "role": role,
            "login_created": made}


def _shown(where: Path | str) -> str:
    if isinstance(where, str):
        from stuffctl.store.postgres import redacted

        return redacted(where)
    return str(Path(where).expanduser().absolute())


def _files_folder(target: Path | str) -> Path:
    """Where TARGET's attached files live: beside a file; for a server, the shared folder
    of the config's ``attachments_dir`` (else the home's own)."""
    if isinstance(target, Path):
        return target.parent / "attachments"
    return paths.attachments_dir()


def _copy_files(hashes: list[str], folder: Path) -> int:
    """Copy the stored files ``hashes`` into ``folder`` (``ab/abcdef…``) unless there;
    the number copied."""
    from stuffctl.store import blobs

    copied = 0
    if folder.absolute() == paths.attachments_dir().absolute():
        return copied
    for sha in hashes:
        source, target = blobs.blob_path(sha), folder / sha[:2] / sha
        if target.exists() or not source.exists():
            continue
        paths.ensure_dir(target.parent)
        with source.open("rb") as fh, paths.atomic_file(target) as out:
            while chunk := fh.read(1 << 20):
                out.write(chunk)
        copied += 1
    return copied


def _files(path: Path) -> list[Path]:
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def check_integrity(db: Db) -> list[Finding]:
    problems = db.backend.integrity_problems(db)
    if not problems:
        return [Finding("integrity", True, f"{db.backend.title} integrity check passed")]
    return [Finding("integrity", False, p, restore_fix()) for p in problems[:20]]


def restore_fix() -> str:
    """The command that restores the newest backup in the home (a ``backup`` one, which
    holds the attached files too, before one made before a migration)."""
    from stuffctl.store.backup import newest_backup

    newest = newest_backup()
    if newest is None:
        return "restore a backup you keep elsewhere: stuffctl restore FILE"
    return f"stuffctl restore {shlex.quote(str(newest))}"


def check_foreign_keys(db: Db) -> list[Finding]:
    rows = db.backend.broken_references(db)
    if not rows:
        return [Finding("foreign_keys", True, "every reference points at an existing row")]
    return [
        Finding("foreign_keys", False, f"{table} row {rowid} refers to a missing {parent}",
                "edit or remove that row, or restore a backup")
        for table, rowid, parent in rows[:20]
    ]


def check_schema(db: Db) -> list[Finding]:
    stored = db.one("SELECT version_num FROM alembic_version")
    head = schema.head_revision()
    if stored == head:
        return [Finding("schema", True, f"schema at {head}, as this stuffctl expects")]
    if stored in schema.known_revisions():
        return [Finding("schema", False, f"schema at {stored}, code expects {head}",
                        "run any writing command to migrate")]
    return [Finding("schema", False, f"schema {stored} is newer than this stuffctl ({head})",
                    "upgrade stuffctl")]


def check_journal_mode(db: Db) -> list[Finding]:
    mode = db.backend.journal_mode(db)
    if mode == "wal":
        return [Finding("journal_mode", True, "write-ahead log in use")]
    return [Finding("journal_mode", False, f"journal mode is {mode}, expected wal",
                    "run any stuffctl command with write access to the file")]


def check_permissions() -> list[Finding]:
    if paths.db_url() is not None:
        return [Finding("permissions", True, "who may read and change a server database is "
                        "the server's to say (its roles)")]
    path = paths.db_path()
    loose = [p for p in _files(path) if p.exists() and p.stat().st_mode & 0o077]
    if not loose:
        return [Finding("permissions", True, "database readable by its owner only")]
    return [Finding("permissions", False, f"{p} is readable by others", f"chmod 600 {p}")
            for p in loose]


def check_attachments(db: Db) -> list[Finding]:
    """Every attachment row has its stored file, unchanged; no stored file is unused."""
    rows = db.execute("SELECT id, asset_id, sha256 FROM attachment ORDER BY id").fetchall()
    findings: list[Finding] = []
    verdicts: dict[str, str | None] = {}
    for file_id, asset_id, sha in rows:
        if sha not in verdicts:
            verdicts[sha] = _blob_problem(sha)
        if verdicts[sha] is not None:
            findings.append(Finding(
                "attachments", False, f"file {file_id} of asset {asset_id}: {verdicts[sha]}",
                f"stuffctl asset detach {asset_id} {file_id}, then attach the file again"))
    findings += [Finding("attachments", False, f"{p} is not attached to anything",
                         f"delete it: rm {shlex.quote(str(p))}")
                 for p in _unused_files({sha for sha in verdicts})]
    if not findings:
        return [Finding("attachments", True, f"{len(verdicts)} stored files, all attached "
                        "and unchanged")]
    return findings[:20]


def _blob_problem(sha: str) -> str | None:
    """What is wrong with the stored copy of ``sha``, or None."""
    try:
        path = blobs.blob_path(sha)
    except InvalidInput:
        return f"its content hash {sha!r} is not valid"
    if not path.is_file():
        return f"its stored copy {path} is missing"
    if blobs.file_sha256(path) != sha:
        return f"its stored copy {path} has changed since it was attached"
    return None


def _unused_files(known: set[str]) -> list[Path]:
    root = paths.attachments_dir()
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*")
                  if p.is_file() and not (p.name in known and p.parent.name == p.name[:2])
                  and not paths.is_temporary(p.name))  # those are check_leftovers


# The command that mends a stored value: per column where a command sets just that
# column, else the command that edits a row of the table, else none (remove the row or
# restore a backup).
_MEND = {("project", "status"): "stuffctl project edit {id} --status STATUS",
         ("task", "status"): "stuffctl task done {id} (or task undo {id})",
         ("task", "priority"): "stuffctl task edit {id} --priority H|M|L",
         ("subscription", "status"): "stuffctl sub cancel {id}",
         ("asset", "status"): "stuffctl asset retire {id}, or restore a backup"}
_EDIT = {"asset": "asset", "txn": "tx", "project": "project", "task": "task",
         "reminder": "remind", "subscription": "sub", "person": "person"}


def _mend(table: str, column: str, row_id: Any) -> str:
    if (command := _MEND.get((table, column))) is not None:
        return command.format(id=row_id)
    if table in _EDIT and (table, column) not in STORED:
        return f"stuffctl {_EDIT[table]} edit {row_id}"
    return "remove that row, or restore a backup"


def check_values(db: Db) -> list[Finding]:
    """Stored values the commands would refuse today (a currency that is not a code, a
    date outside what stuffctl handles, a status or other word outside its closed set, a
    rule or lead it cannot read): left by an older
    stuffctl or a hand edit, they stop the commands that show them."""
    from stuffctl.dates import FIRST_DAY, LAST_DAY, parse_duration, parse_recurrence
    from stuffctl.store.tables import TABLES

    letter = "substr({c}, {i}, 1) BETWEEN 'A' AND 'Z'"
    found: list[tuple[str, Any, str, Any]] = []
    for table in TABLES.values():
        if len(table.primary_key) != 1:
            continue
        key = table.primary_key[0]
        for column, kind in zip(table.columns, table.kinds, strict=True):
            if column.endswith("currency"):
                code = " AND ".join(letter.format(c=column, i=i) for i in (1, 2, 3))
                where = f"NOT (length({column}) = 3 AND {code})"
            elif kind in ("date", "datetime", "local"):
                day = f"substr({column}, 1, 10)"
                where = f"({day} < '{FIRST_DAY}' OR {day} > '{LAST_DAY}')"
            else:
                continue
            rows = db.execute(f"SELECT {key}, {column} FROM {table.name} "
                              f"WHERE {column} IS NOT NULL AND {where}").fetchall()
            found += [(table.name, row_id, column, value) for row_id, value in rows]
    for (table_name, column), words in STORED.items():
        marks = ", ".join("?" * len(words))
        found += [(table_name, row_id, column, value) for row_id, value in db.execute(
            f"SELECT id, {column} FROM {table_name} WHERE {column} IS NOT NULL "
            f"AND {column} NOT IN ({marks})", words).fetchall()]
    for column, parse in (("rule", parse_recurrence), ("lead", parse_duration)):
        for row_id, value in db.execute(f"SELECT id, {column} FROM reminder "
                                        f"WHERE {column} IS NOT NULL").fetchall():
            try:
                parse(value)
            except InvalidInput:
                found.append(("reminder", row_id, column, value))
    if not found:
        return [Finding("values", True, "every stored currency, date, status, rule and lead "
                        "is one the commands accept")]
    return [Finding("values", False, f"{table} {row_id}: {column} {value!r} is not a value "
                    "stuffctl accepts", _mend(table, column, row_id))
            for table, row_id, column, value in found[:20]]


def check_leftovers() -> list[Finding]:
    """Temporary files a killed backup, restore or write left in the home."""
    found = [*paths.stale_temps(paths.db_path().parent), *paths.stale_temps(
        paths.backups_dir()), *paths.stale_temps(paths.attachments_dir(), nested=True)]
    if not found:
        return [Finding("leftovers", True, "no temporary files left behind")]
    return [Finding("leftovers", False, f"{p} was left by a run that was stopped",
                    f"delete it: rm {shlex.quote(str(p))}") for p in found[:20]]


# In the order they are shown; those of the files only run on a file SQLite cannot open.
CHECKS: list[Callable[..., list[Finding]]] = [
    check_integrity, check_foreign_keys, check_schema, check_journal_mode, check_permissions,
    check_attachments, check_values, check_leftovers]
FILE_CHECKS = {check_permissions, check_leftovers}


def run_checks(*, db: Db) -> list[Finding]:
    """Every check. One the database's damage stops is reported as failed, with the fix."""
    findings: list[Finding] = []
    for check in CHECKS:
        if check in FILE_CHECKS:
            findings += check()
            continue
        try:
            findings += check(db)
        except Exception as exc:
            error = db.backend.error(exc)
            if not isinstance(error, Damaged):
                raise
            findings.append(_not_checked(check.__name__, str(exc)))
    return findings


def unreadable_checks(problem: str) -> list[Finding]:
    """The checks of a file that cannot be opened as a database at all."""
    return [f for check in CHECKS
            for f in (check() if check in FILE_CHECKS else [_not_checked(check.__name__,
                                                                          problem)])]


def _not_checked(check: str, problem: str) -> Finding:
    name = check.removeprefix("check_")
    if name == "integrity":
        return Finding(name, False, f"the database cannot be read: {problem}", restore_fix())
    return Finding(name, False, f"not checked: the database cannot be read ({problem})")
