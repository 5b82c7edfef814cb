"""Repair or replace: per asset in use with incidents or repair costs, a recommendation
and the reasons it rests on, as sentences and as data (docs/reports.md, "Repair or
replace").

Three signals are weighed against thresholds from the config (``advice.*``):

- **repair cost**: what its repairs cost in the last 12 months (the transactions linked
  to its incidents, and the costs of its log entries of kind ``repair`` or ``service``),
  as a share of its replacement price (the custom field ``replacement_price``, else its
  purchase price);
- **age**: its age in whole months as a share of its expected life;
- **incident rate**: incidents started in the last two years per year (over the time
  owned when that is shorter, counted as at least a year).

``replace`` when the repair cost is reached, or when it is both old and failing often;
else ``repair`` when an incident is open (it is broken now, and repairing still pays);
else ``watch`` when it is old or failing often; else ``keep``. More cost, age or
incidents never make the advice less pressing (``RECOMMENDATIONS`` order them).

Figures are SQL aggregates (one row per asset, one per asset and currency of its
costs); the rule is applied here to those rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from stuffctl.dates import add_months
from stuffctl.errors import InvalidInput
from stuffctl.money import Money, format_money, money_json, parse_money
from stuffctl.store.handle import Db
from stuffctl.store.sql import NO_LIMIT, day, iso, literals
from stuffctl.vocabulary import INCIDENT_CLOSED, OUT_OF_USE

RECOMMENDATIONS = ("keep", "watch", "repair", "replace")  # least to most pressing
REASONS = ("repair_cost", "age", "incident_rate", "open_incidents")
REPAIR_KINDS = ("repair", "service")  # log entries whose costs are repairs
REPLACEMENT_FIELD = "replacement_price"
RATE_MONTHS = 24  # the incident rate counts the incidents of the last two years
YEAR_DAYS = 365.2425


@dataclass(frozen=True)
class Settings:
    """The thresholds (config ``advice.*``) and the currency of an asset that has no
    price (config ``currency``)."""

    repair_share: float = 0.5
    age_share: float = 0.8
    incidents_per_year: float = 2.0
    currency: str = "EUR"

    @classmethod
    def configured(cls) -> Settings:
        from stuffctl import config

        stored = config.load()

        def value(name: str) -> Any:
            return stored.get(name, config.KEYS[name].default)

        return cls(float(value("advice.repair_share")), float(value("advice.age_share")),
                   float(value("advice.incidents_per_year")), str(value("currency")))


@dataclass(frozen=True)
class Signals:
    """The three measures the advice weighs (a share is None when it cannot be known)
    and the open incidents."""

    repair_share: float | None
    age_share: float | None
    incident_rate: float
    open_incidents: int

    def met(self, limits: Settings) -> dict[str, bool]:
        """Which reasons point to replacing (or, for open incidents, to repairing now)."""
        return {"repair_cost": _reached(self.repair_share, limits.repair_share),
                "age": _reached(self.age_share, limits.age_share),
                "incident_rate": _reached(self.incident_rate, limits.incidents_per_year),
                "open_incidents": self.open_incidents > 0}


def _reached(value: float | None, threshold: float) -> bool:
    return value is not None and value >= threshold


def decide(signals: Signals, limits: Settings) -> str:
    """The recommendation for ``signals`` (module docstring)."""
    met = signals.met(limits)
    if met["repair_cost"] or (met["age"] and met["incident_rate"]):
        return "replace"
    if met["open_incidents"]:
        return "repair"
    if met["age"] or met["incident_rate"]:
        return "watch"
    return "keep"


def share(part: int, whole: int | None) -> float | None:
    """``part / whole`` to 4 places (what is shown is what is compared); None without a
    positive whole."""
    return None if not whole or whole <= 0 else round(part / whole, 4)


def whole_months(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end`` (0 when ``end`` is not later): the ``n``
    with ``add_months(start, n) <= end``, which runs into a shorter month's last day."""
    n = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day and (end + timedelta(days=1)).month == end.month:
        n -= 1  # not yet the day of the month it was bought on, nor that month's last
    return max(n, 0)


@lru_cache(maxsize=4)
def _rate_start(today: date) -> date:
    return add_months(today, -RATE_MONTHS)


