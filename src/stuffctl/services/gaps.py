"""`stuffctl report gaps` and the completeness score: what records lack.

Each kind of record has fields worth having (``KINDS``): an asset in use its receipt,
price, purchase date, serial, warranty end, photo and location; a transaction its
category; an open project its due date and budget. Per record, each field is present or
missing (an SQL condition, the one definition `report gaps`, `status` and `bench` share);
the records that miss something are listed dearest first (an asset's price, a
transaction's amount either way, a project's budget), so what matters most comes first.
The completeness score is the share of the checked fields present, per kind and overall
(docs/reports.md, "Gaps").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stuffctl.errors import InvalidInput
from stuffctl.money import CURRENCY_EXPONENTS, DEFAULT_EXPONENT, money_json
from stuffctl.store.handle import Db
from stuffctl.store.sql import NO_LIMIT, literals
from stuffctl.vocabulary import CLOSED_STATUSES, OUT_OF_USE

# What makes an attachment a photo: its file name's ending.
IMAGES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".heif", ".avif", ".tif",
          ".tiff", ".bmp")
PHOTO = " OR ".join(f"f.filename LIKE '%{ext}'" for ext in IMAGES)  # any case
# A receipt: any attached file, or a transaction linked to the asset that is not the
# cost of one of its log entries or incidents (the purchase, as a bank shows it).
NO_RECEIPT = (
    "NOT EXISTS (SELECT 1 FROM attachment f WHERE f.asset_id = r.id) AND NOT EXISTS"
    " (SELECT 1 FROM txn t WHERE t.asset_id = r.id AND NOT EXISTS (SELECT 1 FROM event e"
    " WHERE e.asset_id = r.id AND e.txn_id = t.id) AND NOT EXISTS (SELECT 1 FROM"
    " incident_txn x WHERE x.txn_id = t.id))")


@dataclass(frozen=True)
class Kind:
    """A kind of record checked: its table (as ``r``), which of its rows count, its
    name and value in SQL, and per field the SQL condition of it missing and the command
    that fills it in."""

    table: str
    scope: str
    name: str
    minor: str
    currency: str
    missing: dict[str, str]
    fixes: dict[str, str]

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.missing)


KINDS: dict[str, Kind] = {
    "asset": Kind(
        "asset", f"r.status NOT IN {literals(OUT_OF_USE)}", "r.name", "r.price_minor",
        "r.price_currency",
        {"receipt": NO_RECEIPT, "price": "r.price_minor IS NULL",
         "purchased_on": "r.purchased_on IS NULL", "serial": "coalesce(r.serial, '') = ''",
         "warranty_until": "r.warranty_until IS NULL",
         "photo": f"NOT EXISTS (SELECT 1 FROM attachment f WHERE f.asset_id = r.id AND"
                  f" ({PHOTO}))",
         "location": "coalesce(r.location, '') = ''"},
        {"receipt": "stuffctl asset attach ID FILE", "price": "stuffctl asset edit ID --price "
         "AMOUNT", "purchased_on": "stuffctl asset edit ID --bought DATE",
         "serial": "stuffctl asset edit ID --serial TEXT",
         "warranty_until": "stuffctl asset edit ID --warranty DATE",
         "photo": "stuffctl asset attach ID PHOTO.jpg",
         "location": "stuffctl asset edit ID --location PLACE"}),
    "transaction": Kind(
        "txn", "1 = 1", "coalesce(r.payee, r.memo)", "r.amount_minor", "r.currency",
        {"category": "(r.category IS NULL OR r.category = '')"},
        {"category": "stuffctl tx edit ID --category NAME"}),
    "project": Kind(
        "project", f"r.status NOT IN {literals(CLOSED_STATUSES)}", "r.name", "r.budget_minor",
        "r.budget_currency",
        {"due_on": "r.due_on IS NULL", "budget": "r.budget_minor IS NULL"},
        {"due_on": "stuffctl project edit ID --due DATE",
         "budget": "stuffctl project edit ID --budget AMOUNT"}),
}


def kinds_of(kind: str | None) -> list[str]:
    """The kinds ``--kind`` names (all of them for None)."""
    if kind is None:
        return list(KINDS)
    if kind not in KINDS:
        raise InvalidInput(f"--kind: expected one of {', '.join(KINDS)} (got {kind!r})")
    return [kind]


def flags(kind: Kind, *, columns: str = "", where: str = "", join: str = "") -> str:
    """``SELECT`` of the records of ``kind`` in scope (and ``where``; ``join``: another
    table joined), with ``columns`` and a 0/1 ``m_<field>`` per field: 1 when it is
    missing."""
    marks = ", ".join(f"CASE WHEN {cond} THEN 1 ELSE 0 END AS m_{field}"
                      for field, cond in kind.missing.items())
    extra = f" AND ({where})" if where else ""
    return (f"SELECT {columns + ', ' if columns else ''}{marks} FROM {kind.table} r{join}"
            f" WHERE {kind.scope}{extra}")


def missing_sum(kind: Kind, prefix: str = "") -> str:
    """SQL: how many fields a row of :func:`flags` misses."""
    return " + ".join(f"{prefix}m_{field}" for field in kind.fields)


def score(present: int, checked: int) -> float | None:
    """The share of ``checked`` fields ``present``, in percent to one place (None when
    nothing is checked): 100 only when none is missing, 0 only when none is present."""
    if checked <= 0:
        return None
    value = round(present * 100 / checked, 1)
    if value == 100 and present < checked:
        return 99.9
    if value == 0 and present > 0:
        return 0.1
    return value


def completeness(*, db: Db, kind: str | None = None) -> dict[str, Any]:
    """The completeness score overall and per kind (docs/json.md#completeness)."""
    per = {name: _kind_counts(db, KINDS[name]) for name in kinds_of(kind)}
    present = sum(k["present"] for k in per.values())
    checked = sum(k["checked"] for k in per.values())
    return {"percent": score(present, checked), "present": present, "checked": checked,
            "kinds": per}


def _kind_counts(db: Db, kind: Kind) -> dict[str, Any]:
    records, complete, missing = tally(db, kind).get(None, (0, 0, [0] * len(kind.fields)))
    lacking = dict(zip(kind.fields, missing, strict=True))
    checked = records * len(kind.fields)
    present = checked - sum(missing)
    return {"records": records, "complete": complete, "present": present,
            "checked": checked, "percent": score(present, checked), "missing": lacking}


Tally = tuple[int, int, list[int]]  # records, complete ones, per field how many miss it
Span = tuple[str, str, str]  # a period's key, and its first and end (excluded) days


def tally(db: Db, kind: Kind, *, spans: list[Span] | None = None) -> dict[Any, Tally]:
    """The records of ``kind`` in scope, counted: records, complete ones, and per field
    how many miss it; all in one (key None), or per span of ``spans`` by the day each
    was created (``created_at``). A kind of one field is counted by two searches of its
    indexes (a million transactions are counted without reading their rows); one of
    several in one pass that evaluates each record's fields once (``MATERIALIZED``)."""
    if spans == []:
        return {}
    values = ", ".join(f"(:k{i}, :s{i}, :e{i})" for i in range(len(spans or ())))
    params = {f"{name}{i}": value for i, span in enumerate(spans or ())
              for name, value in zip("kse", span, strict=True)}
    within = "r.created_at >= p.s AND r.created_at < p.e"
    if len(kind.fields) == 1:
        (cond,) = kind.missing.values()
        base = f"SELECT count(*) FROM {kind.table} r WHERE {kind.scope}"
        if spans is None:
            counted = db.execute(f"SELECT NULL, ({base}), ({base} AND ({cond}))")
        else:
            counted = db.execute(
                f"WITH p(k, s, e) AS (VALUES {values}) SELECT p.k, ({base} AND {within}),"
                f" ({base} AND {within} AND ({cond})) FROM p", params)
        return {k: (int(n), int(n) - int(lacking), [int(lacking)])
                for k, n, lacking in counted if n}
    sums = ", ".join(f"sum(m_{field})" for field in kind.fields)
    made = (flags(kind, columns="NULL AS k") if spans is None else
            flags(kind, columns="p.k AS k", join=f" JOIN p ON {within}"))
    periods = f"p(k, s, e) AS (VALUES {values}), " if spans else ""
    rows = db.execute(
        f"WITH {periods}f AS MATERIALIZED ({made}) SELECT k, count(*),"
        f" sum(CASE WHEN {missing_sum(kind)} = 0 THEN 1 ELSE 0 END), {sums} FROM f"
        " GROUP BY k", params)
    return {k: (int(n), int(done or 0), [int(m or 0) for m in missing])
            for k, n, done, *missing in rows}


def major(minor: str, currency: str) -> str:
    """SQL: an amount in major units (``12.5`` for 1250 EUR cents, ``1200`` for JPY 1200),
    so that amounts of several currencies are ordered by their numbers (no exchange
    rates are known)."""
    scales: dict[int, list[str]] = {}
    for code, digits in CURRENCY_EXPONENTS.items():
        scales.setdefault(digits, []).append(code)
    cases = " ".join(f"WHEN {currency} IN {literals(codes)} THEN {10 ** digits}"
                     for digits, codes in sorted(scales.items()))
    return f"({minor} * 1.0 / CASE {cases} ELSE {10 ** DEFAULT_EXPONENT} END)"


def gaps_query(kind: Kind) -> str:
    """The records of ``kind`` that miss a field, dearest first; parameter: the limit."""
    value = major(kind.minor, kind.currency)
    if kind.table == "txn":
        value = f"abs({value})"
    columns = (f"r.id, {kind.name} AS name, {kind.minor} AS minor, {kind.currency} AS currency,"
               f" {value} AS sort_value")
    anything = " OR ".join(f"({cond})" for cond in kind.missing.values())
    return (f"SELECT * FROM ({flags(kind, columns=columns, where=anything)}) s"
            " ORDER BY s.sort_value DESC NULLS LAST, s.id LIMIT ?")


def gaps(*, db: Db, kind: str | None = None, limit: int | None = 20) -> dict[str, Any]:
    """`report gaps`: the completeness score and, per kind, at most ``limit`` records that
    miss something, dearest first (docs/json.md#report-gaps)."""
    if limit is not None and limit < 1:
        raise InvalidInput(f"--limit: expected at least 1 (got {limit})")
    names = kinds_of(kind)
    rows = []
    for name in names:
        checked = KINDS[name]
        for row in db.rows(gaps_query(checked), (NO_LIMIT if limit is None else limit,)):
            rows.append({"kind": name, "id": row["id"], "name": row["name"],
                         "value": money_json(row["minor"], row["currency"]),
                         "missing": [f for f in checked.fields if row[f"m_{f}"]]})
    return {"kind": kind, "completeness": completeness(db=db, kind=kind), "gaps": rows,
            "fixes": {f: cmd for name in names for f, cmd in KINDS[name].fixes.items()}}
