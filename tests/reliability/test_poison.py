"""Poison: whatever a command or an import accepts, every other command can read.

A value outside what stuffctl handles (a date outside ``dates.FIRST_DAY``..``LAST_DAY``,
a recurrence rule, lead or currency the commands would refuse, an argument that is not
UTF-8, a JSON document nested or numbered past what Python reads) is refused at the
door with one line and exit 2, by a command and by `import` alike, nothing written. A
bad row already in a database (an older stuffctl's) is reported on stderr, one line
naming it, and skipped by `remind run`, `status`, `remind list` and `remind ics`: it
never stops them.
"""

from __future__ import annotations

import json
import subprocess
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from stuffctl import paths
from stuffctl.dates import FIRST_DAY, LAST_DAY
from stuffctl.errors import InvalidInput
from stuffctl.services.data import merge
from tests.conftest import sql_rows, sql_write
from tests.reliability.conftest import child_env, stuffctl_argv

RANGE = f"stuffctl handles dates from {FIRST_DAY} to {LAST_DAY}"
READERS = [("remind", "run", "--now", "2026-11-23 09:00"), ("status",), ("status", "--json"),
           ("remind", "list"), ("remind", "list", "--all"), ("remind", "ics")]


def one_error_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("stuffctl: error: "), stderr
    return lines[0]


# -- dates at the door ----------------------------------------------------------------


@pytest.mark.parametrize("args", [
    ("remind", "add", "X", "--on", "0001-01-01"),
    ("remind", "add", "X", "--on", "0001-01-07"),
    ("remind", "add", "X", "--on", "9999-12-31"),
    ("remind", "add", "X", "--on", "1899-12-31"),
    ("remind", "add", "X", "--on", "9000-01-01 08:00"),
    ("asset", "add", "A", "--bought", "9999-12-31", "--warranty", "2y"),
    ("asset", "add", "A", "--bought", "0001-01-01"),
    ("report", "spend", "--to", "9999-12-31"),
    ("tx", "add", "5", "Shop", "--on", "0001-01-01"),
    ("tx", "list", "--period", "0001"),
], ids=" ".join)
def test_a_date_outside_the_supported_range_is_refused_at_the_door(cli, args):
    result = cli(*args)
    assert result.exit_code == 2
    assert RANGE in one_error_line(result.stderr)
    if paths.db_url() is not None or paths.db_path().exists():
        assert cli.json("remind", "list", "--all") == []


def test_a_duration_that_ends_past_the_last_date_is_refused(cli):
    result = cli("asset", "add", "A", "--bought", "8999-06-01", "--warranty", "2y")
    assert result.exit_code == 2
    assert "8999-06-01 + 2y is past 8999-12-31" in one_error_line(result.stderr)


@pytest.mark.parametrize("day", [FIRST_DAY, LAST_DAY], ids=str)
def test_the_first_and_last_supported_dates_are_readable_by_every_command(cli, day):
    cli.ok("remind", "add", "Edge", "--on", day.isoformat(), "--every", "yearly")
    cli.ok("asset", "add", "Edge", "--bought", day.isoformat(), "--warranty", day.isoformat())
    for args in [*READERS, ("asset", "list"), ("report", "assets"),
                 ("report", "spend", "--to", day.isoformat())]:
        result = cli.ok(*args)
        assert "warning" not in result.stderr and "error" not in result.stderr, args
    listed = cli.json("remind", "list", "--all")
    assert [r["title"] for r in listed] == ["Edge"]


def test_a_rule_never_advances_past_the_last_supported_date(cli):
    cli.ok("remind", "add", "Last", "--on", "8999-12-01", "--every", "monthly")
    assert cli.json("remind", "done", "1")["action"] == "done"
    assert sql_rows("SELECT state, due_on FROM reminder") == [("done", "8999-12-01")]
    assert cli.json("remind", "list", "--all") == []  # no 9000-01-01 occurrence


# -- import refuses what the commands refuse ------------------------------------------


def _bundle(cli: Any, tmp_path: Path) -> dict[str, Any]:
    """An export of a home with one asset and one weekly reminder."""
    cli.ok("asset", "add", "Drill", "--price", "10 EUR")
    cli.ok("remind", "add", "Weekly", "--on", "2026-12-05", "--every", "weekly")
    out = tmp_path / "export.json"
    cli.ok("export", "--out", str(out))
    doc: dict[str, Any] = json.loads(out.read_text())
    return doc


def _only(doc: dict[str, Any], table: str, n: int, **changes: Any) -> dict[str, Any]:
    """``doc`` holding only a copy of the first ``table`` row, with a new uid, changed."""
    row = dict(doc["tables"][table][0], uid=f"0190e2a0-0000-7000-8000-{n:012d}", **changes)
    return {**doc, "tables": {table: [row]}}


