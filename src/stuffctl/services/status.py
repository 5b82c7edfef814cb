"""`stuffctl status`: what needs attention and where things stand, as sections.

Each section is a function ``(conn, today) -> list[dict]`` built on SQL
aggregates or small indexed queries, in plain SQL on a DB-API connection
(``store.sql``: `status` runs without SQLAlchemy); the ``SECTIONS``
registry lists them in screen order and other nouns add theirs. Empty
sections are left out of the screen; the JSON keeps every key (empty) so
scripts can rely on it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from stuffctl import vocabulary
from stuffctl.services.budget import budget_status
from stuffctl.services.project import records
from stuffctl.services.remind import due
from stuffctl.store.handle import Db
from stuffctl.store.sql import iso, literals, marks, moment, stamp, who

if TYPE_CHECKING:
    from stuffctl.services.remind.sources import Candidate, Skipped

WARRANTY_DAYS = 60
RENEWAL_DAYS = 30
RECENT_DAYS = 7
ATTENTION_BANDS = ("overdue", "due", "soon")
# Reminder kinds shown in a section of their own (warranties, lent, budgets, renewals).
OWN_SECTION = ("warranty", "alert_budget", "loan", "renewal", "cancel_by")
# ... of which the renewals section shows only dates from today on.
FROM_TODAY = ("renewal", "cancel_by")
OUT_OF_USE = literals(vocabulary.OUT_OF_USE)
Section = Callable[[Db, date], list[dict[str, Any]]]


def reminders(conn: Db, today: date, skipped: list[Skipped] | None = None
              ) -> list[dict[str, Any]]:
    """Overdue and due-soon occurrences from the reminders engine.

    Warranties, loans, budget alerts and renewals are left out where they have
    sections of their own; a charge or cancel-by date before today (not posted, not
    done) is not in the renewals section, so it is here. A row the engine cannot
    follow is left out and added to ``skipped``.
    """
    from stuffctl.services.remind.engine import item_json, open_items
    from stuffctl.services.remind.settings import Settings

    now = datetime.combine(today, datetime.now().time().replace(microsecond=0))
    settings = Settings.load()
    soonest = now + settings.longest_soon() + timedelta(days=1)
    found = open_items(conn, now, settings, due_before=soonest, in_reach=True,
                       skipped=skipped)
    items = [i for i in found if i.band in ATTENTION_BANDS
             and not _in_own_section(i.cand, today)]
    items.sort(key=lambda i: (ATTENTION_BANDS.index(i.band or "soon"), i.cand.due_at))
    return [{k: v for k, v in item_json(i, now).items() if k in REMINDER_KEYS} for i in items]


REMINDER_KEYS = ("key", "kind", "title", "due", "band", "overdue_days", "about")


def _in_own_section(cand: Candidate, today: date) -> bool:
    if cand.kind in FROM_TODAY:
        return cand.due_at.date() >= today
    return cand.kind in OWN_SECTION

LENT = ("SELECT l.id, a.id, a.name, p.name, l.since, l.due_on FROM loan l"
        " JOIN asset a ON a.id = l.asset_id JOIN person p ON p.id = l.person_id"
        " WHERE l.returned_on IS NULL AND l.direction = 'out'"
        " ORDER BY l.due_on < ? DESC NULLS LAST, l.due_on NULLS LAST, l.id")


def lent(conn: Db, today: date) -> list[dict[str, Any]]:
    """Things lent out and not back yet, overdue first."""
    rows = conn.execute(LENT, (today.isoformat(),))
    return [{"loan_id": lid, "asset_id": aid, "name": name, "person": who, "since": since,
             "due_on": due_on,
             "overdue_days": max(0, (today - date.fromisoformat(due_on)).days) if due_on else 0}
            for lid, aid, name, who, since, due_on in rows]


def budgets(conn: Db, today: date) -> list[dict[str, Any]]:
    """This period's spending against each budget (services.budget)."""
    keys = ("category", "period", "budget", "spent", "left", "percent", "over")
    return [{k: row[k] for k in keys} for row in budget_status(db=conn, today=today)["budgets"]]


def renewals(conn: Db, today: date) -> list[dict[str, Any]]:
    """Subscription renewals and cancel-by dates in the next 30 days."""
    return due.upcoming_renewals(db=conn, start=today,
                                 end=today + timedelta(days=RENEWAL_DAYS))


PROJECTS = ("SELECT id, name, due_on FROM project WHERE status = 'active'"
            " ORDER BY due_on NULLS LAST, id")
