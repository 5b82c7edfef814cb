"""stuffctl.money: every accepted and rejected form, plus round-trip properties."""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stuffctl.errors import InvalidInput
from stuffctl.money import (
    CURRENCY_EXPONENTS,
    CurrencyMismatch,
    Money,
    exponent,
    format_money,
    from_minor,
    has_sign,
    normalise_currency,
    parse_amount,
    parse_money,
    to_minor,
)

EUR = "EUR"


def test_exponents() -> None:
    assert [exponent(c) for c in ("EUR", "USD", "JPY", "KRW", "ISK", "KWD", "BHD", "CHF")] == [
        2, 2, 0, 0, 0, 3, 3, 2]
    assert exponent("jpy") == 0
    assert all(v in (0, 3, 4) for v in CURRENCY_EXPONENTS.values())


@pytest.mark.parametrize(("text", "code"), [
    ("eur", "EUR"), (" Chf ", "CHF"), ("€", "EUR"), ("$", "USD"), ("£", "GBP"), ("¥", "JPY"),
])
def test_normalise_currency(text: str, code: str) -> None:
    assert normalise_currency(text) == code


@pytest.mark.parametrize("text", ["", "EU", "EURO", "E1R", "ııı", "ÄÖÜ", "kr"])
def test_normalise_currency_rejects(text: str) -> None:
    with pytest.raises(InvalidInput, match="not a currency"):
        normalise_currency(text)


@pytest.mark.parametrize(("text", "minor", "currency"), [
    ("12.5", 1250, EUR), ("12.50 EUR", 1250, EUR), ("EUR 12.50", 1250, EUR),
    ("eur12.50", 1250, EUR), ("12.50eur", 1250, EUR), ("€12.50", 1250, EUR),
    ("€ 12.50", 1250, EUR), ("12.50 €", 1250, EUR), ("-€5", -500, EUR), ("€-5", -500, EUR),
    ("-3", -300, EUR), ("−3", -300, EUR), ("+7", 700, EUR), ("1,234.56", 123456, EUR),
    ("1,234", 123400, EUR), ("1,234,567.8", 123456780, EUR), ("1.234.567,89", 123456789, EUR),
    ("1 234,56 EUR", 123456, EUR), ("1\u00a0234,56", 123456, EUR), ("1'234.56", 123456, EUR),
    ("1,5", 150, EUR), (".5", 50, EUR), ("5.", 500, EUR), ("0", 0, EUR), ("-0", 0, EUR),
    ("(12.50)", -1250, EUR), ("(€12.50)", -1250, EUR), ("€(12.50)", -1250, EUR),
    ("(12.50 USD)", -1250, "USD"), ("12 -", -1200, EUR), ("12.50 EUR -", -1250, EUR),
    ("$5", 500, "USD"), ("£3", 300, "GBP"), ("¥3000", 3000, "JPY"), ("1200 JPY", 1200, "JPY"),
    ("¥1,200", 1200, "JPY"), ("1.234 KWD", 1234, "KWD"), ("KWD 1,234.567", 1234567, "KWD"),
    ("12 chf", 1200, "CHF"), ("€12.50 EUR", 1250, EUR),
    ("999999999999999.99", 99999999999999999, EUR), ("000000000000000001", 100, EUR),
])
def test_parse_money_accepts(text: str, minor: int, currency: str) -> None:
    assert parse_money(text, default_currency="eur") == Money(minor, currency)


@pytest.mark.parametrize(("text", "reason"), [
    ("12.345 EUR", "EUR has 2 decimals"), ("12.500", "EUR has 2 decimals"),
    ("5.5 JPY", "JPY has no decimals"), ("¥5.0", "JPY has no decimals"),
    ("1.2345 KWD", "KWD has 3 decimals"), ("1.000", "EUR has 2 decimals"),
    ("abc", "use e.g."), ("", "empty"), ("   ", "empty"), ("1e5", "use e.g."), ("nan", "use e.g."),
    ("inf", "use e.g."), ("-inf", "use e.g."), ("12 EURO", "use e.g."), ("€", "use e.g."),
    ("1234567890123456", "more than 15 digits"), ("1,234,567,890,123,456", "more than 15"),
    ("--5", "more than one sign"), ("-(5)", "more than one sign"), ("-5-", "more than one sign"),
    ("+-5", "more than one sign"), ("(5", "unbalanced"), ("5)", "unbalanced"),
    ("12 EUR USD", "use e.g."), ("€12 USD", "two currencies"), ("1.2.3", "grouping"),
    ("1,23,4", "grouping"), ("12 34", "grouping"), ("1,234 567", "decimal mark"),
    ("1.234,5.6", "decimal mark"), ("١٢", "use e.g."), ("12 ab", "use e.g."),
])
def test_parse_money_rejects(text: str, reason: str) -> None:
    with pytest.raises(InvalidInput, match="not an amount") as info:
        parse_money(text, default_currency=EUR)
    assert reason in info.value.message


