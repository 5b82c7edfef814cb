"""Playbooks as services: what is offered for an asset and a symptom, in which order,
and the checks on adding and editing them."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stuffctl.errors import InvalidInput, NotFound
from stuffctl.services import asset, playbook
from stuffctl.services.asset import AssetChanges
from stuffctl.services.playbook import Candidate, PlaybookFilter, Target


def add_asset(db, name, **values):
    return asset.add_asset(db=db, changes=AssetChanges(values={"name": name, **values}))["id"]


def add(db, symptom, fix="fixed it", **values):
    return playbook.add_playbook(db=db, values={"symptom": symptom, "fix": fix, **values})


@pytest.fixture
def dishwasher(db):
    return add_asset(db, "Dishwasher", brand="Bosch", model="SMS4HVI33E",
                     category="home:kitchen")


def offered(db, asset_id, symptom=None):
    return [(o["id"], o["matched_by"], o["shared_words"])
            for o in playbook.match(db=db, asset_id=asset_id, symptom=symptom)]


def test_the_same_model_comes_first_then_the_category_ranked_by_shared_words(db, dishwasher):
    other_model = add(db, "salt light stays on", brand="Bosch", model="SMS6")["id"]
    same = add(db, "does not start", brand=" bosch ", model="sms4hvi33e")["id"]
    same_drain = add(db, "won't drain; water left at the bottom", brand="BOSCH",
                     model="SMS4HVI33E")["id"]
    kitchen = add(db, "drains slowly, water smells", category="home:kitchen")["id"]
    home = add(db, "water on the floor", category="home")["id"]
    add(db, "water everywhere", category="garden")
    assert offered(db, dishwasher, "Water won't drain") == [
        (same_drain, "model", ["water", "drain"]),
        (same, "model", []),
        (kitchen, "category", ["water", "drain"]),
        (home, "category", ["water"]),
    ]
    assert other_model not in [o[0] for o in offered(db, dishwasher)]


def test_without_a_symptom_every_playbook_of_the_model_and_category_is_offered(db, dishwasher):
    same = add(db, "does not start", model="SMS4HVI33E")["id"]  # no brand: the model decides
    kitchen = add(db, "door squeaks", category="Home:Kitchen")["id"]
    assert offered(db, dishwasher) == [(same, "model", []), (kitchen, "category", [])]
    assert offered(db, dishwasher, "beeps three times") == [(same, "model", [])]


def test_another_brand_of_the_same_model_name_is_not_the_same_model(db, dishwasher):
    add(db, "won't drain", brand="Siemens", model="SMS4HVI33E")
    assert offered(db, dishwasher, "won't drain") == []


def test_an_asset_without_model_or_category_is_offered_nothing(db):
    bare = add_asset(db, "Thing")
    add(db, "broken", category="home")
    assert offered(db, bare, "broken") == []
    with pytest.raises(NotFound, match="no asset with id 99"):
        playbook.match(db=db, asset_id=99)


def test_words_leave_out_small_words_and_match_by_stem():
    assert playbook.words("The water WON'T drain — it’s not draining!") == [
        "water", "drain", "draining"]
    assert playbook.shared_words(["drain", "beep"], ["drains", "slowly"]) == ["drain"]
    assert playbook.shared_words(["dry"], ["dryer"]) == []  # too short to stand for a stem


@pytest.mark.parametrize(("values", "message"), [
    ({"symptom": "x", "fix": "y"}, "a model (--model, with --brand) or a category"),
    ({"symptom": " ", "fix": "y", "category": "home"}, "--symptom: a playbook needs a symptom"),
    ({"symptom": "x", "category": "home"}, "--fix: a playbook needs a fix"),
    ({"symptom": "x", "fix": "y", "model": "M", "colour": "red"}, "a playbook has no colour"),
])
def test_a_playbook_needs_a_symptom_a_fix_and_what_it_is_for(db, values, message):
    with pytest.raises(InvalidInput, match=re.escape(message)):
        playbook.add_playbook(db=db, values=values)


def test_steps_are_kept_one_per_line_and_edit_replaces_them(db):
    data = add(db, "no heat", category="home", steps=["check the fuse\nreset it", " ", "call"])
    assert data["steps"] == ["check the fuse", "reset it", "call"]
    edited = playbook.edit_playbook(db=db, playbook_id=data["id"],
                                    values={"steps": ["only this"], "cause": "fuse"})
    assert (edited["steps"], edited["cause"], edited["revision"] > 0) == (
        ["only this"], "fuse", True)
    cleared = playbook.edit_playbook(db=db, playbook_id=data["id"], values={},
                                     unset=["steps", "cause"])
    assert (cleared["steps"], cleared["cause"]) == ([], None)
    with pytest.raises(InvalidInput, match="cannot unset 'fix'"):
        playbook.edit_playbook(db=db, playbook_id=data["id"], values={}, unset=["fix"])
    with pytest.raises(InvalidInput, match=r"a model .* or a category"):
        playbook.edit_playbook(db=db, playbook_id=data["id"], values={}, unset=["category"])


def test_list_filters_in_any_case_and_a_category_covers_those_below(db):
    add(db, "a", brand="Bosch", model="SMS4")
    add(db, "b", brand="bosch", model="X1", category="home:kitchen")
    add(db, "c", category="home")
    add(db, "d", category="garden")

    def listed(**flt):
        return [p["symptom"] for p in playbook.list_playbooks(db=db, flt=PlaybookFilter(**flt))]

    assert listed() == ["d", "c", "a", "b"]
    assert listed(brand="BOSCH") == ["a", "b"]
    assert listed(brand="bosch", model="x1") == ["b"]
    assert listed(category="home") == ["c", "b"]
    assert listed(category="Home:Kitchen") == ["b"]


def test_a_bundle_of_assets_carries_the_playbooks_of_their_models_and_categories(db, dishwasher):
    model = add(db, "x", model="SMS4HVI33E")["id"]
    kitchen = add(db, "y", category="home:kitchen")["id"]
    other_model_same_kitchen = add(db, "z", model="Kettle 2", category="home:kitchen")["id"]
    assert playbook.for_assets(db, [dishwasher]) == {model, kitchen}
    assert other_model_same_kitchen not in playbook.for_assets(db, [dishwasher])
    assert playbook.for_assets(db, []) == set()


# -- ranking, for any playbooks -------------------------------------------------------------

BRANDS = st.sampled_from([None, "Bosch", "bosch ", "Miele"])
MODELS = st.sampled_from([None, "SMS4", " sms4", "W1"])
CATEGORIES = st.sampled_from([None, "home", "home:kitchen", "Home:Kitchen", "garden"])
SYMPTOMS = st.sampled_from(["won't drain", "water stays", "drains slowly", "door stuck",
                            "beeps", "water on the floor, won't drain", ""])


@st.composite
def candidate_lists(draw):
    n = draw(st.integers(0, 12))
    ids = draw(st.lists(st.integers(1, 10_000), min_size=n, max_size=n, unique=True))
    return [Candidate(i, draw(BRANDS), draw(MODELS), draw(CATEGORIES), draw(SYMPTOMS))
            for i in ids]


@given(target=st.builds(Target, BRANDS, MODELS, CATEGORIES), symptom=SYMPTOMS,
       found=candidate_lists(), seed=st.randoms(use_true_random=False))
@settings(max_examples=200)
def test_the_ranking_is_one_order_whatever_order_the_playbooks_come_in(
        target, symptom, found, seed):
    ranked = playbook.rank(target, symptom, found)
    shuffled = list(found)
    seed.shuffle(shuffled)
    assert playbook.rank(target, symptom, shuffled) == ranked
    keys = [(playbook.TIERS.index(how), -len(shared), c.id) for c, how, shared in ranked]
    assert keys == sorted(keys)  # the model's first, then more shared words, then older
    for c, how, shared in ranked:
        assert playbook.matched_by(target, c) == how
        assert how == "model" or shared or not playbook.words(symptom)
    left_out = {c.id for c in found} - {c.id for c, _, _ in ranked}
    for c in found:
        if c.id in left_out:
            assert (playbook.matched_by(target, c) is None
                    or not playbook.shared_words(playbook.words(symptom),
                                                 playbook.words(c.symptom)))
