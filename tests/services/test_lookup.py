"""services.lookup.resolve, property-based: for any set of names, a whole name beats the
start of another, a start that is one name's resolves to it, and a start or part shared
by several never silently picks one."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stuffctl import store
from stuffctl.errors import InvalidInput, NotFound
from stuffctl.services import lookup
from stuffctl.store import sql

# Letters in both cases, a space and LIKE's wildcards and escape: matched as text.
NAME = st.text(alphabet="abAB _%\\", min_size=1, max_size=5).filter(
    lambda s: s.strip() == s and not s.startswith("="))


class Rollback(Exception):
    """Leaves the example's transaction without writing anything."""


def example(names: list[str], check) -> None:
    """``check(db, ids)`` with ``names`` as people (ids in the same order), then rolled
    back: each example starts from an empty table."""
    try:
        with store.transaction(write=True) as db:
            check(db, [sql.insert(db, "person", {"name": n}) for n in names])
            raise Rollback
    except Rollback:
        pass


def outcome(db, typed: str) -> int | str:
    try:
        return lookup.resolve(db, "person", typed)
    except InvalidInput:
        return "ambiguous"
    except NotFound:
        return "none"


def expected(names: list[str], ids: list[int], typed: str) -> int | str:
    """What the module's docstring says ``typed`` names among ``names``."""
    low = typed.lower()
    for matches in (lambda n: n.lower() == low, lambda n: n.lower().startswith(low),
                    lambda n: low in n.lower()):
        found = [i for i, n in zip(ids, names, strict=True) if matches(n)]
        if found:
            return found[0] if len(found) == 1 else "ambiguous"
    return "none"


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(NAME, min_size=1, max_size=6), typed=NAME)
def test_a_name_resolves_as_the_rules_say_and_never_to_one_of_several(home, names, typed):
    def check(db, ids):
        for text in (*names, typed):
            assert outcome(db, text) == expected(names, ids, text), (names, text)

    example(names, check)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(NAME, min_size=2, max_size=6, unique_by=str.lower))
def test_each_of_names_unique_in_any_case_resolves_to_itself(home, names):
    def check(db, ids):
        for name, ident in zip(names, ids, strict=True):
            assert lookup.resolve(db, "person", name.swapcase()) == ident
            assert lookup.resolve(db, "person", f"={name}") == ident

    example(names, check)


def test_ids_names_of_digits_and_me(db):
    sam = sql.insert(db, "person", {"name": "Sam"})
    year = sql.insert(db, "person", {"name": "2024"})
    assert lookup.resolve(db, "person", f" {sam} ") == sam
    assert lookup.resolve(db, "person", "=2024") == year
    with pytest.raises(NotFound, match="--to: no person with id 2024; for the one called "
                                       "'2024', give =2024"):
        lookup.resolve(db, "person", "2024", "--to")
    with pytest.raises(InvalidInput, match="expected a person's id or name"):
        lookup.resolve(db, "person", " = ")
    with pytest.raises(NotFound, match="you are"):
        lookup.resolve(db, "person", "ME", "--for")


def test_suggestions_come_from_a_bounded_pool(db, monkeypatch):
    """Past POOL rows, "did you mean" still finds a name with the same first letter."""
    monkeypatch.setattr(lookup, "POOL", 3)
    sql.insert(db, "person", {"name": "Quentin"})
    for n in range(10):
        sql.insert(db, "person", {"name": f"Zed {n}"})
    with pytest.raises(NotFound, match="did you mean 1 Quentin"):
        lookup.resolve(db, "person", "Qentin")
    assert lookup.candidates(db, "person", "", limit=2) == [("1", "Quentin"), ("2", "Zed 0")]
    assert lookup.candidates(db, "person", "zed 1") == [("Zed 1", "id 3")]
