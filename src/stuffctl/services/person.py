"""People: household members, friends and colleagues who own, lend and borrow things.

Add, edit, remove; the person list, a person with what they own and their loans,
in plain SQL (``store.sql``); the one JSON shape of a person. Finding a person by id
or name is :func:`stuffctl.services.lookup.resolve` (loan and asset use it too).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from stuffctl.errors import Conflict, InvalidInput
from stuffctl.store import sql
from stuffctl.store.handle import Db, Row
from stuffctl.store.sql import select_all, stamp

EDITABLE = ("name", "email", "phone", "notes", "login")


def person_public(row: Row) -> dict[str, Any]:
    """The one JSON shape of a person (docs/json.md#person), from its stored row."""
    return {"id": row["id"], "uid": row["uid"], "name": row["name"], "email": row["email"],
            "phone": row["phone"], "notes": row["notes"], "login": row["login"],
            "created_at": stamp(row["created_at"]), "updated_at": stamp(row["updated_at"]),
            "created_by": row["created_by"], "updated_by": row["updated_by"]}


def public(db: Db, person_id: int) -> dict[str, Any]:
    """The JSON shape of person ``person_id`` (``person_public``, as listed)."""
    return {**person_public(sql.row_or_404(db, "person", None, person_id, "person")),
            "revision": sql.revisions(db, "person", [person_id])[person_id]}


def _clean(values: Mapping[str, str | None]) -> dict[str, str | None]:
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise InvalidInput(f"unknown person field(s): {', '.join(sorted(unknown))}")
    if "name" in values and not (values["name"] or "").strip():
        raise InvalidInput("a person needs a name")
    login = values.get("login")
    if login is not None and (not login.strip() or len(login.split()) > 1):
        raise InvalidInput(f"--login: expected a login name without spaces (got {login!r})")
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}


def check_login_free(db: Db, person_id: int | None, login: str) -> None:
    """Conflict when another person has ``login``: a login is one person's."""
    found = db.execute("SELECT id, name FROM person WHERE login = ? AND id <> ?",
                       (login, person_id or 0)).fetchone()
    if found is not None:
        raise Conflict(f"--login: {login!r} is {found[1]}'s (person {found[0]}); "
                       f"'stuffctl person edit {found[0]} --unset login' first")


def add_person(*, db: Db, values: Mapping[str, str | None]) -> dict[str, Any]:
    values = _clean(values)
    if "name" not in values:
        raise InvalidInput("a person needs a name")
    if values.get("login"):
        check_login_free(db, None, str(values["login"]))
    return public(db, sql.insert(db, "person", values))


def edit_person(*, db: Db, person_id: int, values: Mapping[str, str | None],
                unset: list[str] | None = None, since: int | None = None) -> dict[str, Any]:
    sql.row_or_404(db, "person", ("id",), person_id, "person")
    columns: dict[str, Any] = {}
    for name in unset or []:
        if name not in EDITABLE or name == "name":
            raise InvalidInput(f"--unset: cannot unset {name!r}")
        columns[name] = None
    columns.update(_clean(values))
    if columns.get("login"):
        check_login_free(db, person_id, columns["login"])
    sql.update(db, "person", person_id, columns, since=since)
    return public(db, person_id)


def remove_person(*, db: Db, person_id: int) -> dict[str, Any]:
    data = public(db, person_id)
    (loans,) = db.execute("SELECT count(*) FROM loan WHERE person_id = ?",
                            (person_id,)).fetchone()
    if loans:
        raise Conflict(f"person {person_id} has {loans} loan(s) on record; "
                       "they cannot be removed while the history refers to them")
    db.execute("DELETE FROM person WHERE id = ?", (person_id,))
    return data


def list_people(*, db: Db, search: str | None = None) -> Iterator[dict[str, Any]]:
    """People by name (case-insensitive); ``search``: text in the name, any case."""
    where, params = ("", ()) if not search else (
        " WHERE lower(name) LIKE '%' || lower(?) || '%'", (search,))
    rows = db.rows(f"{select_all('person')}{where} ORDER BY lower(name), id", params)
    yield from map(person_public, rows)