HOSTILE_ROWS = [
    ("reminder", "due_on", "0001-01-03", RANGE),
    ("reminder", "due_on", "9999-12-31", RANGE),
    ("reminder", "start_on", "0001-01-01", RANGE),
    ("reminder", "rule", "FREQ=SECONDLY", "FREQ must be one of"),
    ("reminder", "lead", "forever", "not a duration"),
    ("reminder", "created_at", "0001-01-01T00:00:00Z", RANGE),
    ("asset", "price_currency", "\x1b[2J", "not a currency"),
    ("asset", "purchased_on", "0001-01-01", RANGE),
    ("asset", "warranty_until", "9999-12-31", RANGE),
    ("asset", "status", "bogus", "expected one of active, lent, borrowed"),
]


@pytest.mark.parametrize(("table", "column", "value", "reason"), HOSTILE_ROWS,
                         ids=[f"{t}.{c}={v!r}" for t, c, v, _ in HOSTILE_ROWS])
def test_import_refuses_what_the_commands_refuse_naming_file_row_and_column(
        cli, tmp_path, table, column, value, reason):
    doc = _only(_bundle(cli, tmp_path), table, 1, **{column: value})
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    result = cli("import", str(bad))
    assert result.exit_code == 2
    line = one_error_line(result.stderr)
    assert f"bad.json:1: {table} row 1: {column}: " in line and reason in line  # line 1
    assert len(cli.json(f"{'remind' if table == 'reminder' else 'asset'}", "list",
                        *(["--all"] if table == "reminder" else []))) == 1
    for args in READERS:
        assert cli(*args).exit_code == 0, args


def test_import_stores_currencies_and_rules_as_the_commands_do(cli, tmp_path):
    doc = _bundle(cli, tmp_path)
    asset = _only(doc, "asset", 2, price_currency="eur")["tables"]["asset"][0]
    reminder = _only(doc, "reminder", 3, rule="RRULE:freq=weekly;interval=1")
    reminder["tables"]["asset"] = [asset]
    (tmp_path / "lower.json").write_text(json.dumps(reminder))
    cli.ok("import", str(tmp_path / "lower.json"))
    assert cli.json("asset", "show", "2")["price"] == {"amount": "10.00", "currency": "EUR"}
    assert sql_rows("SELECT rule FROM reminder WHERE id = 2") == [("FREQ=WEEKLY",)]


@pytest.mark.parametrize(("text", "reason"), [
    ("[" * 1_000_000, "nested too deeply"),
    ('{"format": "stuffctl-export", "n": ' + "7" * 5000 + "}",
     "a number has more than 4300 digits"),
], ids=["10^6 nested arrays", "a 5000-digit number"])
def test_an_import_document_past_what_json_reads_is_one_clear_line(cli, tmp_path, text,
                                                                   reason):
    with pytest.raises(InvalidInput, match=reason):
        merge.parse(text, "doc.json")
    path = tmp_path / "doc.json"
    path.write_text(text)
    result = cli("import", str(path))
    assert result.exit_code == 2
    assert f"doc.json: not valid JSON: {reason}" in one_error_line(result.stderr)


# -- import: parent circles and repeated link rows -------------------------------------


def test_import_refuses_an_asset_parent_circle_and_writes_nothing(cli, tmp_path):
    doc = _bundle(cli, tmp_path)
    a, b = "0190e2a0-0000-7000-8000-0000000000a1", "0190e2a0-0000-7000-8000-0000000000a2"
    row = doc["tables"]["asset"][0]
    doc["tables"] = {"asset": [dict(row, uid=a, parent_id=b), dict(row, uid=b, parent_id=a)]}
    (tmp_path / "circle.json").write_text(json.dumps(doc))
    result = cli("import", str(tmp_path / "circle.json"))
    assert result.exit_code == 2
    assert "circle.json:1: asset row 1: parent_id" in one_error_line(result.stderr)
    assert "is inside this asset already" in result.stderr
    assert [r["id"] for r in cli.json("asset", "list")] == [1]


def test_import_refuses_a_parent_circle_closed_with_the_rows_here(cli, tmp_path):
    doc = _bundle(cli, tmp_path)
    cli.ok("asset", "add", "Tyre", "--parent", "1")  # here: Tyre inside Drill
    drill = doc["tables"]["asset"][0]
    tyre = cli.json("asset", "show", "2")["uid"]
    newer = dict(drill, parent_id=tyre, updated_at="2999-01-01T00:00:00Z")
    (tmp_path / "circle.json").write_text(json.dumps({**doc, "tables": {"asset": [newer]}}))
    assert cli("asset", "edit", "1", "--parent", "2").exit_code == 2  # as edit refuses
    result = cli("import", str(tmp_path / "circle.json"))
    assert result.exit_code == 2
    line = one_error_line(result.stderr)
    assert "asset row 1: parent_id" in line and "is inside this asset already" in line
    assert cli.json("asset", "show", "1")["parent_id"] is None


