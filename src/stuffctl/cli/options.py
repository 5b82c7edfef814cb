"""Options shared by many commands, declared once, and option-value parsing.

Parsers raise ``InvalidInput`` naming the option (``--bought: not a date …``),
which the boundary turns into one line and exit code 2.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, overload

import typer

from stuffctl.errors import InvalidInput, for_option
from stuffctl.render import Format, set_raw_csv

if TYPE_CHECKING:
    from dateutil.relativedelta import relativedelta

    from stuffctl.money import Money

T = TypeVar("T")

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (one document on stdout).")]
FormatOpt = Annotated[
    Format | None,
    typer.Option("--format", "-f", help="Output format: table, json, ndjson or csv."),
]
# Every command that can write CSV takes it (tests/reliability/test_output_safety.py); the
# option itself tells the render layer, so a command's body does not pass it on.
RawOpt = Annotated[bool, typer.Option(
    "--raw", callback=set_raw_csv, help="CSV for scripts: every cell exactly as stored (by "
    "default a cell a spreadsheet would run as a formula, such as =… or @…, gets a "
    "leading ').")]
LimitOpt = Annotated[int | None, typer.Option("--limit", "-n", min=1, help="Show at most N rows.")]
OffsetOpt = Annotated[int, typer.Option("--offset", min=0, help="Skip the first N rows.")]
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]
SinceOpt = Annotated[int | None, typer.Option(
    "--since", metavar="<revision>", min=0, show_default=False,
    help="The revision you read (its --json shows it): if a field this sets changed "
         "since, change nothing and exit 4 naming who changed it.")]


class Completes:
    """What a parameter's value completes to in a shell: records of one ``noun``
    (``services.lookup.NOUNS``: ids described by their names, or the names that start with
    what was typed), or one of a fixed set of ``words`` that the service checks with its
    own message. ``records``/``words`` give the ``complete`` method to Typer's
    ``autocompletion=`` (Click's shell completion calls it); docs/generate.py reads the
    same ``noun`` and ``words`` to write the static scripts (``stuffctl __complete NOUN``
    answers them there)."""

    def __init__(self, noun: str | None = None,
                 words: Callable[[], Sequence[str]] | None = None) -> None:
        self.noun, self.words = noun, words

    def complete(self, ctx: Any, incomplete: str) -> list[tuple[str, str] | str]:
        if self.words is not None:
            return [w for w in self.words() if w.startswith(incomplete)]
        from stuffctl.services.lookup import candidates
        from stuffctl.store.sqlite import open_current

        assert self.noun is not None
        conn = open_current(ctx.find_root().params.get("db"))
        if conn is None:
            return []
        try:
            return list(candidates(conn, self.noun, incomplete))
        except Exception:  # either driver's error: complete nothing, never get in the way
            return []
        finally:
            conn.connection.close()


def records(noun: str) -> Callable[..., list[tuple[str, str] | str]]:
    """``autocompletion=`` for an argument or option naming a ``noun`` (an id or name)."""
    return Completes(noun=noun).complete


def words(values: Sequence[str] | Callable[[], Sequence[str]]
          ) -> Callable[..., list[tuple[str, str] | str]]:
    """``autocompletion=`` for an option taking one of ``values`` (or what the function
    returns, to keep a service's set where it is checked and out of start-up)."""
    return Completes(words=values if callable(values) else lambda: values).complete


def pick_format(fmt: Format | None, as_json: bool) -> Format:
    if as_json:
        if fmt not in (None, Format.json):
            raise InvalidInput(f"--json and --format {fmt.value} contradict each other")
        return Format.json
    return fmt or Format.table


@overload
def parsed(option: str, value: str, parse: Callable[[str], T]) -> T: ...
@overload
def parsed(option: str, value: str | None, parse: Callable[[str], T]) -> T | None: ...
def parsed(option: str, value: str | None, parse: Callable[[str], T]) -> T | None:
    """``parse(value)`` with errors named after ``option``; None stays None."""
    if value is None:
        return None
    try:
        return parse(value)
    except InvalidInput as exc:
        raise for_option(option, exc) from None


def date_opt(option: str, value: str | None) -> date | None:
    from stuffctl.dates import parse_date

    return parsed(option, value, parse_date)


def duration_opt(option: str, value: str | None) -> relativedelta | None:
    from stuffctl.dates import parse_duration

    return parsed(option, value, parse_duration)


def money_opt(option: str, value: str | None, currency: str | None = None) -> Money | None:
    from stuffctl import config
    from stuffctl.money import parse_money

    default = currency or str(config.get("currency"))
    return parsed(option, value, lambda v: parse_money(v, default_currency=default))


def currency_opt(option: str, value: str | None) -> str | None:
    from stuffctl.money import normalise_currency

    return parsed(option, value, normalise_currency)


def key_values(option: str, values: list[str] | None) -> dict[str, str]:
    """``--field key=value`` pairs; a key may not be empty."""
    result: dict[str, str] = {}
    for item in values or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InvalidInput(f"{option}: expected key=value (got {item!r})")
        result[key.strip()] = value
    return result


def existing_file(option: str, value: Path) -> Path:
    if not value.exists():
        raise InvalidInput(f"{option}: {value} does not exist")
    return value

