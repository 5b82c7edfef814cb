"""`remind run` as cron runs it: a real process, a bare environment, two at once."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from stuffctl import store
from tests.conftest import run_installed, stuffctl_exe

pytestmark = pytest.mark.e2e


def _bare_env(home: Path) -> dict[str, str]:
    """What cron gives: HOME, a minimal PATH, no TERM, no TTY; plus STUFFCTL_HOME.

    PYTHONPATH is passed on only when set: running from a source tree needs it. So is a
    clock moved by libfaketime (.ci/each-month): it is the machine's time, which cron has too.
    So is STUFFCTL_DB, naming the test's server database (as a crontab line would).
    """
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "STUFFCTL_HOME": str(home)}
    for name in ("PYTHONPATH", "LD_PRELOAD", "FAKETIME", "FAKETIME_START_AFTER_SECONDS",
                 "FAKETIME_SHARED", "FAKETIME_DONT_RESET", "DONT_FAKE_MONOTONIC", "TZ",
                 "STUFFCTL_DB"):
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def _cron_run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    exe = stuffctl_exe()
    return subprocess.run(["env", "-i", *(f"{k}={v}" for k, v in _bare_env(home).items()),
                           *exe, "remind", "run", *args], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=60)


def test_remind_run_under_env_i_is_quiet_then_plain_text(home):
    assert run_installed("remind", "add", "Later", "--on", "+30d").returncode == 0
    quiet = _cron_run(home)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
    assert run_installed("remind", "add", "Call the plumber", "--on", "today").returncode == 0
    loud = _cron_run(home)  # the write dropped the fast path's cached time
    assert loud.returncode == 0, loud.stderr
    assert "Call the plumber" in loud.stdout and "\x1b" not in loud.stdout
    assert loud.stdout.startswith("DUE ")
    assert _cron_run(home).stdout == ""


def test_two_runs_started_together_notify_each_occurrence_once(home):
    for n in range(2):
        assert run_installed("remind", "add", f"Thing {n}", "--on", "today").returncode == 0
    conn_args = [f"Item {n}" for n in range(60)]
    today = date.today().isoformat()
    with store.transaction(write=True) as db:
        db.executemany(
            "INSERT INTO reminder (uid, created_at, updated_at, title, kind, start_on, due_on, "
            "from_done, state) VALUES (?, '2026-01-01', '2026-01-01', ?, 'reminder', ?, ?, 0, "
            "'open')", [(f"u-{t}", t, today, today) for t in conn_args])
    env = dict(os.environ)
    procs = [subprocess.Popen([*stuffctl_exe(), "remind", "run", "--json"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [e for _, e in outs]
    seen = [row["title"] for out, _ in outs for row in json.loads(out)]
    assert sorted(seen) == sorted([*conn_args, "Thing 0", "Thing 1"])


def test_the_printed_crontab_line_runs_with_the_homes_config(tmp_path, monkeypatch):
    home = tmp_path / "my home"
    monkeypatch.setenv("STUFFCTL_HOME", str(home))
    out, script = tmp_path / "notified", tmp_path / "notify.sh"
    script.write_text(f'#!/bin/sh\nprintf "%s" "$1" > "{out}"\n')
    script.chmod(0o755)
    assert run_installed("config", "set", "notify.command", f'["{script}"]').returncode == 0
    assert run_installed("remind", "add", "Call the plumber", "--on", "today").returncode == 0
    line = json.loads(run_installed("remind", "cron", "--json").stdout)["crontab"]
    command = line.split(" ", 5)[5].replace("\\%", "%")  # as cron hands it to sh
    env = {k: v for k, v in _bare_env(tmp_path).items()  # the line names them both
           if k not in ("STUFFCTL_HOME", "STUFFCTL_DB")}
    done = subprocess.run(["env", "-i", *(f"{k}={v}" for k, v in env.items()), "sh", "-c",
                           command], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=60)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("DUE ") and "Call the plumber" in done.stdout
    assert out.read_text() == "stuffctl: Call the plumber"


@pytest.mark.postgres_only
def test_a_server_database_is_never_answered_from_a_quiet_time_cached_in_the_homes_file(
        home, monkeypatch):
    """The home's own file (from before the household moved to a server) says nothing is
    due for a month: with the server named, what is due on the server is notified."""
    url = os.environ["STUFFCTL_DB"]
    home.mkdir()
    old = str(home / "stuffctl.db")
    assert run_installed("--db", old, "remind", "add", "Later", "--on", "+30d").returncode == 0
    assert run_installed("--db", old, "remind", "run").stdout == ""  # caches its quiet time
    names = [("STUFFCTL_DB", ()), ("--db", ("--db", url)), ("db_url", ())]
    for n, (how, option) in enumerate(names):
        title = f"Due on the server {n}"
        assert run_installed("remind", "add", title, "--on", "today", env={
            **os.environ, "STUFFCTL_DB": url}).returncode == 0
        if how == "--db":
            monkeypatch.delenv("STUFFCTL_DB")
        if how == "db_url":
            (home / "config.toml").write_text(f'db_url = "{url}"\n')
        done = run_installed(*option, "remind", "run")
        assert (done.returncode, title in done.stdout) == (0, True), (how, done)


def test_an_empty_run_loads_neither_typer_nor_the_orm(home):
    assert run_installed("remind", "run").returncode == 0  # computes and caches
    code = ("import sys\nfrom stuffctl.entry import main\n"
            "rc = main(['remind', 'run', '--quiet-hours'])\n"
            "heavy = [m for m in ('typer', 'rich', 'sqlmodel', 'sqlalchemy') "
            "if m in sys.modules]\nsys.stderr.write(repr((rc, heavy)))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stderr == "(0, [])"


def test_the_ics_file_imports_into_calcurse(home, tmp_path):
    if shutil.which("calcurse") is None:
        pytest.skip("calcurse is not installed (apt-get install calcurse)")
    run_installed("remind", "add", "Pills", "--on", "tomorrow 08:30", "--every", "daily")
    run_installed("remind", "add", "Renew passport", "--on", "+20d")
    ics = tmp_path / "r.ics"
    assert run_installed("remind", "ics", "--out", str(ics)).returncode == 0
    data = tmp_path / "calcurse"
    data.mkdir()
    done = subprocess.run(["calcurse", "-D", str(data), "-i", str(ics)], capture_output=True,
                          text=True, timeout=60, stdin=subprocess.DEVNULL,
                          env={**os.environ, "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    apts = (data / "apts").read_text()
    assert "Pills" in apts and "Renew passport" in apts
    assert "{1D}" in apts  # the daily reminder stayed one recurring appointment
