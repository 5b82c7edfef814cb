"""Two differently shaped bank exports of the same year, and their saved rules.

Bank "ing": comma separated, decimal comma, separate debit/credit columns,
dates YYYYMMDD, a preamble line. Bank "asn": semicolon separated, day-first
dates, a signed amount with a decimal point, newest first. Figures are hand
computed in the tests from these formulas.
"""

from __future__ import annotations

from pathlib import Path

ING_RULES = """\
skip = 2
separator = ","
encoding = "utf-8"
fields = ["date", "payee", "", "amount_out", "amount_in", "memo"]
date_format = "%Y%m%d"
decimal_mark = ","
currency = "EUR"
account = "bank:ing"
skip_if = { date = "^Pending$" }

[[categorize]]
match = "ALBERT HEIJN|LIDL"
category = "groceries"

[[categorize]]
match = "salaris"
category = "income:salary"
"""

ASN_RULES = """\
skip = 1
separator = ";"
encoding = "cp1252"
fields = ["date", "amount", "payee", "memo"]
date_format = "%d-%m-%Y"
currency = "EUR"
account = "bank:asn"
newest_first = true

[[categorize]]
match = "^LIDL"
category = "groceries"

[[categorize]]
match = "Huur"
category = "home:rent"

[[categorize]]
match = "Gamma"
category = "home:repairs"
"""


def ing_csv() -> str:
    """Per month: 4 groceries of 45.60+m and a salary of 3,200.00 on the 25th."""
    lines = ["ING export 2026", "Datum,Naam,Tegenrekening,Af,Bij,Mededelingen"]
    for m in range(1, 13):
        for day in (3, 10, 17, 24):
            amount = f"{45 + m},60"
            lines.append(f'2026{m:02d}{day:02d},ALBERT HEIJN 1234,NL01,"{amount}",,pinbetaling')
        lines.append(f'2026{m:02d}25,Werkgever BV,NL02,,"3.200,00",salaris {m}')
    lines.append("Pending,ALBERT HEIJN 1234,NL01,\"9,99\",,pending")
    return "\n".join(lines) + "\n"


def asn_csv() -> str:
    """Per month (newest first): rent -950.00, LIDL -(20.00+0.50m), Gamma -(10m).

    In March, a refund from Gamma of +5.00 as well.
    """
    rows = []
    for m in range(1, 13):
        rows.append(f"01-{m:02d}-2026;-950.00;Verhuurder;Huur {m}")
        rows.append(f"12-{m:02d}-2026;-{20 + m * 0.5:.2f};LIDL Amsterdam;Boodschappen")
        rows.append(f"15-{m:02d}-2026;-{10 * m}.00;Gamma;Klusspullen")
        if m == 3:
            rows.append("20-03-2026;5.00;Gamma;Retour é")
    return "Datum;Bedrag;Naam;Omschrijving\n" + "\n".join(reversed(rows)) + "\n"


def save_rules(home: Path) -> None:
    rules = home / "rules"
    rules.mkdir(parents=True, exist_ok=True)
    (rules / "ing.toml").write_text(ING_RULES)
    (rules / "asn.toml").write_text(ASN_RULES)


def write_exports(folder: Path) -> tuple[Path, Path]:
    ing, asn = folder / "ing.csv", folder / "asn.csv"
    ing.write_text(ing_csv(), encoding="utf-8")
    asn.write_bytes(asn_csv().encode("cp1252"))
    return ing, asn
