"""Prove that a refactor changed no command output and no stored row.

    python benchmarks/compare_builds.py --old REV [--new PATH_OR_REV] [--keep DIR]
                                        [--show N] [--offline] [--no-faketime]

Two builds are made, each in a virtualenv of its own (in a temporary folder, or in
``--keep DIR``, which is left in place with the full report in ``DIR/report.txt``):

* "old" from ``git archive REV`` of this repository (e.g. ``--old 4cf94d3``);
* "new" from ``--new``: a folder (default: this working tree, uncommitted and untracked
  files included, ignored ones not) or a revision.

Each venv is made from the current interpreter with ``--system-site-packages`` (from
inside a venv, a ``.pth`` file adds the current environment's site-packages instead),
so the dependencies already installed here are reused; the project itself is installed
into it with ``pip install --no-deps --no-build-isolation --no-index``, so each venv
has its own ``stuffctl``. Nothing is downloaded when this environment holds the
project's build requirements ([build-system] requires). When it does not (an older
setuptools), they are installed once into ``build-tools/`` and put on ``PYTHONPATH``
for the two builds only, preferably from the local (file://) package indexes and
find-links of pip's configuration, else from the configured registry (refused with
``--offline``).

The same script of 266 commands (152 that write, or may, covering every noun and verb,
a few failing on purpose; 114 reads, in tables and in JSON, CSV or NDJSON) then runs
against two fresh homes, one build at a time, with STUFFCTL_HOME=<run>/home, NO_COLOR=1,
TERMINAL_WIDTH=COLUMNS=100, TZ=UTC, LC_ALL=C.UTF-8, HOME=<run>/userhome, the venv's bin
first on PATH and standard input from /dev/null (or a given CSV). The clock is faked
with ``faketime``: command N starts at 2026-11-15 12:00:00 plus 10 N seconds in both
runs, so dates are the same and so is the order of the timestamps written by successive
commands (from one fixed start, two commands' timestamps would order by process start-up
jitter). Without a working ``faketime`` (or with ``--no-faketime``) the real clock is
used and today's date is masked too. ``remind run`` notifies through ``notify.command``
= a ``sh`` line appending to ``<home>/notified.log``: nothing networked. The demo
household (``demo --home <run>/demo --seed 3``) is made the same way.

Each command's exit code, stdout and stderr are recorded. Afterwards every SQLite
file under the run folder (the home's database, its backups, the pre-restore copy, the
demo home's, and a database imported from the export) is dumped with ``sqlite3 DB
.dump`` (Python's ``iterdump()`` when the sqlite3 CLI is missing), and every other file
there is read: text as is, a zip member by member, anything else by size and SHA-256.

Canonical forms, for what the code leaves to chance (identical builds must compare
equal, and do):

* a dump's INSERTs are sorted within each table (a table without an integer key keeps
  rows in insertion order, which an import takes from uid order; tables with one carry
  the id in each line). FTS5 index segments (``*_data``, ``*_idx``, ``*_docsize``: bytes
  that depend on the order of insertion) are replaced by the index's sorted (term, row,
  column, offset) instances, the row named by its id (by its values when the content
  table has no integer key);
* a stuffctl export or share document (``export``, ``share``, their .zip) is compared
  as its header and, table by table, its sorted rows: link tables list rows in the order
  of their parents' random uids.

Masking, applied alike to outputs, dumps and files:

* paths: the run folder, venv, source tree and work folder of each side become
  ``<RUN>``, ``<VENV>``, ``<SRC>``, ``<WORK>`` (the shared inputs are ``<WORK>/inputs``);
* UUIDs become ``<UID>`` (random version 4 ones, and the time-based version 7 uids of
  ``tx import``), except name-based ones (versions 3 and 5: Homebox and Taskwarrior
  importers), which are the same in both runs and are compared;
* the clock of a timestamp whose time of day lies in the faked window (12:00 to the last
  command's start plus 15 minutes; the real run's span without faketime), on any date,
  becomes ``HH:MM``, ``HH:MM:SS`` or ``HH:MM:SS.ffffff``, keeping its shape and its date:
  ``2026-11-15 12:00:01.123456``, ``2026-11-15T12:03:20.5Z``, ``2026-11-18 12:01`` (a
  snooze of now + 3d), ``20261115T120000775616Z`` (backup names, ICS stamps). Times the
  script types (``09:30``, ``08:30``) lie outside it and are compared;
* the config file's mtime in nanoseconds (``config_stamp`` = ``SIZE:MTIME_NS``) becomes
  ``SIZE:<MTIME_NS>``.

Prints the number of commands run, how many differ (exit code, stdout or stderr), the
number of dump lines that differ per database, differing files, and unified diffs of
the first differences (``--show N``, ``--diff-lines``); with ``--keep`` also the full
report and each side's masked transcript. Exits 0 when everything is identical, 1 when
anything differs, 2 when a build or the setup failed. A run takes about five minutes
(one command at a time, about 0.6 s each).
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import io
import json
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FAKE_START = datetime(2026, 11, 15, 12, 0, 0)
STEP = timedelta(seconds=10)  # the faked clock of command N starts at FAKE_START + N * STEP
MARGIN = timedelta(minutes=15)
TIMEOUT = 300  # seconds for one command

# --------------------------------------------------------------------------------------
# The command script. {RUN} is the side's run folder (the working directory of every
# command; masked as <RUN>), {IN} the shared inputs folder. W = writes (or may write),
# R = reads. `stdin` feeds a file's content on standard input.


@dataclass
class Cmd:
    kind: str  # "W" or "R"
    args: list[str]
    stdin: str | None = None  # name of a file in the inputs folder


def W(line: str, stdin: str | None = None) -> Cmd:
    return Cmd("W", shlex.split(line), stdin)


def R(line: str) -> Cmd:
    return Cmd("R", shlex.split(line))


# notify.command: append each notification's title and body to a file in the home
NOTIFY = json.dumps(["sh", "-c", 'printf "%s | %s\\n" "$1" "$2" >> "$STUFFCTL_HOME/notified.log"',
                     "notify"])

SCRIPT: list[Cmd] = [
    R("--version"),
    R("db info"),  # reads never create a database
    # ---- the demo household, in a home of its own
    W("demo --home {RUN}/demo --seed 3"),
    R("--db {RUN}/demo/stuffctl.db asset list --json"),
    R("--db {RUN}/demo/stuffctl.db tx list --totals"),
    R("--db {RUN}/demo/stuffctl.db task next"),
    # ---- people
    W("person add 'Alice Example' --email alice@example.com --phone '+31 6 1234 5678'"),
    W("person add Bob"),
    W("person add 'Carol Temp' --notes 'moves away' --json"),
    W("person edit 2 --name 'Bob Builder' --email bob@example.com --notes neighbour"),
    W("person edit 1 --unset phone"),
    W("person rm 3 --yes"),
    # ---- assets
    W("asset add 'Bosch drill' -c tools:power -l 'Home / Garage / Shelf' -t diy -t power"
      " --brand Bosch --model PSB --serial X1 --bought 2024-03-01 --price '129.90 EUR'"
      " --vendor Gamma --warranty 2y --life 5y --field color=green --notes 'Hammer drill'"),
    W("asset add Car -c vehicles --bought 2022-05-01 --price 15000 --warranty 2027-01-01"
      " --brand Skoda --model Fabia"),
    W("asset add 'Drill bits' --parent 1 -c tools --price €19.95 -t diy"),
    W("asset add 'Old phone' -c electronics --price 300 --bought 2021-01-01 --life 3y"),
    W("asset add Tent -c outdoor:camping -l 'Home / Attic' --price '200 USD' --bought 2025-06-01"
      " --warranty 2027-06-01"),
    W("asset add Laptop -c electronics:computers -l 'Home / Office / Desk' --bought 2025-11-20"
      " --price 1299 --warranty 2y --vendor Coolblue -t work --field ram=16GB --json"),
    W("asset add 'Garden hose' -c garden"),
    W("asset edit 1 -t workshop --untag power --price 119 --warranty 3y --field voltage=230"
      " -l 'Home / Garage / Cabinet'"),
    W("asset edit 6 --unset vendor --unset field.ram --notes 'Work laptop' --name 'Laptop 14'"),
    W("asset edit 7 --serial HOSE-1 --life 18m --json"),
    W("asset owner 1 'Alice Example'"),
    W("asset owner 6 2"),
    W("asset owner 6 --clear"),
    W("asset attach 1 {IN}/receipt.txt {IN}/manual.txt"),
    W("asset attach 6 {IN}/receipt.txt --json"),
    R("asset files 1"),
    W("asset detach 1 2"),
    R("asset files 1 --json"),
    W("asset log 1 -k service --on 2026-10-01 --cost 25 --notes 'new brushes'"),
    W("asset log 2 -k service --on 2026-06-01 --meter 42000 --unit km --cost '310 EUR'"
      " --notes 'big service'"),
    W("asset log 2 -k repair --on 2026-09-12 --cost 89.50 --json"),
    W("asset log 7 --notes 'leaks at the tap'"),
    W("asset reading 2 45500 --unit km --on 2026-11-01"),
    W("asset schedule 2 'every 6 months or 10000 km' -k service --lead 14d"),
    W("asset schedule 1 'every 12 months' -k inspection"),
    W("asset schedule 7 'every 3 months' -k inspection --json"),
    W("asset unschedule 3"),
    R("asset schedules"),
    R("asset schedules 2 --json"),
    W("asset seen 1 --at Garage --on 2026-11-10"),
    W("asset seen 2"),
    W("asset retire 3 --on 2026-11-01"),
    W("asset retire 4 --sold-for 80 --on 2026-10-15"),
    # ---- loans
    W("asset lend 1 --to 'Bob Builder' --on 2026-11-01 --due +2w --notes 'for the shed'"),
    W("asset lend 5 --to 1 --due 2026-11-10 --on 2026-10-20"),
    W("asset borrow Ladder --from 'Alice Example' --due 2026-12-10 --on 2026-11-01"),
    W("asset return 1 --on 2026-11-14"),
    W("asset borrow 'Hedge trimmer' --from 2 --due 2026-11-12 --on 2026-11-01 --json"),
    W("asset return 9"),
    W("asset lend 6 --to Nobody"),  # fails: no such person
    W("person rm 1 --yes"),  # refused: loans with them are on record
    W("asset add 'Broken kettle'"),
    W("asset rm 10 --yes"),
    R("loan list"),
    R("loan list --all --json"),
    R("loan list --overdue --direction out -f csv"),
    # ---- projects and tasks
    W("project add Shed --outcome 'A dry shed' --due 2026-12-20 --start 2026-11-01 --budget 1500"
      " -t diy --asset 1 --notes 'Back garden'"),
    W("project add 'Kitchen paint' --due +3w --budget '400 EUR'"),
    W("project edit 2 --status active -t home --asset 5 --outcome 'Fresh walls'"),
    W("project edit Shed --unlink 1 --asset 2 --untag diy -t garden"),
    W("task add Shed 'Buy wood' --due 2026-11-20 -p H -t shop"),
    W("task add Shed 'Build frame' --after 1 --due 2026-11-30 -p M"),
    W("task add 2 'Tape edges' -p L"),
    W("task add 2 'Paint walls' --after 3 --due 2026-11-10 --json"),
    W("task edit 4 --title 'Paint all walls' --priority H --unset due -t weekend"),
    W("task edit 2 --not-after 1 --due 2026-12-01 --untag nothing"),
    W("task done 1 3"),
    W("task undo 3"),
    W("project add 'Car service' --from-template car-service --start 2026-11-10"),
    W("project edit 'Car service' --unset budget --notes 'from the template'"),
    W("task done 5 --json"),
    W("project hold 2"),
    W("project edit 2 --status active"),
    W("project add Throwaway"),
    W("project drop Throwaway --on 2026-11-14"),
    W("project add 'Done soon' --status active"),
    W("task add 'Done soon' 'Only step'"),
    W("project done 'Done soon'"),  # refused: a task is open
    W("project done 'Done soon' --force --on 2026-11-15"),
    W("project add Scrap"),
    W("task add Scrap 'Nothing really'"),
    W("task rm 9 --yes"),
    W("project rm Scrap --yes"),
    # ---- transactions
    W("tx add -12.50 Lidl --category groceries --on 2026-11-02 -a bank:checking"),
    W("tx add 3200 'Employer BV' --in --category income:salary --on 2026-11-01 -a bank:checking"),
    W("tx add 30 'Book shop' --out --currency USD --tag gift --on 'last friday'"),
    W("tx add -45 Gamma -c home:repairs --asset 1 --project 1 --memo 'screws and hinges'"
      " --on 2026-11-08"),
    W("tx add '-€18.20' 'Cafe Noord' -c 'eating out' --on 2026-10-30 -t friends"),
    W("tx add 7.99 'App store' --out --on 2026-11-03"),
    W("tx add -60 'Paint shop' --project 2 -c home:paint --on 2026-11-12 --json"),
    W("tx edit 4 --amount -13.75 --memo 'weekly shop' -t food"),
    W("tx edit 8 --unset category --untag friends --payee 'Café Noord'"),
    W("tx add -1 Mistake"),
    W("tx rm 11 --yes"),
    R("tx import {IN}/bank.csv --rules bank --dry-run"),
    W("tx import {IN}/bank.csv --rules bank"),
    W("tx import {IN}/bank.csv --rules {IN}/bank.toml --json"),
    W("tx import - --rules stuffctl", stdin="ledger.csv"),
    W("tx import {IN}/bad.csv --rules bank"),  # fails: a bad amount, nothing written
    R("tx categorize --rules {IN}/cat.toml --dry-run"),
    W("tx categorize --rules {IN}/cat.toml --json"),
    # ---- subscriptions, budgets, goals
    W("sub add Netflix 13.99 --every monthly --next 2026-09-05 --category fun:streaming"
      " -a bank:checking"),
    W("sub add 'Car insurance' 640 --every yearly --next 2027-01-21 --cancel-by 2026-12-22"
      " --asset 2 --category insurance:car"),
    W("sub add Power 80 --every 'every 3 months' --next 2026-01-01 --category home:energy"
      " --notes estimate"),
    W("sub add Gym 29 --every monthly --next 2026-11-28 --json"),
    W("sub post"),
    W("sub post --json"),  # nothing twice
    W("sub paid 3 --amount 95.20 --on 2026-10-03"),
    W("sub cancel 1 --on 2026-11-14"),
    W("sub rm 4 --yes"),
    W("sub post --until 2026-12-31 -f csv"),
    W("budget set groceries 400"),
    W("budget set home 9000 --period yearly"),
    W("budget set fun 10"),
    W("budget set home:repairs 100 --json"),
    W("budget set travel 50 --period quarterly"),
    W("budget rm travel"),
    W("bench goal set 'spend:groceries <= 400'"),
    W("bench goal set maintenance_on_time '>=' 0.9"),
    W("bench goal set 'tasks_completed >= 5' --json"),
    W("bench goal rm tasks_completed"),
    # ---- config
    W("config set lead.warranty 45d"),
    W("config set remind.quiet_hours 22:00-07:00"),
    W("config set bands.soon_days 10 --json"),
    W("config set urgency.due 10"),
    W("config unset urgency.due"),
    W("config set bands.soon_days abc"),  # fails: not a number
    W("config set notify.command " + shlex.quote(NOTIFY)),
    R("config get notify.command"),
    R("config show"),
    R("config show --json"),
    # ---- reminders
    W("remind add 'Pay rent' --every 'every 1st' --on 2026-11-01 --lead 3d"),
    W("remind add Dentist --on '2026-11-18 09:30' --about asset:1 --notes 'bring card'"),
    W("remind add 'Water plants' --every 'every 2 weeks' --on 2026-11-10 --from-done"),
    W("remind add 'Call mum' --on 2026-11-14"),
    W("remind add 'Take vitamins' --every 'every day' --on '2026-11-15 08:30' --json"),
    W("remind add 'Scrap me' --on 2026-12-24"),
    R("remind list"),
    R("remind list --all --json"),
    W("remind snooze 2 3d"),
    W("remind done 1 --on 2026-11-02"),
    W("remind skip 3"),
    W("remind edit 4 --title 'Call mum back' --on 2026-11-16 --about project:1"),
    W("remind rm 6 --yes"),
    W("remind done maintenance:1 --no-log --on 2026-11-14"),
    W("remind snooze loan:2 2026-11-20"),
    W("remind run"),
    W("remind run"),  # nothing new: the fast path
    W("remind run --json --now '2026-11-20 09:00'"),
    W("remind run --digest"),
    W("remind run --exit-status"),
    W("remind ics -o out/reminders.ics"),
    R("remind ics"),
    R("remind cron"),
    # ---- data in and out
    W("import homebox {IN}/homebox.csv --dry-run"),
    W("import homebox {IN}/homebox.csv"),
    W("import homebox {IN}/homebox.csv --json"),  # changes nothing
    W("import taskwarrior {IN}/tasks.json --dry-run"),
    W("import taskwarrior {IN}/tasks.json"),
    W("export -o out/export.json"),
    W("export --with-files -o out/export.zip"),
    R("export"),
    W("share -o out/bundle.json -p 1 -t diy"),
    W("share --with-files -o out/bundle.zip -a 1 --json"),
    W("import file out/bundle.json --dry-run"),
    W("import out/bundle.zip"),
    W("--db {RUN}/imported.db import file out/export.zip --json"),
    R("--db {RUN}/imported.db db check"),
    R("--db {RUN}/imported.db tx list --totals --json"),
    W("bench export -o out/bench.json"),
    R("bench compare out/bench.json"),
    R("tx export"),
    R("tx export -f json -p 2026-11"),
    W("backup -o out/backup.db"),
    W("backup"),
    W("backup --json"),
    # ---- reads
    R("asset list"),
    R("asset list --json"),
    R("asset list -f csv --sort price --desc"),
    R("asset list -f ndjson -c electronics"),
    R("asset list -t diy --status active"),
    R("asset list --status retired"),
    R("asset list --warranty-before 2027-02-01 --sort warranty"),
    R("asset list --not-seen-since 6m -n 3 --offset 1"),
    R("asset list -l Home -s drill"),
    R("asset show 1"),
    R("asset show 1 --json"),
    R("asset show 2"),
    R("asset show 8 --json"),
    R("asset show 999"),  # fails: no such asset
    R("person list"),
    R("person list -s ali --json"),
    R("person show 1"),
    R("person show 2 --json"),
    R("tx list"),
    R("tx list --json"),
    R("tx list -p 2026-11 -f csv"),
    R("tx list -c home --sort amount --desc"),
    R("tx list --totals -p 2026"),
    R("tx list -s shop --min 10 --max 100 -f ndjson"),
    R("tx list --asset 1 --json"),
    R("tx list --project 2"),
    R("tx list -t food -a bank"),
    R("tx show 5"),
    R("tx show 6 --json"),
    R("report spend"),
    R("report spend --json"),
    R("report spend --by payee --per quarter --periods 3 --csv"),
    R("report spend --by project --to 2026-10-31"),
    R("report cashflow"),
    R("report cashflow --per quarter --periods 4 --json"),
    R("report cashflow --csv"),
    R("report projects"),
    R("report projects --json"),
    R("report assets"),
    R("report assets -n 3 --json"),
    R("report assets --csv"),
    R("project list"),
    R("project list --all --json"),
    R("project list --status active -f csv"),
    R("project show 1"),
    R("project show 'Car service' --json"),
    R("project show Bike"),
    R("project templates"),
    R("task list"),
    R("task list --all --urgency --json"),
    R("task list Shed --ready"),
    R("task list --overdue -f csv"),
    R("task next"),
    R("task next -n 3 --json"),
    R("remind list"),
    R("remind list --json"),
    R("remind list --due"),
    R("remind list --overdue -f csv"),
    R("remind list --upcoming 30d"),
    R("remind list --now '2026-12-01 08:00'"),
    R("sub list"),
    R("sub list --all --json"),
    R("sub show 3"),
    R("sub show 2 --json"),
    R("budget list"),
    R("budget status"),
    R("budget status --json"),
    R("budget status -p 2026-Q3"),
    R("bench"),
    R("bench --json"),
    R("bench -p quarter --vs best"),
    R("bench goal list --json"),
    R("status"),
    R("status --json"),
    R("status --brief"),
    R("status --brief"),  # the stored line
    R("find drill"),
    R("find bike --json"),
    R("find 'no such thing'"),
    R("find alice -n 2"),
    R("db info"),
    R("db info --json"),
    R("db check"),
    R("db check --json"),
    # ---- restore the backup made above; the old database is kept
    W("restore out/backup.db --yes"),
    R("db check"),
    R("status --brief"),
    R("asset list --json"),
]

# --------------------------------------------------------------------------------------
# Inputs: written once into <work>/inputs (the same folder for both sides).

INPUTS: dict[str, str] = {
    "receipt.txt": "Receipt: Bosch PSB hammer drill, 129.90 EUR, Gamma, 2024-03-01\n",
    "manual.txt": "Manual: keep the chuck clean.\n",
    "bank.csv": (
        "Bank export 2026\n"
        "Datum,Naam,Tegenrekening,Af,Bij,Mededelingen\n"
        '20261003,ALBERT HEIJN 1234,NL01,"46,60",,pinbetaling\n'
        '20261025,Werkgever BV,NL02,,"3.200,00",salaris oktober\n'
        '20261104,LIDL 55,NL03,"23,10",,pinbetaling\n'
        '20261105,Pending,NL04,"1,00",,pending row\n'
        '20261106,Coffee corner,NL05,"3,50",,koffie\n'
        '20261106,Coffee corner,NL05,"3,50",,koffie\n'
    ),
    "bad.csv": (
        "Bank export 2026\n"
        "Datum,Naam,Tegenrekening,Af,Bij,Mededelingen\n"
        '20261107,Bakery,NL06,"4,20",,brood\n'
        '20261108,Butcher,NL07,"12,3x",,vlees\n'
    ),
    "bank.toml": (
        'skip = 2\nseparator = ","\nencoding = "utf-8"\n'
        'fields = ["date", "payee", "", "amount_out", "amount_in", "memo"]\n'
        'date_format = "%Y%m%d"\ndecimal_mark = ","\ncurrency = "EUR"\naccount = "bank:ing"\n'
        'skip_if = { payee = "^Pending$" }\n\n'
        '[[categorize]]\nmatch = "ALBERT HEIJN|LIDL"\ncategory = "groceries"\n\n'
        '[[categorize]]\nmatch = "salaris"\ncategory = "income:salary"\n\n'
        '[[categorize]]\nmatch = "koffie"\ncategory = "fun:coffee"\npayee = "Coffee"\n'
    ),
    "cat.toml": (
        'fields = ["date", "amount"]\n\n'
        '[[categorize]]\nmatch = "Book|App"\ncategory = "shopping"\n\n'
        '[[categorize]]\nmatch = "Noord"\ncategory = "eating out"\npayee = "Cafe Noord"\n'
    ),
    "ledger.csv": (
        "date,amount,currency,payee,category,account,memo\n"
        "2026-08-14,-42.00,EUR,Decathlon,outdoor,bank:checking,tent pegs\n"
        "2026-09-02,-9.99,USD,Bookshop US,shopping,,an e-book\n"
        "2026-11-09,150.00,EUR,Bob Builder,income:other,bank:checking,paid back\n"
    ),
    "homebox.csv": (
        "HB.import_ref,HB.location,HB.labels,HB.quantity,HB.name,HB.description,HB.insured,"
        "HB.serial_number,HB.model_number,HB.manufacturer,HB.notes,HB.purchase_from,"
        "HB.purchase_price,HB.purchase_time,HB.lifetime_warranty,HB.warranty_expires,"
        "HB.warranty_details,HB.sold_to,HB.sold_price,HB.sold_time,HB.sold_notes,HB.archived,"
        "HB.field.Color\n"
        "hb-001,Home / Kitchen,kitchen;appliance,1,Coffee machine,Espresso,false,SN-77,EC685,"
        "DeLonghi,Descale monthly,Coolblue,199.00,2025-02-14,false,2027-02-14,,,0,,,false,Silver\n"
        "hb-002,Home / Attic,,3,Moving boxes,,false,,,,,,0,,false,,,,0,,,true,\n"
        ",Home / Garage,bike,1,Bike pump,,false,,,,,,25.50,2026-04-04,false,,,,0,,,false,Black\n"
    ),
    "tasks.json": (
        '[\n'
        '{"uuid":"a1b2c3d4-0000-4000-8000-000000000001","description":"Fix bike light",'
        '"project":"Bike","status":"pending","priority":"H","due":"20261120T000000Z",'
        '"entry":"20261101T090000Z","modified":"20261101T090000Z","tags":["bike"]},\n'
        '{"uuid":"a1b2c3d4-0000-4000-8000-000000000002","description":"Pump tyres",'
        '"project":"Bike","status":"completed","entry":"20261101T090000Z",'
        '"modified":"20261102T090000Z","end":"20261102T090000Z",'
        '"depends":"a1b2c3d4-0000-4000-8000-000000000001",'
        '"annotations":[{"entry":"20261102T090000Z","description":"both wheels"}]},\n'
        '{"uuid":"a1b2c3d4-0000-4000-8000-000000000003","description":"Loose end",'
        '"status":"pending","entry":"20261101T090000Z","modified":"20261101T090000Z"}\n'
        ']\n'
    ),
}

# Files put into each fresh home before the run (same content on both sides).
HOME_FILES: dict[str, str] = {
    "rules/bank.toml": INPUTS["bank.toml"],
    "templates/car-service.toml": (
        'outcome = "The car is serviced and ready for the season"\n'
        'due = "+3w"\nbudget = "400 EUR"\ntags = ["car"]\n\n'
        '[[tasks]]\ntitle = "Book the garage"\ndue = "+2d"\npriority = "H"\n\n'
        '[[tasks]]\ntitle = "Switch to winter tyres"\ndue = "+14d"\nafter = [1]\n\n'
        '[[tasks]]\ntitle = "File the invoice"\ndue = "+3w"\npriority = "L"\nafter = [2]\n'
    ),
}


# --------------------------------------------------------------------------------------
# Small helpers


def say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def fail(msg: str) -> None:
    say(f"compare_builds: {msg}")
    raise SystemExit(2)


def run(argv: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None,
        what: str = "") -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, check=False)
    if proc.returncode != 0 and what:
        fail(f"{what} failed (exit {proc.returncode}):\n$ {shlex.join(argv)}\n"
             f"{proc.stdout[-3000:]}{proc.stderr[-3000:]}")
    return proc


# --------------------------------------------------------------------------------------
# Sources and builds


@dataclass
class Side:
    name: str  # "old" or "new"
    spec: str  # what was asked for
    label: str = ""  # what was built, for the summary
    src: Path = Path()
    venv: Path = Path()
    rundir: Path = Path()
    results: list[tuple[int, str, str]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def home(self) -> Path:
        return self.rundir / "home"

    @property
    def stuffctl(self) -> Path:
        return self.venv / "bin" / "stuffctl"


def resolve_rev(rev: str) -> str:
    proc = run(["git", "-C", str(REPO), "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"])
    if proc.returncode != 0:
        fail(f"{rev!r} is neither a folder nor a revision of {REPO}")
    return proc.stdout.strip()


def source_from_rev(rev: str, dest: Path) -> str:
    sha = resolve_rev(rev)
    data = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", sha],
                          capture_output=True, check=False)
    if data.returncode != 0:
        fail(f"git archive {sha} failed: {data.stderr.decode(errors='replace')}")
    dest.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(data.stdout)) as tar:
        if hasattr(tarfile, "data_filter"):  # Python 3.11.4 and later
            tar.extractall(dest, filter="data")
        else:
            tar.extractall(dest)  # our own repository's archive
    return f"{rev} ({sha[:12]})"


def source_from_tree(tree: Path, dest: Path) -> str:
    """Copy a working tree: with git, the tracked and untracked files that are not
    ignored, as they are on disk now (uncommitted changes included)."""
    proc = run(["git", "-C", str(tree), "ls-files", "-z", "--cached", "--others",
                "--exclude-standard"])
    dest.mkdir(parents=True)
    if proc.returncode == 0:
        for rel in sorted(set(filter(None, proc.stdout.split("\0")))):
            path = tree / rel
            if not os.path.lexists(path) or path.is_dir():
                continue  # deleted in the working tree, or a submodule
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest / rel, follow_symlinks=False)
        head = run(["git", "-C", str(tree), "rev-parse", "--short=12", "HEAD"]).stdout.strip()
        dirty = run(["git", "-C", str(tree), "status", "--porcelain"]).stdout.strip()
        return f"{tree} (working tree at {head}{', with uncommitted changes' if dirty else ''})"
    shutil.copytree(tree, dest, dirs_exist_ok=True, ignore=shutil.ignore_patterns(
        ".git", "__pycache__", "*.egg-info", "build", "dist", ".venv", ".*_cache"))
    return f"{tree} (folder)"


def _packaging():  # type: ignore[no-untyped-def]
    try:
        from packaging.requirements import Requirement
        from packaging.version import Version
    except ImportError:  # pip always vendors it
        from pip._vendor.packaging.requirements import Requirement  # type: ignore[no-redef]
        from pip._vendor.packaging.version import Version  # type: ignore[no-redef]
    return Requirement, Version


def unmet_build_requires(src: Path) -> list[str]:
    """The [build-system] requirements this interpreter's environment does not meet
    (what ``--no-build-isolation`` would build with)."""
    import importlib.metadata as md
    import tomllib

    Requirement, Version = _packaging()
    pyproject = src / "pyproject.toml"
    system = tomllib.loads(pyproject.read_text())["build-system"] if pyproject.exists() else {}
    requires = list(system.get("requires", ["setuptools>=40.8.0"]))
    backend = system.get("build-backend", "setuptools.build_meta:__legacy__")
    unmet = []
    for text in requires:
        req = Requirement(text)
        if req.marker is not None and not req.marker.evaluate():
            continue
        try:
            have = md.version(req.name)
        except md.PackageNotFoundError:
            unmet.append(text)
            continue
        if not req.specifier.contains(have, prereleases=True):
            unmet.append(text)
    if backend.startswith("setuptools") and not any(
            Requirement(u).name == "setuptools" for u in unmet):
        # setuptools before 70.1 needs the wheel package to build a wheel
        try:
            if Version(md.version("setuptools")) < Version("70.1"):
                md.version("wheel")
        except md.PackageNotFoundError:
            unmet.append("wheel")
    return unmet


def pip_local_sources() -> tuple[list[str], list[str]]:
    """The file:// indexes and local find-links of pip's configuration."""
    out = run([sys.executable, "-m", "pip", "config", "list"]).stdout
    indexes: list[str] = []
    links: list[str] = []
    for line in out.splitlines():
        key, _, value = line.partition("=")
        name = key.rsplit(".", 1)[-1]
        values = value.strip().strip("'\"").split()
        if name in ("index-url", "extra-index-url"):
            indexes += [v for v in values if v.startswith("file:")]
        elif name == "find-links":
            links += [v for v in values if not v.startswith(("http:", "https:"))]
    return list(dict.fromkeys(indexes)), list(dict.fromkeys(links))