# Per project its first open task: by due date, then priority, then age.
NEXT_TASKS = (
    "SELECT project_id, id, title, due_on FROM (SELECT project_id, id, title, due_on,"
    " row_number() OVER (PARTITION BY project_id ORDER BY due_on NULLS LAST,"
    " priority NULLS LAST, id) AS rank FROM task"
    " WHERE project_id IN ({ids}) AND status != 'done') AS ranked WHERE rank = 1")


def projects(conn: Db, today: date) -> list[dict[str, Any]]:
    """Active projects with their progress and next open task, soonest due first."""
    rows = conn.execute(PROJECTS).fetchall()
    ids = [pid for pid, _, _ in rows]
    counts = records.task_counts(conn, ids)
    nxt = {pid: {"id": tid, "title": title, "due_on": due_on} for pid, tid, title, due_on
           in conn.execute(NEXT_TASKS.format(ids=marks(ids)), ids)}
    found = []
    for pid, name, due_on in rows:
        total, done = counts.get(pid, (0, 0))
        found.append({"project_id": pid, "name": name, "due_on": due_on, "tasks_total": total,
                      "tasks_done": done, "progress": records.progress("active", total, done),
                      "next_task": nxt.get(pid)})
    return found


WARRANTIES = ("SELECT id, name, warranty_until FROM asset WHERE warranty_until >= ?"
              f" AND warranty_until <= ? AND status NOT IN {OUT_OF_USE}"
              " ORDER BY warranty_until, id")


def warranties(conn: Db, today: date) -> list[dict[str, Any]]:
    """Warranties of assets still in use that end in the next 60 days."""
    horizon = today + timedelta(days=WARRANTY_DAYS)
    rows = conn.execute(WARRANTIES, (today.isoformat(), horizon.isoformat()))
    return [{"asset_id": i, "name": n, "warranty_until": w,
             "days_left": (date.fromisoformat(w) - today).days} for i, n, w in rows]


# What changed since :since (UTC) as (what, about, name, at), newest first; every
# part searches a created/updated index (tests/test_query_plans.py).
RECENT = """
SELECT 'asset added' AS what, 'asset:' || id AS about, name, created_at AS at FROM asset
 WHERE created_at >= :since
UNION ALL SELECT 'asset changed', 'asset:' || id, name, updated_at FROM asset
 WHERE updated_at >= :since AND updated_at > created_at
UNION ALL SELECT e.kind, 'asset:' || a.id, a.name, e.created_at FROM event e
 JOIN asset a ON e.asset_id = a.id WHERE e.created_at >= :since
UNION ALL SELECT 'transaction added', 'txn:' || id, coalesce(payee, category, memo, ''),
 created_at FROM txn WHERE created_at >= :since
UNION ALL SELECT 'task done', 'task:' || id, title, done_at FROM task WHERE done_at >= :since
UNION ALL SELECT 'lent', 'loan:' || l.id, a.name, l.created_at FROM loan l
 JOIN asset a ON a.id = l.asset_id WHERE l.created_at >= :since
UNION ALL SELECT 'returned', 'loan:' || l.id, a.name, l.updated_at FROM loan l
 JOIN asset a ON a.id = l.asset_id WHERE l.returned_on >= :day AND l.updated_at >= :since
ORDER BY at DESC, about DESC LIMIT 10
"""


def recent_params(today: date) -> dict[str, str]:
    start = today - timedelta(days=RECENT_DAYS)
    return {"since": moment(datetime.combine(start, time(), tzinfo=UTC)),
            "day": start.isoformat()}


def recent(conn: Db, today: date) -> list[dict[str, Any]]:
    """What changed in the last seven days, newest first (at most ten lines).

    Assets added or changed, log entries, transactions added, tasks done and
    loans made or returned; ``about`` names the thing (``asset:12``, ``txn:40``).
    """
    rows = conn.execute(RECENT, recent_params(today))
    return [{"what": w, "about": a, "name": n, "at": stamp(t)} for w, a, n, t in rows]


# (kind, field of services/gaps.py, label): the gaps the screen counts (`report gaps`
# has every field).
GAPS = (
    ("asset", "price", "assets without a purchase price"),
    ("asset", "warranty_until", "assets without a warranty date"),
    ("asset", "receipt", "assets without a receipt"),
    ("transaction", "category", "uncategorised transactions"),
)


def gaps(conn: Db, today: date, counts: dict[str, Any] | None = None
         ) -> list[dict[str, Any]]:
    """Data worth completing: assets without price, warranty or receipt; uncategorised
    money; counted as `report gaps` counts them (``counts``: its completeness, when it
    is at hand)."""
    from stuffctl.services.gaps import KINDS, completeness

    counts = counts or completeness(db=conn)
    found = []
    for kind, field, label in GAPS:
        count = counts["kinds"][kind]["missing"][field]
        if count:
            found.append({"gap": label, "count": count, "fix": KINDS[kind].fixes[field]})
    return found


