"""`stuffctl status`: what needs attention and where things stand, as sections.

Each section is a function ``(session, today) -> list[dict]`` built on SQL
aggregates or small indexed queries; the ``SECTIONS`` registry lists them in
screen order and other nouns add theirs. Empty sections are left out of the
screen; the JSON keeps every key (empty) so scripts can rely on it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import String, case, func, literal, union_all
from sqlmodel import Session, col, select

from stuffctl.models import Asset, Attachment, Event, Loan, Person, Project, Reminder, Task, Txn
from stuffctl.services.common import iso

WARRANTY_DAYS = 60
RENEWAL_DAYS = 30
RECENT_DAYS = 7
ATTENTION_BANDS = ("overdue", "due", "soon")
# Reminder kinds shown in a section of their own (warranties, lent, budgets, renewals).
OWN_SECTION = ("warranty", "alert_budget", "loan", "renewal", "cancel_by")
OUT_OF_USE = ("retired", "sold", "lost")
Section = Callable[[Session, date], list[dict[str, Any]]]


def reminders(session: Session, today: date) -> list[dict[str, Any]]:
    """Overdue and due-soon occurrences from the reminders engine.

    Warranties and budget alerts are left out: they have sections of their own.
    """
    from stuffctl.services.reminders.engine import item_json, open_items
    from stuffctl.services.reminders.settings import Settings

    now = datetime.combine(today, datetime.now().time().replace(microsecond=0))
    settings = Settings.load()
    soonest = now + settings.longest_soon() + timedelta(days=1)
    items = [i for i in open_items(session, now, settings, due_before=soonest, in_reach=True)
             if i.band in ATTENTION_BANDS and i.cand.kind not in OWN_SECTION]
    items.sort(key=lambda i: (ATTENTION_BANDS.index(i.band or "soon"), i.cand.due_at))
    return [{k: v for k, v in item_json(i, now).items() if k in REMINDER_KEYS} for i in items]


REMINDER_KEYS = ("key", "kind", "title", "due", "band", "overdue_days", "about")


def lent(session: Session, today: date) -> list[dict[str, Any]]:
    """Things lent out and not back yet, overdue first."""
    overdue = col(Loan.due_on) < today
    rows = session.exec(
        select(col(Loan.id), col(Asset.id), col(Asset.name), col(Person.name), col(Loan.since),
               col(Loan.due_on))
        .join(Asset, col(Asset.id) == col(Loan.asset_id))
        .join(Person, col(Person.id) == col(Loan.person_id))
        .where(col(Loan.returned_on).is_(None), col(Loan.direction) == "out")
        .order_by(overdue.desc(), col(Loan.due_on).nulls_last(), col(Loan.id)))
    return [{"loan_id": lid, "asset_id": aid, "name": name, "person": who, "since": iso(since),
             "due_on": iso(due), "overdue_days": max(0, (today - due).days) if due else 0}
            for lid, aid, name, who, since, due in rows]


def budgets(session: Session, today: date) -> list[dict[str, Any]]:
    """This period's spending against each budget (services.budgets.budget_status)."""
    from stuffctl.services.budgets import budget_status

    keys = ("category", "period", "budget", "spent", "left", "percent", "over")
    return [{k: row[k] for k in keys}
            for row in budget_status(session=session, today=today)["budgets"]]


def renewals(session: Session, today: date) -> list[dict[str, Any]]:
    """Subscription renewals and cancel-by dates in the next 30 days."""
    from stuffctl.services.subscriptions import upcoming_renewals

    return upcoming_renewals(session=session, start=today,
                             end=today + timedelta(days=RENEWAL_DAYS))


def projects(session: Session, today: date) -> list[dict[str, Any]]:
    """Active projects with their progress and next open task, soonest due first."""
    done = func.sum(case((col(Task.status) == "done", 1), else_=0))
    counts = (select(Task.project_id, func.count().label("total"), done.label("done"))
              .group_by(col(Task.project_id)).subquery())
    rows = session.exec(
        select(col(Project.id), col(Project.name), col(Project.due_on), counts.c.total,
               counts.c.done)
        .outerjoin(counts, counts.c.project_id == col(Project.id))
        .where(col(Project.status) == "active")
        .order_by(col(Project.due_on).asc().nulls_last(), col(Project.id)))
    found = [{"project_id": pid, "name": name, "due_on": iso(due),
              "tasks_total": int(total or 0), "tasks_done": int(finished or 0),
              "progress": int(finished or 0) * 100 // int(total) if total else 0,
              "next_task": None} for pid, name, due, total, finished in rows]
    nxt = _next_tasks(session, [p["project_id"] for p in found])
    for p in found:
        p["next_task"] = nxt.get(p["project_id"])
    return found


