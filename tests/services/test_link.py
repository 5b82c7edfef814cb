"""Links as services: URLs in one form, one link per page, an asset's page among its
links, and what `open` picks and how it is launched (a real program, not a mock)."""

from __future__ import annotations

import re
import stat
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stuffctl.errors import InvalidInput, NotFound, OperationFailed
from stuffctl.services import asset, link
from stuffctl.services.asset import AssetChanges
from stuffctl.services.link import guess_kind, normalise_url
from stuffctl.store import sql

MANUAL = "https://media3.bosch-home.com/Documents/SMS6ZCI42E.pdf"
PAGE = "https://www.bosch-home.com/store/sms6zci42e"


def add_asset(db, name: str, url: str | None = None) -> int:
    values = {"name": name, **({"url": url} if url else {})}
    return int(asset.add_asset(db=db, changes=AssetChanges(values=values))["id"])


def add_incident(db, asset_id: int) -> int:
    """An incident row as its own service would write it (that noun is not links')."""
    return sql.insert(db, "incident", {"asset_id": asset_id, "symptom": "leaks",
                                       "started_on": date(2026, 3, 1)})


def attach(db, asset_id: int, tmp_path: Path, name: str, content: bytes) -> int:
    from stuffctl.store import blobs

    source = tmp_path / name
    source.write_bytes(content)
    sha, size = blobs.store_file(source)
    return int(asset.add_attachment(db=db, asset_id=asset_id, filename=name, sha256=sha,
                                    size=size)["id"])


def recorder(tmp_path: Path, code: int = 0) -> tuple[Path, Path]:
    """A small program that appends each argument it is given to a file, prints a line
    on stdout, and exits ``code``: what an opener was asked to open."""
    record, program = tmp_path / "opened.txt", tmp_path / "record-open"
    program.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$@\" >> '{record}'\n"
                       f"echo 'Opening in existing browser session.'\nexit {code}\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return program, record


# -- URLs ------------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "stored"), [
    (MANUAL, MANUAL),
    ("  HTTPS://Media3.Bosch-Home.com/Documents/X.pdf ", "https://media3.bosch-home.com/Documents/X.pdf"),
    ("bosch-home.com/service", "https://bosch-home.com/service"),
    ("//bosch-home.com/service", "https://bosch-home.com/service"),
    ("example.com", "https://example.com"),
    ("example.com?q=a b", "https://example.com?q=a%20b"),
    ("localhost:8080/manual", "https://localhost:8080/manual"),
    ("http://[::1]:8080/x", "http://[::1]:8080/x"),
    ("https://user@Example.com/x#part", "https://user@example.com/x#part"),
    ("https://例え.jp/パス", "https://例え.jp/パス"),
    ("file:///home/me/My Manual.pdf", "file:///home/me/My%20Manual.pdf"),
    ("file:/home/me/m.pdf", "file:///home/me/m.pdf"),
    ("FILE://localhost/home/me/m.pdf", "file:///home/me/m.pdf"),
    ("/home/me/My Manual.pdf", "file:///home/me/My%20Manual.pdf"),
])
def test_a_url_is_stored_in_one_form(typed, stored):
    assert normalise_url(typed) == stored


@pytest.mark.parametrize(("typed", "message"), [
    ("", "a link needs a URL"),
    ("   ", "a link needs a URL"),
    ("notes", "not a web address: 'notes' (expected https://…, a host and path such as "
              "example.com/manual, or file:///…)"),
    ("mailto:me@example.com", "mailto: is not a link stuffctl opens; a link is an http://, "
     "https:// or file:// URL"),
    ("javascript:alert(1)", "javascript: is not a link stuffctl opens; a link is an "
     "http://, https:// or file:// URL"),
    ("ftp://example.org/x", "ftp: is not a link stuffctl opens; a link is an http://, "
     "https:// or file:// URL"),
    ("me@example.com", "not a web address: 'me@example.com' looks like an e-mail address "
     "(expected https://…, a host and path such as example.com/manual, or file:///…)"),
    ("https://", "not a web address: 'https://' has no valid host (expected https://…, a "
     "host and path such as example.com/manual, or file:///…)"),
    ("https:example.com", "not a web address: 'https:example.com' (expected https://…, a "
     "host and path such as example.com/manual, or file:///…)"),
    ("https://example.com:99999/x", "not a web address: 'https://example.com:99999/x' has a "
     "bad port '99999'"),
    ("https://bob:hunter2@example.com/", "a link cannot hold a password (the "
     "user:password@ part of its URL): keep passwords out of stuffctl"),
    ("https://exa mple.com/", "not a web address: 'https://exa%20mple.com/' has no valid "
     "host (expected https://…, a host and path such as example.com/manual, or file:///…)"),
    ("https://example.com/\x1b[2J", "not a URL: 'https://example.com/\\x1b[2J' holds a "
     "control or invisible character"),
    ("file://nas/share/x.pdf", "not a local file: 'file://nas/share/x.pdf' names a host; a "
     "file link is file:///path/to/file"),
    ("file:x.pdf", "not a file URL: 'file:x.pdf' (expected file:///path/to/file)"),
])
def test_what_is_not_a_link_is_refused_with_the_reason(typed, message):
    with pytest.raises(InvalidInput) as caught:
        normalise_url(typed)
    assert caught.value.message == message


