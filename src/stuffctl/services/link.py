"""Links: web pages (a manual, a product or support page, a video) about an asset or an
incident, and what `stuffctl open ASSET [WHAT]` opens.

The API other nouns call (`incident update --link URL`): :func:`add`, :func:`for_asset`,
:func:`for_incident`, :func:`remove`; each returns the one JSON shape of a link
(:func:`link_public`, docs/json.md#link). A URL is stored as :func:`normalise_url` makes
it (http, https or file; a bare ``example.com/x`` gets ``https://``), so the same page
given twice to one asset or incident is one link. An asset's own web page (the
``asset.url`` column, `asset add --url`) is listed with its links as kind ``page``,
without an id of its own.

:func:`choose` picks what `open` opens (:func:`target_public`, docs/json.md#open) and
:func:`launch` opens it: in the web browser Python's ``webbrowser`` finds (``BROWSER``
first), or with the ``open.command`` setting, its arguments a list, never a shell.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from stuffctl.errors import InvalidInput, NotFound, OperationFailed
from stuffctl.store import sql
from stuffctl.store.handle import Db, Row
from stuffctl.store.sql import stamp

SCHEMES = ("http", "https", "file")
KINDS = ("manual", "product", "support", "video", "parts", "page", "link")  # the usual ones
VIDEO_HOSTS = ("youtube.com", "youtu.be", "youtube-nocookie.com", "vimeo.com")
SHOWN = 5  # candidates an ambiguous WHAT lists

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):(.*)", re.DOTALL)
_PORT_NEXT = re.compile(r"\d+(?:[/?#]|$)")  # what follows host: in `localhost:8080/x`
_HOST = re.compile(r"[\w-]+(?:\.[\w-]+)*\.?", re.UNICODE)
_USER = re.compile(r"[\w.~%!$&'()*+,;=-]*")
_PASSWORD = re.compile(r"(//[^/?#@:]*:)[^/?#@]*@")
_IPV6 = re.compile(r"\[[0-9A-Fa-f:.]+\]")
_EXPECTED = "expected https://…, a host and path such as example.com/manual, or file:///…"


# -- URLs ------------------------------------------------------------------------------

def normalise_url(text: str) -> str:
    """The one stored form of a link's URL, or InvalidInput saying what is wrong.

    ``http``, ``https`` and ``file`` URLs, their scheme and host in lower case; a bare
    ``example.com/x`` (or ``//example.com/x``, ``localhost:8080``) gets ``https://``; an
    absolute path (``/…``, ``~/…``) becomes a ``file://`` URL; spaces are written
    ``%20``. Refused: other schemes (``mailto:``, ``javascript:``), control and
    invisible characters, a password in the URL, a host that is not one.
    """
    url = text.strip()
    if not url:
        raise InvalidInput("a link needs a URL")
    if any(unicodedata.category(c).startswith("C") for c in url):
        raise InvalidInput(f"not a URL: {_shown(url)} holds a control or invisible character")
    if url.startswith(("/", "~/")) and not url.startswith("//"):
        try:
            return Path(url).expanduser().as_uri()
        except RuntimeError:  # no home folder to expand ~ to
            raise InvalidInput(f"not a file: {_shown(url)} (no home folder for ~; give "
                               "the whole path)") from None
    url = "".join(_quoted(c) if c.isspace() else c for c in url)
    found = _SCHEME.fullmatch(url)
    if found and not _PORT_NEXT.match(found[2]):  # `localhost:8080/x` is a host and port
        scheme, rest = found[1].lower(), found[2]
        if scheme not in SCHEMES:
            raise InvalidInput(f"{scheme}: is not a link stuffctl opens; a link is an "
                               "http://, https:// or file:// URL")
    else:
        scheme, rest = "https", url if url.startswith("//") else f"//{url}"
        _check_bare(rest[2:], url)
    if scheme == "file":
        return _file_url(rest, url)
    if not rest.startswith("//"):
        raise InvalidInput(f"not a web address: {_shown(url)} ({_EXPECTED})")
    return f"{scheme}://{_netloc(rest[2:], url)}"


def _quoted(c: str) -> str:
    from urllib.parse import quote

    return quote(c, safe="")


def _shown(url: str) -> str:
    """``url`` for a message: a password in it masked, repr'd (control characters
    escaped), cut when long."""
    url = _PASSWORD.sub(r"\1****@", url)
    return repr(url if len(url) <= 80 else url[:77] + "...")


def _check_bare(rest: str, url: str) -> None:
    """A URL given without a scheme must start with a host: a name with a dot in it
    (``example.com``), ``localhost``, or an address; never an e-mail address."""
    host = re.split(r"[/?#]", rest, maxsplit=1)[0]
    if "@" in host:
        raise InvalidInput(f"not a web address: {_shown(url)} looks like an e-mail address "
                           f"({_EXPECTED})")
    name = host.rpartition(":")[0] if re.search(r":\d*$", host) else host
    if not (("." in name.strip(".")) or name.lower() == "localhost" or _IPV6.fullmatch(name)):
        raise InvalidInput(f"not a web address: {_shown(url)} ({_EXPECTED})")


def _netloc(rest: str, url: str) -> str:
    """``host[:port]/path…`` of an http(s) URL checked, with the host in lower case."""
    cut = re.search(r"[/?#]", rest)
    netloc, tail = (rest[:cut.start()], rest[cut.start():]) if cut else (rest, "")
    userinfo, at, hostport = netloc.rpartition("@")
    if ":" in userinfo:
        raise InvalidInput("a link cannot hold a password (the user:password@ part of "
                           "its URL): keep passwords out of stuffctl")
    if not _USER.fullmatch(userinfo):
        raise InvalidInput(f"not a web address: {_shown(url)} has a bad user name before @")
    host, port = _host_port(hostport)
    host = host.lower()
    if not (_HOST.fullmatch(host) or _IPV6.fullmatch(host)):
        raise InvalidInput(f"not a web address: {_shown(url)} has no valid host ({_EXPECTED})")
    if port is not None and not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
        raise InvalidInput(f"not a web address: {_shown(url)} has a bad port {port!r}")
    return f"{userinfo}{at}{host}{'' if port is None else ':' + port}{tail}"


def _host_port(hostport: str) -> tuple[str, str | None]:
    """(host, port or None) of ``example.com:8080``, ``[::1]:8080``, ``example.com``; what
    follows an address's ``]`` other than ``:port`` is returned as its (bad) port."""
    if hostport.startswith("["):
        end = hostport.find("]") + 1 or len(hostport)
        host, rest = hostport[:end], hostport[end:]
        return host, rest[1:] if rest.startswith(":") else (rest or None)
    host, colon, port = hostport.rpartition(":")
    return (host, port) if colon else (hostport, None)


