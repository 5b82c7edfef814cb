"""The main screens at 60, 80, 100 and 200 columns, and piped.

Each screen is drawn as on a terminal of that width (``FORCE_COLOR`` with ``NO_COLOR``:
terminal layout, no escape codes) on the demo household, built and shown on a frozen
clock (tests/frozen_clock.py), and every money amount, date and id of the same command's
``--json`` must appear whole in the text: amounts with thousands separators
(``render.screen.grouped``), dates as tables show them (``render.day``). Piped, each
record is exactly one line. The few JSON fields a screen does not show are named in
``SKIP`` with the reason.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stuffctl.render import day
from stuffctl.render.screen import grouped, size
from tests.frozen_clock import REAL_DATE, REAL_DATETIME, frozen

WIDTHS = (60, 80, 100, 200)
TODAY = dt.date(2026, 11, 23)  # a Monday; November is not over: report spend marks it
NOW = dt.datetime(2026, 11, 23, 9, 30)


# -- a frozen clock -----------------------------------------------------------------------


@pytest.fixture
def frozen_clock() -> Iterator[None]:
    with frozen(NOW):
        yield


def test_the_frozen_clock_stops_today_and_now_and_runs_again():
    from stuffctl import clock

    with frozen(NOW):
        assert dt.date.today() == TODAY and type(dt.date.today()) is REAL_DATE
        assert clock.utcnow() == NOW.astimezone(dt.UTC)
        assert isinstance(REAL_DATE(2026, 1, 1), dt.date)
        assert type(dt.date.fromisoformat("2026-01-02")) is REAL_DATE
    assert dt.date is REAL_DATE and clock.datetime is REAL_DATETIME


# -- the demo household -------------------------------------------------------------------


@pytest.fixture
def demo(cli, frozen_clock, tmp_path) -> dict[str, Any]:
    """The demo household (seed 1) as of TODAY, with an attachment, a link and a costly
    repair on the asset that is lent out, and groceries over their budget this month."""
    from stuffctl import store
    from stuffctl.services import demo as demo_service

    with store.transaction(write=True) as db:
        demo_service.build(db=db, seed=1, today=TODAY)
    lent = cli.json("status")["sections"]["lent"][0]["asset_id"]
    receipt = tmp_path / "receipt.pdf"
    receipt.write_bytes(b"%PDF" + bytes(1_234_567))
    cli.ok("asset", "attach", str(lent), str(receipt))
    cli.ok("asset", "log", str(lent), "--kind", "repair", "--cost", "1234.50",
           "--meter", "12345", "--unit", "h", "--notes", "new rungs")
    cli.ok("asset", "link", str(lent), "https://example.com/ladders/manual-of-the-telescopic"
           "-ladder-in-all-languages.pdf", "--title", "Manual (all languages)")
    cli.ok("tx", "add", "--on", "2026-11-20", "--category", "groceries", "--", "-750",
           "Lidl")
    return {"asset": str(lent)}


# -- what each screen must show -----------------------------------------------------------

# JSON fields a screen does not show, and why.
SKIP: dict[str, set[str]] = {
    # the loan is found by its asset's id (shown); next_task is shown by its title;
    # a budget's left is its budget less spent (both shown, and how much is USED)
    # an incident's asset is shown by name, its playbook by id (#1) and fix
    "status": {"as_of", "loan_id", "next_task", "left", "incidents.asset_id"},
    # the history is the sparkline; vs.value is the median, best or last period
    "bench": {"history", "vs", "periods"},
    # `to` is the exclusive end (the title shows the last day); key repeats the name
    "report spend": {"to", "key"},
    "report cashflow": set(),
    # own reminders are shown by id (ref), derived ones by key; `occurrence` is `due`
    "remind list": {"key", "occurrence", "snoozed_until"},
    # a task's project and assignee are shown by name
    "task list": {"project_id", "assignee_id", "created_at", "updated_at"},
    # record metadata and links shown by name (owner, person) or implied (this asset)
    "asset show": {"uid", "created_at", "updated_at", "owner_id", "person_id", "asset_id",
                   "txn_id", "log.id", "sha256", "loan"},
    # `end` is exclusive (the title shows the last day)
    "budget status": {"end"},
}
# Amounts that JSON has as plain decimal strings (with a currency elsewhere).
DECIMALS = {"bench": {"now", "median", "best", "target", "distance"},
            "asset show": {"purchase", "costs", "total"}}
ID_LISTS = {"depends_on"}
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][0-9:.]+Z?)?")


def tokens(screen: str, record: Any, path: str = "") -> set[str]:
    """What of ``record`` the screen must show: amounts grouped, dates as tables show
    them, ids; nothing under a key (or dotted path) of ``SKIP[screen]``."""
    found: set[str] = set()
    key = path.rsplit(".", 1)[-1]
    if key in SKIP[screen] or path in SKIP[screen]:
        return found
    if isinstance(record, dict):
        if set(record) == {"amount", "currency"}:
            return {grouped(record["amount"])}
        for k, v in record.items():
            found |= tokens(screen, v, f"{path}.{k}" if path else k)
    elif isinstance(record, list):
        for v in record:
            if key in ID_LISTS and isinstance(v, int):
                found.add(str(v))
            else:
                found |= tokens(screen, v, path)
    elif isinstance(record, str) and DATE.fullmatch(record):
        found.add(day(record))
    elif isinstance(record, str) and key in DECIMALS.get(screen, ()):
        found.add(grouped(record))
    elif isinstance(record, int) and not isinstance(record, bool) and (
            key == "id" or key.endswith("_id")):
        found.add(str(record))
    return found


def by_record(screen: str, data: Any) -> list[set[str]]:
    """The tokens of each record of a screen's JSON (a table row), and of its title."""
    if screen == "status":
        return [tokens(screen, row, key) for key, rows in data["sections"].items()
                for row in rows]
    if screen == "bench":
        money = {m["metric"] for m in data["metrics"] if m["unit"] == "money"}
        rows = [*data["metrics"], *data["goals"]]
        return [{day(data["ends"])}] + [tokens(screen, r) if r["metric"] in money
                                        else set() for r in rows]
    if screen == "report spend":
        return [{day(data["from"])}] + [tokens(screen, r) for r in data["rows"]
                                        + data["totals"]]
    if screen == "remind list":
        return [{str(r["reminder_id"] or r["key"])} | tokens(screen, r) for r in data]
    if screen == "asset show":  # each field on a line of its own, then the tables' rows
        top = {k: v for k, v in data.items() if not isinstance(v, list)}
        return [{t} for t in tokens(screen, top)] + [
            tokens(screen, r, k) for k, rows in data.items() if isinstance(rows, list)
            for r in rows]
    if screen == "budget status":
        return [{day(data["start"])}] + [tokens(screen, r) for r in data["budgets"]]
    return [tokens(screen, r) for r in data]


