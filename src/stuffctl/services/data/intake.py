"""Reading a file a person names (``tx import FILE``, ``import FILE``, ``import homebox``,
``import taskwarrior``, ``bench compare FILE``): only a regular file, never past a limit.

A device (``/dev/zero``) would be read until memory runs out and a FIFO would wait
for a writer forever, so only a regular file is read (opened without blocking, then
checked). What is read is bounded: a file, standard input, and every member of a zip
that is read (the document, the attachments it names), each up to
``STUFFCTL_MAX_IMPORT_BYTES`` (default 1 GiB); a zip member bigger than 1 MiB may be
at most ``STUFFCTL_MAX_ZIP_RATIO`` (default 100) times its compressed size. A zip's
sizes are checked as declared, and reading stops past them too, since headers can lie.
Each refusal is one line naming the file (exit 2), before anything is written
(docs/data.md#limits). An export's document is opened for reading as it is written
(``open_document``: the file, or a zip's ``export.json``), not read into memory.
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from stuffctl.errors import InvalidInput

MAX_BYTES_VAR = "STUFFCTL_MAX_IMPORT_BYTES"
MAX_RATIO_VAR = "STUFFCTL_MAX_ZIP_RATIO"
DEFAULT_MAX_BYTES = 1 << 30
DEFAULT_MAX_RATIO = 100
RATIO_FLOOR = 1 << 20  # smaller members may compress as well as they like
CHUNK = 1 << 20
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a member first, or an empty archive
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError)


def _limit(var: str, default: int) -> int:
    text = os.environ.get(var, "").strip()
    if not text:
        return default
    from stuffctl.config import positive_int

    try:
        return positive_int(text)
    except InvalidInput as exc:
        raise InvalidInput(f"{var}: {exc.message}") from None


def max_bytes() -> int:
    """The most bytes read from one file, standard input or zip member."""
    return _limit(MAX_BYTES_VAR, DEFAULT_MAX_BYTES)


def max_ratio() -> int:
    """The largest size / compressed size of a zip member over ``RATIO_FLOOR``."""
    return _limit(MAX_RATIO_VAR, DEFAULT_MAX_RATIO)


def _too_large(source: str, limit: int) -> InvalidInput:
    return InvalidInput(f"{source}: larger than the import limit of {limit:,} bytes "
                        f"(set {MAX_BYTES_VAR} to raise it)")


@contextmanager
def open_file(path: Path) -> Iterator[IO[bytes]]:
    """``path`` open for reading, if it is a regular file of at most ``max_bytes()``."""
    limit = max_bytes()
    try:  # without O_NONBLOCK, opening a FIFO waits for a writer
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InvalidInput(f"{path}: is a directory, not a file") from None
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as fh:
        mode = os.fstat(fd)
        if stat.S_ISDIR(mode.st_mode):
            raise InvalidInput(f"{path}: is a directory, not a file")
        if not stat.S_ISREG(mode.st_mode):
            raise InvalidInput(f"{path}: not a regular file (a device, FIFO or socket); "
                               "save it to a file first")
        if mode.st_size > limit:
            raise _too_large(str(path), limit)
        os.set_blocking(fd, True)
        yield fh


def read_stream(fh: IO[bytes], source: str, *, size_hint: int = 0) -> bytes:
    """Everything ``fh`` holds (``size_hint``: what it should), or InvalidInput past
    ``max_bytes()``."""
    limit = max_bytes()
    chunks, total = [], 0
    want = min(size_hint, limit) + 1 if size_hint else CHUNK
    while block := fh.read(want):
        total += len(block)
        if total > limit:
            raise _too_large(source, limit)
        chunks.append(block)
        want = CHUNK
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def read_file(path: Path) -> bytes:
    """The bytes of the regular file ``path``, bounded (errors name it, exit 2)."""
    with open_file(path) as fh:
        return read_stream(fh, str(path), size_hint=os.fstat(fh.fileno()).st_size)


def read_text(path: Path, encoding: str = "utf-8") -> str:
    """The text of ``path`` (``read_file``); bytes not in ``encoding`` are bad input."""
    try:
        return read_file(path).decode(encoding)
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}: not {encoding.removesuffix('-sig').upper()} text "
                           f"(bad byte at offset {exc.start})") from None


def load_json(text: str | bytes, source: str) -> Any:
    """JSON a person gave, every way it can be unreadable one clear line: invalid (with
    line and column), nested too deeply, a number too long to be a number."""
    import json

    try:
        return json.loads(text)
    except UnicodeDecodeError:
        raise InvalidInput(f"{source}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{source}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}"
                           ) from None
    except (RecursionError, ValueError) as exc:
        raise json_failure(source, exc) from None


def json_failure(source: str, exc: RecursionError | ValueError) -> InvalidInput:
    """The error for JSON that is valid but past what ``json`` reads: nested too deeply,
    or an integer too long (the one other ValueError ``json.loads`` raises)."""
    import sys

    if isinstance(exc, RecursionError):
        return InvalidInput(f"{source}: not valid JSON: nested too deeply")
    return InvalidInput(f"{source}: not valid JSON: a number has more than "
                        f"{sys.get_int_max_str_digits()} digits")


def is_zip(fh: IO[bytes]) -> bool:
    """Whether ``fh`` starts like a zip archive (a damaged one too); rewinds it."""
    head = fh.read(4)
    fh.seek(0)
    return head in ZIP_MAGIC


@contextmanager
def open_zip(path: Path) -> Iterator[zipfile.ZipFile]:
    """The zip archive at ``path`` (a regular file), each member named once and lying
    inside the archive (a compressed size that is not there would fake its ratio)."""
    with open_file(path) as fh:
        size = os.fstat(fh.fileno()).st_size
        try:
            zf = zipfile.ZipFile(fh)
        except _ZIP_ERRORS as exc:
            raise InvalidInput(f"{path}: not a valid zip archive (truncated?): {exc}"
                               ) from None
        with zf:
            seen: set[str] = set()
            for info in zf.infolist():
                if info.filename in seen:
                    raise InvalidInput(f"{path}: the archive holds {info.filename} twice; "
                                       "which one is meant is ambiguous")
                if info.header_offset + info.compress_size > size:
                    raise InvalidInput(f"{path}: {info.filename}: damaged archive (its "
                                       "compressed size runs past the end of the file)")
                seen.add(info.filename)
            yield zf


def _checked(zf: zipfile.ZipFile, name: str, source: str) -> zipfile.ZipInfo:
    """Member ``name`` if its declared size is within the limits."""
    info = zf.getinfo(name)
    where, limit, ratio = f"{source}: {name}", max_bytes(), max_ratio()
    if info.file_size > limit:
        raise _too_large(where, limit)
    if info.file_size > RATIO_FLOOR and info.file_size > ratio * max(info.compress_size, 1):
        raise InvalidInput(f"{where}: compressed more than {ratio}:1 (a zip bomb?); set "
                           f"{MAX_RATIO_VAR} to allow it")
    return info


class _Member:
    """A zip member open for reading that stops past its declared size and turns the
    archive's errors into one line naming it."""

    def __init__(self, fh: IO[bytes], size: int, where: str) -> None:
        self._fh, self._left, self._where = fh, size, where
        self.size = size  # as declared

    def read(self, length: int = -1, /) -> bytes:
        try:
            block = self._fh.read(length)
        except _ZIP_ERRORS as exc:
            raise InvalidInput(f"{self._where}: damaged archive: {exc}") from None
        self._left -= len(block)
        if self._left < 0:
            raise InvalidInput(f"{self._where}: holds more than its declared size")
        return block


