"""`db check` as a doctor: each check names what failed and how to fix it."""

from __future__ import annotations

import json

import pytest

from stuffctl import paths, store
from stuffctl.services import db
from tests.conftest import sql_write


@pytest.fixture
def attached(cli, tmp_path):
    receipt = tmp_path / "receipt.pdf"
    receipt.write_bytes(b"receipt")
    cli.ok("asset", "add", "Dishwasher")
    (row,) = cli.ok("asset", "attach", "--json", "1", str(receipt)).json()
    store.dispose_all()
    return row["sha256"]


def attachment_findings() -> list[db.Finding]:
    with store.transaction() as s:
        return db.check_attachments(s)


def test_attachments_that_are_all_there_pass(attached):
    assert attachment_findings() == [
        db.Finding("attachments", True, "1 stored files, all attached and unchanged")]


def test_a_missing_stored_copy_is_named_with_its_fix(attached):
    path = paths.attachments_dir() / attached[:2] / attached
    path.unlink()
    assert attachment_findings() == [db.Finding(
        "attachments", False, f"file 1 of asset 1: its stored copy {path} is missing",
        "stuffctl asset detach 1 1, then attach the file again")]


def test_a_changed_stored_copy_is_found(attached):
    path = paths.attachments_dir() / attached[:2] / attached
    path.write_bytes(b"tampered")
    (finding,) = attachment_findings()
    assert not finding.ok
    assert finding.message == f"file 1 of asset 1: its stored copy {path} has changed since it " \
        "was attached"


def test_an_unused_stored_file_is_an_orphan_with_an_rm_fix(attached):
    stray = paths.attachments_dir() / "ab" / "stray.bin"
    stray.parent.mkdir()
    stray.write_bytes(b"x")
    assert attachment_findings() == [db.Finding(
        "attachments", False, f"{stray} is not attached to anything", f"delete it: rm {stray}")]


def test_a_hash_that_is_not_a_hash_is_reported_without_touching_any_path(attached):
    sql_write("UPDATE attachment SET sha256 = '../../etc/passwd'")
    findings = attachment_findings()
    assert findings[0].message == "file 1 of asset 1: its content hash '../../etc/passwd' is " \
        "not valid"
    assert findings[1].message.endswith(f"{attached} is not attached to anything")


def test_db_check_names_the_failed_check_and_its_fix_and_exits_1(cli, attached):
    path = paths.attachments_dir() / attached[:2] / attached
    path.unlink()
    result = cli("db", "check")
    assert result.exit_code == 1
    assert f"FAIL attachments: file 1 of asset 1: its stored copy {path} is missing (fix: " \
        "stuffctl asset detach 1 1, then attach the file again)" in result.stdout.splitlines()
    data = json.loads(cli("db", "check", "--json").stdout)
    assert data["ok"] is False
    assert [f["check"] for f in data["findings"]] == [
        "integrity", "foreign_keys", "schema", "journal_mode", "permissions", "attachments",
        "values", "leftovers"]


def test_db_check_passes_on_a_sound_database(cli, attached):
    result = cli("db", "check")
    assert result.exit_code == 0
    assert [line.split()[0] for line in result.stdout.splitlines()] == ["ok"] * 8


def test_db_info_counts_every_model_table_and_only_those(cli, home):
    from stuffctl import models

    cli.ok("asset", "add", "Dishwasher")
    cli.ok("tx", "add", "--", "-12.50", "Bakery")
    with store.transaction() as conn:
        data = db.info(db=conn)
    assert set(data["rows"]) == set(models.metadata().tables)
    assert data["rows"]["asset"] == 1 and data["rows"]["txn"] == 1
    assert data["schema_version"] == data["code_schema_version"]
    assert data["journal_mode"] == "wal" and data["size_bytes"] > 0


def test_db_info_does_not_import_sqlalchemy(cli, home):
    import subprocess
    import sys

    cli.ok("asset", "add", "Dishwasher")
    probe = ("import io, sys\nfrom stuffctl.entry import main\nsys.stdout = io.StringIO()\n"
             "code = main(['db', 'info', '--json'])\n"
             "sys.stderr.write(repr((code, 'sqlalchemy' in sys.modules)))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.stderr == "(0, False)"
