"""Assets: add, show, edit, retire, remove; their log and attachments.

Listing them is ``services.asset_list`` (plain SQL).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from stuffctl.errors import Conflict, InvalidInput
from stuffctl.models import Asset, AssetField, AssetTag, Attachment, Event
from stuffctl.money import Money
from stuffctl.services import asset_list
from stuffctl.services.common import get_or_404, touch

if TYPE_CHECKING:
    from stuffctl.models import Txn

# Columns a person may set with `asset add` / `asset edit` (and unset with --unset).
EDITABLE = (
    "name", "category", "location", "brand", "model", "serial", "purchased_on", "price",
    "vendor", "warranty_until", "life_months", "parent_id", "notes", "status",
)


@dataclass
class AssetChanges:
    """What `asset add` or `asset edit` sets; ``values`` holds only what was given."""

    values: dict[str, Any] = field(default_factory=dict)
    add_tags: list[str] = field(default_factory=list)
    remove_tags: list[str] = field(default_factory=list)
    set_fields: dict[str, str] = field(default_factory=dict)
    unset: list[str] = field(default_factory=list)


def add_asset(*, session: Session, changes: AssetChanges) -> Asset:
    if not (changes.values.get("name") or "").strip():
        raise InvalidInput("an asset needs a name")
    asset = Asset(name=changes.values["name"])
    session.add(asset)
    _apply(session, asset, changes)
    return asset


def edit_asset(*, session: Session, asset_id: int, changes: AssetChanges) -> Asset:
    asset = get_or_404(session, Asset, asset_id, "asset")
    _apply(session, asset, changes)
    touch(asset)
    return asset


def _apply(session: Session, asset: Asset, changes: AssetChanges) -> None:
    for name in changes.unset:
        if name not in EDITABLE or name in ("name", "status"):
            raise InvalidInput(f"--unset: cannot unset {name!r}")
        _set(asset, name, None)
    values = dict(changes.values)
    warranty = values.pop("warranty_until", None)
    for name, value in values.items():
        if name == "parent_id" and value is not None:
            _check_parent(session, asset, value)
        _set(asset, name, value)
    if warranty is not None:
        asset.warranty_until = _resolve_warranty(warranty, asset.purchased_on)
    session.flush()
    assert asset.id is not None
    _set_tags(session, asset.id, changes.add_tags, changes.remove_tags)
    _set_fields(session, asset.id, changes.set_fields)
    session.flush()


def _set(asset: Asset, name: str, value: Any) -> None:
    if name == "price":
        asset.price_minor = value.minor if value else None
        asset.price_currency = value.currency if value else None
    else:
        setattr(asset, name, value)


def _resolve_warranty(value: Any, purchased_on: date | None) -> date:
    """A warranty given as a date, or as a duration counted from the purchase."""
    if isinstance(value, date):
        return value
    base = purchased_on or date.today()
    result: date = base + value
    return result


def _check_parent(session: Session, asset: Asset, parent_id: int) -> None:
    parent: Asset | None = get_or_404(session, Asset, parent_id, "parent asset")
    seen = {asset.id}
    while parent is not None:
        if parent.id in seen:
            raise InvalidInput(f"--parent: asset {parent_id} is inside this asset already")
        seen.add(parent.id)
        parent = session.get(Asset, parent.parent_id) if parent.parent_id else None


def _set_tags(session: Session, asset_id: int, add: Iterable[str], remove: Iterable[str]) -> None:
    remove = [t.strip() for t in remove]
    if remove:
        session.exec(
            delete(AssetTag).where(
                col(AssetTag.asset_id) == asset_id, col(AssetTag.tag).in_(remove)
            )
        )
    existing = set(asset_list.tags_of(session, [asset_id]).get(asset_id, []))
    for tag in dict.fromkeys(t.strip() for t in add):
        if not tag:
            raise InvalidInput("--tag: a tag cannot be empty")
        if tag not in existing:
            session.add(AssetTag(asset_id=asset_id, tag=tag))


def _set_fields(session: Session, asset_id: int, values: dict[str, str]) -> None:
    for key, value in values.items():
        row = session.get(AssetField, (asset_id, key))
        if row is None:
            session.add(AssetField(asset_id=asset_id, key=key, value=value))
        else:
            row.value = value


def unset_field(*, session: Session, asset_id: int, key: str) -> None:
    session.exec(
        delete(AssetField).where(col(AssetField.asset_id) == asset_id, col(AssetField.key) == key)
    )


def public(session: Session, asset: Asset) -> dict[str, Any]:
    assert asset.id is not None
    return asset_list.asset_public(
        [getattr(asset, c) for c in asset_list.COLUMNS],
        asset_list.tags_of(session, [asset.id]).get(asset.id, []),
        asset_list.fields_of(session, [asset.id]).get(asset.id, {}),
    )


def retire_asset(
    *, session: Session, asset_id: int, on: date, sold_for: Money | None = None
) -> Asset:
    asset = get_or_404(session, Asset, asset_id, "asset")
    if asset.status in ("retired", "sold"):
        raise Conflict(f"asset {asset_id} is already {asset.status}")
    asset.status = "sold" if sold_for is not None else "retired"
    asset.retired_on = on
    if sold_for is not None:
        asset.sold_minor, asset.sold_currency = sold_for.minor, sold_for.currency
    touch(asset)
    session.flush()
    return asset


def references(session: Session, asset_id: int) -> dict[str, int]:
    """What else points at this asset, by kind (its own log's costs do not count)."""
    from stuffctl.models import Txn  # models.ledger, built only where it is needed

    children = session.exec(
        select(func.count()).select_from(Asset).where(col(Asset.parent_id) == asset_id)
    ).one()
    own_costs = select(Event.txn_id).where(
        col(Event.asset_id) == asset_id, col(Event.txn_id).is_not(None)
    )
    txns = session.exec(
        select(func.count()).select_from(Txn).where(
            col(Txn.asset_id) == asset_id, col(Txn.id).not_in(own_costs)
        )
    ).one()
    found = (("child asset(s)", children), ("transaction(s)", txns))
    return {kind: count for kind, count in found if count}


def remove_asset(*, session: Session, asset_id: int, force: bool = False) -> dict[str, Any]:
    """Delete an asset with its log, tags, fields and attachment records."""
    from stuffctl.models import Txn  # models.ledger, built only where it is needed

    asset = get_or_404(session, Asset, asset_id, "asset")
    refs = references(session, asset_id)
    if refs and not force:
        what = ", ".join(f"{n} {k}" for k, n in refs.items())
        raise Conflict(f"asset {asset_id} is referred to by {what}; use --force to remove anyway")
    data = public(session, asset)
    session.exec(update(Asset).where(col(Asset.parent_id) == asset_id).values(parent_id=None))
    session.exec(update(Txn).where(col(Txn.asset_id) == asset_id).values(asset_id=None))
    session.delete(asset)
    session.flush()
    return data


def event_public(event: Event, txn: Txn | None) -> dict[str, Any]:
    """The JSON shape of a log entry (``asset_list.event_public``, shared with `asset show`)."""
    return asset_list.event_public(
        [event.id, event.uid, event.asset_id, event.occurred_on, event.kind, event.notes,
         event.meter, event.meter_unit, txn.amount_minor if txn else None,
         txn.currency if txn else None, txn.id if txn else None])


def log_event(
    *, session: Session, asset_id: int, kind: str, on: date, cost: Money | None = None,
    meter: float | None = None, meter_unit: str | None = None, notes: str | None = None,
) -> dict[str, Any]:
    """Add an entry to an asset's log; a cost is recorded as a linked transaction."""
    asset = get_or_404(session, Asset, asset_id, "asset")
    if not kind.strip():
        raise InvalidInput("--kind: cannot be empty")
    if meter is not None and meter < 0:
        raise InvalidInput(f"--meter: cannot be negative (got {meter})")
    txn = None
    if cost is not None:
        from stuffctl.models import Txn  # models.ledger, built only where it is needed

        txn = Txn(
            occurred_on=on, amount_minor=-abs(cost.minor), currency=cost.currency,
            payee=asset.vendor, category=f"assets:{kind}", memo=notes or f"{kind}: {asset.name}",
            asset_id=asset_id,
        )
        session.add(txn)
        session.flush()
    event = Event(
        asset_id=asset_id, occurred_on=on, kind=kind, notes=notes, meter=meter,
        meter_unit=meter_unit, txn_id=txn.id if txn else None,
    )
    session.add(event)
    touch(asset)
    session.flush()
    return event_public(event, txn)


def attachment_public(att: Attachment) -> dict[str, Any]:
    return asset_list.attachment_public([att.id, att.uid, att.asset_id, att.filename,
                                         att.sha256, att.size, att.created_at])


def add_attachment(
    *, session: Session, asset_id: int, filename: str, sha256: str, size: int
) -> dict[str, Any]:
    """Record a stored blob as attached; the same content twice is one record."""
    get_or_404(session, Asset, asset_id, "asset")
    existing = session.exec(
        select(Attachment).where(
            col(Attachment.asset_id) == asset_id, col(Attachment.sha256) == sha256
        )
    ).first()
    if existing is not None:
        return attachment_public(existing)
    att = Attachment(asset_id=asset_id, filename=filename, sha256=sha256, size=size)
    session.add(att)
    session.flush()
    return attachment_public(att)


def detach(*, session: Session, asset_id: int, file_id: int) -> tuple[dict[str, Any], bool]:
    """Remove an attachment record; say whether its blob is now unused."""
    att = get_or_404(session, Attachment, file_id, "attachment")
    if att.asset_id != asset_id:
        raise InvalidInput(f"attachment {file_id} does not belong to asset {asset_id}")
    data = attachment_public(att)
    session.delete(att)
    session.flush()
    others = session.exec(
        select(func.count()).select_from(Attachment).where(col(Attachment.sha256) == att.sha256)
    ).one()
    return data, others == 0

