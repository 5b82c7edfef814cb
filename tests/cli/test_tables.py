"""Tables that fit the terminal, one line per record when piped, colour by state through
one theme (issue #23): the listings of tasks, reminders, transactions, subscriptions and
projects at 60, 80, 100 and 200 columns, and the engine itself on random cells."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from stuffctl import render
from stuffctl.render import Column, theme
from stuffctl.render.layout import Grid

WIDTHS = [60, 80, 100, 200]
LONG = "Replace the cracked tiles behind the cooker and regrout the whole splashback"
ESC = "\x1b"


def _fill(cli: Any) -> None:
    cli.ok("project", "add", "Kitchen renovation with a rather long name", "--due", "2031-06-30")
    cli.ok("project", "add", "Garden", "--due", "2020-03-01")
    cli.ok("task", "add", "1", LONG, "--due", "2020-01-01", "--priority", "H")
    cli.ok("task", "add", "1", "Order the tiles", "--due", "2031-05-01", "--tag", "shopping")
    cli.ok("task", "add", "2", "Prune the apple tree", "--due", "2030-02-15")
    cli.ok("remind", "add", "Dentist appointment, bring the insurance card and the forms",
           "--on", "2030-01-15 08:30")
    cli.ok("remind", "add", "Overdue descaling", "--on", "2020-01-15")
    # renewals are listed from a few weeks ahead: their ids are what matters here
    cli.ok("sub", "add", "Streaming service with a long marketing name", "12.99",
           "--every", "monthly", "--next", "+10d", "--cancel-by", "+5d")
    cli.ok("sub", "add", "Car insurance", "620", "--every", "yearly", "--next", "+20d")
    cli.ok("tx", "add", "--on", "2026-01-02", "--category", "home:repairs", "--memo", LONG,
           "--", "-1234.56", "Bouwmarkt Hornbach Amsterdam-Noord")
    cli.ok("tx", "add", "--on", "2026-01-03", "--", "-3.20", "Bakery")


def _refs(row: dict[str, Any]) -> str:
    return str(row["reminder_id"] if row.get("reminder_id") is not None else row["key"])


def _money(m: dict[str, str]) -> list[str]:
    return [m["amount"], m["currency"]]


# command -> what of each JSON record must appear whole in its row or block
LISTINGS: dict[tuple[str, ...], Any] = {
    ("task", "list"): lambda r: [str(r["id"]), r["due_on"]],
    ("remind", "list", "--all"): lambda r: [_refs(r), r["due"][:10],
                                            *([r["due"][11:16]] if "T" in r["due"] else [])],
    ("tx", "list"): lambda r: [str(r["id"]), r["on"], *_money(r["amount"])],
    ("sub", "list"): lambda r: [str(r["id"]), r["next_on"], *_money(r["amount"])],
    ("project", "list"): lambda r: [str(r["id"]), r["due_on"]],
}


@pytest.fixture
def on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Make stdout count as a terminal of a given width, as Rich and render do for
    FORCE_COLOR; NO_COLOR stays set unless ``colour``."""

    def to(width: int, *, colour: bool = False) -> None:
        monkeypatch.delenv("_TYPER_FORCE_DISABLE_TERMINAL", raising=False)
        monkeypatch.setenv("FORCE_COLOR", "1")
        monkeypatch.setenv("TERMINAL_WIDTH", str(width))
        monkeypatch.setenv("COLUMNS", str(width))
        if colour:
            monkeypatch.delenv("NO_COLOR", raising=False)
        else:
            monkeypatch.setenv("NO_COLOR", "1")

    return to


def _records(text: str) -> list[str]:
    """The text of each record of the first table (a listing may add totals after a
    blank line): its rows after the header and its rule, or the blocks of the stacked
    layout."""
    lines = text.rstrip("\n").split("\n")
    if len(lines) > 1 and set(lines[1]) == {"─"}:
        return lines[2:lines.index("")] if "" in lines else lines[2:]
    return text.strip("\n").split("\n\n")


def _tokens(text: str) -> set[str]:
    return set(text.split())


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("args", list(LISTINGS), ids=" ".join)
def test_every_table_fits_the_terminal_and_shows_each_id_date_and_amount_whole(
        cli, on_a_terminal, args, width):
    _fill(cli)
    data = cli.json(*args)
    assert data
    on_a_terminal(width)
    out = cli.ok(*args).stdout
    assert max(cell_len(line) for line in out.splitlines()) <= width, out
    records = _records(out)
    assert len(records) == len(data), out
    for row, shown in zip(data, records, strict=True):
        missing = [v for v in LISTINGS[args](row) if v not in _tokens(shown)]
        assert missing == [], (width, shown)


@pytest.mark.parametrize("args", list(LISTINGS), ids=" ".join)
def test_piped_tables_have_exactly_one_line_per_record_and_nothing_cut(
        cli, args, monkeypatch):
    _fill(cli)
    cli.ok("task", "add", "2", f"Two\nlines\tand a tab {LONG} {LONG}")
    cli.ok("tx", "add", "--on", "2026-01-04", "--memo", f"multi\nline {LONG}", "--", "-1",
           f"Payee {LONG}")
    monkeypatch.setenv("COLUMNS", "60")  # piped: the width does not matter
    monkeypatch.setenv("TERMINAL_WIDTH", "60")
    data = cli.json(*args)
    out = cli.ok(*args).stdout
    lines = out.splitlines()
    if "" in lines:  # tx list and sub list add their totals after a blank line
        lines = lines[:lines.index("")]
    assert len(lines) == 1 + len(data), out  # the header, then a line per record
    assert ESC not in out and "…" not in out and "─" not in out
    titles = [r.get("title") or r.get("payee") or r.get("name") for r in data]
    for title, line in zip(titles, lines[1:], strict=True):
        assert title.replace("\n", "\\n").replace("\t", "\\t") in line


