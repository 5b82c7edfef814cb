"""The exit-code contract is one enum, fully documented."""

from __future__ import annotations

from pathlib import Path

from stuffctl.errors import ExitCode, RemindStatus

DOC = Path(__file__).parent.parent / "docs" / "exit-codes.md"


def test_every_exit_code_is_documented():
    text = DOC.read_text()
    for member in ExitCode:
        assert f"| {member.value} | `{member.name}` |" in text, member


def test_every_remind_status_is_documented_apart_from_the_error_codes():
    text = DOC.read_text()
    errors = {m.value for m in ExitCode}
    for member in RemindStatus:
        assert f"| {member.value} | `{member.name}` |" in text, member
        assert member.value == 0 or member.value not in errors
