"""Incidents and playbooks for people: the listings' columns, `incident show`, `playbook
show`, and the playbooks offered when an incident is opened (`asset incident`). Rich is
imported only when a view is drawn: a JSON or CSV listing does not pay for it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stuffctl.render import KEEP, Column, day, group, plain, text
from stuffctl.render.screen import Split, money

if TYPE_CHECKING:
    from rich.console import RenderableType


def costs(value: list[dict[str, str]] | None) -> str:
    """What an incident cost, per currency: ``45.00 EUR, 3,000 JPY``."""
    return ", ".join(money(m) for m in value or [])


def costs_csv(value: list[dict[str, str]] | None) -> str:
    """The same in a CSV cell: ``45.00 EUR;3000 JPY`` (plain decimals)."""
    return ";".join(f"{m['amount']} {m['currency']}" for m in value or [])


def days(value: int | None) -> str:
    return "" if not value else f"{value}d"


def _down(row: dict[str, Any]) -> str | None:
    return "overdue" if row.get("out_of_use") and not row.get("closed") else None


INCIDENT_COLUMNS = [
    Column("ID", "id", justify="right", kind="id", priority=KEEP),
    Column("ASSET", "asset_name", priority=KEEP, min_width=10),
    Column("SYMPTOM", "symptom", priority=KEEP, min_width=12),
    Column("STARTED", "started_on", show=day, kind="date", priority=5),
    Column("STATUS", "status", kind="word", priority=KEEP),
    Column("DOWN", "downtime_days", show=days, justify="right", kind="number", priority=4,
           state=_down),
    Column("COST", "cost", show=costs, justify="right", kind="money", priority=3),
    Column("CLOSED", "closed_on", show=day, kind="date", priority=2),
]
INCIDENT_CSV = [Column("", key, csv=costs_csv if key == "cost" else None) for key in (
    "id", "uid", "asset_id", "asset_name", "symptom", "started_on", "status", "closed_on",
    "cause", "fix", "notes", "out_of_use", "downtime_days", "cost")]


def kept_for(data: dict[str, Any]) -> str:
    """What a playbook is for: ``Bosch SMS4 (home:kitchen)``, or its category alone."""
    model = " ".join(plain(v) for v in (data.get("brand"), data.get("model")) if v)
    category = plain(data.get("category"))
    if model and category:
        return f"{model} ({category})"
    return model or category


PLAYBOOK_COLUMNS = [
    Column("ID", "id", justify="right", kind="id", priority=KEEP),
    Column("FOR", "for", priority=KEEP, min_width=10),
    Column("SYMPTOM", "symptom", priority=KEEP, min_width=12),
    Column("FIX", "fix", priority=3, min_width=12),
    Column("ORIGIN", "origin", priority=1),
]
PLAYBOOK_CSV = [Column("", key, csv=(lambda v: "\n".join(v)) if key == "steps" else None)
                for key in ("id", "uid", "brand", "model", "category", "symptom", "cause",
                            "fix", "steps", "incident_id", "origin")]


def playbook_rows(rows: Any) -> Any:
    """Playbooks as PLAYBOOK_COLUMNS show them (FOR: ``kept_for``), streamed."""
    return ({**row, "for": kept_for(row)} for row in rows)


def _helped(value: bool | None) -> str:
    return {None: "", True: "helped", False: "did not help"}[value]


STEP_COLUMNS = [
    Column("DATE", "on", show=day, kind="date", priority=KEEP),
    Column("HELPED", "helped", show=_helped, kind="word", priority=KEEP),
    Column("STEP", "notes", priority=KEEP, min_width=12),
]
TXN_COLUMNS = [
    Column("ID", "id", justify="right", kind="id", priority=KEEP),
    Column("DATE", "on", show=day, kind="date", priority=KEEP),
    Column("AMOUNT", "amount", show=money, justify="right", kind="money", priority=KEEP),
    Column("PAYEE", "payee", priority=3, min_width=10),
    Column("CATEGORY", "category", priority=2),
]
LINK_COLUMNS = [
    Column("ID", "id", justify="right", kind="id", priority=KEEP),
    Column("KIND", "kind", kind="word", priority=KEEP),
    Column("TITLE", "title", priority=2, min_width=10),
    Column("URL", "url", priority=KEEP, min_width=16),
]


def downtime(data: dict[str, Any]) -> str:
    """``12 days (out of use since it started)``, ``3 days (given)``, or ""."""
    n = data["downtime_days"]
    if data["downtime_given"]:
        return f"{n} day{'s' if n != 1 else ''} (given)"
    if not data["out_of_use"]:
        return ""
    until = "until it was closed" if data["closed"] else "so far"
    return f"{n} day{'s' if n != 1 else ''} out of use {until}"


def _incident_fields(data: dict[str, Any]) -> list[tuple[str, Any]]:
    return [("Asset", f"{data['asset_id']} ({plain(data['asset_name'])})"),
            ("Status", data["status"].replace("_", " ")), ("Started", day(data["started_on"])),
            ("Closed", day(data["closed_on"])), ("Downtime", downtime(data)),
            ("Cost", costs(data["cost"])), ("Cause", data["cause"]), ("Fix", data["fix"]),
            ("Notes", data["notes"])]


def incident_view(data: dict[str, Any]) -> RenderableType:
    """`incident show` (and what `incident update|close` changed)."""
    from stuffctl.render.views import FILE_COLUMNS, fields_table, heading

    parts: list[RenderableType] = [
        text(f"Incident {data['id']}: {plain(data['symptom'])}", style="bold"),
        fields_table(_incident_fields(data)),
    ]
    if data["steps"]:
        parts += ["", heading("Steps tried"), Split(data["steps"], STEP_COLUMNS)]
    if data["transactions"]:
        parts += ["", heading("What it cost"), Split(data["transactions"], TXN_COLUMNS)]
    if data["attachments"]:
        parts += ["", heading("Files"), Split(data["attachments"], FILE_COLUMNS, keys=2)]
    if data["links"]:
        parts += ["", heading("Links"), Split(data["links"], LINK_COLUMNS)]
    if data.get("saved_playbook"):
        parts += ["", text(f"kept as playbook {data['saved_playbook']['id']} for "
                           f"{kept_for(data['saved_playbook'])}")]
    if data["playbooks"]:
        parts += ["", offers_view(data["playbooks"])]
    return group(*parts)


def opened_view(data: dict[str, Any]) -> RenderableType:
    """`asset incident`: the incident opened, and the playbooks offered for it."""
    down = " (out of use)" if data["out_of_use"] else ""
    parts: list[RenderableType] = [text(
        f"opened incident {data['id']} on asset {data['asset_id']} "
        f"({plain(data['asset_name'])}): {plain(data['symptom'])}{down}")]
    if data["playbooks"]:
        parts += ["", offers_view(data["playbooks"])]
    return group(*parts)


def offers_view(offers: list[dict[str, Any]]) -> RenderableType:
    """Playbooks offered: "seen before" with the cause, fix and steps of each."""
    from stuffctl.render.views import fields_table, heading

    count = len(offers)
    parts: list[RenderableType] = [heading(
        f"Seen before: {count} playbook{'s' if count != 1 else ''} for this "
        f"{'model' if offers[0]['matched_by'] == 'model' else 'kind of thing'}")]
    for offer in offers:
        how = "same model" if offer["matched_by"] == "model" else "same category"
        shared = (f"; shares {', '.join(plain(w) for w in offer['shared_words'])}"
                  if offer["shared_words"] else "")
        origin = f"; from {plain(offer['origin'])}" if offer["origin"] else ""
        parts += ["", text(f"playbook {offer['id']}: {plain(offer['symptom'])} "
                           f"({kept_for(offer)}, {how}{shared}{origin})", style="bold"),
                  fields_table([("Cause", offer["cause"]), ("Fix", offer["fix"])]),
                  *steps_lines(offer["steps"])]
    return group(*parts)


def steps_lines(steps: list[str]) -> list[RenderableType]:
    """A playbook's steps, numbered, one line each."""
    if not steps:
        return []
    return [text("Steps"), *(text(f"  {n}. {plain(s)}") for n, s in enumerate(steps, 1))]


def playbook_view(data: dict[str, Any]) -> RenderableType:
    """`playbook show`, `add`, `edit`."""
    from stuffctl.render.views import fields_table

    saved = (f"incident {data['incident_id']}" if data["incident_id"] is not None else None)
    return group(
        text(f"Playbook {data['id']}: {plain(data['symptom'])}", style="bold"),
        fields_table([("For", kept_for(data)), ("Cause", data["cause"]),
                      ("Fix", data["fix"]), ("Saved from", saved),
                      ("Origin", data["origin"])]),
        *steps_lines(data["steps"]))
