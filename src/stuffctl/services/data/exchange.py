"""The export document: every table, generically, with uids in place of local ids.

Driven entirely by the generated description of the tables (``store/tables.py``,
read by ``services.data.document.shapes``), so tables and columns added later are
exported and imported without changes here (a test checks that the shapes are what
the models' metadata says):

- a table with a ``uid`` column is keyed by it; its integer ``id`` is local and
  left out;
- a table without one (a link table such as ``asset_tag``) is keyed by its
  primary-key columns and belongs to the row its first uid-table foreign key
  points at (its *owner*);
- every foreign-key column holds the referenced row's ``uid`` instead of the
  local integer id (discovered from the metadata's ``ForeignKey`` objects);
- dates are ``YYYY-MM-DD``, timestamps ISO 8601 UTC ending in ``Z``.

Rows of uid tables are written in id order, link rows in the order of their
(uid-translated) key, one row per line, so the same data always gives the same
bytes: export → import into a fresh home → export is identical.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from stuffctl.errors import InvalidInput
from stuffctl.store.sql import iso
from stuffctl.vocabulary import STORED

if TYPE_CHECKING:
    from stuffctl.services.data.document import Shape

CHUNK = 500


# -- values ------------------------------------------------------------------------------


def encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return iso(value)
    if isinstance(value, time):
        return value.isoformat()
    return value


class BadValue(Exception):
    """A file value that is not what its column holds (the message says why)."""


@dataclass(frozen=True)
class Codec:
    """How one column's values are read from a file and written to the database.

    A file value is checked by type (``kind``: JSON gives str, int, bool) or, for
    dates, timestamps, times and floats, by ``canon``, which returns it in
    canonical file form (what ``encode`` writes: ``YYYY-MM-DD``, ``…Z``
    timestamps) or raises BadValue. ``store`` turns a canonical value into its stored
    form, the one ``store.sql.stored`` gives, so a bulk import stores exactly what
    ``store.sql.insert`` would (``tests/services/test_exchange.py`` checks it).
    """

    name: str
    required: bool
    kind: type | None = None  # a plain type check (type(), so True is not an int)
    label: str = ""  # what the type check expects, for its error
    canon: Callable[[Any], Any] | None = None
    store: Callable[[Any], Any] | None = None  # None: stored as it is

    def check(self, value: Any) -> Any:
        """``value`` in canonical form, or BadValue."""
        if self.canon is not None:
            return self.canon(value)
        if self.kind is not None and type(value) is not self.kind:
            raise BadValue(f"expected {self.label}, got {value!r}")
        return value


def codecs(shape: Shape) -> list[Codec]:
    return [_codec(shape, name, kind) for name, kind in zip(shape.columns, shape.kinds,
                                                              strict=True)]


def _codec(shape: Shape, name: str, kind: str) -> Codec:
    required = name in shape.required
    if kind == "str" and (meaning := _meaning(name)) is not None:
        return Codec(name, required, canon=meaning)
    if (words := STORED.get((shape.name, name))) is not None:
        return Codec(name, required, canon=_one_of(words))
    if kind == "uid":
        return Codec(name, required, str, f"the uid of a {shape.fks[name]} row")
    if kind in ("datetime", "local"):
        canon = _utc_timestamp if kind == "datetime" else _local_timestamp
        return Codec(name, required, canon=canon, store=_stored_timestamp)
    if kind == "date":
        return Codec(name, required, canon=_iso_date)
    if kind == "time":
        return Codec(name, required, canon=_time, store=_stored_time)
    if kind == "bool":
        return Codec(name, required, bool, "bool", store=int)
    if kind == "float":
        return Codec(name, required, canon=_float)
    if kind in ("int", "str"):
        return Codec(name, required, {"int": int, "str": str}[kind], kind)
    return Codec(name, required)


def _one_of(words: tuple[str, ...]) -> Callable[[Any], str]:
    """The check of a column holding one of ``words`` (``vocabulary.STORED``)."""
    def check(value: Any) -> str:
        if value not in words:
            raise BadValue(f"expected one of {', '.join(words)}, got {value!r}")
        return value  # type: ignore[no-any-return]

    return check


def _float(value: Any) -> float:
    if type(value) not in (int, float) or not math.isfinite(value):
        raise BadValue(f"expected a finite number, got {value!r}")
    return float(value)


def _meaning(name: str) -> Callable[[Any], str] | None:
    """The check of a text column that stuffctl reads back as more than text, by the
    column's name: a recurrence rule (``rule``), a lead time (``lead``), a currency code
    (``currency``, ``…_currency``). Each goes through the parser the commands use, so an
    import refuses what `remind add`, `asset add` or `sub add` would refuse; rules and
    currencies are stored in the commands' canonical form."""
    if name == "rule":
        return _rule
    if name == "lead":
        return _lead
    if name == "currency" or name.endswith("_currency"):
        return _currency
    return None


