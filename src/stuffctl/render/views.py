"""Human views of one thing (``asset show``, ``db info``), built from the JSON shapes."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from stuffctl.render import KEEP, Column, day, is_terminal, plain, table, text
from stuffctl.render.screen import Split, grouped, money, size

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
    """(label, value) of each field of a view, dates as the person wants them shown and
    amounts with thousands separators (``render.screen.money``)."""
    return [(label, _field(key, data.get(key))) for label, key in fields]


def _field(key: str, value: Any) -> Any:
    if key in DATES:
        return day(value)
    if isinstance(value, dict) and set(value) == {"amount", "currency"}:
        return money(value)
    return value


def fields_table(pairs: list[tuple[str, Any]]) -> RenderableType:
    """``label  value`` lines of the fields that have a value: a grid on a terminal (a
    long value wraps in its column), one line per field when piped."""
    shown = [(label, value) for label, value in pairs if value not in (None, "", [], {})]
    if not is_terminal():
        from stuffctl.render.layout import cell_text

        width = max((len(label) for label, _ in shown), default=0)
        return Group(*(Text(f"{label:<{width}}  {cell_text(plain(value))}")
                       for label, value in shown))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    for label, value in shown:
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
        parts += ["", heading("Parts"), Split(data["children"], [
            Column("ID", "id", justify="right", kind="id", priority=KEEP),
            Column("NAME", "name", priority=KEEP, min_width=12),
            Column("STATUS", "status", kind="word", priority=KEEP)], keys=2)]
    if data["log"]:
        log = [{**row, "meter_shown": _meter(row)} for row in data["log"]]
        parts += ["", heading("Log"), Split(log, LOG_COLUMNS)]
    if data["attachments"]:
        parts += ["", heading("Files"), Split(data["attachments"], FILE_COLUMNS, keys=2)]
    if links := [link for link in data.get("links", []) if link["id"] is not None]:
        parts += ["", heading("Links"), Split(links, LINK_COLUMNS, keys=2)]  # not the page
    if data.get("loans"):
        parts += ["", heading("Loans"), Split(loan_rows(data["loans"]), [
            c for c in LOAN_COLUMNS if c.key != "asset_name"])]  # this asset's own
    if data.get("incidents"):
        parts += _incident_parts(data["incidents"])
    if data["totals"]:
        parts += ["", heading("Cost so far"), Split(data["totals"], [
            Column("CURRENCY", "currency", kind="word", priority=KEEP),
            *(Column(head, key, show=grouped, justify="right", kind="money", priority=KEEP)
              for head, key in (("PURCHASE", "purchase"), ("COSTS", "costs"),
                                ("TOTAL", "total")))])]
    from stuffctl.render.report import advice_parts  # repair or replace

    parts += advice_parts(data.get("advice"))
    return Group(*parts)


def _incident_parts(incidents: dict[str, Any]) -> list[RenderableType]:
    """`asset show`'s incidents: the open ones, how many are closed, what repairs cost."""
    if not (incidents["open"] or incidents["closed"]):
        return []
    parts: list[RenderableType] = ["", heading("Incidents")]
    if incidents["open"]:
        parts.append(Split(incidents["open"], [
            Column("ID", "id", justify="right", kind="id", priority=KEEP),
            Column("SYMPTOM", "symptom", priority=KEEP, min_width=12),
            Column("STATUS", "status", kind="word", priority=KEEP),
            Column("SINCE", "started_on", show=day, kind="date", priority=KEEP),
            Column("", "out_of_use", show=lambda v: "out of use" if v else "", kind="word",
                   priority=2)]))
    cost = ", ".join(money(m) for m in incidents["repair_cost"])
    parts.append(text(f"{incidents['closed']} closed" + (f"; repairs cost {cost}" if cost
                                                          else "")))
    return parts


def _meter(row: dict[str, Any]) -> str:
    value = row.get("meter")
    if value is None:
        return ""
    unit = row.get("meter_unit")
    shown = f"{int(value):,}" if float(value).is_integer() else f"{value:,}"
    return shown + (f" {unit}" if unit else "")


LOG_COLUMNS = [
    Column("DATE", "on", show=day, kind="date", priority=KEEP),
    Column("KIND", "kind", kind="word", priority=KEEP),
    Column("COST", "cost", show=money, justify="right", kind="money", priority=KEEP),
    Column("METER", "meter_shown", justify="right", kind="number", priority=3),
    Column("NOTES", "notes", priority=2, min_width=12),
]
FILE_COLUMNS = [
    Column("ID", "id", justify="right", kind="id", priority=KEEP),
    Column("FILE", "filename", priority=KEEP, min_width=12),
    Column("SIZE", "size", show=size, justify="right", kind="number", priority=KEEP),
    Column("ADDED", "added_at", show=day, kind="date", priority=2),
]

LINK_COLUMNS = [
    Column("ID", "id", justify="right", kind="id", priority=KEEP),
    Column("KIND", "kind", kind="word", priority=KEEP),
    Column("TITLE", "title", priority=2, min_width=10),
    Column("URL", "url", priority=KEEP, min_width=20),
]


def _loan_state(row: dict[str, Any]) -> str | None:
    return "overdue" if row.get("overdue") else None


LOAN_COLUMNS = [
    Column("ID", "id", justify="right", kind="id", priority=KEEP),
    Column("ASSET", "asset_name", priority=KEEP, min_width=10),
    Column("DIRECTION", "direction",
           show=lambda v: "lent to" if v == "out" else "borrowed from", kind="word",
           priority=KEEP),
    Column("PERSON", "person_name", priority=KEEP, min_width=8),
    Column("SINCE", "since", show=day, kind="date", priority=4),
    Column("DUE", "due_on", show=day, kind="date", priority=5, state=_loan_state),
    Column("RETURNED", "returned_on", show=day, kind="date", priority=3),
    Column("STATE", "state", kind="word", priority=6, state=_loan_state),
]


def loan_rows(loans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Loans as LOAN_COLUMNS show them: STATE says overdue, open or returned."""
    return [{**loan, "state": "overdue" if loan.get("overdue") else
             "returned" if loan.get("returned_on") else "open"} for loan in loans]


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
        parts += ["", heading("Loans"), Split(loan_rows(data["loans"]), LOAN_COLUMNS)]
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
