"""The plain-SQL writes (store.sql.insert/update/set_tags): the uids they give, and
the stored form of what they write (``sql.stored``, ``sql.moment``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stuffctl import store
from stuffctl.clock import new_uid, new_uids, transaction_clock
from stuffctl.errors import InvalidInput
from stuffctl.store import sql


def _is_version_7(text: str) -> bool:
    import uuid

    parsed = uuid.UUID(text)
    return (str(parsed), parsed.version, parsed.variant) == (text, 7, uuid.RFC_4122)


def test_new_uids_are_version_7_uuids_unique_and_increasing_within_a_batch():
    import time
    import uuid

    before = time.time_ns() // 1_000_000
    batch = new_uids(500)
    singles = [new_uid() for _ in range(500)]
    after = time.time_ns() // 1_000_000
    assert len(set(batch + singles)) == 1000
    assert all(_is_version_7(text) for text in batch + singles)
    assert batch == sorted(batch)  # time-ordered: a uid index grows at its end
    assert [uuid.UUID(u).int for u in batch] == sorted(uuid.UUID(u).int for u in batch)
    for text in batch + singles:  # the first 48 bits are the Unix time in milliseconds
        assert before <= uuid.UUID(text).int >> 80 <= after
    assert new_uids(0) == []


@pytest.mark.parametrize(("value", "expected"), [
    (date(2026, 3, 1), "2026-03-01"),
    (datetime(2026, 3, 1, 8, 30), "2026-03-01 08:30:00.000000"),
    (datetime(2026, 3, 1, 8, 30, 5, 12, tzinfo=UTC), "2026-03-01 08:30:05.000012"),
    (datetime(999, 1, 1), "0999-01-01 00:00:00.000000"),  # the year padded, as SQLAlchemy wrote it
    (date(999, 1, 1), "0999-01-01"),
    (time(8, 30), "08:30:00.000000"),
    (True, 1), (False, 0), (None, None), (12, 12), ("text", "text"),
])
def test_each_kind_of_value_has_one_stored_form(value, expected):
    assert sql.stored(value) == expected


# The type a stored value has: (the function that names it, text, integer) per backend;
# a server's columns have their types, which the schema gives (store/postgres.py).
TYPEOF = {"sqlite": ("typeof", "text", "integer"),
          "postgresql": ("pg_typeof", "character varying", "smallint")}


def test_an_insert_stores_each_value_in_its_stored_form_with_uid_stamps_and_defaults(home):
    due = {"title": "Pills", "start_on": date(2026, 1, 1), "due_on": date(2026, 1, 1),
           "due_time": time(8, 30), "from_done": True, "rule": "FREQ=DAILY",
           "snoozed_until": datetime(2026, 1, 1, 9, 0)}
    with store.transaction(write=True) as db, transaction_clock() as now:
        ident = sql.insert(db, "reminder", due)  # kind and state left to their defaults
        second = sql.insert(db, "reminder", {**due, "kind": "chore", "state": "done",
                                             "from_done": False})
    with store.transaction() as db:
        row = dict(db.rows("SELECT * FROM reminder WHERE id = ?", (ident,)).fetchone())
        other = dict(db.rows("SELECT * FROM reminder WHERE id = ?", (second,)).fetchone())
        typeof, text, integer = TYPEOF[db.backend.name]
        types = db.execute(f"SELECT {typeof}(start_on), {typeof}(due_time), "
                           f"{typeof}(from_done), {typeof}(snoozed_until), "
                           f"{typeof}(created_at) FROM reminder WHERE id = ?",
                           (ident,)).fetchone()
    assert {k: row[k] for k in due} == {
        "title": "Pills", "start_on": "2026-01-01", "due_on": "2026-01-01",
        "due_time": "08:30:00.000000", "from_done": 1, "rule": "FREQ=DAILY",
        "snoozed_until": "2026-01-01 09:00:00.000000"}
    assert tuple(types) == (text, text, integer, text, text)
    assert (row["kind"], row["state"]) == ("reminder", "open")  # the models' defaults
    assert (other["kind"], other["state"], other["from_done"]) == ("chore", "done", 0)
    assert row["about_kind"] is row["lead"] is row["notes"] is None
    assert row["created_at"] == row["updated_at"] == sql.moment(now)
    assert now.tzinfo is not None and sql.when(row["created_at"]) == now.replace(tzinfo=None)
    assert _is_version_7(row["uid"]) and _is_version_7(other["uid"])
    assert row["uid"] != other["uid"]


def test_update_stamps_updated_at_and_set_tags_trims_keeps_once_and_refuses_empty(home):
    with store.transaction(write=True) as conn:
        ident = sql.insert(conn, "txn", {"occurred_on": date(2026, 1, 1), "amount_minor": -5,
                                         "currency": "EUR"})
        created = conn.execute("SELECT created_at FROM txn").fetchone()[0]
    with store.transaction(write=True) as conn:
        sql.update(conn, "txn", ident, {"payee": "Bakery"})
        sql.set_tags(conn, "txn", ident, [" food ", "food", "daily"], [])
        sql.set_tags(conn, "txn", ident, ["weekly"], ["daily "])
        payee, updated = conn.execute("SELECT payee, updated_at FROM txn").fetchone()
        tags = [t for (t,) in conn.execute("SELECT tag FROM txn_tag ORDER BY tag")]
    assert (payee, tags) == ("Bakery", ["food", "weekly"])
    assert updated > created
    with pytest.raises(InvalidInput, match="empty"), store.transaction(write=True) as conn:
        sql.set_tags(conn, "txn", ident, ["fine", " "], [])
    with store.transaction() as conn:  # refused: nothing of that command was kept
        assert [t for (t,) in conn.execute("SELECT tag FROM txn_tag ORDER BY tag")] == [
            "food", "weekly"]


@settings(max_examples=300, deadline=None)
@given(moment=st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
       later=st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
       hours=st.integers(min_value=-14, max_value=14))
def test_any_date_time_and_timestamp_is_stored_in_the_one_stored_form(moment, later, hours):
    from datetime import timedelta, timezone

    m = moment
    day = f"{m.year:04d}-{m.month:02d}-{m.day:02d}"
    clock = f"{m.hour:02d}:{m.minute:02d}:{m.second:02d}.{m.microsecond:06d}"
    assert sql.stored(m) == sql.moment(m) == f"{day} {clock}"
    assert sql.stored(m.date()) == day
    assert sql.stored(m.time()) == clock
    # an aware one is stored in UTC, without an offset
    assert sql.stored(m.replace(tzinfo=UTC)) == f"{day} {clock}"
    if datetime(2, 1, 1) <= m <= datetime(9998, 12, 31):
        zone = timezone(timedelta(hours=hours))
        assert sql.stored((m.replace(tzinfo=UTC)).astimezone(zone)) == f"{day} {clock}"
    # read back as they were written
    assert sql.when(sql.stored(m)) == m
    assert sql.day(sql.stored(m.date())) == m.date() == sql.day(sql.stored(m))
    # the stored text sorts as the moments do: SQL compares and orders them as text
    assert (sql.stored(m) < sql.stored(later)) == (m < later)
    assert (sql.stored(m.date()) < sql.stored(later.date())) == (m.date() < later.date())


def test_a_threads_transaction_clock_is_its_own_and_never_left_behind():
    """Two threads' transactions overlapping (the store used from threads): each keeps
    its own time, and when both are over the clock runs again (a shared global once
    stayed stopped at the time of a transaction long finished)."""
    import threading
    import time

    from stuffctl import clock

    entered, leave = threading.Event(), threading.Event()

    def other() -> None:
        with clock.transaction_clock() as theirs:
            entered.set()
            leave.wait(5)
            assert clock.utcnow() == theirs

    with clock.transaction_clock() as mine:
        thread = threading.Thread(target=other)
        thread.start()
        assert entered.wait(5)
        assert clock.utcnow() == mine
    leave.set()
    thread.join()
    first = clock.utcnow()
    time.sleep(0.002)
    assert clock.utcnow() > first
