"""A database on read-only storage (issue #19, item 15): reads answer, writes say why not.

The children run without the capabilities that let root ignore file modes (``setpriv``),
so the modes below hold for them as they would for any other user.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.reliability.conftest import child_env, stuffctl_argv

SETPRIV = shutil.which("setpriv")
pytestmark = pytest.mark.skipif(os.geteuid() == 0 and SETPRIV is None,
                                reason="root ignores file modes and setpriv is missing")


def as_a_user(*args: str) -> subprocess.CompletedProcess[str]:
    argv = stuffctl_argv(*args)
    if os.geteuid() == 0:
        assert SETPRIV is not None
        argv = [SETPRIV, "--bounding-set=-dac_override,-dac_read_search", *argv]
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, env=child_env())


@pytest.mark.sqlite_only("makes the SQLite file and its folder read-only; on a server, who "
                         "may write is its roles' (db grant)")
def test_a_read_only_database_is_read_and_a_write_says_it_is_read_only(db: Path) -> None:
    home = db.parent
    db.chmod(0o400)
    home.chmod(0o500)
    try:
        listed = as_a_user("asset", "list", "--json")
        assert listed.returncode == 0, listed.stderr
        assert sorted(a["name"] for a in json.loads(listed.stdout)) == ["Bike", "Drill", "Kettle"]
        assert as_a_user("status", "--json").returncode == 0
        brief = as_a_user("status", "--brief")
        assert (brief.returncode, brief.stderr) == (0, "")
        assert as_a_user("db", "check").returncode == 0
        added = as_a_user("asset", "add", "Lamp")
        assert added.returncode == 1
        assert added.stderr == (f"stuffctl: error: cannot write {db}: the file or its folder "
                                "is read-only\n")
        assert sorted(p.name for p in home.iterdir()) == ["stuffctl.db"]
    finally:
        home.chmod(0o700)
        db.chmod(0o600)