def provide_build_tools(requires: list[str], dest: Path, offline: bool) -> str:
    """Install ``requires`` into ``dest`` (a --target folder): from local indexes first."""
    if (dest / ".done").exists() and (dest / ".done").read_text() == "\n".join(requires):
        return f"reused {dest}"
    shutil.rmtree(dest, ignore_errors=True)
    base = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
            "--target", str(dest), "--no-deps", "--only-binary=:all:"]
    indexes, links = pip_local_sources()
    env = {k: v for k, v in os.environ.items()
           if k not in ("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS")}
    env |= {"PIP_CONFIG_FILE": os.devnull, "PIP_ROOT_USER_ACTION": "ignore"}
    if indexes or links:
        argv = list(base)
        if indexes:
            argv += ["--index-url", indexes[0]]
            for url in indexes[1:]:
                argv += ["--extra-index-url", url]
        else:
            argv.append("--no-index")
        for link in links:
            argv += ["--find-links", link]
        if run([*argv, *requires], env=env).returncode == 0:
            (dest / ".done").write_text("\n".join(requires))
            return f"installed {' '.join(requires)} into {dest} from local package indexes"
        shutil.rmtree(dest, ignore_errors=True)
    if offline:
        fail(f"this environment lacks the build requirements {requires} and no local "
             "package index holds them (drop --offline to fetch them from the registry)")
    env = dict(os.environ, PIP_ROOT_USER_ACTION="ignore")
    run([*base, *requires], env=env, what="installing the build requirements")
    (dest / ".done").write_text("\n".join(requires))
    return f"installed {' '.join(requires)} into {dest} from the package registry (downloaded)"


