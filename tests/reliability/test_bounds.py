"""Bounds on what hostile input can cost: config values checked when read, regular
expressions of rules files in linear time and never under the write lock, `find` with
thousands of words, and `tx list` tables of any size (issue #19, items 4, 5 and 7)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from stuffctl import config
from stuffctl.errors import InvalidInput
from stuffctl.services.data.find import MAX_WORDS
from stuffctl.services.tx import rules as rules_mod
from stuffctl.services.tx.rules import load_rules, parse_rules
from tests.conftest import sql_write
from tests.reliability.conftest import run_stuffctl

# ---------------------------------------------------------------- config (item 4)

BAD_CONFIGS = [
    ('[backups]\nkeep = "many"\n', "backups.keep", ["backup"]),
    ("[backups]\nkeep = 0\n", "backups.keep", ["backup"]),
    ("[notify]\ncommand = 5\n", "notify.command", ["remind", "run"]),
    ("[notify]\ncommand = [5]\n", "notify.command", ["remind", "run"]),
    ('[bands]\nsoon_days = "x"\n', "bands.soon_days", ["status"]),
    ("[bands]\nsoon_days = true\n", "bands.soon_days", ["remind", "list"]),
    ('[bands.task]\nsoon_days = 400\n', "bands.task.soon_days", ["status"]),
    ('[lead]\ndefault = "soon"\n', "lead.default", ["remind", "run"]),
    ('[notify]\ndefault = "loud"\n', "notify.default", ["remind", "run"]),
    ('[alerts]\nbudget = "maybe"\n', "alerts.budget", ["remind", "run"]),
    ('[urgency]\ndue = "nan"\n', "urgency.due", ["task", "next"]),
    ("[urgency]\ndue = [1]\n", "urgency.due", ["task", "next"]),
    ("currency = 5\n", "currency", ["tx", "add", "5", "x"]),
    ("date_display = 1979-05-27\n", "date_display", ["remind", "list"]),
]


@pytest.mark.parametrize(("toml", "key", "command"), BAD_CONFIGS,
                         ids=[f"{k}={t.split('= ')[1].strip()}" for t, k, _ in BAD_CONFIGS])
def test_a_bad_config_value_is_one_line_naming_the_key_and_the_file(cli, home, toml, key,
                                                                    command):
    cli.ok("remind", "add", "Call", "--on", "2020-01-01")
    cli.ok("project", "add", "Home")
    cli.ok("task", "add", "Home", "Paint")
    home.mkdir(exist_ok=True)  # a server database leaves the home unmade
    (home / "config.toml").write_text(toml)
    result = cli(*command)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "unexpected" not in result.stderr
    assert f"{home / 'config.toml'}: {key}: " in result.stderr


def test_config_set_and_unset_mend_a_bad_value(cli, home):
    cli.ok("asset", "add", "Ladder")
    home.mkdir(exist_ok=True)  # a server database leaves the home unmade
    (home / "config.toml").write_text('[backups]\nkeep = "many"\n[notify]\ncommand = 5\n')
    assert cli("config", "show").exit_code == 2
    cli.ok("config", "set", "backups.keep", "3")
    cli.ok("config", "unset", "notify.command")
    assert cli.json("config", "get", "backups.keep") == {"key": "backups.keep", "value": 3}
    cli.ok("backup")


@pytest.mark.parametrize("name", sorted(n for n, k in config.KEYS.items()
                                        if k.default is not None))
def test_every_default_as_config_set_stores_it_reads_back_unchanged(home, name):
    key = config.KEYS[name]
    text = json.dumps(key.default) if isinstance(key.default, list) else (
        str(key.default).lower() if isinstance(key.default, bool) else str(key.default))
    stored = config.set_value(name, text)
    assert config.load() == {name: stored}


def test_a_value_written_by_hand_as_text_is_read_as_config_set_reads_it(home):
    home.mkdir()
    (home / "config.toml").write_text('[backups]\nkeep = "3"\n[notify]\ncommand = '
                                      '"notify-send -u low"\n[urgency]\ndue = 5\n')
    assert config.load() == {"backups.keep": 3, "urgency.due": 5.0,
                             "notify.command": ["notify-send", "-u", "low"]}


# ---------------------------------------------------------------- regexes (item 5)

EVIL = "a" * 5000 + "!"  # Python's re backtracks for ever on it with (a+)+$ or (a|aa)+$


def _rules_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "bank.toml"
    path.write_text('fields = ["date", "amount", "payee", "memo"]\n' + body)
    return path


@pytest.mark.parametrize("pattern", [r"(a)\1", "(?=a)b", "(?<!a)b", "a{2000}"])
def test_a_pattern_re2_cannot_run_is_refused_naming_the_file_and_the_pattern(tmp_path,
                                                                            pattern):
    path = _rules_file(tmp_path, f"[[categorize]]\nmatch = '{pattern}'\ncategory = 'x'\n")
    with pytest.raises(InvalidInput) as err:
        load_rules(str(path))
    assert err.value.message.startswith(f"{path}: categorize[1].match: bad regular "
                                        f"expression {pattern!r}: ")
    with pytest.raises(InvalidInput, match=r"^skip_if.payee: bad regular expression"):
        parse_rules({"fields": ["date", "amount", "payee"], "skip_if": {"payee": pattern}},
                    name="t")


def test_rules_keep_matching_case_insensitively_and_in_their_order():
    spec = parse_rules({"fields": ["date", "amount", "payee", "memo"], "categorize": [
        {"match": "^card", "category": "first"}, {"match": "CAFÉ", "category": "second"},
        {"match": r"shell\b", "category": "third"}]}, name="t")
    assert spec.category_for("café Rouge", "card payment").category == "first"
    assert spec.category_for("Le Café", None).category == "second"
    assert spec.category_for(None, "SHELL 12").category == "third"
    assert spec.category_for("Shellfish", "a card") is None


def test_tx_import_with_backtracking_patterns_answers_at_once(tmp_path):
    path = _rules_file(tmp_path, 'skip_if = { memo = "(a|aa)+$" }\n'
                                 '[[categorize]]\nmatch = "(a+)+$"\ncategory = "evil"\n')
    csv = tmp_path / "bank.csv"
    csv.write_text(f"2026-01-01,-1,{EVIL},{EVIL}\n2026-01-02,-2,aaa,x\n")
    done = run_stuffctl("tx", "import", str(csv), "--rules", str(path), "--json", timeout=20)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["added"] == 2
    listed = json.loads(run_stuffctl("tx", "list", "--json", timeout=20).stdout)
    assert [t["category"] for t in listed] == [None, "evil"]


def test_tx_categorize_with_a_backtracking_pattern_answers_at_once(tmp_path, cli):
    cli.ok("tx", "add", "--", "-1", EVIL)
    cli.ok("tx", "add", "--", "-1", "aaaa")
    path = _rules_file(tmp_path, '[[categorize]]\nmatch = "(a+)+$"\ncategory = "evil"\n')
    done = run_stuffctl("tx", "categorize", "--rules", str(path), "--json", timeout=20)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["by_category"] == {"evil": 1}


def test_tx_categorize_matches_without_holding_the_write_lock(tmp_path, cli, home,
                                                              monkeypatch):
    cli.ok("tx", "add", "--", "-1", "Bakery")
    cli.ok("tx", "add", "--", "-2", "Garage")
    path = _rules_file(tmp_path, '[[categorize]]\nmatch = "bakery"\ncategory = "food"\n')
    matched = rules_mod.Rules.category_for
    writes: list[str] = []

    def while_matching(self, payee, memo):
        # another writer (a `tx add`, cron's `remind run`) gets in meanwhile, and waits for
        # the write lock no more than a millisecond
        sql_write("UPDATE txn SET category = 'car' WHERE payee = 'Garage'")
        writes.append(payee)
        return matched(self, payee, memo)

    monkeypatch.setattr(rules_mod.Rules, "category_for", while_matching)
    monkeypatch.setenv("STUFFCTL_BUSY_TIMEOUT", "1")
    assert cli.json("tx", "categorize", "--rules", str(path))["categorized"] == 1
    assert writes == ["Bakery", "Garage"]
    shown = {t["payee"]: t["category"] for t in cli.json("tx", "list")}
    assert shown == {"Bakery": "food", "Garage": "car"}


def test_a_category_set_meanwhile_is_not_overwritten(cli):
    from stuffctl import store

    cli.ok("tx", "add", "--", "-1", "Bakery")
    spec = parse_rules({"fields": ["date", "amount", "payee"],
                        "categorize": [{"match": "bakery", "category": "food"}]}, name="t")
    with store.transaction() as db:
        plan = rules_mod.plan_categories(db=db, rules=spec)
    cli.ok("tx", "edit", "1", "--category", "gift")
    with store.transaction(write=True) as db:
        rules_mod.apply_categories(db=db, plan=plan)
    assert cli.json("tx", "show", "1")["category"] == "gift"


# ---------------------------------------------------------------- find (item 7)

def _bakeries(cli, tmp_path: Path, n: int) -> None:
    csv = tmp_path / "many.csv"
    csv.write_text("".join(f"2026-01-{1 + i % 28:02d},-{i + 1},Bakery b{i},bread\n"
                           for i in range(n)))
    spec = tmp_path / "plain.toml"
    spec.write_text('fields = ["date", "amount", "payee", "memo"]\n')
    cli.ok("tx", "import", str(csv), "--rules", str(spec))


def test_find_with_2000_words_answers_quickly(cli, tmp_path):
    _bakeries(cli, tmp_path, 1000)
    started = time.monotonic()
    done = run_stuffctl("find", " ".join(["bakery", "b"] * 1000), "--json", timeout=20)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) == 50
    assert time.monotonic() - started < 20


def test_find_refuses_more_different_words_than_it_ranks(cli):
    cli.ok("asset", "add", "Ladder")
    words = " ".join(f"w{i}" for i in range(2000))
    result = cli("find", words)
    assert result.exit_code == 2
    assert result.stderr == (f"stuffctl: error: at most {MAX_WORDS} different words to look "
                             "for (got 2000)\n")
    enough = " ".join(["ladder"] + [f"l{'a' * i}" for i in range(MAX_WORDS - 1)])
    assert cli("find", enough).exit_code == 0  # (nothing has them all: "nothing found")


# ---------------------------------------------------------------- tx list (item 7)

def test_a_tx_table_is_cut_at_the_default_limit_and_says_how_many_it_left_out(
        cli, tmp_path, monkeypatch):
    from stuffctl.cli import tx

    _bakeries(cli, tmp_path, 8)
    monkeypatch.setattr(tx, "TABLE_LIMIT", 5)
    table = cli.ok("tx", "list")
    assert table.stdout.count("Bakery") == 5
    assert table.stderr == "3 more not shown (--limit 0 shows them all)\n"
    assert "8" in table.stdout.split("Totals")[1]  # the totals count every matching row
    assert cli.ok("tx", "list", "--offset", "4").stderr == ""  # 4 left: none hidden
    everything = cli.ok("tx", "list", "--limit", "0")
    assert everything.stdout.count("Bakery") == 8 and everything.stderr == ""
    assert cli.ok("tx", "list", "-n", "7").stderr.startswith("1 more not shown")
    for fmt in ("json", "ndjson", "csv"):  # machine formats stream every row
        assert cli.ok("tx", "list", "--format", fmt).stdout.count("Bakery") == 8
    assert len(cli.json("tx", "list")) == 8


def test_the_default_tx_table_limit_is_documented():
    from stuffctl.cli.tx import TABLE_LIMIT

    docs = (Path(__file__).parents[2] / "docs" / "transactions.md").read_text()
    assert f"{TABLE_LIMIT:,} rows" in docs and "--limit 0" in docs


def test_a_tx_table_of_many_rows_draws_only_the_default_limit(cli, tmp_path):
    from stuffctl.cli.tx import TABLE_LIMIT

    _bakeries(cli, tmp_path, TABLE_LIMIT + 1500)
    done = run_stuffctl("tx", "list", timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("Bakery") == TABLE_LIMIT
    assert done.stderr == "1,500 more not shown (--limit 0 shows them all)\n"
