"""The asset commands as a person and a script use them."""

from __future__ import annotations

import pytest

from stuffctl import paths
from tests.conftest import sql_one


def add_five(cli):
    cli.ok("asset", "add", "Dishwasher", "--category", "home:kitchen", "--bought", "2025-03-01",
           "--price", "499 EUR", "--warranty", "2y", "--brand", "Bosch", "--tag", "appliance")
    cli.ok("asset", "add", "Road bike", "--category", "sport", "--location", "Shed",
           "--price", "€1,250.00", "--serial", "WTU-1", "--field", "frame=56cm")
    cli.ok("asset", "add", "Laptop", "--category", "tech", "--bought", "2024-06-15",
           "--price", "1899.99", "--warranty", "2026-06-15", "--life", "4y", "--tag", "work")
    cli.ok("asset", "add", "Ladder", "--category", "tools", "--location", "Garage",
           "--notes", "3 m aluminium")
    cli.ok("asset", "add", "Kettle", "--category", "home:kitchen", "--price", "¥3000",
           "--vendor", "Muji")


def test_list_json_is_an_array_of_asset_shapes(cli):
    add_five(cli)
    data = cli.json("asset", "list")
    assert [a["name"] for a in data] == ["Dishwasher", "Kettle", "Ladder", "Laptop", "Road bike"]
    dishwasher = data[0]
    assert dishwasher["price"] == {"amount": "499.00", "currency": "EUR"}
    assert dishwasher["warranty_until"] == "2027-03-01"
    assert data[1]["price"] == {"amount": "3000", "currency": "JPY"}
    assert data[3]["life_months"] == 48


@pytest.mark.parametrize(("args", "expected"), [
    (["--category", "home"], ["Dishwasher", "Kettle"]),
    (["--tag", "work"], ["Laptop"]),
    (["--warranty-before", "2027-01-01"], ["Laptop"]),
    (["--search", "aluminium"], ["Ladder"]),
    (["--sort", "price", "--desc", "--limit", "2"], ["Laptop", "Road bike"]),
    (["--sort", "bought", "--limit", "1"], ["Laptop"]),
])
def test_list_filters_and_sorts(cli, args, expected):
    add_five(cli)
    assert [a["name"] for a in cli.json("asset", "list", *args)] == expected


def test_list_as_table_ndjson_and_csv(cli):
    add_five(cli)
    table = cli.ok("asset", "list", "--category", "tech").stdout
    assert "Laptop" in table and "1899.99 EUR" in table and "NAME" in table
    nd = cli.ok("asset", "list", "--format", "ndjson").stdout.splitlines()
    assert len(nd) == 5 and nd[0].startswith("{")
    csv_lines = cli.ok("asset", "list", "--format", "csv", "--tag", "work").stdout.splitlines()
    assert csv_lines[0].startswith("id,name,category")
    assert "Laptop" in csv_lines[1]


def test_an_empty_list_says_so_on_stderr_and_json_is_an_empty_array(cli):
    result = cli.ok("asset", "list")
    assert result.stdout == ""
    assert "no assets" in result.stderr
    assert cli.json("asset", "list") == []


def test_log_attach_show_edit_retire_remove(cli, tmp_path):
    add_five(cli)
    event = cli.json("asset", "log", "1", "--kind", "service", "--on", "2026-10-01",
                     "--cost", "89.90", "--notes", "descaled")
    assert event["cost"] == {"amount": "89.90", "currency": "EUR"}
    receipt = tmp_path / "receipt.pdf"
    receipt.write_bytes(b"%PDF-1.4 receipt")
    files = cli.json("asset", "attach", "1", str(receipt))
    assert files[0]["filename"] == "receipt.pdf"
    stored = paths.attachments_dir() / files[0]["sha256"][:2] / files[0]["sha256"]
    assert stored.read_bytes() == b"%PDF-1.4 receipt"
    assert stored.stat().st_mode & 0o777 == 0o600

    shown = cli.json("asset", "show", "1")
    assert shown["log"][0]["notes"] == "descaled"
    assert shown["attachments"][0]["size"] == 16
    assert shown["totals"][0]["total"] == "588.90"
    human = cli.ok("asset", "show", "1").stdout
    assert "Dishwasher" in human and "descaled" in human and "receipt.pdf" in human

    edited = cli.json("asset", "edit", "1", "--location", "Kitchen", "--untag", "appliance",
                      "--unset", "brand", "--field", "energy=A")
    assert (edited["location"], edited["tags"], edited["brand"], edited["fields"]) == (
        "Kitchen", [], None, {"energy": "A"})
    retired = cli.json("asset", "retire", "2", "--sold-for", "600")
    assert retired["status"] == "sold" and retired["sold_for"]["amount"] == "600.00"
    cli.ok("asset", "rm", "1", "--yes")
    assert cli("asset", "show", "1").exit_code == 3
    assert [f for f in cli.json("asset", "list") if f["id"] == 1] == []


