"""Incidents (something broke: what was tried, the cause, the fix, what it cost) and
playbooks (a cause and fix kept for a brand/model or a category, offered next time)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Field

from stuffctl.models.base import Model, Record, searched


class Incident(Record, table=True):
    """A problem with an asset, from its symptom to its fix. ``status`` is one of
    ``vocabulary.INCIDENT_STATUSES``; ``closed_on`` is set when it leaves the open ones.
    Downtime: ``downtime_days`` when given, else from ``started_on`` to ``closed_on``
    (or today) while ``out_of_use``."""

    asset_id: int = Field(foreign_key="asset.id", ondelete="CASCADE", index=True)
    symptom: str = searched(...)
    started_on: date = Field(index=True)
    status: str = Field(default="open", index=True)
    closed_on: date | None = None
    cause: str | None = searched()
    fix: str | None = searched()
    notes: str | None = searched()
    out_of_use: bool = False
    downtime_days: int | None = None


class IncidentStep(Record, table=True):
    """One diagnosis step tried on an incident, and whether it helped (None: unknown)."""

    __tablename__ = "incident_step"

    incident_id: int = Field(foreign_key="incident.id", ondelete="CASCADE", index=True)
    occurred_on: date
    notes: str = searched(...)
    helped: bool | None = None


class IncidentTxn(Model, table=True):
    """A transaction (a part, a repair bill) that an incident cost."""

    __tablename__ = "incident_txn"

    incident_id: int = Field(foreign_key="incident.id", ondelete="CASCADE", primary_key=True)
    txn_id: int = Field(foreign_key="txn.id", ondelete="CASCADE", primary_key=True, index=True)


class Playbook(Record, table=True):
    """A symptom's cause and fix for stuff of a brand and model (or of a category),
    offered when a new incident is opened on matching stuff. ``incident_id``: the
    incident it was saved from, in this home; ``origin``: where an imported one came
    from (a share bundle's label)."""

    brand: str | None = searched()
    model: str | None = searched()
    category: str | None = Field(default=None, index=True)
    symptom: str = searched(...)
    cause: str | None = searched()
    fix: str = searched(...)
    steps: str | None = searched()  # the diagnosis steps that led there, one per line
    incident_id: int | None = Field(
        default=None, foreign_key="incident.id", ondelete="SET NULL", index=True)
    origin: str | None = None
