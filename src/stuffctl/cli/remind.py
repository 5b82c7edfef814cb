"""``stuffctl remind``: own reminders, everything that falls due, and `remind run` for cron."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from stuffctl import render
from stuffctl.cli.options import (
    FormatOpt,
    JsonOpt,
    RawOpt,
    YesOpt,
    parsed,
    pick_format,
    records,
    words,
)
from stuffctl.errors import InvalidInput, RemindStatus

if TYPE_CHECKING:
    from stuffctl.services.remind.sources import Skipped

app = typer.Typer(no_args_is_help=True)

RefArg = Annotated[str, typer.Argument(metavar="REMINDER", autocompletion=records("reminder"),
                   help="Reminder id or title (or the start of one), or the key of a derived "
                   "occurrence (warranty:asset:12, maintenance:3).", show_default=False)]
IdArg = Annotated[str, typer.Argument(metavar="REMINDER", help="Reminder id or title (or the "
                  "start of one).", show_default=False, autocompletion=records("reminder"))]
OnOpt = Annotated[str | None, typer.Option("--on", help="Due date or date and time "
                  "(2026-11-23, 'tomorrow 08:30').")]
EveryOpt = Annotated[str | None, typer.Option("--every", help="Repeat: 'every 2nd monday', "
                     "'every 15th', 'every nov 5', 'last day of month', 'every 2 weeks'.")]
FromDoneOpt = Annotated[bool | None, typer.Option("--from-done/--fixed", help="Count the next "
                        "occurrence from when the last was done, or keep the fixed schedule.",
                        show_default=False)]
LeadOpt = Annotated[str | None, typer.Option("--lead", help="How long ahead to remind (7d, 2w).")]
AboutOpt = Annotated[str | None, typer.Option("--about", help="What it is about: asset:ID, "
                     "project:ID or task:ID (an id or a name).")]
NotesOpt = Annotated[str | None, typer.Option("--notes", help="Free text.")]
ForOpt = Annotated[str | None, typer.Option("--for", help="Whom it concerns, who hears it on "
                   "their channels: a person (id, name, me) or everyone (docs/notify.md).",
                   autocompletion=records("person"))]
NowOpt = Annotated[str | None, typer.Option("--now", help="Pretend it is this local time "
                   "(tests and replays); nothing is cached for the fast path.")]


def _now(value: str | None) -> Any:
    from datetime import datetime

    from stuffctl.dates import parse_datetime

    real = datetime.now().replace(microsecond=0)
    return parsed("--now", value, lambda v: parse_datetime(v, now=real)) or real


def _changes(title: str | None, on: str | None, every: str | None, from_done: bool | None,
             lead: str | None, about: str | None, notes: str | None,
             for_: str | None = None) -> Any:
    from stuffctl.dates import format_duration, parse_date_or_datetime, parse_duration
    from stuffctl.dates import parse_every as recurrence
    from stuffctl.services.remind.own import ReminderChanges, parse_about

    values: dict[str, Any] = {k: v for k, v in (("title", title), ("notes", notes),
                                                ("from_done", from_done)) if v is not None}
    if on is not None:
        values["due"] = parsed("--on", on, parse_date_or_datetime)
    if every is not None:
        values["rule"] = None if every == "never" else parsed("--every", every, recurrence).rule
    if lead is not None:
        values["lead"] = format_duration(parsed("--lead", lead, parse_duration))
    if about is not None:
        values["about"] = None if about == "nothing" else parse_about(about)
    if for_ is not None:
        values["for"] = for_
    return ReminderChanges(values)


@app.command("add")
def remind_add(
    title: Annotated[str, typer.Argument(help="What to remember.", show_default=False)],
    on: OnOpt = None, every: EveryOpt = None, from_done: FromDoneOpt = None,
    lead: LeadOpt = None, about: AboutOpt = None, notes: NotesOpt = None,
    for_: ForOpt = None, as_json: JsonOpt = False,
) -> None:
    """Add a reminder, once or repeating."""
    from stuffctl import store
    from stuffctl.services.remind import own

    if on is None:
        raise InvalidInput("--on: a reminder needs a date")
    changes = _changes(title, on, every, from_done, lead, about, notes, for_)
    with store.transaction(write=True) as db:
        data = own.add_reminder(db=db, changes=changes)
    _done_line(data, as_json, "added")


def _done_line(data: dict[str, Any], as_json: bool, verb: str) -> None:
    if as_json:
        render.emit_json(data)
    else:
        due = render.day(data.get("due"))
        typer.echo(f"{verb} reminder {data['id']}: {render.safe(data['title'])} (due {due})")


def _reminder(db: Any, ref: str) -> int:
    """The id of the own reminder ``ref`` names (an id or a title)."""
    from stuffctl.services.lookup import resolve

    return resolve(db, "reminder", ref)


@app.command("edit")
def remind_edit(
    reminder_id: IdArg,
    title: Annotated[str | None, typer.Option("--title", help="New title.")] = None,
    on: OnOpt = None,
    every: Annotated[str | None, typer.Option("--every", help="New recurrence, or 'never'.")]
    = None,
    from_done: FromDoneOpt = None, lead: LeadOpt = None,
    about: Annotated[str | None, typer.Option("--about", help="asset:ID, project:ID, task:ID "
                     "(an id or a name) or 'nothing'.")] = None,
    notes: NotesOpt = None, for_: ForOpt = None, as_json: JsonOpt = False,
) -> None:
    """Change a reminder."""
    from stuffctl import store
    from stuffctl.services.remind import own

    changes = _changes(title, on, every, from_done, lead, about, notes, for_)
    with store.transaction(write=True) as db:
        data = own.edit_reminder(db=db, reminder_id=_reminder(db, reminder_id),
                                 changes=changes)
    _done_line(data, as_json, "changed")


@app.command("rm")
def remind_rm(reminder_id: IdArg, yes: YesOpt = False, as_json: JsonOpt = False) -> None:
    """Remove a reminder (asks unless --yes; its history of occurrences stays)."""
    from stuffctl import store
    from stuffctl.services.remind import own

    if not yes:
        with store.transaction() as db:
            found = own.reminder_public(db, _reminder(db, reminder_id))
        if not typer.confirm(f"Remove reminder {found['id']} "
                             f"({render.safe(found['title'])})?", err=True):
            raise typer.Abort()
        reminder_id = str(found["id"])
    with store.transaction(write=True) as db:
        data = own.remove_reminder(db=db, reminder_id=_reminder(db, reminder_id))
    _done_line(data, as_json, "removed")


@app.command("list")
def remind_list(
    due: Annotated[bool, typer.Option("--due", help="Only what is due now.")] = False,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only what is overdue.")] = False,
    upcoming: Annotated[str | None, typer.Option("--upcoming", help="Only what falls due "
                        "within this time (30d).")] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Also what is not yet in its lead "
                        "window.")] = False,
    now: NowOpt = None, fmt: FormatOpt = None, as_json: JsonOpt = False, raw: RawOpt = False,
) -> None:
    """List what needs attention: reminders, warranties, maintenance, …"""
    from stuffctl import store
    from stuffctl.cli.options import duration_opt
    from stuffctl.render.remind import CSV_COLUMNS, LIST_COLUMNS, report_skipped, with_ref
    from stuffctl.services.remind import listing
    from stuffctl.services.remind.settings import Settings

    at, within = _now(now), duration_opt("--upcoming", upcoming)
    form = pick_format(fmt, as_json)
    skipped: list[Skipped] = []
    with store.transaction() as db:
        rows = listing.list_items(db=db, now=at, settings=Settings.load(), due=due,
                                  overdue=overdue, within=within, show_all=show_all,
                                  skipped=skipped)
    report_skipped(skipped)
    columns = CSV_COLUMNS if form is render.Format.csv else LIST_COLUMNS
    shown = rows if form is not render.Format.table else [with_ref(r) for r in rows]
    render.emit_list(shown, columns, form, empty="nothing needs attention")


def _act(ref: str, action: str, as_json: bool, now: Any = None, **kw: Any) -> None:
    from stuffctl import store
    from stuffctl.services.remind import own
    from stuffctl.services.remind.settings import Settings

    with store.transaction(write=True) as db:
        if ":" not in ref or ref.startswith("="):  # not the key of a derived occurrence
            ref = str(_reminder(db, ref))
        data = own.act(db=db, ref=ref, action=action, now=now or _now(None),
                       settings=Settings.load(), **kw)
    if as_json:
        render.emit_json(data)
        return
    what = {"done": "done", "skip": "skipped", "snooze": "snoozed"}[action]
    until = f" until {render.day(data['snoozed_until'])}" if action == "snooze" else ""
    logged = " (logged on the asset)" if data.get("logged") else ""
    typer.echo(f"{what}: {render.safe(data['title'])}{until}{logged}")


@app.command("done")
def remind_done(
    ref: RefArg,
    on: Annotated[str | None, typer.Option("--on", help="When it was done (default today).")]
    = None,
    log: Annotated[bool | None, typer.Option("--log/--no-log", help="For maintenance: also log "
                   "the event on the asset (asked on a terminal).", show_default=False)] = None,
    as_json: JsonOpt = False,
) -> None:
    """Mark an occurrence done; a repeating reminder moves to its next one."""
    from stuffctl.cli.options import date_opt

    when = date_opt("--on", on)
    if log is None:
        log = ref.startswith("maintenance:") and sys.stdin.isatty() and typer.confirm(
            "log the event on the asset?", default=True)
    _act(ref, "done", as_json, on=when, log=log)


@app.command("skip")
def remind_skip(ref: RefArg, as_json: JsonOpt = False) -> None:
    """Skip this occurrence; a repeating reminder moves to its next one."""
    _act(ref, "skip", as_json)


@app.command("snooze")
def remind_snooze(
    ref: RefArg,
    until: Annotated[str, typer.Argument(help="For how long (2h, 90 min, 3d) or until when "
                     "(a date, at remind.morning from config, or a date and time).",
                     show_default=False)],
    as_json: JsonOpt = False, now: NowOpt = None,
) -> None:
    """Silence an occurrence for a while; it is notified again afterwards."""
    from stuffctl import config
    from stuffctl.dates import parse_time, parse_until

    at, morning = _now(now), parse_time(str(config.get("remind.morning")))
    when = parsed("UNTIL", until, lambda v: parse_until(v, now=at, morning=morning))
    _act(ref, "snooze", as_json, now=at, until=when)


@app.command("run")
def remind_run(
    as_json: JsonOpt = False, now: NowOpt = None,
    digest: Annotated[bool, typer.Option("--digest", help="List everything still open, not "
                      "only what is new.")] = False,
    quiet_hours: Annotated[bool, typer.Option("--quiet-hours", help="Stay silent inside "
                           "remind.quiet_hours from config.")] = False,
    exit_status: Annotated[bool, typer.Option("--exit-status", help="Exit 10 when something "
                           "is due, 11 when something is overdue (docs/exit-codes.md).")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show who would get what, on "
                       "which channel; record and send nothing.")] = False,
) -> None:
    """What cron calls: print what newly needs attention, once; nothing when nothing does.
    Each person concerned hears on their channels as their profile says (docs/notify.md);
    exit 12 when a notification could not be delivered (it is retried)."""
    from stuffctl import store
    from stuffctl.render.remind import (
        ChannelTexts,
        notification_text,
        occurrence_line,
        report_skipped,
    )
    from stuffctl.services.remind import engine, notify, outbox
    from stuffctl.services.remind.settings import Settings

    at, settings = _now(now), Settings.load()
    if dry_run:
        return _dry_run(at, settings, digest, as_json)
    if quiet_hours and engine.in_quiet_hours(at, settings) and not digest:
        raise typer.Exit(0)
    # What it records changes nothing `status --brief` shows: its cached line stays.
    with store.transaction(write=True, keeps_attention=now is None) as db:
        result = engine.run(db=db, now=at, settings=settings, remember=False)
        plan = outbox.decide(db, result.open, at, settings, ChannelTexts())
        channels = outbox.channels_waiting(db)
        if now is None:
            engine.remember_next(db, _soonest(result.next_at, plan.next_at,
                                              outbox.next_try(db)))
    report_skipped(result.skipped)
    rows = [engine.item_json(i, at) for i in (result.open if digest else result.new)]
    problem = notify.send(settings.command(), *notification_text(rows)) if rows else None
    if as_json:
        render.emit_json(rows)
    else:
        for row in rows:
            typer.echo(occurrence_line(row))
    failed = channels and _deliver(at, result.next_at, plan.next_at, channels,
                                   remember=now is None)
    if problem:  # after printing: taking the record back may wait for the lock
        _not_delivered(problem, result.new)
    if problem or failed:
        raise typer.Exit(int(RemindStatus.NOT_DELIVERED))
    if exit_status and (code := engine.exit_status(result.open)):
        raise typer.Exit(code)


def _not_delivered(problem: str, new: list[Any]) -> None:
    """The notification command failed: what was new counts as not notified (and the
    fast path's cached time is forgotten), so the next run tries again."""
    from stuffctl import store
    from stuffctl.services.remind import engine

    if new:
        with store.transaction(write=True) as db:
            engine.unrecord(db=db, items=new)
        problem += "; the next run tries again"
    render.note(problem)


def _soonest(*moments: Any) -> Any:
    return min(m for m in moments if m is not None)


def _deliver(at: Any, engine_next: Any, plan_next: Any, channels: list[int], *,
             remember: bool) -> bool:
    """Send what waits in the outbox (``services.remind.outbox.deliver``); a line on stderr
    for each failed attempt. True when one failed."""
    from functools import partial

    from stuffctl import store
    from stuffctl.services.remind import engine, notify, outbox

    tried = outbox.deliver(partial(store.transaction, write=True), at, notify.deliver,
                           channels)
    for attempt in tried:
        if attempt.error is None:
            continue
        then = (f"tried again from {attempt.next_try_at:%Y-%m-%d %H:%M}"
                if attempt.state == "pending" else
                f"given up after {attempt.attempts} attempts: see 'stuffctl remind outbox'")
        render.note(f"warning: not delivered to {render.plain(attempt.person)} on "
                    f"{attempt.channel}: {render.plain(attempt.error)}; {then}")
    if tried and remember:  # the deliveries' writes forgot when to look next
        with store.transaction(write=True, keeps_attention=True) as db:
            engine.remember_next(db, _soonest(engine_next, plan_next, outbox.next_try(db)))
    return any(a.error is not None for a in tried)


def _dry_run(at: Any, settings: Any, digest: bool, as_json: bool) -> None:
    """``remind run --dry-run``: who would get what, on which channel (this run's own
    output included), in a transaction that writes nothing."""
    from stuffctl import store
    from stuffctl.render.remind import DRY_RUN_COLUMNS, ChannelTexts, report_skipped
    from stuffctl.services.remind import engine, outbox

    with store.transaction() as db:
        result = engine.run(db=db, now=at, settings=settings, dry=True)
        rows = outbox.preview(db, result, at, settings, ChannelTexts(), digest=digest)
    report_skipped(result.skipped)
    render.emit_list(rows, DRY_RUN_COLUMNS, pick_format(None, as_json),
                     empty="nothing to send")


OUTBOX_STATES = ("pending", "failed", "sending", "delivered", "undelivered")


@app.command("outbox")
def remind_outbox(
    state: Annotated[list[str] | None, typer.Option("--state", help="Only these: pending, "
                     "failed (pending after a failed attempt), sending, delivered, "
                     "undelivered (repeatable).", autocompletion=words(OUTBOX_STATES))] = None,
    person: Annotated[str | None, typer.Option("--person", help="Only the messages to this "
                      "person (id, name or me).", autocompletion=records("person"))] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="At most this many, "
                     "newest first.")] = 50,
    fmt: FormatOpt = None, as_json: JsonOpt = False, raw: RawOpt = False,
) -> None:
    """Messages to people's channels: waiting, failed, delivered, given up."""
    from stuffctl import store
    from stuffctl.render.remind import OUTBOX_COLUMNS, outbox_row
    from stuffctl.services.lookup import resolve
    from stuffctl.services.remind import outbox

    wrong = [s for s in state or [] if s not in OUTBOX_STATES]
    if wrong:
        raise InvalidInput(f"--state: expected one of {', '.join(OUTBOX_STATES)} "
                           f"(got {', '.join(wrong)})")
    form = pick_format(fmt, as_json)
    with store.transaction() as db:
        person_id = resolve(db, "person", person, "--person") if person else None
        rows = outbox.list_outbox(db, states=state or (), person_id=person_id, limit=limit)
    shown = rows if form is not render.Format.table else [outbox_row(r) for r in rows]
    render.emit_list(shown, OUTBOX_COLUMNS, form, empty="the outbox is empty")


