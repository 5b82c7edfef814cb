"""The closed sets of words stored data uses, free of SQLModel: the models import
them from here, and so do the plain-SQL reads (``store.sql``) and the CLI."""

from __future__ import annotations

ASSET_STATUSES = ("active", "lent", "borrowed", "in_repair", "retired", "sold", "lost")
OUT_OF_USE = ("retired", "sold", "lost")  # assets no longer owned: no reminders, no gaps
PROJECT_STATUSES = ("planned", "active", "on_hold", "done", "dropped")
CLOSED_STATUSES = ("done", "dropped")
TASK_STATUSES = ("open", "done")
PRIORITIES = ("H", "M", "L")
BUDGET_PERIODS = ("monthly", "quarterly", "yearly")
GOAL_OPS = ("<=", ">=", "<", ">", "==")  # bench goals
SUBSCRIPTION_STATUSES = ("active", "cancelled")
LOAN_DIRECTIONS = ("out", "in")
CATEGORY_KINDS = ("expense", "income")  # the direction of an amount typed without a sign
INCIDENT_STATUSES = ("open", "waiting", "fixed", "wont_fix")  # waiting: for a part, a visit
INCIDENT_CLOSED = ("fixed", "wont_fix")
STOCK_MOVES = ("buy", "use", "count")  # count: a stock take's correction

# The words each of these columns holds, as the commands write them: what an import is
# checked against, and what `db check` looks for.
STORED = {("asset", "status"): ASSET_STATUSES, ("project", "status"): PROJECT_STATUSES,
          ("task", "status"): TASK_STATUSES, ("task", "priority"): PRIORITIES,
          ("budget", "period"): BUDGET_PERIODS, ("subscription", "status"):
          SUBSCRIPTION_STATUSES, ("loan", "direction"): LOAN_DIRECTIONS,
          ("category", "kind"): CATEGORY_KINDS, ("incident", "status"): INCIDENT_STATUSES,
          ("stock_move", "kind"): STOCK_MOVES}


def normalise_priority(value: str | None) -> str | None:
    """A task priority as stored (H, M or L, any case given), or None."""
    from stuffctl.errors import InvalidInput

    if value is None:
        return None
    text = value.strip().upper()
    if text not in PRIORITIES:
        raise InvalidInput(f"--priority: expected H, M or L (got {value!r})")
    return text
