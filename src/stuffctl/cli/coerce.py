"""Parameter conversion without pydantic.

Typer ≥ 0.29 converts every command-line value through a pydantic ``TypeAdapter``
built per parameter (``typer._coercion.build_runtime_param``): importing pydantic and
building the adapters is a third of a quick command's time, for values that are only
ever text, whole numbers, flags, choices and paths here. ``install`` gives Typer's
parameters a converter for exactly those (the same results and the same error
messages as Typer's own), built once per parameter, and leaves every other annotation
(tuples, datetimes, files, custom parsers) to Typer's. A Typer without that layer (an
older one, on plain Click) is left alone: Click converts there without pydantic.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})
_FALSE = frozenset({"0", "off", "f", "false", "n", "no"})
_WHOLE = re.compile(r"([+-]?[0-9]+(?:_[0-9]+)*)(?:\.0+)?")


def install() -> None:
    """Route Typer's parameter conversion through ``build`` (once per process)."""
    try:
        from typer import _coercion, core
    except ImportError:  # an older Typer: Click's own types, no pydantic
        return
    current = getattr(core, "build_runtime_param", None)
    if current is None or getattr(current, "stuffctl", False) or not hasattr(
            _coercion, "RuntimeParam"):
        return  # a Typer whose conversion works otherwise, or installed already
    typers = _coercion.build_runtime_param

    @dataclass(frozen=True)
    class Converted(_coercion.RuntimeParam):
        convert: Callable[[Any, Any, Any], Any]

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            return self.convert(value, param, ctx)

    def build(descriptor: Any) -> Any:
        info = descriptor.parameter_info
        convert = None
        if descriptor.file_annotation is None and info.parser is None:
            convert = converter(descriptor.annotation, info)
        if convert is None:
            return typers(descriptor)
        return Converted(parameter_info=info, annotation=descriptor.annotation,
                         convert=convert)

    build.stuffctl = True  # type: ignore[attr-defined]
    core.build_runtime_param = build  # type: ignore[attr-defined]


def converter(annotation: Any, info: Any) -> Callable[[Any, Any, Any], Any] | None:
    """What converts one value of ``annotation`` (a list: each of its values), or None
    when Typer's own conversion should."""
    if get_origin(annotation) is list:
        (item,) = get_args(annotation)
        one = _leaf(item, info)
        if one is None:
            return None

        def each(value: Any, param: Any, ctx: Any) -> list[Any]:
            values = value if isinstance(value, (list, tuple)) else [value]
            return [one(v, param, ctx) for v in values]

        return each
    return _leaf(annotation, info)


def _leaf(annotation: Any, info: Any) -> Callable[[Any, Any, Any], Any] | None:
    from typer._param_types import routes_to_path

    if annotation is str:
        return _text
    if annotation is bool:
        return _flag
    if annotation in (int, float):
        return _number(annotation, info)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return _choice(tuple(annotation), info.case_sensitive)
    if routes_to_path(annotation, info):
        return _path(annotation, info)
    return None


def _bad(message: str, param: Any, ctx: Any) -> Exception:
    from typer._click.exceptions import BadParameter

    return BadParameter(message, ctx=ctx, param=param)


def _text(value: Any, param: Any, ctx: Any) -> str:
    if isinstance(value, bytes):  # as Typer decodes arguments it was given as bytes
        for encoding in (sys.getfilesystemencoding(), "utf-8"):
            try:
                return value.decode(encoding)
            except UnicodeError:
                continue
        return value.decode("utf-8", "replace")
    if value is None:
        raise _bad("None is not a valid string", param, ctx)
    return str(value)


def _flag(value: Any, param: Any, ctx: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE or text == "":
        return False
    raise _bad("Input should be a valid boolean, unable to interpret input", param, ctx)


def _number(kind: type, info: Any) -> Callable[[Any, Any, Any], Any]:
    low, high, clamp = info.min, info.max, info.clamp
    what = "an integer" if kind is int else "a number"

    def number(value: Any, param: Any, ctx: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise _bad(f"Input should be a valid {'integer' if kind is int else 'number'}",
                       param, ctx)
        found = _parse_number(kind, value)
        if found is None:
            raise _bad(f"Input should be a valid {'integer' if kind is int else 'number'}, "
                       f"unable to parse string as {what}", param, ctx)
        if kind is int and not isinstance(found, int):
            raise _bad("Input should be a valid integer, got a number with a fractional "
                       "part", param, ctx)
        if clamp:  # as Typer clamps: the low bound first
            if low is not None and found < low:
                return kind(low)
            if high is not None and found > high:
                return kind(high)
            return found
        if high is not None and found > high:  # as pydantic checks: the high bound first
            raise _bad(f"Input should be less than or equal to {high}", param, ctx)
        if low is not None and found < low:
            raise _bad(f"Input should be greater than or equal to {low}", param, ctx)
        return found

    return number


def _parse_number(kind: type, value: Any) -> Any:
    """``value`` as ``kind`` the way pydantic reads it in lax mode: text of ASCII digits
    with ``_`` between them, a whole number also with a zero fraction (``3.0``); None
    when it is no number; a float (for an int) when it has a fraction."""
    if isinstance(value, str):
        value = value.strip()
        if not value.isascii():
            return None
        if kind is int:
            whole = _WHOLE.fullmatch(value)
            return int(whole.group(1).replace("_", "")) if whole else None
    if isinstance(value, float) and kind is int:
        return int(value) if value.is_integer() else value
    try:
        return kind(value)
    except (TypeError, ValueError, OverflowError):
        return None


def _choice(choices: tuple[Any, ...], case_sensitive: bool) -> Callable[[Any, Any, Any], Any]:
    from typer._param_types import coerce_cli_choice

    def choice(value: Any, param: Any, ctx: Any) -> Any:
        try:
            return coerce_cli_choice(value, choices=choices, case_sensitive=case_sensitive,
                                     ctx=ctx)
        except ValueError as exc:
            raise _bad(f"Value error, {exc}", param, ctx) from None

    return choice


def _path(annotation: Any, info: Any) -> Callable[[Any, Any, Any], Any]:
    from typer._param_types import coerce_cli_path

    kind = info.path_type
    if kind is None and isinstance(annotation, type) and issubclass(annotation, Path):
        kind = annotation

    def path(value: Any, param: Any, ctx: Any) -> Any:
        if kind is not None and kind not in (str, bytes) and not isinstance(value, kind):
            value = kind(_text(value, param, ctx))  # what pydantic's Path adapter does
        return coerce_cli_path(value, info, path_type=kind, param=param, ctx=ctx)

    return path
