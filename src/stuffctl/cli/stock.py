"""``stuffctl stock``: consumables and their stock; ``stuffctl use`` takes from it and
``stuffctl shopping`` says what to buy (docs/stock.md)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import typer

from stuffctl import render
from stuffctl.cli.options import (
    FormatOpt,
    JsonOpt,
    RawOpt,
    SinceOpt,
    YesOpt,
    date_opt,
    parsed,
    pick_format,
    records,
    words,
)
from stuffctl.errors import InvalidInput

app = typer.Typer(no_args_is_help=True)

UNITS = ("pcs", "pack", "box", "roll", "kg", "g", "l", "ml", "m")
ItemArg = Annotated[str, typer.Argument(
    metavar="ITEM", help="Stock item id or name (or the start of one).", show_default=False,
    autocompletion=records("stock"))]
UnitOpt = Annotated[str | None, typer.Option(
    "--unit", help="What it is counted in: pcs, kg, l, … (none: whole things).",
    autocompletion=words(UNITS))]
ReorderOpt = Annotated[str | None, typer.Option(
    "--reorder", help="Reorder level: it is low at or below this quantity.")]
BuyOpt = Annotated[str | None, typer.Option(
    "--buy", help="How much you usually buy (what the shopping list asks for).")]
LeadOpt = Annotated[str | None, typer.Option(
    "--lead", help="How long buying takes (3d, 2w): it is low once it runs out within it.")]
AssetOpt = Annotated[str | None, typer.Option(
    "--asset", help="The asset it is for (id or name): the car's wiper blades.",
    autocompletion=records("asset"))]
CategoryOpt = Annotated[str | None, typer.Option("--category", "-c", help="Category.")]
VendorOpt = Annotated[str | None, typer.Option(
    "--vendor", help="Where you buy it (the shopping list groups by it).")]
NotesOpt = Annotated[str | None, typer.Option("--notes", help="Free text.")]
OnOpt = Annotated[str, typer.Option("--on", help="When (default today).")]


def _quantity(option: str, text: str | None) -> int | None:
    from stuffctl.services.stock.quantity import parse_quantity

    return parsed(option, text, parse_quantity)


def _lead_days(text: str) -> int:
    """``--lead`` in days: a duration of days or weeks."""
    from stuffctl.cli.options import duration_opt

    rd = duration_opt("--lead", text)
    assert rd is not None
    if rd.years or rd.months:
        raise InvalidInput(f"--lead: give days or weeks, such as 10d or 2w (got {text!r})")
    return int(rd.days)


def _cleared(option: str, text: str | None, value: Any) -> Any:
    """The value of an ``edit`` option: ``''`` clears it (None)."""
    return None if text is not None and not text.strip() else value(option, text)


def _today() -> date:
    return date.today()


def _done(data: dict[str, Any], as_json: bool, verb: str) -> None:
    if as_json:
        render.emit_json(data)
        return
    from stuffctl.render.stock import change_line

    typer.echo(change_line(verb, data))


@app.command("add")
def stock_add(
    name: Annotated[str, typer.Argument(help="What it is (wiper blades, dishwasher salt).",
                    show_default=False)],
    unit: UnitOpt = None,
    qty: Annotated[str | None, typer.Option("--qty", help="How much there is now "
                   "(default 0).")] = None,
    reorder: ReorderOpt = None, buy: BuyOpt = None, lead: LeadOpt = None,
    asset: AssetOpt = None, category: CategoryOpt = None, vendor: VendorOpt = None,
    notes: NotesOpt = None, as_json: JsonOpt = False,
) -> None:
    """Add a consumable to keep in stock; --qty records how much there is now."""
    from stuffctl import store
    from stuffctl.services.lookup import resolve
    from stuffctl.services.stock import items

    fields = items.ItemFields(
        name=name, unit=unit, quantity_milli=_quantity("--qty", qty) or 0,
        reorder_milli=_quantity("--reorder", reorder), buy_milli=_quantity("--buy", buy),
        lead_days=_lead_days(lead) if lead is not None else None, category=category,
        vendor=vendor, notes=notes)
    with store.transaction(write=True) as db:
        if asset is not None:
            fields.asset_id = resolve(db, "asset", asset, "--asset")
        data = items.add_item(db=db, fields=fields, today=_today())
    _done(data, as_json, "added")


@app.command("list")
def stock_list(
    low: Annotated[bool, typer.Option("--low", help="Only what is low or out.")] = False,
    category: Annotated[str | None, typer.Option("--category", "-c", help="Only this "
                        "category (and those below it).")] = None,
    vendor: Annotated[str | None, typer.Option("--vendor", help="Only from this "
                      "vendor.")] = None,
    asset: Annotated[str | None, typer.Option("--asset", help="Only what is for this asset.",
                     autocompletion=records("asset"))] = None,
    fmt: FormatOpt = None, as_json: JsonOpt = False, raw: RawOpt = False,
) -> None:
    """List what is kept in stock: how much, how fast it goes, when it runs out."""
    from stuffctl import store
    from stuffctl.render.stock import CSV_COLUMNS, LIST_COLUMNS
    from stuffctl.services.lookup import resolve
    from stuffctl.services.stock import items

    out = pick_format(fmt, as_json)
    with store.transaction() as db:
        asset_id = resolve(db, "asset", asset, "--asset") if asset is not None else None
        rows = items.list_items(db=db, today=_today(), low=low, category=category,
                                vendor=vendor, asset_id=asset_id)
    columns = CSV_COLUMNS if out is render.Format.csv else LIST_COLUMNS
    render.emit_list(rows, columns, out, empty="nothing low" if low else "no stock items")


@app.command("show")
def stock_show(item: ItemArg, as_json: JsonOpt = False) -> None:
    """One stock item with its history: every purchase, use and count."""
    from stuffctl import store
    from stuffctl.services.lookup import resolve
    from stuffctl.services.stock import items

    with store.transaction() as db:
        data = items.show(db, resolve(db, "stock", item), _today())
    if as_json:
        render.emit_json(data)
    else:
        from stuffctl.render.stock import item_view

        render.emit(item_view(data))


@app.command("edit")
def stock_edit(
    item: ItemArg,
    name: Annotated[str | None, typer.Option("--name", help="New name.")] = None,
    unit: UnitOpt = None, reorder: ReorderOpt = None, buy: BuyOpt = None,
    lead: LeadOpt = None,
    asset: Annotated[str | None, typer.Option(
        "--asset", help="The asset it is for (id or name; '' for none).",
        autocompletion=records("asset"))] = None,
    category: CategoryOpt = None, vendor: VendorOpt = None, notes: NotesOpt = None,
    since: SinceOpt = None, as_json: JsonOpt = False,
) -> None:
    """Change what describes a stock item ('' clears an option's value); its quantity
    changes by `stuffctl use`, purchases and `stock count`."""
    from stuffctl import store
    from stuffctl.services.lookup import resolve
    from stuffctl.services.stock import items

    typed = {"name": name, "unit": unit, "category": category, "vendor": vendor,
             "notes": notes}
    values: dict[str, Any] = {k: v for k, v in typed.items() if v is not None}
    for key, option, text in (("reorder_milli", "--reorder", reorder),
                              ("buy_milli", "--buy", buy)):
        if text is not None:
            values[key] = _cleared(option, text, _quantity)
    if lead is not None:
        values["lead_days"] = _cleared("--lead", lead, lambda _o, t: _lead_days(t))
    with store.transaction(write=True) as db:
        if asset is not None:
            values["asset_id"] = _cleared("--asset", asset,
                                          lambda o, t: resolve(db, "asset", t, o))
        data = items.edit_item(db=db, item_id=resolve(db, "stock", item), values=values,
                               today=_today(), since=since)
    _done(data, as_json, "changed")


@app.command("rm")
def stock_rm(item: ItemArg, yes: YesOpt = False, as_json: JsonOpt = False) -> None:
    """Remove a stock item and its history (the transactions of its purchases stay)."""
    from stuffctl import store
    from stuffctl.services.lookup import resolve
    from stuffctl.services.stock import items

    if not yes:
        with store.transaction() as db:
            data = items.show(db, resolve(db, "stock", item), _today())
        if not typer.confirm(f"Remove stock item {data['id']} ({render.safe(data['name'])}) "
                             f"and its {len(data['moves'])} move(s)?", err=True):
            raise typer.Abort()
        item = str(data["id"])
    with store.transaction(write=True) as db:
        data = items.remove_item(db=db, item_id=resolve(db, "stock", item), today=_today())
    _done(data, as_json, "removed")


@app.command("count")
def stock_count(
    item: ItemArg,
    qty: Annotated[str, typer.Argument(help="How much there is (a stock take).",
                   show_default=False)],
    on: OnOpt = "today", notes: NotesOpt = None, as_json: JsonOpt = False,
) -> None:
    """Record a stock take: there is QTY; the difference is kept as a count move."""
    from stuffctl import store
    from stuffctl.services.lookup import resolve
    from stuffctl.services.stock import items

    milli, day = _quantity("QTY", qty), date_opt("--on", on)
    assert milli is not None and day is not None
    with store.transaction(write=True) as db:
        data = items.count(db=db, item_id=resolve(db, "stock", item), qty=milli, on=day,
                           today=_today(), notes=notes)
    _moved(data, as_json, "counted")


@app.command("buy")
def stock_buy(
    item: ItemArg,
    qty: Annotated[str, typer.Argument(help="How much was bought.", show_default=False)],
    txn: Annotated[int | None, typer.Option("--txn", help="The transaction that paid for "
                   "it (the shopping list's last price comes from it).")] = None,
    on: Annotated[str | None, typer.Option("--on", help="When (default: the transaction's "
                  "date, else today).")] = None,
    notes: NotesOpt = None, as_json: JsonOpt = False,
) -> None:
    """Add a purchase to stock, optionally of a transaction already recorded (for a new
    one, `tx add … --stock ITEM --qty N` records both)."""
    from stuffctl import store
    from stuffctl.services.lookup import resolve
    from stuffctl.services.stock import items

    milli = _quantity("QTY", qty)
    assert milli is not None
    with store.transaction(write=True) as db:
        data = items.buy(db=db, item_id=resolve(db, "stock", item), qty=milli,
                         on=date_opt("--on", on), today=_today(), txn_id=txn, notes=notes)
    _moved(data, as_json, "bought")


def _moved(data: dict[str, Any], as_json: bool, verb: str) -> None:
    """Print what a move did (``used 1 of``), and for a forced use the count it recorded
    first, on stderr."""
    if not as_json:
        from stuffctl.render.stock import amount

        moves, unit = data["moves"], data["unit"]
        if verb == "used" and len(moves) > 1:
            render.note(f"counted {amount(moves[0]['delta'], unit)} more than was recorded "
                        "(--force)")
        if verb != "counted":
            verb = f"{verb} {amount(moves[-1]['delta'].lstrip('-'), unit)} of"
    _done(data, as_json, verb)


def stock_use(
    item: ItemArg,
    qty: Annotated[str, typer.Argument(help="How much (1.5, 0,25).")] = "1",
    on: OnOpt = "today", notes: NotesOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Take it even beyond what is "
                     "recorded: the missing part is counted in first, and the stock "
                     "becomes 0.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Take something from stock (one, or QTY); more than there is is refused unless
    --force."""
    from stuffctl import store
    from stuffctl.services.lookup import resolve
    from stuffctl.services.stock import items

    milli, day = _quantity("QTY", qty), date_opt("--on", on)
    assert milli is not None and day is not None
    with store.transaction(write=True) as db:
        data = items.use(db=db, item_id=resolve(db, "stock", item), qty=milli, on=day,
                         today=_today(), notes=notes, force=force)
    _moved(data, as_json, "used")


def shopping(
    within: Annotated[str | None, typer.Option("--within", help="Also what will be low "
                      "within this time (7d, 2w: plan a trip; default: the lead.stock "
                      "setting, as the stock reminders).")] = None,
    fmt: FormatOpt = None, as_json: JsonOpt = False, raw: RawOpt = False,
) -> None:
    """What to buy now, by vendor: what is low or out, how much, and the last price."""
    from stuffctl import store
    from stuffctl.services.stock.shopping import shopping as shopping_list

    out = pick_format(fmt, as_json)
    days = _within(within)
    with store.transaction() as db:
        rows = shopping_list(db=db, today=_today(), within=days)
    if out is not render.Format.table or not rows:
        from stuffctl.render.stock import SHOPPING_COLUMNS, SHOPPING_CSV

        columns = SHOPPING_CSV if out is render.Format.csv else SHOPPING_COLUMNS
        render.emit_list(rows, columns, out, empty="nothing to buy")
        return
    from stuffctl.render.stock import write_shopping

    write_shopping(rows)


def _within(text: str | None) -> int:
    """``--within`` in days from today; by default the ``lead.stock`` setting's."""
    from stuffctl import config
    from stuffctl.cli.options import duration_opt
    from stuffctl.dates import plus

    rd = duration_opt("--within", text if text is not None else str(config.get("lead.stock")))
    assert rd is not None
    today = _today()
    return (plus(today, rd) - today).days