def test_import_takes_a_reference_to_a_row_here_that_the_file_does_not_hold(cli, tmp_path):
    doc = _bundle(cli, tmp_path)
    cli.ok("asset", "add", "Car")
    car = cli.json("asset", "show", "2")["uid"]
    tyre = dict(doc["tables"]["asset"][0], uid="0190e2a0-0000-7000-8000-0000000000c1",
                name="Tyre", parent_id=car)
    (tmp_path / "tyre.json").write_text(json.dumps({**doc, "tables": {"asset": [tyre]}}))
    cli.ok("import", str(tmp_path / "tyre.json"))
    assert cli.json("asset", "show", "3")["parent_id"] == 2


def test_a_link_row_repeated_in_an_import_is_stored_and_counted_once(cli, tmp_path):
    doc = _only(_bundle(cli, tmp_path), "asset", 4)
    uid = doc["tables"]["asset"][0]["uid"]
    doc["tables"]["asset_tag"] = [{"asset_id": uid, "tag": "x"}, {"asset_id": uid, "tag": "x"}]
    (tmp_path / "twice.json").write_text(json.dumps(doc))
    result = cli.json("import", str(tmp_path / "twice.json"))
    assert result["tables"]["asset_tag"] == {"added": 1, "removed": 0}
    assert cli.json("asset", "show", "2")["tags"] == ["x"]


def test_two_link_rows_with_one_key_and_other_values_are_refused(cli, tmp_path):
    doc = _only(_bundle(cli, tmp_path), "asset", 5)
    uid = doc["tables"]["asset"][0]["uid"]
    doc["tables"]["asset_field"] = [{"asset_id": uid, "key": "k", "value": "1"},
                                    {"asset_id": uid, "key": "k", "value": "2"}]
    (tmp_path / "clash.json").write_text(json.dumps(doc))
    result = cli("import", str(tmp_path / "clash.json"))
    assert result.exit_code == 2
    assert "asset_field row 2: the same asset_id, key as row 1" in one_error_line(result.stderr)


# -- a bad row already in a database ---------------------------------------------------


POISON = [
    ("due_on", "0001-01-03", "due 0001-01-03 is outside the dates stuffctl handles"),
    ("due_on", "9999-12-31", "due 9999-12-31 is outside the dates stuffctl handles"),
    ("rule", "FREQ=SECONDLY", "FREQ must be one of"),
    ("lead", "forever", "not a duration"),
]


@pytest.mark.parametrize(("column", "value", "reason"), POISON,
                         ids=[f"{c}={v}" for c, v, _ in POISON])
@pytest.mark.parametrize("reader", READERS, ids=" ".join)
def test_a_bad_row_in_the_database_is_reported_and_skipped_by_unattended_runs(
        cli, column, value, reason, reader):
    # The clock is the real one (status has no --now): dates relative to today.
    due = (date.today() - timedelta(days=3)).isoformat()
    cli.ok("remind", "add", "Good", "--on", due)
    cli.ok("remind", "add", "Bad", "--on", due, "--every", "daily", "--lead", "1d")
    # as an older stuffctl (or a hand edit) may have left it
    sql_write(f"UPDATE reminder SET {column} = ? WHERE id = 2", (value,))
    # `remind run` at 09:00 today, when Good (due three days ago) is overdue
    result = cli(*(f"{date.today()} 09:00" if word == "2026-11-23 09:00" else word
                   for word in reader))
    assert result.exit_code == 0, result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("warning: skipped reminder:2 (Bad): ") and reason in line
    assert "stuffctl remind edit 2" in line
    if reader[:2] != ("remind", "ics"):
        assert "Good" in result.stdout


# -- arguments that are not UTF-8 ------------------------------------------------------

LATIN1 = "Caf\udce9"  # what Python makes of the bytes b"Caf\xe9" in argv


