"""Consumables: what is kept in stock, each purchase, use and stock take that moved it,
how fast it is used, when it runs out, and what to buy now (docs/stock.md).

Quantities are integer thousandths of the item's unit (``*_milli``): people type
``1.5`` or ``1,5`` (:func:`parse_quantity`), the JSON shapes show ``"1.5"``
(:func:`format_quantity`). An item's ``quantity_milli`` is the sum of its moves and
never below zero: each move changes it in the same statement that checks it
(``UPDATE … WHERE quantity_milli >= ?``, its row count read back), so two uses at
once on a shared server cannot both take the last one.

The use rate is learned from the ``use`` moves of the last ``WINDOW_DAYS`` days (or
since the first use, when that is later; at least two uses): what was used, per day
of that span. An item runs out ``quantity / rate`` days from today; it is ``low``
when its quantity is at or below its reorder level or it runs out within its lead
time (how long buying takes), ``out`` at zero.

- ``quantity``: parsing and showing quantities;
- ``items``: items and their moves (use, buy, count), `stock list` and `stock show`;
- ``usage``: the use rate, running out, low, how much to buy;
- ``shopping``: `stuffctl shopping` and the ``stock`` reminder source's candidates.
"""
