"""Your data, always yours: ``find``, ``export``, ``import``, ``share``, ``backup``, ``restore``.

``stuffctl import FILE`` and ``stuffctl import taskwarrior FILE`` coexist
through a group whose first word, when it is not a subcommand, is taken as the
file of the default subcommand ``file``: ``import FILE`` is ``import file FILE``
(a file literally called ``homebox`` is imported with ``import file homebox``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from stuffctl import render
from stuffctl.cli.options import FormatOpt, JsonOpt, LimitOpt, RawOpt, YesOpt, records, words

DryRunOpt = Annotated[bool, typer.Option("--dry-run", "-n", help="Show what would change; "
                      "change nothing.")]
OutOpt = Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file "
                   "(default: stdout).", show_default=False)]
WithFilesOpt = Annotated[bool, typer.Option("--with-files", help="Write a .zip holding the "
                         "document and the attached files.")]
FileArg = Annotated[Path, typer.Argument(help="The file to read.", show_default=False)]


class ImportGroup(TyperGroup):
    """``import FILE`` means ``import file FILE``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        first = next((a for a in args if a not in ("-n", "--dry-run", "--json")), None)
        if first is not None and first not in self.commands and first not in ("-h", "--help"):
            args = ["file", *args]
        return super().parse_args(ctx, args)


import_app = typer.Typer(cls=ImportGroup, no_args_is_help=True)


def _say_import(data: dict[str, Any], as_json: bool) -> None:
    if as_json:
        render.emit_json(data)
        return
    verb = "would change" if data["dry_run"] else "imported"
    parts = [f"{name}: " + ", ".join(f"{v} {k}" for k, v in counts.items() if v)
             for name, counts in data["tables"].items()]
    typer.echo(f"{verb} {render.safe(data['file'])}: " + ("; ".join(parts) or "nothing new"))
    for c in data["conflicts"]:
        render.note(f"conflict: {c['table']} {c['uid']}: {c['reason']}; kept the {c['kept']} copy")
    for sha in data.get("missing_files", []):
        render.note(f"warning: attachment file {sha[:12]}… is neither in {data['file']} nor "
                    "here; import a .zip made with --with-files (share or export) to add it")


@import_app.command("file")
def import_file(file: FileArg, dry_run: DryRunOpt = False, as_json: JsonOpt = False) -> None:
    """Import a stuffctl export or share bundle (.json or .zip), merging by uid."""
    from stuffctl import store
    from stuffctl.services.data import bundle

    with store.transaction(write=True) as db:
        data = bundle.import_file(db=db, path=file, dry_run=dry_run)
    _say_import(data, as_json)


@import_app.command("homebox")
def import_homebox(
    file: Annotated[Path, typer.Argument(help="Homebox's CSV export.", show_default=False)],
    currency: Annotated[str | None, typer.Option("--currency", help="Currency of the prices "
                        "(default: the configured one).")] = None,
    dry_run: DryRunOpt = False, as_json: JsonOpt = False,
) -> None:
    """Import items from a Homebox CSV export (re-importing the same file changes nothing)."""
    from stuffctl import config, store
    from stuffctl.cli.options import currency_opt
    from stuffctl.services.data.importers import homebox

    cur = currency_opt("--currency", currency) or str(config.get("currency"))
    with store.transaction(write=True) as db:
        data = homebox.import_file(db=db, path=file, currency=cur, dry_run=dry_run)
    _say_import(data, as_json)


@import_app.command("taskwarrior")
def import_taskwarrior(
    file: Annotated[Path, typer.Argument(help="The output of 'task export'.",
                    show_default=False)],
    dry_run: DryRunOpt = False, as_json: JsonOpt = False,
) -> None:
    """Import projects and tasks from Taskwarrior's 'task export' JSON."""
    from stuffctl import store
    from stuffctl.services.data.importers import taskwarrior

    with store.transaction(write=True) as db:
        data = taskwarrior.import_file(db=db, path=file, dry_run=dry_run)
    _say_import(data, as_json)


def export(
    out: OutOpt = None, with_files: WithFilesOpt = False, as_json: JsonOpt = False,
) -> None:
    """Write the whole database as one versioned JSON document (lossless; see docs/data.md)."""
    from stuffctl import store
    from stuffctl.errors import InvalidInput
    from stuffctl.services.data import bundle, document

    if out is None:
        if with_files:
            raise InvalidInput("--with-files needs --out FILE.zip")
        with store.transaction() as db:
            render.emit_chunks(document.document(db))
        return
    with store.transaction() as db:
        data = bundle.write_file(db=db, out=out, with_files=with_files)
    _say_written(data, as_json)


def _say_written(data: dict[str, Any], as_json: bool) -> None:
    for sha in data["missing_files"]:
        render.note(f"warning: attachment file {sha[:12]}… is missing here; not included")
    if as_json:
        render.emit_json(data)
    else:
        typer.echo(f"wrote {data['kind']} to {render.safe(data['path'])}")


def _playbook_choices() -> tuple[str, ...]:
    from stuffctl.services.data.share import PLAYBOOKS

    return PLAYBOOKS


