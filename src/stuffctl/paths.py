"""Where stuffctl keeps its files.

The database: ``--db PATH``, else ``STUFFCTL_DB``, else ``$STUFFCTL_HOME/stuffctl.db``,
else the platformdirs user data directory. Attachments and backups live beside
the database. Config: ``$STUFFCTL_HOME/config.toml``, else the platformdirs user
config directory. Directories are created 0700, files 0600.
"""

from __future__ import annotations

import os
from pathlib import Path

APP = "stuffctl"
DB_NAME = "stuffctl.db"
_db_override: Path | None = None


def set_db_override(path: Path | None) -> None:
    """Set by the global ``--db`` option."""
    global _db_override
    _db_override = path.expanduser() if path is not None else None


def named_db() -> str | None:
    """``--db`` or ``STUFFCTL_DB`` when one of them names the database; None for the home's."""
    if _db_override is not None:
        return "--db"
    return "STUFFCTL_DB" if os.environ.get("STUFFCTL_DB") else None


def home() -> Path | None:
    value = os.environ.get("STUFFCTL_HOME")
    return Path(value).expanduser() if value else None


def db_path() -> Path:
    if _db_override is not None:
        return _db_override
    if value := os.environ.get("STUFFCTL_DB"):
        return Path(value).expanduser()
    if (h := home()) is not None:
        return h / DB_NAME
    import platformdirs

    return Path(platformdirs.user_data_dir(APP)) / DB_NAME


def data_dir() -> Path:
    """The directory holding the database, its attachments and backups."""
    return db_path().parent


def attachments_dir() -> Path:
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
        path.mkdir(mode=0o700, exist_ok=True)
    return path


def touch_private(path: Path) -> None:
    """Create ``path`` empty with mode 0600 if it does not exist."""
    ensure_dir(path.parent)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
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


def write_atomic(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    """Write ``data`` so that a crash leaves either the old or the new file complete.

    The folder must exist (``output_file``): callers writing into a home make it first.
    """
    output_file(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
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