def rate_years(today: date, since: date) -> float:
    """The years the incident rate is taken over: from ``since`` (bought, else added),
    at most the last two years, at least one."""
    return max(1.0, (today - max(_rate_start(today), since)).days / YEAR_DAYS)


# -- the figures, in SQL --------------------------------------------------------------------

OPEN = f"status NOT IN {literals(INCIDENT_CLOSED)}"


def cost_links(where: str = "") -> str:
    """``(asset_id, txn_id)`` of every transaction an asset's repairs cost, each once: its
    incidents' (``incident_txn``) and its log's repair and service entries'. ``where``:
    an extra condition on the asset id (``= :id``)."""
    on = f" AND i.asset_id {where}" if where else ""
    of = f" AND asset_id {where}" if where else ""
    return ("SELECT i.asset_id, x.txn_id FROM incident_txn x JOIN incident i"
            f" ON i.id = x.incident_id WHERE 1 = 1{on}"
            " UNION SELECT asset_id, txn_id FROM event WHERE txn_id IS NOT NULL"
            f" AND lower(kind) IN {literals(REPAIR_KINDS)}{of}")


def costs_query(where: str = "") -> str:
    """Per asset and currency: repair costs to date and since ``:since12``."""
    return ("SELECT c.asset_id, t.currency, -sum(t.amount_minor),"
            " -sum(CASE WHEN t.occurred_on >= :since12 THEN t.amount_minor ELSE 0 END)"
            f" FROM ({cost_links(where)}) c JOIN txn t ON t.id = c.txn_id"
            " GROUP BY c.asset_id, t.currency")


def assets_query(db: Db, where: str, *, one: bool = False) -> str:
    """Per asset: what the advice weighs, with its incidents counted (``where``: which
    assets; ``one``: only the asset ``:id``, whose incidents alone are read)."""
    only = " WHERE asset_id = :id" if one else ""
    return (
        "SELECT a.id, a.name, a.status, a.purchased_on, a.life_months, a.price_minor,"
        f" a.price_currency, {db.backend.date_of('a.created_at')} AS added_on,"
        " f.value AS field, coalesce(i.n, 0) AS incidents, coalesce(i.recent, 0) AS recent,"
        " coalesce(i.open_n, 0) AS open_n, i.first_on, i.last_on FROM asset a"
        f" LEFT OUTER JOIN asset_field f ON f.asset_id = a.id AND f.key = '{REPLACEMENT_FIELD}'"
        " LEFT OUTER JOIN (SELECT asset_id, count(*) AS n,"
        " sum(CASE WHEN started_on >= :since24 THEN 1 ELSE 0 END) AS recent,"
        f" sum(CASE WHEN {OPEN} THEN 1 ELSE 0 END) AS open_n, min(started_on) AS first_on,"
        f" max(started_on) AS last_on FROM incident{only} GROUP BY asset_id) i"
        " ON i.asset_id = a.id"
        f" WHERE {where}")


def _params(today: date, **more: Any) -> dict[str, Any]:
    return {"since12": add_months(today, -12).isoformat(),
            "since24": add_months(today, -RATE_MONTHS).isoformat(), **more}


Costs = dict[str, tuple[int, int]]  # currency -> (to date, last 12 months), minor units


def _costs(db: Db, query: str, params: dict[str, Any]) -> dict[int, Costs]:
    found: dict[int, Costs] = {}
    for asset_id, currency, total, recent in db.execute(query, params):
        found.setdefault(asset_id, {})[currency] = (int(total or 0), int(recent or 0))
    return found


def for_asset(*, db: Db, asset_id: int, today: date,
              settings: Settings | None = None) -> dict[str, Any] | None:
    """The advice for one asset (docs/json.md#advice), or None when it is out of use or
    has neither incidents nor repair costs."""
    limits = settings or Settings.configured()
    params = _params(today, id=asset_id)
    row = db.rows(assets_query(db, "a.id = :id", one=True), params).fetchone()
    if row is None or row["status"] in OUT_OF_USE:
        return None
    costs = _costs(db, costs_query("= :id"), params).get(asset_id, {})
    if not row["incidents"] and not costs:
        return None
    return advise(row, costs, today, limits)