SCREENS: dict[str, Callable[[dict[str, Any]], list[str]]] = {
    "status": lambda d: ["status"],
    "bench": lambda d: ["bench"],
    "report spend": lambda d: ["report", "spend", "--by", "category", "--per", "month"],
    "report cashflow": lambda d: ["report", "cashflow"],
    "remind list": lambda d: ["remind", "list"],
    "task list": lambda d: ["task", "list"],
    "asset show": lambda d: ["asset", "show", d["asset"]],
    "budget status": lambda d: ["budget", "status"],
}


def whole(token: str, text: str) -> bool:
    """``token`` in ``text`` as a whole: not cut, wrapped or part of a longer number."""
    return re.search(rf"(?<![\w.,:-]){re.escape(token)}(?!\w|[.,:-]\w)", text) is not None


def drawn(cli, monkeypatch, args: list[str], width: int | None) -> str:
    """The screen as a terminal of ``width`` columns shows it (no colour), or piped."""
    if width is None:
        monkeypatch.setenv("_TYPER_FORCE_DISABLE_TERMINAL", "1")
        monkeypatch.delenv("FORCE_COLOR", raising=False)
        width = 60  # what the terminal would be: piped output does not care
    else:
        monkeypatch.delenv("_TYPER_FORCE_DISABLE_TERMINAL", raising=False)
        monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERMINAL_WIDTH", str(width))
    monkeypatch.setenv("COLUMNS", str(width))
    return cli.ok(*args).stdout


@pytest.mark.parametrize("screen", SCREENS)
def test_every_amount_date_and_id_of_the_json_is_whole_at_any_width_and_piped_one_line_each(
        cli, demo, monkeypatch, subtests, screen):
    args = SCREENS[screen](demo)
    data = cli.json(*args)
    wanted = set().union(*by_record(screen, data))
    assert wanted, "the demo gives this screen something to show"
    for width in WIDTHS:
        with subtests.test(width=width):
            out = drawn(cli, monkeypatch, args, width)
            assert "\x1b[" not in out
            assert max(len(line) for line in out.splitlines()) <= width
            assert sorted(t for t in wanted if not whole(t, out)) == []
    with subtests.test(width="piped"):
        piped_is_one_line_per_record(screen, data, drawn(cli, monkeypatch, args, None))