def make_venv(side: Side, build_tools: Path | None) -> None:
    venv = side.venv
    shutil.rmtree(venv, ignore_errors=True)
    in_venv = sys.prefix != sys.base_prefix
    argv = [sys.executable, "-m", "venv", "--without-pip", str(venv)]
    if not in_venv:
        argv.insert(4, "--system-site-packages")
    run(argv, what="python -m venv")
    py = venv / "bin" / "python"
    if in_venv:  # reuse this venv's packages (and its own .pth files) behind the new one's
        purelib = "import sysconfig; print(sysconfig.get_path('purelib'))"
        site_dir = Path(run([str(py), "-c", purelib], what="sysconfig").stdout.strip())
        parents = [p for p in sys.path if p.endswith(("site-packages", "dist-packages"))]
        (site_dir / "zz_compare_builds_parent.pth").write_text(
            "".join(f"import site; site.addsitedir({p!r})\n" for p in parents))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env |= {"PIP_ROOT_USER_ACTION": "ignore", "PIP_NO_INPUT": "1"}
    if build_tools is not None:
        env["PYTHONPATH"] = str(build_tools)
    run([str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
         "--no-build-isolation", "--no-index", str(side.src)], env=env,
        what=f"pip install of the {side.name} build")
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    where = run([str(py), "-c", "import stuffctl; print(stuffctl.__file__)"], env=clean,
                what=f"importing the {side.name} build").stdout.strip()
    if not Path(where).resolve().is_relative_to(venv.resolve()):
        fail(f"the {side.name} venv imports stuffctl from {where}, not from its own install")
    if not side.stuffctl.exists():
        fail(f"{side.stuffctl} was not installed")


