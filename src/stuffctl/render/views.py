"""Human views of one thing (``asset show``, ``db info``), built from the JSON shapes."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table

from stuffctl.render import Column, plain, table, text

ASSET_FIELDS = [
    ("Category", "category"), ("Location", "location"), ("Status", "status"),
    ("Tags", "tags"), ("Brand", "brand"), ("Model", "model"), ("Serial", "serial"),
    ("Bought", "purchased_on"), ("Price", "price"), ("Vendor", "vendor"),
    ("Warranty until", "warranty_until"), ("Expected life (months)", "life_months"),
    ("Part of", "parent_id"), ("Retired", "retired_on"), ("Sold for", "sold_for"),
    ("Notes", "notes"),
]


def fields_table(pairs: list[tuple[str, Any]]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    for label, value in pairs:
        if value not in (None, "", [], {}):
            grid.add_row(label, text(value))
    return grid


def heading(title: str) -> RenderableType:
    return text(title, style="bold underline")


def asset_view(data: dict[str, Any]) -> RenderableType:
    parts: list[RenderableType] = [
        text(f"Asset {data['id']}: {plain(data['name'])}", style="bold"),
        fields_table([(label, data.get(key)) for label, key in ASSET_FIELDS]
                     + [(k, v) for k, v in data["fields"].items()]),
    ]
    if data["children"]:
        parts += ["", heading("Parts"), table(data["children"], [
            Column("ID", "id", justify="right"), Column("NAME", "name"),
            Column("STATUS", "status")])]
    if data["log"]:
        parts += ["", heading("Log"), table(data["log"], [
            Column("DATE", "on"), Column("KIND", "kind"), Column("COST", "cost", justify="right"),
            Column("METER", "meter", show=lambda v: "" if v is None else f"{v:g}",
                   justify="right"),
            Column("NOTES", "notes")])]
    if data["attachments"]:
        parts += ["", heading("Files"), table(data["attachments"], [
            Column("ID", "id", justify="right"), Column("FILE", "filename"),
            Column("SIZE", "size", justify="right")])]
    if data["totals"]:
        parts += ["", heading("Cost so far"), table(data["totals"], [
            Column("CURRENCY", "currency"), Column("PURCHASE", "purchase", justify="right"),
            Column("COSTS", "costs", justify="right"), Column("TOTAL", "total", justify="right")])]
    return Group(*parts)


def db_info_view(data: dict[str, Any]) -> RenderableType:
    rows = [{"table": k, "rows": v} for k, v in data["rows"].items()]
    return Group(
        fields_table([
            ("Path", data["path"]), ("Schema", data["schema_version"]),
            ("Size", f"{data['size_bytes']:,} bytes"), ("Journal", data["journal_mode"]),
        ]),
        "",
        table(rows, [Column("TABLE", "table"), Column("ROWS", "rows", justify="right")]),
    )
