"""`stuffctl bench` on screen and as JSON, goals, export and compare."""

from __future__ import annotations

import json
from datetime import date

import pytest

from stuffctl.dates import add_months
from stuffctl.render.bench import sparkline

LAST_MONTH = add_months(date.today().replace(day=1), -1)

ROW_KEYS = {"metric", "unit", "direction", "now", "median", "best", "percentile", "history",
            "vs", "verdict"}


def test_sparkline_scales_between_smallest_and_largest_and_leaves_gaps():
    assert sparkline([0, 7, 14, None, 7]) == "▁▅█ ▅"  # 7 of 14 is 3.5 of 7 steps, rounded to 4
    assert sparkline([5, 5]) == "▁▁"
    assert sparkline([None, None]) == "  "


def test_bench_json_has_the_documented_shape(cli):
    cli.ok("tx", "add", "-12.50", "Bakery", "--on", LAST_MONTH.isoformat(),
           "--category", "food:bread")
    data = cli.json("bench")
    assert set(data) == {"period", "as_of", "periods", "currency", "ends", "vs", "metrics",
                         "goals"}
    assert data["as_of"] == f"{LAST_MONTH.year}-{LAST_MONTH.month:02d}"
    rows = {m["metric"]: m for m in data["metrics"]}
    assert all(set(m) == ROW_KEYS for m in data["metrics"])
    # money: decimal strings, as every amount in JSON; before the first transaction
    # there is no history (null), not zero spending
    assert rows["spend:food"] == {
        "metric": "spend:food", "unit": "money", "direction": "lower_is_better",
        "now": "12.50", "median": None, "best": None, "percentile": None,
        "history": [None] * 12 + ["12.50"], "vs": {"basis": "median", "value": None},
        "verdict": None}
    assert rows["tasks_completed"]["now"] == 0 and rows["tasks_completed"]["median"] == 0


def test_bench_screen_marks_worse_with_an_arrow_and_a_word_without_colour(cli):
    before = add_months(LAST_MONTH, -2).isoformat()
    cli.ok("tx", "add", "-5", "Bakery", "--on", before, "--category", "food")
    cli.ok("tx", "add", "-12.50", "Bakery", "--on", LAST_MONTH.isoformat(), "--category", "food")
    out = cli.ok("bench", "--vs", "last").stdout
    assert "money in EUR" in out
    line = next(ln for ln in out.splitlines() if ln.startswith("spend:food"))
    # history from the first transaction: none before it, nothing spent the month after
    assert " ▄▁█ " in line and "↑ worse" in line
    assert "\x1b[" not in out


@pytest.mark.parametrize("args", [("bench", "--period", "week"), ("bench", "--vs", "worst")])
def test_bench_rejects_unknown_period_or_basis(cli, args):
    assert cli(*args).exit_code == 2


def test_goal_set_list_rm_and_progress(cli):
    assert cli.ok("bench", "goal", "set", "spend:food", "<=", "10").stdout == (
        "goal set: spend:food <= 10\n")
    cli.ok("bench", "goal", "set", "maintenance_on_time >= 0.9")
    assert [g["metric"] for g in cli.json("bench", "goal", "list")] == [
        "maintenance_on_time", "spend:food"]
    cli.ok("tx", "add", "-12.50", "Bakery", "--on", LAST_MONTH.isoformat(), "--category", "food")
    goals = cli.json("bench")["goals"]
    assert goals[1] == {"metric": "spend:food", "op": "<=", "target": "10", "now": "12.50",
                        "met": False, "distance": "2.50"}
    assert "12.50" in cli.ok("bench").stdout.split("Goals")[1]
    assert goals[0]["met"] is None  # nothing to measure yet
    assert cli.ok("bench", "goal", "rm", "spend:food").stdout == "goal removed: spend:food\n"
    assert cli("bench", "goal", "rm", "spend:food").exit_code == 3


def test_goal_with_an_unknown_metric_is_bad_input_naming_the_known_ones(cli):
    result = cli("bench", "goal", "set", "happiness", ">=", "1")
    assert result.exit_code == 2
    assert "known: spend_total, spend:CATEGORY, budget_adherence" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert cli.json("bench", "goal", "list") == []


def test_export_then_compare_with_peers(cli, tmp_path):
    cli.ok("tx", "add", "-12.50", "Bakery", "--on", LAST_MONTH.isoformat(), "--category", "food")
    out = tmp_path / "me.json"
    cli.ok("bench", "export", "--out", str(out))
    mine = json.loads(out.read_text())
    assert mine["format"] == "stuffctl-bench" and mine["period"] == "month"
    assert mine["metrics"]["spend:food"]["values"][-1] == 12  # whole units
    peers = []
    for n, food in enumerate((5, 20, 30)):
        peer = json.loads(json.dumps(mine))
        peer["metrics"]["spend:food"]["values"][-1] = food
        peers.append(tmp_path / f"peer{n}.json")
        peers[-1].write_text(json.dumps(peer))
    data = cli.json("bench", "compare", *map(str, peers))
    food = next(r for r in data["metrics"] if r["metric"] == "spend:food")
    # 12 among 5, 20, 30 (lower is better): only 5 beats it → rank 2 of 4;
    # one of three below → 33.3 %; the peers' median is 20
    assert (food["rank"], food["of"], food["percentile"], food["now"], food["peer_median"]) == (
        2, 4, 33.3, "12.00", "20.00")
    assert "spend:food" in cli.ok("bench", "compare", str(peers[0])).stdout


@pytest.mark.parametrize("out", ["", "."])
def test_export_to_no_file_name_is_bad_input(cli, out):
    result = cli("bench", "export", "--out", out)
    assert result.exit_code == 2 and "--out" in result.stderr


def test_compare_refuses_a_file_that_is_not_an_export(cli, tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text('{"hello": 1}')
    result = cli("bench", "compare", str(bad))
    assert result.exit_code == 2 and "not a stuffctl bench export" in result.stderr


def test_demo_shows_the_bench_after_the_status(cli, tmp_path):
    out = cli.ok("demo", "--home", str(tmp_path / "demo")).stdout
    assert out.index("== Warranties") < out.index("Bench: month")
    assert "spend_total" in out and "ownership_cost" in out


def test_demo_writes_only_its_own_home_whatever_stuffctl_db_says(cli, tmp_path, monkeypatch):
    real = tmp_path / "real.db"
    monkeypatch.setenv("STUFFCTL_DB", str(real))
    result = cli.ok("demo", "--home", str(tmp_path / "demo"))
    assert not real.exists()
    assert (tmp_path / "demo" / "stuffctl.db").is_file()
    assert f"unset STUFFCTL_DB; export STUFFCTL_HOME={tmp_path / 'demo'}" in result.stderr
