"""A large document read and checked in a helper process while this one merges it.

Merging a full export is two kinds of work: reading and checking its rows
(``reading``, ``checks.Rows``: Python, nothing of the database's) and writing them
(SQLite's, most of the time). They are done side by side: ``tables`` starts this
module as a second process on the same file, which reads and checks each table's
rows and sends them, column by column and checked, through a pipe (``marshal``,
each message after its size), while this process writes the batch before. The pipe
itself holds little, so a thread here reads the helper's messages as they come, up to
``AHEAD`` bytes of them: the helper reads on while this process builds a table's
indexes, and starts on the rows that will be written next, while memory stays
bounded in both. A document of less than ``HELPER_BYTES`` is read in this process
(starting one costs more than it saves).

The helper says what it found as it would have said it here: an error in the file is
its message (``InvalidInput``), a document it cannot follow is read whole after all
(``reading.NotStreamable``). If it dies, the import fails, naming why.
"""

from __future__ import annotations

import marshal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from stuffctl.errors import InvalidInput, OperationFailed
from stuffctl.services.data.checks import Checked
from stuffctl.services.data.reading import Batch, NotStreamable

HELPER_BYTES = 64 << 20  # documents from this size up are read by a helper process
AHEAD = 16 << 20  # bytes of the helper's messages read ahead of the merge, at most


Opened = Callable[[], tuple[dict[str, Any], Iterator[tuple[str, Iterator[Checked]]]]]


@contextmanager
def tables(path: Path, source: str) -> Iterator[Opened]:
    """A helper process started on the document, and what waits for its header: the
    header, and its tables, each a name and its checked batches (``checks.Checked``),
    read by the helper as they are merged here."""
    helper = subprocess.Popen(
        [sys.executable, "-m", "stuffctl.services.data.pipeline", str(path), source],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    inbox = _Inbox(helper)

    def opened() -> tuple[dict[str, Any], Iterator[tuple[str, Iterator[Checked]]]]:
        return _expect(inbox, "header")[1], _tables(inbox)

    try:
        yield opened
    finally:
        helper.kill()
        inbox.close()
        helper.wait()
        assert helper.stdout is not None and helper.stderr is not None
        helper.stdout.close()
        helper.stderr.close()


class _Inbox:
    """The helper's messages, read by a thread as they come (up to ``AHEAD`` bytes not
    yet taken), so the helper is not held up while this process writes."""

    def __init__(self, helper: subprocess.Popen[bytes]) -> None:
        self.helper = helper
        self.ready = threading.Condition()
        self.waiting: list[bytes | None] = []  # None: the helper's output ended
        self.taken = 0  # messages taken from ``waiting``
        self.held = 0  # bytes in ``waiting``
        self.closed = False
        self.thread = threading.Thread(target=self._read, name="stuffctl-import-reader",
                                       daemon=True)
        self.thread.start()

    def _read(self) -> None:
        out = self.helper.stdout
        assert out is not None
        while True:
            head = out.read(8)
            data = out.read(int.from_bytes(head, "big")) if len(head) == 8 else b""
            message = data if data else None
            with self.ready:
                while self.held >= AHEAD and not self.closed:
                    self.ready.wait()
                if self.closed:
                    return
                self.waiting.append(message)
                self.held += len(data)
                self.ready.notify_all()
            if message is None:
                return

    def take(self) -> bytes | None:
        """The next message (None once the helper's output ended)."""
        with self.ready:
            while self.taken == len(self.waiting):
                self.ready.wait()
            message = self.waiting[self.taken]
            self.waiting[self.taken] = None  # freed as soon as it is taken
            self.taken += 1
            if self.taken == len(self.waiting):
                self.waiting.clear()
                self.taken = 0
            self.held -= len(message or b"")
            self.ready.notify_all()
            return message

    def why(self) -> str:
        """Why the helper's output ended: its last line on stderr, or its exit code."""
        self.helper.wait()
        assert self.helper.stderr is not None
        lines = self.helper.stderr.read().decode(errors="replace").strip().splitlines()
        return lines[-1] if lines else f"the reader ended ({self.helper.returncode})"

    def close(self) -> None:
        with self.ready:
            self.closed = True
            self.ready.notify_all()
        self.thread.join(timeout=5)


def _message(inbox: _Inbox) -> tuple[Any, ...]:
    """The next message: its size (8 bytes), then the message (``marshal``)."""
    data = inbox.take()
    try:
        if data is None:
            raise EOFError
        found: tuple[Any, ...] = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        raise OperationFailed(f"reading the document failed: {inbox.why()}") from None
    if found[0] == "error":
        raise InvalidInput(found[1])
    if found[0] == "whole":
        raise NotStreamable
    return found


def _expect(inbox: _Inbox, kind: str) -> tuple[Any, ...]:
    found = _message(inbox)
    if found[0] != kind:
        raise OperationFailed(f"reading the document failed: {kind} expected, got {found[0]}")
    return found


def _tables(inbox: _Inbox) -> Iterator[tuple[str, Iterator[Checked]]]:
    from stuffctl.services.data.document import shapes

    by_name = {s.name: s for s in shapes()}
    while (found := _message(inbox))[0] == "table":
        info = by_name[found[1]]

        def batches(info: Any = info) -> Iterator[Checked]:
            while (found := _message(inbox))[0] == "batch":
                _kind, first, lines, values = found
                if isinstance(lines, tuple):  # a run of lines: (first, how many)
                    lines = range(lines[0], lines[0] + lines[1])
                yield Checked(Batch([], first, lines), info, values, True, None)
            if found[0] != "end_table":
                raise OperationFailed(f"reading the document failed: {found[0]} in a table")

        yield found[1], batches()
    if found[0] != "end":
        raise OperationFailed(f"reading the document failed: {found[0]} after the tables")


# -- the helper ----------------------------------------------------------------------------


def helper(path: Path, source: str, out: IO[bytes]) -> None:
    """Read and check the document at ``path``, sending what it holds to ``out``."""
    from stuffctl.services.data import intake, reading
    from stuffctl.services.data.checks import Rows
    from stuffctl.services.data.document import shapes

    def send(*message: Any) -> None:
        data = marshal.dumps(message)
        out.write(len(data).to_bytes(8, "big"))
        out.write(data)

    by_name = {s.name: s for s in shapes()}
    try:
        with intake.open_document(path) as (fh, _carried):
            header, found = reading.read(fh, source)
            send("header", header)
            for name, batches in found:
                info = by_name.get(name)
                if info is None:
                    raise InvalidInput(f"{source}: unknown table {name!r}")
                check = Rows(info, source)
                send("table", name)
                for batch in batches:
                    checked = check(batch)
                    lines = checked.batch.lines
                    send("batch", batch.first, (lines.start, len(lines))
                         if isinstance(lines, range) else lines, checked.values)
                send("end_table")
            send("end")
    except InvalidInput as exc:
        send("error", exc.message)
    except NotStreamable:
        send("whole")
    out.flush()


if __name__ == "__main__":
    import gc
    from contextlib import suppress

    gc.disable()  # as the merge does: nothing it makes is cyclic garbage
    with suppress(BrokenPipeError):  # the merge stopped reading: it failed, or was stopped
        helper(Path(sys.argv[1]), sys.argv[2], sys.stdout.buffer)
