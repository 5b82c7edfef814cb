"""SQLModel tables, one module per noun. Importing this registers every table."""

from stuffctl.models.assets import Asset, AssetField, AssetTag, Attachment, Event
from stuffctl.models.base import Record, new_uid, utcnow
from stuffctl.models.ledger import Txn
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
    "Event",
    "MaintenanceSchedule",
    "Meta",
    "MeterReading",
    "Notification",
    "Occurrence",
    "Record",
    "Reminder",
    "Txn",
    "new_uid",
    "utcnow",
]
