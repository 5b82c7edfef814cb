"""Money: whole minor units of one currency, never a float.

The one module that parses money. People type ``12.5``, ``12.50 EUR``,
``EUR 12.50``, ``€12.50``, ``-€5``, ``(12.50)``, ``1,234.56`` or ``1 234,56 EUR``;
bank exports go through ``parse_amount`` with an explicit decimal mark. More
decimals than the currency has is an error, never a silent rounding.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import lru_cache

from stuffctl.errors import InvalidInput

DEFAULT_EXPONENT = 2
MAX_INTEGER_DIGITS = 15
#: ISO 4217 minor-unit exponents that differ from DEFAULT_EXPONENT.
CURRENCY_EXPONENTS: Mapping[str, int] = {
    **dict.fromkeys(("BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF",
                     "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"), 0),
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
    **dict.fromkeys(("CLF", "UYW"), 4),
}
#: Unambiguous-enough currency symbols (``$`` is USD, ``¥`` is JPY).
SYMBOLS: Mapping[str, str] = {
    "€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW", "₽": "RUB",
    "₺": "TRY", "₪": "ILS", "₴": "UAH", "₫": "VND", "₱": "PHP", "฿": "THB", "₦": "NGN",
}
_SYMBOL_OF = {code: symbol for symbol, code in SYMBOLS.items()}
_CODE = re.compile(r"[A-Z]{3}")
_CUR = r"[A-Za-z]{3}|[" + "".join(SYMBOLS) + "]"
_NUM = r"[.,]?[0-9](?:[0-9.,' \u00a0\u202f]*[0-9.,])?"
_MONEY = re.compile(
    rf"(\()?\s*([-+])?\s*({_CUR})?\s*([-+])?\s*(\()?\s*({_NUM})"
    rf"\s*(\))?\s*(-)?\s*({_CUR})?\s*(-)?\s*(\))?")
_SEPARATORS = r"[.,' \u00a0\u202f]"
_HINT = "use e.g. 12.50, 12.50 EUR, EUR 12.50, €12.50, -3 or (12.50)"


class CurrencyMismatch(ValueError):
    """Two amounts in different currencies were combined: they never sum."""


def exponent(code: str) -> int:
    """Digits after the decimal mark for a currency code (JPY 0, EUR 2, KWD 3)."""
    return CURRENCY_EXPONENTS.get(code.upper(), DEFAULT_EXPONENT)


def normalise_currency(code: str) -> str:
    """``eur`` → ``EUR``, ``€`` → ``EUR``; anything but three letters A-Z is rejected."""
    text = code.strip()
    if text in SYMBOLS:
        return SYMBOLS[text]
    if not re.fullmatch(r"[A-Za-z]{3}", text):
        raise InvalidInput(f"not a currency: {code!r} (use a 3-letter code such as EUR)")
    return text.upper()


def from_minor(minor: int, currency: str) -> Decimal:
    """Minor units as an exact Decimal: ``from_minor(1250, "EUR") == Decimal("12.50")``."""
    return Decimal(f"{minor}E-{exponent(currency)}")


def to_minor(amount: Decimal, currency: str, *, rounding: str | None = None) -> int:
    """An exact Decimal in minor units; with ``rounding`` (a decimal.ROUND_* mode),
    extra decimals are rounded instead of rejected."""
    places = exponent(currency)
    try:
        quantized = amount.quantize(Decimal(1).scaleb(-places), rounding=rounding or
                                    ROUND_HALF_EVEN)
    except InvalidOperation:
        raise InvalidInput(f"not an amount: {amount} (not finite or too large)") from None
    if rounding is None and quantized != amount:
        raise InvalidInput(f"not an amount: {amount} ({_decimals(currency)})")
    return int(quantized.scaleb(places))


@dataclass(frozen=True)
class Money:
    """An amount in whole minor units of a normalised currency code."""

    minor: int
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.minor, int) or isinstance(self.minor, bool):
            raise TypeError(f"Money.minor must be an int, not {self.minor!r}")
        if not _CODE.fullmatch(self.currency):  # input is normalised at the door: stored
            from stuffctl.errors import OperationFailed  # by an older stuffctl or by hand

            raise OperationFailed(f"a stored amount's currency is not a currency code: "
                                  f"{self.currency!r} (stuffctl db check names the row)")

    @property
    def amount(self) -> Decimal:
        """The exact amount, e.g. Decimal('12.50')."""
        return from_minor(self.minor, self.currency)

    def decimal_str(self) -> str:
        """The JSON form: ``"12.50"``, ``"-3.00"``, JPY ``"1200"``."""
        places = exponent(self.currency)
        whole, frac = divmod(abs(self.minor), 10**places)
        sign = "-" if self.minor < 0 else ""
        return f"{sign}{whole}.{frac:0{places}d}" if places else f"{sign}{whole}"

    def __str__(self) -> str:
        return format_money(self)

    def __neg__(self) -> Money:
        return Money(-self.minor, self.currency)

    def __add__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        if other.currency != self.currency:
            raise CurrencyMismatch(f"cannot add {other.currency} to {self.currency}")
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return self + -other


def format_money(m: Money, *, symbol: bool = False, grouping: bool = False) -> str:
    """``12.50 EUR``; ``symbol`` gives ``€12.50`` where one exists; ``grouping`` ``1,234.56``."""
    text = m.decimal_str().lstrip("-")
    if grouping:
        whole, dot, frac = text.partition(".")
        text = f"{int(whole):,}{dot}{frac}"
    sign, sym = "-" if m.minor < 0 else "", _SYMBOL_OF.get(m.currency) if symbol else None
    return f"{sign}{sym}{text}" if sym else f"{sign}{text} {m.currency}"


def _decimals(currency: str) -> str:
    places = exponent(currency)
    count = {0: "no decimals", 1: "1 decimal"}.get(places, f"{places} decimals")
    return f"{currency} has {count}"


def _parts(text: str) -> tuple[str | None, bool, str]:
    """Split into (currency or None, negative, number) or raise InvalidInput."""
    m = _MONEY.fullmatch(text.strip().replace("\u2212", "-"))
    if m is None:
        reason = "empty" if not text.strip() else _HINT
        raise InvalidInput(f"not an amount: {text!r} ({reason})")
    opened = [p for p in (m[1], m[5]) if p]
    if len(opened) != bool(m[7]) + bool(m[11]):
        raise InvalidInput(f"not an amount: {text!r} (unbalanced parentheses)")
    signs = [s for s in (m[2], m[4], m[8], m[10]) if s] + opened
    if len(signs) > 1:
        raise InvalidInput(f"not an amount: {text!r} (more than one sign)")
    codes = {normalise_currency(c) for c in (m[3], m[9]) if c}
    if len(codes) > 1:
        raise InvalidInput(f"not an amount: {text!r} (two currencies)")
    return (codes.pop() if codes else None), signs in (["-"], ["("]), m[6]


def _guess_mark(num: str) -> str:
    """The decimal mark of a number typed by a person: the last of ``.``/``,`` when
    both occur; a lone ``,`` unless followed by exactly three digits; else ``.``."""
    if "." in num and "," in num:
        return "." if num.rfind(".") > num.rfind(",") else ","
    if num.count(",") == 1 and not re.search(r",[0-9]{3}$", num):
        return ","
    return "," if num.count(".") > 1 else "."


def _minor_units(text: str, num: str, currency: str, mark: str, zeros_ok: bool) -> int:
    """The absolute value of num in minor units of currency."""
    whole, _, frac = num.partition(mark)
    groups = re.split(_SEPARATORS, whole)
    if frac and not (frac.isascii() and frac.isdigit()):
        raise InvalidInput(f"not an amount: {text!r} (nothing but digits may follow the "
                           f"decimal mark {mark!r})")
    if len(groups) > 1 and (len(set(re.findall(_SEPARATORS, whole))) > 1
                            or not 1 <= len(groups[0]) <= 3 or len(groups[-1]) != 3
                            or any(len(g) not in (2, 3) for g in groups[1:-1])):
        raise InvalidInput(f"not an amount: {text!r} (bad digit grouping for decimal "
                           f"mark {mark!r})")
    digits = "".join(groups).lstrip("0")
    if len(digits) > MAX_INTEGER_DIGITS:
        raise InvalidInput(f"not an amount: {text!r} (more than {MAX_INTEGER_DIGITS} digits)")
    places = exponent(currency)
    if len(frac) > places and not (zeros_ok and not frac[places:].strip("0")):
        raise InvalidInput(f"not an amount: {text!r} ({_decimals(currency)})")
    return int((digits or "0") + frac[:places].ljust(places, "0"))


def parse_money(text: str, *, default_currency: str) -> Money:
    """Parse an amount with an optional currency code or symbol before or after it."""
    code, negative, num = _parts(text)
    currency = code or normalise_currency(default_currency)
    minor = _minor_units(text, num, currency, _guess_mark(num), zeros_ok=False)
    return Money(-minor if negative else minor, currency)


def has_sign(text: str) -> bool:
    """Whether an amount as typed says its direction: ``+5``, ``-5``, ``5-``, ``(5)``,
    ``-€5``; ``5``, ``€5`` and ``5 EUR`` do not (``tx add`` then asks the category)."""
    m = _MONEY.fullmatch(text.strip().replace("\u2212", "-"))
    return m is not None and any(m[group] for group in (1, 2, 4, 5, 8, 10))


_PLAIN = {mark: re.compile(rf"(-?)([0-9]{{1,15}})(?:{re.escape(mark)}([0-9]+))?")
          for mark in ".,"}


@lru_cache(maxsize=64)
def plain_parser(currency: str, mark: str) -> Callable[[str], int | None]:
    """The common case of a bank export (``-12.50``) for one currency and decimal mark:
    a function giving the minor units, or None when ``parse_amount`` must decide
    (anything else: separators, symbols, parentheses, extra decimals, errors)."""
    if not _CODE.fullmatch(currency):
        return lambda text: None
    places, match = exponent(currency), _PLAIN[mark].fullmatch
    scale = 10**places

    def parse(text: str) -> int | None:
        m = match(text.strip())
        if m is None:
            return None
        frac = m[3] or ""
        if len(frac) > places:
            return None
        minor: int = int(m[2]) * scale + (int(frac.ljust(places, "0")) if places else 0)
        return -minor if m[1] else minor

    return parse


def parse_amount(text: str, *, currency: str, decimal_mark: str = ".") -> int:
    """A bank-export amount in minor units of currency (``1.234,56`` with mark ``,``).

    Other separators group thousands; ``(x)``, ``-x`` and ``x-`` are negative; a
    currency code or symbol matching ``currency`` is tolerated; extra zero decimals
    (``1200.00`` JPY) are accepted.
    """
    if decimal_mark not in (".", ","):
        raise InvalidInput(f"decimal mark must be '.' or ',', not {decimal_mark!r}")
    if (fast := plain_parser(currency, decimal_mark)(text)) is not None:
        return fast
    expected = normalise_currency(currency)
    code, negative, num = _parts(text)
    if code not in (None, expected):
        raise InvalidInput(f"not an amount: {text!r} (in {code}, expected {expected})")
    minor = _minor_units(text, num, expected, decimal_mark, zeros_ok=True)
    return -minor if negative else minor


def money_json(minor: int | None, currency: str | None) -> dict[str, str] | None:
    """The JSON shape of an amount: ``{"amount": "12.50", "currency": "EUR"}``."""
    if minor is None or currency is None:
        return None
    return {"amount": Money(minor, currency).decimal_str(), "currency": currency}
