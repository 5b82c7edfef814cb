"""Playbooks: a symptom's cause, fix and diagnosis steps, kept for stuff of a brand and
model (or of a category) and offered when an incident is opened on matching stuff.

Add, edit, remove, list (in plain SQL, ``store.sql``); the one JSON shape of a
playbook (``playbook_public``) and of a playbook offered for an asset (``offer``).

What is offered for an asset and a symptom (:func:`match`, ranked by :func:`rank`):

1. playbooks of the asset's model: the same model, and the same brand unless one of the
   two has none (brand and model compared in any case, spaces trimmed and collapsed);
2. then playbooks of its category, or of a category above it (``home`` covers
   ``home:kitchen``). When a symptom is given, these must share a word with it: a
   playbook of the same model is worth showing anyway, one of a mere category is not.

Within each, the playbooks that share more of the symptom's words come first (a word
matches the same word, or one that starts with it when the shorter has four letters or
more: ``drain`` and ``draining``; small words such as ``the`` and ``won't`` do not
count), then the older first (the lower id). Playbooks are few (a home keeps tens or
hundreds), so they are matched in Python, in any case for any alphabet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from stuffctl.errors import InvalidInput
from stuffctl.store import sql
from stuffctl.store.handle import Db, Row
from stuffctl.store.sql import select_all, stamp

EDITABLE = ("brand", "model", "category", "symptom", "cause", "fix", "steps", "origin")
REQUIRED = ("symptom", "fix")
ROWS = select_all("playbook")
# The columns a playbook is matched on, read for every playbook (the table is small).
MATCHED = "SELECT id, brand, model, category, symptom, incident_id FROM playbook"

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# Words too common in a symptom to say anything about it.
STOP_WORDS = frozenset((
    "a", "an", "and", "any", "at", "be", "but", "by", "can", "can't", "cannot", "doesn't",
    "don't", "does", "for", "from", "has", "hasn't", "have", "in", "into", "is", "isn't",
    "it", "it's", "its", "no", "not", "of", "off", "on", "or", "out", "so", "the", "then",
    "there", "this", "to", "too", "up", "very", "was", "wasn't", "when", "will", "with",
    "won't", "my", "our", "after", "before", "again", "anymore"))
MIN_STEM = 4  # a word matches a longer one it starts when it has this many letters


def normalised(text: str | None) -> str:
    """``text`` as brands, models and categories are compared: case folded, spaces
    trimmed and collapsed ('' for none)."""
    return " ".join(text.casefold().split()) if text else ""


def words(text: str | None) -> list[str]:
    """The telling words of a symptom, case folded, each once, in order."""
    found = (w.replace("’", "'") for w in _WORD.findall(normalised(text)))
    return list(dict.fromkeys(w for w in found if w not in STOP_WORDS))


def _alike(a: str, b: str) -> bool:
    short, long_ = sorted((a, b), key=len)
    return a == b or (len(short) >= MIN_STEM and long_.startswith(short))


def shared_words(symptom: Sequence[str], other: Sequence[str]) -> list[str]:
    """The words of ``symptom`` (:func:`words`) that match one of ``other``, in order."""
    return [w for w in symptom if any(_alike(w, o) for o in other)]


@dataclass(frozen=True)
class Target:
    """What playbooks are matched against: an asset's brand, model and category."""

    brand: str | None
    model: str | None
    category: str | None


@dataclass(frozen=True)
class Candidate:
    """A playbook as matching reads it (``MATCHED``)."""

    id: int
    brand: str | None
    model: str | None
    category: str | None
    symptom: str


def matched_by(target: Target, playbook: Candidate) -> str | None:
    """``model`` when the playbook is for the target's model, ``category`` when for its
    category (or one above it), else None (see the module's docstring)."""
    model = normalised(target.model)
    if model and normalised(playbook.model) == model:
        brands = normalised(target.brand), normalised(playbook.brand)
        if not all(brands) or brands[0] == brands[1]:
            return "model"
    mine, theirs = normalised(target.category), normalised(playbook.category)
    if theirs and (mine == theirs or mine.startswith(theirs + ":")):
        return "category"
    return None