def _next_tasks(session: Session, ids: list[int]) -> dict[int, dict[str, Any]]:
    """Per project its first open task: by due date, then priority, then age (one query)."""
    rank = func.row_number().over(
        partition_by=col(Task.project_id),
        order_by=(col(Task.due_on).asc().nulls_last(), col(Task.priority).asc().nulls_last(),
                  col(Task.id))).label("rank")
    ranked = (select(col(Task.project_id), col(Task.id), col(Task.title), col(Task.due_on), rank)
              .where(col(Task.project_id).in_(ids), col(Task.status) != "done").subquery())
    rows = session.exec(select(ranked.c.project_id, ranked.c.id, ranked.c.title,
                               ranked.c.due_on).where(ranked.c.rank == 1))
    return {pid: {"id": tid, "title": title, "due_on": iso(due)}
            for pid, tid, title, due in rows}


def warranties(session: Session, today: date) -> list[dict[str, Any]]:
    """Warranties of assets still in use that end in the next 60 days."""
    horizon = today + timedelta(days=WARRANTY_DAYS)
    rows = session.exec(
        select(col(Asset.id), col(Asset.name), col(Asset.warranty_until))
        .where(col(Asset.warranty_until) >= today, col(Asset.warranty_until) <= horizon,
               col(Asset.status).not_in(OUT_OF_USE))
        .order_by(col(Asset.warranty_until), col(Asset.id))
    )
    return [{"asset_id": i, "name": n, "warranty_until": iso(w), "days_left": (w - today).days}
            for i, n, w in rows if w is not None]


def recent(session: Session, today: date) -> list[dict[str, Any]]:
    """What changed in the last seven days, newest first (at most ten lines).

    Assets added or changed, log entries, transactions added, tasks done and
    loans made or returned; ``about`` names the thing (``asset:12``, ``txn:40``).
    """
    rows = session.exec(recent_query(today))
    return [{"what": w, "about": a, "name": n, "at": iso(_aware(t))} for w, a, n, t in rows]


def recent_query(today: date) -> Any:
    """The SELECT of ``recent``: every part searches a created/updated index
    (tests/test_query_plans.py)."""
    since = datetime.combine(today - timedelta(days=RECENT_DAYS), time(), tzinfo=UTC)
    day = today - timedelta(days=RECENT_DAYS)

    def about(kind: str, ident: Any) -> Any:
        return (literal(kind + ":") + func.cast(ident, String)).label("about")

    added: Any = select(literal("asset added").label("what"), about("asset", Asset.id),
                        col(Asset.name).label("name"), col(Asset.created_at).label("at")
                        ).where(col(Asset.created_at) >= since)
    parts = [added, *_changes(since, day, about)]
    changes = union_all(*parts).subquery()
    return select(*changes.c).order_by(changes.c.at.desc(), changes.c.about.desc()).limit(10)


def _changes(since: datetime, day: date, about: Any) -> list[Any]:
    """The other kinds of change as SELECTs of (what, about, name, at) for the union."""
    txn_name = func.coalesce(Txn.payee, Txn.category, Txn.memo, "")
    return [
        select(literal("asset changed"), about("asset", Asset.id), Asset.name, Asset.updated_at)
        .where(col(Asset.updated_at) >= since, col(Asset.updated_at) > col(Asset.created_at)),
        select(Event.kind, about("asset", Asset.id), Asset.name, Event.created_at).join(
            Asset, col(Event.asset_id) == col(Asset.id)).where(col(Event.created_at) >= since),
        select(literal("transaction added"), about("txn", Txn.id), txn_name, Txn.created_at)
        .where(col(Txn.created_at) >= since),
        select(literal("task done"), about("task", Task.id), Task.title, Task.done_at)
        .where(col(Task.done_at) >= since),
        select(literal("lent"), about("loan", Loan.id), Asset.name, Loan.created_at)
        .join(Asset, col(Asset.id) == col(Loan.asset_id)).where(col(Loan.created_at) >= since),
        select(literal("returned"), about("loan", Loan.id), Asset.name, Loan.updated_at)
        .join(Asset, col(Asset.id) == col(Loan.asset_id))
        .where(col(Loan.returned_on) >= day, col(Loan.updated_at) >= since),
    ]


