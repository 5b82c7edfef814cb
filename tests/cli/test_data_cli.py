"""`find`, `export`, `import`, `share`, `backup` and `restore` from the command line."""

from __future__ import annotations

import json
import os
import sqlite3

import pytest

from stuffctl import paths


@pytest.fixture
def in_home(home, backend, request, monkeypatch):
    """Switch to another home, ``in_home(path)``: on PostgreSQL each home has its own
    server database (the test's own for the test's home), as each has its own file."""
    from stuffctl import store

    databases = request.getfixturevalue("postgres_databases") if backend == "postgres" \
        else None
    urls = {home: os.environ.get("STUFFCTL_DB")}
    made = []

    def switch(path):
        store.dispose_all()
        monkeypatch.setenv("STUFFCTL_HOME", str(path))
        if databases is not None:
            if path not in urls:
                made.append(databases.fresh())
                urls[path] = made[-1].url
            monkeypatch.setenv("STUFFCTL_DB", urls[path])

    yield switch
    store.dispose_all()
    for database in made:
        database.drop()


def test_find_ranks_hits_across_kinds_with_kind_and_id(cli):
    cli.ok("asset", "add", "Ladder", "--notes", "aluminium, 3 m", "--field", "colour=silver")
    cli.ok("asset", "add", "Drill", "--brand", "Makita")
    cli.ok("person", "add", "Sam Makita")
    hits = cli.json("find", "makita")
    assert {(h["kind"], h["id"]) for h in hits} == {("asset", 2), ("person", 1)}
    assert set(hits[0]) == {"kind", "id", "title", "snippet", "score"}
    assert [(h["kind"], h["id"], h["title"]) for h in cli.json("find", "silv")] == [
        ("asset", 1, "Ladder")]
    assert cli.json("find", "nothing-like-this") == []
    cli.ok("asset", "edit", "2", "--brand", "Bosch")
    assert [h["kind"] for h in cli.json("find", "makita")] == ["person"]
    cli.ok("asset", "rm", "1", "--yes")
    assert cli.json("find", "silver") == []


@pytest.mark.sqlite_only("the search's triggers and the migrations' table rebuild are "
                         "SQLite's; a server's search is a GIN index")
def test_find_survives_a_table_rebuild_by_a_migration(cli):
    from stuffctl.store import search
    from stuffctl.store.engine import make_engine

    cli.ok("asset", "add", "Kettle")
    # A batch-mode table rebuild drops the table's triggers; every migration run then
    # installs the search again, on the migrations' own connection (store.migrate).
    engine = make_engine(paths.db_path(), foreign_keys=False)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP TRIGGER fts_asset_ai")
            search.install(conn, rebuild=True)
    finally:
        engine.dispose()
    cli.ok("asset", "add", "Teapot")
    assert [h["title"] for h in cli.json("find", "teapot")] == ["Teapot"]


def test_export_import_round_trip_through_files_with_attachments(in_home, cli, tmp_path):
    receipt = tmp_path / "receipt.pdf"
    receipt.write_bytes(b"%PDF receipt")
    cli.ok("asset", "add", "Fridge", "--tag", "kitchen")
    cli.ok("asset", "attach", "1", str(receipt))
    out = tmp_path / "all.zip"
    cli.ok("export", "--out", str(out), "--with-files")
    first = cli.ok("export").stdout
    in_home(tmp_path / "other")
    result = cli.json("import", str(out))
    assert result["tables"]["asset"]["added"] == 1 and result["files_added"] == 1
    assert result["missing_files"] == []
    assert cli.ok("export").stdout == first
    again = cli.json("import", str(out))
    assert again["tables"]["asset"] == {"added": 0, "updated": 0, "unchanged": 1, "conflicts": 0}


@pytest.mark.parametrize(("content", "message"), [
    ('{"format": "stuffctl-export", "format_version": 1, "sche', "not valid JSON"),
    ('{"format": "stuffctl-export", "format_version": 1, "schema_version": "9999", '
     '"tables": {}}', "newer than this stuffctl"),
    ('[1, 2]', "not a stuffctl export"),
])
def test_import_of_a_bad_file_exits_2_with_one_line(cli, tmp_path, content, message):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    result = cli("import", str(bad))
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.splitlines()) == 1
    assert cli.json("asset", "list") == []


