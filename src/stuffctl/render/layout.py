"""The table engine: fit columns to a width, then write lines directly (no Rich Table).

``render.table`` and ``render.emit_list`` are the way in; this module is how they work.

Fitting (a terminal, ``width`` known). Every column is as wide as its widest cell; when
the row is wider than the screen:

1. columns with nothing in them are left out;
2. text columns (titles, payees, memos: ``Column.kind`` "text") shrink, cut with an
   ellipsis, down to their floor (``Column.min_width``, else ``MIN_TEXT`` or the header),
   those of lower priority first;
   ids, numbers, money, dates and words (every other kind) are never cut or split;
3. if the floors do not fit either, the least valuable column goes (lowest
   ``Column.priority``, the rightmost of equals; never a ``KEEP`` column, nor the first
   column when none is marked ``KEEP``), and 2 is tried again; columns of priority 0
   go before any text is cut (they are shown only when everything fits whole);
4. with only the kept columns left, their text may shrink further, to ``MIN_HARD``;
5. when even that does not fit, each record becomes a block of ``HEADER  value`` lines
   (the stacked layout), text values cut to the width.

Piped (``width`` None): nothing is cut, dropped or wrapped; one line per record after
the header line, columns aligned however wide they get.

Cells are stringified once (``Column.show`` or ``render.plain``), with controls, tabs
and newlines shown escaped (``render.safe``), so a record is always one line and text
from the database is never read as markup. Widths are ``len`` for ASCII and
``rich.cells.cell_len`` only for the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from stuffctl.render import theme

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.measure import Measurement

    from stuffctl.render import Column

GAP = 2
MIN_TEXT = 10
MIN_HARD = 8
KEEP = 9
ELLIPSIS = "…"
FIXED = frozenset({"id", "number", "money", "date", "word"})
_ESCAPES = str.maketrans({"\n": "\\n", "\t": "\\t"})


def width_of(text: str) -> int:
    """Cells ``text`` takes on a terminal (wide characters count two)."""
    if text.isascii():
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def cell_text(value: str) -> str:
    """A cell as one line: tabs, newlines and every other control shown escaped."""
    if value.isascii() and value.isprintable():
        return value
    from stuffctl.render import safe

    return safe(value.translate(_ESCAPES))


def cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` cells: whole, or cut with an ellipsis."""
    if width_of(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:width]
    if text.isascii():
        return text[: width - 1] + ELLIPSIS
    from rich.cells import set_cell_size

    return set_cell_size(text, width - 1).rstrip() + ELLIPSIS


def pad(text: str, width: int, right: bool) -> str:
    """``text`` (at most ``width`` cells) padded to exactly ``width`` cells."""
    fill = " " * (width - width_of(text))
    return fill + text if right else text + fill


def is_fixed(column: Column) -> bool:
    """Whether a column's cells are never cut: ids, numbers, money, dates, words. A column
    without a ``kind`` is a number when right-aligned, a date when shown by ``render.day``."""
    if column.kind is not None:
        return column.kind in FIXED
    from stuffctl.render import day

    return column.justify == "right" or column.show is day


@dataclass
class Plan:
    """What a table shows: the columns (indexes) and their widths, or a stacked layout."""

    shown: list[int]
    widths: list[int]
    stacked: bool = False

    @property
    def total(self) -> int:
        return sum(self.widths) + GAP * max(len(self.widths) - 1, 0)


def fit(columns: Sequence[Column], natural: list[int], empty: list[bool],
        width: int | None) -> Plan:
    """Which columns to show and how wide, for ``width`` cells (None: no limit)."""
    heads = [width_of(c.header) for c in columns]
    full = [max(n, h) for n, h in zip(natural, heads, strict=True)]
    every = list(range(len(columns)))
    if width is None or _total(full, every) <= width:
        return Plan(every, [full[i] for i in every])
    shown = [i for i in every if not empty[i]] or every[:1]
    keep = {i for i in shown if columns[i].priority >= KEEP} or {shown[0]}
    droppable = sorted((i for i in shown if i not in keep),
                       key=lambda i: (columns[i].priority, -i))
    fixed = [is_fixed(c) for c in columns]
    ranks = [c.priority for c in columns]
    floors = [full[i] if fixed[i] else min(full[i], max(c.min_width or max(heads[i], MIN_TEXT),
                                                          2)) for i, c in enumerate(columns)]
    optional = [i for i in droppable if columns[i].priority <= 0]
    for k in range(1, len(optional) + 1):  # priority 0: gone before any text is cut
        cols = [i for i in shown if i not in optional[:k]]
        if _total(full, cols) <= width:
            return Plan(cols, [full[i] for i in cols])
    for k in range(len(optional), len(droppable) + 1):
        gone = set(droppable[:k])
        plan = _fitted([i for i in shown if i not in gone], full, floors, ranks, width)
        if plan is not None:
            return plan
    hard = [full[i] if fixed[i] else min(full[i], MIN_HARD) for i in range(len(columns))]
    plan = _fitted([i for i in shown if i in keep], full, hard, ranks, width)
    return plan or Plan(shown, [full[i] for i in shown], stacked=True)


