"""The fast paths' read-only libpq client (``store.libpq``): values go in as the literals
psycopg's ClientCursor would bind and come back in the forms ``store.postgres`` reads, on
a real server; the fast paths on a server never import psycopg."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stuffctl.store import libpq, postgres
from tests.conftest import Cli

pytestmark = pytest.mark.postgres_only

TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"))
INTS = st.integers(min_value=-2**63, max_value=2**63 - 1)


@pytest.fixture
def conn() -> libpq.Connection:
    connection = libpq.Connection(os.environ["STUFFCTL_DB"])
    yield connection
    connection.close()


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=200)
@given(value=st.one_of(st.none(), TEXT, INTS,  # no float column: any fraction will do
                       st.floats(allow_nan=False, allow_infinity=False).filter(
                           lambda f: not f.is_integer())))
def test_a_value_reads_back_as_itself(conn: libpq.Connection, value: object) -> None:
    (found,) = conn.execute("SELECT %s AS v", (value,)).fetchone()
    assert found == value and type(found) is type(value)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=100)
@given(text=TEXT, number=INTS)
def test_literals_never_change_the_statement(conn: libpq.Connection, text: str,
                                             number: int) -> None:
    # a quote, a percent sign, a minus after a minus: each stays one value
    cursor = conn.execute("SELECT %(t)s || '%%', 0 - %(n)s::numeric = -(%(n)s::numeric)",
                          {"t": text, "n": number})
    assert cursor.fetchall() == [(text + "%", 1)]
    assert [c.name for c in cursor.description] == ["?column?", "?column?"]


def test_values_read_back_as_store_postgres_reads_them(conn: libpq.Connection) -> None:
    cursor = conn.execute("SELECT sum(x), avg(x) AS mean, 2 > 1, 1 > 2, NULL::text, 'é'"
                          " FROM (VALUES (1::bigint), (2)) AS v(x)")
    assert cursor.fetchall() == [(3, 1.5, 1, 0, None, "é")]
    assert [c.name for c in cursor.description] == [
        "sum", "mean", "?column?", "?column?", "text", "?column?"]


def test_rows_come_in_the_order_of_the_query(conn: libpq.Connection) -> None:
    cursor = conn.execute("SELECT n, md5(n::text) FROM generate_series(1, 5000) AS n"
                          " ORDER BY md5(n::text) DESC LIMIT 4000")
    rows = cursor.fetchall()
    assert len(rows) == 4000 and [h for _, h in rows] == sorted(
        (h for _, h in rows), reverse=True)
    assert conn.execute("SELECT 1 WHERE false").fetchall() == []


def test_what_it_cannot_say_is_refused_not_guessed(conn: libpq.Connection) -> None:
    with pytest.raises(OverflowError):
        conn.execute("SELECT %s", (2**63,))
    with pytest.raises(libpq.Refused):
        conn.execute("SELECT %s", ("a\0b",))
    with pytest.raises(libpq.Refused):
        conn.execute("SELECT %s", (b"bytes",))
    with pytest.raises(libpq.Refused):
        conn.execute("SHOW server_version")  # rows, but not a query it can wrap
    with pytest.raises(libpq.Refused):  # the server refuses: read only, and a bad name
        conn.execute("CREATE TABLE nope (x int)")
    with pytest.raises(libpq.Refused):
        conn.execute("SELECT no_such_column")
    assert conn.execute("SELECT 1").fetchall() == [(1,)]  # and the connection goes on


def test_no_server_is_no_handle_and_the_full_command_answers(home: Path) -> None:
    base = os.environ["STUFFCTL_DB"].rpartition("/")[0]
    assert postgres.open_current(f"{base}/no_such_database") is None
    with pytest.raises(libpq.Refused):
        libpq.Connection("postgresql://nobody@127.0.0.1:1/x", connect_timeout=1)


def test_the_fast_paths_on_a_server_never_import_psycopg(cli: Cli, home: Path) -> None:
    cli.ok("project", "add", "Home")
    cli.ok("task", "add", "Home", "Fix tap", "--due", "2026-12-01")
    cli.ok("status", "--brief")  # stores the line the fast path answers with
    program = ("import sys; from stuffctl.entry import main; code = main(sys.argv[1:]);"
               " sys.stdout.flush();"
               " sys.exit(3 if 'psycopg' in sys.modules or 'typer' in sys.modules else code)")
    for line in (["task", "next", "--json"], ["status", "--brief"], ["remind", "run"],
                 ["__complete", "project", "1"]):
        done = subprocess.run([sys.executable, "-c", program, *line], capture_output=True,
                              text=True, env=os.environ, check=False)
        if line[0] == "remind":  # idle only once a full run stored when to look again
            subprocess.run([sys.executable, "-m", "stuffctl", "remind", "run"],
                           capture_output=True, check=True, env=os.environ)
            done = subprocess.run([sys.executable, "-c", program, *line],
                                  capture_output=True, text=True, env=os.environ,
                                  check=False)
        assert done.returncode == 0, (line, done.stdout, done.stderr)
        if line[0] == "task":
            assert '"title": "Fix tap"' in done.stdout
        if line[0] == "__complete":
            assert done.stdout == "1\tHome\n"
