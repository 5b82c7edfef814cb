"""The outbox: what each person is to hear, on which channel, decided once and delivered
after commit, so that nothing is lost or doubled (docs/notify.md).

``decide`` runs in `remind run`'s transaction, after the engine (the writer lock is
held): for every occurrence in a band, the people it concerns (``concerns``) whose
profile lets it through (``profiles``) get a ``notice`` (the unique key: once per
person, occurrence, band and round), and each notice that is not held for a digest or
quiet hours becomes one ``outbox`` message per channel of theirs. A digest person's
held notices become one message per channel when their digest time has come.

``deliver`` runs after commit. For each channel, its oldest message not yet delivered is
claimed (``sending``) in a short write transaction, so that of overlapping runs one
sends it; Apprise sends it; a second transaction records ``delivered`` or the failure.
A failure is retried by later runs after a backoff (:data:`BACKOFF_MINUTES` doubling to
:data:`BACKOFF_CAP_MINUTES`), and the channel's later messages wait behind it so that
they arrive in order; after :data:`GIVE_UP_AFTER` failed attempts it is ``undelivered``
(shown by `remind outbox` and `status`) and the channel moves on. A run that died
between claiming and recording leaves ``sending``: after :data:`STALE_MINUTES` a run
counts it as a failed attempt and tries again (the one case where a channel may get a
message twice is a crash between the channel accepting it and the record).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any, Protocol

from stuffctl.services.remind.concerns import concerned
from stuffctl.services.remind.engine import Item, RunResult, item_json
from stuffctl.services.remind.profiles import (
    Profile,
    hears,
    household,
    in_quiet,
    next_digest,
)
from stuffctl.services.remind.settings import Settings
from stuffctl.store.handle import Db
from stuffctl.store.sql import iso, marks, moment, stamp, when

BACKOFF_MINUTES = 5
BACKOFF_CAP_MINUTES = 360
GIVE_UP_AFTER = 10
STALE_MINUTES = 15
STATES = ("pending", "sending", "delivered", "undelivered")


class Texts(Protocol):
    """How messages read (the CLI passes ``render.remind``'s: services format nothing)."""

    def one(self, row: dict[str, Any]) -> tuple[str, str]: ...

    def digest(self, new: list[dict[str, Any]], changed: list[dict[str, Any]]
               ) -> tuple[str, str]: ...


@dataclass
class Person:
    id: int
    name: str
    profile: Profile
    own_profile: bool
    channels: list[tuple[int, str]]
    last_digest_at: datetime | None


@dataclass
class Plan:
    """What a run decided (or, dry, would decide): messages to send, and when the run
    should next look (quiet hours ending, a digest due)."""

    messages: list[dict[str, Any]] = field(default_factory=list)
    held: list[dict[str, Any]] = field(default_factory=list)
    next_at: datetime | None = None

    def soonest(self, at: datetime | None) -> None:
        if at is not None and (self.next_at is None or at < self.next_at):
            self.next_at = at


def utc(local: datetime) -> str:
    """A local wall-clock moment in the stored form of the ``*_at`` stamps (UTC)."""
    return moment(local.astimezone(UTC))


def local(stored: Any) -> datetime | None:
    """A stored UTC stamp as a local wall-clock moment."""
    found = when(stored)
    return None if found is None else found.replace(tzinfo=UTC).astimezone().replace(
        tzinfo=None)


def people(db: Db, settings: Settings) -> dict[int, Person]:
    """Everyone with a channel this command may read (on a server, row security shows a
    member their own channels only), with their profile."""
    found: dict[int, Person] = {}
    for pid, name, kinds, bands, digest, quiet, last in db.execute(
            "SELECT p.id, p.name, n.kinds, n.bands, n.digest, n.quiet_hours, n.last_digest_at"
            " FROM person p LEFT JOIN notify_profile n ON n.person_id = p.id"
            " WHERE EXISTS (SELECT 1 FROM channel c WHERE c.person_id = p.id) ORDER BY p.id"):
        own = kinds is not None
        profile = Profile(kinds, bands, digest, quiet) if own else household(settings)
        found[pid] = Person(pid, name, profile, own, [], when(last))
    for cid, pid, url in db.execute("SELECT id, person_id, url FROM channel ORDER BY id"):
        if pid in found:
            found[pid].channels.append((cid, url))
    return found


def nobody_named(db: Db, settings: Settings, everyone: Iterable[int]) -> frozenset[int]:
    """Who hears what concerns nobody in particular: config ``notify.nobody``."""
    value = str(settings.values.get("notify.nobody") or "everyone")
    if value == "everyone":
        return frozenset(everyone)
    if value == "nobody":
        return frozenset()
    row = db.execute("SELECT id FROM person WHERE lower(name) = ? OR CAST(id AS TEXT) = ?"
                     " ORDER BY id LIMIT 1", (value.lower(), value)).fetchone()
    return frozenset([row[0]]) if row else frozenset()


def _ident(person: int, item: Item) -> tuple[int, str, str, str, int]:
    assert item.band is not None
    return (person, item.cand.key, item.cand.occurrence_id, item.band, item.round)


def _known(db: Db, items: Sequence[Item]) -> set[tuple[int, str, str, str, int]]:
    """The notices already decided for the occurrences ``items`` are of."""
    keys = sorted({i.cand.key for i in items})
    if not keys:
        return set()
    return {tuple(row) for row in db.execute(
        "SELECT person_id, key, occurrence, band, round FROM notice"
        f" WHERE {db.backend.in_list('key')}", (json.dumps(keys),))}


def decide(db: Db, items: Iterable[Item], now: datetime, settings: Settings, texts: Texts,
           *, write: bool = True) -> Plan:
    """Notices and messages for what ``items`` (open occurrences, with bands) newly mean to
    each person; written when ``write`` (in the run's transaction), else only planned."""
    plan = Plan()
    persons = people(db, settings)
    if not persons:
        return plan
    banded = [i for i in items if i.band is not None]
    concerns = concerned(db, (i.cand for i in banded))
    default = nobody_named(db, settings, persons)
    known = _known(db, banded)
    new: list[tuple[Person, Item, bool]] = []
    for item in banded:
        assert item.band is not None
        for pid in sorted(concerns[item.cand.key] or default):
            person = persons.get(pid)
            if person is None or _ident(pid, item) in known:
                continue
            if not hears(person.profile, settings, item.cand.kind, item.band):
                continue
            quiet_until = in_quiet(person.profile, now)
            held = person.profile.digest != "off" or quiet_until is not None
            plan.soonest(quiet_until)
            new.append((person, item, held))
    stamp_now = utc(now)
    if write and new:
        db.executemany(
            "INSERT INTO notice (person_id, key, occurrence, band, round, kind, title, due,"
            " decided_at, held) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [(*_ident(p.id, i), i.cand.kind, i.cand.title, moment(i.cand.due_at), stamp_now,
              int(held)) for p, i, held in new])
    for person, item, held in new:
        row = item_json(item, now)
        entry = {"person_id": person.id, "person": person.name, **row}
        if held:
            plan.held.append(entry)
            continue
        title, body = texts.one(row)
        for cid, url in person.channels:
            plan.messages.append(_message(person, cid, url, title, body, digest=False))
    for person in persons.values():
        _release(db, person, now, texts, plan, write=write,
                 planned=[(i, h) for p, i, h in new if p is person])
    if write:
        _write(db, plan.messages, stamp_now)
    return plan


