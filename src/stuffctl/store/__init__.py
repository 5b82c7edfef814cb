"""Database access: ``store.transaction()`` is a command's one transaction.

``with store.transaction(write=True) as db:`` opens (and if needed migrates) the
database and yields the handle every service takes (``store.handle.Db``).
What differs between databases lives behind ``store.handle.Backend``: SQLite
(``store.sqlite``), the embedded default, and PostgreSQL (``store.postgres``), a
household's shared server, when the database is named by a URL (``paths.db_url``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING

from stuffctl import paths
from stuffctl.errors import InvalidInput, NotFound, StuffctlError

if TYPE_CHECKING:
    from stuffctl.store.handle import Db


def _default_keep() -> int:
    return 5  # the default of the config key backups.keep


# How many copies made before a migration to keep, asked when one is made: the config's
# ``backups.keep``, installed by the root command (cli/root.py). The store sits below
# the config and reads none of it; ``backup`` and ``restore`` are passed ``keep``.
keep_before_migration: Callable[[], int] = _default_keep


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


def existing_database(path: Path | None = None) -> Path | str:
    """The database file, which must exist (``db info`` and ``db check`` describe a file),
    or the URL of the server database in use (the connection says if it is not there)."""
    if path is None and (url := paths.db_url()) is not None:
        return url
    path = path or paths.db_path()
    if not require_database(path, write=False):
        raise NotFound(f"there is no database at {path} yet; the first command that adds "
                       "something makes it")
    return path


def dispose_all() -> None:
    """Nothing to close: a transaction's connection closes with its block (kept for the
    tests' fixtures, which call it after each test)."""


# The command line the write transactions of this command journal for `stuffctl undo`
# (``store.undo``), and the step they journal into once the first one made it: set by
# the root command (cli/root.py) for the commands a person undoes; None journals nothing.
_undo_step: ContextVar[list[str | int | None] | None] = ContextVar("undo_step", default=None)


def journal_as(command: str | None) -> None:
    """Journal this command's writes as one step of the undo journal named ``command``
    (None: journal nothing)."""
    _undo_step.set(None if command is None else [command, None])


FORGET_ATTENTION = "DELETE FROM meta WHERE key IN ('next_attention_at', 'brief_until')"


@contextmanager
def transaction(*, write: bool = False, keeps_attention: bool = False,
                where: Path | str | None = None) -> Iterator[Db]:
    """The command's one transaction on the database, as the handle services take.

    Opens (and if needed migrates) the database, begins the transaction (a writer
    takes the write lock at once), commits at the end of the block and rolls back on
    any failure, KeyboardInterrupt included. Database errors leave as stuffctl
    errors: a lock held past the busy timeout is ``Busy``, a full disk or I/O error
    ``OperationFailed``. A read of a home that has no database yet reads a blank one
    in memory and creates nothing.

    A writer first forgets what the fast paths cached (``FORGET_ATTENTION``: the
    next time `remind run` may have something to say, the ``status --brief`` line),
    so that they never answer from data that has changed since. ``keeps_attention``:
    this writer changes nothing either fast path reads (it stores its own fast-path
    fact, or records what `remind run` notified), so the other one's answer stays
    (``services.remind.engine.remember``).

    ``where``: another database than the one in use, a file or a server URL (`db copy`
    writes into one).
    """
    from stuffctl.clock import transaction_clock
    from stuffctl.store.handle import Backend, Db
    from stuffctl.store.sqlite import SQLITE

    backend: Backend = SQLITE
    url = paths.db_url() if where is None else where if isinstance(where, str) else None
    with translate_errors(), transaction_clock():
        if url is not None:
            from stuffctl.store.postgres import POSTGRES

            backend = POSTGRES
            conn = POSTGRES.connect(url, write=write)
        elif isinstance(where, Path):
            conn = SQLITE.connect(where, write=write) if write or where.exists() else None
        elif require_database(path := paths.db_path(), write=write):
            conn = SQLITE.connect(path, write=write)
        else:
            conn = None
        if conn is None:  # nothing there yet: read a blank database
            from stuffctl.store.migrate import blank_database

            backend, conn = SQLITE, blank_database()
        made = False  # whether this transaction made the command's undo step
        try:
            backend.configure(conn, write=write)
            backend.begin(conn, write=write)
            db = Db(conn, backend)
            if write and not keeps_attention:  # first: a command may work them out anew
                db.execute(FORGET_ATTENTION)
            step = _undo_step.get() if write and where is None else None
            made = step is not None and step[1] is None
            if step is not None:
                from stuffctl.store import undo

                step[1] = undo.begin_step(db, str(step[0]), step[1])  # type: ignore[arg-type]
            yield db
            if step is not None and not undo.end_step(db, int(step[1])):  # type: ignore[arg-type]
                step[1] = None
            backend.commit(conn)
        except BaseException:
            backend.rollback(conn)
            if made:  # the step it made is gone with it
                step[1] = None  # type: ignore[index]
            raise
        finally:
            conn.close()


def database_error(exc: BaseException) -> StuffctlError | None:
    """Our error for a driver's database error (or one SQLAlchemy wraps), or None."""
    from stuffctl.store.sqlite import SQLITE

    exc = getattr(exc, "orig", exc)
    if type(exc).__module__.startswith("psycopg"):
        from stuffctl.store.postgres import POSTGRES

        return POSTGRES.error(exc)
    return SQLITE.error(exc)


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