def test_two_homes_exchange_bundles_both_ways(in_home, cli, tmp_path):
    cli.ok("person", "add", "Sam")
    cli.ok("asset", "add", "Tent", "--tag", "camping")
    cli.ok("asset", "add", "Stove", "--tag", "camping")
    cli.ok("asset", "add", "Sofa")
    cli.ok("asset", "lend", "1", "--to", "Sam")
    a_bundle = tmp_path / "camping.json"
    cli.ok("share", "--tag", "camping", "--out", str(a_bundle))
    home_a = paths.db_path().parent
    in_home(tmp_path / "b")
    cli.ok("asset", "add", "Bike")
    first = cli.json("import", str(a_bundle))
    assert first["tables"]["asset"]["added"] == 2 and first["tables"]["person"]["added"] == 1
    assert cli.json("import", str(a_bundle))["tables"]["asset"]["added"] == 0
    names = sorted(a["name"] for a in cli.json("asset", "list"))
    assert names == ["Bike", "Stove", "Tent"]
    stove = next(a for a in cli.json("asset", "list") if a["name"] == "Stove")
    cli.ok("asset", "edit", str(stove["id"]), "--notes", "needs gas")
    b_bundle = tmp_path / "stove.json"
    cli.ok("share", "--asset", str(stove["id"]), "--out", str(b_bundle))
    in_home(home_a)
    before = {a["name"]: a for a in cli.json("asset", "list")}
    back = cli.json("import", str(b_bundle))
    assert back["tables"]["asset"] == {"added": 0, "updated": 1, "unchanged": 0, "conflicts": 0}
    after = {a["name"]: a for a in cli.json("asset", "list")}
    assert after["Stove"]["notes"] == "needs gas"
    assert after["Sofa"] == before["Sofa"] and after["Tent"] == before["Tent"]
    assert sorted(after) == ["Sofa", "Stove", "Tent"]


def test_share_needs_something_to_share(cli, tmp_path):
    result = cli("share", "--tag", "nothing", "--out", str(tmp_path / "x.json"))
    assert result.exit_code == 2 and "nothing to share" in result.stderr
    assert cli("share", "--asset", "9", "--out", str(tmp_path / "x.json")).exit_code == 3


@pytest.mark.sqlite_only("a backup copied to a SQLite file, restore replacing a database "
                         "file; a server's backup is pg_dump's (docs/shared.md)")
def test_backup_keeps_the_newest_n_and_restore_keeps_the_replaced_file(cli, tmp_path):
    cli.ok("config", "set", "backups.keep", "2")
    cli.ok("asset", "add", "Before")
    made = [cli.json("backup")["path"] for _ in range(3)]
    kept = sorted(p.name for p in paths.backups_dir().glob("backup-*.db"))
    assert len(kept) == 2 and made[-1].endswith(kept[-1])
    cli.ok("asset", "add", "After")
    result = cli.json("restore", made[-1], "--yes")
    assert [a["name"] for a in cli.json("asset", "list")] == ["Before"]
    replaced = sqlite3.connect(result["replaced_kept_as"])
    assert sorted(r[0] for r in replaced.execute("SELECT name FROM asset")) == ["After", "Before"]
    replaced.close()


@pytest.mark.sqlite_only("a backup copied to a SQLite file, restore replacing a database "
                         "file; a server's backup is pg_dump's (docs/shared.md)")
def test_restore_refuses_a_damaged_file_and_changes_nothing(cli, tmp_path):
    cli.ok("asset", "add", "Kept")
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    result = cli("restore", str(bad), "--yes")
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    assert "not a stuffctl database" in cli("restore", str(empty), "--yes").stderr
    assert [a["name"] for a in cli.json("asset", "list")] == ["Kept"]