def preview(db: Db, result: RunResult, now: datetime, settings: Settings, texts: Texts,
            *, digest: bool) -> list[dict[str, Any]]:
    """``remind run --dry-run`` (docs/json.md#remind-run---dry-run): the run's own lines
    (``stdout``, and ``command`` with ``notify.command``), the messages this run would send,
    the notices it would hold, and what waits in the outbox already; nothing written."""
    plan = decide(db, result.open, now, settings, texts, write=False)
    own = [item_json(i, now) for i in (result.open if digest else result.new)]
    outputs = ["stdout", *(["command"] if settings.command() else [])]
    nobody = {"person_id": None, "person": None, "channel_id": None}
    rows = [{**nobody, "channel": where, "send": "now", "digest": False, "title": r["title"],
             "body": None, "key": r["key"], "band": r["band"]}
            for where in outputs for r in own]
    rows += [{**m, "send": "now", "key": None, "band": None} for m in plan.messages]
    rows += [{"person_id": h["person_id"], "person": h["person"], "channel_id": None,
              "channel": None, "send": "held", "digest": False, "title": h["title"],
              "body": None, "key": h["key"], "band": h["band"]} for h in plan.held]
    rows += [{"person_id": m["person_id"], "person": m["person"],
              "channel_id": m["channel_id"], "channel": m["channel"], "send": "waiting",
              "digest": m["digest"], "title": m["title"], "body": m["body"], "key": None,
              "band": None} for m in reversed(list_outbox(db, states=("pending",)))]
    return rows