# --------------------------------------------------------------------------------------
# Masking


# every UUID but the name-based ones (versions 3 and 5), which are the same in both runs
RANDOM_UUID = re.compile(
    r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-246-9a-f][0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.IGNORECASE)
STAMP = re.compile(r"(?P<date>\d{4}-\d{2}-\d{2})(?P<sep>[ T])(?P<h>\d{2}):(?P<m>\d{2})"
                   r"(?::(?P<s>\d{2})(?P<frac>[.,]\d+)?)?")
COMPACT = re.compile(r"(?<!\d)(?P<date>\d{8})T(?P<h>\d{2})(?P<m>\d{2})(?P<s>\d{2})(?P<frac>\d*)"
                     r"(?=Z|\b|[^0-9])")
MTIME_NS = re.compile(r"\b(\d+):1\d{18}\b")


class Masker:
    def __init__(self, window: tuple[int, int], today: str | None) -> None:
        self.window = window  # seconds of the day, inclusive
        self.today = today  # a date to mask when the clock is not faked
        self.paths: dict[str, list[tuple[str, str]]] = {}

    def add_paths(self, side: str, pairs: list[tuple[Path, str]]) -> None:
        items: list[tuple[str, str]] = []
        for path, token in pairs:
            for form in {str(path), str(path.resolve())}:
                items.append((form, token))
        self.paths[side] = sorted(items, key=lambda item: -len(item[0]))

    def _in_window(self, h: str, m: str, s: str | None) -> bool:
        tod = int(h) * 3600 + int(m) * 60 + int(s or 0)
        lo, hi = self.window
        return lo <= tod <= hi if lo <= hi else (tod >= lo or tod <= hi)

    def _stamp(self, mt: re.Match[str]) -> str:
        if not self._in_window(mt["h"], mt["m"], mt["s"]):
            return mt[0]
        clock = "HH:MM" if mt["s"] is None else "HH:MM:SS"
        if mt["frac"]:
            clock += mt["frac"][0] + "f" * (len(mt["frac"]) - 1)
        return f"{mt['date']}{mt['sep']}{clock}"

    def _compact(self, mt: re.Match[str]) -> str:
        if not self._in_window(mt["h"], mt["m"], mt["s"]):
            return mt[0]
        return f"{mt['date']}THHMMSS{'f' * len(mt['frac'])}"

    def __call__(self, text: str, side: str) -> str:
        for path, token in self.paths.get(side, []):
            text = text.replace(path, token)
        text = RANDOM_UUID.sub("<UID>", text)
        text = STAMP.sub(self._stamp, text)
        text = COMPACT.sub(self._compact, text)
        text = MTIME_NS.sub(r"\1:<MTIME_NS>", text)
        if self.today:
            text = text.replace(self.today, "<TODAY>")
            text = text.replace(self.today.replace("-", ""), "<TODAY>")
        return text


