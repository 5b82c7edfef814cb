"""Finding a person or a project from what was typed: an id, or a name in any case.

Every noun that takes a ``--person`` or a ``--project`` resolves it here (loan,
asset, task, project itself), below the nouns, so that a noun's show can list
another noun's rows (a person's loans, a project's ranked tasks) without the two
importing each other.
"""

from __future__ import annotations

from stuffctl.errors import InvalidInput, NotFound
from stuffctl.store.handle import Db
from stuffctl.vocabulary import CLOSED_STATUSES


def find_person(db: Db, ref: str, option: str) -> int:
    """The id of a person given by id (``3``), by name (exact, any case), or as ``me``
    (:func:`me`)."""
    ref = ref.strip()
    if ref.lower() == "me":
        return me(db, option)
    if ref.isascii() and ref.isdigit():
        if db.execute("SELECT 1 FROM person WHERE id = ?", (int(ref),)).fetchone() is None:
            raise NotFound(f"{option}: no person with id {ref}")
        return int(ref)
    ids = [i for (i,) in db.execute("SELECT id FROM person WHERE lower(name) = ? ORDER BY id",
                                      (ref.lower(),))]
    if not ids:
        raise NotFound(f"{option}: no person called {ref!r} (add them with "
                       f"'stuffctl person add {ref}')")
    if len(ids) > 1:
        raise InvalidInput(f"{option}: {len(ids)} people are called {ref!r} "
                           f"(ids {', '.join(map(str, ids))}); give the id")
    return int(ids[0])


def me(db: Db, option: str) -> int:
    """The id of the person this command runs as (``store.sql.who``); NotFound saying how
    to name them when no person is."""
    from stuffctl.store.sql import who

    person_id, name = who(db)
    if person_id is None:
        raise NotFound(f"{option}: you are {name!r}, who is no person here: say who you are "
                       "with STUFFCTL_USER or 'stuffctl config set user NAME', or give "
                       f"a person your login with 'stuffctl person edit ID --login {name}'")
    return person_id


def find_project(db: Db, ref: str | int) -> int:
    """The id of a project given by id (digits) or by name (case-insensitive; open ones win
    a tie)."""
    conn, text = db, str(ref).strip()
    if text.isascii() and text.isdigit():
        if conn.execute("SELECT 1 FROM project WHERE id = ?", (int(text),)).fetchone() is None:
            raise NotFound(f"no project with id {text}")
        return int(text)
    found = conn.execute("SELECT id, status FROM project WHERE lower(name) = ? ORDER BY id",
                         (text.lower(),)).fetchall()
    if len(found) > 1:
        found = [(i, s) for i, s in found if s not in CLOSED_STATUSES] or found
    if not found:
        raise NotFound(f"no project named {text!r}")
    if len(found) > 1:
        ids = ", ".join(str(i) for i, _ in found)
        raise InvalidInput(f"{len(found)} projects are named {text!r} (ids {ids}); use the id")
    return int(found[0][0])
