"""The edit journal (which field of which row changed, when and by whom) and the undo
journal (what each write command changed, to take it back: ``store.undo``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field

from stuffctl.models.base import Model


class Change(Model, table=True):
    """One field of one row changed by ``store.sql.update``. Its ``id`` only grows: a
    row's revision is the id of its latest change, and a save made from an older read
    (``edit --since REVISION``) is refused when a field it sets changed after it."""

    __tablename__ = "change"
    __table_args__ = (Index("ix_change_table_name_row_id_id", "table_name", "row_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    table_name: str
    row_id: int
    field: str
    changed_by: str | None = Field(default=None)
    changed_at: datetime


class UndoStep(Model, table=True):
    """One write command as `stuffctl undo` takes it back: its command line, when and by
    whom it ran; ``undone_at`` once undone."""

    __tablename__ = "undo_step"

    id: int | None = Field(default=None, primary_key=True)
    command: str
    ran_at: datetime
    ran_by: str | None = Field(default=None)
    undone_at: datetime | None = Field(default=None)


class UndoRow(Model, table=True):
    """One row one step inserted (``op`` i), updated (u) or deleted (d), written by the
    database's own triggers (``store.undo``): the row's key and, for u and d, the whole
    row as it was before, as JSON."""

    __tablename__ = "undo_row"

    id: int | None = Field(default=None, primary_key=True)
    step_id: int = Field(foreign_key="undo_step.id", ondelete="CASCADE", index=True)
    table_name: str
    op: str = Field(max_length=1)
    key: str
    before: str | None = Field(default=None)


class UndoNow(Model, table=True):
    """The step the open transaction journals into: one row, inserted when a write
    command begins and deleted before it commits, so no other transaction ever sees it;
    the triggers journal nothing when it is empty."""

    __tablename__ = "undo_now"

    step_id: int = Field(primary_key=True)