# --------------------------------------------------------------------------------------
# Running the script


def fake_clock_works() -> bool:
    if shutil.which("faketime") is None:
        return False
    proc = run(["faketime", "2026-11-15 12:00:00", sys.executable, "-c",
                "import datetime; print(datetime.date.today())"],
               env=dict(os.environ, TZ="UTC"))
    return proc.returncode == 0 and proc.stdout.strip() == "2026-11-15"


def expand(arg: str, side: Side, inputs: Path) -> str:
    return arg.replace("{RUN}", str(side.rundir)).replace("{IN}", str(inputs))


def command_env(side: Side) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("STUFFCTL_", "PYTHON", "FAKETIME", "VIRTUAL_ENV", "PIP_"))
           and k not in ("LD_PRELOAD", "COLUMNS", "LINES")}
    env |= {
        "STUFFCTL_HOME": str(side.home),
        "HOME": str(side.rundir / "userhome"),
        "NO_COLOR": "1",
        "TERMINAL_WIDTH": "100",
        "COLUMNS": "100",
        "TZ": "UTC",
        "LC_ALL": "C.UTF-8",
        "LANG": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
        "PATH": f"{side.venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    return env


def run_script(side: Side, inputs: Path, faked: bool) -> None:
    side.rundir.mkdir(parents=True)
    for sub in ("out", "userhome"):
        (side.rundir / sub).mkdir()
    for rel, text in HOME_FILES.items():
        path = side.home / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    env = command_env(side)
    started = time.monotonic()
    for n, cmd in enumerate(SCRIPT):
        argv = [str(side.stuffctl), *(expand(a, side, inputs) for a in cmd.args)]
        if faked:
            moment = FAKE_START + n * STEP
            argv = ["faketime", moment.strftime("%Y-%m-%d %H:%M:%S"), *argv]
        stdin = (inputs / cmd.stdin).read_bytes() if cmd.stdin else b""
        try:
            proc = subprocess.run(argv, cwd=side.rundir, env=env, input=stdin,
                                  capture_output=True, timeout=TIMEOUT, check=False)
            result = (proc.returncode, proc.stdout.decode("utf-8", "replace"),
                      proc.stderr.decode("utf-8", "replace"))
        except subprocess.TimeoutExpired as exc:
            result = (-1, (exc.stdout or b"").decode("utf-8", "replace"),
                      f"(timed out after {TIMEOUT} s)\n")
        side.results.append(result)
    side.seconds = time.monotonic() - started


# --------------------------------------------------------------------------------------
# After the run: databases and files


def is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


FTS5 = re.compile(r"CREATE VIRTUAL TABLE (?:IF NOT EXISTS )?[\"'`]?(\w+)[\"'`]? USING fts5",
                  re.IGNORECASE)
INSERT = re.compile(r"INSERT INTO [\"'`]?(\w+)[\"'`]?[ (]")


def dump(db: Path) -> list[str]:
    """The database as SQL statements, one a line, canonical: the INSERTs of each table
    sorted (a table without an integer key lists its rows in insertion order, which an
    import takes from uid order), and the FTS5 index segments (``*_data``, ``*_idx``,
    whose bytes depend on the order of insertion) replaced by each index's
    (term, row, column, offset) instances, read through a temporary fts5vocab table."""
    statements: list[str] | None = None
    if shutil.which("sqlite3"):
        proc = subprocess.run(["sqlite3", str(db), ".dump"], capture_output=True, check=False)
        if proc.returncode == 0:
            statements = proc.stdout.decode("utf-8", "replace").splitlines()
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        if statements is None:
            statements = [s.replace("\n", "\\n") for s in conn.iterdump()]
        fts = [m[1] for line in statements for m in [FTS5.search(line)] if m]
        shadows = {f"{name}_{part}" for name in fts for part in ("data", "idx", "docsize")}
        out: list[str] = []
        group: list[str] = []
        table = None
        for line in [*statements, ""]:
            m = INSERT.match(line)
            if m and m[1] == table:
                group.append(line)
                continue
            out += sorted(group)
            group, table = ([line], m[1]) if m else ([], None)
            if not m and line:
                out.append(line)
        out = [line for line in out if not ((m := INSERT.match(line)) and m[1] in shadows)]
        for name in fts:
            out += fts_instances(conn, name)
        return out
    finally:
        conn.close()


def fts_instances(conn: sqlite3.Connection, name: str) -> list[str]:
    """An FTS5 index as sorted (term, row, column, offset) lines. The row is its id, or,
    when the external content table is keyed by its plain rowid (which follows the order
    of insertion: asset_field), the content row's values."""
    try:
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).fetchone()[0]
        content = re.search(r"content\s*=\s*'(\w+)'", sql)
        key = re.search(r"content_rowid\s*=\s*'(\w+)'", sql)
        conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab_{name} USING "
                     f"fts5vocab(main, {name}, 'instance')")
        rows = conn.execute(f"SELECT term, doc, col, offset FROM temp.vocab_{name}").fetchall()
        if content and (key is None or key[1].lower() in ("rowid", "oid", "_rowid_")):
            values = {row[0]: row[1:] for row in conn.execute(
                f"SELECT rowid, * FROM {content[1]}")}
            rows = [(term, values.get(doc, ("missing row", doc)), col, offset)
                    for term, doc, col, offset in rows]
        return sorted(f"-- fts {name}: {row!r}" for row in rows)
    except sqlite3.Error as exc:
        return [f"-- fts {name}: cannot list its index ({exc})"]