def test_import_dry_run_changes_nothing(in_home, cli, tmp_path):
    cli.ok("asset", "add", "Lamp")
    out = tmp_path / "x.json"
    cli.ok("export", "--out", str(out))
    in_home(tmp_path / "b")
    result = cli.json("import", "--dry-run", str(out))
    assert result["dry_run"] is True and result["tables"]["asset"]["added"] == 1
    assert cli.json("asset", "list") == []
    assert "would change" in cli.ok("import", "file", str(out), "-n").stdout
    assert json.loads(out.read_text())["kind"] == "export"


@pytest.mark.parametrize("command", [["export"], ["remind", "ics"], ["share", "--asset", "1"]])
@pytest.mark.parametrize("out", ["", "."])
def test_out_naming_a_directory_is_bad_input(cli, command, out):
    cli.ok("asset", "add", "Ladder")
    result = cli(*command, "--out", out)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "is a directory" in result.stderr


@pytest.fixture(params=["--db", "STUFFCTL_DB"])
def name_db(request, monkeypatch):
    """Name the database as the person would: ``--db PATH`` or ``STUFFCTL_DB=PATH``."""
    def named(path):
        if request.param == "--db":
            return ["--db", str(path)]
        monkeypatch.setenv("STUFFCTL_DB", str(path))
        return []
    named.by = request.param
    return named


def test_a_read_of_a_named_database_that_is_not_there_is_bad_input_and_makes_nothing(
        cli, tmp_path, name_db):
    missing = tmp_path / "nonexistent" / "dir" / "x.db"
    result = cli(*name_db(missing), "asset", "list")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"stuffctl: error: {missing}: no such database (named by " \
        f"{name_db.by})\n"
    assert not (tmp_path / "nonexistent").exists()


def test_a_write_into_a_folder_that_is_not_there_is_bad_input_naming_it(cli, tmp_path, name_db):
    missing = tmp_path / "nonexistent" / "x.db"
    result = cli(*name_db(missing), "asset", "add", "Ladder")
    assert result.exit_code == 2
    assert result.stderr == f"stuffctl: error: {missing}: no such folder {missing.parent} " \
        f"(named by {name_db.by})\n"
    assert not missing.parent.exists()


def test_a_write_to_a_new_file_in_a_folder_that_is_there_makes_the_database(
        cli, tmp_path, name_db):
    new = tmp_path / "new.db"
    cli.ok(*name_db(new), "asset", "add", "Ladder")
    assert [a["name"] for a in cli.json(*name_db(new), "asset", "list")] == ["Ladder"]


def test_reads_before_the_first_write_answer_empty_and_make_no_file(cli, home):
    assert cli.json("asset", "list") == []
    assert cli.ok("asset", "list").stderr == "no assets match\n"
    assert cli.json("status")["empty"] is True
    assert cli.json("export")["tables"]["asset"] == []
    assert not home.exists()
    cli.ok("asset", "add", "Ladder")
    assert [a["name"] for a in cli.json("asset", "list")] == ["Ladder"]


@pytest.mark.sqlite_only("a database file that is not there yet; a server database "
                         "is named by its URL and made by `db init`")
@pytest.mark.parametrize("command", [["db", "info"], ["db", "check"]])
def test_db_info_and_check_before_the_first_write_say_there_is_no_database(cli, home, command):
    result = cli(*command)
    assert result.exit_code == 3
    assert result.stderr == f"stuffctl: error: there is no database at {home / 'stuffctl.db'} " \
        "yet; the first command that adds something makes it\n"
    assert not home.exists()


@pytest.mark.parametrize("command", [
    ["backup"], ["export"], ["export", "--with-files"], ["share", "--asset", "1"],
    ["bench", "export"], ["remind", "ics"]], ids=" ".join)
def test_out_into_a_folder_that_is_not_there_is_bad_input_naming_it(cli, tmp_path, command):
    cli.ok("asset", "add", "Ladder")
    out = tmp_path / "nope" / "out.zip"
    result = cli(*command, "--out", str(out))
    assert result.exit_code == 2
    assert result.stderr == f"stuffctl: error: {out}: no such folder {out.parent}\n"
    assert not out.parent.exists()


