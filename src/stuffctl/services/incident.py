"""Incidents: something broke. From its symptom, through the steps tried and what it
cost, to its cause and fix, and the playbook kept for next time.

Open (offering the playbooks of matching stuff: ``services.playbook``), update (steps,
costs through the one transaction service, links, status), close, remove, list and
show, in plain SQL (``store.sql``); the one JSON shape of an incident
(``incident_public``) and of a step (``step_public``).

Status: ``open`` or ``waiting`` (for a part, a visit) while it is not closed; ``fixed``
or ``wont_fix`` once closed (``vocabulary.INCIDENT_CLOSED``), with ``closed_on``.
Downtime (:func:`downtime_days`): the days given (``--downtime``), else, while the
asset is out of use, the days from ``started_on`` to ``closed_on`` (to today while it
is open), else 0. What it cost: the transactions linked to it, per currency.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from stuffctl.errors import Conflict, InvalidInput, NotFound
from stuffctl.money import Money, money_json
from stuffctl.services import link, playbook
from stuffctl.services.asset import ATTACHMENT_ROWS, attachment_public
from stuffctl.services.tx import records
from stuffctl.store import sql
from stuffctl.store.handle import Db, Row
from stuffctl.store.sql import Where, batches, day, grouped, iso, stamp
from stuffctl.vocabulary import INCIDENT_CLOSED, INCIDENT_STATUSES

# An incident's row as its JSON shape reads it: its columns and its asset's name.
INCIDENTS = ("SELECT i.*, a.name AS asset_name FROM incident i"
             " JOIN asset a ON a.id = i.asset_id")
STEPS = f"{sql.select_all('incident_step')} WHERE incident_id = ? ORDER BY occurred_on, id"
# What each incident cost, per currency (money out is positive).
COSTS = ("SELECT it.incident_id, t.currency, -sum(t.amount_minor) FROM incident_txn it"
         " JOIN txn t ON t.id = it.txn_id WHERE it.incident_id IN ({ids})"
         " GROUP BY it.incident_id, t.currency ORDER BY t.currency")
EDITABLE = ("status", "symptom", "cause", "fix", "notes", "out_of_use", "downtime_days")
OPEN = tuple(s for s in INCIDENT_STATUSES if s not in INCIDENT_CLOSED)
COST_CATEGORY = "assets:repair"  # the category of a cost added with `--cost`


def downtime_days(*, started_on: date, closed_on: date | None, out_of_use: bool,
                  given: int | None, today: date) -> int:
    """The days an incident kept its asset from use (the module's docstring)."""
    if given is not None:
        return given
    if not out_of_use:
        return 0
    return max(((closed_on or today) - started_on).days, 0)


def incident_public(row: Row | Mapping[str, Any], cost: Sequence[tuple[str, int]],
                    today: date) -> dict[str, Any]:
    """The one JSON shape of an incident (docs/json.md#incident), from a row of
    ``INCIDENTS`` and its cost per currency."""
    started, closed = day(row["started_on"]), day(row["closed_on"])
    assert started is not None
    given = row["downtime_days"]
    return {
        "id": row["id"], "uid": row["uid"], "asset_id": row["asset_id"],
        "asset_name": row["asset_name"], "symptom": row["symptom"],
        "started_on": iso(started), "status": row["status"],
        "closed": row["status"] in INCIDENT_CLOSED, "closed_on": iso(closed),
        "cause": row["cause"], "fix": row["fix"], "notes": row["notes"],
        "out_of_use": bool(row["out_of_use"]),
        "downtime_days": downtime_days(started_on=started, closed_on=closed,
                                       out_of_use=bool(row["out_of_use"]), given=given,
                                       today=today),
        "downtime_given": given is not None,
        "cost": [money_json(int(minor), currency) for currency, minor in cost],
        "created_at": stamp(row["created_at"]), "updated_at": stamp(row["updated_at"]),
        "created_by": row["created_by"], "updated_by": row["updated_by"],
    }


def step_public(row: Row) -> dict[str, Any]:
    """One step tried on an incident (docs/json.md#incident-step)."""
    helped = row["helped"]
    return {"id": row["id"], "uid": row["uid"], "incident_id": row["incident_id"],
            "on": iso(day(row["occurred_on"])), "notes": row["notes"],
            "helped": None if helped is None else bool(helped),
            "created_by": row["created_by"]}


def costs_of(db: Db, ids: Sequence[int]) -> dict[int, list[tuple[str, int]]]:
    """``(currency, cost in minor units)`` of each of incidents ``ids`` (one query)."""
    return grouped(db, COSTS, ids)


def public(db: Db, incident_id: int, today: date) -> dict[str, Any]:
    """The JSON shape of incident ``incident_id`` with its revision (for ``--since``)."""
    row = db.rows(f"{INCIDENTS} WHERE i.id = ?", (incident_id,)).fetchone()
    if row is None:
        raise NotFound(f"no incident with id {incident_id}")
    return {**incident_public(row, costs_of(db, [incident_id]).get(incident_id, []), today),
            "revision": sql.revisions(db, "incident", [incident_id])[incident_id]}


def _text(option: str, value: str | None, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"{option}: {what} cannot be empty")
    return text


def open_incident(*, db: Db, asset_id: int, symptom: str, on: date, today: date,
                  out_of_use: bool = False, notes: str | None = None) -> dict[str, Any]:
    """Open an incident on an asset: its JSON shape and the playbooks offered for it
    (``playbooks``: ``playbook.match``)."""
    sql.row_or_404(db, "asset", ("id",), asset_id, "asset")
    text = _text("SYMPTOM", symptom, "what is wrong")
    incident_id = sql.insert(db, "incident", {
        "asset_id": asset_id, "symptom": text, "started_on": on, "status": "open",
        "out_of_use": out_of_use, "notes": (notes or "").strip() or None})
    return {**public(db, incident_id, today),
            "playbooks": playbook.match(db=db, asset_id=asset_id, symptom=text)}


@dataclass
class IncidentChanges:
    """What `incident update` does; ``values`` holds only the columns given
    (``downtime_days`` None: counted again, not given)."""

    values: dict[str, Any] = field(default_factory=dict)
    step: str | None = None
    helped: bool | None = None  # of the step: None is not known
    on: date | None = None  # the day of the step and of the cost (default today)
    txn_ids: list[int] = field(default_factory=list)  # existing transactions it cost
    cost: Money | None = None  # a new transaction: what it cost
    payee: str | None = None
    category: str | None = None
    links: list[str] = field(default_factory=list)  # URLs (services.link)
    since: int | None = None  # the revision the changes were decided from


def _columns(row: Row, changes: IncidentChanges) -> dict[str, Any]:
    """The columns ``changes`` sets, checked; a closed incident set open or waiting is
    open again (no ``closed_on``)."""
    values = dict(changes.values)
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise InvalidInput(f"an incident has no {', '.join(sorted(unknown))}")
    status = values.get("status")
    if status is not None:
        if status in INCIDENT_CLOSED:
            raise InvalidInput(f"--status: close it with 'stuffctl incident close "
                               f"{row['id']}{' --wont-fix' if status == 'wont_fix' else ''}'")
        if status not in OPEN:
            raise InvalidInput(f"--status: expected {' or '.join(OPEN)} (got {status!r})")
        values["closed_on"] = None
    if "symptom" in values:
        values["symptom"] = _text("--symptom", values["symptom"], "the symptom")
    for name in ("cause", "fix", "notes"):
        if name in values:
            values[name] = (values[name] or "").strip() or None
    given = values.get("downtime_days")
    if given is not None and given < 0:
        raise InvalidInput(f"--downtime: cannot be negative (got {given})")
    return values


def _check(db: Db, row: Row, changes: IncidentChanges, on: date) -> None:
    """Everything an update could refuse, before it writes anything."""
    for txn_id in changes.txn_ids:
        sql.row_or_404(db, "txn", ("id",), txn_id, "transaction")
    for url in changes.links:
        link.normalise_url(url)
    if changes.step is not None:
        _text("--step", changes.step, "a step")
    if changes.helped is not None and changes.step is None:
        raise InvalidInput("--helped/--no-help: say it of a --step")
    if changes.cost is None and (changes.payee is not None or changes.category is not None):
        raise InvalidInput("--payee and --category go with --cost")
    started = day(row["started_on"])
    assert started is not None
    if changes.step is not None and on < started:
        raise InvalidInput(f"--on: {on} is before the incident started ({started})")


def update_incident(*, db: Db, incident_id: int, changes: IncidentChanges,
                    today: date) -> dict[str, Any]:
    """Change an incident, add a step, link transactions and links, add a cost: the
    incident as ``show_incident`` shows it."""
    row = sql.row_or_404(db, "incident", None, incident_id, "incident")
    on = changes.on or today
    _check(db, row, changes, on)
    columns = _columns(row, changes)
    if changes.step is not None:
        sql.insert(db, "incident_step", {
            "incident_id": incident_id, "occurred_on": on,
            "notes": _text("--step", changes.step, "a step"), "helped": changes.helped})
    txn_ids = list(changes.txn_ids)
    if changes.cost is not None:
        txn_ids.append(_add_cost(db, row, changes, on))
    for txn_id in txn_ids:
        _link_txn(db, row, txn_id)
    for url in changes.links:
        link.add(db, incident_id=incident_id, url=url)
    sql.update(db, "incident", incident_id, columns, since=changes.since)
    return show_incident(db=db, incident_id=incident_id, today=today)


def _add_cost(db: Db, row: Row, changes: IncidentChanges, on: date) -> int:
    """A transaction of the cost (money out), linked to the incident's asset."""
    assert changes.cost is not None
    name = db.one("SELECT name FROM asset WHERE id = ?", (row["asset_id"],))
    cost = Money(-abs(changes.cost.minor), changes.cost.currency)
    added = records.add_txn(db=db, changes=records.TxnChanges(values={
        "occurred_on": on, "amount": cost, "payee": changes.payee,
        "category": changes.category or COST_CATEGORY,
        "memo": f"{name}: {row['symptom']}", "asset_id": row["asset_id"]}))
    return int(added["id"])


def _link_txn(db: Db, row: Row, txn_id: int) -> None:
    """Count transaction ``txn_id`` as a cost of the incident; one of no asset becomes
    a cost of the incident's asset."""
    (asset_id,) = sql.row_or_404(db, "txn", ("asset_id",), txn_id, "transaction")
    db.execute("INSERT INTO incident_txn (incident_id, txn_id) VALUES (?, ?) "
               "ON CONFLICT DO NOTHING", (row["id"], txn_id))
    if asset_id is None:
        records.edit_txn(db=db, txn_id=txn_id, changes=records.TxnChanges(
            values={"asset_id": row["asset_id"]}))


def close_incident(*, db: Db, incident_id: int, on: date, today: date,
                   status: str = "fixed", cause: str | None = None, fix: str | None = None,
                   keep_playbook: bool = False) -> dict[str, Any]:
    """Close an incident as ``fixed`` (which needs a fix: given now or before) or
    ``wont_fix``; with ``keep_playbook``, keep its symptom, cause, fix and steps as a
    playbook for the asset's brand and model (or its category when it has no model).
    The incident as ``show_incident`` shows it, with ``saved_playbook``."""
    row = sql.row_or_404(db, "incident", None, incident_id, "incident")
    if status not in INCIDENT_CLOSED:
        raise InvalidInput(f"an incident closes as {' or '.join(INCIDENT_CLOSED)} "
                           f"(got {status!r})")
    if row["status"] in INCIDENT_CLOSED:
        raise Conflict(f"incident {incident_id} is closed already ({row['status']} on "
                       f"{row['closed_on']}); 'stuffctl incident update {incident_id} "
                       "--status open' opens it again")
    started = day(row["started_on"])
    assert started is not None
    if on < started:
        raise InvalidInput(f"--on: {on} is before the incident started ({started})")
    columns: dict[str, Any] = {"status": status, "closed_on": on}
    for name, value in (("cause", cause), ("fix", fix)):
        if value is not None:
            columns[name] = value.strip() or None
    final = {**dict(row), **columns}
    if status == "fixed" and not final["fix"]:
        raise InvalidInput("closing as fixed needs --fix: what fixed it (or close it with "
                           "--wont-fix)")
    kept = _playbook_values(db, final) if keep_playbook else None  # checked before writing
    sql.update(db, "incident", incident_id, columns)
    saved = (playbook.keep_from_incident(db=db, incident_id=incident_id, values=kept)
             if kept is not None else None)
    return {**show_incident(db=db, incident_id=incident_id, today=today),
            "saved_playbook": playbook.public(db, saved) if saved is not None else None}


def _playbook_values(db: Db, incident: Mapping[str, Any]) -> dict[str, Any]:
    """What a closed incident is kept as, as a playbook (``playbook.keep_from_incident``)."""
    if not incident["fix"]:
        raise InvalidInput("--playbook: a playbook needs a fix; give --fix")
    asset_id = incident["asset_id"]
    brand, model, category = sql.row_or_404(db, "asset", ("brand", "model", "category"),
                                            asset_id, "asset")
    if not (model or category):
        raise InvalidInput(f"--playbook: asset {asset_id} has neither a model nor a "
                           f"category to keep it for; give it one ('stuffctl asset edit "
                           f"{asset_id} --model …' or '--category …')")
    steps = [_step_line(s) for s in db.rows(STEPS, (incident["id"],))]
    return {"brand": brand if model else None, "model": model, "category": category,
            "symptom": incident["symptom"], "cause": incident["cause"],
            "fix": incident["fix"], "steps": steps}


def _step_line(step: Row) -> str:
    said = {None: "", 1: " (helped)", 0: " (did not help)"}[step["helped"]]
    return " ".join(step["notes"].split()) + said


def remove_incident(*, db: Db, incident_id: int, today: date) -> dict[str, Any]:
    """Delete an incident with its steps and links; its transactions, files (the asset's
    still) and the playbook saved from it stay. Its shape as it was."""
    data = public(db, incident_id, today)
    db.execute("DELETE FROM incident WHERE id = ?", (incident_id,))
    return data


def show_incident(*, db: Db, incident_id: int, today: date) -> dict[str, Any]:
    """`incident show`: an incident with its steps, the transactions it cost, its files
    and links, and the playbooks offered for it (not the one saved from it)."""
    data = public(db, incident_id, today)
    data["steps"] = [step_public(s) for s in db.rows(STEPS, (incident_id,))]
    txns = list(db.rows(f"{records.SELECT} WHERE id IN (SELECT txn_id FROM incident_txn "
                        "WHERE incident_id = ?) ORDER BY occurred_on, id", (incident_id,)))
    tags = sql.tags_of(db, "txn", [t["id"] for t in txns])
    data["transactions"] = [records.txn_public(t, tags.get(t["id"], [])) for t in txns]
    data["attachments"] = [attachment_public(a) for a in db.rows(
        f"{ATTACHMENT_ROWS} WHERE incident_id = ? ORDER BY id", (incident_id,))]
    data["links"] = link.for_incident(db, incident_id)
    data["playbooks"] = playbook.match(db=db, asset_id=data["asset_id"],
                                       symptom=data["symptom"], leave_out=incident_id)
    return data


def status_condition(where: Where, status: str | None) -> None:
    """Add ``--status`` to ``where``: one status, ``all``, or (None) those not closed."""
    if status is None:
        where.add(f"i.status NOT IN {sql.literals(INCIDENT_CLOSED)}")
    elif status in INCIDENT_STATUSES:
        where.add("i.status = ?", status)
    elif status != "all":
        raise InvalidInput(f"--status: expected {', '.join(INCIDENT_STATUSES)} or all "
                           f"(got {status!r})")


def list_incidents(*, db: Db, today: date, asset_id: int | None = None,
                   status: str | None = None, batch: int = 500) -> Iterator[dict[str, Any]]:
    """Incidents (those not closed, or of ``status``: one, or ``all``), the latest started
    first, streamed ``batch`` at a time with the costs of each batch in one query."""
    where = Where()
    status_condition(where, status)
    if asset_id is not None:
        where.add("i.asset_id = ?", asset_id)
    query = f"{INCIDENTS} WHERE {where.sql} ORDER BY i.started_on DESC, i.id DESC"
    for rows in batches(db, query, where.params, batch):
        costs = costs_of(db, [r["id"] for r in rows])
        yield from (incident_public(r, costs.get(r["id"], []), today) for r in rows)
