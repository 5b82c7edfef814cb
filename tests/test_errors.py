"""The exit-code contract is one enum, fully documented."""

from __future__ import annotations

from pathlib import Path

from stuffctl.errors import ExitCode

DOC = Path(__file__).parent.parent / "docs" / "exit-codes.md"


def test_every_exit_code_is_documented():
    text = DOC.read_text()
    for member in ExitCode:
        assert f"| {member.value} | `{member.name}` |" in text, member