def test_a_narrow_terminal_cuts_titles_with_an_ellipsis_and_drops_columns_of_least_value(
        cli, on_a_terminal):
    _fill(cli)
    on_a_terminal(60)
    out = cli.ok("task", "list").stdout
    header = out.splitlines()[0].split()
    assert header[:3] == ["ID", "PROJECT", "TITLE"] and "DUE" in header
    assert "TAGS" not in header and "STATUS" not in header
    assert "Replace the cracked" in out and LONG not in out and "…" in out
    on_a_terminal(200)
    assert LONG in cli.ok("task", "list").stdout


def test_remind_list_never_splits_a_long_id_and_shows_times_without_seconds(
        cli, on_a_terminal):
    _fill(cli)
    for width in (60, 200):
        on_a_terminal(width)
        out = cli.ok("remind", "list", "--all").stdout
        assert "renewal:subscription:1" in _tokens(out)
        assert "cancel_by:subscription:1" in _tokens(out)
        assert "2030-01-15 08:30" in out and "08:30:00" not in out


def test_when_even_the_kept_columns_do_not_fit_each_record_becomes_a_block(
        cli, on_a_terminal):
    _fill(cli)
    data = cli.json("remind", "list", "--all")
    on_a_terminal(40)
    out = cli.ok("remind", "list", "--all").stdout
    blocks = _records(out)
    assert len(blocks) == len(data)
    assert blocks[0].splitlines()[0].split() == ["ID", _refs(data[0])]
    assert all(cell_len(line) <= 40 for line in out.splitlines())


@pytest.mark.parametrize("args", list(LISTINGS), ids=" ".join)
def test_no_color_writes_no_escape_code_on_a_terminal(cli, on_a_terminal, args):
    _fill(cli)
    on_a_terminal(100)
    assert ESC not in cli.ok(*args).stdout


def _line_of(text: str, needle: str) -> str:
    (line,) = [line for line in text.splitlines() if needle in line]
    return line


def test_an_overdue_item_is_red_and_bold_on_a_colour_terminal(cli, on_a_terminal):
    _fill(cli)
    on_a_terminal(200, colour=True)
    red = "\x1b[1;31m"
    assert theme.sgr("overdue") == red
    tasks = cli.ok("task", "list").stdout
    assert _line_of(tasks, LONG).startswith(red)
    assert ESC not in _line_of(tasks, "Prune the apple tree")
    assert tasks.startswith("\x1b[1mID")  # the header is bold
    reminders = cli.ok("remind", "list", "--all").stdout
    assert _line_of(reminders, "Overdue descaling").startswith(red)
    assert ESC not in _line_of(reminders, "Dentist appointment")
    projects = cli.ok("project", "list").stdout
    assert _line_of(projects, "Garden").startswith(red)
    assert _line_of(cli.ok("task", "next").stdout, LONG).startswith(red)


def test_piped_output_has_no_colour_even_without_no_color(cli, monkeypatch):
    _fill(cli)
    monkeypatch.delenv("NO_COLOR")
    for args in LISTINGS:
        assert ESC not in cli.ok(*args).stdout


def test_a_table_in_a_panel_fits_the_panel(on_a_terminal):
    import io

    from rich.console import Console
    from rich.panel import Panel

    on_a_terminal(50)
    rows = [{"id": i, "title": LONG, "on": "2026-01-02"} for i in range(3)]
    cols = [Column("ID", "id", justify="right", priority=render.KEEP),
            Column("TITLE", "title", priority=render.KEEP), Column("ON", "on", show=render.day)]
    con = Console(file=io.StringIO(), width=50, force_terminal=True, color_system=None)
    con.print(Panel(render.table(rows, cols)))
    out = con.file.getvalue()  # type: ignore[attr-defined]
    assert all(cell_len(line) <= 50 for line in out.splitlines())
    assert out.count("2026-01-02") == 3 and "…" in out


# -- the engine, on random cells ---------------------------------------------------------

CELL = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40) | \
    st.text(st.sampled_from("東京ß\u200b\u202e\x1b\x07\n\t é👍🏽a b-c"), max_size=30)
COLUMNS = [
    Column("ID", "id", kind="id", priority=render.KEEP),
    Column("TITLE", "title", priority=render.KEEP, min_width=12),
    Column("WHEN", "on", show=render.day, priority=3),
    Column("NOTE", "note", priority=0),
    Column("AMOUNT", "amount", justify="right", priority=1),
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(titles=st.lists(st.tuples(CELL, CELL), min_size=1, max_size=6),
       width=st.integers(min_value=30, max_value=220), heading=CELL)
def test_random_cells_never_make_a_line_longer_than_the_width_nor_lose_an_id(
        titles, width, heading):
    rows = [{"id": f"k:{n}:{'x' * (n % 3)}", "title": t, "note": note, "on": "2026-03-01",
             "amount": {"amount": f"{n}.50", "currency": "EUR"}}
            for n, (t, note) in enumerate(titles)]
    grid = Grid.of(rows, COLUMNS, title=heading or None)
    shown = list(grid.lines(width, terminal=True, colour=False))
    assert all(cell_len(line) <= width for line in shown), (width, shown)
    assert not any(re.search(r"[\x00-\x1f\x7f-\x9f\u202e]", line) for line in shown)
    tokens = _tokens("\n".join(shown))
    assert all(row["id"] in tokens for row in rows)
    piped = list(grid.lines(None, terminal=False, colour=False))[1 if grid.title else 0:]
    assert len(piped) == 1 + len(rows)
    assert all(render.safe(row["title"].replace("\n", "\\n").replace("\t", "\\t"))
               in line for row, line in zip(rows, piped[1:], strict=True))
