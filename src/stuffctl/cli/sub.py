"""``stuffctl sub``: subscriptions and renewals, their charges and what they cost."""

from __future__ import annotations

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
    money_opt,
    pick_format,
    records,
)

app = typer.Typer(no_args_is_help=True)

IdArg = Annotated[str, typer.Argument(metavar="SUB", help="Subscription id or name (or the "
                  "start of one).", show_default=False, autocompletion=records("sub"))]

LIST_COLUMNS = [
    render.Column("ID", "id", justify="right", kind="id", priority=render.KEEP),
    render.Column("NAME", "name", priority=render.KEEP, min_width=16),
    render.Column("AMOUNT", "amount", justify="right", kind="money", priority=render.KEEP),
    render.Column("EVERY", "every", priority=2),
    render.Column("NEXT", "next_on", show=render.day, priority=render.KEEP),
    render.Column("PER YEAR", "yearly", justify="right", kind="money", priority=1),
    render.Column("PER MONTH", "monthly", justify="right", kind="money", priority=1),
    render.Column("CANCEL BY", "cancel_by", show=render.day, priority=2,
                  state=lambda row: render.theme.due_state(row["cancel_by"])),
    render.Column("STATUS", "status", kind="word", priority=0,
                  state=lambda row: "muted" if row["status"] != "active" else None,
                  row_state=True),
]
CHARGE_COLUMNS = [
    render.Column("SUB", "subscription_id", justify="right"),
    render.Column("DUE", "due_on", show=render.day),
    render.Column("AMOUNT", "amount", justify="right"),
    render.Column("TXN", "txn_id", justify="right"),
]


def _show_one(data: dict[str, Any], as_json: bool, verb: str) -> None:
    if as_json:
        render.emit_json(data)
    else:
        typer.echo(f"{verb} subscription {data['id']}: {render.safe(data['name'])}")