def share(
    out: Annotated[Path, typer.Option("--out", "-o", help="The bundle file to write.",
                   show_default=False)],
    project: Annotated[list[str] | None, typer.Option("--project", "-p", help="A project, "
                       "by id or name (repeatable).", autocompletion=records("project"))]
    = None,
    asset: Annotated[list[str] | None, typer.Option("--asset", "-a", help="An asset, by id "
                     "or name (repeatable).", autocompletion=records("asset"))] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", "-t", help="Everything with this "
                   "tag (repeatable).")] = None,
    playbooks: Annotated[str, typer.Option("--playbooks", help="The playbooks it carries: "
                         "matching (those of the shared assets' models and categories), "
                         "all (every one; then nothing else need be shared) or none.",
                         autocompletion=words(_playbook_choices))] = "matching",
    label: Annotated[str, typer.Option("--label", help="Where its playbooks come from, as "
                     "the homes that import it see them (their origin).")] = "shared",
    with_files: WithFilesOpt = False, as_json: JsonOpt = False,
) -> None:
    """Write chosen things and what they need as a bundle another stuffctl can import."""
    from stuffctl import store
    from stuffctl.services.data import bundle
    from stuffctl.services.data import share as sharing
    from stuffctl.services.lookup import resolve

    with store.transaction() as db:
        selection: dict[str, set[int]] = {}
        if project or asset or tag:
            chosen = sharing.roots(
                db=db, projects=[resolve(db, "project", p, "--project") for p in project or []],
                assets=[resolve(db, "asset", a, "--asset") for a in asset or []],
                tags=list(tag or []))
            selection = sharing.closure(db=db, chosen=chosen)
        selection = sharing.with_playbooks(db=db, selection=selection, which=playbooks)
        data = bundle.write_file(db=db, out=out, with_files=with_files, kind="share",
                                 selection=selection, overrides=sharing.anonymised(label))
    _say_written(data, as_json)


def find(
    text: Annotated[str, typer.Argument(help="Words to look for (every word must match, as a "
                    "prefix).", show_default=False)],
    limit: LimitOpt = None, fmt: FormatOpt = None, as_json: JsonOpt = False,
    raw: RawOpt = False,
) -> None:
    """Search everything: assets, custom fields, log notes, transactions, people, projects."""
    from stuffctl import store
    from stuffctl.cli.options import pick_format
    from stuffctl.services.data import find as search

    form = pick_format(fmt, as_json)
    with store.transaction() as db:
        hits = search.find(db=db, text=text, limit=limit or 50)
    render.emit_list(hits, HIT_COLUMNS if form is render.Format.table else HIT_CSV, form,
                     empty="nothing found")


HIT_COLUMNS = [
    render.Column("KIND", "kind"),
    render.Column("ID", "id", justify="right"),
    render.Column("TITLE", "title"),
    render.Column("MATCH", "snippet"),
]
# CSV: the keys of the JSON shape (docs/json.md#find-hit), in its order
HIT_CSV = [render.Column(key, key) for key in ("kind", "id", "title", "snippet", "score")]


def backup(out: OutOpt = None, as_json: JsonOpt = False) -> None:
    """Copy the database and its attached files safely, even while it is written.

    Keeps the newest backups.keep copies made in the home (see docs/data.md).
    """
    from stuffctl import config
    from stuffctl.store import backup as backups

    data = backups.backup_now(out, keep=int(config.get("backups.keep")), export=_export_to)
    for sha in data["missing_files"]:
        render.note(f"warning: attachment file {sha[:12]}… is missing here, so not in the "
                    "backup (see stuffctl db check)")
    if as_json:
        render.emit_json(data)
    else:
        typer.echo(f"backed up to {render.safe(data['path'])}{_files(data['files'])}")


def _export_to(target: Path) -> None:
    """A server database's backup where pg_dump is not installed: the export document."""
    from stuffctl import store
    from stuffctl.services.data import bundle

    with store.transaction() as db:
        bundle.write_file(db=db, out=target)


def _files(count: int) -> str:
    return f" with {count} attached file{'s' if count != 1 else ''}" if count else ""


def restore(file: FileArg, yes: YesOpt = False, as_json: JsonOpt = False) -> None:
    """Replace the database with a checked backup, adding its files; the old one is kept."""
    from stuffctl import config
    from stuffctl.store import restore as restores

    restores.check_candidate(file)
    live = restores.restore_target()
    if not yes and not typer.confirm(f"Replace {live} with {file}?", err=True):
        raise typer.Abort()
    data = restores.restore_from(file, keep=int(config.get("backups.keep")))
    for sha in data["missing_files"]:
        render.note(f"warning: attachment file {sha[:12]}… is neither in the backup nor "
                    "here (see stuffctl db check)")
    if as_json:
        render.emit_json(data)
    else:
        kept = f"; the replaced database is kept as {data['replaced_kept_as']}" if data[
            "replaced_kept_as"] else ""
        typer.echo(f"restored {render.safe(str(file))}{_files(data['files_restored'])}{kept}")