@pytest.mark.parametrize("args", [
    ("asset", "add", LATIN1), ("asset", "list", "--search", LATIN1),
    ("tx", "add", "5", LATIN1), ("remind", "add", LATIN1, "--on", "tomorrow"),
    ("project", "add", LATIN1), ("person", "add", LATIN1), ("find", LATIN1),
    ("sub", "add", LATIN1, "9.99", "--every", "monthly"), ("budget", "set", LATIN1, "100"),
    ("config", "set", "currency", LATIN1), ("export", "--out", LATIN1),
    ("remind", "run", "--now", LATIN1),
], ids=lambda a: " ".join(a[:2]))
def test_an_argument_that_is_not_utf8_is_one_clear_line(cli, args):
    result = cli(*args)
    assert result.exit_code == 2
    assert "an argument is not UTF-8 text: 'Caf\\xe9'" in one_error_line(result.stderr)


@pytest.mark.parametrize("args", [["asset", "add"], ["remind", "run", "--now"],
                                  ["status", "--brief", "--db"]], ids=" ".join)
def test_latin1_bytes_in_a_real_command_line_are_one_clear_line(args):
    done = subprocess.run([*map(str.encode, stuffctl_argv(*args)), b"Caf\xe9"],
                          capture_output=True, env=child_env(), timeout=60,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 2, done.stderr
    assert done.stderr == (b"stuffctl: error: an argument is not UTF-8 text: 'Caf\\xe9' "
                           b"(stuffctl reads its arguments as UTF-8; check the encoding of "
                           b"the terminal or script)\n")


# -- rules that come more often than hourly ---------------------------------------------


HOURS = ",".join(str(h) for h in range(24))


@pytest.mark.parametrize("rule", [f"FREQ=DAILY;BYHOUR={HOURS};BYMINUTE=0,30",
                                  "FREQ=DAILY;BYHOUR=9;BYMINUTE=0;BYSECOND=0,1,2"])
def test_a_rule_coming_more_often_than_hourly_is_refused_at_the_door(cli, rule):
    """A list of minutes or seconds would make a reminder come every minute, and catching
    up after decades would count hundreds of millions of them."""
    result = cli("remind", "add", "Often", "--on", "2000-01-01", "--every", rule)
    assert result.exit_code == 2
    assert "BYMINUTE and BYSECOND take one value" in one_error_line(result.stderr)


def test_an_hourly_rule_catches_up_by_counting_what_it_missed(cli):
    cli.ok("remind", "add", "Hourly", "--on", "2000-01-01 00:00",
           "--every", f"FREQ=DAILY;BYHOUR={HOURS};BYMINUTE=0")
    (item,) = cli.json("remind", "run", "--now", "2000-01-03 00:30", "--json")
    assert (item["due"], item["missed"]) == ("2000-01-03T00:00:00", 48)
    # 30 years on: 262,992 hours passed, counted (not listed) in a moment
    (item,) = cli.json("remind", "list", "--all", "--now", "2030-01-01 00:30", "--json")
    hours = (date(2030, 1, 1) - date(2000, 1, 1)).days * 24
    assert (item["due"], item["missed"]) == ("2030-01-01T00:00:00", hours)


# -- values an older stuffctl or a hand edit left ----------------------------------------


def test_a_stored_value_the_commands_refuse_is_named_by_db_check_with_its_fix(cli):
    """A currency that is not a code stops `asset list` with one line pointing at `db
    check` (not "unexpected"), and `db check` names each such value with the command that
    mends it."""
    cli.ok("asset", "add", "Lamp", "--price", "12")
    cli.ok("remind", "add", "Bad", "--on", "2026-01-01")
    # an escape sequence of three characters: what a currency column holds on either
    # backend (PostgreSQL's is VARCHAR(3))
    sql_write("UPDATE asset SET price_currency = ?, purchased_on = '0001-01-01', "
              "status = 'bogus'", ("\x1b[H",))
    sql_write("UPDATE reminder SET rule = 'FREQ=SECONDLY', lead = 'forever'")

    listed = cli("asset", "list")
    assert listed.exit_code == 1
    assert one_error_line(listed.stderr).endswith("(stuffctl db check names the row)")
    checked = cli("db", "check", "--json")
    assert checked.exit_code == 1
    failed = [(f["message"].split(" is not")[0], f["fix"])
              for f in checked.json()["findings"] if not f["ok"]]
    assert failed == [("asset 1: purchased_on '0001-01-01'", "stuffctl asset edit 1"),
                      ("asset 1: price_currency '\\x1b[H'", "stuffctl asset edit 1"),
                      ("asset 1: status 'bogus'", "stuffctl asset retire 1, or restore a backup"),
                      ("reminder 1: rule 'FREQ=SECONDLY'", "stuffctl remind edit 1"),
                      ("reminder 1: lead 'forever'", "stuffctl remind edit 1")]
    cli.ok("asset", "edit", "1", "--price", "12 EUR", "--bought", "2020-01-01")
    cli.ok("asset", "retire", "1")
    assert cli("asset", "list").exit_code == 0
