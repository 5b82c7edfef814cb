"""The whole command tree, for docs and tests (the root command is ``stuffctl.cli.root``).

The console script builds only the part of the tree a command line needs
(``stuffctl.cli.tree``); ``app`` here is everything, as ``stuffctl --help``,
the generated docs and the completion scripts show it.
"""

from __future__ import annotations


def __getattr__(name: str) -> object:
    if name == "app":  # built on first use: importing this module must not build it
        from stuffctl.cli.tree import build

        globals()["app"] = built = build()
        return built
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