def _fitted(cols: list[int], full: list[int], floors: list[int], ranks: list[int],
            width: int) -> Plan | None:
    """``cols`` at their full widths, else shrunk toward ``floors``; None if they do not fit."""
    if _total(full, cols) <= width:
        return Plan(cols, [full[i] for i in cols])
    if _total(floors, cols) <= width:
        room = width - GAP * max(len(cols) - 1, 0)
        return Plan(cols, _shrink(cols, full, floors, ranks, room))
    return None


def _total(widths: list[int], cols: list[int]) -> int:
    return sum(widths[i] for i in cols) + GAP * max(len(cols) - 1, 0)


def _shrink(cols: list[int], full: list[int], floors: list[int], ranks: list[int],
            room: int) -> list[int]:
    """Widths that fill ``room``: text of lower priority gives way first (of equal
    priority, the widest first), none below its floor."""
    widths = {i: full[i] for i in cols}
    excess = sum(widths.values()) - room
    for rank in sorted({ranks[i] for i in cols}):
        group = [i for i in cols if ranks[i] == rank and floors[i] < full[i]]
        if excess <= 0 or not group:
            continue
        give = min(excess, sum(full[i] - floors[i] for i in group))
        widths.update(_level(group, full, floors, sum(full[i] for i in group) - give))
        excess -= give
    return [widths[i] for i in cols]


def _level(group: list[int], full: list[int], floors: list[int], target: int
           ) -> dict[int, int]:
    """Widths of ``group`` that add up to ``target``: the widest are cut to a common cap."""
    def used(cap: int) -> int:
        return sum(min(full[i], max(floors[i], cap)) for i in group)

    lo, hi = 0, max(full[i] for i in group)
    while lo < hi:  # the largest cap that fits
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if used(mid) <= target else (lo, mid - 1)
    widths = {i: min(full[i], max(floors[i], lo)) for i in group}
    spare = target - sum(widths.values())
    for i in group:  # what is left goes to the leftmost columns that were cut
        if spare <= 0:
            break
        if widths[i] < full[i]:
            widths[i] += 1
            spare -= 1
    return widths