MINE = ("SELECT t.id, t.title, p.name, t.due_on FROM task t JOIN project p ON p.id = t.project_id"
        f" WHERE t.assignee_id = ? AND t.status = 'open' AND p.status NOT IN "
        f"{literals(vocabulary.CLOSED_STATUSES)} ORDER BY t.due_on NULLS LAST, t.id LIMIT 10")
SOON_DAYS = 7


def mine(conn: Db, today: date) -> list[dict[str, Any]]:
    """The open tasks assigned to whoever runs the command (``store.sql.who``), soonest
    due first (ten at most); none when no person is them."""
    person_id, _ = who(conn)
    if person_id is None:
        return []
    soon = today + timedelta(days=SOON_DAYS)
    found = []
    for tid, title, project, due_on in conn.execute(MINE, (person_id,)):
        due = date.fromisoformat(due_on) if due_on else None
        band = (None if due is None else "overdue" if due < today else
                "due" if due == today else "soon" if due <= soon else None)
        found.append({"task_id": tid, "title": title, "project": project, "due_on": due_on,
                      "band": band})
    return found


def me(conn: Db) -> dict[str, Any] | None:
    """``{id, name}`` of the person the command runs as, or None."""
    person_id, name = who(conn)
    return None if person_id is None else {"id": person_id, "name": name}


UNDELIVERED = (
    "SELECT g.name, g.url, g.st, g.n, e.error FROM (SELECT p.name, c.url, CASE WHEN"
    " o.state = 'undelivered' THEN 'undelivered' ELSE 'retrying' END AS st, count(*) AS n,"
    " max(o.id) AS last FROM outbox o JOIN person p ON p.id = o.person_id JOIN channel c"
    " ON c.id = o.channel_id WHERE o.state = 'undelivered' OR (o.state = 'pending' AND"
    " o.attempts > 0) GROUP BY p.name, c.url, st) g JOIN outbox e ON e.id = g.last"
    " ORDER BY g.st DESC, g.name, g.url")


def notifications(conn: Db, today: date) -> list[dict[str, Any]]:
    """Channels with messages that failed: being retried, or given up (docs/notify.md);
    ``error`` is the last one's."""
    from stuffctl.services.remind.notify import mask

    return [{"person": person, "channel": mask(url), "state": state, "count": int(count),
             "error": error} for person, url, state, count, error in conn.execute(UNDELIVERED)]


def incidents(conn: Db, today: date) -> list[dict[str, Any]]:
    """Open incidents (not yet fixed or given up), the latest first (at most ten), each
    with the playbook offered first for it (``services.playbook``), if any."""
    from itertools import islice

    from stuffctl.services import incident, playbook

    found = []
    for row in islice(incident.list_incidents(db=conn, today=today, batch=10), 10):
        offered = playbook.match(db=conn, asset_id=row["asset_id"], symptom=row["symptom"],
                                 leave_out=row["id"])
        best = offered[0] if offered else None
        found.append({"incident_id": row["id"], "asset_id": row["asset_id"],
                      "asset": row["asset_name"], "symptom": row["symptom"],
                      "since": row["started_on"], "status": row["status"],
                      "playbook": None if best is None else {
                          "id": best["id"], "cause": best["cause"], "fix": best["fix"],
                          "matched_by": best["matched_by"]}})
    return found


def replace(conn: Db, today: date) -> list[dict[str, Any]]:
    """The assets whose repair-or-replace advice is ``replace`` (services.advice), the
    most pressing first (at most five), each with its first reason."""
    from stuffctl.services import advice

    return [{"asset_id": a["asset_id"], "name": a["name"],
             "repair_cost_12m": a["repair_cost_12m"],
             "replacement_price": a["replacement_price"],
             "reason": next((r["text"] for r in a["reasons"] if r["met"]), None)}
            for a in advice.ranked(db=conn, today=today, limit=5)
            if a["recommendation"] == "replace"]


SECTIONS: dict[str, Section] = {
    "mine": mine,
    "reminders": reminders,
    "warranties": warranties,
    "lent": lent,
    "budgets": budgets,
    "renewals": renewals,
    "incidents": incidents,
    "replace": replace,
    "projects": projects,
    "recent": recent,
    "gaps": gaps,
    "notifications": notifications,
}
GET_STARTED = ("Nothing recorded yet. Start with: stuffctl asset add NAME --price 499 "
               "--bought 2026-01-15 --warranty 2y   (or look around: stuffctl demo)")