@app.command("cron")
def remind_cron(as_json: JsonOpt = False) -> None:
    """Print a crontab line and a systemd user timer that run `remind run`."""
    from stuffctl.services.remind import cron

    db = cron.database()
    line, units = cron.crontab_line(db), cron.systemd_units(db)
    if as_json:
        render.emit_json({"crontab": line, "systemd": units})
        return
    typer.echo(f"# crontab -e, then add:\n{line}\n")
    for name, text in units.items():
        typer.echo(f"# ~/.config/systemd/user/{name}\n{text}")
    typer.echo("# then: systemctl --user enable --now stuffctl-remind.timer")


@app.command("ics")
def remind_ics(
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file "
                   "(default: stdout).")] = None,
) -> None:
    """Write an RFC 5545 calendar (.ics) of upcoming occurrences for calendar apps."""
    from stuffctl import paths, store
    from stuffctl.render.remind import report_skipped
    from stuffctl.services.remind.ics import calendar_bytes
    from stuffctl.services.remind.settings import Settings

    skipped: list[Skipped] = []
    with store.transaction() as db:
        data = calendar_bytes(db=db, now=_now(None), settings=Settings.load(),
                              skipped=skipped)
    report_skipped(skipped)
    if out is None:
        render.emit_bytes(data)
    else:
        paths.write_atomic(out, data)
        render.note(f"wrote {out}")
