"""SQLModel tables, one module per noun. Importing this registers every table."""

from stuffctl.models.assets import Asset, AssetField, AssetTag, Attachment, Event
from stuffctl.models.base import Record, new_uid, utcnow
from stuffctl.models.bench import Goal
from stuffctl.models.ledger import Budget, Subscription, SubscriptionCharge, Txn, TxnTag
from stuffctl.models.people import Loan, Person
from stuffctl.models.projects import Project, ProjectAsset, ProjectTag, Task, TaskDep, TaskTag
from stuffctl.models.reminders import (
    MaintenanceSchedule,
    Meta,
    MeterReading,
    Notification,
    Occurrence,
    Reminder,
)

__all__ = [
    "Asset",
    "AssetField",
    "AssetTag",
    "Attachment",
    "Budget",
    "Event",
    "Goal",
    "Loan",
    "MaintenanceSchedule",
    "Meta",
    "MeterReading",
    "Notification",
    "Occurrence",
    "Person",
    "Project",
    "ProjectAsset",
    "ProjectTag",
    "Record",
    "Reminder",
    "Subscription",
    "SubscriptionCharge",
    "Task",
    "TaskDep",
    "TaskTag",
    "Txn",
    "TxnTag",
    "new_uid",
    "utcnow",
]
