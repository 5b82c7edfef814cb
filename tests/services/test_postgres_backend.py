"""The PostgreSQL backend as a household uses it (#21): named by a URL in ``--db``,
``STUFFCTL_DB`` or the config's ``db_url``, made by ``db init`` or the first write, one
writer at a time, backed up by ``pg_dump``, and never showing a password."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest
from hypothesis import given
from hypothesis import strategies as st

from stuffctl.store import postgres, schema
from tests.conftest import Cli, run_installed
from tests.pg_server import Server

pytestmark = pytest.mark.postgres_only


def blank(server_url: str, name: str) -> str:
    """A new blank database beside the test's own; its URL."""
    base, _, _ = server_url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def revision(url: str) -> str | None:
    with psycopg.connect(url) as conn:
        return postgres.stored_revision(conn)


@pytest.fixture
def server_url(monkeypatch: pytest.MonkeyPatch) -> str:
    """The test's database URL, no longer named by STUFFCTL_DB (each test names it)."""
    url = os.environ["STUFFCTL_DB"]
    monkeypatch.delenv("STUFFCTL_DB")
    return url


def test_the_db_option_names_a_server_database(cli: Cli, server_url: str, home: Path) -> None:
    cli.ok("--db", server_url, "asset", "add", "Dishwasher", "--price", "649 EUR")

    assert [a["name"] for a in cli.json("--db", server_url, "asset", "list")] == ["Dishwasher"]
    assert cli.json("asset", "list") == []  # the home's own file is another database
    assert not (home / "stuffctl.db").exists()


