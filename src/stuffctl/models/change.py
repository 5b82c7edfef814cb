"""The edit journal: which field of which row changed, when and by whom."""

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
