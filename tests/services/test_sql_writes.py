"""The plain-SQL writes (store.sql.insert/update/set_tags): a row they write reads
back through the ORM exactly as one the ORM wrote itself."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stuffctl import store
from stuffctl.clock import new_uid, transaction_clock
from stuffctl.errors import InvalidInput
from stuffctl.store import sql


def test_new_uids_are_version_4_uuids():
    import uuid

    uids = {new_uid() for _ in range(500)}
    assert len(uids) == 500
    for text in uids:
        parsed = uuid.UUID(text)
        assert (str(parsed), parsed.version, parsed.variant) == (text, 4, uuid.RFC_4122)


@pytest.mark.parametrize(("value", "expected"), [
    (date(2026, 3, 1), "2026-03-01"),
    (datetime(2026, 3, 1, 8, 30), "2026-03-01 08:30:00.000000"),
    (datetime(2026, 3, 1, 8, 30, 5, 12, tzinfo=UTC), "2026-03-01 08:30:05.000012"),
    (datetime(999, 1, 1), "0999-01-01 00:00:00.000000"),  # SQLAlchemy pads the year
    (date(999, 1, 1), "0999-01-01"),
    (time(8, 30), "08:30:00.000000"),
    (True, 1), (False, 0), (None, None), (12, 12), ("text", "text"),
])
def test_values_are_stored_as_sqlalchemy_stores_them(value, expected):
    assert sql.stored(value) == expected


def test_a_plain_insert_reads_back_through_the_orm_as_an_orm_insert(home):
    from stuffctl.models import Reminder

    due = {"title": "Pills", "start_on": date(2026, 1, 1), "due_on": date(2026, 1, 1),
           "due_time": time(8, 30), "from_done": True, "rule": "FREQ=DAILY",
           "snoozed_until": datetime(2026, 1, 1, 9, 0)}
    with store.connection(write=True) as conn, transaction_clock() as now:
        plain_id = sql.insert(conn, "reminder", {"kind": "reminder", "state": "open", **due})
    with store.session(write=True) as s:
        orm = Reminder(**due)
        s.add(orm)
        s.flush()
        orm_id = orm.id
    with store.session() as s:
        plain, other = s.get(Reminder, plain_id), s.get(Reminder, orm_id)
        assert plain is not None and other is not None
        skip = {"id", "uid", "created_at", "updated_at"}
        assert ({k: v for k, v in plain.model_dump().items() if k not in skip}
                == {k: v for k, v in other.model_dump().items() if k not in skip})
        assert plain.created_at == plain.updated_at == now
        assert plain.created_at.tzinfo is not None and len(plain.uid) == 36


def test_update_stamps_updated_at_and_set_tags_trims_keeps_once_and_refuses_empty(home):
    with store.connection(write=True) as conn:
        ident = sql.insert(conn, "txn", {"occurred_on": date(2026, 1, 1), "amount_minor": -5,
                                         "currency": "EUR"})
        created = conn.execute("SELECT created_at FROM txn").fetchone()[0]
    with store.connection(write=True) as conn:
        sql.update(conn, "txn", ident, {"payee": "Bakery"})
        sql.set_tags(conn, "txn_tag", "txn_id", ident, [" food ", "food", "daily"], [])
        sql.set_tags(conn, "txn_tag", "txn_id", ident, ["weekly"], ["daily "])
        payee, updated = conn.execute("SELECT payee, updated_at FROM txn").fetchone()
        tags = [t for (t,) in conn.execute("SELECT tag FROM txn_tag ORDER BY tag")]
    assert (payee, tags) == ("Bakery", ["food", "weekly"])
    assert updated > created
    with pytest.raises(InvalidInput, match="empty"), store.connection(write=True) as conn:
        sql.set_tags(conn, "txn_tag", "txn_id", ident, ["fine", " "], [])
    with store.connection() as conn:  # refused: nothing of that command was kept
        assert [t for (t,) in conn.execute("SELECT tag FROM txn_tag ORDER BY tag")] == [
            "food", "weekly"]


@settings(max_examples=300, deadline=None)
@given(moment=st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)))
def test_any_date_time_and_timestamp_is_stored_as_sqlalchemy_stores_it(moment):
    from sqlalchemy import Date, DateTime, Time
    from sqlalchemy.dialects import sqlite

    def orm(kind, value):
        return kind._cached_bind_processor(sqlite.dialect())(value)

    assert sql.stored(moment) == orm(DateTime(), moment)
    aware = moment.replace(tzinfo=UTC)
    assert sql.stored(aware) == orm(DateTime(), moment)  # aware ones are stored in UTC
    assert sql.stored(moment.date()) == orm(Date(), moment.date())
    assert sql.stored(moment.time()) == orm(Time(), moment.time())