def piped_lines(screen: str, data: Any) -> int | None:
    """How many non-blank lines the piped screen has: its records, one line each, and
    its titles, headers and notes (None: checked by blocks, ``asset show``)."""
    if screen == "status":  # and the completeness line
        return sum(2 + len(rows) for rows in data["sections"].values() if rows) + 1
    if screen == "bench":
        return 2 + len(data["metrics"]) + (2 + len(data["goals"]) if data["goals"] else 0)
    if screen == "report spend":
        return 2 + len(data["rows"]) + len(data["totals"]) + bool(data["partial"])
    if screen == "report cashflow":
        return 2 + len(data) + any(r["partial"] for r in data)
    if screen == "budget status":
        return 2 + len(data["budgets"])
    if screen in ("remind list", "task list"):
        return 1 + len(data)
    return None


def piped_is_one_line_per_record(screen: str, data: Any, out: str) -> None:
    lines = [line for line in out.splitlines() if line.strip()]
    assert "\x1b[" not in out
    for record in by_record(screen, data):
        assert record == set() or any(all(whole(t, line) for t in record) for line in lines)
    expected = piped_lines(screen, data)
    if expected is not None:
        assert len(lines) == expected, out
    else:  # asset show: a field per line, then each table: heading, header, its rows
        blocks = out.strip().split("\n\n")
        assert not any(line.startswith(" ") for line in blocks[0].splitlines())
        sizes = {"Parts": "children", "Log": "log", "Files": "attachments",
                 "Loans": "loans", "Cost so far": "totals", "Links": "links"}
        for block in blocks[1:]:
            heading, *rest = block.splitlines()
            if heading.startswith("Why ("):  # repair or replace: a line per reason
                assert len(rest) == len(data["advice"]["reasons"]), block
                continue
            rows = [data["advice"]] if heading == "Repair or replace" else data[sizes[heading]]
            if heading == "Links":  # the web page is a field of its own, not a row
                rows = [r for r in rows if r["id"] is not None]
            assert len(rest) == 1 + len(rows), block


def test_status_colours_state_on_a_terminal_only_and_names_each_budgets_period(
        cli, demo, monkeypatch):
    plain = drawn(cli, monkeypatch, ["status"], 80)  # a terminal; then with colour:
    home = next(line for line in plain.splitlines() if " home " in line)
    assert "year" in home and "18,000.00" in home
    monkeypatch.delenv("NO_COLOR")
    out = cli.ok("status").stdout
    groceries = next(line for line in out.splitlines() if "groceries" in line
                     and " over" in line)
    assert "\x1b[1;31m" in groceries  # over budget
    assert any("\x1b[1;31m" in line and "overdue" in line for line in out.splitlines())
    worse = next(line for line in cli.ok("bench").stdout.splitlines() if "worse" in line)
    assert "\x1b[31m" in worse
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in cli.ok("status").stdout
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("_TYPER_FORCE_DISABLE_TERMINAL", "1")
    monkeypatch.delenv("FORCE_COLOR")
    assert "\x1b[" not in cli.ok("status").stdout


def test_asset_show_heads_every_column_and_gives_a_size_its_unit(cli, demo, monkeypatch):
    out = drawn(cli, monkeypatch, ["asset", "show", demo["asset"]], 100)
    loans = out.split("Loans\n")[1].splitlines()[0]
    assert loans.split() == ["ID", "DIRECTION", "PERSON", "SINCE", "DUE", "RETURNED", "STATE"]
    assert "1.2 MB" in out and "12,345 h" in out and "1,234.50 EUR" in out


@given(st.decimals(min_value=-10**12, max_value=10**12, places=2, allow_nan=False))
def test_grouped_amounts_read_back_as_the_amount(value):
    shown = grouped(str(value))
    assert Decimal(shown.replace(",", "")) == value
    whole_part = shown.lstrip("-").split(".")[0]
    assert all(len(g) == 3 for g in whole_part.split(",")[1:])
    assert 1 <= len(whole_part.split(",")[0]) <= 3


@pytest.mark.parametrize(("n", "shown"), [(0, "0 B"), (999, "999 B"), (1000, "1.0 kB"),
                                          (1_234_567, "1.2 MB"), (999_960, "1.0 MB"),
                                          (5 * 10**12, "5.0 TB")])
def test_a_size_has_its_unit(n, shown):
    assert size(n) == shown


@pytest.mark.parametrize("args", [["--help"], ["asset", "--help"], ["bench", "--help"],
                                  ["report", "--help"]])
def test_help_lists_each_commands_description_whole(cli, args):
    from stuffctl.cli import data
    from stuffctl.cli.tree import first_paragraph

    out = cli.ok(*args).stdout.split("Commands:")[1]
    assert "..." not in out
    if args == ["--help"]:
        assert first_paragraph(data.find.__doc__) in " ".join(out.split())