def collect(side: Side, mask: Masker) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Masked dumps of every SQLite file under the run folder, and the masked content of
    every other file (text, zip members, or size and hash), keyed by masked relative path."""
    dumps: dict[str, list[str]] = {}
    files: dict[str, list[str]] = {}
    for path in sorted(p for p in side.rundir.rglob("*") if p.is_file()):
        rel = mask(str(path.relative_to(side.rundir)), side.name)
        if rel.startswith("userhome/") or path.name.endswith(("-wal", "-shm", "-journal")):
            continue
        if is_sqlite(path):
            dumps[rel] = [mask(line, side.name) for line in dump(path)]
            continue
        data = path.read_bytes()
        if zipfile.is_zipfile(path):
            lines = []
            with zipfile.ZipFile(path) as zf:
                for info in zf.infolist():
                    body = zf.read(info)
                    lines.append(f"== {mask(info.filename, side.name)}")
                    lines += describe(body, side.name, mask)
            files[rel] = lines
        else:
            files[rel] = describe(data, side.name, mask)
    return dumps, files


def describe(data: bytes, side: str, mask: Masker) -> list[str]:
    if data.startswith(b"SQLite format 3\x00"):
        with tempfile.NamedTemporaryFile(suffix=".db") as tmp:
            tmp.write(data)
            tmp.flush()
            return [mask(line, side) for line in dump(Path(tmp.name))]
    try:
        return text_lines(data.decode("utf-8"), side, mask)
    except UnicodeDecodeError:
        return [f"binary, {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}"]


def text_lines(text: str, side: str, mask: Masker) -> list[str]:
    """Masked lines of a text. A stuffctl export or share document (``export``, ``share``,
    their .zip) lists the rows of a link table (project_tag, asset_field, …) in the
    order of their parents' random uids: its rows are compared sorted, table by table."""
    head = text.lstrip()[:200]
    if head.startswith("{") and '"stuffctl-export"' in head:
        try:
            doc = json.loads(text)
        except ValueError:
            doc = None
        if isinstance(doc, dict) and isinstance(doc.get("tables"), dict):
            lines = [mask(f"{key}: {json.dumps(value, ensure_ascii=False)}", side)
                     for key, value in doc.items() if key != "tables"]
            for name, rows in doc["tables"].items():
                lines.append(f"table {name}: {len(rows)} rows")
                lines += sorted(mask(json.dumps(row, ensure_ascii=False, sort_keys=True), side)
                                for row in rows)
            return lines
    return mask(text, side).splitlines()


