"""Projects and their tasks: what to get done, linked to the stuff and the money."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field

from stuffctl.models.base import Model, Record, searched
from stuffctl.vocabulary import (  # noqa: F401  (re-exported)
    CLOSED_STATUSES,
    PRIORITIES,
    PROJECT_STATUSES,
    TASK_STATUSES,
)


class Project(Record, table=True):
    name: str = searched(..., index=True)
    outcome: str | None = searched()
    status: str = Field(default="planned", index=True)
    start_on: date | None = None
    due_on: date | None = Field(default=None, index=True)
    budget_minor: int | None = None
    budget_currency: str | None = Field(default=None, max_length=3)
    done_on: date | None = None
    notes: str | None = searched()


class ProjectTag(Model, table=True):
    __tablename__ = "project_tag"

    project_id: int = Field(foreign_key="project.id", ondelete="CASCADE", primary_key=True)
    tag: str = Field(primary_key=True, index=True)


class ProjectAsset(Model, table=True):
    """An asset linked to a project (bought for it, worked on in it)."""

    __tablename__ = "project_asset"

    project_id: int = Field(foreign_key="project.id", ondelete="CASCADE", primary_key=True)
    asset_id: int = Field(foreign_key="asset.id", ondelete="CASCADE", primary_key=True,
                          index=True)


class Task(Record, table=True):
    project_id: int = Field(foreign_key="project.id", ondelete="CASCADE", index=True)
    title: str = searched(...)
    status: str = Field(default="open", index=True)
    priority: str | None = Field(default=None, max_length=1)
    due_on: date | None = Field(default=None, index=True)
    done_at: datetime | None = Field(default=None, index=True)
    notes: str | None = searched()
    assignee_id: int | None = Field(default=None, foreign_key="person.id",
                                    ondelete="SET NULL", index=True)


class TaskTag(Model, table=True):
    __tablename__ = "task_tag"

    task_id: int = Field(foreign_key="task.id", ondelete="CASCADE", primary_key=True)
    tag: str = Field(primary_key=True, index=True)


class TaskDep(Model, table=True):
    """``task_id`` can start only once ``depends_on_id`` is done."""

    __tablename__ = "task_dep"

    task_id: int = Field(foreign_key="task.id", ondelete="CASCADE", primary_key=True)
    depends_on_id: int = Field(foreign_key="task.id", ondelete="CASCADE", primary_key=True,
                               index=True)
