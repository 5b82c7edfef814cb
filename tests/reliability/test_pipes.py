"""A reader that stops early (``| head -1``) or never reads ends stuffctl quietly: exit 0."""

from __future__ import annotations

import subprocess
import uuid

import pytest

from stuffctl import store
from tests.reliability.conftest import child_env, stuffctl_argv

LISTINGS = [("asset", "list", "--format", "ndjson"), ("asset", "list"),
            ("asset", "list", "--json"), ("asset", "list", "-f", "csv")]


@pytest.fixture
def many(db):
    with store.transaction(write=True) as handle:
        handle.executemany(
            "INSERT INTO asset (uid, created_at, updated_at, name, status) "
            "VALUES (?, '2026-01-01 00:00:00', '2026-01-01 00:00:00', ?, 'active')",
            [(str(uuid.uuid4()), f"Thing {i:05d}") for i in range(2_000)],
        )
    return db


@pytest.mark.parametrize("args", LISTINGS, ids=" ".join)
def test_piping_into_head_ends_quietly(many, args):
    writer = subprocess.Popen(stuffctl_argv(*args), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=child_env())
    head = subprocess.run(["head", "-1"], stdin=writer.stdout, capture_output=True, timeout=120)
    assert writer.stdout is not None and writer.stderr is not None
    writer.stdout.close()
    assert writer.wait(timeout=120) == 0
    assert writer.stderr.read() == b""
    assert head.stdout.count(b"\n") == 1


@pytest.mark.parametrize("args", LISTINGS[:2], ids=" ".join)
def test_a_reader_that_closes_at_once_ends_it_quietly(many, args):
    writer = subprocess.Popen(stuffctl_argv(*args), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=child_env())
    assert writer.stdout is not None and writer.stderr is not None
    writer.stdout.close()
    assert writer.wait(timeout=120) == 0
    assert writer.stderr.read() == b""
