"""SQLModel tables, one module per noun. Importing this registers every table."""

from stuffctl.models.assets import Asset, AssetField, AssetTag, Attachment, Event
from stuffctl.models.base import Record, new_uid, utcnow
from stuffctl.models.ledger import Budget, Subscription, SubscriptionCharge, Txn, TxnTag

__all__ = [
    "Asset",
    "AssetField",
    "AssetTag",
    "Attachment",
    "Budget",
    "Event",
    "Record",
    "Subscription",
    "SubscriptionCharge",
    "Txn",
    "TxnTag",
    "new_uid",
    "utcnow",
]
