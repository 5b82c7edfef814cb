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
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO

from stuffctl import paths
from stuffctl.errors import InvalidInput, OperationFailed
from stuffctl.services.data import document, intake
from stuffctl.store import blobs
from stuffctl.store.handle import Db

DOC_NAME = "export.json"
_BLOB = re.compile(r"attachments/([0-9a-f]{64})")


def write_file(*, db: Db, out: Path, with_files: bool = False, kind: str = "export",
               selection: dict[str, set[int]] | None = None,
               overrides: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """Write the document (zip with ``with_files``) to ``out`` atomically; say what it
    holds. ``selection`` and ``overrides``: ``document.document``'s."""
    chunks = document.document(db, kind=kind, selection=selection, overrides=overrides)
    try:
        with paths.atomic_file(out) as fh:  # private from the start, old or new whole
            if with_files:
                missing = _write_zip(fh, "".join(chunks))
            else:
                fh.writelines(chunk.encode("utf-8") for chunk in chunks)
                missing = []
    except OSError as exc:
        raise OperationFailed(f"cannot write {out}: {exc.strerror or exc}") from None
    return {"path": str(out), "kind": kind, "with_files": with_files, "missing_files": missing}


def _write_zip(target: BinaryIO, text: str) -> list[str]:
    hashes = document.blob_hashes(_tables_of(text))
    missing = []
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(DOC_NAME, text)
        for sha in hashes:
            blob = blobs.blob_path(sha)
            if blob.exists():
                zf.write(blob, f"attachments/{sha}")
            else:
                missing.append(sha)
    return missing


def _tables_of(text: str) -> dict[str, Any]:
    import json

    tables: dict[str, Any] = json.loads(text)["tables"]
    return tables


def read_file(path: Path) -> tuple[bytes, set[str]]:
    """The document's bytes and the blob hashes a zip carries (not yet checked), each
    read bounded (``intake``); a damaged or ambiguous archive is refused."""
    with intake.open_file(path) as fh:
        if not intake.is_zip(fh):
            return intake.read_stream(fh, str(path), size_hint=os.fstat(fh.fileno()).st_size
                                      ), set()
    with intake.open_zip(path) as zf:
        names = zf.namelist()
        _check_names(path, names)
        if DOC_NAME not in names:
            raise InvalidInput(f"{path}: the archive has no {DOC_NAME}")
        hashes = {m[1] for n in names if (m := _BLOB.fullmatch(n))}
        return intake.read_member(zf, DOC_NAME, str(path)), hashes


def _check_names(path: Path, names: Iterable[str]) -> None:
    for name in names:
        if name != DOC_NAME and not _BLOB.fullmatch(name):
            raise InvalidInput(f"{path}: unexpected member {name!r} (only {DOC_NAME} and "
                               "attachments/<sha256> are allowed)")


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
    """``stuffctl import FILE``: check everything, store files, then merge the document."""
    from stuffctl.services.data import merge
    from stuffctl.store import bulk

    with bulk.no_gc():
        data, carried = read_file(path)
        text = merge.decode(data, str(path))
        del data  # only one copy of the document alive while it is parsed
        doc = merge.parse(text, str(path))
        del text
        wanted = document.blob_hashes(doc["tables"])
        hashes = [h for h in wanted if h in carried]  # members it does not name are ignored
        if hashes:
            check_blobs(path, hashes)
        p = merge.plan(db, doc, str(path))
        del doc
        result = p.summary(dry_run)
        result["files_added"] = 0 if dry_run else store_blobs(path, hashes) if hashes else 0
        if not dry_run:
            merge.apply(db, p)
    result["missing_files"] = [h for h in wanted if not blobs.blob_path(h).exists()
                               and h not in carried]
    return result
