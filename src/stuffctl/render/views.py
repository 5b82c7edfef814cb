"""Human views of one thing (``asset show``, ``db info``), built from the JSON shapes."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table

from stuffctl.render import Column, day, plain, table, text

ASSET_FIELDS = [
    ("Category", "category"), ("Location", "location"), ("Status", "status"),
    ("Tags", "tags"), ("Brand", "brand"), ("Model", "model"), ("Serial", "serial"),
    ("Bought", "purchased_on"), ("Price", "price"), ("Vendor", "vendor"),
    ("Warranty until", "warranty_until"), ("Expected life (months)", "life_months"),
    ("Part of", "parent_id"), ("Retired", "retired_on"), ("Sold for", "sold_for"),
    ("Notes", "notes"), ("Web page", "url"),
]
DATES = frozenset({"purchased_on", "warranty_until", "retired_on", "start_on", "due_on",
                   "done_on", "on", "next_on", "cancel_by", "started_on"})


def shown_fields(data: dict[str, Any], fields: list[tuple[str, str]]) -> list[tuple[str, Any]]:
    """(label, value) of each field of a view, dates as the person wants them shown."""
    return [(label, day(data.get(key)) if key in DATES else data.get(key))
            for label, key in fields]


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
        fields_table(shown_fields(data, ASSET_FIELDS)
                     + _loan_fields(data) + [(k, v) for k, v in data["fields"].items()]),
    ]
    if data["children"]:
        parts += ["", heading("Parts"), table(data["children"], [
            Column("ID", "id", justify="right"), Column("NAME", "name"),
            Column("STATUS", "status")])]
    if data["log"]:
        parts += ["", heading("Log"), table(data["log"], [
            Column("DATE", "on", show=day), Column("KIND", "kind"),
            Column("COST", "cost", justify="right"),
            Column("METER", "meter", show=lambda v: "" if v is None else f"{v:g}",
                   justify="right"),
            Column("NOTES", "notes")])]
    if data["attachments"]:
        parts += ["", heading("Files"), table(data["attachments"], [
            Column("ID", "id", justify="right"), Column("FILE", "filename"),
            Column("SIZE", "size", justify="right")])]
    if data.get("loans"):
        parts += ["", heading("Loans"), table(data["loans"], LOAN_COLUMNS)]
    if data["totals"]:
        parts += ["", heading("Cost so far"), table(data["totals"], [
            Column("CURRENCY", "currency"), Column("PURCHASE", "purchase", justify="right"),
            Column("COSTS", "costs", justify="right"), Column("TOTAL", "total", justify="right")])]
    return Group(*parts)


LOAN_COLUMNS = [
    Column("ID", "id", justify="right"), Column("ASSET", "asset_name"),
    Column("", "direction", show=lambda v: "lent to" if v == "out" else "borrowed from"),
    Column("PERSON", "person_name"), Column("SINCE", "since", show=day),
    Column("DUE", "due_on", show=day), Column("RETURNED", "returned_on", show=day),
    Column("", "overdue", show=lambda v: "OVERDUE" if v else ""),
]


def _loan_fields(data: dict[str, Any]) -> list[tuple[str, Any]]:
    """Owner, current loan and last sighting of an asset (from ``asset show``)."""
    owner, loan = data.get("owner"), data.get("loan")
    pairs: list[tuple[str, Any]] = [("Owner", owner["name"] if owner else None)]
    if loan:
        way = "lent to" if loan["direction"] == "out" else "borrowed from"
        due = f", due {day(loan['due_on'])}" if loan["due_on"] else ""
        late = " (OVERDUE)" if loan["overdue"] else ""
        pairs.append(("On loan", f"{way} {loan['person_name']} since {day(loan['since'])}"
                                 f"{due}{late}"))
    seen = data.get("last_seen_on")
    if seen:
        where = f" at {data['last_seen_at']}" if data.get("last_seen_at") else ""
        pairs.append(("Last seen", f"{day(seen)}{where}"))
    return pairs


def person_view(data: dict[str, Any]) -> RenderableType:
    parts: list[RenderableType] = [
        text(f"Person {data['id']}: {plain(data['name'])}", style="bold"),
        fields_table([("E-mail", data["email"]), ("Phone", data["phone"]),
                      ("Notes", data["notes"])]),
    ]
    if data["owns"]:
        parts += ["", heading("Owns"), table(data["owns"], [
            Column("ID", "id", justify="right"), Column("NAME", "name")])]
    if data["loans"]:
        parts += ["", heading("Loans"), table(data["loans"], LOAN_COLUMNS)]
    if "channels" in data:
        parts += ["", notify_view({**data, "profile": data.get("notify_profile")})]
    return Group(*parts)


CHANNEL_COLUMNS = [Column("ID", "id", justify="right"), Column("SERVICE", "service"),
                   Column("CHANNEL", "channel")]


def notify_view(data: dict[str, Any]) -> RenderableType:
    """How a person is notified: channels (masked) and profile."""
    profile = data.get("profile")
    if profile is None:
        hears = [("Hears", "as the household's config says (notify.*), at once")]
    else:
        hears = [("Kinds", profile["kinds"]), ("Bands", profile["bands"]),
                 ("Digest", profile["digest"]), ("Quiet hours", profile["quiet_hours"] or "")]
    parts: list[RenderableType] = [heading("Notified on")]
    parts.append(table(data["channels"], CHANNEL_COLUMNS) if data["channels"] else
                 text("no channel: nothing is sent to them (person notify --add URL)"))
    return Group(*parts, fields_table(hears))


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
