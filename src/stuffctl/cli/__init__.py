"""The Typer command tree. ``stuffctl.cli.tree`` mounts one sub-app per noun."""