TIERS = ("model", "category")


def rank(target: Target, symptom: str | None,
         candidates: Iterable[Candidate]) -> list[tuple[Candidate, str, list[str]]]:
    """``(playbook, matched_by, shared words)`` of the candidates offered for ``target``
    and ``symptom``, best first (the module's docstring); the order does not depend on
    the order of ``candidates``."""
    typed = words(symptom)
    found = []
    for candidate in candidates:
        how = matched_by(target, candidate)
        if how is None:
            continue
        shared = shared_words(typed, words(candidate.symptom))
        if how == "category" and typed and not shared:
            continue
        found.append((candidate, how, shared))
    found.sort(key=lambda f: (TIERS.index(f[1]), -len(f[2]), f[0].id))
    return found


def steps_of(text: str | None) -> list[str]:
    """Stored steps (one per line) as a list."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def playbook_public(row: Row | Mapping[str, Any]) -> dict[str, Any]:
    """The one JSON shape of a playbook (docs/json.md#playbook), from its stored row."""
    return {"id": row["id"], "uid": row["uid"], "brand": row["brand"], "model": row["model"],
            "category": row["category"], "symptom": row["symptom"], "cause": row["cause"],
            "fix": row["fix"], "steps": steps_of(row["steps"]),
            "incident_id": row["incident_id"], "origin": row["origin"],
            "created_at": stamp(row["created_at"]), "updated_at": stamp(row["updated_at"]),
            "created_by": row["created_by"], "updated_by": row["updated_by"]}


def public(db: Db, playbook_id: int) -> dict[str, Any]:
    """The JSON shape of playbook ``playbook_id`` with its revision (for ``--since``)."""
    row = sql.row_or_404(db, "playbook", None, playbook_id, "playbook")
    return {**playbook_public(row),
            "revision": sql.revisions(db, "playbook", [playbook_id])[playbook_id]}


def _clean(values: Mapping[str, Any]) -> dict[str, Any]:
    """Values as stored: text trimmed (empty is none), steps one per line."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise InvalidInput(f"a playbook has no {', '.join(sorted(unknown))}")
    clean: dict[str, Any] = {}
    for name, value in values.items():
        if name == "steps" and not isinstance(value, str | None):
            value = "\n".join(s for v in value for s in steps_of(v)) or None
        clean[name] = (value.strip() or None) if isinstance(value, str) else value
    for name in REQUIRED:
        if name in clean and clean[name] is None:
            raise InvalidInput(f"--{name}: a playbook needs a {name}")
    return clean


def _check_kept_for(row: Mapping[str, Any]) -> None:
    if not (row.get("model") or row.get("category")):
        raise InvalidInput("a playbook is kept for a model (--model, with --brand) or a "
                           "category (--category): give one")


def add_playbook(*, db: Db, values: Mapping[str, Any]) -> dict[str, Any]:
    """Add a playbook; its JSON shape. It needs a symptom, a fix, and a model or a
    category to be offered for."""
    clean = _clean(values)
    for name in REQUIRED:
        if not clean.get(name):
            raise InvalidInput(f"--{name}: a playbook needs a {name}")
    _check_kept_for(clean)
    return public(db, sql.insert(db, "playbook", clean))


def edit_playbook(*, db: Db, playbook_id: int, values: Mapping[str, Any],
                  unset: Sequence[str] = (), since: int | None = None) -> dict[str, Any]:
    row = dict(sql.row_or_404(db, "playbook", None, playbook_id, "playbook"))
    columns: dict[str, Any] = {}
    for name in unset:
        if name not in EDITABLE or name in REQUIRED:
            raise InvalidInput(f"--unset: cannot unset {name!r}")
        columns[name] = None
    columns.update(_clean(values))
    _check_kept_for({**row, **columns})
    sql.update(db, "playbook", playbook_id, columns, since=since)
    return public(db, playbook_id)


def remove_playbook(*, db: Db, playbook_id: int) -> dict[str, Any]:
    data = public(db, playbook_id)
    db.execute("DELETE FROM playbook WHERE id = ?", (playbook_id,))
    return data


@dataclass
class PlaybookFilter:
    brand: str | None = None
    model: str | None = None
    category: str | None = None  # this category or one below it


def list_playbooks(*, db: Db, flt: PlaybookFilter) -> Iterator[dict[str, Any]]:
    """Playbooks matching ``flt`` (brand and model in any case; a category with those
    below it), by brand, model, category, then id."""
    brand, model, category = (normalised(v) for v in (flt.brand, flt.model, flt.category))
    rows = db.rows(f"{ROWS} ORDER BY lower(brand) NULLS FIRST, lower(model) NULLS FIRST, "
                   "lower(category) NULLS FIRST, id")
    for row in rows:
        mine = normalised(row["category"])
        if ((brand and normalised(row["brand"]) != brand)
                or (model and normalised(row["model"]) != model)
                or (category and not (mine == category or mine.startswith(category + ":")))):
            continue
        yield playbook_public(row)


def target_of(db: Db, asset_id: int) -> Target:
    """The brand, model and category of asset ``asset_id`` (NotFound when there is none)."""
    brand, model, category = sql.row_or_404(db, "asset", ("brand", "model", "category"),
                                            asset_id, "asset")
    return Target(brand, model, category)


def candidates(db: Db, *, leave_out: int | None = None) -> list[Candidate]:
    """Every playbook as matching reads it, but the one saved from incident
    ``leave_out`` (an incident is not offered its own)."""
    return [Candidate(i, b, m, c, s) for i, b, m, c, s, incident in db.execute(MATCHED)
            if leave_out is None or incident != leave_out]


def match(*, db: Db, asset_id: int, symptom: str | None = None,
          leave_out: int | None = None) -> list[dict[str, Any]]:
    """What is offered for asset ``asset_id`` and ``symptom``, best first (the module's
    docstring): each playbook's shape with ``matched_by`` and ``shared_words``
    (docs/json.md#playbook-offer)."""
    ranked = rank(target_of(db, asset_id), symptom, candidates(db, leave_out=leave_out))
    if not ranked:
        return []
    ids = [c.id for c, _, _ in ranked]
    rows = {r["id"]: r for r in db.rows(f"{ROWS} WHERE id IN ({sql.marks(ids)})", ids)}
    return [{**playbook_public(rows[c.id]), "matched_by": how, "shared_words": shared}
            for c, how, shared in ranked]


def for_assets(db: Db, asset_ids: Iterable[int]) -> set[int]:
    """The ids of the playbooks for any of ``asset_ids``, whatever the symptom: those of
    their models, and those of their categories kept for no model in particular (what a
    share bundle of those assets carries)."""
    every = candidates(db)
    found: set[int] = set()
    for asset_id in asset_ids:
        found |= {c.id for c, how, _ in rank(target_of(db, asset_id), None, every)
                  if how == "model" or not c.model}
    return found


def keep_from_incident(*, db: Db, incident_id: int, values: Mapping[str, Any]) -> int:
    """Save ``values`` as the playbook of incident ``incident_id``: a new one, or the one
    saved from it before (an incident closed again), updated; its id."""
    clean = _clean(values)
    _check_kept_for(clean)
    found = db.one("SELECT id FROM playbook WHERE incident_id = ? ORDER BY id LIMIT 1",
                   (incident_id,))
    if found is None:
        return sql.insert(db, "playbook", {**clean, "incident_id": incident_id})
    sql.update(db, "playbook", int(found), clean)
    return int(found)
