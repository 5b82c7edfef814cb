"""The ``stuffctl`` console script: as little as possible before dispatch.

Kept free of heavy imports so ``stuffctl --help`` costs no more than Typer,
and so fast paths for the unattended commands (and ``task next`` and ``task list``,
which people run between every two things they do) can answer before Typer loads.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    if any(not a.isascii() for a in args):  # maybe not UTF-8: the boundary says so
        from stuffctl.cli.main import not_text, run

        if not_text(args) is not None:
            return run(args)
    if "__complete" in args[:3]:
        from stuffctl.fastpath import db_from

        db, rest = db_from(args) or (None, args)
        if rest[:1] == ["__complete"]:
            from stuffctl.completion import main as complete

            return complete(rest[1:], db)
    if "run" in args[-2:] and "remind" in args[-3:]:
        from stuffctl.fastpath import nothing_to_do

        if nothing_to_do(args):
            return 0
    if "--brief" in args[-2:] and "status" in args[-3:]:
        from stuffctl.fastpath import status_brief

        code = status_brief(args)
        if code is not None:
            return code
    if ("next" in args[1:4] or "list" in args[1:4]) and "task" in args[:3]:
        from stuffctl.fastpath import task_next

        code = task_next(args)
        if code is not None:
            return code
    from stuffctl.cli.main import run

    return run(args)