def test_rm_asks_and_declining_changes_nothing(cli):
    add_five(cli)
    result = cli("asset", "rm", "4", input="n\n")
    assert result.exit_code == 1
    assert len(cli.json("asset", "list")) == 5
    cli.ok("asset", "rm", "4", input="y\n")
    assert len(cli.json("asset", "list")) == 4


def test_detach_removes_the_stored_copy_when_unused(cli, tmp_path):
    add_five(cli)
    f = tmp_path / "manual.txt"
    f.write_text("manual")
    att = cli.json("asset", "attach", "3", str(f))[0]
    cli.ok("asset", "detach", "3", str(att["id"]))
    assert cli.json("asset", "files", "3") == []
    assert not (paths.attachments_dir() / att["sha256"][:2] / att["sha256"]).exists()


def rows_in_db() -> int:
    return int(sql_one("SELECT count(*) FROM asset"))


@pytest.mark.parametrize(("args", "code", "needle"), [
    (["asset", "show", "99"], 3, "no asset with id 99"),
    (["asset", "edit", "99", "--name", "x"], 3, "no asset with id 99"),
    (["asset", "log", "99", "--kind", "service"], 3, "no asset with id 99"),
    (["asset", "add", "X", "--price", "abc"], 2, "--price"),
    (["asset", "add", "X", "--bought", "2026-13-45"], 2, "--bought"),
    (["asset", "add", "X", "--warranty", "sometime"], 2, "--warranty"),
    (["asset", "add", "X", "--field", "novalue"], 2, "--field"),
    (["asset", "add", "X", "--parent", "77"], 3, "--parent: no asset with id 77"),
    (["asset", "list", "--sort", "colour"], 2, "--sort"),
    (["asset", "attach", "1", "/nonexistent/receipt.pdf"], 2, "does not exist"),
    (["asset", "add"], 2, "Missing argument"),
    (["asset", "frobnicate"], 2, "No such command"),
    (["asset", "list", "--json", "--format", "csv"], 2, "contradict"),
])
def test_bad_input_is_one_line_with_the_documented_code_and_writes_nothing(cli, args, code,
                                                                            needle):
    cli.ok("asset", "add", "Existing")
    result = cli(*args)
    assert result.exit_code == code
    assert result.stdout == ""
    lines = [ln for ln in result.stderr.splitlines() if not ln.startswith("{")]
    assert len(lines) == 1, result.stderr
    assert needle in lines[0]
    assert "Traceback" not in result.stderr
    assert rows_in_db() == 1


def test_json_errors_add_a_json_line_on_stderr(cli):
    result = cli("asset", "show", "5", "--json")
    assert result.exit_code == 3 and result.stdout == ""
    human, machine = result.stderr.strip().splitlines()
    assert human == "stuffctl: error: no asset with id 5"
    assert machine == '{"error": {"code": "not_found", "message": "no asset with id 5"}}'


def test_markup_and_escape_sequences_are_stored_exactly_and_shown_harmlessly(cli):
    name = "[bold red]Boom[/] \x1b[31mred\x07 $(rm -rf ~)"
    created = cli.json("asset", "add", name)
    assert created["name"] == name
    table = cli.ok("asset", "list").stdout
    assert "[bold red]Boom[/]" in table and "\\x1b[31mred\\x07" in table
    assert "\x1b" not in table and "\x07" not in table


@pytest.mark.parametrize("args", [["asset", "attach", "1", "a\x00b"],
                                  ["tx", "import", "bank\x00.csv"]])
def test_a_nul_in_a_file_name_is_bad_input(cli, args):
    cli.ok("asset", "add", "Existing")
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "nul" in result.stderr.lower()