# --------------------------------------------------------------------------------------
# Comparing


def render_result(result: tuple[int, str, str], side: str, mask: Masker) -> list[str]:
    rc, out, err = result
    return [f"exit {rc}", "--- stdout", *text_lines(out, side, mask), "--- stderr",
            *mask(err, side).splitlines()]


def udiff(a: list[str], b: list[str], name: str, limit: int) -> list[str]:
    lines = list(difflib.unified_diff(a, b, f"old/{name}", f"new/{name}", n=2, lineterm=""))
    if limit and len(lines) > limit:
        lines = [*lines[:limit], f"... ({len(lines) - limit} more diff lines)"]
    return lines


def changed_lines(a: list[str], b: list[str]) -> int:
    return sum(1 for line in difflib.unified_diff(a, b, n=0, lineterm="")
               if line[:1] in "+-" and not line.startswith(("+++", "---")))


def compare(old: Side, new: Side, mask: Masker, show: int, limit: int,
            report: list[str]) -> tuple[bool, list[str], list[str]]:
    """(identical?, summary lines, the first differences as unified diffs); every diff in
    full goes to ``report``."""
    summary: list[str] = []
    shown: list[str] = []
    differing = []
    for n, (cmd, a, b) in enumerate(zip(SCRIPT, old.results, new.results, strict=True)):
        ra = render_result(a, old.name, mask)
        rb = render_result(b, new.name, mask)
        if ra != rb:
            differing.append(n)
            name = f"#{n} stuffctl {shlex.join(cmd.args)}"
            report.append(f"### {name}")
            report += udiff(ra, rb, name, 0)
            if len(differing) <= show:
                shown += udiff(ra, rb, name, limit)
    failing = [sum(1 for rc, _, _ in side.results if rc != 0) for side in (old, new)]
    writes = sum(1 for c in SCRIPT if c.kind == "W")
    summary.append(f"commands run: {len(SCRIPT)} per build ({writes} writes, "
                   f"{len(SCRIPT) - writes} reads); exit non-zero: {failing[0]} in the old "
                   f"build, {failing[1]} in the new (some on purpose)")
    summary.append(f"commands whose exit code, stdout or stderr differ: {len(differing)}"
                   + (f" (#{', #'.join(map(str, differing[:20]))}"
                      f"{', …' if len(differing) > 20 else ''})" if differing else ""))

    dumps_a, files_a = collect(old, mask)
    dumps_b, files_b = collect(new, mask)
    total = rows = 0
    per_db = []
    seen: dict[tuple[str, ...], str] = {}  # a diff already shown (backups repeat the home's)

    def show_diff(a: list[str], b: list[str], name: str) -> None:
        body = tuple(line for line in difflib.unified_diff(a, b, n=0, lineterm="")
                     if line[:1] in "+-" and not line.startswith(("+++", "---")))
        if body in seen:
            shown.append(f"--- {name}: the same {len(body)} changed lines as {seen[body]}")
        elif len(seen) < show:
            shown.extend(udiff(a, b, name, limit))
        seen.setdefault(body, name)

    for rel in sorted(set(dumps_a) | set(dumps_b)):
        a, b = dumps_a.get(rel), dumps_b.get(rel)
        if a is None or b is None:
            per_db.append(f"{rel}: only in the {'new' if a is None else 'old'} run")
            total += len(a or b or [])
            continue
        changed = [line for line in difflib.unified_diff(a, b, n=0, lineterm="")
                   if line[:1] in "+-" and not line.startswith(("+++", "---"))]
        in_rows = sum(1 for line in changed if (m := INSERT.match(line[1:]))
                      and m[1] not in ("sqlite_schema", "sqlite_master"))
        total += len(changed)
        rows += in_rows
        inserts = sum(1 for line in a if line.startswith("INSERT"))
        per_db.append(f"{rel}: {len(a)} lines ({inserts} rows), {len(changed)} differ"
                      + (f" ({in_rows} in rows, {len(changed) - in_rows} in schema,"
                         " triggers or FTS index)" if changed else ""))
        if changed:
            report.append(f"### dump {rel}")
            report += udiff(a, b, rel, 0)
            show_diff(a, b, f"{rel} (.dump)")
    summary.append(f"dump lines that differ: {total}"
                   + (f" ({rows} in rows, {total - rows} in schema, triggers or FTS index)"
                      if total else ""))
    summary += [f"  {line}" for line in per_db]

    file_diffs = []
    for rel in sorted(set(files_a) | set(files_b)):
        a, b = files_a.get(rel), files_b.get(rel)
        if a != b:
            file_diffs.append(rel if a is not None and b is not None
                              else f"{rel} (only in the {'new' if a is None else 'old'} run)")
            report.append(f"### file {rel}")
            report += udiff(a or [], b or [], rel, 0)
            show_diff(a or [], b or [], rel)
    summary.append(f"other files compared: {len(set(files_a) | set(files_b))}, "
                   f"differing: {len(file_diffs)}" + (f" ({', '.join(file_diffs)})"
                                                      if file_diffs else ""))
    same = not differing and total == 0 and not file_diffs
    return same, summary, shown


