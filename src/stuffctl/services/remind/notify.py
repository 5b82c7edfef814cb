"""Sending: the optional notification command, and a person's channels through Apprise.

The command (config ``notify.command``) is run with a title and a body, never via a
shell. A channel is an Apprise URL (``mailto://``, ``ntfy://``, ``json://``, …); Apprise
is imported only when one is checked or sent to. A channel's URL may hold a password or
a token: everything shown of it is :func:`mask`'s, and what Apprise says when a sending
fails passes through :func:`scrub` first.
"""

from __future__ import annotations

import re
import subprocess
from urllib.parse import parse_qsl, unquote, urlsplit

TIMEOUT_S = 30
HIDDEN = "****"
# Query values shown as they are: where a message goes and how, never a credential.
PLAIN_QUERY = frozenset(("to", "from", "name", "mode", "format", "priority", "secure",
                         "smtp", "cc", "bcc", "method", "lang"))
_HOST_NAME = re.compile(r"(?:[A-Za-z0-9-]+\.)+[A-Za-z0-9-]+|localhost|\[[0-9A-Fa-f:.]+\]")


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


# -- channels --------------------------------------------------------------------------

def _host_shown(host: str) -> bool:
    """A server's name (``smtp.example.com``, ``localhost``, an address) is shown; a bare
    word in its place is a topic or a token (``ntfy://mytopic``, ``tgram://BOT``)."""
    return bool(_HOST_NAME.fullmatch(host))


def _netloc(netloc: str) -> tuple[str, str | None, str, str]:
    """(user, password or None, host, port) of a URL's ``netloc``; a "port" of a host that
    is no server's name belongs to it (``tgram://BOT:TOKEN/CHAT``)."""
    userinfo, _, hostport = netloc.rpartition("@")
    user, colon, password = userinfo.partition(":")
    host, colon_, port = hostport.rpartition(":")
    if not colon_ or not port.isdigit() or not _host_shown(host) or (
            host.count(":") and not host.endswith("]")):
        host, port = hostport, ""
    return user, password if colon else None, host, port


def secrets(url: str) -> list[str]:
    """The parts of ``url`` that may be credentials, longest first (each also decoded)."""
    parts = urlsplit(url)
    user, password, host, _ = _netloc(parts.netloc)
    found = [password] if password else []
    if not _host_shown(host):
        found += [user, host, *host.split(":")]
    found += [segment for segment in parts.path.split("/") if segment]
    found += [value for key, value in parse_qsl(parts.query, keep_blank_values=True)
              if key.lower() not in PLAIN_QUERY and value]
    found += [unquote(s) for s in found]
    return sorted({s for s in found if s}, key=len, reverse=True)


def mask(url: str) -> str:
    """``url`` as it may be shown: scheme, server and where to; every password, token,
    topic and key as ``****``."""
    parts = urlsplit(url)
    user, password, host, port = _netloc(parts.netloc)
    shown = _host_shown(host)
    who = (user if shown else HIDDEN) if user else ""
    who += f":{HIDDEN}" if password is not None else ""
    who += "@" if "@" in parts.netloc else ""
    netloc = who + (host if shown or not host else HIDDEN) + (f":{port}" if port else "")
    path = "/".join(HIDDEN if segment else "" for segment in parts.path.split("/"))
    query = "&".join(f"{key}={value if key.lower() in PLAIN_QUERY else HIDDEN}"
                     for key, value in parse_qsl(parts.query, keep_blank_values=True))
    return f"{parts.scheme}://{netloc}{path}" + (f"?{query}" if query else "")


def scrub(text: str, url: str) -> str:
    """``text`` with every secret part of ``url`` (:func:`secrets`) replaced by ``****``."""
    for secret in secrets(url):
        if len(secret) >= 3:  # "a" or "/1" would blot out the message itself
            text = text.replace(secret, HIDDEN)
    return text


def check(url: str) -> str | None:
    """What is wrong with channel ``url`` (Apprise does not know it), or None."""
    import apprise

    if not apprise.Apprise().add(url):
        return (f"not a channel URL Apprise knows ({mask(url)}); see "
                "https://appriseit.com/services/ for the forms")
    return None


def deliver(url: str, title: str, body: str) -> str | None:
    """Send ``title`` and ``body`` to channel ``url`` through Apprise; None when the channel
    accepted it, else why not (scrubbed of the URL's secrets)."""
    import logging

    import apprise

    sender = apprise.Apprise()
    if not sender.add(url):
        return f"not a channel URL Apprise knows ({mask(url)})"
    with apprise.LogCapture(level=logging.WARNING,  # type: ignore[no-untyped-call]
                            fmt="%(message)s") as said:
        try:
            accepted = sender.notify(title=title, body=body)
        except Exception as exc:  # a plugin's own failure: the channel did not accept it
            return scrub(f"{type(exc).__name__}: {exc}", url)
        lines = [line for line in said.getvalue().splitlines() if line.strip()]
    if accepted:
        return None
    return scrub(lines[-1] if lines else "the channel did not accept the message", url)
