"""`stuffctl undo`: each write command is one step the database journals (store/undo.py),
taken back newest first (services/undo.py), on both backends."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Cli, sql_one, sql_rows


def dump() -> dict[str, list[str]]:
    """Every row of every journaled table, sorted: what an undo must give back."""
    from stuffctl.store.tables import TABLES
    from stuffctl.store.undo import journaled

    return {table: sorted(repr(row) for row in sql_rows(f"SELECT * FROM {table}"))
            for table in journaled(TABLES)}


def ids(table: str) -> list[int]:
    return [int(r[0]) for r in sql_rows(f"SELECT id FROM {table} ORDER BY id")]


def seed(cli: Cli) -> None:
    cli.ok("person", "add", "Sam")
    cli.ok("asset", "add", "Lamp", "--price", "20 EUR", "--tag", "light", "--bought",
           "2026-01-05")
    cli.ok("tx", "add", "-5", "Coffee", "--tag", "x", "--on", "2026-11-02")
    cli.ok("project", "add", "Kitchen")
    cli.ok("task", "add", "Kitchen", "Paint the wall")
    cli.ok("budget", "set", "groceries", "300")


def test_undo_takes_back_the_last_command(cli: Cli) -> None:
    seed(cli)
    before = dump()
    cli.ok("tx", "add", "-12.50", "Bakery", "--category", "groceries", "--on", "2026-11-03")
    assert sql_one("SELECT count(*) FROM txn") == 2
    done = cli.json("undo", "--yes")
    assert [s["command"] for s in done] == [
        "stuffctl tx add -12.50 Bakery --category groceries --on 2026-11-03"]
    assert done[0]["changes"] == [{"action": "remove", "table": "txn", "count": 1,
                                   "what": "1 transaction"}]
    assert dump() == before
    assert cli.json("find", "Bakery") == []


def test_undo_asks_showing_what_it_undoes(cli: Cli) -> None:
    seed(cli)
    cli.ok("asset", "edit", "1", "--location", "Attic")
    refused = cli("undo", input="n\n")
    assert refused.exit_code != 0
    assert "stuffctl asset edit 1 --location Attic" in refused.stderr
    assert "restore 1 asset" in refused.stderr
    assert sql_one("SELECT location FROM asset WHERE id = 1") == "Attic"
    cli.ok("undo", input="y\n")
    assert sql_one("SELECT location FROM asset WHERE id = 1") is None


def test_a_removal_comes_back_whole(cli: Cli) -> None:
    """Removing an asset cascades to its tags and log; the undo brings every row back
    with its id and uid, and search finds it again."""
    seed(cli)
    cli.ok("asset", "log", "1", "--kind", "repair", "--notes", "new switch", "--on",
           "2026-03-01")
    before = dump()
    cli.ok("asset", "rm", "1", "--yes")
    assert sql_one("SELECT count(*) FROM asset") == 0
    cli.ok("undo", "--yes")
    assert dump() == before
    assert [h["id"] for h in cli.json("find", "Lamp") if h.get("kind") == "asset"] in ([1], [])
    assert cli.json("asset", "show", "1")["tags"] == ["light"]


def test_steps_go_newest_first_and_a_list_shows_them(cli: Cli) -> None:
    seed(cli)
    start = dump()
    cli.ok("tx", "add", "-1", "One", "--on", "2026-11-04")
    cli.ok("tx", "edit", "1", "--memo", "first")
    listed = cli.json("undo", "--list")
    assert [s["command"] for s in listed[:2]] == ["stuffctl tx edit 1 --memo first",
                                                  "stuffctl tx add -1 One --on 2026-11-04"]
    assert all(s["undone_at"] is None for s in listed)
    cli.ok("undo", "2", "--yes")
    assert dump() == start
    assert [s["undone_at"] is not None for s in cli.json("undo", "--list")[:2]] == [True, True]
    assert cli("undo", "--yes").exit_code == 0  # the seed's own steps are next


def test_an_import_is_undone_as_a_whole(cli: Cli, tmp_path: Any) -> None:
    seed(cli)
    csv = tmp_path / "bank.csv"
    csv.write_text("id,uid,on,amount,currency,payee,category,account,memo,tags,asset_id,"
                   "project_id,subscription_id\n" + "".join(
                       f",,2026-10-{d:02d},-{d}.00,EUR,Shop {d},groceries,,,a;b,,,\n"
                       for d in range(1, 29)))
    before = dump()
    cli.ok("tx", "import", str(csv))
    assert sql_one("SELECT count(*) FROM txn") == 29
    (step,) = cli.json("undo", "--list", "-n", "1")
    assert {c["what"] for c in step["changes"]} >= {"28 transactions"}
    cli.ok("undo", "--yes")
    assert dump() == before


def test_a_later_change_by_someone_else_stops_the_undo(cli: Cli,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    seed(cli)
    cli.ok("person", "add", "Alex")
    monkeypatch.setenv("STUFFCTL_USER", "Sam")
    cli.ok("tx", "add", "-7", "Cinema", "--on", "2026-11-05")
    monkeypatch.setenv("STUFFCTL_USER", "Alex")
    cli.ok("tx", "edit", "2", "--memo", "with Alex")
    monkeypatch.setenv("STUFFCTL_USER", "Sam")
    refused = cli("undo", "--yes")
    assert refused.exit_code == 4, refused.stderr
    assert "transaction 2 was changed since by step" in refused.stderr
    assert "stuffctl tx edit 2 --memo 'with Alex'" in refused.stderr
    assert sql_one("SELECT count(*) FROM txn WHERE id = 2") == 1
    monkeypatch.setenv("STUFFCTL_USER", "Alex")
    cli.ok("undo", "--yes")
    monkeypatch.setenv("STUFFCTL_USER", "Sam")
    cli.ok("undo", "--yes")
    assert sql_one("SELECT count(*) FROM txn WHERE id = 2") == 0


def test_an_undone_edit_moves_the_revision_on(cli: Cli) -> None:
    """A save made from a read taken before the undo is refused after it (--since)."""
    seed(cli)
    cli.ok("tx", "edit", "1", "--memo", "before")
    revision = cli.json("tx", "show", "1")["revision"]
    cli.ok("tx", "edit", "1", "--memo", "after")
    cli.ok("undo", "--yes")
    assert cli.json("tx", "show", "1")["memo"] == "before"
    stale = cli("tx", "edit", "1", "--memo", "mine", "--since", str(revision - 1))
    assert stale.exit_code == 4


def test_reads_and_the_unattended_run_make_no_step(cli: Cli) -> None:
    seed(cli)
    steps = sql_one("SELECT count(*) FROM undo_step")
    cli.ok("remind", "add", "Water the plants", "--on", "2026-11-01")
    cli.ok("status")
    cli.ok("tx", "list")
    cli.ok("remind", "run", "--now", "2026-11-02T09:00")
    assert sql_one("SELECT count(*) FROM undo_step") == steps + 1
    assert sql_one("SELECT count(*) FROM undo_now") == 0
    assert cli("undo", "--list").stdout.count("remind add") == 1


TEXT = st.text(st.characters(codec="utf-8", categories=("L", "N", "Zs")), min_size=1,
               max_size=12).map(str.strip).filter(bool)
KINDS = ("tx add", "asset add", "project add", "person add", "budget set", "remind add",
         "tx edit", "tx rm", "asset edit", "asset log", "asset rm", "task done", "task rm")


def _commands(data: st.DataObject) -> list[str]:
    """One write command on the seeded home. The same draws whatever the database holds
    (a kind, a row by position, a text), so that Hypothesis can replay an example; a
    command on rows the home has none of adds one instead."""
    kind, pick = data.draw(st.sampled_from(KINDS)), data.draw(st.integers(0, 10**6))
    text, cents = data.draw(TEXT), data.draw(st.integers(1, 99999))

    def one(table: str, where: str = "") -> str | None:
        found = [int(r[0]) for r in sql_rows(f"SELECT id FROM {table} {where} ORDER BY id")]
        return str(found[pick % len(found)]) if found else None

    txn, asset = one("txn"), one("asset")
    task, open_task = one("task"), one("task", "WHERE status <> 'done'")
    made: dict[str, tuple[str, ...] | None] = {
        "tx add": ("tx", "add", f"-{cents}", text, "--on", "2026-11-06", "--tag",
                   "xy"[pick % 2]),
        "asset add": ("asset", "add", text, "--price", "15 EUR", "--tag", "z"),
        "project add": ("project", "add", text),
        "person add": ("person", "add", text),
        "budget set": ("budget", "set", ("groceries", "fun")[pick % 2], str(cents % 999 + 1)),
        "remind add": ("remind", "add", text, "--on", "2026-12-24"),
        "tx edit": txn and ("tx", "edit", txn, "--memo", text, "--tag", "w"),
        "tx rm": txn and ("tx", "rm", txn, "--yes"),
        "asset edit": asset and ("asset", "edit", asset, "--location", text),
        "asset log": asset and ("asset", "log", asset, "--cost", "12 EUR", "--on",
                                "2026-11-07"),
        "asset rm": asset and ("asset", "rm", asset, "--yes"),
        "task done": open_task and ("task", "done", open_task),
        "task rm": task and ("task", "rm", task, "--yes"),
    }
    return list(made[kind] or made["project add"])  # type: ignore[arg-type]


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_any_commands_then_as_many_undos_leave_the_database_as_it_was(
        cli: Cli, data: st.DataObject) -> None:
    if not ids("person"):
        seed(cli)
    before = dump()
    count = data.draw(st.integers(1, 5), label="commands")
    for _ in range(count):
        command = _commands(data)
        result = cli(*command)
        assert result.exit_code == 0, (command, result.stderr)
    for _ in range(count):
        cli.ok("undo", "--yes")
    assert dump() == before