def _aware(value: datetime | str) -> datetime:
    """A UNION loses the column type on SQLite: read the stored UTC text back."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def gaps(session: Session, today: date) -> list[dict[str, Any]]:
    """Data worth completing: assets without price, warranty or receipt; uncategorised money."""
    in_use = col(Asset.status).not_in(OUT_OF_USE)
    checks = [
        ("assets without a purchase price", col(Asset.price_minor).is_(None),
         "stuffctl asset edit ID --price AMOUNT"),
        ("assets without a warranty date", col(Asset.warranty_until).is_(None),
         "stuffctl asset edit ID --warranty DATE"),
        ("assets without a receipt", col(Asset.id).not_in(select(Attachment.asset_id)),
         "stuffctl asset attach ID FILE"),
    ]
    found = []
    for label, cond, fix in checks:
        count = session.exec(select(func.count()).select_from(Asset).where(in_use, cond)).one()
        if count:
            found.append({"gap": label, "count": count, "fix": fix})
    uncategorised = session.exec(
        select(func.count()).select_from(Txn).where(col(Txn.category).is_(None))).one()
    if uncategorised:
        found.append({"gap": "uncategorised transactions", "count": uncategorised,
                      "fix": "stuffctl tx categorize"})
    return found


SECTIONS: dict[str, Section] = {
    "reminders": reminders,
    "warranties": warranties,
    "lent": lent,
    "budgets": budgets,
    "renewals": renewals,
    "projects": projects,
    "recent": recent,
    "gaps": gaps,
}
GET_STARTED = ("Nothing recorded yet. Start with: stuffctl asset add NAME --price 499 "
               "--bought 2026-01-15 --warranty 2y   (or look around: stuffctl demo)")


def is_empty(session: Session) -> bool:
    """A fresh database: nothing recorded yet."""
    return not any(session.exec(select(func.count()).select_from(t)).one()
                   for t in (Asset, Txn, Project, Reminder))


def status(*, session: Session, today: date) -> dict[str, Any]:
    """Every section as data (the JSON of `stuffctl status`)."""
    empty = is_empty(session)
    sections = {name: ([] if empty else fn(session, today)) for name, fn in SECTIONS.items()}
    return {"as_of": iso(today), "empty": empty, "sections": sections,
            "hint": GET_STARTED if empty else None}


def brief(*, session: Session, today: date) -> str:
    """One line for a shell prompt: only the sections that need attention are computed."""
    if is_empty(session):
        return "nothing recorded yet"
    due = reminders(session, today)
    overdue = sum(1 for r in due if r["band"] == "overdue")
    parts = [_count(overdue, "overdue"), _count(len(due) - overdue, "due soon"),
             _count(len(warranties(session, today)), "warranty ending", "warranties ending"),
             _count(_lent_overdue(session, today), "lent overdue")]
    parts += [f"{b['category']} {b['percent']:g}%" for b in budgets(session, today) if b["over"]]
    parts.append(_count(sum(1 for r in renewals(session, today) if r["kind"] == "renewal"),
                        "renewal", "renewals"))
    found = [p for p in parts if p]
    return " · ".join(found) if found else "all clear"


def brief_cached(*, session: Session, now: datetime) -> str:
    """``brief`` at ``now``, stored for the fast path until it can next change.

    The line can change when data changes (every write forgets it, see
    ``store.forget_attention``), when a reminder moves to another band, and at
    midnight (warranty, loan and renewal windows count days).
    """
    from stuffctl.services.reminders.engine import open_items, remember
    from stuffctl.services.reminders.settings import Settings

    line = brief(session=session, today=now.date())
    items = open_items(session, now, Settings.load(), in_reach=True)
    midnight = datetime.combine(now.date() + timedelta(days=1), time())
    until = min([midnight, *(i.next_at for i in items if i.next_at)])
    remember(session, {"brief_line": line, "brief_until": until.isoformat()})
    return line


def _count(n: int, one: str, many: str | None = None) -> str:
    return "" if not n else f"{n} {one if n == 1 else (many or one)}"


def _lent_overdue(session: Session, today: date) -> int:
    return int(session.exec(select(func.count()).select_from(Loan).where(
        col(Loan.returned_on).is_(None), col(Loan.direction) == "out",
        col(Loan.due_on) < today)).one())
