"""No lost update (#21): a save decided from an older read (``--since REVISION``) is
refused when a field it sets changed meanwhile; other fields and other rows land. On
both backends, through the services (as two people's commands run them) and the CLI."""

from __future__ import annotations

import itertools
import os
from typing import Any

import pytest

from stuffctl import store
from stuffctl.errors import Conflict, ExitCode
from stuffctl.services import asset
from stuffctl.services.asset import AssetChanges
from tests.conftest import Cli, sql_one


def test_the_same_field_changed_since_it_was_read_is_a_conflict_naming_who_and_when(
        cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    read = cli.json("asset", "add", "Dishwasher")
    assert read["revision"] == 0
    monkeypatch.setenv("STUFFCTL_USER", "Alex")
    alex = cli.json("asset", "edit", "1", "--name", "Dish washer", "--since", "0")
    assert alex["revision"] > 0

    monkeypatch.setenv("STUFFCTL_USER", "Sam")
    late = cli("asset", "edit", "1", "--name", "Bosch dishwasher", "--since", "0")

    assert late.exit_code == ExitCode.CONFLICT
    assert late.stderr.count("\n") == 1
    assert "asset 1 changed since revision 0: its name by Alex at 20" in late.stderr
    assert "nothing was changed" in late.stderr
    assert cli.json("asset", "show", "1")["name"] == "Dish washer"
    # read again, then the save lands
    now = cli.json("asset", "show", "1")["revision"]
    assert cli.json("asset", "edit", "1", "--name", "Bosch dishwasher", "--since",
                    str(now))["name"] == "Bosch dishwasher"


def test_different_fields_changed_since_the_read_both_land(
        cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    cli.ok("asset", "add", "Dishwasher")
    monkeypatch.setenv("STUFFCTL_USER", "Alex")
    cli.ok("asset", "edit", "1", "--location", "Kitchen", "--since", "0")
    monkeypatch.setenv("STUFFCTL_USER", "Sam")
    done = cli.json("asset", "edit", "1", "--notes", "salt every month", "--since", "0")
    assert (done["location"], done["notes"]) == ("Kitchen", "salt every month")
    assert done["updated_by"] == "Sam"


def test_without_since_the_last_save_wins_as_before(cli: Cli) -> None:
    cli.ok("asset", "add", "Dishwasher")
    cli.ok("asset", "edit", "1", "--name", "A")
    assert cli.json("asset", "edit", "1", "--name", "B")["name"] == "B"


def test_saving_a_value_unchanged_is_no_change(cli: Cli) -> None:
    cli.ok("asset", "add", "Dishwasher", "--location", "Kitchen")
    same = cli.json("asset", "edit", "1", "--location", "Kitchen")
    assert same["revision"] == 0
    assert sql_one("SELECT count(*) FROM change") == 0


@pytest.mark.parametrize(("add", "edit_args", "field"), [
    (["task", "add", "Kitchen", "Measure"], ["task", "edit", "1", "--title"], "title"),
    (["tx", "add", "5", "Bakery", "--out"], ["tx", "edit", "1", "--payee"], "payee"),
    (["project", "add", "Garden"], ["project", "edit", "Garden", "--notes"], "notes"),
    (["person", "add", "Kim"], ["person", "edit", "2", "--email"], "email"),
])
def test_every_noun_people_edit_takes_since(cli: Cli, add: list[str], edit_args: list[str],
                                            field: str) -> None:
    cli.ok("project", "add", "Kitchen")
    cli.ok("person", "add", "Sam")
    cli.ok(*add)
    first = cli.json(*edit_args, "x@example.org", "--since", "0")
    assert first["revision"] > 0 and first[field] == "x@example.org"
    late = cli(*edit_args, "y@example.org", "--since", "0")
    assert late.exit_code == ExitCode.CONFLICT, late.stderr
    assert f"its {field} by " in late.stderr
    assert cli(*edit_args, "y@example.org", "--since", "-1").exit_code == ExitCode.BAD_INPUT


ROWS = 5  # the assets both people edit, in turn: their edits overlap on every row


def _person(name: str, field: str, edits: int, out: Any) -> None:
    """One person's process: ``edits`` saves, the n-th to asset ``n % ROWS + 1``, each
    decided from what they last read of that row (their previous save's revision; a
    conflict makes them read it again). Sends (saves landed, conflicts): each save as
    (asset, since, revision after, value)."""
    try:
        os.environ["STUFFCTL_USER"] = name
        since = dict.fromkeys(range(1, ROWS + 1), 0)
        landed, conflicts = [], 0
        for n in range(edits):
            row, value = n % ROWS + 1, f"{name} {n}"
            try:
                with store.transaction(write=True) as db:
                    asset.edit_asset(db=db, asset_id=row, changes=AssetChanges(
                        values={field: value}, since=since[row]))
                    after = asset.public(db, row)["revision"]
                landed.append((row, since[row], after, value))
                since[row] = after
            except Conflict:
                conflicts += 1
                with store.transaction() as db:
                    since[row] = asset.public(db, row)["revision"]
        out.send((landed, conflicts))
    except BaseException as exc:  # reported by the test
        out.send(exc)
    finally:
        out.close()


def _race(field_of: dict[str, str], edits: int
          ) -> tuple[list[tuple[int, int, int, str]], dict[str, int]]:
    """Two people as two processes (as two machines' commands), each saving ``edits``
    times over the same rows; every save that landed, and each person's conflicts."""
    import multiprocessing

    with store.transaction(write=True) as db:
        for n in range(ROWS):
            asset.add_asset(db=db, changes=AssetChanges(values={"name": f"Thing {n}"}))
    context = multiprocessing.get_context("fork")
    pipes, processes = [], []
    for name, field in field_of.items():
        mine, theirs = context.Pipe(duplex=False)
        process = context.Process(target=_person, args=(name, field, edits, theirs))
        process.start()
        theirs.close()
        pipes.append((name, mine))
        processes.append(process)
    results = {name: pipe.recv() for name, pipe in pipes}
    for process in processes:
        process.join(timeout=300)
    problems = [r for r in results.values() if isinstance(r, BaseException)]
    assert problems == []
    landed = [save for saves, _ in results.values() for save in saves]
    return landed, {name: conflicts for name, (_, conflicts) in results.items()}


def _stored(field: str) -> dict[int, Any]:
    with store.transaction() as db:
        return {n: asset.public(db, n)[field] for n in range(1, ROWS + 1)}


@pytest.mark.slow
def test_two_people_saving_the_same_field_of_the_same_rows_lose_no_update(
        db_backend: str) -> None:
    landed, conflicts = _race({"Sam": "notes", "Alex": "notes"}, 1000)
    assert len(landed) + sum(conflicts.values()) == 2000
    assert sql_one("SELECT count(*) FROM change") == len(landed)  # each one is there
    final = _stored("notes")
    for row in range(1, ROWS + 1):
        saves = sorted((s for s in landed if s[0] == row), key=lambda s: s[2])
        # each save that landed was decided from a read that had seen the one before it:
        # an overlap that was not reported would have an older "since"
        for before, after in itertools.pairwise(saves):
            assert after[1] >= before[2], (before, after)
        assert final[row] == saves[-1][3]


@pytest.mark.slow
def test_two_people_saving_different_fields_of_the_same_rows_both_land_every_time(
        db_backend: str) -> None:
    landed, conflicts = _race({"Sam": "notes", "Alex": "location"}, 1000)
    assert conflicts == {"Sam": 0, "Alex": 0}
    assert len(landed) == 2000
    assert sql_one("SELECT count(*) FROM change") == 2000
    last = ROWS * (1000 // ROWS - 1)  # the last round of saves
    assert _stored("notes") == {n + 1: f"Sam {last + n}" for n in range(ROWS)}
    assert _stored("location") == {n + 1: f"Alex {last + n}" for n in range(ROWS)}


@pytest.fixture
def db_backend(home, backend: str) -> str:
    return backend