def _message(person: Person, channel_id: int, url: str, title: str, body: str, *,
             digest: bool) -> dict[str, Any]:
    from stuffctl.services.remind.notify import mask

    return {"person_id": person.id, "person": person.name, "channel_id": channel_id,
            "channel": mask(url), "title": title, "body": body, "digest": digest}


def _write(db: Db, messages: list[dict[str, Any]], created: str) -> None:
    db.executemany(
        "INSERT INTO outbox (person_id, channel_id, title, body, digest, created_at, state,"
        " attempts) VALUES (?, ?, ?, ?, ?, ?, 'pending', 0)",
        [(m["person_id"], m["channel_id"], m["title"], m["body"], int(m["digest"]), created)
         for m in messages])


def _due(stored: Any) -> str | None:
    """A stored due moment as ``item_json`` shows it: a date alone when it is midnight."""
    found = when(stored)
    return None if found is None else iso(found.date() if found.time() == time() else found)


def _held_rows(db: Db, person: Person, planned: list[tuple[Item, bool]], now: datetime
               ) -> tuple[list[int], list[dict[str, Any]], list[dict[str, Any]]]:
    """(notice ids, new, changed) of what ``person`` has waiting: their held notices (and,
    in a dry run, those planned now); changed: an occurrence they heard of before."""
    rows = list(db.execute(
        "SELECT n.id, n.key, n.occurrence, n.band, n.kind, n.title, n.due, EXISTS (SELECT 1"
        " FROM notice o WHERE o.person_id = n.person_id AND o.key = n.key AND o.occurrence ="
        " n.occurrence AND o.held = 0) FROM notice n WHERE n.person_id = ? AND n.held = 1"
        " ORDER BY n.due, n.id", (person.id,)))
    seen = {(r[1], r[2], r[3]) for r in rows}
    ids = [r[0] for r in rows]
    new: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for _, key, occ, band, kind, title, due, heard in rows:
        entry = {"key": key, "occurrence": occ, "band": band, "kind": kind, "title": title,
                 "due": _due(due), "person_id": person.id, "person": person.name}
        (changed if heard else new).append(entry)
    for item, held in planned:  # a dry run has not written them
        if held and (item.cand.key, item.cand.occurrence_id, item.band) not in seen:
            new.append({**item_json(item, now), "person_id": person.id,
                        "person": person.name})
    return ids, new, changed


