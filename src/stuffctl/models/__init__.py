"""SQLModel tables, one module per noun, imported on first use.

``from stuffctl.models import Txn`` imports only ``models.tx``: building a
table class costs several milliseconds, and a command that lists transactions
should not pay for the other twenty. Code that works over every table (export,
import, doctor, migrations) calls ``load_all()`` first, which registers every
table in ``SQLModel.metadata``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from stuffctl.models.base import Model, Record, new_uid, utcnow

if TYPE_CHECKING:
    from sqlalchemy import MetaData

    from stuffctl.models.asset import Asset, AssetField, AssetTag, Attachment, Event, Link
    from stuffctl.models.bench import Goal
    from stuffctl.models.budget import Budget
    from stuffctl.models.change import Change, UndoNow, UndoRow, UndoStep
    from stuffctl.models.incident import Incident, IncidentStep, IncidentTxn, Playbook
    from stuffctl.models.person import Channel, Loan, NotifyProfile, Person
    from stuffctl.models.project import (
        Project,
        ProjectAsset,
        ProjectTag,
        Task,
        TaskDep,
        TaskTag,
    )
    from stuffctl.models.remind import (
        MaintenanceSchedule,
        Meta,
        MeterReading,
        Notice,
        Notification,
        Occurrence,
        Outbox,
        Reminder,
    )
    from stuffctl.models.stock import StockItem, StockMove
    from stuffctl.models.sub import Subscription, SubscriptionCharge
    from stuffctl.models.tx import Category, Txn, TxnTag

# Each table class and the module that defines it, in the order ``load_all`` registers
# them (the order of ``SQLModel.metadata.tables``).
MODULES: dict[str, tuple[str, ...]] = {
    "asset": ("Asset", "AssetField", "AssetTag", "Attachment", "Event", "Link"),
    "bench": ("Goal",),
    "tx": ("Category", "Txn", "TxnTag"),
    "person": ("Channel", "Loan", "NotifyProfile", "Person"),
    "budget": ("Budget",),
    "sub": ("Subscription", "SubscriptionCharge"),
    "project": ("Project", "ProjectAsset", "ProjectTag", "Task", "TaskDep", "TaskTag"),
    "remind": ("MaintenanceSchedule", "Meta", "MeterReading", "Notice", "Notification",
               "Occurrence", "Outbox", "Reminder"),
    "change": ("Change", "UndoNow", "UndoRow", "UndoStep"),
    "incident": ("Incident", "IncidentStep", "IncidentTxn", "Playbook"),
    "stock": ("StockItem", "StockMove"),
}
_HOME = {name: module for module, names in MODULES.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def load_all() -> None:
    """Import every model module, so ``SQLModel.metadata`` holds every table."""
    for module in MODULES:
        importlib.import_module(f"{__name__}.{module}")


def metadata() -> MetaData:
    """``SQLModel.metadata`` with every table registered."""
    load_all()
    return Model.metadata


__all__ = [
    "Asset",
    "AssetField",
    "AssetTag",
    "Attachment",
    "Budget",
    "Category",
    "Change",
    "Channel",
    "Event",
    "Goal",
    "Incident",
    "IncidentStep",
    "IncidentTxn",
    "Link",
    "Loan",
    "MaintenanceSchedule",
    "Meta",
    "MeterReading",
    "Model",
    "Notice",
    "Notification",
    "NotifyProfile",
    "Occurrence",
    "Outbox",
    "Person",
    "Playbook",
    "Project",
    "ProjectAsset",
    "ProjectTag",
    "Record",
    "Reminder",
    "StockItem",
    "StockMove",
    "Subscription",
    "SubscriptionCharge",
    "Task",
    "TaskDep",
    "TaskTag",
    "Txn",
    "TxnTag",
    "UndoNow",
    "UndoRow",
    "UndoStep",
    "load_all",
    "metadata",
    "new_uid",
    "utcnow",
]
