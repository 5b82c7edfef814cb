"""``stuffctl asset add|list|show|edit|rm|retire|log``: what you own and its log.

The ``asset`` sub-app; the other verbs are registered onto it by the other modules
of this package (``stuffctl.cli.tree.EXTENSIONS``).
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

import typer

from stuffctl import render
from stuffctl.cli.options import (
    FormatOpt,
    JsonOpt,
    LimitOpt,
    OffsetOpt,
    RawOpt,
    SinceOpt,
    YesOpt,
    date_opt,
    duration_opt,
    key_values,
    money_opt,
    pick_format,
    records,
    words,
)
from stuffctl.errors import InvalidInput
from stuffctl.vocabulary import ASSET_STATUSES

app = typer.Typer(no_args_is_help=True)
T = TypeVar("T")

IdArg = Annotated[str, typer.Argument(metavar="ASSET", help="Asset id or name (or the start "
                  "of one).", show_default=False, autocompletion=records("asset"))]
CategoryOpt = Annotated[str | None, typer.Option("--category", "-c",
                        help="Category; 'home:kitchen' rolls up into 'home'.")]
LocationOpt = Annotated[str | None, typer.Option("--location", "-l",
                        help="Where it is; nested as 'Home / Office / Desk'.")]
TagOpt = Annotated[list[str] | None, typer.Option("--tag", "-t", help="Tag (repeatable).")]
BrandOpt = Annotated[str | None, typer.Option("--brand", help="Brand.")]
ModelOpt = Annotated[str | None, typer.Option("--model", help="Model.")]
SerialOpt = Annotated[str | None, typer.Option("--serial", help="Serial number.")]
BoughtOpt = Annotated[str | None, typer.Option("--bought", help="Purchase date (2026-11-23, "
                      "today, -3d, last friday, …).")]
PriceOpt = Annotated[str | None, typer.Option("--price", help="Purchase price (499, "
                     "499.90 EUR, €499).")]
VendorOpt = Annotated[str | None, typer.Option("--vendor", help="Where it was bought.")]
WarrantyOpt = Annotated[str | None, typer.Option("--warranty", help="Warranty end: a date, "
                        "or a duration from purchase (2y).")]
LifeOpt = Annotated[str | None, typer.Option("--life", help="Expected life (5y, 18m).")]
ParentOpt = Annotated[str | None, typer.Option("--parent", help="The asset this is part of "
                      "(id or name).", autocompletion=records("asset"))]
FieldOpt = Annotated[list[str] | None, typer.Option("--field", help="Custom field key=value "
                     "(repeatable).")]
NotesOpt = Annotated[str | None, typer.Option("--notes", help="Free text.")]
UrlOpt = Annotated[str | None, typer.Option("--url", help="A web page about it: the "
                   "product's, its manual (https://…).")]

LIST_COLUMNS = [
    render.Column("ID", "id", justify="right"),
    render.Column("NAME", "name"),
    render.Column("CATEGORY", "category"),
    render.Column("LOCATION", "location"),
    render.Column("BOUGHT", "purchased_on", show=render.day),
    render.Column("PRICE", "price", justify="right"),
    render.Column("WARRANTY", "warranty_until", show=render.day),
    render.Column("STATUS", "status"),
    render.Column("TAGS", "tags"),
]
CSV_COLUMNS = [*LIST_COLUMNS[:7], render.Column("", "brand"), render.Column("", "model"),
               render.Column("", "serial"), render.Column("", "vendor"),
               render.Column("", "status"), render.Column("", "tags"),
               render.Column("", "parent_id"), render.Column("", "notes"),
               render.Column("", "uid")]


def _changes(
    *, name: str | None = None, category: str | None, location: str | None,
    tags: list[str] | None, brand: str | None, model: str | None, serial: str | None,
    bought: str | None, price: str | None, vendor: str | None, warranty: str | None,
    life: str | None, fields: list[str] | None, notes: str | None,
    url: str | None,
) -> Any:
    from stuffctl.dates import duration_months
    from stuffctl.services.asset import AssetChanges

    values: dict[str, Any] = {
        "name": name, "category": category, "location": location, "brand": brand,
        "model": model, "serial": serial, "vendor": vendor, "notes": notes, "url": _url(url),
        "purchased_on": date_opt("--bought", bought),
        "price": money_opt("--price", price),
    }
    if warranty is not None:
        values["warranty_until"] = _warranty(warranty)
    if life is not None:
        values["life_months"] = duration_months(_required(duration_opt("--life", life)))
    return AssetChanges(
        values={k: v for k, v in values.items() if v is not None},
        add_tags=list(tags or []),
        set_fields=key_values("--field", fields),
    )


def _parent(db: Any, changes: Any, parent: str | None) -> None:
    """``--parent`` as the id of the asset it names (``services.lookup.resolve``)."""
    from stuffctl.services.lookup import resolve

    if parent is not None:
        changes.values["parent_id"] = resolve(db, "asset", parent, "--parent")


def _url(value: str | None) -> str | None:
    """A web address as given, once it is one: http(s), with a host."""
    from urllib.parse import urlsplit

    if value is None:
        return None
    parts = urlsplit(value.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise InvalidInput(f"--url: expected a web address (https://…) (got {value!r})")
    return value.strip()


def _required(value: T | None) -> T:
    assert value is not None  # the option was given, so its parse is not None
    return value


def _warranty(value: str) -> Any:
    """A date, or a duration that the service counts from the purchase date."""
    from stuffctl.dates import parse_date, parse_duration

    for parse in (parse_duration, parse_date):
        try:
            return parse(value)
        except InvalidInput:
            pass
    raise InvalidInput(f"--warranty: expected a date (2027-03-01, eoy) or a duration from "
                       f"the purchase date (2y, 18m) (got {value!r})")


def meter_units() -> tuple[str, ...]:
    from stuffctl.dates import METER_UNITS

    return METER_UNITS


def _show_one(data: dict[str, Any], as_json: bool, verb: str) -> None:
    if as_json:
        render.emit_json(data)
    else:
        typer.echo(f"{verb} asset {data['id']}: {render.safe(data['name'])}")


@app.command("add")
def asset_add(
    name: Annotated[str, typer.Argument(help="What it is called.", show_default=False)],
    category: CategoryOpt = None, location: LocationOpt = None, tag: TagOpt = None,
    brand: BrandOpt = None, model: ModelOpt = None, serial: SerialOpt = None,
    bought: BoughtOpt = None, price: PriceOpt = None, vendor: VendorOpt = None,
    warranty: WarrantyOpt = None, life: LifeOpt = None, parent: ParentOpt = None,
    field: FieldOpt = None, notes: NotesOpt = None, url: UrlOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add an asset."""
    from stuffctl import store
    from stuffctl.services import asset

    changes = _changes(
        name=name, category=category, location=location, tags=tag, brand=brand, model=model,
        serial=serial, bought=bought, price=price, vendor=vendor, warranty=warranty,
        life=life, fields=field, notes=notes, url=url,
    )
    with store.transaction(write=True) as db:
        _parent(db, changes, parent)
        data = asset.add_asset(db=db, changes=changes)
    _show_one(data, as_json, "added")


