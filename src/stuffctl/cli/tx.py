"""``stuffctl tx``: transactions, their listing and totals, bank CSV import and export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from stuffctl import render
from stuffctl.cli.options import (
    FormatOpt,
    JsonOpt,
    OffsetOpt,
    RawOpt,
    SinceOpt,
    YesOpt,
    currency_opt,
    date_opt,
    money_opt,
    pick_format,
    records,
    words,
)
from stuffctl.errors import InvalidInput

app = typer.Typer(no_args_is_help=True)

IdArg = Annotated[int, typer.Argument(help="Transaction id.", show_default=False)]
CategoryOpt = Annotated[str | None, typer.Option("--category", "-c",
                        help="Category; 'home:repairs' rolls up into 'home'.")]
AccountOpt = Annotated[str | None, typer.Option("--account", "-a",
                       help="Account, e.g. bank:checking.")]
MemoOpt = Annotated[str | None, typer.Option("--memo", "-m", help="Free text.")]
AssetOpt = Annotated[str | None, typer.Option("--asset", help="The asset it is a cost of "
                     "(id or name).", autocompletion=records("asset"))]
ProjectOpt = Annotated[str | None, typer.Option("--project", help="The project it is spent on "
                       "(id or name).", autocompletion=records("project"))]
CurrencyOpt = Annotated[str | None, typer.Option("--currency", help="Currency when the "
                        "amount has none (default: config 'currency').")]
TagOpt = Annotated[list[str] | None, typer.Option("--tag", "-t", help="Tag (repeatable).")]
InOpt = Annotated[bool, typer.Option("--in", help="Money in: the amount counts as positive.")]
OutOpt = Annotated[bool, typer.Option("--out", help="Money out: the amount counts as "
                   "negative.")]
RulesOpt = Annotated[str, typer.Option("--rules", "-r", help="Rules: a saved NAME "
                     "(config dir rules/NAME.toml), a PATH, or 'stuffctl' for tx export's CSV.")]
# A table is read by a person: 200,000 rows took 84 s and 1.5 GB to draw. The machine
# formats stream every row (docs/transactions.md).
TABLE_LIMIT = 1000
ListLimitOpt = Annotated[int | None, typer.Option(
    "--limit", "-n", min=0, help=f"Show at most N rows (default: {TABLE_LIMIT} in a table, "
    "every row in json, ndjson and csv; 0: every row).")]

LIST_COLUMNS = [
    render.Column("ID", "id", justify="right", kind="id", priority=render.KEEP),
    render.Column("DATE", "on", show=render.day, priority=render.KEEP),
    render.Column("AMOUNT", "amount", justify="right", kind="money", priority=render.KEEP),
    render.Column("PAYEE", "payee", priority=render.KEEP, min_width=16),
    render.Column("CATEGORY", "category", priority=2),
    render.Column("ACCOUNT", "account", priority=1),
    render.Column("MEMO", "memo", priority=1),
]
def _csv_columns() -> list[render.Column]:
    from stuffctl.services.tx.rules import EXPORT_COLUMNS

    return [render.Column("", key) for key in EXPORT_COLUMNS]


def _amount(text: str, currency: str | None, money_in: bool, money_out: bool,
            option: str = "AMOUNT") -> tuple[Any, bool]:
    """The amount typed, in the direction --in/--out give it, and whether neither they nor
    a sign typed with it said one (``records.TxnChanges.unsigned``)."""
    from stuffctl.money import has_sign
    from stuffctl.services.tx.records import signed

    amount = money_opt(option, text, currency_opt("--currency", currency))
    assert amount is not None
    unsigned = not (money_in or money_out or has_sign(text))
    return signed(amount, money_in=money_in, money_out=money_out), unsigned


def _direction_hint(data: dict[str, Any], typed: str) -> None:
    """Say on stderr which way an amount typed without a sign was counted, and how to
    type the other."""
    from decimal import Decimal

    if Decimal(data["amount"]["amount"]) == 0:
        return
    typed, category = typed.strip(), data["category"]
    if category is None:
        render.note(f"money in: no sign and no category (type -{typed} or --out for money out)")
    elif data["amount"]["amount"].startswith("-"):
        render.note(f"money out: {category!r} is an expense category (type +{typed} or --in "
                    "for money in)")
    else:
        render.note(f"money in: {category!r} is an income category (type -{typed} or --out "
                    "for money out)")


def _show_one(data: dict[str, Any], as_json: bool, verb: str) -> None:
    if as_json:
        render.emit_json(data)
    else:
        amount = render.plain(data["amount"])
        typer.echo(f"{verb} transaction {data['id']}: {render.day(data['on'])} {amount} "
                   f"{render.safe(data['payee'] or '')}".rstrip())


@app.command("add", context_settings={"ignore_unknown_options": True})
def tx_add(
    amount: Annotated[str, typer.Argument(help="Amount; negative is money out (-12.50, "
                      "'-€12.50'), positive money in (+12.50), or use --out/--in; "
                      "without a sign, the category's kind decides.", show_default=False)],
    payee: Annotated[str, typer.Argument(help="Who was paid or who paid.", show_default=False)],
    on: Annotated[str, typer.Option("--on", help="When (default today).")] = "today",
    category: CategoryOpt = None, account: AccountOpt = None, memo: MemoOpt = None,
    asset: AssetOpt = None, project: ProjectOpt = None, currency: CurrencyOpt = None,
    tag: TagOpt = None, money_in: InOpt = False, money_out: OutOpt = False,
    stock: Annotated[str | None, typer.Option("--stock", help="A purchase of this stock item "
                     "(id or name): adds --qty to its stock (docs/stock.md); without a "
                     "sign the amount is money out.", autocompletion=records("stock"))] = None,
    qty: Annotated[str | None, typer.Option("--qty", help="How much of --stock was bought "
                   "(default 1).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a transaction: -5 is money out, +5 money in; an amount without a sign takes
    the direction of its category's kind (an expense category: money out; see `stuffctl
    category`), without a category it is money in, and a line on stderr says which."""
    from stuffctl import store
    from stuffctl.services.tx import records

    money, unsigned = _amount(amount, currency, money_in, money_out)
    values = {"occurred_on": date_opt("--on", on), "payee": payee, "category": category,
              "account": account, "memo": memo, "amount": money}
    changes = records.TxnChanges(values={k: v for k, v in values.items() if v is not None},
                                 add_tags=list(tag or []), unsigned=unsigned)
    bought = _bought(stock, qty)
    with store.transaction(write=True) as db:
        changes.values.update(_links(db, asset, project))
        if stock is not None:
            from stuffctl.services.lookup import resolve

            changes.stock = (resolve(db, "stock", stock, "--stock"), bought)
        data = records.add_txn(db=db, changes=changes)
    _show_one(data, as_json, "added")
    if unsigned and not as_json and stock is None:
        _direction_hint(data, amount)


