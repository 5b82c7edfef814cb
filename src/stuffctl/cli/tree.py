"""The command tree, built whole for help and docs, or for just the noun being run.

Building a command costs (Typer turns every parameter of every command into a
Click parameter): ``stuffctl tx list`` builds the root and ``tx``, not the
other sixteen nouns. ``NOUNS`` and ``COMMANDS`` are the whole tree, in the
order ``stuffctl --help`` lists it.
"""

from __future__ import annotations

import copy
import importlib
from collections.abc import Sequence
from typing import Any

# noun: (module under stuffctl.cli, its Typer attribute, help line)
NOUNS: dict[str, tuple[str, str, str]] = {
    "asset": ("asset.records", "app", "What you own: purchase, warranty, log, files."),
    "incident": ("incident", "app", "What broke: steps tried, what it cost, the fix."),
    "playbook": ("playbook", "app", "What fixed a symptom before, offered when it "
                 "happens again on the same model."),
    "bench": ("bench", "app", "This period against your own history, goals, peers."),
    "budget": ("budget", "app", "Spending limits per category and how much is used."),
    "category": ("category", "app", "Categories of money: expense or income, the "
                 "direction of an amount typed without a sign."),
    "config": ("config", "app", "Show and change settings."),
    "project": ("project", "app", "Things to get done: outcome, dates, budget."),
    "task": ("task", "app", "Steps of projects, and what to do next."),
    "db": ("db", "app", "The database file: info and checks."),
    "person": ("person", "app", "People who own, lend and borrow things."),
    "loan": ("loan", "app", "What is lent out and borrowed, and what is overdue."),
    "report": ("report", "app", "Reports: spending, assets, projects, cash flow, gaps."),
    "remind": ("remind", "app", "What needs attention; `remind run` for cron."),
    "sub": ("sub", "app", "Subscriptions and renewals: charges, costs."),
    "stock": ("stock", "app", "Consumables: how much is left, how fast it goes, when it "
              "runs out; `use` takes, `shopping` says what to buy."),
    "tx": ("tx", "app", "Transactions: money in and out, bank CSV import."),
    "import": ("data", "import_app", "Bring data in: a stuffctl export or bundle "
               "(import FILE), or from Taskwarrior or Homebox."),
}
# Modules that add verbs to a noun's app when imported.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "asset": ("asset.files", "asset.loans", "asset.maintenance",  # attach|…, lend|…, reading|…
              "asset.links", "asset.incidents"),  # link|links|unlink, incident
}
# command: (module, function)
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("demo", "demo"),
    "status": ("status", "status"),
    "find": ("data", "find"),
    "open": ("open", "open_asset"),
    "export": ("data", "export"),
    "share": ("data", "share"),
    "backup": ("data", "backup"),
    "restore": ("data", "restore"),
    "undo": ("undo", "undo"),
    "use": ("stock", "stock_use"),
    "shopping": ("stock", "shopping"),
}
# Root options that take a value (skipped when looking for the noun).
VALUE_OPTIONS = ("--db",)


def _module(name: str) -> Any:
    return importlib.import_module(f"stuffctl.cli.{name}")


def build(only: str | None = None, verb: str | None = None) -> Any:
    """The root Typer app with every noun and command, or with ``only`` that one; with
    ``verb`` too, that noun holds only that command (when it has one of that name)."""
    import typer

    from stuffctl.cli.root import root

    app = typer.Typer(
        name="stuffctl",
        help="Keep track of your stuff: assets, money, projects, reminders.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(root)
    for noun, (module, attr, help_text) in NOUNS.items():
        if only in (None, noun):
            for extension in EXTENSIONS.get(noun, ()):
                _module(extension)
            app.add_typer(_whole_help(_lean(getattr(_module(module), attr), verb)),
                          name=noun, help=help_text, short_help=help_text)
    for name, (module, function) in COMMANDS.items():
        if only in (None, name):
            callback = getattr(_module(module), function)
            app.command(name, short_help=first_paragraph(callback.__doc__))(callback)
    return app


def first_paragraph(doc: str | None) -> str | None:
    """A command's help up to its first blank line, on one line: its whole description in
    a group's list of commands, which Click would otherwise cut with "..." to fit."""
    import inspect

    text = inspect.cleandoc(doc or "").split("\n\n")[0]
    return " ".join(text.split()) or None


def _whole_help(noun: Any) -> Any:
    """The noun's commands (and sub-nouns') with their whole first paragraph as short
    help (``first_paragraph``): `stuffctl asset --help` shows each description whole."""
    for info in noun.registered_commands:
        if info.short_help is None and info.callback is not None:
            info.short_help = first_paragraph(info.help or info.callback.__doc__)
    for group in noun.registered_groups:
        if group.typer_instance is not None:
            _whole_help(group.typer_instance)
    return noun


def _lean(noun: Any, verb: str | None) -> Any:
    """The noun's Typer app with only the command ``verb`` (a shallow copy), or the app
    itself when ``verb`` is None or not one of its commands (its help, a misspelt verb
    that deserves suggestions, a sub-noun such as `bench goal`). Typer turns every
    parameter of every command of a group into a Click parameter when it builds the
    group: `asset log` should not pay for the nineteen other asset commands."""
    if verb is None:
        return noun
    found = [info for info in noun.registered_commands
             if (info.name or info.callback.__name__.lower().replace("_", "-")) == verb]
    if len(found) != 1:
        return noun
    lean = copy.copy(noun)
    lean.registered_commands, lean.registered_groups = found, []
    return lean


def invoked(args: Sequence[str]) -> tuple[str | None, str | None]:
    """The noun or command ``args`` run and the noun's verb, if any; (None, None) when it
    takes the whole tree to answer (root help, a misspelt noun that deserves
    suggestions, completion)."""
    rest = list(args)
    while rest and rest[0].startswith("-"):
        option = rest.pop(0)
        if option in VALUE_OPTIONS and rest:
            rest.pop(0)
        elif option not in VALUE_OPTIONS and "=" not in option:
            return None, None  # --help, --version, or an unknown option: the root answers
    if rest and rest[0] in NOUNS:
        return rest[0], rest[1] if len(rest) > 1 and not rest[1].startswith("-") else None
    if rest and rest[0] in COMMANDS:
        return rest[0], None
    return None, None
