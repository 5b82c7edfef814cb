"""The one boundary where errors become a stderr line and an exit code."""

from __future__ import annotations

import functools
import itertools
import os
import sys
from typing import Any

from stuffctl.errors import ExitCode, StuffctlError


def wants_json(args: list[str]) -> bool:
    if "--json" in args or "--format=json" in args:
        return True
    return any(a in ("--format", "-f") and b == "json" for a, b in itertools.pairwise(args))


def _click() -> Any:
    """Click's exception classes: Typer ≥ 0.29 vendors its own copy of Click."""
    try:
        from typer._click import exceptions
    except ImportError:  # an older Typer on plain Click
        import click.exceptions as exceptions  # type: ignore[no-redef]
    return exceptions


@functools.cache
def _command(only: str | None = None, verb: str | None = None) -> Any:
    """The Click command tree for ``only`` that noun (or all of them; with ``verb``,
    only that command of the noun), built once per process: building it costs more
    than most commands, and scripts and tests that call ``run`` many times pay for it
    once."""
    from typer.main import get_command

    from stuffctl.cli import coerce
    from stuffctl.cli.tree import build

    coerce.install()  # parameters converted without pydantic
    return get_command(build(only, verb))


def not_text(args: list[str]) -> str | None:
    """The first argument that is not UTF-8 text (the bytes Python could not decode,
    kept as surrogates), shown with those bytes escaped; None when every one is text."""
    for arg in args:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            return os.fsencode(arg).decode("utf-8", "backslashreplace")
    return None


def run(args: list[str]) -> int:
    """Run the command line ``args``; return the exit code. Never a traceback."""
    import typer

    from stuffctl import dates, render

    render.forget_settings()
    dates.use_date_order(_date_order)
    click = _click()

    as_json = wants_json(args)
    debug = bool(os.environ.get("STUFFCTL_DEBUG"))
    if (bad := not_text(args)) is not None:
        # Stored, printed or passed to SQLite, such text fails far from here: refuse it
        # at the door, once for every command.
        render.error_line(f"an argument is not UTF-8 text: '{bad}' (stuffctl reads its "
                          "arguments as UTF-8; check the encoding of the terminal or "
                          "script)", "invalid_input", as_json=as_json)
        return int(ExitCode.BAD_INPUT)
    try:
        from stuffctl.cli.tree import invoked

        noun, verb = invoked(args)
        _journal(noun, verb, args)
        command = _command(noun, verb)
        result = command.main(args=args, prog_name="stuffctl", standalone_mode=False)
        return int(result) if isinstance(result, int) else 0
    except StuffctlError as exc:
        if debug:
            raise
        render.error_line(exc.message, exc.code, as_json=as_json)
        return int(exc.exit_code)
    except click.UsageError as exc:
        if debug:
            raise
        if type(exc).__name__ == "NoArgsIsHelpError" and exc.ctx is not None:
            sys.stdout.write(exc.ctx.get_help() + "\n")
            return int(ExitCode.OK)
        where = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
        render.error_line(exc.format_message() + where, "usage", as_json=as_json)
        return int(ExitCode.BAD_INPUT)
    except click.ClickException as exc:
        render.error_line(exc.format_message(), "failed", as_json=as_json)
        return int(ExitCode.FAILED)
    except (KeyboardInterrupt, typer.Abort) as exc:
        if isinstance(exc, typer.Abort) and not isinstance(exc.__context__, KeyboardInterrupt):
            render.error_line("aborted, nothing changed", "aborted", as_json=as_json)
            return int(ExitCode.FAILED)
        render.error_line("interrupted, nothing changed", "interrupted", as_json=as_json)
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        return quiet_broken_pipe()
    except SystemExit:
        # Click turns a closed stdout (EPIPE) into exit 1 after wrapping the streams so
        # that their flush is quiet: for us a reader that stopped early is a success.
        if type(sys.stdout).__name__ == "PacifyFlushWrapper":
            return quiet_broken_pipe()
        raise
    except Exception as exc:
        if debug:
            raise
        return _unexpected(exc, as_json)
    finally:
        from stuffctl import store

        store.journal_as(None)  # a write after the command (a caller's own) is no step


# Commands whose writes `stuffctl undo` does not take back: the unattended run (what it
# noticed and sent stays), undo itself, and the database's own administration.
UNJOURNALED = frozenset({("remind", "run"), ("remind", "cron"), ("undo", None), ("db", None),
                         ("demo", None), ("restore", None), ("backup", None)})


def _journal(noun: str | None, verb: str | None, args: list[str]) -> None:
    """Make the command line's writes one step of the undo journal (store.undo), named by
    the command line with any URL's secrets masked."""
    from stuffctl import store

    if (noun, verb) in UNJOURNALED or (noun, None) in UNJOURNALED:
        store.journal_as(None)
        return
    import shlex

    if any("://" in a for a in args):
        from stuffctl.services.remind.notify import mask

        args = [mask(a) if "://" in a else a for a in args]
    store.journal_as(shlex.join(["stuffctl", *args]))


def _date_order() -> str:
    """The ``date_order`` setting, which stuffctl.dates reads (once) only when a typed date
    needs it ('' for the locale's)."""
    from stuffctl import config

    return str(config.get("date_order"))


def quiet_broken_pipe() -> int:
    """The reader went away (``| head``): stop quietly, without Python's complaint."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return int(ExitCode.OK)


def _unexpected(exc: Exception, as_json: bool) -> int:
    from stuffctl import render
    from stuffctl.store import database_error

    ours = database_error(exc)
    if ours is not None:
        render.error_line(ours.message, ours.code, as_json=as_json)
        return int(ours.exit_code)
    if isinstance(exc, ValueError) and "null byte" in str(exc):
        # os and open() refuse NUL in a path a person gave: bad input, not a failure.
        render.error_line("a file name cannot contain a NUL character", "invalid_input",
                          as_json=as_json)
        return int(ExitCode.BAD_INPUT)
    if isinstance(exc, OSError) and exc.errno is not None:
        render.error_line(f"{exc.strerror}: {exc.filename or ''}".rstrip(": "), "failed",
                          as_json=as_json)
        return int(ExitCode.FAILED)
    message = f"unexpected {type(exc).__name__}: {exc} (STUFFCTL_DEBUG=1 shows the traceback)"
    render.error_line(message, "failed", as_json=as_json)
    return int(ExitCode.FAILED)