def _bought(stock: str | None, qty: str | None) -> int:
    """``--qty`` in thousandths (1 when not given); it needs ``--stock``."""
    from stuffctl.cli.options import parsed
    from stuffctl.services.stock.quantity import checked, parse_quantity

    if qty is not None and stock is None:
        raise InvalidInput("--qty: needs --stock (what was bought)")
    milli = checked("--qty", parsed("--qty", qty or "1", parse_quantity), zero=False)
    assert milli is not None
    return milli


def _links(db: Any, asset: str | None, project: str | None) -> dict[str, int]:
    """``--asset`` and ``--project`` as the ``asset_id`` and ``project_id`` of the records
    they name (ids or names)."""
    from stuffctl.services.lookup import resolve

    given = {"asset_id": ("asset", asset), "project_id": ("project", project)}
    return {key: resolve(db, noun, ref, f"--{noun}")
            for key, (noun, ref) in given.items() if ref is not None}


def _filter(period: str | None, start: str | None, end: str | None, **kw: Any) -> Any:
    from datetime import timedelta

    from stuffctl.cli.options import parsed
    from stuffctl.dates import parse_period
    from stuffctl.services.tx.records import TxnFilter

    flt = TxnFilter(**kw)
    if period is not None:
        flt.start, flt.end = parsed("--period", period, parse_period) or (None, None)
    if start is not None:
        flt.start = date_opt("--from", start)
    if end is not None:
        last = date_opt("--to", end)
        flt.end = last + timedelta(days=1) if last else None
    return flt


def _minor(option: str, text: str | None) -> int | None:
    money = money_opt(option, text)
    return abs(money.minor) if money else None


def _sorts() -> list[str]:
    from stuffctl.services.tx.records import SORTS

    return list(SORTS)