def attach(cli, tmp_path, content=b"%PDF receipt"):
    receipt = tmp_path / "receipt.pdf"
    receipt.write_bytes(content)
    cli.ok("asset", "add", "Fridge")
    return cli.json("asset", "attach", "1", str(receipt))[0]["sha256"]


@pytest.mark.sqlite_only("a backup copied to a SQLite file, restore replacing a database "
                         "file; a server's backup is pg_dump's (docs/shared.md)")
def test_a_backup_restores_a_whole_home_with_its_attached_files(in_home, cli, tmp_path):
    sha = attach(cli, tmp_path)
    made = cli.json("backup", "--out", str(tmp_path / "b.db"))
    assert (made["files"], made["missing_files"]) == (1, [])
    in_home(tmp_path / "fresh")
    restored = cli.json("restore", made["path"], "--yes")
    assert (restored["files_restored"], restored["missing_files"]) == (1, [])
    assert cli("db", "check").exit_code == 0
    assert (paths.attachments_dir() / sha[:2] / sha).read_bytes() == b"%PDF receipt"
    conn = sqlite3.connect(paths.db_path())
    tables = conn.execute("SELECT name FROM sqlite_master WHERE name = 'backup_file'").fetchall()
    conn.close()  # restore waits for every connection to close
    assert tables == []  # the files table stays in the backup
    again = cli.ok("restore", made["path"], "--yes")
    assert again.stdout.startswith(f"restored {made['path']}; the replaced database")


@pytest.mark.sqlite_only("a backup copied to a SQLite file, restore replacing a database "
                         "file; a server's backup is pg_dump's (docs/shared.md)")
def test_restore_refuses_a_backup_whose_attached_file_was_changed(in_home, cli, tmp_path):
    attach(cli, tmp_path)
    made = cli.json("backup", "--out", str(tmp_path / "b.db"))
    conn = sqlite3.connect(made["path"])
    sha = conn.execute("SELECT sha256 FROM backup_file").fetchone()[0]
    conn.execute("UPDATE backup_file SET data = x'00'")
    conn.commit()
    conn.close()
    in_home(tmp_path / "fresh")
    result = cli("restore", made["path"], "--yes")
    assert result.exit_code == 2
    assert result.stderr == f"stuffctl: error: {made['path']}: the attached file {sha} does " \
        "not match its hash\n"
    assert not paths.db_path().exists() and not paths.attachments_dir().exists()


@pytest.mark.sqlite_only("a backup copied to a SQLite file, restore replacing a database "
                         "file; a server's backup is pg_dump's (docs/shared.md)")
def test_backup_and_restore_name_the_attached_files_they_cannot_bring(in_home, cli, tmp_path):
    sha = attach(cli, tmp_path)
    (paths.attachments_dir() / sha[:2] / sha).unlink()
    result = cli("backup", "--out", str(tmp_path / "b.db"), "--json")
    assert json.loads(result.stdout)["missing_files"] == [sha]
    assert result.stderr.startswith(f"warning: attachment file {sha[:12]}… is missing here, "
                                    "so not in the backup (see stuffctl db check)\n")
    in_home(tmp_path / "fresh")
    restored = cli("restore", str(tmp_path / "b.db"), "--yes")
    assert restored.stderr == f"warning: attachment file {sha[:12]}… is neither in the " \
        "backup nor here (see stuffctl db check)\n"


def test_importing_a_share_without_files_says_how_to_bring_them(in_home, cli, tmp_path):
    attach(cli, tmp_path)
    bundle = tmp_path / "fridge.json"
    cli.ok("share", "--asset", "1", "--out", str(bundle))
    with_files = tmp_path / "fridge.zip"
    cli.ok("share", "--asset", "1", "--out", str(with_files), "--with-files")
    in_home(tmp_path / "other")
    result = cli.ok("import", str(bundle))
    sha = cli.json("asset", "files", "1")[0]["sha256"]
    assert result.stderr == f"warning: attachment file {sha[:12]}… is neither in {bundle} " \
        "nor here; import a .zip made with --with-files (share or export) to add it\n"
    assert cli.json("import", str(with_files))["files_added"] == 1
    assert cli("db", "check").exit_code == 0
