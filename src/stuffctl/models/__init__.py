"""SQLModel tables, one module per noun. Importing this registers every table."""

from stuffctl.models.assets import Asset, AssetField, AssetTag, Attachment, Event
from stuffctl.models.base import Record, new_uid, utcnow
from stuffctl.models.ledger import Txn
from stuffctl.models.people import Loan, Person

__all__ = [
    "Asset",
    "AssetField",
    "AssetTag",
    "Attachment",
    "Event",
    "Loan",
    "Person",
    "Record",
    "Txn",
    "new_uid",
    "utcnow",
]
