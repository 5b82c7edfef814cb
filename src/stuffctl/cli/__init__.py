"""The Typer command tree. ``stuffctl.cli.app`` mounts one sub-app per noun."""
