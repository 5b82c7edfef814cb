"""`status` sections, computed against a known household."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from stuffctl.dates import parse_recurrence
from stuffctl.money import Money
from stuffctl.services import asset, budget, loan, status, sub
from stuffctl.services.asset import AssetChanges
from stuffctl.services.remind.own import ReminderChanges, add_reminder
from stuffctl.store import sql

TODAY = date.today()
EMPTY = {"mine": [], "reminders": [], "warranties": [], "lent": [], "budgets": [], "renewals": [],
         "incidents": [], "replace": [], "projects": [], "recent": [], "gaps": [],
         "notifications": []}


def add(db, name, **values):
    """Add an asset; its id."""
    changes = AssetChanges(values={"name": name, **values})
    return asset.add_asset(db=db, changes=changes)["id"]


def spend(db, category, minor, on=TODAY, currency="EUR"):
    sql.insert(db, "txn", {"occurred_on": on, "amount_minor": -minor, "currency": currency,
                           "payee": "Shop", "category": category})


def people(db, *names):
    for n in names:
        sql.insert(db, "person", {"name": n})


def remind(db, title, due):
    add_reminder(db=db, changes=ReminderChanges(values={"title": title, "due": due}))


def test_a_fresh_database_is_empty_with_a_get_started_hint(db):
    data = status.status(db=db, today=TODAY)
    assert data["empty"] is True
    assert "stuffctl asset add" in data["hint"]
    assert data["sections"] == EMPTY
    assert status.brief(db=db, today=TODAY) == "nothing recorded yet"


def test_every_section_key_is_present_in_screen_order(db):
    add(db, "TV")
    assert list(status.status(db=db, today=TODAY)["sections"]) == list(EMPTY)


def test_warranties_ending_within_sixty_days_of_assets_in_use(db):
    add(db, "Soon", warranty_until=TODAY + timedelta(days=10))
    add(db, "Edge", warranty_until=TODAY + timedelta(days=60))
    add(db, "Later", warranty_until=TODAY + timedelta(days=61))
    add(db, "Past", warranty_until=TODAY - timedelta(days=1))
    sold = add(db, "Sold", warranty_until=TODAY + timedelta(days=5))
    asset.retire_asset(db=db, asset_id=sold, on=TODAY, sold_for=Money(100, "EUR"))
    rows = status.warranties(db, TODAY)
    assert [(r["name"], r["days_left"]) for r in rows] == [("Soon", 10), ("Edge", 60)]


def test_reminders_lists_overdue_first_then_due_and_leaves_out_warranties(db):
    remind(db, "Later", TODAY + timedelta(days=90))
    remind(db, "Today", TODAY)
    remind(db, "Long ago", TODAY - timedelta(days=30))
    add(db, "TV", warranty_until=TODAY + timedelta(days=2))
    rows = status.reminders(db, TODAY)
    assert [(r["title"], r["band"], r["overdue_days"]) for r in rows] == [
        ("Long ago", "overdue", 30), ("Today", "due", 0)]
    assert set(rows[0]) == {"key", "kind", "title", "due", "band", "overdue_days", "about"}


def test_lent_lists_open_loans_out_overdue_first(db):
    ladder, drill, book = add(db, "Ladder"), add(db, "Drill"), add(db, "Book")
    tent = add(db, "Tent")
    people(db, "Ann", "Sam")
    loan.lend(db=db, asset_id=tent, person="Ann", since=TODAY)  # no due date: last
    loan.lend(db=db, asset_id=drill, person="Ann", since=TODAY,
              due=TODAY + timedelta(days=5))
    loan.lend(db=db, asset_id=ladder, person="Sam",
              since=TODAY - timedelta(days=20), due=TODAY - timedelta(days=3))
    loan.lend(db=db, asset_id=book, person="Sam", since=TODAY)
    loan.give_back(db=db, asset_id=book, on=TODAY)
    rows = status.lent(db, TODAY)
    assert [(r["name"], r["person"], r["overdue_days"]) for r in rows] == [
        ("Ladder", "Sam", 3), ("Drill", "Ann", 0), ("Tent", "Ann", 0)]


def test_budgets_show_this_period_spent_against_budget(db):
    budget.set_budget(db=db, category="groceries", amount=Money(10000, "EUR"),
                      period="monthly")
    spend(db, "groceries", 11200)
    spend(db, "groceries", 5000, on=TODAY.replace(day=1) - timedelta(days=1))
    assert status.budgets(db, TODAY) == [{
        "category": "groceries", "period": "monthly",
        "budget": {"amount": "100.00", "currency": "EUR"},
        "spent": {"amount": "112.00", "currency": "EUR"},
        "left": {"amount": "-12.00", "currency": "EUR"}, "percent": 112.0, "over": True}]


def test_renewals_in_the_next_thirty_days(db):
    for name, days in (("Gym", 3), ("Paper", 31)):
        sub.add_subscription(db=db, data=sub.SubData(
            name=name, amount=Money(899, "EUR"), recurrence=parse_recurrence("yearly"),
            next_on=TODAY + timedelta(days=days)))
    assert status.renewals(db, TODAY) == [{
        "subscription_id": 1, "name": "Gym", "amount": {"amount": "8.99", "currency": "EUR"},
        "kind": "renewal", "date": (TODAY + timedelta(days=3)).isoformat()}]


def test_projects_show_progress_and_the_next_open_task(db):
    kitchen = sql.insert(db, "project", {"name": "Kitchen", "status": "active",
                                         "due_on": TODAY + timedelta(days=9)})
    sql.insert(db, "project", {"name": "Shed", "status": "active"})
    sql.insert(db, "project", {"name": "Done", "status": "done"})
    for task in ({"title": "Plan", "status": "done"},
                 {"title": "Tiles", "due_on": TODAY + timedelta(days=5)},
                 {"title": "Paint", "priority": "A"},
                 {"title": "Sink", "due_on": TODAY + timedelta(days=2)}):
        sql.insert(db, "task", {"project_id": kitchen, **task})
    rows = status.projects(db, TODAY)
    assert [(r["name"], r["progress"], r["tasks_total"], r["tasks_done"],
             r["next_task"] and r["next_task"]["title"]) for r in rows] == [
        ("Kitchen", 25, 4, 1, "Sink"), ("Shed", 0, 0, 0, None)]


def test_gaps_count_missing_price_warranty_receipt_and_uncategorised(db):
    complete = add(db, "Complete", price=Money(100, "EUR"), warranty_until=TODAY)
    asset.add_attachment(db=db, asset_id=complete, filename="r.pdf",
                         sha256="b" * 64, size=1)
    add(db, "Bare")
    sql.insert(db, "txn", {"occurred_on": TODAY, "amount_minor": -500, "currency": "EUR",
                           "payee": "Shop"})
    assert {g["gap"]: g["count"] for g in status.gaps(db, TODAY)} == {
        "assets without a purchase price": 1,
        "assets without a warranty date": 1,
        "assets without a receipt": 1,
        "uncategorised transactions": 1,
    }


def test_recent_lists_assets_log_entries_transactions_tasks_and_loans(db):
    car = add(db, "Car")
    asset.log_event(db=db, asset_id=car, kind="service", on=TODAY)
    spend(db, "fuel", 4000)
    project = sql.insert(db, "project", {"name": "P", "status": "active"})
    sql.insert(db, "task", {"project_id": project, "title": "Wash", "status": "done",
                            "done_at": datetime.now().astimezone()})
    people(db, "Ann")
    loan.lend(db=db, asset_id=car, person="Ann", since=TODAY)
    rows = status.recent(db, TODAY)
    assert {(r["what"], r["about"], r["name"]) for r in rows
            if r["what"] != "asset changed"} == {
        ("asset added", "asset:1", "Car"),
        ("service", "asset:1", "Car"), ("transaction added", "txn:1", "Shop"),
        ("task done", "task:1", "Wash"), ("lent", "loan:1", "Car")}


def test_brief_counts_overdue_due_soon_lent_over_budget_and_renewals(db):
    remind(db, "Long ago", TODAY - timedelta(days=30))
    remind(db, "Long ago too", TODAY - timedelta(days=20))
    remind(db, "Today", TODAY)
    ladder = add(db, "Ladder")
    people(db, "Sam")
    loan.lend(db=db, asset_id=ladder, person="Sam",
              since=TODAY - timedelta(days=20), due=TODAY - timedelta(days=3))
    budget.set_budget(db=db, category="groceries", amount=Money(10000, "EUR"),
                      period="monthly")
    spend(db, "groceries", 11200)
    sub.add_subscription(db=db, data=sub.SubData(
        name="Gym", amount=Money(899, "EUR"), recurrence=parse_recurrence("yearly"),
        next_on=TODAY + timedelta(days=3)))
    assert status.brief(db=db, today=TODAY) == (
        "2 overdue · 1 due soon · 1 lent overdue · groceries 112% · 1 renewal")


def test_brief_says_all_clear_when_nothing_needs_attention(db):
    add(db, "TV")
    assert status.brief(db=db, today=TODAY) == "all clear"


def test_a_charge_not_posted_before_today_is_overdue_and_counted_by_brief(db):
    today = date(2026, 12, 2)
    for name, next_on in (("Netflix", date(2026, 12, 1)), ("Gym", today)):
        sub.add_subscription(db=db, data=sub.SubData(
            name=name, amount=Money(1399, "EUR"), recurrence=parse_recurrence("monthly"),
            next_on=next_on))
    assert status.reminders(db, today) == [{
        "key": "renewal:subscription:1", "kind": "renewal",
        "title": "Netflix renews (13.99 EUR)", "due": "2026-12-01", "band": "overdue",
        "overdue_days": 1, "about": "subscription:1"}]
    assert [(r["name"], r["date"]) for r in status.renewals(db, today)] == [
        ("Gym", "2026-12-02"), ("Netflix", "2027-01-01")]
    assert status.status(db=db, today=today)["empty"] is False
    assert status.brief(db=db, today=today) == "1 overdue · 2 renewals"