@pytest.mark.parametrize("typed", [
    "https://bob:hunter2@example.com/", "bob:hunter2@example.com", "//bob:hunter2@example.com",
    "file://bob:hunter2@nas/x", "https://bob:hunter2@exa mple.com/", "ftp://bob:hunter2@x.org/"])
def test_a_password_is_never_repeated_in_the_message(typed):
    with pytest.raises(InvalidInput) as caught:
        normalise_url(typed)
    assert "hunter2" not in caught.value.message


_PIECES = st.sampled_from([
    "a", "Z", ".", ":", "/", "@", "[", "]", "?", "#", "%", "~", " ", "-", "_", "1", "é",
    "\u00a0", "İ", "\x00", "\u202e", "http://", "https://", "file://", "file:", "//",
    "localhost", "example.com", "mailto:", ":80", "user@"])
_TEXTS = st.one_of(st.text(max_size=40), st.lists(_PIECES, max_size=12).map("".join))


@settings(max_examples=500)
@given(_TEXTS)
def test_any_text_is_a_url_in_its_one_form_or_a_clear_refusal(text):
    try:
        url = normalise_url(text)
    except InvalidInput as refused:
        assert refused.message and "\n" not in refused.message
        return
    assert normalise_url(url) == url  # the stored form is a fixed point
    parts = urlsplit(url)
    assert parts.scheme in link.SCHEMES
    assert parts.scheme == "file" or parts.hostname
    assert not any(c.isspace() for c in url)


_LABEL = st.from_regex(r"[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,10}[a-zA-Z0-9])?", fullmatch=True)
_HOSTS = st.lists(_LABEL, min_size=2, max_size=4).map(".".join)
_PATHS = st.lists(st.from_regex(r"[A-Za-z0-9._~!$&'()*+,;=:@%-]{1,12}", fullmatch=True),
                  max_size=4).map(lambda parts: "".join(f"/{p}" for p in parts))


@given(st.sampled_from(["http", "https", "HTTPS"]), _HOSTS, st.none() | st.integers(1, 65535),
       _PATHS)
def test_a_web_address_keeps_everything_but_the_case_of_its_scheme_and_host(
        scheme, host, port, path):
    netloc = host + (f":{port}" if port else "")
    assert normalise_url(f"{scheme}://{netloc}{path}") == (
        f"{scheme.lower()}://{netloc.lower()}{path}")
    # typed without the scheme, it is an https:// address
    assert normalise_url(f"{netloc}{path}") == f"https://{netloc.lower()}{path}"


@pytest.mark.parametrize(("url", "title", "kind"), [
    ("https://www.youtube.com/watch?v=abc", None, "video"),
    ("https://youtu.be/abc", None, "video"),
    ("https://m.youtube.com/watch?v=abc", None, "video"),
    ("https://player.vimeo.com/video/1", None, "video"),
    (MANUAL, None, "manual"),
    ("https://example.com/Manuals/drill", None, "manual"),
    ("https://example.com/docs/42", "User manual", "manual"),
    (PAGE, None, "link"),
    ("https://notyoutube.com/x", None, "link"),
])
def test_the_kind_is_guessed_from_the_url_and_title(url, title, kind):
    assert guess_kind(url, title) == kind


# -- links -----------------------------------------------------------------------------