@dataclass
class Grid:
    """A table of already-stringified cells: written as lines (``lines``) or, inside a
    Rich screen, rendered at the width Rich gives it (``__rich_console__``)."""

    columns: list[Column]
    cells: list[list[str]]
    states: list[str | None]
    cell_states: list[list[str | None]] | None
    title: str | None = None
    footer: list[str] | None = None

    @classmethod
    def of(cls, rows: Iterable[dict[str, Any]], columns: Sequence[Column], *,
           title: str | None = None, footer: dict[str, str] | None = None) -> Grid:
        from stuffctl.render import plain

        cols = list(columns)
        pairs = [(c.key, c.show) for c in cols]
        row_states = [c.state for c in cols if c.state is not None and c.row_state]
        marked = [(j, c.state) for j, c in enumerate(cols) if c.state is not None
                  and not c.row_state]
        cells: list[list[str]] = []
        states: list[str | None] = []
        cell_states: list[list[str | None]] | None = [] if marked else None
        for row in rows:
            line = []
            for key, show in pairs:
                v = row.get(key)
                if show is not None:
                    v = show(v)
                if v.__class__ is str:  # plain(), inlined for the common cases
                    s = v if v.isascii() and v.isprintable() else cell_text(v)
                elif v is None:
                    s = ""
                elif v.__class__ is int:
                    s = str(v)
                else:
                    s = cell_text(plain(v))
                line.append(s)
            cells.append(line)
            if row_states:
                states.append(next((m for f in row_states if (m := f(row))), None))
            else:
                states.append(None)
            if cell_states is not None:
                marks: list[str | None] = [None] * len(cols)
                for j, f in marked:
                    marks[j] = f(row)
                cell_states.append(marks)
        foot = [cell_text(str((footer or {}).get(c.key, ""))) for c in cols] if footer else None
        return cls(cols, cells, states, cell_states, cell_text(title) if title else None, foot)

    def plan(self, width: int | None) -> Plan:
        n = len(self.columns)
        rows = self.cells + ([self.footer] if self.footer else [])
        natural, empty = [0] * n, [True] * n
        for j in range(n):
            col = [r[j] for r in rows]
            if "".join(col).isascii():
                natural[j] = max(map(len, col), default=0)
            else:
                natural[j] = max(map(width_of, col), default=0)
            empty[j] = natural[j] == 0
        return fit(self.columns, natural, empty, width)

    def pieces(self, width: int | None, *, terminal: bool
               ) -> Iterator[list[tuple[str, str | None]]]:
        """Each line as (text, state) pieces: header, rule (terminal), rows, footer."""
        plan = self.plan(width)
        if plan.stacked:
            yield from self._stacked(plan, width or plan.total)
            return
        total = plan.total
        if self.title:
            title = self.title if width is None else cut(self.title, width)
            yield [(" " * max((total - width_of(title)) // 2, 0) + title, "title")]
        right = [self.columns[i].justify == "right" for i in plan.shown]
        heads = [cut(self.columns[i].header, w) for i, w in zip(plan.shown, plan.widths,
                                                              strict=True)]
        yield [(self._join(heads, plan, right), "header" if terminal else None)]
        if terminal:
            yield [("─" * total, None)]
        simple = self._simple(plan)
        marks = self.cell_states
        for r, row in enumerate(self.cells):
            if simple is not None and (marks is None or not any(marks[r])):
                yield [(simple.format(*[row[i] for i in plan.shown]).rstrip(), self.states[r])]
            else:
                yield self._row(row, plan, right, self.states[r],
                                marks[r] if marks is not None else None)
        if self.footer:
            yield [(self._join([cut(self.footer[i], w) for i, w in zip(
                plan.shown, plan.widths, strict=True)], plan, right), "header" if terminal
                else None)]

    def _simple(self, plan: Plan) -> str | None:
        """A format string for rows whose shown cells are all ASCII and fit uncut."""
        parts = []
        for i, w in zip(plan.shown, plan.widths, strict=True):
            col = [r[i] for r in self.cells]
            if not "".join(col).isascii() or max(map(len, col), default=0) > w:
                return None
            parts.append(f"{{:{'>' if self.columns[i].justify == 'right' else '<'}{w}}}")
        return (" " * GAP).join(parts)

    def _join(self, texts: list[str], plan: Plan, right: list[bool]) -> str:
        return (" " * GAP).join(pad(t, w, r) for t, w, r in zip(
            texts, plan.widths, right, strict=True)).rstrip()

    def _row(self, row: list[str], plan: Plan, right: list[bool], state: str | None,
             marks: list[str | None] | None) -> list[tuple[str, str | None]]:
        out: list[tuple[str, str | None]] = []

        def add(text: str, style: str | None) -> None:
            if out and out[-1][1] == style:
                out[-1] = (out[-1][0] + text, style)
            else:
                out.append((text, style))

        for n, (i, w) in enumerate(zip(plan.shown, plan.widths, strict=True)):
            if n:
                add(" " * GAP, state)
            add(pad(cut(row[i], w), w, right[n]), (marks[i] if marks else None) or state)
        while out and not out[-1][0].rstrip():
            out.pop()
        if out:
            out[-1] = (out[-1][0].rstrip(), out[-1][1])
        return out

    def _stacked(self, plan: Plan, width: int) -> Iterator[list[tuple[str, str | None]]]:
        cols = [self.columns[i] for i in plan.shown]
        label = min(max(width_of(c.header) for c in cols), max(width // 3, 1))
        room = max(width - label - GAP, 1)
        fixed = [is_fixed(c) for c in cols]
        if self.title:
            yield [(cut(self.title, width), "title")]
        records = [(row, self.states[r]) for r, row in enumerate(self.cells)]
        if self.footer:
            records.append((self.footer, None))
        for r, (row, state) in enumerate(records):
            if r:
                yield [("", None)]
            for n, i in enumerate(plan.shown):
                if not row[i]:
                    continue
                head = pad(cut(cols[n].header, label), label, False)
                value = row[i] if fixed[n] else cut(row[i], room)
                yield [(head + " " * GAP, "header"), (value, state)]

    # -- output ---------------------------------------------------------------------------

    def lines(self, width: int | None, *, terminal: bool, colour: bool) -> Iterator[str]:
        """The table as text lines, with ANSI codes when ``colour``."""
        for parts in self.pieces(width, terminal=terminal):
            if not colour:
                yield "".join(text for text, _ in parts)
            else:
                yield "".join(theme.paint(text, state) for text, state in parts)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.segment import Segment
        from rich.style import Style

        terminal = options.is_terminal
        styles: dict[str | None, Style | None] = {None: None}
        newline = Segment.line()
        for parts in self.pieces(options.max_width if terminal else None, terminal=terminal):
            for text, state in parts:
                if state not in styles:
                    spec = theme.style(state)
                    styles[state] = Style.parse(spec) if spec else None
                yield Segment(text, styles[state])
            yield newline

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        from rich.measure import Measurement

        plan = self.plan(None)
        return Measurement(min(plan.total, options.max_width), plan.total)
