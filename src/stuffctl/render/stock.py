"""How consumables look: `stock list`, `stock show`, `stuffctl shopping` (by vendor), and
the line a change of stock prints."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stuffctl.render import KEEP, Column, day, group, plain, safe, table, text

if TYPE_CHECKING:
    from rich.console import RenderableType

# an item's status as a theme state: out like something overdue, low like something soon
STATES = {"out": "overdue", "low": "soon"}


def _state(row: dict[str, Any]) -> str | None:
    return STATES.get(row.get("status") or "")


LIST_COLUMNS = [
    Column("ID", "id", justify="right", kind="id", priority=KEEP),
    Column("NAME", "name", priority=KEEP, min_width=14),
    Column("QTY", "quantity", justify="right", kind="number", priority=KEEP),
    Column("UNIT", "unit", kind="word", priority=3),
    Column("REORDER", "reorder", justify="right", kind="number", priority=1),
    Column("PER WEEK", "per_week", justify="right", kind="number", priority=1),
    Column("PER MONTH", "per_month", justify="right", kind="number", priority=2),
    Column("RUNS OUT", "runs_out_on", show=day, kind="date", priority=2),
    Column("STATUS", "status", kind="word", priority=KEEP, state=_state, row_state=True),
]
CSV_COLUMNS = [Column("", k) for k in (
    "id", "name", "unit", "quantity", "reorder", "buy", "lead_days", "per_week", "per_month",
    "runs_out_on", "low_on", "status", "asset_id", "asset_name", "category", "vendor",
    "notes", "uid")]
MOVE_COLUMNS = [
    Column("DATE", "on", show=day, kind="date", priority=KEEP),
    Column("KIND", "kind", kind="word", priority=KEEP),
    Column("CHANGE", "delta", justify="right", kind="number", priority=KEEP),
    Column("TXN", "txn_id", justify="right", kind="id", priority=1),
    Column("NOTES", "notes", priority=1, min_width=12),
]
ITEM_FIELDS = [
    ("Quantity", "quantity_shown"), ("Status", "status"), ("Reorder at", "reorder"),
    ("Usually buy", "buy"), ("Lead time (days)", "lead_days"), ("Per week", "per_week"),
    ("Per month", "per_month"), ("Low on", "low_on"), ("Runs out", "runs_out_on"),
    ("For", "asset_name"), ("Category", "category"), ("Vendor", "vendor"),
    ("Notes", "notes"),
]
SHOPPING_COLUMNS = [
    Column("ID", "item_id", justify="right", kind="id", priority=KEEP),
    Column("NAME", "name", priority=KEEP, min_width=14),
    Column("BUY", "to_buy_shown", justify="right", kind="number", priority=KEEP),
    Column("HAVE", "quantity", justify="right", kind="number", priority=2),
    Column("LOW ON", "low_on", show=day, kind="date", priority=1),
    Column("RUNS OUT", "runs_out_on", show=day, kind="date", priority=0),
    Column("LAST PRICE", "last_price", justify="right", kind="money", priority=1,
           show=lambda v: f"{plain(v)} each" if v else ""),
    Column("STATUS", "status", kind="word", priority=KEEP, state=_state, row_state=True),
]
SHOPPING_CSV = [Column("", k) for k in (
    "item_id", "name", "unit", "quantity", "status", "low_on", "runs_out_on", "to_buy",
    "vendor", "category", "asset_id", "last_price", "last_bought_on", "estimate")]


def amount(quantity: str | None, unit: str | None) -> str:
    """``1.5 kg``; ``2`` for an item without a unit."""
    shown = plain(quantity) or "0"
    return f"{shown} {plain(unit)}" if unit else shown


def item_view(data: dict[str, Any]) -> RenderableType:
    """`stock show`: the item's fields, then its moves, oldest first."""
    from stuffctl.render.views import fields_table, heading, shown_fields

    shown = {**data, "quantity_shown": amount(data["quantity"], data["unit"])}
    parts: list[RenderableType] = [
        text(f"Stock item {data['id']}: {plain(data['name'])}", style="bold"),
        fields_table(shown_fields(shown, ITEM_FIELDS)),
    ]
    if data["moves"]:
        parts += ["", heading("Moves"), table(data["moves"], MOVE_COLUMNS)]
    return group(*parts)


def change_line(verb: str, data: dict[str, Any]) -> str:
    """What a write did: ``used 1 of wiper blades: 1 left (low, runs out ~2026-12-12)``."""
    left = amount(data["quantity"], data["unit"])
    about = [data["status"]] if data["status"] != "ok" else []
    if data["runs_out_on"]:
        about.append(f"runs out ~{day(data['runs_out_on'])}")
    tail = f" ({', '.join(about)})" if about else ""
    return f"{verb} {safe(data['name'])} (stock item {data['id']}): {left} left{tail}"


def write_shopping(rows: list[dict[str, Any]]) -> None:
    """The shopping list as one table per vendor ("Anywhere" last, for none), each line
    with what to buy shown with its unit."""
    import sys

    from stuffctl.render import write_table

    found: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        found.setdefault(row["vendor"] or "", []).append(
            {**row, "to_buy_shown": amount(row["to_buy"], row["unit"])})
    for n, (vendor, lines) in enumerate(found.items()):
        if n:
            sys.stdout.write("\n")
        write_table(lines, SHOPPING_COLUMNS, title=vendor or "Anywhere")
    sys.stdout.flush()
