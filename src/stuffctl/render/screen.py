"""What the main screens (`status`, `bench`, `report spend|cashflow`, `asset show`,
`budget status`) share: amounts as people read them, and tables that never hide a column.

- :func:`grouped` / :func:`money`: an amount with thousands separators (``1,245.00``,
  ``1,245.00 EUR``), the one way every screen shows money (JSON and CSV keep the plain
  decimal string).
- :func:`one_currency`: the currency of a table whose amounts are all in one, so that it
  can be named once (in the title) instead of in every cell.
- :class:`Split`: a table built with the engine (``render.table``, ``render/layout.py``)
  that, where the screen is too narrow for every column, shows the columns the engine
  would drop in a second table below (the key columns again, then those), and so on:
  no number, date or id is ever cut, split or left out. Piped, it is one table, one line
  per record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from stuffctl.render import Column

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.measure import Measurement


def grouped(amount: str | None) -> str:
    """A decimal string with thousands separators, as many digits as it has:
    ``"1245.00"`` → ``"1,245.00"``, ``"-0.50"`` → ``"-0.50"``; "" for None or ""."""
    if amount is None or amount == "":
        return ""
    try:
        return f"{Decimal(amount):,f}"
    except InvalidOperation:  # not an amount: shown as it is
        return str(amount)


def money(m: dict[str, str] | None) -> str:
    """An amount with its currency (``{"amount": "1245.00", "currency": "EUR"}`` →
    ``1,245.00 EUR``); "" for None."""
    return "" if m is None else f"{grouped(m['amount'])} {m['currency']}"


def amount(m: dict[str, str] | None) -> str:
    """An amount without its currency (the table names it once): ``1,245.00``."""
    return "" if m is None else grouped(m["amount"])


def size(n: int | None) -> str:
    """A file's size with its unit, in powers of 1000: ``812 B``, ``1.2 MB``."""
    if n is None:
        return ""
    if n < 1000:
        return f"{n} B"
    value = float(n)
    for unit in ("kB", "MB", "GB", "TB"):
        value /= 1000
        if value < 999.95 or unit == "TB":
            return f"{value:.1f} {unit}"
    raise AssertionError("unreachable")


def one_currency(rows: Iterable[dict[str, Any]], *keys: str) -> str | None:
    """The one currency of the money at ``keys`` of every row, or None when there are
    several (or none): a table in one currency names it once."""
    found = {m["currency"] for row in rows for key in keys
             if isinstance(m := row.get(key), dict) and "currency" in m}
    return found.pop() if len(found) == 1 else None


NEAR_BUDGET = 80  # percent used from which a budget is "near" (theme state near_budget)


def budget_state(row: dict[str, Any]) -> str | None:
    """A budget row's theme state (``budget status``, the status screen): over_budget
    when spent is more than the budget, near_budget from ``NEAR_BUDGET`` percent."""
    if row.get("over"):
        return "over_budget"
    percent = row.get("percent")
    return "near_budget" if percent is not None and percent >= NEAR_BUDGET else None


def continued(columns: Sequence[Column]) -> str:
    """The default title of a table that continues one above it."""
    return "continued: " + ", ".join(c.header for c in columns if c.header)


class Split:
    """Rows as one table where they fit, else as tables one below the other, each with
    the ``keys`` first columns (what a row is) and as many of the other columns as fit.

    The first table holds what the engine keeps at this width (``Column.priority``:
    the most valuable columns, in their order); each next one the columns it would have
    dropped, in their order, under the title ``more(columns)`` (a line of its own, so
    that it wraps rather than being cut). A next table leaves out rows with nothing in
    its columns (a budget column of rows without a budget).
    """

    def __init__(self, rows: Iterable[dict[str, Any]], columns: Sequence[Column], *,
                 keys: int = 1, together: Sequence[Sequence[str]] = (),
                 optional: Sequence[str] = (),
                 more: Callable[[Sequence[Column]], str] = continued) -> None:
        """``together``: keys of columns shown in one table or moved on together (an
        amount and its percentage); ``optional``: keys of columns that are only left out
        when they do not fit (a bar), never continued."""
        self.rows = list(rows)
        self.columns = list(columns)
        self.keys = keys
        self.together = [set(keys) for keys in together]
        self.optional = set(optional)
        self.more = more

    def _kept(self, shown: list[Column]) -> list[Column]:
        """``shown`` without the columns whose partners (``together``) are not shown."""
        keys = {c.key for c in shown}
        gone = set().union(*(group for group in self.together if not group <= keys))
        return [c for c in shown if c.key not in gone]

    def tables(self, width: int | None) -> list[tuple[str | None, Any]]:
        """(title, ``layout.Grid``) of each table for ``width`` cells (None: one table
        with every column, as wide as it gets). The first keeps the columns the engine
        values most; the next ones fill up in the columns' order: the first always (a
        long name may be cut for it), the others while they fit beside the names whole
        (priority 0 and below: the engine leaves them out before it cuts text)."""
        from dataclasses import replace

        from stuffctl.render.layout import Grid

        keys, rest = self.columns[:self.keys], self.columns[self.keys:]
        rows, first = self.rows, True
        found: list[tuple[str | None, Any]] = []
        while True:
            cols = keys + rest
            grid = Grid.of(rows, cols)
            plan = grid.plan(width)
            shown = self._kept([cols[i] for i in plan.shown])
            if not any(c in shown for c in rest):  # too narrow for partners side by side
                shown = [cols[i] for i in plan.shown]
            more = [c for c in rest if c in shown]
            if width is None or plan.stacked or not more:
                found.append((None if first else self.more(rest), grid))
                return found
            found.append((None if first else self.more(more), Grid.of(rows, shown)))
            rest = [replace(c, priority=1 if n == 0 else -n) for n, c in enumerate(
                c for c in rest if c not in shown and c.key not in self.optional
                and any(c.cell(r) for r in rows))]
            if not rest:
                return found
            rows = [r for r in rows if any(c.cell(r) for c in rest)]
            first = False

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.text import Text

        from stuffctl.render import theme

        width = options.max_width if options.is_terminal else None
        for title, grid in self.tables(width):
            if title is not None:
                yield Text("")
                yield Text(title, style=theme.style("title"))
            yield grid

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        from stuffctl.render.layout import Grid

        return Grid.of(self.rows, self.columns).__rich_measure__(console, options)