@app.command("add")
def sub_add(
    name: Annotated[str, typer.Argument(help="What it is (Netflix, car insurance).",
                    show_default=False)],
    amount: Annotated[str, typer.Argument(help="What each charge costs (an estimate for "
                      "bills that vary).", show_default=False)],
    every: Annotated[str, typer.Option("--every", help="monthly, yearly, 'every 3 months' "
                     "or an RRULE.", show_default=False)],
    next_on: Annotated[str, typer.Option("--next", help="Date of the next charge (may be in "
                       "the past: 'sub post' catches up).", show_default=False)],
    category: Annotated[str | None, typer.Option("--category", "-c", help="Category of "
                        "its transactions.")] = None,
    account: Annotated[str | None, typer.Option("--account", "-a", help="Account it is "
                       "paid from.")] = None,
    asset: Annotated[str | None, typer.Option("--asset", help="Asset it belongs to, by id or "
                     "name (car insurance → car).", autocompletion=records("asset"))] = None,
    cancel_by: Annotated[str | None, typer.Option("--cancel-by", help="Last day to cancel "
                         "before it renews.")] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Free text.")] = None,
    payer: Annotated[str | None, typer.Option("--payer", help="Who pays it (id, name, me): "
                     "they hear of its renewals (docs/notify.md).",
                     autocompletion=records("person"))] = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a subscription or recurring bill."""
    from stuffctl import store
    from stuffctl.cli.options import parsed
    from stuffctl.dates import parse_recurrence
    from stuffctl.services import sub

    money, rule = money_opt("AMOUNT", amount), parsed("--every", every, parse_recurrence)
    first = date_opt("--next", next_on)
    assert money is not None and rule is not None and first is not None
    data = sub.SubData(name=name, amount=money, recurrence=rule, next_on=first,
                       category=category, account=account,
                       cancel_by=date_opt("--cancel-by", cancel_by), notes=notes,
                       payer=payer)
    with store.transaction(write=True) as db:
        if asset is not None:
            from stuffctl.services.lookup import resolve

            data.asset_id = resolve(db, "asset", asset, "--asset")
        result = sub.add_subscription(db=db, data=data)
    _show_one(result, as_json, "added")


@app.command("edit")
def sub_edit(
    ref: IdArg,
    category: Annotated[str | None, typer.Option("--category", "-c", help="Category of its "
                        "transactions ('' clears it).")] = None,
    account: Annotated[str | None, typer.Option("--account", "-a", help="Account it is paid "
                       "from ('' clears it).")] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Free text ('' clears it).")]
    = None,
    payer: Annotated[str | None, typer.Option("--payer", help="Who pays it (id, name, me), "
                     "or nobody.", autocompletion=records("person"))] = None,
    since: SinceOpt = None, as_json: JsonOpt = False,
) -> None:
    """Change a subscription's category, account, notes or payer."""
    from stuffctl import store
    from stuffctl.services import sub
    from stuffctl.services.lookup import resolve

    given = {"category": category, "account": account, "notes": notes, "payer": payer}
    with store.transaction(write=True) as db:
        data = sub.edit_subscription(db=db, sub_id=resolve(db, "sub", ref), since=since,
                                     values={k: v for k, v in given.items() if v is not None})
    _show_one(data, as_json, "changed")


@app.command("list")
def sub_list(
    all_: Annotated[bool, typer.Option("--all", help="Cancelled ones too.")] = False,
    fmt: FormatOpt = None, as_json: JsonOpt = False, raw: RawOpt = False,
) -> None:
    """List subscriptions: next charge, yearly cost, cost per month."""
    from stuffctl import store
    from stuffctl.services import sub

    out = pick_format(fmt, as_json)
    with store.transaction() as db:
        rows = sub.list_subscriptions(db=db, include_cancelled=all_)
    render.emit_list(rows, LIST_COLUMNS, out, empty="no subscriptions")
    if out is render.Format.table and rows:
        render.emit(render.group("", render.table(sub.monthly_totals(rows), [
            render.Column("CURRENCY", "currency"),
            render.Column("PER MONTH", "monthly", justify="right"),
            render.Column("PER YEAR", "yearly", justify="right")], title="Total")))


@app.command("show")
def sub_show(ref: IdArg, as_json: JsonOpt = False) -> None:
    """One subscription with its price history, total paid and any price change."""
    from stuffctl import store
    from stuffctl.services import sub
    from stuffctl.services.lookup import resolve

    with store.transaction() as db:
        data = sub.show_subscription(db=db, sub_id=resolve(db, "sub", ref))
    if as_json:
        render.emit_json(data)
    else:
        from stuffctl.render.sub import sub_view

        render.emit(sub_view(data))


@app.command("post")
def sub_post(
    until: Annotated[str, typer.Option("--until", help="Post charges due up to this "
                     "date.")] = "today",
    fmt: FormatOpt = None, as_json: JsonOpt = False, raw: RawOpt = False,
) -> None:
    """Record the charges that have fallen due as transactions (never twice)."""
    from stuffctl import store
    from stuffctl.services import sub

    day = date_opt("--until", until)
    assert day is not None
    with store.transaction(write=True) as db:
        posted = sub.post_due(db=db, today=day)
    out = pick_format(fmt, as_json)
    if out is render.Format.table:
        render.note(f"posted {len(posted)} charge(s)")
    if posted or out is not render.Format.table:
        render.emit_list(posted, CHARGE_COLUMNS, out)


@app.command("paid")
def sub_paid(
    ref: IdArg,
    amount: Annotated[str | None, typer.Option("--amount", help="What was actually "
                      "charged (default: the estimate).")] = None,
    on: Annotated[str, typer.Option("--on", help="When it was paid.")] = "today",
    as_json: JsonOpt = False,
) -> None:
    """Mark a charge as paid, with the amount actually charged."""
    from stuffctl import store
    from stuffctl.services import sub
    from stuffctl.services.lookup import resolve

    money, day = money_opt("--amount", amount), date_opt("--on", on)
    assert day is not None
    with store.transaction(write=True) as db:
        sub_id = resolve(db, "sub", ref)
        charge = sub.mark_paid(db=db, sub_id=sub_id, amount=money, on=day)
    if as_json:
        render.emit_json(charge)
    else:
        typer.echo(f"paid {render.plain(charge['amount'])} on {render.day(charge['paid_on'])} "
                   f"(due {render.day(charge['due_on'])}) for subscription {sub_id}")


@app.command("cancel")
def sub_cancel(
    ref: IdArg,
    on: Annotated[str, typer.Option("--on", help="When (default today).")] = "today",
    as_json: JsonOpt = False,
) -> None:
    """Cancel a subscription: no more charges are posted."""
    from stuffctl import store
    from stuffctl.services import sub
    from stuffctl.services.lookup import resolve

    day = date_opt("--on", on)
    assert day is not None
    with store.transaction(write=True) as db:
        data = sub.cancel_subscription(db=db, sub_id=resolve(db, "sub", ref), on=day)
    _show_one(data, as_json, "cancelled")


@app.command("rm")
def sub_rm(ref: IdArg, yes: YesOpt = False, as_json: JsonOpt = False) -> None:
    """Remove a subscription and its charge history (its transactions stay)."""
    from stuffctl import store
    from stuffctl.services import sub
    from stuffctl.services.lookup import resolve

    if not yes:
        with store.transaction() as db:
            sub_id = resolve(db, "sub", ref)
        if not typer.confirm(f"Remove subscription {sub_id}?", err=True):
            raise typer.Abort()
        ref = str(sub_id)
    with store.transaction(write=True) as db:
        data = sub.remove_subscription(db=db, sub_id=resolve(db, "sub", ref))
    _show_one(data, as_json, "removed")
