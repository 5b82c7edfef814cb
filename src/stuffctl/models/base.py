"""Shared columns: every table has an integer id, a uid, and UTC timestamps."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel
from sqlmodel._compat import SQLModelConfig

from stuffctl.clock import new_uid, transaction_clock, utcnow

__all__ = ["Model", "Record", "new_uid", "searched", "transaction_clock", "utcnow"]

# Named constraints, so Alembic's batch mode can find them again on SQLite.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def searched(default: Any = None, **kwargs: Any) -> Any:
    """A text column that `find` and a listing's ``--search`` look in: its table's
    full-text index (``store.search``) and ``Table.searched`` carry it."""
    if default is ...:
        return Field(sa_column_kwargs={"info": {"searched": True}}, **kwargs)
    return Field(default=default, sa_column_kwargs={"info": {"searched": True}}, **kwargs)


class Model(SQLModel):
    """Base of every table model.

    Pydantic's validator for a class is built on first use instead of at import
    (``defer_build``): rows are loaded and inserted by SQLAlchemy, so most
    commands never need it, and importing the models costs a third less.
    """

    model_config = SQLModelConfig(defer_build=True)


class Record(Model):
    """Columns every table has. ``created_by``/``updated_by``: who wrote the row, as
    ``store.who`` names them (a person's name, else the login), kept as text: history
    stays readable after the person is gone."""

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True, max_length=36)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    created_by: str | None = Field(default=None)
    updated_by: str | None = Field(default=None)