def _release(db: Db, person: Person, now: datetime, texts: Texts, plan: Plan, *,
             write: bool, planned: list[tuple[Item, bool]]) -> None:
    """Send what ``person`` has held, if its time has come: their digest, or, for a person
    who hears at once, what their quiet hours held back."""
    quiet_until = in_quiet(person.profile, now)
    if person.profile.digest == "off":
        if quiet_until is not None:
            return
        ids, new, changed = _held_rows(db, person, [], now)
        for row in sorted(new + changed, key=lambda r: (r["due"], r["key"])):
            title, body = texts.one(row)
            for cid, url in person.channels:
                plan.messages.append(_message(person, cid, url, title, body, digest=False))
        if write and ids:
            db.execute(f"UPDATE notice SET held = 0 WHERE id IN ({marks(ids)})", ids)
        return
    due_at = next_digest(person.profile, person.last_digest_at, now)
    if due_at is None:
        return
    if due_at > now or quiet_until is not None:
        plan.soonest(max(due_at, quiet_until or due_at))
        return
    ids, new, changed = _held_rows(db, person, planned, now)
    if new or changed:
        title, body = texts.digest(new, changed)
        for cid, url in person.channels:
            plan.messages.append(_message(person, cid, url, title, body, digest=True))
    plan.soonest(next_digest(person.profile, now, now))
    if write:
        if ids:
            db.execute(f"UPDATE notice SET held = 0 WHERE id IN ({marks(ids)})", ids)
        db.execute(db.backend.upsert("notify_profile", (
            "person_id", "kinds", "bands", "digest", "quiet_hours", "last_digest_at"),
            key=("person_id",), update=("last_digest_at",)),
                   (person.id, person.profile.kinds, person.profile.bands,
                    person.profile.digest, person.profile.quiet_hours, moment(now)))


# -- delivery --------------------------------------------------------------------------

def backoff(attempts: int) -> timedelta:
    """How long a channel waits after its ``attempts``-th failed attempt."""
    return timedelta(minutes=min(BACKOFF_MINUTES * 2 ** (attempts - 1), BACKOFF_CAP_MINUTES))


@dataclass
class Attempt:
    """One message tried by this run."""

    id: int
    person: str
    channel: str
    title: str
    error: str | None
    attempts: int
    state: str
    next_try_at: datetime | None


NEXT_OF_CHANNEL = (
    "SELECT o.id, o.state, o.tried_at, o.next_try_at, o.attempts, o.title, o.body, c.url,"
    " p.name FROM outbox o JOIN channel c ON c.id = o.channel_id"
    " JOIN person p ON p.id = o.person_id"
    " WHERE o.channel_id = ? AND o.state IN ('pending', 'sending') ORDER BY o.id LIMIT 1")


def channels_waiting(db: Db) -> list[int]:
    """The channels with a message not yet delivered (and readable by this command)."""
    return [cid for (cid,) in db.execute(
        "SELECT DISTINCT o.channel_id FROM outbox o JOIN channel c ON c.id = o.channel_id"
        " WHERE o.state IN ('pending', 'sending') ORDER BY o.channel_id")]


def claim(db: Db, channel_id: int, now: datetime) -> dict[str, Any] | None:
    """The oldest message of ``channel_id`` not yet delivered, claimed for this run
    (``sending``), when its time has come and no live run holds it; else None."""
    row = db.execute(NEXT_OF_CHANNEL, (channel_id,)).fetchone()
    if row is None:
        return None
    mid, state, tried, next_try, attempts, title, body, url, person = row
    stale = utc(now - timedelta(minutes=STALE_MINUTES))
    if state == "sending":
        if tried is not None and str(tried) > stale:
            return None  # another run is sending it
        attempts += 1  # a run died while sending it: that was an attempt
    elif next_try is not None and str(next_try) > utc(now):
        return None
    db.execute("UPDATE outbox SET state = 'sending', tried_at = ?, attempts = ? WHERE id = ?",
               (utc(now), attempts, mid))
    return {"id": mid, "title": title, "body": body, "url": url, "person": person,
            "attempts": attempts}


def record(db: Db, message: dict[str, Any], error: str | None, now: datetime) -> Attempt:
    """What became of a claimed message: delivered, or a failed attempt (retried after
    :func:`backoff`, or given up after :data:`GIVE_UP_AFTER`)."""
    from stuffctl.services.remind.notify import mask

    attempts = message["attempts"] + 1
    if error is None:
        db.execute("UPDATE outbox SET state = 'delivered', delivered_at = ?, attempts = ?,"
                   " next_try_at = NULL, error = NULL WHERE id = ?",
                   (utc(now), attempts, message["id"]))
        state, next_try = "delivered", None
    else:
        state = "undelivered" if attempts >= GIVE_UP_AFTER else "pending"
        next_try = None if state == "undelivered" else now + backoff(attempts)
        db.execute("UPDATE outbox SET state = ?, attempts = ?, next_try_at = ?, error = ?"
                   " WHERE id = ?", (state, attempts, utc(next_try) if next_try else None,
                                     error, message["id"]))
    return Attempt(message["id"], message["person"], mask(message["url"]), message["title"],
                   error, attempts, state, next_try)


