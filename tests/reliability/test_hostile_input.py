"""Hostile text is stored exactly, shown harmlessly, kept raw in JSON; no path escapes."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

import stuffctl
from stuffctl import render
from stuffctl.errors import InvalidInput
from stuffctl.store import blobs
from tests.conftest import sql_write
from tests.reliability.commands import IMPORT_PATH_COMMANDS

HOSTILE = [
    "[bold]x[/]",
    "[link=file:///etc/passwd]click[/link]",
    "\x1b[2J\x1b[31mred",
    "bell\x07 and \x9b31m C1",
    "$(rm -rf ~)",
    "`touch pwned`; ls",
    "; ls | cat > /tmp/x && echo",
    "abc\u202edcba\u2066isolated\u2069",
    "tab\tnew\nline\rreturn",
    "%s %n {0} {name!r}",
    "'\"; DROP TABLE asset; --",
    "naïve 東京 🚲 \u200b zero-width",
]
# What must never reach a terminal raw: C0/C1 controls (but tab and newline), bidi controls.
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_names_are_stored_exactly_and_kept_raw_in_json(cli, text):
    added = cli.json("asset", "add", text, "--notes", text, "--tag", text,
                     "--field", f"k={text}")
    shown = cli.json("asset", "show", str(added["id"]))
    assert (shown["name"], shown["notes"], shown["tags"]) == (text, text, [text])
    assert shown["fields"] == {"k": text}
    listed = cli.ok("asset", "list", "--format", "ndjson").stdout
    assert json.loads(listed)["name"] == text


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_names_are_shown_harmlessly_on_a_terminal(cli, text, tmp_path, monkeypatch):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    cli.ok("asset", "add", text, "--notes", text, "--category", text)
    outputs = [cli.ok("asset", "add", text).stdout, cli.ok("asset", "list").stdout,
               cli.ok("asset", "show", "1").stdout]  # (CSV, like JSON, is data: kept raw)
    for out in outputs:
        assert not RAW_CONTROL.search(out.replace("\r\n", "\n")), out
    assert render.safe(text.split("\n")[0]) in outputs[0]
    assert list(cwd.iterdir()) == []  # nothing ran: no `pwned`


def test_hostile_text_in_errors_is_escaped(cli):
    result = cli("asset", "add", "x", "--bought", "\x1b[2J\u202etomorrow")
    assert result.exit_code == 2
    assert not RAW_CONTROL.search(result.stderr)
    assert "\\x1b[2J\\u202e" in result.stderr


def test_safe_escapes_controls_and_bidi_overrides_but_keeps_text():
    assert render.safe("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert render.safe("\x07\x9b\x7f") == "\\x07\\x9b\\x7f"
    assert render.safe("abc\u202edcba\u2066\u2069") == "abc\\u202edcba\\u2066\\u2069"
    assert render.safe("tab\tnewline\n naïve 東京 [bold]") == "tab\tnewline\n naïve 東京 [bold]"


@pytest.mark.parametrize("bad", ["../../etc/passwd", "/etc/passwd", "..", "",
                                 "A" * 64, "0" * 63, "0" * 62 + "/x", "0" * 65])
def test_a_blob_path_is_only_ever_made_from_a_content_hash(bad):
    with pytest.raises(InvalidInput):
        blobs.blob_path(bad)


def test_an_attachment_name_never_becomes_a_path(cli, home, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    src = tmp_path / "src"
    src.mkdir()
    names = ["$(touch pwned); ls.pdf", "..", "-rf", "\x1b[2J.txt", "..%2f..%2fetc%2fpasswd"]
    files = []
    for i, name in enumerate(n for n in names if n != ".."):
        (src / name).write_bytes(f"receipt {i}".encode())
        files.append(str(src / name))
    cli.ok("asset", "add", "Dishwasher")
    attached = cli.ok("asset", "attach", "--json", "1", "--", *files).json()
    assert [a["filename"] for a in attached] == [n for n in names if n != ".."]
    stored = sorted(p.relative_to(home) for p in home.rglob("*") if p.is_file())
    blobs_made = [p for p in stored if p.parts[0] == "attachments"]
    assert len(blobs_made) == 4
    assert all(re.fullmatch(r"[0-9a-f]{64}", p.name) for p in blobs_made)
    assert sorted(tmp_path.iterdir()) == [home.parent / "home", src]


def test_a_tampered_attachment_hash_cannot_delete_outside_the_data_directory(cli, home, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    receipt = tmp_path / "r.pdf"
    receipt.write_text("receipt")
    cli.ok("asset", "add", "Dishwasher")
    cli.ok("asset", "attach", "1", str(receipt))
    sql_write("UPDATE attachment SET sha256 = ?, filename = ?",
              ("../../victim.txt", "../../../etc/passwd"))
    cli.ok("asset", "detach", "1", "1")
    assert victim.read_text() == "precious"


@pytest.mark.parametrize("entry", IMPORT_PATH_COMMANDS)
def test_an_import_cannot_make_stuffctl_write_outside_the_data_directory(cli, tmp_path, entry):
    """Each entry: (args with {src}, make_input(path, victim), refusal); the input tries to
    reach ``victim`` (an attachment path like ../../victim). The import is refused for it."""
    args, make_input, refusal = entry
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    src = tmp_path / "hostile-import"
    make_input(src, victim)
    outside = sorted(p for p in tmp_path.rglob("*") if "home" not in p.parts)
    result = cli(*[a.format(src=src) for a in args])
    assert result.exit_code == 2
    assert refusal in result.stderr
    assert victim.read_text() == "precious"
    assert sorted(p for p in tmp_path.rglob("*") if "home" not in p.parts) == outside


SHELL_CALLS = {"system", "popen", "getoutput", "getstatusoutput", "spawnl", "spawnlp",
               "execl", "execlp"}


def test_nothing_in_stuffctl_runs_through_a_shell():
    found = []
    for path in Path(stuffctl.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            falsy = isinstance(node, ast.keyword) and isinstance(node.value, ast.Constant) \
                and node.value.value is False
            if isinstance(node, ast.keyword) and node.arg == "shell" and not falsy:
                found.append(f"{path.name}:{node.lineno} shell=")
            if isinstance(node, ast.Attribute) and node.attr in SHELL_CALLS:
                found.append(f"{path.name}:{node.lineno} {node.attr}")
    assert found == []


@pytest.mark.parametrize("args", [("asset", "show", "9223372036854775808"),
                                  ("asset", "list", "--limit", str(2**70))])
def test_a_number_too_large_for_sqlite_is_bad_input_not_a_crash(cli, args):
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stderr == f"stuffctl: error: a number is too large (at most {2**63 - 1})\n"


@pytest.mark.parametrize("args", [
    ["remind", "skip", "¹"], ["remind", "done", "²"], ["person", "show", "³"],
    ["project", "show", "٣"], ["task", "list", "--assignee", "¹"],
])
def test_digits_of_other_scripts_are_not_ids(cli, args):
    """``'¹'.isdigit()`` is true and ``int('¹')`` fails: an id is ASCII digits; anything
    else is read as a name (or refused), never a crash."""
    result = cli(*args)
    assert result.exit_code in (2, 3), result.stderr
    assert "unexpected" not in result.stderr and result.stderr.count("\n") == 1
