"""Consumables: what is kept in stock (filters, ink, salt, wiper blades), and each
purchase, use and count that moved it."""

from __future__ import annotations

from datetime import date

from sqlmodel import Field

from stuffctl.models.base import Record, searched


class StockItem(Record, table=True):
    """A consumable. Quantities are integer thousandths of ``unit`` (``*_milli``):
    1.5 kg is 1500. ``quantity_milli`` is the sum of the item's moves, kept in the same
    transaction as each move and never below zero. ``reorder_milli``: running low at or
    below this; ``buy_milli``: how much one usually buys; ``lead_days``: how long buying
    takes (warn this many days before it runs out). ``asset_id``: what it is for (the
    car's wiper blades)."""

    __tablename__ = "stock_item"

    name: str = searched(..., index=True)
    unit: str | None = None
    quantity_milli: int = 0
    reorder_milli: int | None = None
    buy_milli: int | None = None
    lead_days: int | None = None
    asset_id: int | None = Field(
        default=None, foreign_key="asset.id", ondelete="SET NULL", index=True)
    category: str | None = None
    vendor: str | None = searched()
    notes: str | None = searched()


class StockMove(Record, table=True):
    """One change of an item's stock: ``kind`` buy (> 0), use (< 0) or count (a stock
    take's correction, either sign). A purchase may name its transaction."""

    __tablename__ = "stock_move"

    item_id: int = Field(foreign_key="stock_item.id", ondelete="CASCADE", index=True)
    occurred_on: date = Field(index=True)
    kind: str
    delta_milli: int
    txn_id: int | None = Field(
        default=None, foreign_key="txn.id", ondelete="SET NULL", index=True)
    notes: str | None = None
