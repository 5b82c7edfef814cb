"""Export files on disk: plain JSON, or a .zip with the attachment files beside it.

A zip holds ``export.json`` and ``attachments/<sha256>`` for every file the
document's attachment rows name. Reading one, every member name is checked
(no directories, no ``..``, no absolute paths: nothing can land outside the
data directory; no name twice), every member read is bounded (``intake``), only
the files the document names are read, and each must match its hash; they are
only stored once all of that, and the document, have been checked. Members the
document does not name are ignored.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO

from stuffctl import paths
from stuffctl.errors import InvalidInput, OperationFailed
from stuffctl.services.data import document, intake, reading
from stuffctl.store import blobs
from stuffctl.store.handle import Db

DOC_NAME = intake.DOC_NAME


def write_file(*, db: Db, out: Path, with_files: bool = False, kind: str = "export",
               selection: dict[str, set[int]] | None = None,
               overrides: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """Write the document (zip with ``with_files``) to ``out`` atomically, as it is made;
    say what it holds. ``selection`` and ``overrides``: ``document.document``'s."""
    chunks = document.document(db, kind=kind, selection=selection, overrides=overrides)
    try:
        with paths.atomic_file(out) as fh:  # private from the start, old or new whole
            if with_files:
                missing = _write_zip(fh, chunks, document.blob_hashes(db, selection))
            else:
                fh.writelines(chunk.encode("utf-8") for chunk in chunks)
                missing = []
    except OSError as exc:
        raise OperationFailed(f"cannot write {out}: {exc.strerror or exc}") from None
    return {"path": str(out), "kind": kind, "with_files": with_files, "missing_files": missing}


def _write_zip(target: BinaryIO, chunks: Iterable[str], hashes: list[str]) -> list[str]:
    missing = []
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open(DOC_NAME, "w", force_zip64=True) as member:
            member.writelines(chunk.encode("utf-8") for chunk in chunks)
        for sha in hashes:
            blob = blobs.blob_path(sha)
            if blob.exists():
                zf.write(blob, f"attachments/{sha}")
            else:
                missing.append(sha)
    return missing


def read_file(path: Path) -> tuple[bytes, set[str]]:
    """The document's bytes and the blob hashes a zip carries (not yet checked), each
    read bounded (``intake``); a damaged or ambiguous archive is refused."""
    with intake.open_document(path) as (fh, hashes):
        return intake.read_stream(fh, str(path)), hashes  # type: ignore[arg-type]


def check_blobs(path: Path, hashes: list[str]) -> None:
    """Every one of ``hashes`` in the archive matches its hash (nothing is stored yet)."""
    with intake.open_zip(path) as zf:
        for sha in hashes:
            digest = hashlib.sha256()
            with intake.open_member(zf, f"attachments/{sha}", str(path)) as fh:
                while block := fh.read(blobs.CHUNK):
                    digest.update(block)
            if digest.hexdigest() != sha:
                raise InvalidInput(f"{path}: attachments/{sha} does not match its hash")


def store_blobs(path: Path, hashes: list[str]) -> int:
    """Copy the archive's (checked) files into the data directory; return how many were new."""
    added = 0
    with intake.open_zip(path) as zf:
        for sha in hashes:
            with intake.open_member(zf, f"attachments/{sha}", str(path)) as fh:
                added += blobs.store_stream(sha, fh)
    return added


def import_file(*, db: Db, path: Path, dry_run: bool = False) -> dict[str, Any]:
    """``stuffctl import FILE``: merge the document as it is read (``reading``; a large
    one read and checked by a helper process meanwhile, ``pipeline``; one it cannot
    follow read whole), then check and store the files a zip carries for it."""
    from stuffctl.services.data import merge, pipeline
    from stuffctl.store import bulk

    source = str(path)
    with bulk.no_gc():
        try:
            with intake.open_document(path) as (fh, carried):
                if _size(fh) >= pipeline.HELPER_BYTES:
                    with pipeline.tables(path, source) as opened:
                        done = merge.Merge(db, source, streamed=True, checked=True)
                        header, tables = opened()  # (the helper started meanwhile)
                        merge.check_header(header, source)
                        result = done.run(tables, dry_run)
                else:
                    header, found = reading.read(fh, source)
                    merge.check_header(header, source)
                    done = merge.Merge(db, source, streamed=True)
                    result = done.run(found, dry_run)
        except reading.NotStreamable:
            data, carried = read_file(path)
            doc = merge.parse(merge.decode(data, source), source)
            del data
            done = merge.Merge(db, source)
            result = done.run(merge.ordered(reading.in_memory(doc, source), source), dry_run)
            del doc
        wanted = sorted(done.blobs)
        hashes = [h for h in wanted if h in carried]  # members it does not name are ignored
        if hashes:
            check_blobs(path, hashes)
        result["files_added"] = 0 if dry_run else store_blobs(path, hashes) if hashes else 0
    result["missing_files"] = [h for h in wanted if not blobs.blob_path(h).exists()
                               and h not in carried]
    return result


def _size(fh: Any) -> int:
    """The size of the document open as ``fh`` (a file, or a zip's member)."""
    size = getattr(fh, "size", None)
    return int(size) if size is not None else os.fstat(fh.fileno()).st_size
