"""A realistic, deterministic household for `stuffctl demo`.

Each noun contributes a builder; they all draw from one seeded ``Random`` and
count from one ``today`` so a given seed always makes the same home.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from random import Random

from stuffctl.dates import add_months, parse_recurrence, parse_schedule
from stuffctl.money import Money
from stuffctl.services.asset import AssetChanges, add_asset, log_event
from stuffctl.services.budget import set_budget
from stuffctl.services.sub import SubData, add_subscription
from stuffctl.store import sql
from stuffctl.store.handle import Db

# name, category, location, brand, price (EUR cents), life in months, tags
CATALOGUE = [
    ("Dishwasher", "home:kitchen", "Home / Kitchen", "Bosch", 64900, 120, ["appliance"]),
    ("Fridge", "home:kitchen", "Home / Kitchen", "Liebherr", 89900, 144, ["appliance"]),
    ("Washing machine", "home:laundry", "Home / Bathroom", "Miele", 99900, 180, ["appliance"]),
    ("Espresso machine", "home:kitchen", "Home / Kitchen", "Sage", 59900, 84, ["appliance"]),
    ("Kettle", "home:kitchen", "Home / Kitchen", "Muji", 4900, 60, []),
    ("Toaster", "home:kitchen", "Home / Kitchen", "Dualit", 12900, 120, []),
    ("Vacuum cleaner", "home:cleaning", "Home / Hall", "Dyson", 49900, 84, ["appliance"]),
    ("Sofa", "home:furniture", "Home / Living room", "IKEA", 79900, 120, []),
    ("Dining table", "home:furniture", "Home / Living room", "Hay", 119900, 240, []),
    ("Bed", "home:furniture", "Home / Bedroom", "Auping", 189900, 180, []),
    ("Television", "tech:av", "Home / Living room", "LG", 129900, 96, ["appliance"]),
    ("Soundbar", "tech:av", "Home / Living room", "Sonos", 49900, 96, []),
    ("Laptop", "tech:computers", "Home / Office / Desk", "Lenovo", 164900, 48, ["work"]),
    ("Monitor", "tech:computers", "Home / Office / Desk", "Dell", 42900, 72, ["work"]),
    ("Office chair", "home:furniture", "Home / Office", "Herman Miller", 99900, 144, ["work"]),
    ("Phone", "tech:phones", "Pocket", "Google", 79900, 36, []),
    ("Tablet", "tech:computers", "Home / Living room", "Apple", 54900, 60, []),
    ("Router", "tech:network", "Home / Hall", "AVM", 22900, 72, []),
    ("NAS", "tech:network", "Home / Office", "Synology", 45900, 72, ["backup"]),
    ("Camera", "tech:photo", "Home / Office", "Fujifilm", 139900, 96, ["hobby"]),
    ("Road bike", "sport:bikes", "Shed", "Canyon", 189900, 120, ["hobby"]),
    ("City bike", "sport:bikes", "Shed", "Gazelle", 89900, 144, []),
    ("Tent", "sport:outdoor", "Attic", "Hilleberg", 79900, 180, ["hobby"]),
    ("Ladder", "tools", "Garage", "Zarges", 18900, 240, []),
    ("Drill", "tools", "Garage", "Makita", 21900, 120, []),
    ("Lawn mower", "garden", "Shed", "Honda", 54900, 120, []),
    ("Pressure washer", "garden", "Shed", "Kärcher", 24900, 96, []),
    ("Car", "vehicles", "Driveway", "Skoda", 2450000, 144, ["insured"]),
    ("Winter tyres", "vehicles", "Garage", "Michelin", 62000, 72, []),
    ("Child seat", "vehicles", "Driveway", "Cybex", 34900, 72, []),
    ("Heat pump", "home:heating", "Home / Utility room", "Daikin", 850000, 240, ["house"]),
    ("Boiler", "home:heating", "Home / Utility room", "Vaillant", 240000, 180, ["house"]),
    ("Smoke detectors", "home:safety", "Home", "Nest", 14900, 120, ["house"]),
    ("Piano", "hobby:music", "Home / Living room", "Yamaha", 390000, 480, ["hobby"]),
    ("Guitar", "hobby:music", "Home / Bedroom", "Martin", 149900, 480, ["hobby"]),
    ("Headphones", "tech:av", "Home / Office", "Sony", 34900, 48, []),
    ("E-reader", "tech:computers", "Home / Bedroom", "Kobo", 17900, 60, []),
    ("Watch", "personal", "Pocket", "Seiko", 39900, 240, []),
    ("Suitcase", "travel", "Attic", "Rimowa", 64900, 180, []),
    ("Printer", "tech:computers", "Home / Office", "Brother", 19900, 72, ["work"]),
]
SERVICE_KINDS = {"vehicles": "service", "home:heating": "inspection", "garden": "service"}


@dataclass
class DemoContext:
    db: Db
    rng: Random
    today: date
    asset_ids: dict[str, int] = field(default_factory=dict)


Builder = Callable[[DemoContext], None]


def build_assets(ctx: DemoContext) -> None:
    for name, category, location, brand, price, life, tags in CATALOGUE:
        bought = ctx.today - timedelta(days=ctx.rng.randint(20, 6 * 365))
        warranty = bought + timedelta(days=365 * ctx.rng.choice((1, 2, 2, 3, 5)))
        values = {"name": name, "category": category, "location": location, "brand": brand,
                  "purchased_on": bought, "price": Money(price, "EUR"),
                  "warranty_until": warranty, "life_months": life}
        if ctx.rng.random() < 0.15:
            del values["price"]
        asset = add_asset(db=ctx.db, changes=AssetChanges(values=values, add_tags=tags))
        ctx.asset_ids[name] = asset["id"]
        _log_history(ctx, asset["id"], category, bought)


def _log_history(ctx: DemoContext, asset_id: int, category: str, bought: date) -> None:
    kind = SERVICE_KINDS.get(category)
    if kind is None:
        return
    day, meter = bought, 0.0
    while (day := day + timedelta(days=ctx.rng.randint(150, 220))) < ctx.today:
        meter += ctx.rng.randint(6000, 9000)
        cost = Money(ctx.rng.randint(80, 400) * 100, "EUR")
        log_event(db=ctx.db, asset_id=asset_id, kind=kind, on=day, cost=cost,
                  meter=meter if category == "vehicles" else None,
                  meter_unit="km" if category == "vehicles" else None,
                  notes=f"regular {kind}")


PEOPLE = [("Sam", "sam@example.org", None), ("Alex", None, "+49 30 1234567"),
          ("Robin", "robin@example.org", None)]


def build_people_loans(ctx: DemoContext) -> None:
    """A few people; the ladder lent out and overdue, a tile cutter borrowed."""
    from stuffctl.services import loan, person

    for name, email, phone in PEOPLE:
        person.add_person(db=ctx.db,
                          values={"name": name, "email": email, "phone": phone})
    if "Ladder" in ctx.asset_ids:
        loan.lend(db=ctx.db, asset_id=ctx.asset_ids["Ladder"], person="Sam",
                  since=ctx.today - timedelta(days=40), due=ctx.today - timedelta(days=10))
    loan.borrow(db=ctx.db, name="Tile cutter", person="Alex",
                since=ctx.today - timedelta(days=5), due=ctx.today + timedelta(days=9),
                notes="for the bathroom")


# name, status, start (days from today), due (days), budget (EUR cents), assets, tags, tasks:
# (title, priority, due in days or None, done?, waits on task numbers of this project)
# (title, priority, due in days, done, tasks it waits for by 1-based position)
TaskSpec = tuple[str, str | None, int | None, bool, list[int]]
# (name, status, start and due in days, budget in cents, linked assets, tags, tasks)
ProjectSpec = tuple[str, str, int, int | None, int | None, list[str], list[str], list[TaskSpec]]

PROJECTS: list[ProjectSpec] = [
    ("Kitchen renovation", "active", -40, 50, 1500000, ["Dishwasher", "Fridge"], ["home"], [
        ("Pick a design", "H", -30, True, []), ("Measure the room", None, -35, True, []),
        ("Order cabinets", "H", -10, True, [1, 2]), ("Remove the old kitchen", "M", 5, False, []),
        ("Install cabinets", None, 20, False, [3, 4]), ("Paint and tile", "L", 35, False, [5]),
    ]),
    ("Summer trip to Norway", "planned", 30, 90, 400000, ["Tent", "Suitcase"], ["travel"], [
        ("Book the ferry", "H", 10, False, []), ("Check the tent", "M", 40, False, []),
        ("Pack", None, 88, False, [2]),
    ]),
    ("Small home office", "on_hold", -90, None, 150000, ["Monitor", "Office chair"], ["work"], [
        ("Buy a desk lamp", "L", None, False, []), ("Tidy the cables", None, None, True, []),
    ]),
    ("Car winter service", "done", -60, -20, 50000, ["Car", "Winter tyres"], ["car"], [
        ("Book the garage", "H", -55, True, []), ("Switch tyres", None, -25, True, [1]),
    ]),
    ("Sell the old bike", "active", -10, 14, None, ["City bike"], [], []),
]



def build_projects(ctx: DemoContext) -> None:
    """Five projects with tasks in different states, linked to demo assets."""
    from stuffctl.services.project.records import ProjectChanges, add_project
    from stuffctl.services.task.records import TaskChanges, add_task, complete_tasks

    day = ctx.today.__add__
    for name, status, start, due, budget, linked, tags, todo in PROJECTS:
        values = {"name": name, "status": status, "start_on": day(timedelta(days=start)),
                  "due_on": day(timedelta(days=due)) if due is not None else None,
                  "budget": Money(budget, "EUR") if budget else None}
        project = add_project(db=ctx.db, today=ctx.today, changes=ProjectChanges(
            values={k: v for k, v in values.items() if v is not None}, add_tags=tags,
            add_assets=[ctx.asset_ids[a] for a in linked if a in ctx.asset_ids]))
        ids: list[int] = []
        for title, priority, when, _, after in todo:
            task_values = {"title": title, "priority": priority,
                           "due_on": day(timedelta(days=when)) if when is not None else None}
            task = add_task(db=ctx.db, project=str(project["id"]),
                            changes=TaskChanges(
                                values={k: v for k, v in task_values.items() if v},
                                add_deps=[ids[a - 1] for a in after]))
            ids.append(task["id"])
        finished = [i for i, item in zip(ids, todo, strict=True) if item[3]]
        if finished:
            complete_tasks(db=ctx.db, ids=finished)
        if status == "done":
            sql.update(ctx.db, "project", project["id"],
                       {"done_on": day(timedelta(days=due or 0))})


REMINDERS = [  # title, first due (days before today), every, from done, lead, time
    ("Take vitamins", 365, "daily", False, "0d", time(8, 30)),
    ("Bins out", 365, "every monday", False, "1d", None),
    ("Pay rent", 365, "every 1st", False, "3d", None),
    ("Replace water filter", 365, "every 2 months", True, "7d", None),
    ("Renew car registration", 300, "every nov 5", False, "30d", None),
]


def build_reminders(ctx: DemoContext) -> None:
    """Own reminders with a year of done/skipped/notified history, and maintenance schedules."""
    from stuffctl.services.remind import own, schedules

    for title, back, every, from_done, lead, at in REMINDERS:
        first = ctx.today - timedelta(days=back)
        due = datetime.combine(first, at) if at else first
        values = {"title": title, "due": due, "rule": parse_recurrence(every).rule,
                  "from_done": from_done, "lead": lead}
        own.add_reminder(db=ctx.db, changes=own.ReminderChanges(values))
    for name, every, kind in (("Car", "every 6 months or 15000 km", "service"),
                              ("Boiler", "yearly", "inspection")):
        if name in ctx.asset_ids:
            schedules.add_schedule(db=ctx.db, asset_id=ctx.asset_ids[name], kind=kind,
                                   schedule=parse_schedule(every), lead=None)
    _replay_reminders(ctx.db, ctx.rng, ctx.today)


def _replay_reminders(db: Db, rng: Random, today: date) -> None:
    """A run every fourth morning of the past year; the person acts on most due items."""
    from stuffctl.services.remind import engine, own
    from stuffctl.services.remind.settings import Settings

    settings = Settings.load()
    day = today - timedelta(days=365)
    while day < today:
        now = datetime.combine(day, time(9))
        result = engine.run(db=db, now=now, settings=settings, remember=False)
        for item in result.new:
            ref = str(item.cand.reminder_id) if item.cand.reminder_id else None
            if ref is None or item.band != "due" or rng.random() < 0.1:
                continue
            action = "skip" if rng.random() < 0.1 else "done"
            own.act(db=db, ref=ref, action=action, now=now, settings=settings)
        day += timedelta(days=4)


# payee, category, account, lowest and highest amount (EUR cents), times per month
SPENDING = [
    ("Albert Heijn", "groceries", "bank:checking", 1500, 9000, 6),
    ("Lidl", "groceries", "bank:checking", 800, 4500, 3),
    ("Bakkerij de Wit", "groceries:bakery", "bank:checking", 300, 1200, 2),
    ("Café Loetje", "eating out", "card:credit", 2500, 9000, 2),
    ("Thuisbezorgd", "eating out:delivery", "card:credit", 1800, 4500, 1),
    ("NS", "transport:train", "bank:checking", 450, 3800, 3),
    ("Shell", "transport:fuel", "card:credit", 5000, 9000, 2),
    ("bol.com", "shopping", "card:credit", 1000, 12000, 1),
    ("HEMA", "shopping:household", "bank:checking", 500, 3500, 1),
    ("Kruidvat", "health:pharmacy", "bank:checking", 300, 2500, 1),
    ("Gamma", "home:repairs", "bank:checking", 1000, 15000, 0.5),
]
# payee, category, amount (EUR cents, signed), day of month
MONTHLY = [
    ("Employer BV", "income:salary", 385000, 24),
    ("Woonstichting", "home:rent", -124500, 1),
    ("Vattenfall", "home:energy", -16500, 5),
    ("Waternet", "home:water", -2900, 8),
    ("Zilveren Kruis", "insurance:health", -14800, 1),
]
# name, amount (EUR cents), every, category
SUBSCRIPTIONS = [
    ("Netflix", 1399, "monthly", "fun:streaming"),
    ("Spotify", 1199, "monthly", "fun:streaming"),
    ("Car insurance", 64000, "yearly", "insurance:car"),
    ("Gym", 8900, "every 3 months", "health:sport"),
    ("Newspaper", 29900, "yearly", "fun:reading"),
]
BUDGETS = [("groceries", 60000, "monthly"), ("eating out", 20000, "monthly"),
           ("transport", 25000, "monthly"), ("shopping", 90000, "quarterly"),
           ("home", 1800000, "yearly")]


def build_transactions(ctx: DemoContext) -> None:
    """Three years from a checking account and a credit card, plus subscriptions and budgets."""
    rows: list[dict[str, object]] = []
    start = add_months(ctx.today.replace(day=1), -36)
    for n in range(37):
        month = add_months(start, n)
        for payee, category, amount, day in MONTHLY:
            rows.append(_txn(month.replace(day=day), amount, payee, category, "bank:checking"))
        for payee, category, account, low, high, times in SPENDING:
            count = int(times) + (ctx.rng.random() < times % 1)
            for _ in range(count):
                when = month.replace(day=ctx.rng.randint(1, 28))
                rows.append(_txn(when, -ctx.rng.randint(low, high), payee, category, account,
                                 ctx.asset_ids.get("Car") if category == "transport:fuel"
                                 else None))
    sql.insert_many(ctx.db, "txn", TXN_COLUMNS, [
        [sql.stored(r[c]) for c in TXN_COLUMNS] for r in rows
        if r["occurred_on"] <= ctx.today])  # type: ignore[operator]
    _subscriptions_and_budgets(ctx)


TXN_COLUMNS = ("occurred_on", "amount_minor", "currency", "payee", "category", "account",
               "memo", "asset_id")


def _txn(on: date, minor: int, payee: str, category: str, account: str,
         asset_id: int | None = None) -> dict[str, object]:
    return {"occurred_on": on, "amount_minor": minor, "currency": "EUR", "payee": payee,
            "category": category, "account": account, "memo": None, "asset_id": asset_id}


def _subscriptions_and_budgets(ctx: DemoContext) -> None:
    for name, amount, every, category in SUBSCRIPTIONS:
        first = ctx.today + timedelta(days=ctx.rng.randint(1, 60) + (
            60 if every == "yearly" else 0))
        add_subscription(db=ctx.db, data=SubData(
            name=name, amount=Money(amount, "EUR"), recurrence=parse_recurrence(every),
            next_on=first, category=category, account="card:credit",
            asset_id=ctx.asset_ids.get("Car") if name == "Car insurance" else None,
            cancel_by=first - timedelta(days=30) if every == "yearly" else None))
    for category, amount, period in BUDGETS:
        set_budget(db=ctx.db, category=category, amount=Money(amount, "EUR"), period=period)


# The dishwasher's model, shared with the one in the holiday flat (so the kitchen one's
# playbook is offered there).
DISHWASHER_MODEL = "SMS6ZCI42E"


def build_upkeep(ctx: DemoContext) -> None:
    """Diagnose and fix, replenish, repair or replace: the kitchen dishwasher's drain
    problem found, fixed and kept as a playbook, which is offered when the same model in
    the holiday flat shows the symptom; its manual and a how-to video; a car repair
    twice in a year; wiper blades running low and dishwasher salt running out. Dates
    count back from ``today``; nothing random (it runs last: earlier builders' draws
    stay as they were)."""
    from stuffctl.services import incident, link
    from stuffctl.services.asset import edit_asset
    from stuffctl.services.stock import items
    from stuffctl.services.tx import records

    db, today = ctx.db, ctx.today

    def ago(days: int) -> date:
        return today - timedelta(days=days)

    kitchen = ctx.asset_ids["Dishwasher"]
    edit_asset(db=db, asset_id=kitchen, changes=AssetChanges(
        values={"model": DISHWASHER_MODEL}))
    link.add(db, asset_id=kitchen, title="User manual",
             url=f"https://media3.bosch-home.com/Documents/{DISHWASHER_MODEL}-manual.pdf")
    link.add(db, asset_id=kitchen, title="Cleaning the filter and the drain pump",
             url="https://www.youtube.com/watch?v=bosch-drain-pump")
    broke = incident.open_incident(db=db, asset_id=kitchen, on=ago(75), today=today,
                                   symptom="won't drain: water left in the bottom",
                                   out_of_use=True)["id"]
    for days, step, helped in ((75, "checked the drain hose for kinks", False),
                               (74, "cleaned the coarse and fine filters", False),
                               (73, "opened the drain pump cover: a cherry stone in it", True)):
        incident.update_incident(db=db, incident_id=broke, today=today, changes=
                                 incident.IncidentChanges(step=step, helped=helped,
                                                          on=ago(days)))
    incident.update_incident(db=db, incident_id=broke, today=today, changes=
                             incident.IncidentChanges(cost=Money(-1490, "EUR"),
                                                      payee="Bosch spare parts",
                                                      on=ago(74)))
    incident.close_incident(db=db, incident_id=broke, on=ago(73), today=today,
                            cause="a cherry stone stuck in the drain pump",
                            fix="clean the filters, then open the drain pump cover and "
                                "clear the impeller", keep_playbook=True)
    flat = add_asset(db=db, changes=AssetChanges(values={
        "name": "Dishwasher (holiday flat)", "category": "home:kitchen",
        "location": "Holiday flat", "brand": "Bosch", "model": DISHWASHER_MODEL,
        "purchased_on": ago(900), "price": Money(61900, "EUR"),
        "warranty_until": ago(900) + timedelta(days=730), "life_months": 120},
        add_tags=["appliance"]))["id"]
    ctx.asset_ids["Dishwasher (holiday flat)"] = flat
    incident.open_incident(db=db, asset_id=flat, on=ago(2), today=today,
                           symptom="water stays in the bottom after the programme")
    car = ctx.asset_ids["Car"]
    for days, symptom, cost, fix in (
            (300, "battery flat on cold mornings", 18900, "new battery"),
            (40, "engine warning light, rough idle", 64000, "new ignition coils")):
        repaired = incident.open_incident(db=db, asset_id=car, on=ago(days), today=today,
                                          symptom=symptom, out_of_use=True)["id"]
        incident.update_incident(db=db, incident_id=repaired, today=today, changes=
                                 incident.IncidentChanges(cost=Money(-cost, "EUR"),
                                                          payee="Garage Becker",
                                                          on=ago(days - 2)))
        incident.close_incident(db=db, incident_id=repaired, on=ago(days - 2), today=today,
                                fix=fix)
    link.add(db, asset_id=car, kind="support", title="Owner's handbook and service plan",
             url="https://www.skoda-auto.com/owners/manuals")
    blades = items.add_item(db=db, today=today, fields=items.ItemFields(
        name="Wiper blades", unit="pcs", reorder_milli=1000, lead_days=7, asset_id=car,
        category="transport:car", vendor="ATU"))["id"]
    salt = items.add_item(db=db, today=today, fields=items.ItemFields(
        name="Dishwasher salt", unit="kg", reorder_milli=500, buy_milli=2000, lead_days=5,
        asset_id=kitchen, category="groceries", vendor="Aldi"))["id"]
    for days, payee, category, minor, item, qty in (
            (120, "ATU", "transport:car", 2598, blades, 2000),
            (60, "Aldi", "groceries", 398, salt, 4000)):
        records.add_txn(db=db, changes=records.TxnChanges(values={
            "occurred_on": ago(days), "payee": payee, "category": category,
            "amount": Money(-minor, "EUR"), "account": "card:credit"}, stock=(item, qty)))
    items.use(db=db, item_id=blades, qty=1000, on=ago(30), today=today,
              notes="front blade smeared")
    for days, kg in ((50, 1000), (35, 1000), (20, 750), (6, 750)):
        items.use(db=db, item_id=salt, qty=kg, on=ago(days), today=today)


BUILDERS: list[Builder] = [
    build_assets, build_transactions, build_people_loans, build_projects, build_reminders,
    build_upkeep,
]


def build(*, db: Db, seed: int, today: date) -> DemoContext:
    ctx = DemoContext(db=db, rng=Random(seed), today=today)
    for builder in BUILDERS:
        builder(ctx)
    return ctx
