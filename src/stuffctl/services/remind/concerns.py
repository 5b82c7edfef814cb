"""Whom an occurrence concerns: the people it is about, read in a few queries per run.

- an asset's (a warranty, maintenance): its owner;
- a loan: the person it is with, and the owner of the asset;
- a task: its assignee, else the people given the project's open tasks;
- a project: the people given its open tasks;
- a subscription's (a renewal, the last day to cancel, a price change): its payer;
- an own reminder: the person it is for (``remind add --for``), else what it is about.

Nobody named (an unowned asset, a budget passed, an alert): the config's
``notify.nobody`` says who hears it, ``everyone`` (each person with a channel) by
default.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from stuffctl.services.remind.sources import Candidate
from stuffctl.store.handle import Db


def _pairs(db: Db, sql: str, column: str, ids: Iterable[int]) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` whose ``column`` is one of ``ids`` (one parameter, any number)."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    query = sql.format(where=db.backend.in_list(column))
    return [tuple(row) for row in db.execute(query, (json.dumps(wanted),))]


def _ref(text: str | None) -> tuple[str, int] | None:
    """``("asset", 12)`` of ``asset:12``; None for anything else."""
    kind, _, ident = (text or "").rpartition(":")
    return (kind.rpartition(":")[2], int(ident)) if ident.isascii() and ident.isdigit() \
        else None


def concerned(db: Db, cands: Iterable[Candidate]) -> dict[str, frozenset[int]]:
    """For each candidate's key, the ids of the people it concerns (empty: nobody named)."""
    cands = list(cands)
    refs: dict[str, set[int]] = defaultdict(set)
    for c in cands:
        for text in (c.key, c.about):
            if (ref := _ref(text)) is not None:
                refs[ref[0]].add(ref[1])
    reminders = dict(_pairs(db, "SELECT id, person_id FROM reminder WHERE {where}", "id",
                            refs["reminder"]))
    loans = {lid: {p, o} for lid, p, o in _pairs(
        db, "SELECT l.id, l.person_id, a.owner_id FROM loan l JOIN asset a"
            " ON a.id = l.asset_id WHERE {where}", "l.id", refs["loan"])}
    tasks = {tid: (who, project) for tid, who, project in _pairs(
        db, "SELECT id, assignee_id, project_id FROM task WHERE {where}", "id", refs["task"])}
    projects: dict[int, set[int]] = defaultdict(set)
    for pid, who in _pairs(db, "SELECT project_id, assignee_id FROM task WHERE status = 'open'"
                               " AND assignee_id IS NOT NULL AND {where}", "project_id",
                           refs["project"] | {p for _, p in tasks.values()}):
        projects[pid].add(who)
    owners = dict(_pairs(db, "SELECT id, owner_id FROM asset WHERE {where}", "id",
                         refs["asset"]))
    payers = dict(_pairs(db, "SELECT id, payer_id FROM subscription WHERE {where}", "id",
                         refs["subscription"]))

    def people_of(ref: tuple[str, int] | None) -> set[Any]:
        if ref is None:
            return set()
        kind, ident = ref
        if kind == "asset":
            return {owners.get(ident)}
        if kind == "subscription":
            return {payers.get(ident)}
        if kind == "task":
            who, project = tasks.get(ident, (None, None))
            return {who} if who is not None else set(projects.get(project, ()))
        if kind == "project":
            return set(projects.get(ident, ()))
        return set()

    found: dict[str, frozenset[int]] = {}
    for c in cands:
        key = _ref(c.key)
        if key is not None and key[0] == "loan":
            people = loans.get(key[1], set())
        elif key is not None and key[0] == "reminder" and reminders.get(key[1]) is not None:
            people = {reminders[key[1]]}
        else:
            people = people_of(_ref(c.about))
        found[c.key] = frozenset(p for p in people if p is not None)
    return found