def next_try(db: Db) -> datetime | None:
    """The soonest local time a waiting message may be tried again."""
    found = db.one("SELECT min(coalesce(next_try_at, created_at)) FROM outbox"
                   " WHERE state IN ('pending', 'sending')")
    return local(found)


def deliver(transaction: Callable[[], Any], now: datetime,
            send: Callable[[str, str, str], str | None], waiting: Sequence[int]
            ) -> list[Attempt]:
    """Try the waiting messages of the channels ``waiting`` (``channels_waiting``, read in
    the run's transaction), oldest first, each claimed and recorded in a write
    transaction of its own (``transaction()`` opens one); a channel stops at its first
    failure, so that its messages arrive in order."""
    tried: list[Attempt] = []
    for channel_id in waiting:
        while True:
            with transaction() as db:
                message = claim(db, channel_id, now)
            if message is None:
                break
            error = send(message["url"], message["title"], message["body"])
            with transaction() as db:
                attempt = record(db, message, error, now)
            tried.append(attempt)
            if error is not None and attempt.state != "undelivered":
                break
    return tried


# -- listing ---------------------------------------------------------------------------

def public(row: Any) -> dict[str, Any]:
    """The JSON shape of an outbox message (docs/json.md#outbox)."""
    from stuffctl.services.remind.notify import mask

    return {"id": row["id"], "person_id": row["person_id"], "person": row["person"],
            "channel_id": row["channel_id"],
            "channel": mask(row["url"]) if row["url"] is not None else None,
            "title": row["title"], "body": row["body"], "digest": bool(row["digest"]),
            "state": row["state"], "attempts": row["attempts"],
            "created_at": stamp(row["created_at"]), "next_try_at": stamp(row["next_try_at"]),
            "tried_at": stamp(row["tried_at"]), "delivered_at": stamp(row["delivered_at"]),
            "error": row["error"]}


def list_outbox(db: Db, *, states: Sequence[str] = (), person_id: int | None = None,
                limit: int | None = None) -> list[dict[str, Any]]:
    """Messages newest first; ``states`` (``failed``: pending after a failed attempt)."""
    where: list[str] = []
    params: list[Any] = []
    plain = [s for s in states if s != "failed"]
    parts = []
    if plain:
        parts.append(f"o.state IN ({marks(plain)})")
        params += plain
    if "failed" in states:
        parts.append("(o.state = 'pending' AND o.attempts > 0)")
    if parts:
        where.append(f"({' OR '.join(parts)})")
    if person_id is not None:
        where.append("o.person_id = ?")
        params.append(person_id)
    sql = ("SELECT o.*, p.name AS person, c.url FROM outbox o JOIN person p ON p.id ="
           " o.person_id LEFT JOIN channel c ON c.id = o.channel_id"
           + (f" WHERE {' AND '.join(where)}" if where else "") + " ORDER BY o.id DESC"
           + (f" LIMIT {int(limit)}" if limit else ""))
    return [public(row) for row in db.rows(sql, params)]


def counts(db: Db) -> dict[str, int]:
    """How many messages wait (``pending``: not yet tried, or retried later; ``failed``: of
    those, the ones that failed) and how many were given up (``undelivered``)."""
    row = db.execute(
        "SELECT coalesce(sum(CASE WHEN state IN ('pending', 'sending') THEN 1 ELSE 0 END), 0),"
        " coalesce(sum(CASE WHEN state = 'pending' AND attempts > 0 THEN 1 ELSE 0 END), 0),"
        " coalesce(sum(CASE WHEN state = 'undelivered' THEN 1 ELSE 0 END), 0) FROM outbox"
    ).fetchone()
    return {"pending": int(row[0]), "failed": int(row[1]), "undelivered": int(row[2])}
