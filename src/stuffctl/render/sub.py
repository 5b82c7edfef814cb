"""Human view of `sub show`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stuffctl.render import Column, day, group, plain, table, text

if TYPE_CHECKING:
    from rich.console import RenderableType

SUB_FIELDS = [
    ("Amount", "amount"), ("Every", "every"), ("Next charge", "next_on"),
    ("Status", "status"), ("Category", "category"), ("Account", "account"),
    ("Asset", "asset_id"), ("Cancel by", "cancel_by"), ("Yearly cost", "yearly"),
    ("Per month", "monthly"), ("Started", "started_on"), ("Paid so far", "paid_total"),
    ("Price change", "price_change"), ("Notes", "notes"),
]


def sub_view(data: dict[str, Any]) -> RenderableType:
    from stuffctl.render.views import fields_table, heading, shown_fields

    shown = {**data, "paid_total": data["paid_total"] or None,
             "price_change": _price_change(data["price_change"])}
    parts: list[RenderableType] = [
        text(f"Subscription {data['id']}: {plain(data['name'])}", style="bold"),
        fields_table(shown_fields(shown, SUB_FIELDS)),
    ]
    if data["charges"]:
        parts += ["", heading("Charges"), table(data["charges"], [
            Column("DUE", "due_on", show=day), Column("PAID", "paid_on", show=day),
            Column("AMOUNT", "amount", justify="right"),
            Column("ESTIMATE", "estimated"), Column("TXN", "txn_id", justify="right")])]
    return group(*parts)


def _price_change(change: dict[str, Any] | None) -> str | None:
    if change is None:
        return None
    return (f"{plain(change['from'])} → {plain(change['to'])} on {day(change['on'])}")
