"""docs/json.md documents, under each shape's heading, exactly the keys the command prints."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

JSON_MD = Path(__file__).resolve().parents[2] / "docs" / "json.md"


def sections() -> dict[str, str]:
    """``## heading`` → the text below it, up to the next heading."""
    parts = re.split(r"^## (.+)$", JSON_MD.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def documented_keys(heading: str) -> set[str]:
    """The keys named in the first column of the key tables under ``heading``."""
    keys: set[str] = set()
    for line in sections()[heading].splitlines():
        cell = line.split("|")[1] if line.startswith("| `") else ""
        keys.update(re.findall(r"`([^`]+)`", cell))
    return keys


def test_every_heading_is_documented_once_and_none_is_empty():
    parts = re.findall(r"^## (.+)$", JSON_MD.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert len(parts) == len(set(parts))
    assert [h for h, body in sections().items() if not body.strip()] == []


def test_person_keys_are_documented_under_person(cli):
    person = cli.json("person", "add", "Anna")
    assert documented_keys("person") == set(person)


def test_sub_keys_are_documented_under_sub(cli):
    sub = cli.json("sub", "add", "Gym", "30", "--every", "monthly", "--next", "today")
    assert documented_keys("sub") == set(sub)


def test_db_check_findings_are_documented_under_db_check(cli):
    cli.ok("asset", "add", "Ladder")
    data = cli.json("db", "check")
    findings = {f"findings[].{k}" for k in data["findings"][0]}
    assert documented_keys("db check") == set(data) | findings


@pytest.mark.parametrize("heading", ["remind cron", "loan", "bench goal"])
def test_a_shape_has_no_other_shapes_keys(heading):
    assert not documented_keys(heading) & {"email", "findings[].check", "every", "next_on"}


def test_undo_step_keys_are_documented(cli):
    cli.ok("tx", "add", "-3", "Kiosk")
    (step,) = cli.json("undo", "--list")
    assert documented_keys("undo step") == set(step)
    assert set(step["changes"][0]) == {"action", "table", "count", "what"}