def test_a_link_is_added_with_its_kind_guessed_and_listed(db):
    dishwasher = add_asset(db, "Dishwasher")
    made = link.add(db, asset_id=dishwasher, url=MANUAL)
    assert set(made) == {"id", "uid", "asset_id", "incident_id", "kind", "url", "title",
                         "created_at", "updated_at"}
    assert (made["asset_id"], made["incident_id"], made["kind"], made["url"], made["title"]) \
        == (dishwasher, None, "manual", MANUAL, None)
    video = link.add(db, asset_id=dishwasher, url="youtube.com/watch?v=f1", title=" Filter ")
    assert (video["kind"], video["title"]) == ("video", "Filter")
    assert [x["id"] for x in link.for_asset(db, dishwasher)] == [made["id"], video["id"]]


def test_the_same_page_twice_is_one_link_and_a_new_kind_or_title_replaces_its_own(db):
    dishwasher = add_asset(db, "Dishwasher")
    first = link.add(db, asset_id=dishwasher, url="bosch-home.com/service", title="Service")
    again = link.add(db, asset_id=dishwasher, url="HTTPS://Bosch-Home.com/service")
    assert again == first
    changed = link.add(db, asset_id=dishwasher, url="https://bosch-home.com/service",
                       kind=" Support ", title="Bosch service")
    assert (changed["id"], changed["kind"], changed["title"]) == (
        first["id"], "support", "Bosch service")
    assert len(link.for_asset(db, dishwasher)) == 1
    # another asset's link to the same page is its own
    kettle = add_asset(db, "Kettle")
    assert link.add(db, asset_id=kettle, url="bosch-home.com/service")["id"] != first["id"]


@pytest.mark.parametrize("kind", ["", "  ", "user guide", "a\x1bb"])
def test_a_kind_is_one_word(db, kind):
    dishwasher = add_asset(db, "Dishwasher")
    with pytest.raises(InvalidInput, match=r"^--kind: one word"):
        link.add(db, asset_id=dishwasher, url=MANUAL, kind=kind)


def test_the_asset_web_page_is_listed_last_as_kind_page_unless_a_link_has_its_url(db):
    dishwasher = add_asset(db, "Dishwasher", url=PAGE)
    assert link.for_asset(db, dishwasher) == [{
        "id": None, "uid": None, "asset_id": dishwasher, "incident_id": None,
        "kind": "page", "url": PAGE, "title": None, "created_at": None, "updated_at": None}]
    manual = link.add(db, asset_id=dishwasher, url=MANUAL)
    assert [(x["id"], x["kind"]) for x in link.for_asset(db, dishwasher)] == [
        (manual["id"], "manual"), (None, "page")]
    same = link.add(db, asset_id=dishwasher, url=PAGE, kind="product")
    assert [(x["id"], x["kind"]) for x in link.for_asset(db, dishwasher)] == [
        (manual["id"], "manual"), (same["id"], "product")]


def test_incident_links_are_the_incident_own(db):
    dishwasher = add_asset(db, "Dishwasher")
    incident = add_incident(db, dishwasher)
    forum = link.add(db, incident_id=incident, url="forum.example.org/t/e24")
    assert (forum["asset_id"], forum["incident_id"], forum["kind"]) == (None, incident, "link")
    assert link.add(db, incident_id=incident, url="https://forum.example.org/t/e24") == forum
    assert link.for_incident(db, incident) == [forum]
    assert link.for_asset(db, dishwasher) == []
    assert link.remove(db, forum["id"], incident_id=incident) == forum
    assert link.for_incident(db, incident) == []


def test_a_link_belongs_to_exactly_one_existing_asset_or_incident(db):
    dishwasher = add_asset(db, "Dishwasher")
    for owners in ({}, {"asset_id": dishwasher, "incident_id": add_incident(db, dishwasher)}):
        with pytest.raises(InvalidInput, match="one of them"):
            link.add(db, url=MANUAL, **owners)
    with pytest.raises(NotFound, match=r"^no asset with id 99$"):
        link.add(db, asset_id=99, url=MANUAL)
    with pytest.raises(NotFound, match=r"^no incident with id 99$"):
        link.add(db, incident_id=99, url=MANUAL)
    with pytest.raises(NotFound, match=r"^no asset with id 99$"):
        link.for_asset(db, 99)
    with pytest.raises(NotFound, match=r"^no incident with id 99$"):
        link.for_incident(db, 99)