# --------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--old", required=True, help="revision of the old build (e.g. 4cf94d3)")
    parser.add_argument("--new", default=str(REPO),
                        help="folder or revision of the new build (default: this working tree)")
    parser.add_argument("--keep", type=Path, help="build and run here, and keep it (with "
                                                  "report.txt); default: a temporary folder")
    parser.add_argument("--show", type=int, default=3,
                        help="unified diffs of this many first differing commands (default 3)")
    parser.add_argument("--diff-lines", type=int, default=60,
                        help="at most this many lines per diff shown (default 60)")
    parser.add_argument("--offline", action="store_true",
                        help="never fetch missing build requirements from a registry")
    parser.add_argument("--no-faketime", action="store_true",
                        help="use the real clock (and mask today's date)")
    args = parser.parse_args()

    if args.keep:
        work = args.keep.resolve()
        if work.exists() and any(work.iterdir()):
            for sub in ("src-old", "src-new", "venv-old", "venv-new", "run-old", "run-new",
                        "inputs", "report.txt", "transcript-old.txt", "transcript-new.txt"):
                target = work / sub
                if target.is_dir():
                    shutil.rmtree(target)
                elif target.exists():
                    target.unlink()
        work.mkdir(parents=True, exist_ok=True)
        tmp = None
    else:
        tmp = tempfile.TemporaryDirectory(prefix="compare-builds-")
        work = Path(tmp.name).resolve()
    try:
        return compare_in(work, args)
    finally:
        if tmp is not None:
            tmp.cleanup()


def compare_in(work: Path, args: argparse.Namespace) -> int:
    t0 = time.monotonic()
    old, new = Side("old", args.old), Side("new", args.new)
    for side in (old, new):
        side.src, side.venv, side.rundir = (work / f"src-{side.name}", work / f"venv-{side.name}",
                                            work / f"run-{side.name}")
        if os.path.isdir(side.spec):
            side.label = source_from_tree(Path(side.spec).resolve(), side.src)
        else:
            side.label = source_from_rev(side.spec, side.src)
        say(f"{side.name}: {side.label}")

    unmet = list(dict.fromkeys(unmet_build_requires(old.src) + unmet_build_requires(new.src)))
    build_tools = None
    if unmet:
        build_tools = work / "build-tools"
        say(f"build requirements missing here: {', '.join(unmet)}; "
            + provide_build_tools(unmet, build_tools, args.offline))
    else:
        say("building with this environment's build backend (nothing downloaded)")
    for side in (old, new):
        make_venv(side, build_tools)
    t_build = time.monotonic() - t0
    say(f"built both venvs in {t_build:.1f} s")

    faked = not args.no_faketime and fake_clock_works()
    inputs = work / "inputs"
    inputs.mkdir()
    for name, text in INPUTS.items():
        (inputs / name).write_text(text)

    real_start = datetime.now()
    for side in (old, new):
        say(f"running {len(SCRIPT)} commands with the {side.name} build …")
        run_script(side, inputs, faked)
        say(f"  {side.seconds:.1f} s")

    if faked:
        lo = FAKE_START
        hi = FAKE_START + STEP * len(SCRIPT) + MARGIN
        today = None
    else:
        say("faketime is not available (or --no-faketime): real clock, today's date masked")
        lo, hi = real_start - timedelta(minutes=1), datetime.now() + timedelta(minutes=1)
        today = real_start.date().isoformat()

    def tod(moment: datetime) -> int:
        return moment.hour * 3600 + moment.minute * 60 + moment.second

    window = (tod(lo), tod(hi)) if hi - lo < timedelta(hours=23) else (0, 86399)
    mask = Masker(window, today)
    for side in (old, new):
        mask.add_paths(side.name, [(side.rundir, "<RUN>"), (side.venv, "<VENV>"),
                                   (side.src, "<SRC>"), (work, "<WORK>")])

    report: list[str] = []
    same, summary, shown = compare(old, new, mask, args.show, args.diff_lines, report)
    clock = (f"faketime from {FAKE_START:%Y-%m-%d %H:%M:%S}, +{STEP.seconds} s per command"
             if faked else "real (today's date masked)")
    header = [
        f"old: {old.label}",
        f"new: {new.label}",
        f"clock: {clock}",
        f"time: builds {t_build:.0f} s, runs {old.seconds:.0f} s + {new.seconds:.0f} s, "
        f"total {time.monotonic() - t0:.0f} s",
    ]
    verdict = ("IDENTICAL: no command output and no stored row changed" if same
               else "DIFFERENT: see the differences above")
    first = ["", "first differences:", *shown] if shown else []
    print("\n".join([*header, *summary, *first, "", verdict]))
    if args.keep:
        (work / "report.txt").write_text("\n".join([*header, *summary, "", *report, "", verdict])
                                         + "\n")
        for side in (old, new):
            lines = []
            for n, (cmd, result) in enumerate(zip(SCRIPT, side.results, strict=True)):
                lines.append(f"#{n} [{cmd.kind}] $ stuffctl {shlex.join(cmd.args)}")
                lines += render_result(result, side.name, mask)
                lines.append("")
            (work / f"transcript-{side.name}.txt").write_text("\n".join(lines))
        say(f"full report: {work / 'report.txt'}; masked transcripts: "
            f"{work / 'transcript-old.txt'}, {work / 'transcript-new.txt'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