def test_db_url_in_the_config_names_it_for_every_command_and_the_fast_paths(
        server_url: str, home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(f'db_url = "{server_url}"\n')
    env = {**os.environ, "STUFFCTL_HOME": str(home)}
    env.pop("STUFFCTL_DB", None)

    added = run_installed("project", "add", "Kitchen", env=env)
    assert added.returncode == 0, added.stderr
    run_installed("task", "add", "1", "Measure the wall", "--due", "2026-12-01", env=env)
    # task next answers before Typer loads from a local file: here it must not
    found = run_installed("task", "next", "--json", env=env)

    assert found.returncode == 0, found.stderr
    assert [t["title"] for t in __import__("json").loads(found.stdout)] == ["Measure the wall"]
    assert not (home / "stuffctl.db").exists()


def test_remind_cron_names_the_server_database_only_when_the_config_does_not(
        cli: Cli, server_url: str, home: Path) -> None:
    named = cli.json("--db", server_url.replace("postgres@", "postgres:pw@"), "remind", "cron")
    assert f"--db {server_url} remind run" in named["crontab"]  # without the password
    assert "pw" not in str(named)

    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(f'db_url = "{server_url}"\n')
    configured = cli.json("remind", "cron")
    assert "--db" not in configured["crontab"]  # the run reads the same config
    assert configured["crontab"].endswith(" remind run --quiet-hours")


def test_a_password_does_not_belong_in_the_config(cli: Cli, server_url: str,
                                                   home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    with_password = server_url.replace("postgres@", "postgres:s3cret@")
    (home / "config.toml").write_text(f'db_url = "{with_password}"\n')

    result = cli("asset", "list")

    assert result.exit_code == 2
    assert "~/.pgpass" in result.stderr and "s3cret" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_db_init_makes_a_blank_server_database_once(cli: Cli, server_url: str) -> None:
    url = blank(server_url, "init_me")
    assert revision(url) is None

    made = cli.json("--db", url, "db", "init")
    again = cli.json("--db", url, "db", "init")

    head = postgres.SNAPSHOT.read_text().partition("\n")[0].removeprefix("-- revision ")
    assert made == {"backend": "postgresql", "path": url, "created": True,
                    "schema_version": head}
    assert again == {**made, "created": False}
    assert revision(url) == head


def test_a_read_of_a_blank_server_database_reads_empty_and_makes_nothing(
        cli: Cli, server_url: str) -> None:
    url = blank(server_url, "read_me")

    assert cli.json("--db", url, "asset", "list") == []
    assert revision(url) is None
    cli.ok("--db", url, "tx", "add", "5", "Coffee")  # the first write makes it
    assert revision(url) is not None


def test_a_database_holding_other_tables_is_refused_and_left_alone(
        cli: Cli, server_url: str) -> None:
    url = blank(server_url, "not_ours")
    with psycopg.connect(url) as conn:
        conn.execute("CREATE TABLE invoices (id int)")

    result = cli("--db", url, "tx", "add", "5", "Coffee")

    assert result.exit_code == 1
    assert "already holds tables" in result.stderr
    assert revision(url) is None


def test_a_password_in_the_url_is_never_shown(cli: Cli, server_url: str) -> None:
    url = server_url.replace("postgres@", "postgres:s3cret@")  # trust: the server ignores it
    cli.ok("--db", url, "asset", "add", "Ladder")

    info = cli("--db", url, "db", "info", "--json")
    unreachable = url.rsplit(":", 1)[0] + ":1/nothing"
    failed = cli("--db", unreachable, "asset", "list", "--json")

    assert info.exit_code == 0 and "s3cret" not in info.stdout + info.stderr
    assert info.json()["path"] == server_url
    assert failed.exit_code == 1 and "s3cret" not in failed.stdout + failed.stderr
    assert failed.stderr.startswith("stuffctl: error: cannot reach the PostgreSQL server")


def test_a_writer_waits_for_another_writer_then_says_busy_and_readers_never_wait(
        cli: Cli, server_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    cli.ok("--db", server_url, "tx", "add", "5", "Coffee")
    monkeypatch.setenv("STUFFCTL_BUSY_TIMEOUT", "300")
    with psycopg.connect(server_url) as other:  # another stuffctl, mid-write
        other.execute("SELECT pg_advisory_xact_lock(%s)", (postgres.WRITE_LOCK,))

        write = cli("--db", server_url, "tx", "add", "7", "Tea")
        read = cli("--db", server_url, "tx", "list", "--json")

    assert write.exit_code == 5 and "busy" in write.stderr
    assert read.exit_code == 0 and [t["payee"] for t in read.json()] == ["Coffee"]
    cli.ok("--db", server_url, "tx", "add", "7", "Tea")  # and once it is done, it goes


@pytest.mark.skipif(shutil.which("pg_dump") is None or shutil.which("pg_restore") is None,
                    reason="PostgreSQL's client programs (pg_dump, pg_restore) are missing")
def test_backup_of_a_server_database_is_a_pg_dump_that_pg_restore_brings_back(
        cli: Cli, server_url: str, tmp_path: Path) -> None:
    cli.ok("--db", server_url, "asset", "add", "Dishwasher", "--price", "649 EUR")
    cli.ok("--db", server_url, "tx", "add", "--on", "2026-11-03", "--", "-60", "Cinema")
    before = cli.ok("--db", server_url, "export").stdout

    made = cli.json("--db", server_url, "backup", "--out", str(tmp_path / "stuff.dump"))
    copy = blank(server_url, "restored")
    subprocess.run(["pg_restore", "--no-owner", "--dbname", copy, made["path"]], check=True,
                   capture_output=True)

    assert Path(made["path"]).read_bytes().startswith(b"PGDMP")
    assert oct(Path(made["path"]).stat().st_mode & 0o777) == "0o600"
    assert cli.ok("--db", copy, "export").stdout == before


def test_backup_of_a_server_database_without_pg_dump_is_the_export_document(
        cli: Cli, server_url: str, home: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    cli.ok("--db", server_url, "asset", "add", "Dishwasher", "--price", "649 EUR")
    before = cli.ok("--db", server_url, "export").stdout
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))  # no pg_dump here

    made = cli.json("--db", server_url, "backup")

    assert Path(made["path"]).parent == home / "backups"
    assert Path(made["path"]).name.startswith("backup-") and made["path"].endswith(".json")
    assert oct(Path(made["path"]).stat().st_mode & 0o777) == "0o600"
    back = tmp_path / "back.db"
    cli.ok("--db", str(back), "import", made["path"])  # as docs/shared.md says
    assert cli.ok("--db", str(back), "export").stdout == before


def test_restore_into_a_server_database_says_how_instead(cli: Cli, server_url: str,
                                                         tmp_path: Path) -> None:
    (tmp_path / "x.db").write_bytes(b"")
    result = cli("--db", server_url, "restore", str(tmp_path / "x.db"), "--yes")

    assert result.exit_code == 1 and "pg_restore" in result.stderr


@given(st.text(alphabet="?%:'\"aLIKE_ b", max_size=30))
def test_translate_rewrites_placeholders_outside_quoted_text_only(text: str) -> None:
    quoted = "'" + text.replace("'", "''") + "'"

    assert postgres.translate(f"SELECT {quoted}") == f"SELECT {quoted.replace('%', '%%')}"
    assert postgres.translate(f"SELECT {quoted}, ?") == \
        f"SELECT {quoted.replace('%', '%%')}, %s"


def test_translate_keeps_casts_and_names_and_reads_named_parameters() -> None:
    assert postgres.translate("SELECT x::text FROM t WHERE a LIKE ? AND b = :today") == \
        "SELECT x::text FROM t WHERE a ILIKE %s AND b = %(today)s"


def household(cli: Cli, tmp_path: Path) -> None:
    """A home with a bit of everything, gaps in its ids and an attached file."""
    receipt = tmp_path / "receipt.pdf"
    receipt.write_bytes(b"%PDF-1.4 a receipt")
    for name in ("Dishwasher", "Old kettle", "Car"):
        cli.ok("asset", "add", name, "--price", "649 EUR", "--bought", "2025-03-01",
               "--warranty", "2y", "--tag", "kitchen")
    cli.ok("asset", "rm", "2", "--yes")  # ids 1 and 3 stay
    cli.ok("asset", "attach", "3", str(receipt))
    cli.ok("tx", "add", "--on", "2026-11-03", "--category", "fun", "--", "-60", "Cinema")
    cli.ok("project", "add", "Kitchen", "--due", "2027-03-01")
    cli.ok("task", "add", "1", "Measure the wall", "--due", "2026-12-01")
    cli.ok("remind", "add", "Descale the kettle", "--on", "2026-11-20", "--every", "monthly")
    cli.ok("remind", "run", "--now", "2026-11-20 09:00")


def test_db_copy_to_a_server_and_back_is_lossless(cli: Cli, server_url: str,
                                                  tmp_path: Path) -> None:
    household(cli, tmp_path)
    before = cli.ok("export").stdout
    shared = tmp_path / "nas-files"
    back = tmp_path / "back" / "stuffctl.db"
    back.parent.mkdir()

    there = cli.json("db", "copy", "--to", server_url, "--files", str(shared))
    again = cli.json("--db", server_url, "db", "copy", "--to", str(back))

    assert there["rows"]["asset"] == 2 and there["files"] == 1 and again["files"] == 1
    assert there["to"] == server_url and again["to"] == str(back)
    assert cli.ok("--db", server_url, "export").stdout == before
    assert cli.ok("--db", str(back), "export").stdout == before
    # the short ids people type are the same everywhere
    assert cli.json("--db", server_url, "asset", "show", "3")["name"] == "Car"
    assert cli.json("--db", str(back), "asset", "show", "3")["name"] == "Car"
    sha = cli.json("asset", "files", "3")[0]["sha256"]
    assert (shared / sha[:2] / sha).read_bytes() == b"%PDF-1.4 a receipt"
    assert (back.parent / "attachments" / sha[:2] / sha).exists()
    # what was notified stays notified
    assert cli.ok("--db", server_url, "remind", "run", "--now", "2026-11-20 09:30").stdout == ""
    # a new row follows the copied ids
    assert cli.json("--db", server_url, "asset", "add", "Bike")["id"] == 4


def test_db_copy_refuses_a_database_that_holds_data_and_changes_nothing(
        cli: Cli, server_url: str, tmp_path: Path) -> None:
    cli.ok("--db", server_url, "asset", "add", "Ladder")
    cli.ok("asset", "add", "Dishwasher")
    before = cli.ok("--db", server_url, "export").stdout

    result = cli("db", "copy", "--to", server_url.replace("postgres@", "postgres:pw@"))

    assert result.exit_code == 1
    assert "already holds data" in result.stderr and "pw@" not in result.stderr
    assert cli.ok("--db", server_url, "export").stdout == before


def as_login(url: str, login: str) -> str:
    """``url`` signed in as ``login`` (the test server trusts every login)."""
    return url.replace("postgres@", f"{login}@", 1)


def test_roles_are_enforced_by_the_server(cli: Cli, server_url: str) -> None:
    cli.ok("--db", server_url, "person", "add", "Vic Reader")
    cli.ok("--db", server_url, "person", "add", "Max")
    cli.ok("--db", server_url, "person", "add", "Ada")
    cli.ok("--db", server_url, "asset", "add", "Ladder")
    viewer = cli.json("--db", server_url, "db", "grant", "Vic Reader", "viewer")
    cli.ok("--db", server_url, "db", "grant", "Max", "member", "--login", "max_t")
    cli.ok("--db", server_url, "db", "grant", "Ada", "admin", "--login", "ada_t")
    before = cli.ok("--db", server_url, "export").stdout

    refused = cli("--db", as_login(server_url, "vic_reader"), "asset", "add", "Drill")
    refused_edit = cli("--db", as_login(server_url, "vic_reader"), "asset", "edit", "1",
                       "--name", "Step ladder")
    read = cli.json("--db", as_login(server_url, "vic_reader"), "asset", "list")

    assert viewer["login"] == "vic_reader" and viewer["role"] == "viewer"
    for result in (refused, refused_edit):
        assert result.exit_code == 1, result.stderr
        assert result.stderr.startswith("stuffctl: error: the server refused: permission "
                                        "denied")
        assert len(result.stderr.strip().splitlines()) == 1
    assert [a["name"] for a in read] == ["Ladder"]
    assert cli.ok("--db", server_url, "export").stdout == before  # nothing half-written

    # a member writes, as the person the grant gave their login; only an admin grants
    drill = cli.json("--db", as_login(server_url, "max_t"), "asset", "add", "Drill")
    assert (drill["created_by"], drill["updated_by"]) == ("Max", "Max")
    assert cli.json("--db", as_login(server_url, "ada_t"), "status")["me"] == {
        "id": 3, "name": "Ada"}
    denied = cli("--db", as_login(server_url, "max_t"), "db", "grant", "Vic Reader",
                 "member")
    assert denied.exit_code == 1 and "refused" in denied.stderr
    cli.ok("--db", as_login(server_url, "ada_t"), "db", "grant", "Vic Reader", "member")
    cli.ok("--db", as_login(server_url, "vic_reader"), "asset", "add", "Saw")
    assert [a["name"] for a in cli.json("--db", server_url, "asset", "list")] == [
        "Drill", "Ladder", "Saw"]


def test_a_sqlite_file_has_no_roles(cli: Cli, server_url: str) -> None:
    cli.ok("person", "add", "Vic")
    result = cli("db", "grant", "Vic", "viewer")

    assert result.exit_code == 2 and "server database" in result.stderr


def test_twenty_machines_running_remind_run_at_once_notify_each_occurrence_once(
        cli: Cli) -> None:
    from tests.conftest import stuffctl_exe

    titles = [f"Thing {n}" for n in range(40)]
    for title in titles:
        cli.ok("remind", "add", title, "--on", "2026-11-20")
    env = dict(os.environ)  # STUFFCTL_DB: the test's server database
    procs = [subprocess.Popen([*stuffctl_exe(), "remind", "run", "--json", "--now",
                               "2026-11-20 09:00"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(20)]
    outs = [p.communicate(timeout=120) for p in procs]

    assert [p.returncode for p in procs] == [0] * 20, [e for _, e in outs]
    seen = [row["title"] for out, _ in outs if out.strip()
            for row in __import__("json").loads(out)]
    assert sorted(seen) == sorted(titles)


@pytest.mark.parametrize(("day", "months"), [
    ("2024-01-31", 1), ("2023-08-31", 18), ("2024-02-29", 12), ("2025-03-15", 0),
    ("2025-12-31", 2), ("1999-05-31", 120)])
def test_a_date_plus_months_is_what_sqlite_says(day: str, months: int) -> None:
    import sqlite3

    from stuffctl import store
    from stuffctl.store.sqlite import SQLITE

    given = "FROM (SELECT ? AS d, ? AS m) AS given"
    on_sqlite = sqlite3.connect(":memory:").execute(
        f"SELECT {SQLITE.plus_months('d', 'm')} {given}", (day, months)).fetchone()[0]
    with store.transaction() as db:
        on_server = db.one(f"SELECT {db.backend.plus_months('d', 'm')} {given}",
                           (day, months))

    assert on_server == on_sqlite


def _schema(url: str) -> dict[str, set[tuple[str, ...]]]:
    """What a server database's schema is, whatever the order it was made in: columns
    (type, collation, null, default), indexes and constraints."""
    with psycopg.connect(url) as conn:
        return {
            "columns": set(conn.execute(
                "SELECT table_name, column_name, data_type, coalesce(collation_name, ''), "
                "is_nullable, coalesce(column_default, '') FROM information_schema.columns "
                "WHERE table_schema = current_schema()").fetchall()),
            "indexes": set(conn.execute(
                "SELECT indexname, indexdef FROM pg_indexes "
                "WHERE schemaname = current_schema()").fetchall()),
            "constraints": set(conn.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE connamespace = current_schema()::regnamespace").fetchall()),
        }


def test_a_server_database_from_an_earlier_revision_is_migrated_on_first_use(
        cli: Cli, server_url: str, postgres_server: Server) -> None:
    old = postgres_server.database(f"from_{postgres.BASELINE}")
    baseline = Path(__file__).parent / "data" / f"head-{postgres.BASELINE}.pg.sql"
    with psycopg.connect(old, autocommit=True) as conn:
        conn.execute(baseline.read_text(encoding="utf-8"))
        at = "2026-01-01 09:00:00.000000"
        conn.execute("INSERT INTO project (uid, created_at, updated_at, name, status) "
                     "VALUES ('j', %s, %s, 'Kitchen', 'active')", (at, at))
        conn.execute("INSERT INTO task (uid, created_at, updated_at, project_id, title, "
                     "status) VALUES ('t', %s, %s, 1, 'Measure the wall', 'open')", (at, at))
    assert revision(old) == postgres.BASELINE

    listed = cli.json("--db", old, "task", "list")  # a read migrates it, once

    assert [t["title"] for t in listed] == ["Measure the wall"]
    assert revision(old) == schema.head_revision()
    assert _schema(old) == _schema(server_url)  # as one made at the head revision
    cli.ok("--db", old, "person", "add", "Sam", "--login", "sam")
    cli.ok("--db", old, "task", "edit", "1", "--assignee", "Sam")
    assert cli.json("--db", old, "task", "list", "--assignee", "sam")[0]["assignee"] == "Sam"


def test_a_household_migrated_by_its_owner_keeps_its_roles_on_the_new_tables(
        cli: Cli, postgres_server: Server) -> None:
    old = postgres_server.database(f"roles_{postgres.BASELINE}")
    baseline = Path(__file__).parent / "data" / f"head-{postgres.BASELINE}.pg.sql"
    with psycopg.connect(old, autocommit=True) as conn:
        conn.execute(baseline.read_text(encoding="utf-8"))
        database = conn.execute("SELECT current_database()").fetchone()[0]
        login = f"m_{database}"[:60]
        for role in postgres.ROLES:  # what `db grant` made at the baseline
            conn.execute(f'CREATE ROLE "{database}_{role}" NOLOGIN')
        conn.execute(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public '
                     f'TO "{database}_member"')
        conn.execute(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public '
                     f'TO "{database}_member"')
        conn.execute(f'CREATE ROLE "{login}" LOGIN')
        conn.execute(f'GRANT "{database}_member" TO "{login}"')

    cli.ok("--db", old, "asset", "list")  # the owner's read migrates it
    added = cli("--db", as_login(old, login), "asset", "add", "Drill")

    assert revision(old) == schema.head_revision()
    assert added.exit_code == 0, added.stderr  # the undo journal's tables came later
    assert [a["name"] for a in cli.json("--db", old, "asset", "list")] == ["Drill"]


def test_every_revision_after_the_baseline_has_its_server_migration() -> None:
    later = [r for r in schema.known_revisions() if r > postgres.BASELINE]
    assert [r for r in later if not (postgres.MIGRATIONS / f"{r}.sql").is_file()] == []
    assert sorted(p.stem for p in postgres.MIGRATIONS.glob("*.sql")) == later
