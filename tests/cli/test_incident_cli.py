"""Incidents and playbooks from the command line: something breaks, what fixed it last
time is offered, steps and costs are recorded, the fix is kept as a playbook, and a
share bundle carries playbooks to another home."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from tests.cli.test_data_cli import in_home  # noqa: F401  (a fixture: two homes)
from tests.cli.test_json_docs import documented_keys
from tests.conftest import sql_one
from tests.frozen_clock import frozen

NOW = datetime(2026, 3, 20, 9, 0)


def dishwasher(cli, name="Dishwasher", brand="Bosch", model="SMS4HVI33E"):
    return cli.json("asset", "add", name, "--brand", brand, "--model", model,
                    "--category", "home:kitchen")["id"]


def drain_playbook(cli):
    return cli.json("playbook", "add", "--symptom", "won't drain, water stays",
                    "--cause", "clogged filter", "--fix", "cleaned the filter",
                    "--steps", "checked the filter", "--steps", "ran the drain program",
                    "--brand", "bosch", "--model", "sms4hvi33e")


def test_an_incident_from_symptom_to_playbook(cli, tmp_path):
    asset = dishwasher(cli)
    drain_playbook(cli)
    cli.ok("playbook", "add", "--symptom", "door won't close", "--fix", "new latch",
           "--category", "home")
    with frozen(NOW):
        opened = cli.ok("asset", "incident", "Dish", "water won't drain", "--on",
                        "2026-03-01", "--out-of-use").stdout
        assert opened == (
            "opened incident 1 on asset 1 (Dishwasher): water won't drain (out of use)\n"
            "\n"
            "Seen before: 1 playbook for this model\n"
            "\n"
            "playbook 1: won't drain, water stays (bosch sms4hvi33e, same model; shares "
            "water, drain)\n"
            "Cause  clogged filter\n"
            "Fix    cleaned the filter\n"
            "Steps\n"
            "  1. checked the filter\n"
            "  2. ran the drain program\n")
        cli.ok("incident", "update", "1", "--step", "checked the filter", "--no-help",
               "--on", "2026-03-02")
        cli.ok("incident", "update", "drain", "--status", "waiting", "--cost", "45",
               "--payee", "Repair Joe", "--on", "2026-03-03", "--link",
               "https://example.com/forum/e24")
        bill = cli.json("tx", "add", "-12.50", "Parts shop", "--on", "2026-03-04")["id"]
        cli.ok("incident", "update", "1", "--txn", str(bill), "--step", "new pump",
               "--helped", "--on", "2026-03-04")
        photo = tmp_path / "error.jpg"
        photo.write_bytes(b"E24")
        attached = cli.ok("incident", "attach", "1", str(photo)).stdout
        assert attached == "attached error.jpg to incident 1 as file 1\n"
        shown = cli.json("incident", "show", "1")
        closed = cli.json("incident", "close", "1", "--cause", "worn pump", "--fix",
                          "new drain pump", "--on", "2026-03-05", "--playbook")
    assert (shown["status"], shown["downtime_days"], shown["cost"]) == (
        "waiting", 19, [{"amount": "57.50", "currency": "EUR"}])
    assert [(s["notes"], s["helped"]) for s in shown["steps"]] == [
        ("checked the filter", False), ("new pump", True)]
    assert [(t["payee"], t["asset_id"]) for t in shown["transactions"]] == [
        ("Repair Joe", asset), ("Parts shop", asset)]
    assert [a["filename"] for a in shown["attachments"]] == ["error.jpg"]
    assert [link["url"] for link in shown["links"]] == ["https://example.com/forum/e24"]
    assert [p["id"] for p in shown["playbooks"]] == [1]
    assert (closed["status"], closed["closed_on"], closed["downtime_days"]) == (
        "fixed", "2026-03-05", 4)
    assert closed["saved_playbook"]["steps"] == ["checked the filter (did not help)",
                                                 "new pump (helped)"]
    assert cli.json("playbook", "match", "1", "drain")[1]["id"] == closed["saved_playbook"]["id"]
    assert cli.json("asset", "show", "1")["incidents"] == {
        "open": [], "closed": 1, "repair_cost": [{"amount": "57.50", "currency": "EUR"}]}


def test_the_list_in_every_format(cli):
    dishwasher(cli)
    with frozen(NOW):
        cli.ok("asset", "incident", "1", "won't drain", "--on", "2026-03-01", "--out-of-use")
        cli.ok("asset", "incident", "1", "beeps", "--on", "2026-03-10")
        cli.ok("incident", "update", "2", "--cost", "9.90")
        cli.ok("incident", "close", "2", "--fix", "reset")
        table = cli.ok("incident", "list", "--status", "all").stdout
        assert table == (
            "ID  ASSET       SYMPTOM      STARTED     STATUS  DOWN      COST  CLOSED\n"
            " 2  Dishwasher  beeps        2026-03-10  fixed         9.90 EUR  2026-03-20\n"
            " 1  Dishwasher  won't drain  2026-03-01  open     19d\n")
        assert [i["id"] for i in cli.json("incident", "list")] == [1]
        assert [i["id"] for i in cli.json("incident", "list", "--open")] == [1]
        assert [i["id"] for i in cli.json("incident", "list", "--asset", "Dish",
                                          "--status", "fixed")] == [2]
        lines = cli.ok("incident", "list", "--status", "all", "-f", "csv").stdout.splitlines()
        nd = cli.ok("incident", "list", "--format", "ndjson").stdout.splitlines()
    assert lines[0] == ("id,uid,asset_id,asset_name,symptom,started_on,status,closed_on,"
                        "cause,fix,notes,out_of_use,downtime_days,cost")
    assert lines[1].endswith(",beeps,2026-03-10,fixed,2026-03-20,,reset,,False,0,9.90 EUR")
    assert [json.loads(line)["id"] for line in nd] == [1]
    empty = cli.ok("incident", "list", "--status", "wont_fix")
    assert (empty.stdout, empty.stderr) == ("", "no incidents\n")


@pytest.mark.parametrize(("args", "code", "message"), [
    (["incident", "close", "1"], 2, "closing as fixed needs --fix: what fixed it (or close "
                                    "it with --wont-fix)"),
    (["incident", "show", "9"], 3, "no incident with id 9"),
    (["incident", "update", "1", "--downtime", "2m"], 2, "--downtime: give days or weeks "
                                                         "(3d, 2w), or auto (got '2m')"),
    (["incident", "update", "1", "--status", "fixed"], 2, "--status: close it with "
                                                          "'stuffctl incident close 1'"),
    (["incident", "list", "--open", "--status", "all"], 2, "--open and --status contradict "
                                                           "each other"),
    (["incident", "list", "--status", "broken"], 2, "--status: expected open, waiting, "
                                                    "fixed, wont_fix or all (got 'broken')"),
    (["asset", "incident", "1", " "], 2, "SYMPTOM: what is wrong cannot be empty"),
    (["incident", "update", "1", "--cost", "abc"], 2, "--cost: "),
    (["playbook", "add", "--symptom", "x", "--fix", "y"], 2, "a playbook is kept for a model"),
    (["playbook", "show", "7"], 3, "no playbook with id 7"),
])
def test_bad_input_is_one_line_and_the_exit_code(cli, args, code, message):
    dishwasher(cli)
    cli.ok("asset", "incident", "1", "won't drain")
    result = cli(*args)
    assert result.exit_code == code
    assert result.stderr.startswith(f"stuffctl: error: {message}")
    assert len(result.stderr.splitlines()) == 1 and result.stdout == ""


def test_downtime_given_and_counted_again(cli):
    dishwasher(cli)
    with frozen(NOW):
        cli.ok("asset", "incident", "1", "won't drain", "--on", "2026-03-01", "--out-of-use")
        assert cli.json("incident", "update", "1", "--downtime", "2w")["downtime_days"] == 14
        assert cli.json("incident", "update", "1", "--downtime", "3")["downtime_days"] == 3
        back = cli.json("incident", "update", "1", "--downtime", "auto")
        assert (back["downtime_days"], back["downtime_given"]) == (19, False)
        assert cli.json("incident", "update", "1", "--in-use")["downtime_days"] == 0


def test_rm_asks_and_yes_removes(cli):
    dishwasher(cli)
    cli.ok("asset", "incident", "1", "won't drain")
    kept = cli("incident", "rm", "1", input="n\n")
    assert kept.exit_code == 1 and sql_one("SELECT count(*) FROM incident") == 1
    assert "Remove incident 1 (Dishwasher: won't drain)?" in kept.stderr
    removed = cli.json("incident", "rm", "1", "--yes")
    assert removed["symptom"] == "won't drain"
    assert sql_one("SELECT count(*) FROM incident") == 0


def test_playbook_add_list_show_edit_rm(cli):
    added = drain_playbook(cli)
    assert added["steps"] == ["checked the filter", "ran the drain program"]
    cli.ok("playbook", "add", "--symptom", "door won't close", "--fix", "new latch",
           "--category", "home", "--origin", "the manual")
    assert cli.ok("playbook", "list").stdout == (
        "ID  FOR               SYMPTOM                   FIX                 ORIGIN\n"
        " 2  home              door won't close          new latch           the manual\n"
        " 1  bosch sms4hvi33e  won't drain, water stays  cleaned the filter\n")
    assert [p["id"] for p in cli.json("playbook", "list", "--brand", "BOSCH")] == [1]
    assert [p["id"] for p in cli.json("playbook", "list", "--category", "home")] == [2]
    csv = cli.ok("playbook", "list", "--format", "csv").stdout.splitlines()
    assert csv[0] == "id,uid,brand,model,category,symptom,cause,fix,steps,incident_id,origin"
    shown = cli.ok("playbook", "show", "door").stdout
    assert shown.splitlines()[:2] == ["Playbook 2: door won't close", "For     home"]
    edited = cli.json("playbook", "edit", "1", "--fix", "cleaned the filter and the pump",
                      "--unset", "steps")
    assert (edited["fix"], edited["steps"]) == ("cleaned the filter and the pump", [])
    assert cli.ok("playbook", "rm", "1", "--yes").stdout == (
        "removed playbook 1: won't drain, water stays\n")
    assert [p["id"] for p in cli.json("playbook", "list")] == [2]


def test_match_says_when_nothing_would_be_offered(cli):
    dishwasher(cli)
    cli.ok("playbook", "add", "--symptom", "door won't close", "--fix", "latch",
           "--category", "home")
    assert [p["matched_by"] for p in cli.json("playbook", "match", "1")] == ["category"]
    none = cli.ok("playbook", "match", "1", "beeps")
    assert (none.stdout, none.stderr) == ("", (
        "no playbook for this asset's model, nor one of its category that shares a word "
        "with that symptom\n"))
    assert cli.json("playbook", "match", "1", "beeps") == []


def test_find_leads_to_the_incident_and_the_playbook(cli):
    dishwasher(cli)
    drain_playbook(cli)
    cli.ok("asset", "incident", "1", "water won't drain")
    cli.ok("incident", "update", "1", "--step", "unscrewed the sump cover")
    hits = {(h["kind"], h["id"]) for h in cli.json("find", "drain")}
    assert {("incident", 1), ("playbook", 1)} <= hits
    assert [(h["kind"], h["id"]) for h in cli.json("find", "sump")] == [("incident", 1)]
    assert cli.json("incident", "show", "1")["symptom"] == "water won't drain"
    assert cli.json("playbook", "show", "1")["symptom"] == "won't drain, water stays"


def test_two_homes_share_playbooks_and_the_other_home_is_offered_them(in_home, cli,  # noqa: F811
                                                                     tmp_path):
    dishwasher(cli)
    cli.ok("asset", "add", "Sofa", "--category", "furniture")
    cli.ok("asset", "incident", "1", "water won't drain", "--on", "2026-03-01")
    cli.ok("incident", "update", "1", "--step", "checked the filter", "--no-help", "--on",
           "2026-03-02")
    cli.ok("incident", "close", "1", "--fix", "new drain pump", "--on", "2026-03-05",
           "--playbook")
    cli.ok("playbook", "add", "--symptom", "cushion torn", "--fix", "patch",
           "--category", "furniture")
    bundle = tmp_path / "dishwasher.json"
    cli.ok("share", "--asset", "1", "--out", str(bundle), "--label", "Alex's home")
    rows = json.loads(bundle.read_text())["tables"]["playbook"]
    assert [(r["symptom"], r["created_by"], r["updated_by"], r["incident_id"], r["origin"])
            for r in rows] == [("water won't drain", None, None, None, "Alex's home")]
    only_playbooks = tmp_path / "playbooks.json"
    cli.ok("share", "--playbooks", "all", "--out", str(only_playbooks))
    everything = json.loads(only_playbooks.read_text())["tables"]
    assert sorted(r["origin"] for r in everything["playbook"]) == ["shared", "shared"]
    assert everything["asset"] == [] and everything["incident"] == []
    none = json.loads(_shared(cli, tmp_path, "--asset", "1", "--playbooks", "none"))
    assert none["tables"]["playbook"] == []

    in_home(tmp_path / "b")
    ours = dishwasher(cli, "Our dishwasher", brand="BOSCH", model=" sms4hvi33e ")
    first = cli.json("import", str(bundle))
    assert first["tables"]["playbook"] == {"added": 1, "updated": 0, "unchanged": 0,
                                           "conflicts": 0}
    again = cli.json("import", str(bundle))
    assert again["tables"]["playbook"] == {"added": 0, "updated": 0, "unchanged": 1,
                                           "conflicts": 0}
    assert sql_one("SELECT count(*) FROM playbook") == 1
    offered = cli.json("asset", "incident", str(ours), "it does not drain")["playbooks"]
    assert [(p["symptom"], p["fix"], p["steps"], p["origin"], p["matched_by"],
             p["created_by"], p["incident_id"]) for p in offered] == [
        ("water won't drain", "new drain pump", ["checked the filter (did not help)"],
         "Alex's home", "model", None, None)]
    assert cli.json("import", str(only_playbooks))["tables"]["playbook"]["added"] == 1


def _shared(cli, tmp_path, *args):
    out = tmp_path / "shared.json"
    cli.ok("share", *args, "--out", str(out))
    return out.read_text()


def test_share_needs_something_even_with_playbooks(cli, tmp_path):
    result = cli("share", "--out", str(tmp_path / "x.json"))
    assert result.exit_code == 2 and "nothing to share" in result.stderr
    bad = cli("share", "--playbooks", "some", "--out", str(tmp_path / "x.json"))
    assert bad.exit_code == 2
    assert "--playbooks: expected matching, all, none (got 'some')" in bad.stderr


def test_json_shapes_are_documented(cli, tmp_path):
    dishwasher(cli)
    drain_playbook(cli)
    opened = cli.json("asset", "incident", "1", "won't drain")
    cli.ok("incident", "update", "1", "--step", "looked")
    shown = cli.json("incident", "show", "1")
    closed = cli.json("incident", "close", "1", "--fix", "x", "--playbook")
    listed = cli.json("incident", "list", "--status", "all")[0]
    playbook = cli.json("playbook", "show", "1")
    offer = cli.json("playbook", "match", "1", "drain")[0]
    incident = set(listed)
    assert documented_keys("incident") == incident | {"revision"}
    assert set(opened) == incident | {"revision", "playbooks"}
    assert documented_keys("incident show") == set(shown) - incident - {"revision"}
    assert set(closed) == set(shown) | {"saved_playbook"}
    assert documented_keys("incident close") == {"saved_playbook"}
    assert documented_keys("incident step") == set(shown["steps"][0])
    assert documented_keys("playbook") == set(playbook)
    assert documented_keys("playbook offer") == set(offer) - (set(playbook) - {"revision"})
    asset = cli.json("asset", "show", "1")
    assert "incidents" in documented_keys("asset show")
    assert set(asset["incidents"]) == {"open", "closed", "repair_cost"}
    assert "incident_id" in documented_keys("attachment")