def _sorts() -> list[str]:
    from stuffctl.services.asset import SORTS

    return list(SORTS)


@app.command("list")
def asset_list(
    category: CategoryOpt = None, location: LocationOpt = None,
    tag: Annotated[str | None, typer.Option("--tag", "-t", help="Only with this tag.")] = None,
    status: Annotated[str | None, typer.Option("--status", help="active, lent, retired, "
                      "sold, …", autocompletion=words(ASSET_STATUSES))] = None,
    warranty_before: Annotated[str | None, typer.Option("--warranty-before",
                               help="Warranty ends before this date.")] = None,
    search: Annotated[str | None, typer.Option("--search", "-s", help="Text in any "
                      "searched field: name, location, brand, model, serial, notes, "
                      "web page, …")] = None,
    not_seen_since: Annotated[str | None, typer.Option("--not-seen-since", help="Stocktake: "
                              "not seen for this long (1y, 6m) or since a date.")] = None,
    owner: Annotated[str | None, typer.Option(
        "--owner", metavar="<person>", help="Only what this person owns (id, name, or me).",
        show_default=False, autocompletion=records("person"))] = None,
    sort: Annotated[str, typer.Option("--sort", help="name, bought, price, warranty "
                    "or id.", autocompletion=words(_sorts))] = "name",
    desc: Annotated[bool, typer.Option("--desc", help="Reverse the order.")] = False,
    limit: LimitOpt = None, offset: OffsetOpt = 0,
    fmt: FormatOpt = None, as_json: JsonOpt = False, raw: RawOpt = False,
) -> None:
    """List assets, filtered and sorted."""
    from stuffctl import store
    from stuffctl.services import asset

    flt = asset.AssetFilter(
        category=category, location=location, tag=tag, status=status, search=search,
        warranty_before=date_opt("--warranty-before", warranty_before),
        not_seen_since=_since("--not-seen-since", not_seen_since),
    )
    out = pick_format(fmt, as_json)
    with store.transaction() as db:
        if owner is not None:
            from stuffctl.services.lookup import resolve

            flt.owner_id = resolve(db, "person", owner, "--owner")
        rows = asset.list_assets(db=db, flt=flt, sort=sort, descending=desc,
                                 limit=limit, offset=offset)
        columns = CSV_COLUMNS if out is render.Format.csv else LIST_COLUMNS
        render.emit_list(rows, columns, out, empty="no assets match")


