"""Small pieces every service uses: lookups, JSON-ready values, change stamps."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlmodel import Session, SQLModel

from stuffctl.errors import NotFound
from stuffctl.models import utcnow
from stuffctl.money import money_json as money_json  # re-exported: services use it from here
from stuffctl.services.sql import iso as iso  # re-exported too
from stuffctl.services.sql import like_escape as like_escape

T = TypeVar("T", bound=SQLModel)


def get_or_404(session: Session, model: type[T], ident: int, noun: str) -> T:
    obj = session.get(model, ident)
    if obj is None:
        raise NotFound(f"no {noun} with id {ident}")
    return obj




def touch(obj: Any) -> None:
    obj.updated_at = utcnow()


