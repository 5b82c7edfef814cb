"""The fast paths of ``remind run``, ``status --brief`` and ``task next``: answer from
a read-only handle on the database in use (``store.sqlite.open_current``: the home's or
``--db``'s file, or the server a URL names; never a file when the database is a
server's) before Typer loads.

``remind run`` stores in the ``meta`` table the earliest local time at which
anything may next need attention (``next_attention_at``), with the config
file's stamp and ``TZ`` it was computed under. Every writing command deletes
that row in its own transaction (``store.FORGET_ATTENTION``). A plain
``remind run`` whose clock is before that time, under the same config and
TZ, has nothing to say and exits 0 at once. In every doubt (no database, an
older schema, no row, a different config) it falls through to the full command.
"""

from __future__ import annotations

import os
from datetime import datetime

ARGS = ("remind", "run")


def db_from(args: list[str]) -> tuple[str | None, list[str]] | None:
    """Strip a leading ``--db PATH``; None when the arguments are anything else."""
    if args[:1] == ["--db"] and len(args) >= 2:
        return args[1], args[2:]
    if args[:1] and args[0].startswith("--db="):
        return args[0].removeprefix("--db="), args[1:]
    return None, args


def _meta(db: str | None, keys: tuple[str, ...]) -> dict[str, str] | None:
    """The ``meta`` rows of a current database, or None in any doubt."""
    from stuffctl.store.sqlite import open_current

    conn = open_current(db)
    if conn is None:
        return None
    try:
        marks = ", ".join("?" for _ in keys)
        return dict(conn.execute(f"SELECT key, value FROM meta WHERE key IN ({marks})", keys))
    except Exception:  # either driver's error: the full command answers
        return None
    finally:
        conn.connection.close()


def _still_valid(meta: dict[str, str], until_key: str) -> bool:
    from stuffctl import paths

    return (meta.get("config_stamp") == paths.config_stamp()
            and meta.get("tz") == os.environ.get("TZ", "")
            and until_key in meta
            and datetime.now() < datetime.fromisoformat(meta[until_key]))


def nothing_to_do(args: list[str]) -> bool:
    """True when ``args`` is a plain ``remind run`` that can stay silent right now."""
    found = db_from(args)
    rest = [a for a in found[1] if a != "--quiet-hours"] if found else None
    if found is None or tuple(rest or ()) != ARGS:  # quiet hours: silent either way
        return False
    meta = _meta(found[0], ("next_attention_at", "config_stamp", "tz"))
    return meta is not None and _still_valid(meta, "next_attention_at")


# The brief command lines this path answers, and the stored form each prints.
BRIEF = {("status", "--brief"): "brief_line", ("status", "--brief", "--json"): "brief_json",
         ("status", "--json", "--brief"): "brief_json"}


def cached_brief(args: list[str]) -> str | None:
    """What a plain ``status --brief`` (its line) or ``status --brief --json`` (its JSON,
    compact) prints, if the stored one is still true, else None.

    The full command stores both (``services.status.brief_cached``) with the time they
    can next change; every write forgets them.
    """
    found = db_from(args)
    key = BRIEF.get(tuple(found[1])) if found else None
    if found is None or key is None:
        return None
    meta = _meta(found[0], (key, "brief_until", "config_stamp", "tz"))
    if meta is None or key not in meta or not _still_valid(meta, "brief_until"):
        return None
    return meta[key]


def status_brief(args: list[str]) -> int | None:
    """``status --brief [--json]`` from what the full command stored (the JSON written as
    the full command writes it); None when the full command must answer."""
    text = cached_brief(args)
    if text is None:
        return None
    import sys

    if "--json" not in args:
        sys.stdout.write(text + "\n")
        return 0
    import json

    from stuffctl import render

    try:
        render.emit_json(json.loads(text))
    except BrokenPipeError:
        from stuffctl.cli.main import quiet_broken_pipe

        return quiet_broken_pipe()
    return 0


NEXT_FORMATS = ("table", "json", "ndjson", "csv")


def next_options(args: list[str], verb: str = "next") -> tuple[str | None, int | None, str] | None:
    """(db, limit, format) of a ``task next`` (or ``task list``) line with only the options
    this path knows (``--limit/-n N``, ``--json``, ``--format/-f F``); None for anything
    else, so the full command reads, and if need be refuses, it."""
    found = db_from(args)
    if found is None or found[1][:2] != ["task", verb]:
        return None
    db, rest = found[0], found[1][2:]
    values = {"--limit": "5" if verb == "next" else None, "--format": None}
    names = {"-n": "--limit", "--limit": "--limit", "-f": "--format", "--format": "--format"}
    as_json, i = False, 0
    while i < len(rest):
        name, eq, value = rest[i].partition("=")
        if rest[i] == "--json":
            as_json, i = True, i + 1
            continue
        if name not in names or (eq and not name.startswith("--")):
            return None
        if not eq:
            if i + 1 >= len(rest):
                return None
            value, i = rest[i + 1], i + 1
        values[names[name]], i = value, i + 1
    fmt, limit = values["--format"], values["--limit"]
    if (limit is not None and (not (limit.isascii() and limit.isdigit()) or int(limit) < 1)) \
            or fmt not in (None, *NEXT_FORMATS) or (as_json and fmt not in (None, "json")):
        return None
    return db, None if limit is None else int(limit), "json" if as_json else fmt or "table"


def task_next(args: list[str]) -> int | None:
    """``task next`` or a plain ``task list`` before Typer loads (the same rows and output
    as the full command); None in any doubt: another option, no current database, a bad
    config."""
    verb = "list" if "list" in args[1:4] else "next"
    options = next_options(args, verb)
    if options is None:
        return None
    db, limit, fmt = options
    from stuffctl.store.sqlite import open_current

    conn = open_current(db)
    if conn is None:
        return None
    from datetime import date

    from stuffctl import render
    from stuffctl.render import task as columns

    try:
        if verb == "next":
            from stuffctl.services.task import rank

            rows = rank.next_tasks(conn, date.today(), limit=limit or 5)
            shown, empty = columns.NEXT_COLUMNS, "nothing to do"
        else:
            from stuffctl.services.task import records

            rows = list(records.list_tasks(db=conn, flt=records.TaskFilter(),
                                           today=date.today(), limit=limit))
            shown, empty = columns.COLUMNS, "no tasks match"
            if fmt == "csv":
                shown = [*columns.COLUMNS, *columns.CSV_EXTRA]
    except Exception:  # any doubt: the full command answers, or says what is wrong
        conn.connection.close()
        return None
    try:
        render.emit_list(rows, shown, render.Format(fmt), empty=empty)
    except BrokenPipeError:
        from stuffctl.cli.main import quiet_broken_pipe

        return quiet_broken_pipe()
    finally:
        conn.connection.close()
    return 0