def _since(option: str, value: str | None) -> Any:
    """A cut-off date: a date, or a duration counted back from today (1y)."""
    from datetime import date

    from stuffctl.dates import parse_duration

    if value is None:
        return None
    try:
        return date.today() - parse_duration(value)
    except InvalidInput:
        return date_opt(option, value)


@app.command("show")
def asset_show(ref: IdArg, as_json: JsonOpt = False) -> None:
    """Everything about one asset: fields, children, log, files, what it cost."""
    from datetime import date

    from stuffctl import store
    from stuffctl.services import asset
    from stuffctl.services.lookup import resolve

    with store.transaction() as db:
        data = asset.show_asset(db=db, asset_id=resolve(db, "asset", ref), today=date.today())
    if as_json:
        render.emit_json(data)
    else:
        from stuffctl.render.views import asset_view

        render.emit(asset_view(data))


@app.command("edit")
def asset_edit(
    ref: IdArg,
    name: Annotated[str | None, typer.Option("--name", help="New name.")] = None,
    category: CategoryOpt = None, location: LocationOpt = None, tag: TagOpt = None,
    untag: Annotated[list[str] | None, typer.Option("--untag", help="Remove a tag "
                     "(repeatable).")] = None,
    brand: BrandOpt = None, model: ModelOpt = None, serial: SerialOpt = None,
    bought: BoughtOpt = None, price: PriceOpt = None, vendor: VendorOpt = None,
    warranty: WarrantyOpt = None, life: LifeOpt = None, parent: ParentOpt = None,
    field: FieldOpt = None, notes: NotesOpt = None, url: UrlOpt = None,
    unset: Annotated[list[str] | None, typer.Option("--unset", help="Clear a field, or a "
                     "custom field as field.KEY (repeatable).")] = None,
    since: SinceOpt = None, as_json: JsonOpt = False,
) -> None:
    """Change an asset's fields, tags or custom fields."""
    from stuffctl import store
    from stuffctl.services import asset
    from stuffctl.services.lookup import resolve

    changes = _changes(
        name=name, category=category, location=location, tags=tag, brand=brand, model=model,
        serial=serial, bought=bought, price=price, vendor=vendor, warranty=warranty,
        life=life, fields=field, notes=notes, url=url,
    )
    changes.remove_tags = list(untag or [])
    custom = [u.removeprefix("field.") for u in unset or [] if u.startswith("field.")]
    changes.unset = [_column(u) for u in unset or [] if not u.startswith("field.")]
    changes.since = since
    with store.transaction(write=True) as db:
        asset_id = resolve(db, "asset", ref)
        _parent(db, changes, parent)
        asset.edit_asset(db=db, asset_id=asset_id, changes=changes)
        for key in custom:
            asset.unset_field(db=db, asset_id=asset_id, key=key)
        data = asset.public(db, asset_id)
    _show_one(data, as_json, "changed")