EMPTY = ("SELECT NOT (EXISTS (SELECT 1 FROM asset) OR EXISTS (SELECT 1 FROM txn)"
         " OR EXISTS (SELECT 1 FROM project) OR EXISTS (SELECT 1 FROM reminder)"
         " OR EXISTS (SELECT 1 FROM subscription))")


def is_empty(conn: Db) -> bool:
    """A fresh database: nothing recorded yet."""
    (empty,), = conn.execute(EMPTY)
    return bool(empty)


def status(*, db: Db, today: date, skipped: list[Skipped] | None = None) -> dict[str, Any]:
    """Every section as data (the JSON of `stuffctl status`); rows the reminders engine
    cannot follow are added to ``skipped``."""
    from stuffctl.services.gaps import completeness

    empty = is_empty(db)
    score = None if empty else completeness(db=db)
    run = SECTIONS | {"reminders": functools.partial(reminders, skipped=skipped),
                      "gaps": functools.partial(gaps, counts=score)}
    sections = {name: ([] if empty else fn(db, today)) for name, fn in run.items()}
    return {"as_of": iso(today), "empty": empty, "me": me(db), "sections": sections,
            "completeness": score, "hint": GET_STARTED if empty else None}


def brief(*, db: Db, today: date, skipped: list[Skipped] | None = None) -> str:
    """One line for a shell prompt (``brief_data``'s ``line``)."""
    return str(brief_data(db=db, today=today, skipped=skipped)["line"])


def brief_data(*, db: Db, today: date, skipped: list[Skipped] | None = None
               ) -> dict[str, Any]:
    """The brief form as data (the JSON of `status --brief`, docs/json.md): what needs
    attention, counted, and the line that says it. Only the sections it counts are
    computed."""
    data: dict[str, Any] = {"line": "", "empty": is_empty(db), "overdue": 0, "due_soon": 0,
                            "warranties_ending": 0, "lent_overdue": 0, "over_budget": [],
                            "renewals": 0, "not_delivered": 0}
    if data["empty"]:
        return {**data, "line": "nothing recorded yet"}
    due_now = reminders(db, today, skipped)
    data["overdue"] = sum(1 for r in due_now if r["band"] == "overdue")
    data["due_soon"] = len(due_now) - data["overdue"]
    data["warranties_ending"] = len(warranties(db, today))
    data["lent_overdue"] = _lent_overdue(db, today)
    data["over_budget"] = [{"category": b["category"], "percent": b["percent"]}
                           for b in budgets(db, today) if b["over"]]
    data["renewals"] = sum(1 for r in renewals(db, today) if r["kind"] == "renewal")
    data["not_delivered"] = sum(r["count"] for r in notifications(db, today))
    parts = [_count(data["overdue"], "overdue"), _count(data["due_soon"], "due soon"),
             _count(data["warranties_ending"], "warranty ending", "warranties ending"),
             _count(data["lent_overdue"], "lent overdue"),
             *(f"{b['category']} {b['percent']:g}%" for b in data["over_budget"]),
             _count(data["renewals"], "renewal", "renewals"),
             _count(data["not_delivered"], "notification not delivered",
                    "notifications not delivered")]
    return {**data, "line": " · ".join(p for p in parts if p) or "all clear"}


def brief_cached(*, db: Db, now: datetime, skipped: list[Skipped] | None = None
                 ) -> dict[str, Any]:
    """``brief_data`` at ``now``, its line and its JSON stored for the fast path
    (``brief_line``, ``brief_json``) until it can next change.

    It can change when data changes (every write forgets it, see
    ``store.FORGET_ATTENTION``), when a reminder moves to another band, and at
    midnight (warranty, loan and renewal windows count days).
    """
    import json

    from stuffctl.services.remind.engine import open_items, remember
    from stuffctl.services.remind.settings import Settings

    data = brief_data(db=db, today=now.date(), skipped=skipped)
    items = open_items(db, now, Settings.load(), in_reach=True)
    midnight = datetime.combine(now.date() + timedelta(days=1), time())
    until = min([midnight, *(i.next_at for i in items if i.next_at)])
    remember(db, {"brief_line": data["line"], "brief_json": json.dumps(data),
                  "brief_until": until.isoformat()})
    return data


def _count(n: int, one: str, many: str | None = None) -> str:
    return "" if not n else f"{n} {one if n == 1 else (many or one)}"


def _lent_overdue(conn: Db, today: date) -> int:
    (count,), = conn.execute("SELECT count(*) FROM loan WHERE returned_on IS NULL"
                             " AND direction = 'out' AND due_on < ?", (today.isoformat(),))
    return int(count)