def _file_url(rest: str, url: str) -> str:
    """``file:///path`` (``file:/path`` and ``file://localhost/path`` too): a local file."""
    if rest.startswith("//"):
        host, slash, path = rest[2:].partition("/")
        if host.lower() not in ("", "localhost"):
            raise InvalidInput(f"not a local file: {_shown(url)} names a host; a file link "
                               "is file:///path/to/file")
        rest = slash + path
    if not rest.startswith("/"):
        raise InvalidInput(f"not a file URL: {_shown(url)} (expected file:///path/to/file)")
    return f"file://{rest}"


def guess_kind(url: str, title: str | None = None) -> str:
    """``video`` for YouTube and Vimeo, ``manual`` for a PDF or a "manual" in the URL or
    title, else ``link``."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    if any(host == h or host.endswith(f".{h}") for h in VIDEO_HOSTS):
        return "video"
    if parts.path.lower().endswith(".pdf") or "manual" in f"{url} {title or ''}".lower():
        return "manual"
    return "link"


def normalise_kind(text: str) -> str:
    """A kind as stored: one word in lower case (``manual``, ``support``, ``parts``, …)."""
    kind = text.strip().lower()
    if not kind or any(c.isspace() or unicodedata.category(c).startswith("C") for c in kind):
        raise InvalidInput(f"--kind: one word, such as {', '.join(KINDS[:4])} "
                           f"(got {text!r})")
    return kind


# -- links -----------------------------------------------------------------------------

LINKS = sql.select_all("link")


def link_public(row: Row | dict[str, Any]) -> dict[str, Any]:
    """The one JSON shape of a link (docs/json.md#link), from its stored row."""
    return {"id": row["id"], "uid": row["uid"], "asset_id": row["asset_id"],
            "incident_id": row["incident_id"], "kind": row["kind"], "url": row["url"],
            "title": row["title"], "created_at": stamp(row["created_at"]),
            "updated_at": stamp(row["updated_at"])}


def page_public(asset_id: int, url: str) -> dict[str, Any]:
    """An asset's own web page (``asset.url``) in the shape of a link: kind ``page``, no
    id of its own (`asset edit --url` changes it)."""
    return {"id": None, "uid": None, "asset_id": asset_id, "incident_id": None,
            "kind": "page", "url": url, "title": None, "created_at": None,
            "updated_at": None}


def add(db: Db, *, asset_id: int | None = None, incident_id: int | None = None, url: str,
        kind: str | None = None, title: str | None = None) -> dict[str, Any]:
    """Link ``url`` to an asset or (the other keyword) an incident; the link's shape.
    ``kind`` is guessed from the URL and title when not given (:func:`guess_kind`). The
    same URL again on the same asset or incident is the same link: a kind or title given
    this time replaces the one it had."""
    owner, owner_id = _owner(asset_id, incident_id)
    sql.row_or_404(db, owner, ("id",), owner_id, owner)
    address = normalise_url(url)
    named = (title or "").strip() or None
    chosen = normalise_kind(kind) if kind is not None else None
    found = db.rows(f"{LINKS} WHERE {owner}_id = ? AND url = ? ORDER BY id LIMIT 1",
                    (owner_id, address)).fetchone()
    if found is None:
        link_id = sql.insert(db, "link", {
            f"{owner}_id": owner_id, "url": address, "title": named,
            "kind": chosen or guess_kind(address, named)})
    else:
        link_id = found["id"]
        changes = {k: v for k, v in (("kind", chosen), ("title", named))
                   if v is not None and v != found[k]}
        if changes:
            sql.update(db, "link", link_id, changes)
    return _public(db, link_id)


def _owner(asset_id: int | None, incident_id: int | None) -> tuple[str, int]:
    """("asset", id) or ("incident", id): a link belongs to exactly one of them."""
    if (asset_id is None) == (incident_id is None):
        raise InvalidInput("a link belongs to an asset or to an incident (one of them)")
    return ("asset", asset_id) if asset_id is not None else ("incident", incident_id or 0)


def _public(db: Db, link_id: int) -> dict[str, Any]:
    return link_public(sql.row_or_404(db, "link", None, link_id, "link"))


def for_asset(db: Db, asset_id: int) -> list[dict[str, Any]]:
    """An asset's links, oldest first, then its own web page (kind ``page``) unless a
    link has the same URL; NotFound for an unknown asset."""
    (page,) = sql.row_or_404(db, "asset", ("url",), asset_id, "asset")
    links = [link_public(r) for r in db.rows(f"{LINKS} WHERE asset_id = ? ORDER BY id",
                                             (asset_id,))]
    if page and all(link["url"] != page for link in links):
        links.append(page_public(asset_id, page))
    return links


def for_incident(db: Db, incident_id: int) -> list[dict[str, Any]]:
    """An incident's links, oldest first; NotFound for an unknown incident."""
    sql.row_or_404(db, "incident", ("id",), incident_id, "incident")
    return [link_public(r) for r in db.rows(f"{LINKS} WHERE incident_id = ? ORDER BY id",
                                            (incident_id,))]


def remove(db: Db, link_id: int, *, asset_id: int | None = None,
           incident_id: int | None = None) -> dict[str, Any]:
    """Delete link ``link_id``; its shape as it was. With ``asset_id`` or
    ``incident_id``, InvalidInput when the link is not theirs."""
    data = _public(db, link_id)
    for owner, given in (("asset", asset_id), ("incident", incident_id)):
        if given is not None and data[f"{owner}_id"] != given:
            raise InvalidInput(f"link {link_id} does not belong to {owner} {given}")
    db.execute("DELETE FROM link WHERE id = ?", (link_id,))
    return data


# -- open ------------------------------------------------------------------------------

def target_public(asset_id: int, source: str, ident: int | None, kind: str,
                  title: str | None, url: str, path: str | None = None) -> dict[str, Any]:
    """What `open` opens (docs/json.md#open): a ``link``, the asset's ``page`` or a stored
    ``file`` (an attachment: ``path`` is the stored copy, ``url`` its file:// URL)."""
    return {"asset_id": asset_id, "source": source, "id": ident, "kind": kind,
            "title": title, "url": url, "path": path}


def choose(db: Db, *, asset_id: int, what: str | None = None) -> dict[str, Any]:
    """What `stuffctl open ASSET [WHAT]` opens (:func:`target_public`).

    Without ``what``: the first ``manual`` link, else the first link, else the asset's
    web page. With it, the first of these steps that finds anything: the link with that
    id; links of that kind (``page`` too); the link titled or the file named exactly
    that; links whose title or URL and files whose name hold it (any case). One found is
    the answer; more are InvalidInput listing them; none at all is NotFound.
    """
    (name,) = sql.row_or_404(db, "asset", ("name",), asset_id, "asset")
    links = [_link_target(link) for link in for_asset(db, asset_id)]
    if what is None or not what.strip():
        real = [t for t in links if t["source"] == "link"]
        found = ([t for t in real if t["kind"] == "manual"] or real or links)[:1]
        if not found:
            raise NotFound(f"asset {asset_id} ({name}) has no link or web page to open: add "
                           f"one with 'stuffctl asset link {asset_id} URL'"
                           f"{_files_hint(db, asset_id)}")
        return found[0]
    files = _file_targets(db, asset_id)
    for step in _steps(what.strip()):
        found = [t for t in [*links, *files] if step(t)]
        if len(found) == 1:
            return _checked(found[0])
        if found:
            raise _ambiguous(asset_id, name, what.strip(), found)
    raise NotFound(f"asset {asset_id} ({name}) has no link, web page or file matching "
                   f"{what.strip()!r} (see 'stuffctl asset links {asset_id}' and "
                   f"'stuffctl asset files {asset_id}')")


def _link_target(link: dict[str, Any]) -> dict[str, Any]:
    return target_public(link["asset_id"], "link" if link["id"] else "page", link["id"],
                         link["kind"], link["title"], link["url"])


def _file_targets(db: Db, asset_id: int) -> list[dict[str, Any]]:
    from stuffctl.store.blobs import blob_path

    found = []
    for ident, filename, sha in db.execute(
            "SELECT id, filename, sha256 FROM attachment WHERE asset_id = ? ORDER BY id",
            (asset_id,)):
        try:
            path = blob_path(sha)
        except InvalidInput:  # a tampered hash: `db check` says so; it opens nothing
            continue
        found.append(target_public(asset_id, "file", ident, "file", filename,
                                   path.as_uri(), str(path)))
    return found


def _files_hint(db: Db, asset_id: int) -> str:
    (files,) = db.execute("SELECT count(*) FROM attachment WHERE asset_id = ?",
                          (asset_id,)).fetchone()
    return (f"; its files open by name ('stuffctl open {asset_id} FILENAME')"
            if files else "")


def _steps(what: str) -> list[Any]:
    """The tests of :func:`choose`'s steps, in order, each of a target."""
    typed = what.casefold()

    def words(t: dict[str, Any]) -> list[str]:
        return [v.casefold() for v in (t["title"], t["url"] if t["source"] != "file" else None)
                if v]

    return [
        lambda t: t["source"] == "link" and typed.isdigit() and t["id"] == int(typed),
        lambda t: t["kind"].casefold() == typed,
        lambda t: (t["title"] or "").casefold() == typed,
        lambda t: any(typed in w for w in words(t)),
    ]


def _checked(target: dict[str, Any]) -> dict[str, Any]:
    """``target``, once its stored copy is there when it is a file."""
    if target["path"] is not None and not Path(target["path"]).is_file():
        raise OperationFailed(f"the stored copy of file {target['id']} ({target['title']}) "
                              f"is missing: {target['path']} (see 'stuffctl db check')")
    return target


def _ambiguous(asset_id: int, name: str, what: str,
               found: Sequence[dict[str, Any]]) -> InvalidInput:
    listed = [_described(t) for t in found[:SHOWN]]
    more = f" (and {len(found) - SHOWN} more)" if len(found) > SHOWN else ""
    return InvalidInput(f"{len(found)} links and files of asset {asset_id} ({name}) match "
                        f"{what!r}: {'; '.join(listed)}{more}; give the link id, or more of "
                        "its title, URL or file name")


def _described(target: dict[str, Any]) -> str:
    if target["source"] == "file":
        return f"file {target['id']} {target['title']}"
    if target["source"] == "page":
        return f"the web page {target['url']}"
    title = f" {target['title']!r}" if target["title"] else ""
    return f"link {target['id']} ({target['kind']}){title} {target['url']}"


def launch(target: dict[str, Any], command: Sequence[str] = ()) -> None:
    """Open ``target`` (:func:`choose`): with ``command`` (the ``open.command`` setting)
    given its URL, or a file's path, as its last argument; else in the browser Python's
    ``webbrowser`` finds (``BROWSER`` first). What the opener prints goes to stderr:
    stdout holds only data (`open --json`). OperationFailed when nothing opened it."""
    import subprocess

    with _stdout_to_stderr():
        if command:
            argument = target["path"] or target["url"]
            try:
                done = subprocess.run([*command, argument], check=False)
            except OSError as exc:
                raise OperationFailed(f"open.command {command[0]!r} could not run: "
                                      f"{exc.strerror or exc}") from None
            if done.returncode != 0:
                raise OperationFailed(f"open.command {command[0]!r} exited "
                                      f"{done.returncode} opening {argument}")
            return
        import webbrowser

        try:
            opened = webbrowser.open(target["url"])
        except webbrowser.Error as exc:
            raise OperationFailed(f"could not open {target['url']}: {exc}") from None
    if not opened:
        raise OperationFailed(f"no web browser opened {target['url']}: set BROWSER, or "
                              "'stuffctl config set open.command xdg-open' (or open, on a "
                              "Mac); --print prints it instead")


@contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """File descriptor 1 made a copy of 2 meanwhile: what a program started now (and
    what it starts in the background) writes to stdout lands on stderr."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