_UNSET_NAMES = {"bought": "purchased_on", "warranty": "warranty_until", "life": "life_months",
                "parent": "parent_id"}


def _column(name: str) -> str:
    return _UNSET_NAMES.get(name, name)


@app.command("rm")
def asset_rm(
    ref: IdArg, yes: YesOpt = False,
    force: Annotated[bool, typer.Option("--force", help="Remove even when other things "
                     "refer to it (they are unlinked).")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Remove an asset with its log and attachments (asks unless --yes)."""
    from datetime import date

    from stuffctl import store
    from stuffctl.services import asset
    from stuffctl.services.lookup import resolve

    if not yes:
        with store.transaction() as db:
            asset_id = resolve(db, "asset", ref)
            name = asset.show_asset(db=db, asset_id=asset_id, today=date.today())["name"]
        if not typer.confirm(f"Remove asset {asset_id} ({render.safe(name)})?", err=True):
            raise typer.Abort()
        ref = str(asset_id)
    with store.transaction(write=True) as db:
        data = asset.remove_asset(db=db, asset_id=resolve(db, "asset", ref), force=force)
    _show_one(data, as_json, "removed")


@app.command("retire")
def asset_retire(
    ref: IdArg,
    sold_for: Annotated[str | None, typer.Option("--sold-for", help="Sale price; marks "
                        "it sold.")] = None,
    on: Annotated[str, typer.Option("--on", help="When (default today).")] = "today",
    as_json: JsonOpt = False,
) -> None:
    """Mark an asset retired, or sold with --sold-for."""
    from stuffctl import store
    from stuffctl.services import asset
    from stuffctl.services.lookup import resolve

    when = date_opt("--on", on)
    price = money_opt("--sold-for", sold_for)
    assert when is not None
    with store.transaction(write=True) as db:
        data = asset.retire_asset(db=db, asset_id=resolve(db, "asset", ref), on=when,
                                  sold_for=price)
    _show_one(data, as_json, data["status"])


@app.command("log")
def asset_log(
    ref: IdArg,
    kind: Annotated[str, typer.Option("--kind", "-k", help="service, repair, inspection, "
                    "note, …")] = "note",
    on: Annotated[str, typer.Option("--on", help="When (default today).")] = "today",
    cost: Annotated[str | None, typer.Option("--cost", help="What it cost; recorded as a "
                    "transaction linked to the asset.")] = None,
    meter: Annotated[float | None, typer.Option("--meter", help="Meter reading (odometer, "
                     "hours).")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="Unit of the meter: km, mi, h, "
                    "cycles.", autocompletion=words(meter_units))] = None,
    notes: NotesOpt = None, as_json: JsonOpt = False,
) -> None:
    """Add an entry to an asset's log (service, repair, inspection, note)."""
    from stuffctl import store
    from stuffctl.services import asset
    from stuffctl.services.lookup import resolve

    when = date_opt("--on", on)
    amount = money_opt("--cost", cost)
    assert when is not None
    with store.transaction(write=True) as db:
        asset_id = resolve(db, "asset", ref)
        event = asset.log_event(db=db, asset_id=asset_id, kind=kind, on=when,
                                cost=amount, meter=meter, meter_unit=unit, notes=notes)
    if as_json:
        render.emit_json(event)
    else:
        typer.echo(f"logged {render.safe(event['kind'])} on {render.day(event['on'])} for "
                   f"asset {asset_id}")
