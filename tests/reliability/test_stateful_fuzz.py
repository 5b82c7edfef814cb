"""Whatever one command or import accepts, every other command can read (issue #19).

A hypothesis state machine drives random sequences of writes that a person or a file can
make (adds with extreme dates, amounts and hostile text; bank CSV imports; bundles made
by `export` with values changed to ones the engine may not handle; config values), each
run in-process through ``stuffctl.cli.main.run``. A write may be refused (exit 2, 3 or 4,
one line); it must not fail otherwise. After every step the readers that cron and people
run (``READERS``) must all succeed on what was accepted.

The same cases on every run by default, so CI is reproducible;
``STUFFCTL_FUZZ_RANDOM=1`` explores new ones and ``STUFFCTL_STATEFUL_EXAMPLES`` (default
25 sequences of up to 10 steps) raises the count.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from tests.conftest import Cli
from tests.reliability.test_hostile_input import HOSTILE

EXAMPLES = int(os.environ.get("STUFFCTL_STATEFUL_EXAMPLES") or 25)
RANDOM = bool(os.environ.get("STUFFCTL_FUZZ_RANDOM"))
REFUSED = {2, 3, 4}  # bad input, not found, conflict: refused at the door, one line

READERS = [
    ("remind", "run"),
    ("status",),
    ("status", "--brief"),
    ("remind", "list", "--all", "--json"),
    ("remind", "ics"),
    ("asset", "list"),
    ("asset", "list", "--format", "csv"),
    ("tx", "list"),
    ("report", "spend", "--json"),
    ("bench", "--json"),
    ("export",),
    ("db", "check"),
]

DATES = ["0001-01-01", "0001-01-07", "0100-02-29", "1899-12-31", "1970-01-01", "2000-02-29",
         "2038-01-19", "9998-12-31", "9999-12-31", "today", "tomorrow", "+3d", "-40y",
         "in 2 weeks", "eom", "2026-02-28"]
AMOUNTS = ["12.50", "-12.50", "0", "-0.01", "99999999999999", "-99999999999999.99",
           "1e3", "12.50 JPY", "€3", "-1,234.56", "0.001"]
RULES = ["FREQ=SECONDLY", "FREQ=MINUTELY;INTERVAL=1", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
         "FREQ=DAILY;COUNT=0", "FREQ=DAILY;UNTIL=00010101", "every day", "every 2nd monday",
         "monthly", "yearly", "FREQ=WEEKLY;BYDAY=XX"]
CURRENCIES = ["EUR", "usd", "\x1b[2J", "E\u202eUR", "", "EURO", "JPY", "XXX"]
LEADS = ["7d", "0d", "9999d", "2w", "100y", "-3d"]
CONFIG = [("bands.soon_days", ["3", "0", "-1", "99999", "x"]),
          ("backups.keep", ["1", "0", "many", "-2"]),
          ("currency", ["EUR", "usd", "JPY", "€"])]

words = st.one_of(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1,
                          max_size=16),
                  st.sampled_from(HOSTILE))
# Mostly values a person would type, often the edges and anything at all.
dates = st.one_of(st.dates(date(2000, 1, 1), date(2040, 12, 31)).map(date.isoformat),
                  st.sampled_from(DATES), st.dates().map(date.isoformat))
amounts = st.one_of(st.decimals(-10**4, 10**4, places=2, allow_nan=False).map(str),
                    st.sampled_from(AMOUNTS),
                    st.decimals(-10**12, 10**12, places=2, allow_nan=False).map(str))
# What an import may carry in a field of the right name: the kinds of value above, raw.
HOSTILE_VALUES = {
    "date": st.one_of(st.sampled_from(DATES[:9]), st.just("2026-13-45"), st.just("x")),
    "currency": st.sampled_from(CURRENCIES),
    "rule": st.sampled_from(RULES),
    "text": words,
    "number": st.sampled_from([0, -1, 2**62, -(2**62), 10**30, 1.5, "12", None]),
}


def field_kind(name: str) -> str:
    if name.endswith(("_on", "_at", "_until", "due", "date")) or name in {"on", "next"}:
        return "date"
    if name.endswith("currency"):
        return "currency"
    if name in {"rrule", "every", "rule", "recurrence"}:
        return "rule"
    if name.endswith(("_minor", "amount", "_id", "days", "count")):
        return "number"
    return "text"


class Household(RuleBasedStateMachine):
    """One home, written by random accepted commands; every reader works after each."""

    databases: Any = None  # on PostgreSQL: where each home's own server database comes from

    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="stuffctl-stateful-"))
        self.saved_home = os.environ.get("STUFFCTL_HOME")
        os.environ["STUFFCTL_HOME"] = str(self.root / "home")
        self.saved_db = os.environ.get("STUFFCTL_DB")
        self.database = None if self.databases is None else self.databases.fresh()
        if self.database is not None:
            os.environ["STUFFCTL_DB"] = self.database.url
        self.cli = Cli()
        self.steps: list[list[str]] = []
        self.files = 0

    def teardown(self) -> None:
        from stuffctl.store import dispose_all

        dispose_all()
        if self.saved_home is None:
            os.environ.pop("STUFFCTL_HOME", None)
        else:
            os.environ["STUFFCTL_HOME"] = self.saved_home
        shutil.rmtree(self.root, ignore_errors=True)
        if self.database is not None:
            if self.saved_db is None:
                os.environ.pop("STUFFCTL_DB", None)
            else:
                os.environ["STUFFCTL_DB"] = self.saved_db
            self.database.drop()

    def write(self, *args: str) -> int:
        self.steps.append(list(args))
        result = self.cli(*args, input="")
        trail = "\n".join(f"  stuffctl {s!r}" for s in self.steps)
        where = f"after:\n{trail}\n-> exit {result.exit_code}: {result.stderr}"
        assert result.exit_code == 0 or result.exit_code in REFUSED, where
        assert "unexpected" not in result.stderr and "Traceback" not in result.stderr, where
        if result.exit_code:
            assert result.stderr.count("\n") == 1, where
        event(f"{' '.join(args[:2])}: {'accepted' if result.exit_code == 0 else 'refused'}")
        return result.exit_code

    def file(self, suffix: str) -> Path:
        self.files += 1
        return self.root / f"input-{self.files}{suffix}"

    @rule(amount=amounts, payee=words, on=dates)
    def tx_add(self, amount: str, payee: str, on: str) -> None:
        self.write("tx", "add", "--on", on, "--", amount, payee)

    @rule(name=words, price=amounts, bought=dates, warranty=st.sampled_from(
        ["2y", "18m", "0d", "2030-01-01", "9999y", "9999-12-31"]))
    def asset_add(self, name: str, price: str, bought: str, warranty: str) -> None:
        self.write("asset", "add", name, "--price", price, "--bought", bought,
                   "--warranty", warranty)

    @rule(title=words, on=dates, every=st.none() | st.sampled_from(RULES),
          lead=st.none() | st.sampled_from(LEADS))
    def remind_add(self, title: str, on: str, every: str | None, lead: str | None) -> None:
        args = ["remind", "add", title, "--on", on]
        args += ["--every", every] if every else []
        args += ["--lead", lead] if lead else []
        self.write(*args)

    @rule(name=words, due=dates, budget=amounts, task=words, task_due=dates)
    def project_and_task(self, name: str, due: str, budget: str, task: str,
                         task_due: str) -> None:
        if self.write("project", "add", name, "--due", due, "--budget", budget) == 0:
            self.write("task", "add", name, task, "--due", task_due)

    @rule(name=words, amount=amounts,
          every=st.one_of(st.sampled_from(["monthly", "yearly", "every 3 months"]),
                          st.sampled_from(RULES)), start=dates)
    def sub_add(self, name: str, amount: str, every: str, start: str) -> None:
        self.write("sub", "add", name, "--every", every, "--next", start, "--", amount)

    @rule(category=words, amount=amounts,
          period=st.sampled_from(["monthly", "quarterly", "yearly"]))
    def budget_set(self, category: str, amount: str, period: str) -> None:
        self.write("budget", "set", "--period", period, "--", category, amount)

    @rule(data=st.data())
    def config_set(self, data: st.DataObject) -> None:
        key, values = data.draw(st.sampled_from(CONFIG))
        self.write("config", "set", key, data.draw(st.sampled_from(values)))

    @rule(rows=st.lists(st.tuples(dates, amounts, st.sampled_from(CURRENCIES), words, words),
                        min_size=1, max_size=5))
    def tx_import(self, rows: list[tuple[str, str, str, str, str]]) -> None:
        """A file in `tx export`'s columns, read with the built-in rules."""
        path = self.file(".csv")
        with path.open("w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh)
            out.writerow(["date", "amount", "currency", "payee", "category", "account", "memo"])
            out.writerows((*row, "", "") for row in rows)
        self.write("tx", "import", str(path))

    @rule(data=st.data())
    def import_changed_export(self, data: st.DataObject) -> None:
        """Export the home, change values in it to hostile ones, import it back."""
        exported = self.cli("export")
        assert exported.exit_code == 0, exported.stderr
        document: dict[str, Any] = json.loads(exported.stdout)
        rows = [(table, row) for table, found in sorted(document["tables"].items())
                for row in found]
        if not rows:
            return
        for _ in range(data.draw(st.integers(1, 3))):
            _table, row = data.draw(st.sampled_from(rows))
            fields = sorted(k for k in row if k != "uid")
            if not fields:
                continue
            name = data.draw(st.sampled_from(fields))
            row[name] = data.draw(HOSTILE_VALUES[field_kind(name)])
        path = self.file(".json")
        path.write_text(json.dumps(document), encoding="utf-8")
        self.write("import", "file", str(path))

    @invariant()
    def every_reader_succeeds(self) -> None:
        for args in READERS:
            result = self.cli(*args, input="")
            trail = "\n".join(f"  stuffctl {s!r}" for s in self.steps)
            assert result.exit_code == 0, (
                f"stuffctl {' '.join(args)} -> exit {result.exit_code} after:\n{trail}\n"
                f"{result.stderr}")


@pytest.mark.slow
def test_whatever_is_accepted_every_reader_can_read(backend: str, request: Any,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    if backend == "postgres":
        monkeypatch.setattr(Household, "databases",
                            request.getfixturevalue("postgres_databases"))
    run_state_machine_as_test(Household, settings=settings(
        max_examples=EXAMPLES, stateful_step_count=10, deadline=None, database=None,
        derandomize=not RANDOM, suppress_health_check=list(HealthCheck)))
