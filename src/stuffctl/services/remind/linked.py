"""Sources from the other nouns: renewals and cancel-by dates, project and task
due dates, loans due back. Each wraps a query of ``services.remind.due``, shared with
the status sections.
"""

from __future__ import annotations

from datetime import date

from stuffctl.dates import parse_iso_date
from stuffctl.services.remind import due as due_dates
from stuffctl.services.remind.sources import Candidate, source
from stuffctl.store.handle import Db


@source("subscription")
def subscriptions(conn: Db, start: date, end: date) -> list[Candidate]:
    """Each upcoming charge of an active subscription, and its cancel-by date."""
    found = []
    for item in due_dates.upcoming_renewals(db=conn, start=start, end=end):
        due = parse_iso_date(item["date"])
        if due >= end:  # upcoming_renewals includes its end; sources do not
            continue
        sub, amount = item["subscription_id"], item["amount"]
        price = f" ({amount['amount']} {amount['currency']})" if amount else ""
        if item["kind"] == "renewal":
            found.append(Candidate(kind="renewal", key=f"renewal:subscription:{sub}",
                                   title=f"{item['name']} renews{price}", due=due,
                                   about=f"subscription:{sub}"))
        else:
            found.append(Candidate(kind="cancel_by", key=f"cancel_by:subscription:{sub}",
                                   title=f"Last day to cancel {item['name']}", due=due,
                                   about=f"subscription:{sub}"))
    return found


@source("project")
def projects_and_tasks(conn: Db, start: date, end: date) -> list[Candidate]:
    """Open projects and their open tasks with a due date."""
    found = []
    for item in due_dates.due_items(db=conn, start=start, end=end):
        kind, ident = item["kind"], item["id"]
        title = (f"Project {item['title']} is due" if kind == "project"
                 else f"{item['title']} ({item['project']})")
        found.append(Candidate(kind=kind, key=f"{kind}:{ident}", title=title,
                               due=parse_iso_date(item["due"]), about=f"{kind}:{ident}"))
    return found


@source("loan")
def loans(conn: Db, start: date, end: date) -> list[Candidate]:
    """Things lent out that should come back, and borrowed things to give back."""
    found = []
    for item in due_dates.loans_due(db=conn, start=start, end=end):
        due = parse_iso_date(item["due"])
        if due >= end:  # loans_due includes its end; sources do not
            continue
        title = (f"{item['person']} should bring back the {item['asset_name']}"
                 if item["direction"] == "out"
                 else f"Give the {item['asset_name']} back to {item['person']}")
        found.append(Candidate(kind="loan", key=f"loan:{item['loan_id']}", title=title,
                               due=due, about=f"asset:{item['asset_id']}"))
    return found
