"""The optional notification command: run with a title and a body, never via a shell."""

from __future__ import annotations

import subprocess

TIMEOUT_S = 30


def send(command: list[str], title: str, body: str) -> str | None:
    """Run ``command TITLE BODY``; return what went wrong, or None. The CLI writes the
    title and body (``render.remind.notification_text``): a service formats nothing.

    Called after the run's transaction committed (overlapping runs never send an
    occurrence twice); when it fails, `remind run` takes the record back
    (``engine.unrecord``) so that the next run sends it again.
    """
    if not command:
        return None
    try:
        done = subprocess.run([*command, title, body], capture_output=True, text=True,
                              timeout=TIMEOUT_S, check=False, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"notification command {command[0]!r} failed: {exc}"
    if done.returncode != 0:
        err = (done.stderr or "").strip().splitlines()
        why = f": {err[-1]}" if err else ""
        return f"notification command {command[0]!r} exited {done.returncode}{why}"
    return None
