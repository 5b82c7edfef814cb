"""`stuffctl report gaps` on screen (the score, then a table per kind of record, the
dearest first, then how to fill in what is missing), and the completeness line of
`stuffctl status`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stuffctl.render import KEEP, Column, group, plain, text, theme
from stuffctl.render.screen import Split, money

if TYPE_CHECKING:
    from rich.console import RenderableType

# How the screen names a field (JSON and CSV use the keys).
LABELS = {"purchased_on": "purchase date", "warranty_until": "warranty end",
          "due_on": "due date"}
# kind -> (its records in a title, its plural in a line, NAME header, VALUE header)
KINDS = {"asset": ("Assets in use", "assets", "ASSET", "PRICE"),
         "transaction": ("Transactions", "transactions", "PAYEE", "AMOUNT"),
         "project": ("Open projects", "projects", "PROJECT", "BUDGET")}


def label(field: str) -> str:
    return LABELS.get(field, field)


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:g}%"


def score_line(score: dict[str, Any]) -> str:
    """``Completeness: 72.5% of the checked fields (assets 65.7%, transactions 98%)``:
    the kinds with something to check."""
    kinds = ", ".join(f"{KINDS[k][1]} {percent(v['percent'])}"
                      for k, v in score["kinds"].items() if v["checked"])
    return (f"Completeness: {percent(score['percent'])} of the checked fields"
            + (f" ({kinds})" if kinds else ""))


# The CSV of `report gaps`: one row per record, its value as a number and a currency (a
# spreadsheet computes with the number), what it misses joined by ``;``.
GAP_COLUMNS = [Column("KIND", "kind"), Column("ID", "id"), Column("NAME", "name"),
               Column("AMOUNT", "amount"), Column("CURRENCY", "currency"),
               Column("MISSING", "missing")]


def gap_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of the CSV (``GAP_COLUMNS``)."""
    return [{**row, "amount": (row["value"] or {}).get("amount"),
             "currency": (row["value"] or {}).get("currency")} for row in data["gaps"]]


def _columns(kind: str) -> list[Column]:
    _, _, name, value = KINDS[kind]
    return [Column("ID", "id", justify="right", kind="id", priority=KEEP),
            Column(name, "name", priority=KEEP, min_width=10),
            Column(value, "value", show=money, justify="right", kind="money", priority=KEEP),
            Column("MISSING", "shown", priority=KEEP, min_width=16)]


def _title(kind: str, counts: dict[str, Any], shown: int) -> str:
    lacking = counts["records"] - counts["complete"]
    title = (f"{KINDS[kind][0]}: {lacking} of {counts['records']} miss something"
             f" ({percent(counts['percent'])} complete)")
    return title + (f"; the {shown} dearest" if shown < lacking else "")


def gaps_view(data: dict[str, Any]) -> RenderableType:
    score = data["completeness"]
    if not score["checked"]:
        return text("Nothing to check yet: no assets in use, transactions or open projects.")
    parts: list[RenderableType] = [text(score_line(score), style=theme.style("title"))]
    missing: set[str] = set()
    for kind, counts in score["kinds"].items():
        rows = [{**r, "shown": ", ".join(label(f) for f in r["missing"])}
                for r in data["gaps"] if r["kind"] == kind]
        if rows:
            missing.update(f for r in rows for f in r["missing"])
            parts += ["", text(_title(kind, counts, len(rows)), style=theme.style("title")),
                      Split(rows, _columns(kind), keys=2)]
    if not missing:
        parts.append(text("Nothing is missing."))
        return group(*parts)
    parts += ["", text("To fill them in:", style=theme.style("title"))]
    parts += [text(f"{label(field)}: {plain(fix)}") for field, fix in data["fixes"].items()
              if field in missing]
    return group(*parts)
