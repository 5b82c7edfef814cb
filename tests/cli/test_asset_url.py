"""An asset's web page (`asset.url`): set, shown, changed, searched, exported, imported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_installed

PAGE = "https://www.bosch-home.com/store/sms6zci42e"


def test_add_edit_and_unset_the_web_page(cli):
    made = cli.json("asset", "add", "Dishwasher", "--brand", "Bosch", "--url", PAGE)
    assert made["url"] == PAGE
    ident = str(made["id"])
    assert cli.json("asset", "show", ident)["url"] == PAGE
    shown = cli.ok("asset", "show", ident).stdout
    assert "Web page" in shown and PAGE in shown
    manual = "https://media3.bosch-home.com/Documents/manual.pdf"
    assert cli.json("asset", "edit", ident, "--url", manual)["url"] == manual
    assert cli.json("asset", "edit", ident, "--unset", "url")["url"] is None
    assert "Web page" not in cli.ok("asset", "show", ident).stdout


@pytest.mark.parametrize("bad", ["bosch.com", "ftp://example.org/x", "https://", "notes"])
def test_a_web_page_must_be_a_web_address(cli, bad):
    result = cli("asset", "add", "Kettle", "--url", bad)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"stuffctl: error: --url: expected a web address (https://…) (got {bad!r})"]
    assert cli.json("asset", "list") == []


def test_the_web_page_is_searched_by_find_and_by_asset_list(cli):
    cli.ok("asset", "add", "Dishwasher", "--url", PAGE)
    cli.ok("asset", "add", "Kettle")
    assert [h["title"] for h in cli.json("find", "sms6zci42e")] == ["Dishwasher"]
    assert [a["name"] for a in cli.json("asset", "list", "--search", "bosch-home")] == [
        "Dishwasher"]


@pytest.fixture
def elsewhere(backend, request, monkeypatch, tmp_path):
    """``elsewhere()``: switch to another, empty home (on PostgreSQL, with its own server
    database, as it has its own file on SQLite)."""
    from stuffctl import store

    made = []

    def switch() -> None:
        store.dispose_all()
        monkeypatch.setenv("STUFFCTL_HOME", str(tmp_path / "elsewhere"))
        if backend == "postgres":
            made.append(request.getfixturevalue("postgres_databases").fresh())
            monkeypatch.setenv("STUFFCTL_DB", made[-1].url)

    yield switch
    store.dispose_all()
    for database in made:
        database.drop()


def test_the_web_page_travels_through_export_and_import(cli, tmp_path: Path, elsewhere):
    cli.ok("asset", "add", "Dishwasher", "--url", PAGE)
    out = tmp_path / "home.json"
    cli.ok("export", "--out", str(out))
    (row,) = json.loads(out.read_text())["tables"]["asset"]
    assert row["url"] == PAGE
    elsewhere()
    assert cli.json("asset", "list") == []
    cli.ok("import", str(out))
    assert cli.json("asset", "show", "1")["url"] == PAGE


def test_homebox_url_becomes_the_web_page(cli, tmp_path: Path):
    csv = tmp_path / "hb.csv"
    csv.write_text("HB.import_ref,HB.name,HB.url\nref-1,Monitor,https://dell.com/u2723qe\n"
                   "ref-2,Ladder,\n")
    cli.ok("import", "homebox", str(csv))
    pages = {a["name"]: a["url"] for a in cli.json("asset", "list")}
    assert pages == {"Monitor": "https://dell.com/u2723qe", "Ladder": None}


def test_the_installed_command_keeps_the_web_page(home):
    made = run_installed("asset", "add", "Drill", "--url", "https://makita.de/dhp482",
                         "--json")
    assert made.returncode == 0, made.stderr
    shown = run_installed("asset", "show", str(json.loads(made.stdout)["id"]), "--json")
    assert json.loads(shown.stdout)["url"] == "https://makita.de/dhp482"
