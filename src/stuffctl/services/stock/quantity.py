"""Quantities: integer thousandths of an item's unit, as people type and read them."""

from __future__ import annotations

import re

from stuffctl.errors import InvalidInput

MILLI = 1000
MAX_DIGITS = 12  # whole units: at most 999,999,999,999 of anything
MAX_MILLI = 10**MAX_DIGITS * MILLI - 1
_QUANTITY = re.compile(r"([0-9]*)(?:([.,])([0-9]+))?")


def parse_quantity(text: str) -> int:
    """A quantity typed by a person, in thousandths: ``2`` → 2000, ``1.5`` and ``1,5`` →
    1500, ``.25`` → 250. More than three decimals is an error, never a rounding; so is
    a sign, a digit grouping, and ``1,000`` (a thousand to some, one to others)."""
    t = text.strip()
    m = _QUANTITY.fullmatch(t)
    if not t or m is None or not (m[1] or m[3]):
        hint = "cannot be negative" if t.startswith("-") else "use e.g. 2, 1.5 or 0,25"
        raise InvalidInput(f"not a quantity: {text!r} ({hint})")
    whole, mark, frac = m[1].lstrip("0"), m[2], m[3] or ""
    if len(frac) > 3:
        raise InvalidInput(f"not a quantity: {text!r} (at most 3 decimals: thousandths)")
    if mark == "," and len(frac) == 3 and whole:
        raise InvalidInput(f"not a quantity: {text!r} (is the comma a decimal mark or "
                           f"does it group thousands? write {whole}.{frac} or {whole}{frac})")
    if len(whole) > MAX_DIGITS:
        raise InvalidInput(f"not a quantity: {text!r} (more than {MAX_DIGITS} digits)")
    return int(whole or "0") * MILLI + int(frac.ljust(3, "0"))


def format_quantity(milli: int | None) -> str | None:
    """Thousandths as people read them: 1500 → ``1.5``, 2000 → ``2``, -250 → ``-0.25``."""
    if milli is None:
        return None
    whole, frac = divmod(abs(milli), MILLI)
    text = f"{whole}.{frac:03d}".rstrip("0").rstrip(".")
    return f"-{text}" if milli < 0 else text


def checked(option: str, milli: int | None, *, zero: bool) -> int | None:
    """``milli`` when it is more than zero (or zero, with ``zero``), else InvalidInput
    naming ``option``; None passes."""
    if milli is not None and (milli < 0 or (milli == 0 and not zero)):
        least = "0 or more" if zero else "more than 0"
        raise InvalidInput(f"{option}: must be {least} (got {format_quantity(milli)})")
    return milli


def amount(milli: int, unit: str | None) -> str:
    """``1.5 kg``, or ``2`` for an item without a unit."""
    text = format_quantity(milli) or "0"
    return f"{text} {unit}" if unit else text