# Canonical timestamps, as ``encode`` writes them: checked by a pattern and the date
# part, which is all ``datetime.fromisoformat`` would add, at a third of its cost.
_CANON_TS = re.compile(r"\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"
                       r"T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.(?!000000)\d{6})?")


def _canonical_ts(text: Any, suffix: str) -> bool:
    if type(text) is not str or not text.endswith(suffix):
        return False
    if _CANON_TS.fullmatch(text, 0, len(text) - len(suffix)) is None:
        return False
    day = text[:10]
    try:
        return _iso_date(day) == day  # a real date (remembered once checked)
    except BadValue:
        return False


def _memo(fn: Callable[[Any], str]) -> Callable[[Any], str]:
    """``fn`` remembered for the text values it was given: a file repeats its timestamps
    (one command stamps every row it writes with one time), so a large import converts
    each distinct one once. Bounded; errors are not remembered."""
    seen: dict[str, str] = {}

    def remembered(value: Any) -> str:
        if type(value) is not str:
            return fn(value)
        found = seen.get(value)
        if found is None:
            found = fn(value)
            if len(seen) < 100_000:
                seen[value] = found
        return found

    return remembered


@_memo
def _utc_timestamp(value: Any) -> str:
    if _canonical_ts(value, "Z"):
        return value  # type: ignore[no-any-return]
    return _slow(lambda text: _iso_text(_dates().parse_iso_timestamp(text)), value)


@_memo
def _local_timestamp(value: Any) -> str:
    if _canonical_ts(value, ""):
        return value  # type: ignore[no-any-return]
    return _slow(lambda text: _iso_text(_dates().parse_iso_timestamp(text, local=True)), value)


def _iso_text(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


@_memo
def _stored_timestamp(text: str) -> str:
    """``2026-11-23T07:04:05[.123456][Z]`` as stored: ``2026-11-23 07:04:05.123456``."""
    return f"{text[:10]} {text[11:19]}.{text[20:26] if text[19:20] == '.' else '000000'}"


@_memo
def _iso_date(value: Any) -> str:
    return _slow(lambda text: _dates().parse_iso_date(text).isoformat(), value)


@_memo
def _rule(value: Any) -> str:
    return _slow(lambda text: str(_dates().parse_recurrence(text).rule), value)


@_memo
def _lead(value: Any) -> str:
    """A lead time as written (``7d`` stays ``7d``), once `--lead` would take it."""
    def check(text: str) -> str:
        _dates().parse_duration(text)
        return text

    return _slow(check, value)


@_memo
def _currency(value: Any) -> str:
    from stuffctl.money import normalise_currency

    return _slow(normalise_currency, value)


def _time(value: Any) -> str:
    if type(value) is str and len(value) >= 8:
        try:  # what ``encode`` writes: HH:MM:SS[.ffffff]
            return time.fromisoformat(value).isoformat()
        except ValueError:
            pass
    return _slow(lambda text: _dates().parse_time(text).isoformat(), value)


def _stored_time(text: str) -> str:
    """``08:30:00[.123456]`` as stored: ``08:30:00.000000``."""
    return f"{text[:8]}.{text[9:15] if len(text) > 8 else '000000'}"


def _slow(read: Callable[[str], str], value: Any) -> str:
    if not isinstance(value, str):
        raise BadValue(f"expected text, got {value!r}")
    try:
        return read(value)
    except InvalidInput as exc:
        raise BadValue(exc.message) from None


def _dates() -> Any:
    from stuffctl import dates

    return dates


def storage_value(codec: Codec, value: Any) -> Any:
    """A canonical file value as the database stores it."""
    return value if value is None or codec.store is None else codec.store(value)
