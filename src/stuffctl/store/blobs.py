"""Attachment files, stored once per content under ``attachments/ab/abcdef…``."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from stuffctl import paths
from stuffctl.errors import InvalidInput, OperationFailed

CHUNK = 1 << 20


class Readable(Protocol):
    """A file opened for reading, or a blob of a SQLite row (``Connection.blobopen``)."""

    def read(self, length: int = -1, /) -> bytes: ...


def blob_path(sha256: str) -> Path:
    if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
        raise InvalidInput(f"not a content hash: {sha256!r}")
    return paths.attachments_dir() / sha256[:2] / sha256


def store_file(source: Path) -> tuple[str, int]:
    """Copy ``source`` into the data directory; return its sha256 and size."""
    try:
        if not source.is_file():
            what = "is a directory" if source.is_dir() else "does not exist"
            raise InvalidInput(f"{source}: {what}")
        sha = file_sha256(source)
        target = blob_path(sha)
        if not target.exists():
            _copy_in(source, target)
        return sha, source.stat().st_size
    except PermissionError:
        raise InvalidInput(f"{source}: cannot read it (permission denied)") from None
    except OSError as exc:
        raise OperationFailed(f"{source}: {exc.strerror or exc}") from None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _copy_in(source: Path, target: Path) -> None:
    with source.open("rb") as src:
        _write_in(src, target)


def _write_in(src: Readable, target: Path) -> None:
    """Copy through ``paths.atomic_file`` (private from the start, fsynced, renamed): a
    crash or a full disk leaves no partial blob."""
    paths.ensure_dir(target.parent)
    with paths.atomic_file(target) as dst:
        shutil.copyfileobj(src, dst, CHUNK)


def store_stream(sha256: str, src: Readable) -> bool:
    """Store the content ``src`` reads (already checked against ``sha256``) unless it is
    here; True when it was new."""
    target = blob_path(sha256)
    if target.exists():
        return False
    _write_in(src, target)
    return True


def missing(hashes: Iterable[str]) -> list[str]:
    """The ``hashes`` with no stored file here (an invalid hash has none), sorted."""
    return sorted({sha for sha in hashes if not _stored(sha)})


def _stored(sha256: str) -> bool:
    try:
        return blob_path(sha256).is_file()
    except InvalidInput:
        return False


def remove_blob(sha256: str) -> None:
    try:
        path = blob_path(sha256)
    except InvalidInput:
        return  # a damaged record names no stored file, and never one outside
    path.unlink(missing_ok=True)
