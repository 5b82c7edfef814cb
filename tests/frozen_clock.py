"""A frozen clock for commands run in this process: ``date.today()`` and ``datetime.now()``
answer a fixed day and time, so a screen drawn on the demo household (tests/cli/
test_widths.py, docs/pictures.py) is the same whatever day it is drawn.

The commands import ``date`` and ``datetime`` from the ``datetime`` module when they run,
and modules loaded earlier hold their own names: both are replaced for as long as the
clock is frozen. Every date or datetime made meanwhile is a real one (the stand-ins only
answer ``today``/``now`` and ``isinstance``), so the database drivers see real values.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

REAL_DATE, REAL_DATETIME = dt.date, dt.datetime


class _Real(type):
    """A stand-in class that the real dates (or datetimes) are instances of."""

    _real: type

    def __instancecheck__(cls, obj: object) -> bool:
        return isinstance(obj, cls._real)

    def __subclasscheck__(cls, sub: type) -> bool:
        return issubclass(sub, cls._real)


class FrozenDate(REAL_DATE, metaclass=_Real):
    _real = REAL_DATE
    now_: Any = None

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        return REAL_DATE(*args, **kwargs)

    @classmethod
    def today(cls) -> Any:  # the real one once the clock runs again (a module kept it)
        return REAL_DATE.today() if cls.now_ is None else cls.now_.date()


class FrozenDatetime(REAL_DATETIME, metaclass=_Real):
    _real = REAL_DATETIME
    now_: Any = None

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        return REAL_DATETIME(*args, **kwargs)

    @classmethod
    def now(cls, tz: Any = None) -> Any:
        if cls.now_ is None:
            return REAL_DATETIME.now(tz)
        return cls.now_ if tz is None else cls.now_.astimezone(tz)

    @classmethod
    def today(cls) -> Any:
        return cls.now() if cls.now_ is not None else REAL_DATETIME.today()


@contextmanager
def frozen(now: dt.datetime) -> Iterator[None]:
    """Run with the clock stopped at ``now`` (naive: local time)."""
    import stuffctl.cli.main  # noqa: F401  (the command layer, loaded on the real clock)

    FrozenDate.now_ = FrozenDatetime.now_ = now
    swaps: list[tuple[object, str, object]] = [(dt, "date", REAL_DATE),
                                                (dt, "datetime", REAL_DATETIME)]
    for name, module in list(sys.modules.items()):
        if name.startswith("stuffctl") and module is not None:
            for attr, real in (("date", REAL_DATE), ("datetime", REAL_DATETIME)):
                if getattr(module, attr, None) is real:
                    swaps.append((module, attr, real))
    fakes = {REAL_DATE: FrozenDate, REAL_DATETIME: FrozenDatetime}
    for target, attr, real in swaps:
        setattr(target, attr, fakes[real])  # type: ignore[index]
    try:
        yield
    finally:
        FrozenDate.now_ = FrozenDatetime.now_ = None
        for target, attr, real in swaps:
            setattr(target, attr, real)
        reals = {FrozenDate: REAL_DATE, FrozenDatetime: REAL_DATETIME}
        for name, module in list(sys.modules.items()):  # imported while it was stopped
            if name.startswith("stuffctl") and module is not None:
                for attr in ("date", "datetime"):
                    if getattr(module, attr, None) in reals:
                        setattr(module, attr, reals[getattr(module, attr)])