def test_removing_checks_whose_link_it_is(db):
    dishwasher, kettle = add_asset(db, "Dishwasher"), add_asset(db, "Kettle")
    manual = link.add(db, asset_id=dishwasher, url=MANUAL)
    with pytest.raises(InvalidInput, match=f"^link {manual['id']} does not belong to asset "
                       f"{kettle}$"):
        link.remove(db, manual["id"], asset_id=kettle)
    assert link.remove(db, manual["id"], asset_id=dishwasher) == manual
    with pytest.raises(NotFound, match=f"^no link with id {manual['id']}$"):
        link.remove(db, manual["id"])


def test_removing_an_asset_removes_its_links(db):
    dishwasher = add_asset(db, "Dishwasher")
    link.add(db, asset_id=dishwasher, url=MANUAL)
    asset.remove_asset(db=db, asset_id=dishwasher)
    assert db.one("SELECT count(*) FROM link") == 0


def test_asset_show_has_the_links_and_the_page(db):
    dishwasher = add_asset(db, "Dishwasher", url=PAGE)
    manual = link.add(db, asset_id=dishwasher, url=MANUAL)
    shown = asset.show_asset(db=db, asset_id=dishwasher, today=date(2026, 3, 1))
    assert [x["id"] for x in shown["links"]] == [manual["id"], None]


# -- what `open` picks -----------------------------------------------------------------

def picked(db, asset_id, what=None):
    target = link.choose(db, asset_id=asset_id, what=what)
    return target["source"], target["id"], target["url"]


def test_without_what_the_manual_opens_else_the_first_link_else_the_page(db):
    dishwasher = add_asset(db, "Dishwasher", url=PAGE)
    assert picked(db, dishwasher) == ("page", None, PAGE)
    video = link.add(db, asset_id=dishwasher, url="youtu.be/f1")
    shop = link.add(db, asset_id=dishwasher, url="parts.example.com/sms6", kind="parts")
    assert picked(db, dishwasher) == ("link", video["id"], video["url"])
    manual = link.add(db, asset_id=dishwasher, url=MANUAL)
    assert picked(db, dishwasher) == ("link", manual["id"], MANUAL)
    assert picked(db, dishwasher, "  ") == ("link", manual["id"], MANUAL)
    assert shop["id"] not in (video["id"], manual["id"])


def test_nothing_to_open_says_how_to_add_a_link(db, tmp_path):
    kettle = add_asset(db, "Kettle")
    with pytest.raises(NotFound) as caught:
        link.choose(db, asset_id=kettle)
    assert caught.value.message == (f"asset {kettle} (Kettle) has no link or web page to "
                                    f"open: add one with 'stuffctl asset link {kettle} URL'")
    attach(db, kettle, tmp_path, "receipt.pdf", b"%PDF-1.4 receipt")
    with pytest.raises(NotFound, match=r"; its files open by name \('stuffctl open "
                       rf"{kettle} FILENAME'\)$"):
        link.choose(db, asset_id=kettle)


def test_what_picks_by_id_then_kind_then_whole_title_then_a_part(db, tmp_path):
    dishwasher = add_asset(db, "Dishwasher", url=PAGE)
    manual = link.add(db, asset_id=dishwasher, url=MANUAL, title="Manual 2")
    video = link.add(db, asset_id=dishwasher, url="youtu.be/f1", title="Filter")
    support = link.add(db, asset_id=dishwasher, url="bosch-home.com/2", kind="support")
    receipt = attach(db, dishwasher, tmp_path, "Receipt.pdf", b"%PDF-1.4 receipt")
    assert picked(db, dishwasher, str(support["id"]))[1] == support["id"]
    assert picked(db, dishwasher, "VIDEO")[1] == video["id"]
    assert picked(db, dishwasher, "page") == ("page", None, PAGE)
    assert picked(db, dishwasher, "manual 2")[1] == manual["id"]  # its title, whole
    assert picked(db, dishwasher, "filt")[1] == video["id"]
    assert picked(db, dishwasher, "youtu.be")[1] == video["id"]
    assert picked(db, dishwasher, "receipt.PDF")[:2] == ("file", receipt)
    assert picked(db, dishwasher, "file")[:2] == ("file", receipt)
    assert picked(db, dishwasher, "eipt")[:2] == ("file", receipt)