def test_parse_money_rejects_a_bad_default_currency() -> None:
    with pytest.raises(InvalidInput, match="not a currency"):
        parse_money("12", default_currency="euro")


@pytest.mark.parametrize(("text", "mark", "minor"), [
    ("1.234,56", ",", 123456), ("-1.234,56", ",", -123456), ("1234,56-", ",", -123456),
    ("(1.234,56)", ",", -123456), ("1.234,56 EUR", ",", 123456), ("1 234,56 €", ",", 123456),
    ("1\u202f234,56", ",", 123456), ("1'234,56", ",", 123456), ("1,5", ",", 150),
    ("1.234", ",", 123400), ("1,234.56", ".", 123456), ("-12.3", ".", -1230),
    ("12.00", ".", 1200), ("12.5000", ".", 1250), ("EUR 7", ".", 700),
    ("1,00,000.00", ".", 10000000),
])
def test_parse_amount(text: str, mark: str, minor: int) -> None:
    assert parse_amount(text, currency="eur", decimal_mark=mark) == minor


def test_parse_amount_zero_decimals_for_jpy() -> None:
    assert parse_amount("1.200,00", currency="JPY", decimal_mark=",") == 1200
    with pytest.raises(InvalidInput, match="JPY has no decimals"):
        parse_amount("1.200,50", currency="JPY", decimal_mark=",")


