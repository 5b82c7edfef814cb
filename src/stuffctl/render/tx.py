"""Human views of transactions: `tx show`, `tx list --totals` and `tx import`."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from stuffctl.render import Column, console, day, group, plain, table, text

if TYPE_CHECKING:
    from rich.console import RenderableType

TOTAL_COLUMNS = [
    Column("CURRENCY", "currency"),
    Column("COUNT", "count", justify="right"),
    Column("IN", "in", justify="right"),
    Column("OUT", "out", justify="right"),
    Column("NET", "net", justify="right"),
]
TXN_FIELDS = [
    ("Date", "on"), ("Amount", "amount"), ("Payee", "payee"), ("Category", "category"),
    ("Account", "account"), ("Memo", "memo"), ("Tags", "tags"), ("Asset", "asset"),
    ("Project", "project_id"), ("Subscription", "subscription"), ("Imported", "imported"),
]


def totals_table(rows: list[dict[str, Any]]) -> RenderableType:
    return group("", table(rows, TOTAL_COLUMNS, title="Totals"))


def not_shown(sums: list[dict[str, Any]], *, limit: int, offset: int) -> str | None:
    """The footer of a table cut at ``limit`` rows: how many matching rows it left out
    (``sums``: the listing's totals, which count every matching row)."""
    hidden = sum(s["count"] for s in sums) - offset - limit
    if hidden <= 0:
        return None
    return f"{hidden:,} more not shown (--limit 0 shows them all)"


def _linked(ident: Any, name: Any) -> str | None:
    return None if ident is None else f"{ident} ({plain(name)})" if name else str(ident)


def txn_view(data: dict[str, Any]) -> RenderableType:
    from stuffctl.render.views import fields_table, shown_fields

    shown = {**data, "asset": _linked(data["asset_id"], data.get("asset_name")),
             "subscription": _linked(data["subscription_id"], data.get("subscription_name"))}
    return group(text(f"Transaction {data['id']}", style="bold"),
                 fields_table(shown_fields(shown, TXN_FIELDS)))


def import_summary(result: dict[str, Any]) -> RenderableType:
    verb = "would add" if result["dry_run"] else "added"
    count = result["new"] if result["dry_run"] else result["added"]
    line = (f"{result['file']}: {verb} {count} of {result['rows']} row(s); "
            f"{result['duplicates']} already imported, {result['skipped']} skipped by rules")
    parts: list[RenderableType] = [text(line)]
    if result["transactions"]:
        parts.insert(0, table(result["transactions"], [
            Column("LINE", "line", justify="right"), Column("DATE", "on", show=day),
            Column("AMOUNT", "amount", justify="right"), Column("PAYEE", "payee"),
            Column("CATEGORY", "category"), Column("ACCOUNT", "account")]))
    return group(*parts)


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr when it is a terminal; None (no bar) otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress

    with Progress(console=console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update
