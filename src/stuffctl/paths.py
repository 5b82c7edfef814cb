"""Where stuffctl keeps its files.

The database: ``--db PATH``, else ``STUFFCTL_DB``, else ``db_url`` in config, else
``$STUFFCTL_HOME/stuffctl.db``, else the platformdirs user data directory. The first three
may name a PostgreSQL server database by its URL (``db_url``). Attachments and backups
live beside a database file; for a server database, backups live in the home and
attachments in the config's ``attachments_dir`` (a folder every member can read).
Config: ``$STUFFCTL_HOME/config.toml``, else the platformdirs user config directory.
Directories are created 0700 and files 0600, whatever the umask: every file stuffctl
writes goes through :func:`atomic_file`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

APP = "stuffctl"
DB_NAME = "stuffctl.db"
URL_SCHEMES = ("postgresql://", "postgres://")
_db_override: str | None = None


def _none() -> str | None:
    return None


# The config's ``db_url``, ``attachments_dir`` and ``user``, installed by the root command
# (the kernel reads no config): asked only when neither an option nor the environment
# (``--db``, ``STUFFCTL_DB``, ``STUFFCTL_USER``) names them.
configured_url: Callable[[], str | None] = _none
configured_attachments: Callable[[], str | None] = _none
configured_user: Callable[[], str | None] = _none


def named_user() -> str | None:
    """Who the commands run as when they are told: ``STUFFCTL_USER``, else the config's
    ``user``; None for the database login (``store.sql.who``)."""
    return " ".join(os.environ.get("STUFFCTL_USER", "").split()) or configured_user()


def set_db_override(value: str | Path | None) -> None:
    """Set by the global ``--db`` option: a file or a server database's URL."""
    global _db_override
    _db_override = None if value is None else str(value)


def is_url(text: str) -> bool:
    """Whether ``text`` names a PostgreSQL database rather than a SQLite file."""
    return text.startswith(URL_SCHEMES)


def db_url() -> str | None:
    """The URL of the server database in use, or None when it is a SQLite file."""
    named = _db_override if _db_override is not None else os.environ.get("STUFFCTL_DB")
    if named:
        return named if is_url(named) else None
    return configured_url()


def named_db() -> str | None:
    """``--db`` or ``STUFFCTL_DB`` when one of them names the database; None for the home's
    (or the config's ``db_url``)."""
    if _db_override is not None:
        return "--db"
    return "STUFFCTL_DB" if os.environ.get("STUFFCTL_DB") else None


def home() -> Path | None:
    value = os.environ.get("STUFFCTL_HOME")
    return Path(value).expanduser() if value else None


def db_path() -> Path:
    """The SQLite database file (for a server database, ``db_url``: the home's file,
    which it does not use)."""
    named = _db_override if _db_override is not None else os.environ.get("STUFFCTL_DB")
    if named and not is_url(named):
        return Path(named).expanduser()
    if (h := home()) is not None:
        return h / DB_NAME
    import platformdirs

    return Path(platformdirs.user_data_dir(APP)) / DB_NAME


def data_dir() -> Path:
    """The directory holding the database file, its attachments and backups (for a server
    database: the home's, where its backups go)."""
    return db_path().parent


def attachments_dir() -> Path:
    """Where attachment files live: the config's ``attachments_dir`` when set (a server
    database's members share one), else beside the database file."""
    if (configured := configured_attachments()) is not None:
        return Path(configured).expanduser()
    return data_dir() / "attachments"


def backups_dir() -> Path:
    return data_dir() / "backups"


def config_dir() -> Path:
    if (h := home()) is not None:
        return h
    import platformdirs

    return Path(platformdirs.user_config_dir(APP))


def config_path() -> Path:
    return config_dir() / "config.toml"


def config_stamp() -> str:
    """Size and mtime of the config file: changes whenever the file does (what a cached
    `remind run` or `status --brief` answer was computed under)."""
    try:
        st = os.stat(config_path())
    except OSError:
        return "none"
    return f"{st.st_size}:{st.st_mtime_ns}"


