"""Small pieces every service uses: lookups, JSON-ready values, change stamps."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel

from stuffctl.errors import NotFound
from stuffctl.models import utcnow
from stuffctl.money import money_json as money_json  # re-exported: services use it from here
from stuffctl.services.sql import iso as iso  # re-exported too
from stuffctl.services.sql import like_escape as like_escape

T = TypeVar("T", bound=SQLModel)
R = TypeVar("R")


def stream_published(
    session: Session, query: Any, publish: Callable[[Session, list[Any]], Iterable[R]],
    *, batch: int,
) -> Iterator[R]:
    """Rows of ``query`` streamed ``batch`` at a time, each batch turned into its public
    shape by ``publish`` (which may look up the batch's tags in one query)."""
    chunk: list[Any] = []
    for row in session.exec(query.execution_options(yield_per=batch)):
        chunk.append(row)
        if len(chunk) >= batch:
            yield from publish(session, chunk)
            chunk = []
    yield from publish(session, chunk)


def get_or_404(session: Session, model: type[T], ident: int, noun: str) -> T:
    obj = session.get(model, ident)
    if obj is None:
        raise NotFound(f"no {noun} with id {ident}")
    return obj




def touch(obj: Any) -> None:
    obj.updated_at = utcnow()