@pytest.mark.parametrize(("text", "mark", "reason"), [
    ("1,5", ".", "grouping"), ("1.234,56", ".", "decimal mark"), ("12.345", ".", "2 decimals"),
    ("12 USD", ".", "in USD, expected EUR"), ("", ",", "empty"), ("x", ",", "use e.g."),
])
def test_parse_amount_rejects(text: str, mark: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_amount(text, currency=EUR, decimal_mark=mark)
    assert reason in info.value.message


def test_parse_amount_rejects_a_bad_decimal_mark() -> None:
    with pytest.raises(InvalidInput, match="decimal mark"):
        parse_amount("1", currency=EUR, decimal_mark=";")


@pytest.mark.parametrize(("money", "plain", "decimal", "symbol", "grouped"), [
    (Money(1250, EUR), "12.50 EUR", "12.50", "€12.50", "12.50 EUR"),
    (Money(-300, EUR), "-3.00 EUR", "-3.00", "-€3.00", "-3.00 EUR"),
    (Money(-5, EUR), "-0.05 EUR", "-0.05", "-€0.05", "-0.05 EUR"),
    (Money(1200, "JPY"), "1200 JPY", "1200", "¥1200", "1,200 JPY"),
    (Money(123456, EUR), "1234.56 EUR", "1234.56", "€1234.56", "1,234.56 EUR"),
    (Money(1234567, "KWD"), "1234.567 KWD", "1234.567", "1234.567 KWD", "1,234.567 KWD"),
    (Money(100, "CHF"), "1.00 CHF", "1.00", "1.00 CHF", "1.00 CHF"),
])
def test_formats(money: Money, plain: str, decimal: str, symbol: str, grouped: str) -> None:
    assert str(money) == format_money(money) == plain
    assert money.decimal_str() == decimal
    assert format_money(money, symbol=True) == symbol
    assert format_money(money, grouping=True) == grouped


def test_money_arithmetic() -> None:
    a, b = Money(1250, EUR), Money(-300, EUR)
    assert a + b == Money(950, EUR)
    assert a - b == Money(1550, EUR)
    assert -a == Money(-1250, EUR)
    assert sum([a, b], Money(0, EUR)) == Money(950, EUR)
    assert a.amount == Decimal("12.50")
    with pytest.raises(CurrencyMismatch):
        a + Money(1, "USD")
    with pytest.raises(ValueError):
        a - Money(1, "USD")
    with pytest.raises(TypeError):
        a + 1


@pytest.mark.parametrize(("minor", "currency"), [(1.5, EUR), (True, EUR), (1, "eur"), (1, "EU")])
def test_money_rejects_bad_fields(minor: object, currency: str) -> None:
    from stuffctl.errors import OperationFailed

    with pytest.raises((TypeError, OperationFailed)):
        Money(minor, currency)  # type: ignore[arg-type]


def test_decimal_helpers() -> None:
    assert from_minor(1250, EUR) == Decimal("12.50")
    assert str(from_minor(1250, EUR)) == "12.50"
    assert str(from_minor(1200, "JPY")) == "1200"
    assert str(from_minor(-1, "KWD")) == "-0.001"
    assert to_minor(Decimal("12.5"), EUR) == 1250
    assert to_minor(Decimal("1200"), "JPY") == 1200
    assert to_minor(Decimal("12.345"), EUR, rounding=ROUND_HALF_UP) == 1235
    with pytest.raises(InvalidInput, match="EUR has 2 decimals"):
        to_minor(Decimal("12.345"), EUR)
    for bad in ("NaN", "Infinity", "1E+40"):
        with pytest.raises(InvalidInput):
            to_minor(Decimal(bad), EUR)


# -- properties ----------------------------------------------------------------

CURRENCIES = ["EUR", "JPY", "KWD", "USD", "CHF"]
monies = st.builds(Money, st.integers(-(10**13), 10**13), st.sampled_from(CURRENCIES))


@given(monies, st.sampled_from(CURRENCIES))
def test_format_round_trips(m: Money, default: str) -> None:
    assert parse_money(format_money(m), default_currency=default) == m
    assert parse_money(format_money(m, grouping=True), default_currency=default) == m
    assert parse_money(format_money(m, symbol=True), default_currency=default) == m
    assert parse_money(format_money(m, symbol=True, grouping=True),
                       default_currency=default) == m
    assert parse_money(m.decimal_str(), default_currency=m.currency) == m
    assert Money(to_minor(m.amount, m.currency), m.currency) == m
    assert from_minor(m.minor, m.currency) == Decimal(m.decimal_str())


@given(monies, st.sampled_from(["", " ", "\u00a0"]))
def test_parse_amount_round_trips_european_format(m: Money, gap: str) -> None:
    grouped = format_money(m, grouping=True).removesuffix(f" {m.currency}")
    european = grouped.translate(str.maketrans(",.", ".,"))
    assert parse_amount(european + gap + m.currency, currency=m.currency,
                        decimal_mark=",") == m.minor
    assert parse_amount(grouped, currency=m.currency) == m.minor


_FUZZ = st.one_of(
    st.text(),
    st.text(alphabet="0123456789 .,'()-+−€$£¥eEuURJPYnaif\u00a0\u202f"),
    st.lists(st.sampled_from(["1", "234", "56", ".", ",", " ", "(", ")", "-", "+", "EUR", "€",
                              "jpy", "9" * 20, "0", "e", "nan", "\u00a0"]),
             max_size=10).map("".join),
)


@settings(max_examples=400)
@given(_FUZZ, st.sampled_from(CURRENCIES), st.sampled_from([".", ","]))
def test_parsers_raise_only_invalid_input(text: str, currency: str, mark: str) -> None:
    parsers: list[Callable[[], Money]] = [
        lambda: parse_money(text, default_currency=currency),
        lambda: Money(parse_amount(text, currency=currency, decimal_mark=mark), currency)]
    for parse in parsers:
        try:
            m = parse()
        except InvalidInput as e:
            assert e.message
        else:
            assert abs(m.minor) < 10 ** (15 + exponent(m.currency))
            assert parse_money(str(m), default_currency="XXX") == m


@given(st.sampled_from(["", "-"]), st.integers(0, 10**12), st.sampled_from([".", ","]),
       st.text(alphabet="0123456789", max_size=4), st.sampled_from(["EUR", "JPY", "KWD"]))
def test_parse_amount_of_a_plain_bank_number_is_exact(sign, whole, mark, frac, currency):
    from decimal import Decimal

    from stuffctl.money import exponent, parse_amount

    text = f"{sign}{whole}{mark + frac if frac else ''}"
    value = Decimal(f"{sign}{whole}.{frac or '0'}").scaleb(exponent(currency))
    if value != value.to_integral_value():
        with pytest.raises(InvalidInput):
            parse_amount(text, currency=currency, decimal_mark=mark)
    else:
        assert parse_amount(text, currency=currency, decimal_mark=mark) == int(value)


_SIGNED = {"{}": None, "+{}": 1, "-{}": -1, "({})": -1, "{}-": -1, "+ {}": 1, "\u2212{}": -1}


@given(monies, st.sampled_from(sorted(_SIGNED)), st.booleans())
def test_has_sign_says_whether_a_sign_was_typed_and_parse_money_agrees(
        m: Money, form: str, symbol: bool) -> None:
    body = format_money(Money(abs(m.minor), m.currency), symbol=symbol)
    text = form.format(body)
    sign = _SIGNED[form]
    assert has_sign(text) == (sign is not None)
    assert parse_money(text, default_currency="EUR").minor == (sign or 1) * abs(m.minor)


@settings(max_examples=200)
@given(_FUZZ)
def test_has_sign_never_raises(text: str) -> None:
    assert has_sign(text) in (True, False)