def ensure_dir(path: Path) -> Path:
    """Create ``path`` (and parents) readable by the owner only: ``mkdir(parents=True)``
    would give the parents it makes the default mode."""
    if not path.is_dir():
        ensure_dir(path.parent)
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            return path  # made meanwhile by another process
        os.chmod(path, 0o700)  # exactly 0700, whatever the umask
    return path


def touch_private(path: Path) -> None:
    """Create ``path`` empty with mode 0600 if it does not exist."""
    ensure_dir(path.parent)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def output_file(path: Path) -> Path:
    """``path`` as a file a person asked us to write (``--out``): not a directory, in a
    folder that exists (a mistyped folder is an error, never a new tree of folders)."""
    from stuffctl.errors import InvalidInput

    if not path.name or path.is_dir():
        raise InvalidInput(f"{path}: is a directory, not a file to write")
    if not path.parent.is_dir():
        raise InvalidInput(f"{path}: no such folder {path.parent}")
    return path


# The temporary file a file is written as before it is renamed into place:
# ``.NAME.PID.tmp`` beside it (:func:`temp_for`), what ``db check`` and the next write
# recognise as left by a run that was killed.
TEMP_NAME = re.compile(r"\.(.+)\.([0-9]+)\.tmp")


def temp_for(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def pid_running(pid: int) -> bool:
    """Whether process ``pid`` is alive (another user's counts as alive)."""
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:
        return True
    return True


def is_temporary(name: str) -> bool:
    """Whether ``name`` is a temporary file's (``.NAME[.PID].tmp``, or a SQLite journal of
    one: ``-journal``, ``-wal``, ``-shm``); earlier versions named some without the PID."""
    base = _without_journal(name)
    return base.startswith(".") and base.endswith(".tmp")


def _without_journal(name: str) -> str:
    for suffix in ("-journal", "-wal", "-shm"):
        name = name.removesuffix(suffix)
    return name


def stale_temps(directory: Path, *, of: str | None = None, nested: bool = False
                ) -> list[Path]:
    """The temporary files in ``directory`` (and its folders, ``nested``) that a run
    which is no longer running left behind: its process is gone, or it named none. This
    process has none of its own open at such a moment. ``of``: only those of that file.
    """
    try:
        if not directory.is_dir():
            return []
        found = []
        for path in directory.rglob(".*") if nested else directory.glob(".*"):
            if not is_temporary(path.name) or path.is_symlink() or not path.is_file():
                continue
            match = TEMP_NAME.fullmatch(_without_journal(path.name))
            if of is not None and (match is None or match[1] != of):
                continue
            if match is None or (int(match[2]) != os.getpid()
                                 and not pid_running(int(match[2]))):
                found.append(path)
        return sorted(found)
    except OSError:
        return []  # a folder we may write but not list, or removed meanwhile


def remove_stale_temps(directory: Path, *, of: str | None = None) -> list[Path]:
    """Remove :func:`stale_temps` (those of the file ``of`` only, if given)."""
    removed = stale_temps(directory, of=of)
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


@contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A file to write ``path`` through, streamed: everything stuffctl writes goes through
    here (or :func:`write_atomic`), so every file it makes is private to its owner.

    The temporary file (:func:`temp_for`) is created 0600 from the start, whatever the
    umask, and never through a link someone put in its place; on success it is fsynced
    and renamed over ``path``, and the folder fsynced, so a crash leaves the old file or
    the new one complete. On any error it is removed and ``path`` is untouched. A
    temporary file of ``path`` left by a killed run is removed first. The folder must
    exist (``output_file``): callers writing into a home make it first.
    """
    output_file(path)
    remove_stale_temps(path.parent, of=path.name)
    tmp = temp_for(path)
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fd, 0o600)  # exactly 0600, even under a umask taking the owner's bits
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through :func:`atomic_file`: private, old or new whole."""
    with atomic_file(path) as fh:
        fh.write(data)
