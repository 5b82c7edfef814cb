"""Every command, driven with random text, numbers, dates and unicode (hypothesis).

The command tree is walked at run time, so a new command is fuzzed as soon as it is
mounted. Each case runs in-process through ``stuffctl.cli.main.run`` (the boundary the
console script uses) against a home seeded with a few rows, and must:

- end with a documented exit code, never a traceback or an "unexpected" error;
- leave the database and the config file exactly as they were when it fails;
- print valid JSON on stdout when it succeeds with ``--json``.

2,000 cases by default; ``STUFFCTL_FUZZ_EXAMPLES=20000`` for a longer run. Not fuzzed:
``demo`` (it builds a whole household in a separate home; tests/cli cover it) and the
root options ``--db`` and ``--version`` (a random ``--db`` would create files anywhere).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from stuffctl.errors import ExitCode
from tests.conftest import Cli
from tests.reliability.conftest import DOCUMENTED_EXIT_CODES, dump, in_use, rows_up_to
from tests.reliability.test_hostile_input import HOSTILE

EXAMPLES = int(os.environ.get("STUFFCTL_FUZZ_EXAMPLES") or 2000)
# The same cases on every run by default, so CI is reproducible; set
# STUFFCTL_FUZZ_RANDOM=1 (and raise STUFFCTL_FUZZ_EXAMPLES) to explore new ones.
RANDOM = bool(os.environ.get("STUFFCTL_FUZZ_RANDOM"))
EXCLUDED = {("demo",)}
# Exit codes that mean the command failed; `remind run --exit-status` answers 10 or 11
# when it succeeded and something is due (it records what it notified, as with 0).
FAILURES = {int(c) for c in ExitCode} - {ExitCode.OK}


def leaf_commands() -> list[tuple[tuple[str, ...], Any]]:
    """(words, click command) of every command in the tree, groups walked recursively."""
    from stuffctl.cli.main import _command

    found: list[tuple[tuple[str, ...], Any]] = []

    def walk(node: Any, words: tuple[str, ...]) -> None:
        subs = getattr(node, "commands", None)
        if subs is None:
            if words not in EXCLUDED:
                found.append((words, node))
            return
        for name, sub in sorted(subs.items()):
            walk(sub, (*words, name))

    walk(_command(), ())
    return found


PHRASES = ["today", "tomorrow", "+3d", "-1y", "in 2 weeks", "next friday", "eom", "2026-02-30",
           "0000-01-01", "9999-12-31", "2y", "18m", "every 3 months", "RRULE:FREQ=DAILY"]
AMOUNTS = ["€12.50", "1,234.56", "12.50 EUR", "-0", "1e400", "NaN", "inf", "0.001 JPY",
           "99999999999999999999", "12.5.5", "EUR", "$-3", "1_000"]
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=24)
anything = st.one_of(
    text,
    st.integers(-(2**70), 2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(PHRASES + AMOUNTS + HOSTILE),
)


def param_kind(param: Any) -> tuple[Any, list[str]]:
    """The parameter's Python type and its choices (Typer's own parameters, or Click's)."""
    desc = getattr(param, "type_descriptor", None)
    if desc is not None:
        raw, kind = desc.choices, desc.annotation
    else:
        raw = getattr(param.type, "choices", None)
        kind = {"integer": int, "float": float}.get(getattr(param.type, "name", ""), str)
    return kind, [str(getattr(c, "value", c)) for c in raw or ()]


def value_for(param: Any) -> st.SearchStrategy[str]:
    """Mostly plausible values for the parameter's type, often anything at all."""
    kind, choices = param_kind(param)
    if choices:
        plausible = st.sampled_from(choices)
    elif kind is int:
        plausible = st.integers(-2, 8).map(str)
    elif kind is float:
        plausible = st.floats(-1e6, 1e6).map(str)
    else:
        return anything
    return st.one_of(plausible, plausible, anything)


@st.composite
def command_line(draw: st.DrawFn) -> list[str]:
    words, cmd = draw(st.sampled_from(COMMANDS))
    options: list[str] = []
    positionals: list[str] = []
    for param in cmd.params:
        if param.param_type_name == "argument":
            many = param.nargs == -1
            count = draw(st.integers(0, 3)) if many else int(draw(st.integers(0, 20)) > 0)
            positionals += [draw(value_for(param)) for _ in range(count)]
        elif "--help" not in param.opts and draw(st.integers(0, 3)) == 0:
            name = draw(st.sampled_from(param.opts))
            repeat = draw(st.integers(1, 2)) if param.multiple else 1
            for _ in range(repeat):
                options += [name] if param.is_flag else [name, draw(value_for(param))]
    return [*words, *options, *(["--", *positionals] if positionals else [])]


def snapshot(home: Path) -> tuple[object, bytes | None]:
    """The database's contents (a server's: every table's rows) and the config file."""
    db = in_use()
    rows = rows_up_to(db) if isinstance(db, str) else dump(db)
    config = home / "config.toml"
    return rows, config.read_bytes() if config.exists() else None


def seed(cli: Cli, tmp_path: Path) -> None:
    receipt = tmp_path / "receipt.txt"
    receipt.write_text("receipt")
    cli.ok("asset", "add", "Drill", "--price", "89", "--tag", "tools", "--field", "k=v")
    cli.ok("asset", "add", "Kettle", "--parent", "1", "--warranty", "2y", "--bought", "today")
    cli.ok("asset", "log", "1", "--kind", "service", "--cost", "40")
    cli.ok("asset", "attach", "1", str(receipt))


COMMANDS = leaf_commands()


def test_every_command_survives_random_input(cli, home, tmp_path, monkeypatch):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)  # relative paths a case names land here, never in the repo
    seed(cli, tmp_path)

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=not RANDOM,
              suppress_health_check=list(HealthCheck))
    @given(args=command_line())
    def case(args: list[str]) -> None:
        before = snapshot(home)
        result = cli(*args, input="")
        where = f"stuffctl {args!r} -> {result.exit_code}\n{result.stderr}"
        event(f"exit {result.exit_code}")  # pytest --hypothesis-show-statistics
        assert result.exit_code in DOCUMENTED_EXIT_CODES, where
        assert "Traceback" not in result.stderr and "unexpected" not in result.stderr, where
        if result.exit_code in FAILURES:
            assert snapshot(home) == before, where
        elif "--json" in args and "--help" not in args:
            json.loads(result.stdout)

    case()