def ranked(*, db: Db, today: date, limit: int | None = 20,
           settings: Settings | None = None) -> list[dict[str, Any]]:
    """The advice for every asset in use with incidents or repair costs: the most
    pressing first (then the larger repair share, more incidents, the lower id). Every
    candidate is weighed (numbers only); the advice is written out for those shown."""
    limits = settings or Settings.configured()
    params = _params(today)
    costs = _costs(db, costs_query(), params)
    rows = db.rows(assets_query(
        db, f"a.status NOT IN {literals(OUT_OF_USE)} AND (i.asset_id IS NOT NULL OR a.id IN"
            f" (SELECT asset_id FROM ({cost_links()}) l))"), params)
    found = []
    for row in rows:
        weighed = weigh(row, costs.get(row["id"], {}), today, limits)
        cost = weighed.signals.repair_share
        found.append(((-RECOMMENDATIONS.index(decide(weighed.signals, limits)), cost is None,
                       -(cost or 0), -int(row["incidents"]), row["id"]), row, weighed))
    found.sort(key=lambda item: item[0])
    shown = found[: NO_LIMIT if limit is None else limit]
    return [written(row, weighed, limits) for _, row, weighed in shown]


# -- one asset's advice -----------------------------------------------------------------------


@dataclass(frozen=True)
class Price:
    """The replacement price in minor units (None: none known) and its currency, where
    it came from, and a custom field that is not an amount (left aside)."""

    minor: int | None
    currency: str | None
    source: str | None  # "field", "price" or None
    unreadable: str | None = None


def replacement_price(row: Any, limits: Settings) -> Price:
    """The custom field ``replacement_price`` (an amount; in the purchase currency, else
    the default one, when it names none), else the purchase price."""
    minor, currency = row["price_minor"], row["price_currency"]
    bought = (Price(int(minor), currency, "price") if minor is not None and currency
              else Price(None, None, None))
    text = row["field"]
    if text is not None and text.strip():
        try:
            found = parse_money(text, default_currency=currency or limits.currency)
        except InvalidInput:
            return Price(bought.minor, bought.currency, bought.source, unreadable=text)
        return Price(found.minor, found.currency, "field")
    return bought


def _currency(price: Price, costs: Costs, limits: Settings) -> str:
    """The currency repair costs are counted in: the replacement price's, else the one
    most was spent in, else the default one."""
    if price.currency is not None:
        return price.currency
    if costs:
        return max(costs, key=lambda cur: (costs[cur][0], cur))
    return limits.currency


@dataclass(frozen=True)
class Weighed:
    """What the rule weighs for one asset, and the figures its advice shows."""

    signals: Signals
    price: Price
    currency: str
    total: int  # repairs to date, minor units of ``currency``
    recent: int  # of them, in the last 12 months
    age: int | None  # whole months since it was bought


def weigh(row: Any, costs: Costs, today: date, limits: Settings) -> Weighed:
    """The signals of one row of ``assets_query`` (``costs``: its repairs per currency)."""
    price = replacement_price(row, limits)
    currency = _currency(price, costs, limits)
    total, recent = costs.get(currency, (0, 0))
    bought, life = day(row["purchased_on"]), row["life_months"]
    age = whole_months(bought, today) if bought else None
    since = bought or day(row["added_on"]) or today
    signals = Signals(
        repair_share=share(recent, price.minor),
        age_share=share(age, life) if age is not None and life else None,
        incident_rate=round(int(row["recent"]) / rate_years(today, since), 2),
        open_incidents=int(row["open_n"]))
    return Weighed(signals, price, currency, total, recent, age)


def advise(row: Any, costs: Costs, today: date, limits: Settings) -> dict[str, Any]:
    """The advice shape (docs/json.md#advice) of one row of ``assets_query``."""
    return written(row, weigh(row, costs, today, limits), limits)


