"""Subscriptions: posting due charges once, catching up, price history, renewals."""

from __future__ import annotations

from datetime import date

import pytest

from stuffctl.dates import parse_recurrence
from stuffctl.errors import Conflict
from stuffctl.money import Money
from stuffctl.services import sub
from stuffctl.services.remind import due


def one(db, query, *params):
    return db.execute(query, params).fetchone()


def add(db, name="Netflix", amount=1399, every="monthly", next_on=date(2026, 1, 31),
        **kw):
    data = sub.SubData(name=name, amount=Money(amount, "EUR"),
                       recurrence=parse_recurrence(every), next_on=next_on, **kw)
    return sub.add_subscription(db=db, data=data)["id"]


def test_post_twice_in_a_row_posts_once(db):
    add(db)
    first = sub.post_due(db=db, today=date(2026, 4, 15))
    assert [c["due_on"] for c in first] == ["2026-01-31", "2026-02-28", "2026-03-31"]
    assert sub.post_due(db=db, today=date(2026, 4, 15)) == []
    assert one(db, "SELECT count(*) FROM txn") == (3,)


def test_a_yearly_subscription_in_the_past_posts_each_missed_charge_once(db):
    sub_id = add(db, "Insurance", 48000, "yearly", date(2023, 2, 28), category="insurance")
    posted = sub.post_due(db=db, today=date(2026, 2, 27))
    assert [c["due_on"] for c in posted] == ["2023-02-28", "2024-02-28", "2025-02-28"]
    assert one(db, "SELECT next_on FROM subscription WHERE id = ?", sub_id) == ("2026-02-28",)
    assert one(db, "SELECT amount_minor, category, subscription_id FROM txn WHERE id = ?",
               posted[0]["txn_id"]) == (-48000, "insurance", sub_id)
    assert len(sub.post_due(db=db, today=date(2026, 2, 28))) == 1


def test_a_cancelled_subscription_posts_nothing(db):
    sub_id = add(db)
    sub.cancel_subscription(db=db, sub_id=sub_id, on=date(2026, 1, 1))
    assert sub.post_due(db=db, today=date(2026, 6, 1)) == []
    with pytest.raises(Conflict):
        sub.cancel_subscription(db=db, sub_id=sub_id, on=date(2026, 1, 1))


def test_paid_records_the_real_amount_and_show_flags_the_price_change(db):
    sub_id = add(db, "Power", 8000, "every 3 months", date(2026, 1, 1))
    sub.post_due(db=db, today=date(2026, 4, 1))
    paid = sub.mark_paid(db=db, sub_id=sub_id, amount=Money(9520, "EUR"),
                         on=date(2026, 1, 3))
    assert (paid["due_on"], paid["paid_on"], paid["estimated"]) == ("2026-01-01",
                                                                    "2026-01-03", False)
    assert one(db, "SELECT amount_minor FROM txn WHERE id = ?", paid["txn_id"]) == (-9520,)
    shown = sub.show_subscription(db=db, sub_id=sub_id)
    assert [(c["due_on"], c["amount"]["amount"]) for c in shown["charges"]] == [
        ("2026-01-01", "95.20"), ("2026-04-01", "80.00")]
    assert shown["paid_total"] == {"amount": "175.20", "currency": "EUR"}
    assert shown["price_change"] == {"from": {"amount": "80.00", "currency": "EUR"},
                                     "to": {"amount": "95.20", "currency": "EUR"},
                                     "on": "2026-07-01", "percent": 19.0}


def test_yearly_and_monthly_costs_are_normalised(db):
    add(db, "Gym", 3000, "every 3 months")
    add(db, "Domain", 1200, "yearly")
    rows = sub.list_subscriptions(db=db)
    assert {r["name"]: (r["yearly"]["amount"], r["monthly"]["amount"]) for r in rows} == {
        "Gym": ("120.00", "10.00"), "Domain": ("12.00", "1.00")}
    assert sub.monthly_totals(rows) == [{"currency": "EUR",
                                         "monthly": {"amount": "11.00", "currency": "EUR"},
                                         "yearly": {"amount": "132.00", "currency": "EUR"}}]


def test_upcoming_renewals_lists_charges_and_cancel_by_dates(db):
    sub_id = add(db, "Magazine", 5900, "yearly", date(2026, 12, 1),
                 cancel_by=date(2026, 11, 15))
    add(db, "Stream", 999, "monthly", date(2026, 11, 20))
    found = due.upcoming_renewals(db=db, start=date(2026, 11, 10),
                                   end=date(2026, 12, 31))
    assert [(r["name"], r["kind"], r["date"]) for r in found] == [
        ("Magazine", "cancel_by", "2026-11-15"), ("Stream", "renewal", "2026-11-20"),
        ("Magazine", "renewal", "2026-12-01"), ("Stream", "renewal", "2026-12-20")]
    assert found[0] == {"subscription_id": sub_id, "name": "Magazine", "kind": "cancel_by",
                        "date": "2026-11-15", "amount": {"amount": "59.00", "currency": "EUR"}}


def test_rrule_subscriptions_follow_the_rule(db):
    add(db, "Cleaner", 4000, "every 2nd monday", date(2026, 1, 12))
    posted = sub.post_due(db=db, today=date(2026, 3, 31))
    assert [c["due_on"] for c in posted] == ["2026-01-12", "2026-02-09", "2026-03-09"]


def test_a_cancel_by_date_moves_on_with_the_renewal_it_belonged_to(db):
    sub_id = add(db, "Magazine", 5900, "yearly", date(2026, 3, 1),
                 cancel_by=date(2026, 2, 1))
    sub.post_due(db=db, today=date(2026, 3, 1))
    assert one(db, "SELECT next_on, cancel_by FROM subscription WHERE id = ?", sub_id) == (
        "2027-03-01", "2027-02-01")
