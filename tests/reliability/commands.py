"""Which commands the reliability suite drives: add a command here with one line.

Entries whose command is not in the Click tree (a noun from a branch that has not
been merged yet) are skipped with that reason, so the suite grows by itself as
commands land. In argument templates ``{i}`` is the run number, ``{out}`` an
output file and ``{src}`` an input file the entry's ``make_input`` wrote.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest


@dataclass(frozen=True)
class Adder:
    """A command that adds exactly one row to ``table`` per run."""

    args: tuple[str, ...]
    table: str

    @property
    def id(self) -> str:
        return " ".join(self.args[:2])


# Concurrent writers (test_concurrency.py).
ADDERS = [
    Adder(("asset", "add", "Thing {i}", "--price", "1.50", "--tag", "t{i}"), "asset"),
    Adder(("tx", "add", "-12.50", "--payee", "Shop {i}"), "txn"),  # issue 3
]

# Readers looped while a writer writes; each must print valid JSON on stdout.
READERS = [
    ("asset", "list", "--json"),
    ("db", "info", "--json"),
    ("status", "--json"),  # issue 6
]


def _asset_csv(path: Path, n: int) -> None:
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "price"])
        w.writerows([f"Bulk {i}", "1.00"] for i in range(n))


def _tx_csv(path: Path, n: int) -> None:
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["date", "amount", "payee"])
        w.writerows(["2026-01-01", f"-{i % 97 + 1}.25", f"Payee {i}"] for i in range(n))


@dataclass(frozen=True)
class BulkWriter:
    """A bulk write (an import) of ``make_input``'s rows into ``table``, in one transaction.

    ``args`` is a stuffctl command line, or ``@bulk`` for the store-level stand-in in
    driver.py (the one-transaction Core insert an import does), which keeps the test
    running until the first import command lands.
    """

    args: tuple[str, ...]
    table: str
    make_input: Callable[[Path, int], None]

    @property
    def id(self) -> str:
        return " ".join(self.args[:2])


# kill -9 during a 10,000-row import (test_crash.py): every available entry is tested.
BULK_WRITERS = [
    BulkWriter(("tx", "import", "{src}"), "txn", _tx_csv),  # issue 3
    BulkWriter(("@bulk", "{src}"), "asset", _asset_csv),
]


def _json_complete(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class FileWriter:
    """A command that writes ``target``; ``complete`` tells a whole file from a torn one.

    ``{out}`` is a file in the test's directory, ``{home}`` the stuffctl home, and
    ``{currency}`` alternates between two values so that old and new files differ.
    """

    args: tuple[str, ...]
    complete: Callable[[str], bool]
    target: str = "{out}"

    @property
    def id(self) -> str:
        return " ".join(self.args[:2])


# kill -9 while writing a file (test_crash.py). config set writes the config file itself.
FILE_WRITERS = [
    FileWriter(("config", "set", "currency", "{currency}"),
               lambda t: t in ('currency = "USD"\n', 'currency = "EUR"\n'),
               target="{home}/config.toml"),
    FileWriter(("export", "--out", "{out}"), _json_complete),  # issue 7
    FileWriter(("remind", "ics", "--out", "{out}"),  # issue 5
               lambda t: t.rstrip().endswith("END:VCALENDAR")),
]

# Commands that read a file a person names (imports, restore): each must refuse a path
# that escapes the data directory through its contents (issue 7 adds its entries).
IMPORT_PATH_COMMANDS: list[tuple[str, ...]] = []


def command_path_exists(words: tuple[str, ...]) -> bool:
    """Whether ``stuffctl WORDS...`` names a command in the Click tree."""
    from stuffctl.cli.main import _command

    node: Any = _command()
    for word in words:
        sub = getattr(node, "commands", {}).get(word)
        if sub is None:
            return False
        node = sub
    return True


def require(args: tuple[str, ...], words: int = 2) -> None:
    """Skip the test when the command is not (yet) in this stuffctl."""
    if args[0].startswith("@"):
        return
    wanted = tuple(a for a in args[:words] if not a.startswith("-"))
    if not command_path_exists(wanted):
        pytest.skip(f"'stuffctl {' '.join(wanted)}' is not in this build yet")
