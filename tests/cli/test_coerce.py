"""Parameters converted without pydantic (cli/coerce.py): the same values and the same
messages as Typer's own conversion, and no pydantic in a common command."""

from __future__ import annotations

import enum
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

typer_coercion = pytest.importorskip("typer._coercion")

from typer._click.exceptions import BadParameter  # noqa: E402
from typer.models import OptionInfo  # noqa: E402

from stuffctl.cli import coerce  # noqa: E402


class Colour(enum.Enum):
    red = "red"
    green = "Green"


def _ours_and_typers(annotation: Any, info: OptionInfo, value: Any) -> tuple[Any, Any]:
    """What Typer's own conversion and ours make of ``value``: the value and its type, or
    the error's text."""
    descriptor = typer_coercion.resolve_type_descriptor(annotation, info)
    ctx = None
    theirs_fn = typer_coercion.build_runtime_param(descriptor)._coerce_value
    ours_fn = coerce.converter(annotation, info)
    assert ours_fn is not None
    found = []
    for fn in (theirs_fn, ours_fn):
        try:
            value_out = fn(value, None, ctx)
            found.append(("ok", value_out, type(value_out)))
        except BadParameter as exc:
            found.append(("bad", exc.message, None))
    return found[0], found[1]


numbers = st.one_of(st.integers(-10**6, 10**6).map(str),
                    st.floats(-1e6, 1e6, allow_nan=False).map(repr),
                    st.text(alphabet="0123456789-+. eEabc", max_size=8),
                    st.from_regex(r"[+-]?[0-9]{1,3}(_[0-9]{1,3})?(\.0*)?", fullmatch=True),
                    st.integers(-50, 50))
bounds = st.one_of(st.none(), st.integers(-20, 20))


@settings(max_examples=300, deadline=None)
@given(value=numbers, low=bounds, high=bounds, clamp=st.booleans(),
       kind=st.sampled_from([int, float]))
def test_numbers_convert_as_typers_own(value: Any, low: int | None, high: int | None,
                                       clamp: bool, kind: type) -> None:
    info = OptionInfo(min=low, max=high, clamp=clamp)
    theirs, ours = _ours_and_typers(kind, info, value)
    if theirs[0] == "bad" and ours[0] == "bad":
        assert ours[1].split(",")[0] == theirs[1].split(",")[0]
    else:
        assert ours == theirs


@settings(max_examples=200, deadline=None)
@given(value=st.one_of(st.sampled_from(["true", "False", "YES", "no", "1", "0", "on", "off",
                                        "t", "f", "y", "n", " yes ", ""]),
                       st.text(max_size=5), st.booleans()))
def test_flags_convert_as_typers_own(value: Any) -> None:
    theirs, ours = _ours_and_typers(bool, OptionInfo(), value)
    assert ours[0] == theirs[0]
    if ours[0] == "ok":
        assert ours[1] is theirs[1]


@settings(max_examples=200, deadline=None)
@given(value=st.one_of(st.sampled_from(["red", "RED", "green", "Green", "blue"]),
                       st.text(max_size=6)), case_sensitive=st.booleans())
def test_choices_convert_as_typers_own(value: str, case_sensitive: bool) -> None:
    theirs, ours = _ours_and_typers(Colour, OptionInfo(case_sensitive=case_sensitive), value)
    assert ours == theirs


@settings(max_examples=100, deadline=None)
@given(value=st.text(max_size=12))
def test_text_and_lists_of_text_convert_as_typers_own(value: str) -> None:
    assert _ours_and_typers(str, OptionInfo(), value)[1] == ("ok", value, str)
    theirs, ours = _ours_and_typers(list[str], OptionInfo(), [value, value])
    assert ours == theirs


def test_paths_convert_as_typers_own(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    for info in (OptionInfo(), OptionInfo(exists=True), OptionInfo(dir_okay=False)):
        for value in (str(tmp_path / "f"), str(tmp_path / "missing"), str(tmp_path)):
            theirs, ours = _ours_and_typers(Path, info, value)
            assert ours == theirs


def test_a_common_command_imports_no_pydantic(tmp_path: Path) -> None:
    code = ("import sys; from stuffctl.cli.main import run; "
            "code = run(['tx', 'add', '--out', '3.50', 'Bakery', '--json']); "
            "code = code or run(['tx', 'list', '--limit', '5', '--json']); "
            "print(code, 'pydantic' in sys.modules)")
    env = dict(os.environ, STUFFCTL_HOME=str(tmp_path), NO_COLOR="1")
    env.pop("STUFFCTL_DB", None)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, check=True)
    assert done.stdout.split()[-2:] == ["0", "False"], done.stderr
