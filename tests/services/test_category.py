"""Category kinds: the default from a category's name, and the kind set on it or its
nearest parent (``services.category``)."""

from __future__ import annotations

import pytest

from stuffctl.services import category


@pytest.mark.parametrize(("name", "kind"), [
    ("salary", "income"), ("Salary", "income"), ("income:salary", "income"),
    ("wages", "income"), ("rent income", "income"), ("Dividends", "income"),
    ("tax refund", "income"), ("gifts received", "income"), ("cash back", "income"),
    ("pension", "income"), ("child benefits", "income"), ("bonus", "income"),
    ("interest", "income"), ("interest paid", "expense"), ("mortgage interest", "expense"),
    ("pay tv", "expense"), ("bank fees", "expense"), ("gifts", "expense"),
    ("eating out", "expense"), ("groceries", "expense"), ("home:refund", "expense"),
    ("payments", "expense"), ("salaryman comics", "expense"), ("", "expense"),
])
def test_a_categorys_default_kind_comes_from_whole_words_of_its_first_segment(name, kind):
    assert category.default_kind(name) == kind


def test_kind_of_reads_the_nearest_kind_set_in_any_case(db):
    category.set_kind(db=db, name="Home", kind="income")
    assert [category.kind_of(db, name) for name in (
        "home", "HOME:Kitchen", "home:kitchen:sink", "homework", "salary", "food")] == [
        "income", "income", "income", "expense", "income", "expense"]
    category.set_kind(db=db, name="home:kitchen", kind="expense")
    assert category.kind_of(db, "Home:Kitchen:Sink") == "expense"
    assert category.kind_of(db, "home:garden") == "income"