def show_person(*, db: Db, person_id: int) -> dict[str, Any]:
    """A person with what they own and every loan with them (open first, newest first)."""
    from stuffctl.services.loan import list_loans

    data = public(db, person_id)
    owns = db.rows("SELECT id, name FROM asset WHERE owner_id = ? ORDER BY name",
                 (person_id,))
    data["owns"] = [{"id": a["id"], "name": a["name"]} for a in owns]
    data["loans"] = list(list_loans(db=db, person_id=person_id, include_returned=True))
    notify = notify_settings(db, person_id)
    data["channels"], data["notify_profile"] = notify["channels"], notify["profile"]
    return data


# -- how a person is notified (docs/notify.md) ---------------------------------------

def notify_settings(db: Db, person_id: int) -> dict[str, Any]:
    """Their channels (masked) and profile (None: the household's config, at once)."""
    from stuffctl.services.remind.notify import mask

    (name,) = sql.row_or_404(db, "person", ("name",), person_id, "person")
    channels = [{"id": cid, "channel": mask(url), "service": url.partition("://")[0]}
                for cid, url in db.execute("SELECT id, url FROM channel WHERE person_id = ?"
                                           " ORDER BY id", (person_id,))]
    row = db.execute("SELECT kinds, bands, digest, quiet_hours, last_digest_at FROM"
                     " notify_profile WHERE person_id = ?", (person_id,)).fetchone()
    profile = None if row is None else {
        "kinds": row[0], "bands": row[1], "digest": row[2], "quiet_hours": row[3] or None,
        "last_digest_at": sql.iso(sql.when(row[4]))}  # local time, as digests keep it
    return {"person_id": person_id, "person": name, "channels": channels, "profile": profile}


def set_notify(db: Db, person_id: int, *, add: list[str], remove: list[str],
               profile: list[str]) -> dict[str, Any]:
    """Add channels (checked by Apprise), remove channels (by id or URL), apply
    ``--profile`` settings (``household``: back to the household's config)."""
    from stuffctl.errors import NotFound
    from stuffctl.services.remind import notify, profiles

    sql.row_or_404(db, "person", ("id",), person_id, "person")
    for ref in remove:
        url_match = db.execute("SELECT id FROM channel WHERE person_id = ? AND (url = ? OR"
                               " CAST(id AS TEXT) = ?)", (person_id, ref, ref)).fetchone()
        if url_match is None:
            shown = notify.mask(ref) if "://" in ref else ref
            raise NotFound(f"--rm: person {person_id} has no channel {shown} (see "
                           f"'stuffctl person notify {person_id}')")
        db.execute("DELETE FROM channel WHERE id = ?", (url_match[0],))
    for url in add:
        url = url.strip()
        if (problem := notify.check(url)) is not None:
            raise InvalidInput(f"--add: {problem}")
        found = db.execute("SELECT id FROM channel WHERE person_id = ? AND url = ?",
                           (person_id, url)).fetchone()
        if found is not None:
            raise Conflict(f"--add: person {person_id} already has that channel "
                           f"(channel {found[0]})")
        sql.insert(db, "channel", {"person_id": person_id, "url": url})
    if profile:
        if [p.strip().lower() for p in profile] == ["household"]:
            db.execute("DELETE FROM notify_profile WHERE person_id = ?", (person_id,))
        else:
            row = db.execute("SELECT kinds, bands, digest, quiet_hours FROM notify_profile"
                             " WHERE person_id = ?", (person_id,)).fetchone()
            current = profiles.Profile(*row) if row else profiles.Profile()
            new = profiles.apply(current, profile)
            db.execute(db.backend.upsert(
                "notify_profile", ("person_id", "kinds", "bands", "digest", "quiet_hours"),
                key=("person_id",), update=("kinds", "bands", "digest", "quiet_hours")),
                (person_id, new.kinds, new.bands, new.digest, new.quiet_hours))
    return notify_settings(db, person_id)


def channel_urls(db: Db, person_id: int) -> list[tuple[int, str]]:
    """(id, URL) of each of their channels: for ``person notify --test`` only."""
    return [(int(cid), str(url)) for cid, url in db.execute(
        "SELECT id, url FROM channel WHERE person_id = ? ORDER BY id", (person_id,))]
