"""Concurrent writers, readers during writes, and the busy timeout, between real processes."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import time

import pytest

from tests.reliability.commands import ADDERS, READERS, Adder, require
from tests.reliability.conftest import (
    Database,
    assert_sound,
    child_env,
    count,
    driver_argv,
    query,
)

ROWS_PER_WRITER = 1000


def start(*args: str, **env: str) -> subprocess.Popen[str]:
    """A driver child, started and waiting at its "ready" line."""
    proc = subprocess.Popen(driver_argv(*args), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=child_env(**env))
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line == "ready\n", (line, proc.stderr.read() if proc.stderr else "")
    return proc


def go(*procs: subprocess.Popen[str]) -> None:
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()


def finish(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=300)
    return proc.returncode, out, err


def numbered(adder: Adder, writer: int) -> str:
    return json.dumps([a.replace("{i}", f"{writer}-{{i}}") for a in adder.args])


def creators(db: Database, adder: Adder, after: int) -> list[str]:
    """Which writer made each row past the first ``after``, in insertion order.

    A writer's row holds one of its arguments with ``{i}`` rendered as ``N-i``; the
    fixture's own rows are left out before labelling, whatever their dates or uids hold.
    """
    rows = query(db, f"SELECT * FROM {adder.table} ORDER BY id")[after:]
    patterns = [re.compile(re.escape(a).replace(re.escape("{i}"), r"([01])-\d+"))
                for a in adder.args if "{i}" in a]
    return [writer_of(row, patterns) for row in rows]


def writer_of(row: tuple[object, ...], patterns: list[re.Pattern[str]]) -> str:
    """``0`` or ``1``: the writer whose numbered argument is one of the row's values."""
    found = {m[1] for v in row if isinstance(v, str) for p in patterns if (m := p.fullmatch(v))}
    assert len(found) == 1, f"row {row!r} names {sorted(found) or 'no'} writer"
    return found.pop()


@pytest.mark.slow
@pytest.mark.parametrize("adder", ADDERS, ids=lambda a: a.id)
def test_two_processes_adding_1000_rows_each_lose_nothing(db, adder):
    require(adder.args)
    before = count(db, adder.table)
    writers = [start("write", str(ROWS_PER_WRITER), numbered(adder, n)) for n in (0, 1)]
    go(*writers)
    results = [finish(w) for w in writers]
    for code, out, err in results:
        assert (code, err) == (0, ""), out
        assert json.loads(out)["codes"] == {"0": ROWS_PER_WRITER}
    assert count(db, adder.table) == before + 2 * ROWS_PER_WRITER
    assert_sound(db)
    order = creators(db, adder, before)
    switches = sum(a != b for a, b in itertools.pairwise(order))
    assert switches > 1, "the two writers did not overlap"


@pytest.mark.slow
@pytest.mark.parametrize("reader", READERS, ids=" ".join)
def test_readers_get_valid_json_while_a_writer_writes(db, tmp_path, reader):
    require(reader)
    stop = tmp_path / "writer-done"
    readers = [start("read", "10", str(stop), json.dumps(reader)) for _ in range(2)]
    writer = start("write", "100", json.dumps(ADDERS[0].args))
    go(writer, *readers)
    code, _, err = finish(writer)
    stop.touch()
    assert (code, err) == (0, "")
    for proc in readers:
        code, out, err = finish(proc)
        assert (code, err) == (0, ""), out
        assert json.loads(out)["bad"] == 0
    assert_sound(db)


def tags(db: Database) -> list[str]:
    return [t for (t,) in query(db, "SELECT tag FROM asset_tag WHERE asset_id = 1 ORDER BY tag")]


def name(db: Database) -> str:
    ((value,),) = query(db, "SELECT name FROM asset WHERE id = 1")
    return str(value)


def test_a_read_then_write_command_waits_for_the_write_lock_and_succeeds(db):
    """``asset edit`` reads the asset, then writes: it takes the write lock first (SQLite:
    BEGIN IMMEDIATE; a server: the writers' advisory lock), so it waits for the holder,
    then reads what the holder committed instead of failing or overwriting it."""
    editor = start("go", json.dumps(["asset", "edit", "1", "--tag", "waited"]))
    holder = subprocess.Popen(driver_argv("hold", str(db)), stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env=child_env())
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    go(editor)
    time.sleep(1)  # the editor is now waiting for the lock
    go(holder)
    assert holder.wait(timeout=60) == 0
    code, out, err = finish(editor)
    assert (code, err) == (0, ""), out
    assert name(db) == "changed by the holder"
    assert tags(db) == ["tools", "waited"]


def test_a_command_waiting_past_the_busy_timeout_exits_5_with_one_line(db):
    editor = start("go", json.dumps(["asset", "edit", "1", "--tag", "late"]),
                   STUFFCTL_BUSY_TIMEOUT="200")
    holder = subprocess.Popen(driver_argv("hold", str(db)), stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env=child_env())
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    go(editor)
    code, out, err = finish(editor)
    go(holder)
    assert holder.wait(timeout=60) == 0
    assert code == 5
    assert out == ""
    assert err == "stuffctl: error: the database is busy (another stuffctl is writing); try again\n"
    assert tags(db) == ["tools"]
    assert_sound(db)