@app.command("list")
def tx_list(
    period: Annotated[str | None, typer.Option("--period", "-p", help="2026-10, 2026-Q3, 2026, "
                      "last-month, this-year, 'from 2026-03 to 2026-06'.")] = None,
    start: Annotated[str | None, typer.Option("--from", help="On or after this date.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="On or before this date.")] = None,
    category: CategoryOpt = None, account: AccountOpt = None,
    payee: Annotated[str | None, typer.Option("--payee", help="Payee contains.")] = None,
    asset: AssetOpt = None, project: ProjectOpt = None,
    tag: Annotated[str | None, typer.Option("--tag", "-t", help="Only with this tag.")] = None,
    min_amount: Annotated[str | None, typer.Option("--min", help="Size at least (sign "
                          "ignored).")] = None,
    max_amount: Annotated[str | None, typer.Option("--max", help="Size at most (sign "
                          "ignored).")] = None,
    search: Annotated[str | None, typer.Option("--search", "-s", help="Text in payee, memo, "
                      "category or account.")] = None,
    sort: Annotated[str, typer.Option("--sort", help="date, amount, payee, category or "
                    "id.", autocompletion=words(_sorts))] = "date",
    desc: Annotated[bool, typer.Option("--desc", help="Reverse the order.")] = False,
    totals: Annotated[bool, typer.Option("--totals", help="Only the totals per "
                      "currency.")] = False,
    limit: ListLimitOpt = None, offset: OffsetOpt = 0,
    fmt: FormatOpt = None, as_json: JsonOpt = False, raw: RawOpt = False,
) -> None:
    """List transactions, filtered and sorted, with totals per currency."""
    from stuffctl import store
    from stuffctl.services.tx import records

    flt = _filter(period, start, end, category=category, account=account, payee=payee,
                  tag=tag, search=search,
                  min_minor=_minor("--min", min_amount), max_minor=_minor("--max", max_amount))
    out = pick_format(fmt, as_json)
    if limit is None and out is render.Format.table:
        limit = TABLE_LIMIT
    limit = limit or None
    with store.transaction() as db:
        links = _links(db, asset, project)
        flt.asset_id, flt.project_id = links.get("asset_id"), links.get("project_id")
        if totals:
            from stuffctl.render.tx import TOTAL_COLUMNS

            render.emit_list(records.totals(db=db, flt=flt), TOTAL_COLUMNS, out,
                             empty="no transactions match")
            return
        rows = records.list_txns(db=db, flt=flt, sort=sort, descending=desc,
                                 limit=limit, offset=offset)
        if out is render.Format.csv:
            from stuffctl.services.tx.rules import export_row

            render.emit_list((export_row(r) for r in rows), _csv_columns(), out)
            return
        render.emit_list(rows, LIST_COLUMNS, out, empty="no transactions match")
        if out is render.Format.table:
            from stuffctl.render.tx import not_shown, totals_table

            sums = records.totals(db=db, flt=flt)
            if sums:
                render.emit(totals_table(sums))
            if limit is not None and (line := not_shown(sums, limit=limit, offset=offset)):
                render.note(line)


@app.command("show")
def tx_show(txn_id: IdArg, as_json: JsonOpt = False) -> None:
    """Everything about one transaction."""
    from stuffctl import store
    from stuffctl.services.tx import records

    with store.transaction() as db:
        data = records.show_txn(db=db, txn_id=txn_id)
    if as_json:
        render.emit_json(data)
    else:
        from stuffctl.render.tx import txn_view

        render.emit(txn_view(data))


@app.command("edit", context_settings={"ignore_unknown_options": True})
def tx_edit(
    txn_id: IdArg,
    amount: Annotated[str | None, typer.Option("--amount", help="New amount; without a "
                      "sign (+55, -55) or --in/--out it keeps the transaction's "
                      "direction.")] = None,
    payee: Annotated[str | None, typer.Option("--payee", help="New payee.")] = None,
    on: Annotated[str | None, typer.Option("--on", help="New date.")] = None,
    category: CategoryOpt = None, account: AccountOpt = None, memo: MemoOpt = None,
    asset: AssetOpt = None, project: ProjectOpt = None, currency: CurrencyOpt = None,
    tag: TagOpt = None,
    untag: Annotated[list[str] | None, typer.Option("--untag", help="Remove a tag "
                     "(repeatable).")] = None,
    unset: Annotated[list[str] | None, typer.Option("--unset", help="Clear payee, category, "
                     "account, memo, asset or project (repeatable).")] = None,
    money_in: InOpt = False, money_out: OutOpt = False, since: SinceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Change a transaction."""
    from stuffctl import store
    from stuffctl.services.tx import records

    money, unsigned = (_amount(amount, currency, money_in, money_out, "--amount")
                       if amount is not None else (None, False))
    values = {"occurred_on": date_opt("--on", on), "payee": payee, "category": category,
              "account": account, "memo": memo, "amount": money}
    names = {"asset": "asset_id", "project": "project_id", "date": "occurred_on"}
    changes = records.TxnChanges(values={k: v for k, v in values.items() if v is not None},
                                 add_tags=list(tag or []), remove_tags=list(untag or []),
                                 unset=[names.get(u, u) for u in unset or []], since=since,
                                 unsigned=unsigned)
    with store.transaction(write=True) as db:
        changes.values.update(_links(db, asset, project))
        data = records.edit_txn(db=db, txn_id=txn_id, changes=changes)
    _show_one(data, as_json, "changed")


@app.command("rm")
def tx_rm(txn_id: IdArg, yes: YesOpt = False, as_json: JsonOpt = False) -> None:
    """Remove a transaction (asks unless --yes)."""
    from stuffctl import store
    from stuffctl.services.tx import records

    if not yes:
        with store.transaction() as db:
            data = records.show_txn(db=db, txn_id=txn_id)
        if not typer.confirm(f"Remove transaction {txn_id} ({data['on']} "
                             f"{render.plain(data['amount'])})?", err=True):
            raise typer.Abort()
    with store.transaction(write=True) as db:
        data = records.remove_txn(db=db, txn_id=txn_id)
    _show_one(data, as_json, "removed")


IMPORT_FORMATS = ("csv", "ledger", "hledger", "beancount")


@app.command("import")
def tx_import(
    file: Annotated[str, typer.Argument(help="The bank's CSV export, a journal, or - for "
                    "stdin.", show_default=False)],
    rules: RulesOpt = "stuffctl",
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv (through --rules), or a "
                   "plain-text accounting journal: ledger, hledger, beancount.")] = "csv",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be added; "
                       "change nothing.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Import a bank CSV through a rules file, or a ledger, hledger or beancount journal;
    rows seen before are not added twice."""
    from stuffctl import config, store
    from stuffctl.render.tx import progress_bar
    from stuffctl.services.tx import import_csv

    if fmt not in IMPORT_FORMATS:
        raise InvalidInput(f"--format: expected {', '.join(IMPORT_FORMATS)} (got {fmt!r})")
    data, name = _read_input(file)
    if fmt == "csv":
        from stuffctl.services.tx.rules import load_rules

        spec = load_rules(rules)
        with progress_bar(f"reading {name}") as progress:
            parsed = import_csv.parse_csv(data, spec, name=name, progress=progress,
                                          default_currency=str(config.get("currency")))
        source = spec.name
    else:
        from stuffctl.services.tx import journal

        parsed, source = import_csv.journal_rows(journal.parse(data, fmt, name)), fmt
    with store.transaction(write=not dry_run) as db:
        result = import_csv.import_rows(db=db, parsed=parsed, dry_run=dry_run)
    result.update(file=name, rules=source)
    if as_json:
        render.emit_json(result)
        return
    from stuffctl.render.tx import import_summary

    render.emit(import_summary(result))


def _read_input(file: str) -> tuple[bytes, str]:
    import sys

    from stuffctl.services.data import intake

    if file == "-":
        return intake.read_stream(sys.stdin.buffer, "<stdin>"), "<stdin>"
    return intake.read_file(Path(file)), Path(file).name


EXPORT_FORMATS = ("csv", "json", "ledger", "hledger", "beancount")


@app.command("export")
def tx_export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv (read back by 'tx import "
                   "--rules stuffctl'), json, or a plain-text accounting journal: ledger, "
                   "hledger, beancount (read back by 'tx import --format').")] = "csv",
    period: Annotated[str | None, typer.Option("--period", "-p", help="Only this period.")
                      ] = None,
    start: Annotated[str | None, typer.Option("--from", help="From this date on.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Up to this date (inclusive).")]
    = None,
    category: CategoryOpt = None, account: AccountOpt = None, raw: RawOpt = False,
) -> None:
    """Write transactions as CSV, JSON or a ledger, hledger or beancount journal."""
    if fmt not in EXPORT_FORMATS:
        raise InvalidInput(f"--format: expected {', '.join(EXPORT_FORMATS)} (got {fmt!r})")
    if fmt in ("csv", "json"):
        return tx_list(period=period, start=start, end=end, category=category,
                       account=account, payee=None, asset=None, project=None, tag=None,
                       min_amount=None, max_amount=None, search=None, sort="date",
                       desc=False, totals=False, limit=None, offset=0,
                       fmt=render.Format(fmt), as_json=False, raw=raw)
    from stuffctl import store
    from stuffctl.services.tx import journal, records

    flt = _filter(period, start, end, category=category, account=account)
    with store.transaction() as db:
        rows = records.list_txns(db=db, flt=flt, sort="date")
        render.emit_chunks(journal.beancount_text(list(rows)) if fmt == "beancount"
                           else journal.ledger_text(rows, flavour=fmt))
    return None


@app.command("categorize")
def tx_categorize(
    rules: RulesOpt,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count only; change "
                       "nothing.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Apply a rules file's [[categorize]] entries to uncategorised transactions."""
    from stuffctl import store
    from stuffctl.services.tx.rules import apply_categories, load_rules, plan_categories

    spec = load_rules(rules)
    with store.transaction() as db:  # the rules run here, never under the write lock
        plan = plan_categories(db=db, rules=spec)
    if plan.changes and not dry_run:
        with store.transaction(write=True) as db:
            apply_categories(db=db, plan=plan)
    result = plan.summary(dry_run=dry_run)
    if as_json:
        render.emit_json(result)
    else:
        typer.echo(f"categorised {result['categorized']} of {result['uncategorized']} "
                   "uncategorised transactions" + (" (dry run)" if dry_run else ""))
