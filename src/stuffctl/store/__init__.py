"""Database access: one session and one transaction per command.

``with store.session(write=True) as s:`` opens (and if needed migrates) the
database, begins ``IMMEDIATE`` on first use, commits once when the block ends
and rolls back on any exception, KeyboardInterrupt included. Database errors
leave as stuffctl errors: a lock held past the busy timeout is ``Busy``, a
full disk or I/O error is ``OperationFailed``.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stuffctl import paths
from stuffctl.errors import Busy, InvalidInput, NotFound, OperationFailed, StuffctlError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session


_engines: dict[tuple[Path, bool], Engine] = {}


def _default_keep() -> int:
    return 5  # the default of the config key backups.keep


# How many copies made before a migration to keep, asked when one is made: the config's
# ``backups.keep``, installed by the root command (cli/root.py). The store sits below
# the config and reads none of it; ``backup`` and ``restore`` are passed ``keep``.
keep_before_migration: Callable[[], int] = _default_keep


def get_engine(path: Path, *, write: bool) -> Engine:
    """The engine for ``path``, migrating the file first on the process's first open
    (a read of a home that has no database yet reads a blank one in memory)."""
    key = (path, write)
    if key not in _engines:
        from stuffctl.store.engine import blank_engine, make_engine
        from stuffctl.store.migrate import blank_database, check_and_migrate

        if not require_database(path, write=write):
            return blank_engine(blank_database())  # not kept: the first write makes the file
        check_and_migrate(path, write=write)
        _engines[key] = make_engine(path, write=write)
    return _engines[key]


def require_database(path: Path, *, write: bool) -> bool:
    """Whether there is a database at ``path`` to open (a writer makes it when needed).

    A path named by ``--db`` or ``STUFFCTL_DB`` must exist to be read, and its folder
    to be written: a mistyped path is an error naming it, never a new empty database
    and folders. The home's own database is made by the first write; a read before
    that finds nothing (False) and creates nothing (docs/quickstart.md, "Your own data").
    """
    if path.exists():
        return True
    named = paths.named_db()
    if named is None:
        return write
    if not write:
        raise InvalidInput(f"{path}: no such database (named by {named})")
    if not path.parent.is_dir():
        raise InvalidInput(f"{path}: no such folder {path.parent} (named by {named})")
    return True


def existing_database(path: Path | None = None) -> Path:
    """The database file, which must exist: ``db info`` and ``db check`` describe a file."""
    path = path or paths.db_path()
    if not require_database(path, write=False):
        raise NotFound(f"there is no database at {path} yet; the first command that adds "
                       "something makes it")
    return path


def dispose_all() -> None:
    """Close every pooled connection (tests, and before replacing the file)."""
    for eng in _engines.values():
        eng.dispose()
    _engines.clear()


@contextmanager
def session(*, write: bool = False) -> Iterator[Session]:
    """One transaction: commit at the end of the block, roll back on failure."""
    from sqlmodel import Session

    from stuffctl.clock import transaction_clock

    _writes_need_only_their_models()
    with translate_errors(), transaction_clock():
        s = Session(get_engine(paths.db_path(), write=write), expire_on_commit=False)
        try:
            yield s
            if write and s.in_transaction() and not s.info.get("keeps_attention"):
                forget_attention(s)
            s.commit()
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()


@functools.cache
def _writes_need_only_their_models() -> None:
    """Let the ORM write a table without importing every other model first.

    The models are imported on first use (stuffctl/models/__init__.py). Before
    its first write to a table, SQLAlchemy sorts the tables of the row's mapper
    by their foreign keys (``Mapper._sorted_tables``) and follows each key to
    the table it refers to, which must be registered: ``txn.asset_id`` would
    need the asset models imported, and through them every other one (about
    100 ms). Each stuffctl mapper has exactly one table and no inheritance, so
    that sort has one possible answer: the mapper's own table. It is set
    before each flush or ORM statement (SQLAlchemy drops memoized values when
    another model is mapped), and a mapper that ever has more than one table
    falls back to importing every model.
    """
    from sqlalchemy import event, inspect
    from sqlmodel import Session

    def own_table_only(mapper: Any) -> None:
        if "_sorted_tables" in mapper.__dict__:
            return
        if mapper.inherits is not None or len(mapper.tables) != 1:
            from stuffctl import models

            models.load_all()
            return
        mapper._set_memoized_attribute("_sorted_tables", {mapper.local_table: mapper})

    def before_flush(s: Session, *_: object) -> None:
        for obj in (*s.new, *s.dirty, *s.deleted):
            own_table_only(inspect(obj).mapper)

    def before_execute(state: Any) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            for mapper in state.all_mappers:
                own_table_only(mapper)

    event.listen(Session, "before_flush", before_flush)
    event.listen(Session, "do_orm_execute", before_execute)


FORGET_ATTENTION = "DELETE FROM meta WHERE key IN ('next_attention_at', 'brief_until')"


def forget_attention(s: Session) -> None:
    """Drop what the fast paths cached: the time of the next reminder that may need
    attention and the ``status --brief`` line.

    Every command that writes data does this, in its own transaction, so that the
    plain-sqlite3 fast paths of ``remind run`` and ``status --brief`` never trust
    what was computed from data that has changed since (docs/reminders.md, "Fast
    path").
    """
    s.connection().exec_driver_sql(FORGET_ATTENTION)


@contextmanager
def connection(*, write: bool = False,
               keeps_attention: bool = False) -> Iterator[sqlite3.Connection]:
    """One transaction on a plain sqlite3 connection, for reads in plain SQL
    (``store.sql``), the common writes, and bulk paths (``tx import``) that should not pay for
    importing SQLAlchemy: the same migration check, pragmas, ``BEGIN IMMEDIATE``
    for writers, error translation and forgotten attention time as ``session``
    (forgotten as the transaction begins: `remind run` stores it anew). Commits
    at the end of the block, rolls back on failure.

    ``keeps_attention``: this writer changes nothing either fast path reads (it
    stores its own fast-path fact, or records what `remind run` notified), so the
    other fast path's cached answer stays (``services.remind.engine.remember``).
    """
    from stuffctl.clock import transaction_clock
    from stuffctl.store.engine import apply_pragmas

    path = paths.db_path()
    with translate_errors(), transaction_clock():
        conn = _open(path, write=write)
        try:
            apply_pragmas(conn)
            if write:
                # A bulk insert updates several indexes at random places (uids,
                # fingerprints): a 64 MB page cache instead of SQLite's 2 MB keeps them
                # from spilling. A read streams and needs no more than the default.
                conn.execute("PRAGMA cache_size = -65536")
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            if write and not keeps_attention:  # first: a command may work them out anew
                conn.execute(FORGET_ATTENTION)
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        finally:
            conn.close()


def _open(path: Path, *, write: bool) -> sqlite3.Connection:
    """A connection to the database at ``path``, at the head revision; for a read of a
    home that has no database yet, a blank one in memory (a read never creates one)."""
    from stuffctl.store.migrate import blank_database, check_and_migrate

    if not require_database(path, write=write):
        return blank_database()
    check_and_migrate(path, write=write)
    return sqlite3.connect(path)


def database_error(exc: BaseException) -> StuffctlError | None:
    """Our error for a DBAPI or SQLAlchemy database error, or None."""
    orig = getattr(exc, "orig", exc)
    if isinstance(orig, OverflowError):  # SQLite integers are 64-bit
        return InvalidInput(f"a number is too large (at most {2**63 - 1})")
    if not isinstance(orig, sqlite3.Error):
        return None
    text = str(orig)
    if "locked" in text or "busy" in text:
        return Busy("the database is busy (another stuffctl is writing); try again")
    if "disk is full" in text or "disk I/O" in text:
        return OperationFailed(f"cannot write the database: {text}; nothing was changed")
    if "readonly" in text or "unable to open" in text:
        return OperationFailed(f"cannot open {paths.db_path()}: {text}")
    return OperationFailed(f"database error: {text}")


@contextmanager
def translate_errors() -> Iterator[None]:
    try:
        yield
    except StuffctlError:
        raise
    except Exception as exc:
        ours = database_error(exc)
        if ours is None:
            raise
        raise ours from exc