def test_a_file_opens_from_its_stored_copy(db, tmp_path):
    from stuffctl.store.blobs import blob_path, file_sha256

    drill = add_asset(db, "Drill")
    attach(db, drill, tmp_path, "drill manual.pdf", b"%PDF-1.4 drill")
    target = link.choose(db, asset_id=drill, what="drill manual")
    stored = blob_path(file_sha256(tmp_path / "drill manual.pdf"))
    assert target == {"asset_id": drill, "source": "file", "id": target["id"],
                      "kind": "file", "title": "drill manual.pdf", "url": stored.as_uri(),
                      "path": str(stored)}
    stored.unlink()
    with pytest.raises(OperationFailed, match=rf"^the stored copy of file {target['id']} "
                       r"\(drill manual.pdf\) is missing: .* \(see 'stuffctl db check'\)$"):
        link.choose(db, asset_id=drill, what="drill manual")


def test_what_matching_several_lists_them_and_nothing_matching_says_where_to_look(db):
    dishwasher = add_asset(db, "Dishwasher", url=PAGE)
    one = link.add(db, asset_id=dishwasher, url=MANUAL)
    two = link.add(db, asset_id=dishwasher, url="bosch-home.com/manual-de", title="Deutsch")
    with pytest.raises(InvalidInput) as caught:
        link.choose(db, asset_id=dishwasher, what="manual")
    assert caught.value.message == (
        f"2 links and files of asset {dishwasher} (Dishwasher) match 'manual': link "
        f"{one['id']} (manual) {MANUAL}; link {two['id']} (manual) 'Deutsch' "
        "https://bosch-home.com/manual-de; give the link id, or more of its title, URL or "
        "file name")
    with pytest.raises(InvalidInput, match=re.escape(f"; the web page {PAGE};")):
        link.choose(db, asset_id=dishwasher, what="bosch")
    with pytest.raises(NotFound) as missing:
        link.choose(db, asset_id=dishwasher, what="warranty")
    assert missing.value.message == (
        f"asset {dishwasher} (Dishwasher) has no link, web page or file matching 'warranty' "
        f"(see 'stuffctl asset links {dishwasher}' and 'stuffctl asset files {dishwasher}')")


def test_a_long_list_of_candidates_is_cut(db):
    drill = add_asset(db, "Drill")
    for n in range(7):
        link.add(db, asset_id=drill, url=f"example.com/bits/{n}")
    with pytest.raises(InvalidInput, match=r"^7 links and files .* \(and 2 more\); give"):
        link.choose(db, asset_id=drill, what="bits")


# -- launching -------------------------------------------------------------------------

TARGET = link.target_public(1, "link", 1, "manual", None, MANUAL)


def test_open_command_is_given_the_url_or_the_file_path_and_its_output_goes_to_stderr(
        tmp_path, capfd):
    program, record = recorder(tmp_path)
    link.launch(TARGET, [str(program)])
    stored = link.target_public(1, "file", 2, "file", "a b.pdf", "file:///x/ab", "/x/ab")
    link.launch(stored, [str(program), "--new-tab"])
    assert record.read_text().splitlines() == [MANUAL, "--new-tab", "/x/ab"]
    out, err = capfd.readouterr()
    assert (out, err) == ("", "Opening in existing browser session.\n" * 2)


def test_a_failing_or_missing_open_command_is_an_error(tmp_path):
    program, _ = recorder(tmp_path, code=3)
    with pytest.raises(OperationFailed, match=rf"^open.command '{program}' exited 3 opening "
                       f"{MANUAL}$"):
        link.launch(TARGET, [str(program)])
    with pytest.raises(OperationFailed, match=r"^open.command '/no/such/opener' could not "
                       "run: No such file or directory$"):
        link.launch(TARGET, ["/no/such/opener"])


def test_without_open_command_the_browser_in_browser_opens_it(tmp_path, monkeypatch, capfd):
    import webbrowser

    program, record = recorder(tmp_path)
    monkeypatch.setenv("BROWSER", str(program))
    monkeypatch.setattr(webbrowser, "_tryorder", None)  # webbrowser reads BROWSER once
    monkeypatch.setattr(webbrowser, "_browsers", {})
    link.launch(TARGET)
    assert record.read_text().splitlines() == [MANUAL]
    assert capfd.readouterr().out == ""