def written(row: Any, weighed: Weighed, limits: Settings) -> dict[str, Any]:
    """The advice shape of a row weighed (:func:`weigh`): figures and reasons."""
    signals, price, currency = weighed.signals, weighed.price, weighed.currency
    incidents = int(row["incidents"])
    first, last = day(row["first_on"]), day(row["last_on"])
    facts = {
        "asset_id": row["id"], "name": row["name"],
        "recommendation": decide(signals, limits),
        "incidents": incidents, "open_incidents": signals.open_incidents,
        "first_incident_on": iso(first), "last_incident_on": iso(last),
        "mtbf_days": (round((last - first).days / (incidents - 1), 1)
                      if first and last and incidents > 1 else None),
        "incidents_per_year": signals.incident_rate,
        "repair_cost": money_json(weighed.total, currency),
        "repair_cost_12m": money_json(weighed.recent, currency),
        "replacement_price": money_json(price.minor, price.currency),
        "replacement_price_from": price.source,
        "age_months": weighed.age, "life_months": row["life_months"],
    }
    spent = Money(weighed.recent, currency)
    return {**facts, "reasons": reasons(signals, limits, facts, price, spent)}


# -- the reasons, as data and as sentences ----------------------------------------------------


def _pct(value: float) -> str:
    return f"{value * 100:.4g}%"


def _money(m: Money) -> str:
    return format_money(m, grouping=True)


def reasons(signals: Signals, limits: Settings, facts: dict[str, Any], price: Price,
            spent: Money) -> list[dict[str, Any]]:
    """One entry per reason (``REASONS`` order): its measure, threshold, whether it is
    met, and a sentence that says so (``spent``: on repairs in the last 12 months)."""
    met = signals.met(limits)
    texts = {"repair_cost": _cost_text(signals.repair_share, limits, spent, price),
             "age": _age_text(signals.age_share, limits, facts),
             "incident_rate": _rate_text(signals.incident_rate, limits, facts),
             "open_incidents": _open_text(signals.open_incidents)}
    values = {"repair_cost": (signals.repair_share, limits.repair_share),
              "age": (signals.age_share, limits.age_share),
              "incident_rate": (signals.incident_rate, limits.incidents_per_year),
              "open_incidents": (signals.open_incidents, None)}
    return [{"reason": name, "value": values[name][0], "threshold": values[name][1],
             "met": met[name], "text": texts[name]} for name in REASONS]


def _cost_text(value: float | None, limits: Settings, spent: Money, price: Price) -> str:
    cost = _money(spent)
    aside = (f" (its {REPLACEMENT_FIELD} field {price.unreadable!r} is not an amount)"
             if price.unreadable is not None else "")
    if value is None or price.minor is None or price.currency is None:
        return (f"Repairs in the last 12 months cost {cost}; with no replacement price"
                f"{aside} there is nothing to weigh them against (set --price, or --field "
                f"{REPLACEMENT_FIELD}=AMOUNT).")
    new = _money(Money(price.minor, price.currency))
    if value >= limits.repair_share:
        return (f"Repairs in the last 12 months cost {cost}, {_pct(value)} of a new one at "
                f"{new}{aside}: replacing pays from {_pct(limits.repair_share)}.")
    return (f"Repairs in the last 12 months cost {cost}, {_pct(value)} of a new one at "
            f"{new}{aside}; replacing pays from {_pct(limits.repair_share)}.")


def _age_text(value: float | None, limits: Settings, facts: dict[str, Any]) -> str:
    age, life = facts["age_months"], facts["life_months"]
    if value is None:
        missing = "purchase date (--bought)" if age is None else "expected life (--life)"
        return f"Its age is not weighed: it has no {missing}."
    said = (f"It is {_plural(age, 'month')} old, {_pct(value)} of its expected life of "
            f"{life} months")
    if value >= limits.age_share:
        return f"{said}: old from {_pct(limits.age_share)}."
    return f"{said}; old from {_pct(limits.age_share)}."


def _rate_text(value: float, limits: Settings, facts: dict[str, Any]) -> str:
    said = (f"{_plural(facts['incidents'], 'incident')} so far, {value:g} a year over the "
            "last two years")
    if value >= limits.incidents_per_year:
        return f"{said}: too often from {limits.incidents_per_year:g} a year."
    return f"{said}; too often from {limits.incidents_per_year:g} a year."


def _open_text(n: int) -> str:
    if n:
        return f"{_plural(n, 'incident')} open: it needs a repair now."
    return "No incident is open."


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
