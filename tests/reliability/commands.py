"""Which commands the reliability suite drives: add a command here with one line.

An entry whose command is not in the Click tree (renamed or removed) fails its
tests, so a rename never hides them. In argument templates ``{i}`` is the run number, ``{out}`` an
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
    Adder(("tx", "add", "12.50", "Shop {i}", "--out"), "txn"),  # issue 3
]

# Readers looped while a writer writes; each must print valid JSON on stdout.
READERS = [
    ("asset", "list", "--json"),
    ("db", "info", "--json"),
    ("status", "--json"),  # issue 6
]


def _tx_csv(path: Path, n: int) -> None:
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        # The columns `tx export` writes, which `tx import` reads without a rules file.
        w.writerow(["date", "amount", "currency", "payee", "category", "account", "memo"])
        w.writerows(["2026-01-01", f"-{i % 97 + 1}.25", "EUR", f"Payee {i}", "groceries",
                     "bank", ""] for i in range(n))


@dataclass(frozen=True)
class BulkWriter:
    """A bulk write (an import) of ``make_input``'s rows into ``table``, in one transaction."""

    args: tuple[str, ...]
    table: str
    make_input: Callable[[Path, int], None]

    @property
    def id(self) -> str:
        return " ".join(self.args[:2])


# kill -9 during a 10,000-row import (test_crash.py): every available entry is tested.
BULK_WRITERS = [
    BulkWriter(("tx", "import", "{src}"), "txn", _tx_csv),  # issue 3
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
def _zip_escaping_the_data_dir(path: Path, victim: Path) -> None:
    """An export archive whose member names climb out of the attachments directory."""
    import zipfile

    from stuffctl.services.data.document import header

    doc = json.dumps({**header("export"), "tables": {}})
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("export.json", doc)
        zf.writestr(f"attachments/../../../{victim.name}", "pwned")
        zf.writestr(str(victim), "pwned")


def _attachment_row_naming_a_path(path: Path, victim: Path) -> None:
    """A JSON export whose attachment row gives a path instead of a content hash."""
    from stuffctl.services.data.document import header

    stamps = {"created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"}
    tables = {"asset": [{"uid": "00000000-0000-4000-8000-000000000001", **stamps,
                         "name": "x", "status": "active"}],
              "attachment": [{"uid": "00000000-0000-4000-8000-000000000002", **stamps,
                              "asset_id": "00000000-0000-4000-8000-000000000001",
                              "filename": "../../victim.txt", "sha256": f"../../{victim.name}",
                              "size": 1}]}
    path.write_text(json.dumps({**header("export"), "tables": tables}))


# (args, make_input, the refusal stderr must name): the rest of the input is valid, so
# the import is refused for the escaping path and for nothing else.
IMPORT_PATH_COMMANDS: list[tuple[tuple[str, ...], Callable[[Path, Path], None], str]] = [
    (("import", "{src}"), _zip_escaping_the_data_dir,
     "unexpected member 'attachments/../../../victim.txt'"),
    (("import", "{src}"), _attachment_row_naming_a_path,
     "not a content hash: '../../victim.txt'"),
]


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
    """Fail the test when the command it drives is not in this stuffctl (renamed or gone)."""
    if args[0].startswith("@"):
        return
    wanted = tuple(a for a in args[:words] if not a.startswith("-"))
    if not command_path_exists(wanted):
        pytest.fail(f"'stuffctl {' '.join(wanted)}' is not a command: update "
                    "tests/reliability/commands.py")
