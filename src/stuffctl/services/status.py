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

from sqlalchemy import func, literal, union_all
from sqlmodel import Session, col, select

from stuffctl.models import Asset, Attachment, Event, Txn
from stuffctl.services.common import iso

WARRANTY_DAYS = 60
RECENT_DAYS = 7
OUT_OF_USE = ("retired", "sold", "lost")
Section = Callable[[Session, date], list[dict[str, Any]]]


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
    """What changed in the last seven days, newest first (at most ten lines)."""
    since = datetime.combine(today - timedelta(days=RECENT_DAYS), time(), tzinfo=UTC)
    added: Any = select(literal("asset added").label("what"), col(Asset.id).label("asset_id"),
                   col(Asset.name).label("name"), col(Asset.created_at).label("at")
                   ).where(col(Asset.created_at) >= since)
    changed = select(literal("asset changed"), Asset.id, Asset.name, Asset.updated_at).where(
        col(Asset.updated_at) >= since, col(Asset.updated_at) > col(Asset.created_at))
    logged = select(Event.kind, Asset.id, Asset.name, Event.created_at).join(
        Asset, col(Event.asset_id) == col(Asset.id)).where(col(Event.created_at) >= since)
    changes = union_all(added, changed, logged).subquery()
    rows = session.exec(
        select(*changes.c).order_by(changes.c.at.desc(), changes.c.asset_id.desc()).limit(10))
    return [{"what": w, "asset_id": i, "name": n, "at": iso(_aware(a))} for w, i, n, a in rows]


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
    "warranties": warranties,
    "recent": recent,
    "gaps": gaps,
}
BRIEF_LABELS = {"warranties": ("warranty ending", "warranties ending")}
GET_STARTED = ("Nothing recorded yet. Start with: stuffctl asset add NAME --price 499 "
               "--bought 2026-01-15 --warranty 2y   (or look around: stuffctl demo)")


def is_empty(session: Session) -> bool:
    """A fresh database: nothing recorded yet."""
    return not any(session.exec(select(func.count()).select_from(t)).one() for t in (Asset, Txn))


def status(*, session: Session, today: date) -> dict[str, Any]:
    """Every section as data (the JSON of `stuffctl status`)."""
    empty = is_empty(session)
    sections = {name: ([] if empty else fn(session, today)) for name, fn in SECTIONS.items()}
    return {"as_of": iso(today), "empty": empty, "sections": sections,
            "hint": GET_STARTED if empty else None}


def brief(data: dict[str, Any]) -> str:
    """One line for a shell prompt or a status bar."""
    if data["empty"]:
        return "nothing recorded yet"
    parts = [f"{len(v)} {one if len(v) == 1 else many}"
             for key, (one, many) in BRIEF_LABELS.items() if (v := data["sections"].get(key))]
    return " · ".join(parts) if parts else "all clear"
