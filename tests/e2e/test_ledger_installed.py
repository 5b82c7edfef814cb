"""The money side as a shell script runs it: piped imports, JSON errors, idempotent posts."""

from __future__ import annotations

import json

import pytest

from tests.banks import asn_csv, save_rules
from tests.conftest import run_installed

pytestmark = pytest.mark.e2e


def test_a_piped_import_is_all_or_nothing_with_a_json_error_line(home):
    save_rules(home)
    bad = asn_csv().replace("-950.00", "-95O.00", 1)
    failed = run_installed("tx", "import", "-", "--rules", "asn", "--json", input=bad)
    lines = failed.stderr.splitlines()
    assert (failed.returncode, failed.stdout, len(lines)) == (2, "", 2)
    assert json.loads(lines[1])["error"]["code"] == "invalid_input"
    assert lines[0].startswith("stuffctl: error: <stdin>:4: column amount: not an amount")
    done = run_installed("tx", "import", "-", "--rules", "asn", "--json", input=asn_csv())
    assert json.loads(done.stdout)["added"] == 37
    assert json.loads(run_installed("tx", "list", "--totals", "--json").stdout)[0]["count"] == 37