@contextmanager
def open_member(zf: zipfile.ZipFile, name: str, source: str) -> Iterator[_Member]:
    """Member ``name`` open for reading (``read(n)``), refused beyond its declared size,
    the size limit or the ratio limit (``_checked``)."""
    info, where = _checked(zf, name, source), f"{source}: {name}"
    try:
        fh = zf.open(info)
    except _ZIP_ERRORS as exc:
        raise InvalidInput(f"{where}: damaged archive: {exc}") from None
    with fh:
        yield _Member(fh, info.file_size, where)


def read_member(zf: zipfile.ZipFile, name: str, source: str) -> bytes:
    """The bytes of member ``name``, bounded as ``open_member`` says, in one piece."""
    with open_member(zf, name, source) as fh:
        return fh.read(zf.getinfo(name).file_size + 1)


# -- an export's document -------------------------------------------------------------

DOC_NAME = "export.json"  # the document in an export's zip (``bundle``)
BLOB_MEMBER = re.compile(r"attachments/([0-9a-f]{64})")  # an attached file beside it


@contextmanager
def open_document(path: Path) -> Iterator[tuple[IO[bytes] | _Member, set[str]]]:
    """An export's document open for reading (bounded) and the hashes of the attached
    files a zip carries (not yet checked); a damaged or ambiguous archive, or a member
    not named as an export's are, is refused."""
    with open_file(path) as fh:
        if not is_zip(fh):
            yield fh, set()
            return
    with open_zip(path) as zf:
        names = zf.namelist()
        for name in names:
            if name != DOC_NAME and not BLOB_MEMBER.fullmatch(name):
                raise InvalidInput(f"{path}: unexpected member {name!r} (only {DOC_NAME} and "
                                   "attachments/<sha256> are allowed)")
        if DOC_NAME not in names:
            raise InvalidInput(f"{path}: the archive has no {DOC_NAME}")
        hashes = {m[1] for n in names if (m := BLOB_MEMBER.fullmatch(n))}
        with open_member(zf, DOC_NAME, str(path)) as member:
            yield member, hashes
