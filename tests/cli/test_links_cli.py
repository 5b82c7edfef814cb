"""`asset link|links|unlink` and `stuffctl open`: in-process on both backends, and the
installed command opening through a real BROWSER program in a subprocess."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path

import pytest

from tests.cli.test_json_docs import documented_keys
from tests.conftest import run_installed

MANUAL = "https://media3.bosch-home.com/Documents/SMS6ZCI42E.pdf"
PAGE = "https://www.bosch-home.com/store/sms6zci42e"
VIDEO = "https://youtube.com/watch?v=f1"


def recorder(tmp_path: Path) -> tuple[Path, Path]:
    """A small program that appends each argument it is given to a file (and says so on
    stdout, as some browsers do): what the opener was asked to open."""
    record, program = tmp_path / "opened.txt", tmp_path / "record-browser"
    program.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$@\" >> '{record}'\n"
                       "echo 'Opening in existing browser session.'\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return program, record


@pytest.fixture
def dishwasher(cli) -> str:
    """Asset 1 with a web page, a manual and a titled video (links 1 and 2)."""
    cli.ok("asset", "add", "Dishwasher", "--url", PAGE)
    cli.ok("asset", "link", "dish", MANUAL)
    cli.ok("asset", "link", "1", "youtube.com/watch?v=f1", "--title", "Filter cleaning")
    return "1"


def test_link_says_what_it_linked_and_guesses_the_kind(cli):
    cli.ok("asset", "add", "Dishwasher")
    assert cli.ok("asset", "link", "Dishwasher", MANUAL).stdout == (
        f"link 1 (manual) of asset 1: {MANUAL}\n")
    assert cli.ok("asset", "link", "1", "Bosch-Home.com/service", "-k", "support", "--title",
                  "Service").stdout == (
        "link 2 (support) 'Service' of asset 1: https://bosch-home.com/service\n")
    assert cli.ok("asset", "link", "1", "https://bosch-home.com/service").stdout == (
        "link 2 (support) 'Service' of asset 1: https://bosch-home.com/service\n")
    assert [x["id"] for x in cli.json("asset", "links", "1")] == [1, 2]


def test_links_lists_the_links_and_the_web_page(cli, dishwasher):
    assert cli.ok("asset", "links", dishwasher).stdout.splitlines() == [
        "ID  KIND    TITLE            URL",
        f" 1  manual                   {MANUAL}",
        f" 2  video   Filter cleaning  {VIDEO}",
        f"    page                     {PAGE}",
    ]
    listed = cli.json("asset", "links", dishwasher)
    assert [(x["id"], x["kind"], x["url"], x["title"]) for x in listed] == [
        (1, "manual", MANUAL, None), (2, "video", VIDEO, "Filter cleaning"),
        (None, "page", PAGE, None)]
    assert all(documented_keys("link") == set(x) for x in listed)


@pytest.mark.parametrize("fmt", ["json", "ndjson", "csv"])
def test_links_speaks_every_format(cli, dishwasher, fmt):
    out = cli.ok("asset", "links", dishwasher, "--format", fmt).stdout
    rows = (json.loads(out) if fmt == "json" else
            [json.loads(line) for line in out.splitlines()] if fmt == "ndjson" else
            list(csv.DictReader(io.StringIO(out))))
    assert [r["url"] for r in rows] == [MANUAL, VIDEO, PAGE]
    if fmt == "csv":
        assert list(rows[0]) == ["id", "kind", "title", "url", "asset_id", "uid", "created_at"]
        assert (rows[2]["id"], rows[2]["kind"]) == ("", "page")


def test_an_asset_without_links_lists_none(cli):
    cli.ok("asset", "add", "Kettle")
    result = cli.ok("asset", "links", "kettle")
    assert (result.stdout, result.stderr) == ("", "no links\n")
    assert cli.json("asset", "links", "kettle") == []


def test_unlink_removes_one_link_of_that_asset(cli, dishwasher):
    cli.ok("asset", "add", "Kettle")
    wrong = cli("asset", "unlink", "kettle", "1")
    assert (wrong.exit_code, wrong.stderr) == (
        2, "stuffctl: error: link 1 does not belong to asset 2\n")
    gone = cli.json("asset", "unlink", dishwasher, "1")
    assert (gone["id"], gone["url"]) == (1, MANUAL)
    assert documented_keys("link") == set(gone)
    assert cli.ok("asset", "unlink", dishwasher, "2").stdout == (
        f"removed link 2 (video) 'Filter cleaning' of asset 1: {VIDEO}\n")
    missing = cli("asset", "unlink", dishwasher, "2")
    assert (missing.exit_code, missing.stderr) == (3, "stuffctl: error: no link with id 2\n")
    assert [x["kind"] for x in cli.json("asset", "links", dishwasher)] == ["page"]


@pytest.mark.parametrize(("args", "code", "message"), [
    (("asset", "link", "1", "mailto:me@example.com"), 2,
     "mailto: is not a link stuffctl opens; a link is an http://, https:// or file:// URL"),
    (("asset", "link", "1", "notes"), 2,
     "not a web address: 'notes' (expected https://…, a host and path such as "
     "example.com/manual, or file:///…)"),
    (("asset", "link", "1", MANUAL, "--kind", "user guide"), 2,
     "--kind: one word, such as manual, product, support, video (got 'user guide')"),
    (("asset", "link", "9", MANUAL), 3, "no asset with id 9"),
    (("asset", "links", "9"), 3, "no asset with id 9"),
    (("open", "9"), 3, "no asset with id 9"),
])
def test_bad_input_is_one_line_and_changes_nothing(cli, args, code, message):
    cli.ok("asset", "add", "Kettle")
    result = cli(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (
        code, "", f"stuffctl: error: {message}\n")
    assert cli.json("asset", "links", "1") == []


def test_asset_show_has_the_links(cli, dishwasher):
    shown = cli.json("asset", "show", dishwasher)
    assert [(x["id"], x["kind"]) for x in shown["links"]] == [
        (1, "manual"), (2, "video"), (None, "page")]
    view = cli.ok("asset", "show", dishwasher).stdout
    assert view.split("Links\n", 1)[1].splitlines()[:3] == [
        "ID  KIND    TITLE            URL",
        f" 1  manual                   {MANUAL}",
        f" 2  video   Filter cleaning  {VIDEO}"]
    assert f"Web page  {PAGE}" in view


def test_links_are_found_by_find(cli, dishwasher):
    assert {h["kind"] for h in cli.json("find", "Filter cleaning")} == {"link"}


def test_links_travel_through_export_and_import(cli, dishwasher, tmp_path):
    before = cli.json("asset", "links", dishwasher)
    out = tmp_path / "home.json"
    cli.ok("export", "--out", str(out))
    cli.ok("asset", "rm", dishwasher, "--yes")
    assert cli.json("asset", "list") == []
    cli.ok("import", str(out))  # on a server the rows come back with new ids

    def kept(links):
        return [(x["uid"], x["kind"], x["url"], x["title"]) for x in links]

    assert kept(cli.json("asset", "links", "Dishwasher")) == kept(before)


# -- open ------------------------------------------------------------------------------

def test_open_print_picks_the_manual_or_what_is_named(cli, dishwasher):
    assert cli.ok("open", dishwasher, "--print").stdout == f"{MANUAL}\n"
    assert cli.ok("open", "dish", "video", "-p").stdout == f"{VIDEO}\n"
    assert cli.ok("open", "dish", "filter", "-p").stdout == f"{VIDEO}\n"
    assert cli.ok("open", "dish", "page", "-p").stdout == f"{PAGE}\n"
    assert cli.ok("open", "dish", "2", "-p").stdout == f"{VIDEO}\n"


def test_open_print_json_is_the_documented_shape(cli, dishwasher):
    target = cli.json("open", dishwasher, "video", "--print")
    assert target == {"asset_id": 1, "source": "link", "id": 2, "kind": "video",
                      "title": "Filter cleaning", "url": VIDEO, "path": None}
    assert documented_keys("open") == set(target)


def test_open_an_attached_file_by_its_name(cli, dishwasher, tmp_path):
    from stuffctl.store.blobs import blob_path, file_sha256

    receipt = tmp_path / "receipt.pdf"
    receipt.write_bytes(b"%PDF-1.4 receipt")
    cli.ok("asset", "attach", dishwasher, str(receipt))
    stored = blob_path(file_sha256(receipt))
    assert cli.ok("open", dishwasher, "receipt.pdf", "--print").stdout == f"{stored}\n"
    target = cli.json("open", dishwasher, "RECEIPT", "--print")
    assert (target["source"], target["url"], target["path"]) == (
        "file", stored.as_uri(), str(stored))


def test_open_with_nothing_to_open_exits_3(cli):
    cli.ok("asset", "add", "Kettle")
    result = cli("open", "kettle")
    assert (result.exit_code, result.stdout, result.stderr) == (
        3, "", "stuffctl: error: asset 1 (Kettle) has no link or web page to open: add one "
        "with 'stuffctl asset link 1 URL'\n")


def test_open_with_an_ambiguous_what_lists_the_candidates_and_exits_2(cli, dishwasher):
    result = cli("open", dishwasher, "bosch", "--json")
    assert (result.exit_code, result.stdout) == (2, "")
    line, error = result.stderr.splitlines()
    assert line == (
        f"stuffctl: error: 2 links and files of asset 1 (Dishwasher) match 'bosch': link 1 "
        f"(manual) {MANUAL}; the web page {PAGE}; give the link id, or more of its title, "
        "URL or file name")
    assert json.loads(error)["error"]["code"] == "invalid_input"
    nothing = cli("open", dishwasher, "warranty")
    assert (nothing.exit_code, nothing.stdout) == (3, "")


def test_open_runs_open_command_with_the_url(cli, dishwasher, tmp_path, capfd):
    program, record = recorder(tmp_path)
    cli.ok("config", "set", "open.command", json.dumps([str(program), "--new-tab"]))
    result = cli.ok("open", dishwasher)
    assert (result.stdout, result.stderr) == ("", f"opening manual {MANUAL}\n")
    opened = cli.json("open", dishwasher, "filter")
    assert (opened["id"], opened["url"]) == (2, VIDEO)
    assert record.read_text().splitlines() == ["--new-tab", MANUAL, "--new-tab", VIDEO]
    # what the program printed went to stderr: stdout holds only the JSON
    assert "Opening in existing browser session." in capfd.readouterr().err


def test_open_print_does_not_open(cli, dishwasher, tmp_path):
    program, record = recorder(tmp_path)
    cli.ok("config", "set", "open.command", str(program))
    cli.ok("open", dishwasher, "--print")
    assert not record.exists()


def test_a_failing_open_command_exits_1(cli, dishwasher, tmp_path):
    cli.ok("config", "set", "open.command", "false")
    result = cli("open", dishwasher)
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        1, f"stuffctl: error: open.command 'false' exited 1 opening {MANUAL}")


# -- the installed command, with a real browser program --------------------------------

@pytest.mark.e2e
def test_the_installed_open_runs_the_browser_program_in_browser(cli, dishwasher, tmp_path):
    program, record = recorder(tmp_path)
    receipt = tmp_path / "receipt.pdf"
    receipt.write_bytes(b"%PDF-1.4 receipt")
    cli.ok("asset", "attach", dishwasher, str(receipt))
    env = dict(os.environ, BROWSER=str(program))
    for what in ([], ["filter"], ["receipt"]):
        done = run_installed("open", dishwasher, *what, env=env)
        assert (done.returncode, done.stdout) == (0, ""), done.stderr
    from stuffctl.store.blobs import blob_path, file_sha256

    assert record.read_text().splitlines() == [
        MANUAL, VIDEO, blob_path(file_sha256(receipt)).as_uri()]
    shown = run_installed("open", dishwasher, "page", "--json", env=env)
    assert json.loads(shown.stdout)["url"] == PAGE
    assert record.read_text().splitlines()[-1] == PAGE


@pytest.mark.e2e
def test_the_installed_open_exit_codes(cli, dishwasher, tmp_path):
    program, record = recorder(tmp_path)
    env = dict(os.environ, BROWSER=str(program))
    ambiguous = run_installed("open", dishwasher, "bosch", env=env)
    nothing = run_installed("open", dishwasher, "warranty", env=env)
    printed = run_installed("open", dishwasher, "--print", env=env)
    assert (ambiguous.returncode, nothing.returncode, printed.returncode) == (2, 3, 0)
    assert printed.stdout == f"{MANUAL}\n"
    assert not record.exists()  # nothing was opened
