"""The use rate learned from an item's uses, when it runs out, when it is low, and how
much to buy."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

from stuffctl.services.stock.quantity import MILLI, format_quantity
from stuffctl.store.handle import Db

WINDOW_DAYS = 180  # the use rate looks this far back
MONTH_DAYS = Decimal("30.436875")  # an average month (365.2425 / 12)


@dataclass(frozen=True)
class Usage:
    """What was used over a span of days ending today: the learned rate."""

    used_milli: int
    days: int

    def per(self, days: Decimal | int) -> str:
        """Units used per ``days`` days, to three decimals."""
        value = Decimal(self.used_milli) * days / self.days
        return format_quantity(int(value.quantize(Decimal(1), ROUND_HALF_EVEN))) or "0"

    def days_until(self, milli: int) -> int:
        """Whole days until ``milli`` is used up at this rate (the day it is: rounded down)."""
        return milli * self.days // self.used_milli


# Per item: the first use ever, and the uses and what they took since the window began.
USES = ("SELECT item_id, min(occurred_on), count(CASE WHEN occurred_on > ? THEN 1 END),"
        " sum(CASE WHEN occurred_on > ? THEN -delta_milli ELSE 0 END) FROM stock_move"
        " WHERE kind = 'use' AND occurred_on <= ? AND {where} GROUP BY item_id")


def usages(db: Db, item_ids: list[int], today: date) -> dict[int, Usage]:
    """The use rate of each item that has one, in one aggregate: what the uses of the
    last ``WINDOW_DAYS`` days took, over that span or since the first use when that is
    later; at least two uses a day or more apart."""
    if not item_ids:
        return {}
    since = today - timedelta(days=WINDOW_DAYS)
    rows = db.execute(USES.format(where=db.backend.in_list("item_id")),
                      (since.isoformat(), since.isoformat(), today.isoformat(),
                       json.dumps(item_ids)))
    found = {}
    for item_id, first, uses, used in rows:
        span = (today - max(date.fromisoformat(first), since)).days
        if uses >= 2 and span >= 1 and int(used) > 0:
            found[int(item_id)] = Usage(int(used), span)
    return found


FAR = 100 * 366  # days: a prediction further ahead is no prediction


def _ahead(today: date, days: int) -> date | None:
    return today + timedelta(days=days) if days <= FAR else None


def runs_out(quantity: int, usage: Usage | None, today: date) -> date | None:
    """The day the quantity is used up at the learned rate (None: no rate, or not in
    sight)."""
    return _ahead(today, usage.days_until(quantity)) if usage else None


def low_on(quantity: int, reorder: int | None, lead_days: int | None, usage: Usage | None,
           today: date) -> date | None:
    """The first day the item is low: today when it is out or at its reorder level now;
    else, at the learned rate, the day it reaches its reorder level or the day that
    leaves no more than its lead time before it runs out, whichever is first. None: not
    in sight (no rate)."""
    if quantity <= 0 or (reorder is not None and quantity <= reorder):
        return today
    if usage is None:
        return None
    days = [usage.days_until(quantity) - (lead_days or 0)]
    if reorder is not None:  # the first whole day the quantity is at the reorder level
        days.append(-(-(quantity - reorder) * usage.days // usage.used_milli))
    return _ahead(today, max(0, min(days)))


def status(quantity: int, low: date | None, today: date) -> str:
    """``out`` at zero, ``low`` from its ``low_on`` day, else ``ok``."""
    if quantity <= 0:
        return "out"
    return "low" if low is not None and low <= today else "ok"


def to_buy(quantity: int, reorder: int | None, buy: int | None) -> int:
    """How much to buy: the usual purchase; else enough whole units to lift the quantity
    above the reorder level; else one."""
    if buy:
        return buy
    if reorder is not None and quantity <= reorder:
        return ((reorder - quantity) // MILLI + 1) * MILLI
    return MILLI
