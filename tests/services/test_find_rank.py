"""`stuffctl find` ranks every match and makes titles and snippets for the rows it shows
only (store/search.py; a server's in store/postgres.py): the same hits, in the same
order, with the same snippets as the query that made them for every match."""

from __future__ import annotations

from typing import Any

import pytest

from stuffctl import store
from stuffctl.services.data.find import find
from tests.conftest import Cli


def today_sqlite(conn: Any, text: str, limit: int) -> list[dict[str, Any]]:
    """The query before: a title, a snippet and a score for every match, then the best."""
    from stuffctl.store.search import _dedupe, _q, fts_name, installed, match_query

    parts = []
    for source, _cols in installed(conn):
        name = fts_name(source)
        parts.append(
            f"SELECT '{source.kind}' AS kind, src.{source.id_column} AS id, "
            f"{source.title} AS title, snippet({name}, -1, '[', ']', '…', 10) AS snippet, "
            f"bm25({name}) AS score FROM {name} "
            f"JOIN {source.table} AS src ON src.{source.rowid} = {name}.rowid "
            f"WHERE {name} MATCH ?")
    sql = " UNION ALL ".join(parts) + " ORDER BY score, kind, id LIMIT ?"
    return _dedupe(_q(conn, sql, *([match_query(text)] * len(parts)), limit))


def today_postgres(db: Any, text: str, limit: int) -> list[dict[str, Any]]:
    from stuffctl.store.postgres import TEXT_SEARCH, _document, tsquery
    from stuffctl.store.search import SOURCES, _dedupe

    query = tsquery(text)
    parts = [f"SELECT '{s.kind}' AS kind, src.{s.id_column} AS id, {s.title} AS title, "
             f"{_document(s.table, 'src')} AS doc, ts_rank({_document(s.table, 'src')}, q) "
             f"AS rank FROM {s.table} AS src, to_tsquery('{TEXT_SEARCH}', ?) AS q "
             f"WHERE {_document(s.table, 'src')} @@ q" for s in SOURCES]
    options = ("StartSel=[, StopSel=], MaxWords=10, MinWords=3, ShortWord=0, "
               "MaxFragments=1, FragmentDelimiter=…")
    sql = (f"SELECT kind, id, title, ts_headline('{TEXT_SEARCH}', "
           f"array_to_string(tsvector_to_array(doc), ' '), to_tsquery('{TEXT_SEARCH}', ?), "
           f"'{options}'), -rank FROM ({' UNION ALL '.join(parts)}) AS hit "
           "ORDER BY rank DESC, kind, id LIMIT ?")
    return _dedupe(db.execute(sql, [query, *[query] * len(parts), limit]).fetchall())


@pytest.fixture
def shop(cli: Cli, tmp_path: Any) -> None:
    """Hundreds of matches of ``lidl`` across kinds, of many lengths (so many scores) and
    some alike (so ties, broken by kind and id)."""
    lines = ["date,amount,currency,payee,category,account,memo"]
    for n in range(300):
        memo = " ".join(["weekly shop"] + ["lidl"] * (n % 4) + ["extra words"] * (n % 3))
        payee = "Lidl" if n % 5 else "Lidl Express Centraal"
        lines.append(f"2026-0{1 + n % 9}-{1 + n % 28:02d},-{n + 1}.50,EUR,{payee},"
                     f"groceries,card,{memo}")
    bank = tmp_path / "bank.csv"
    bank.write_text("\n".join(lines) + "\n")
    cli.ok("tx", "import", str(bank))
    cli.ok("asset", "add", "Lidl bag", "--notes", "from the lidl on the corner")
    cli.ok("asset", "add", "Cooler", "--field", "shop=lidl", "--field", "colour=blue")
    cli.ok("asset", "log", "2", "--notes", "bought a new one at lidl")
    cli.ok("project", "add", "Lidl loyalty")
    cli.ok("task", "add", "Lidl loyalty", "Ask lidl about the card")


@pytest.mark.parametrize("words", ["lidl", "lidl weekly", "express", "shop", "li", "lidl extra"])
def test_the_hits_and_their_order_are_what_ranking_every_match_gave(shop, words):
    with store.transaction() as db:
        for limit in (1, 3, 50, 1000):
            if db.backend.name == "sqlite":
                before = today_sqlite(db.connection, words, limit)
            else:
                before = today_postgres(db, words, limit)
            assert find(db=db, text=words, limit=limit) == before, (words, limit)


def test_a_limit_keeps_the_best_and_each_shown_hit_has_its_title_and_snippet(shop):
    with store.transaction() as db:
        every = find(db=db, text="lidl", limit=10_000)
        best = find(db=db, text="lidl", limit=20)
    assert len(every) == 305  # 300 transactions, 2 assets (one by a field), a log, a
    # project and a task
    assert best == every[:20]
    assert all(hit["title"] and "[" in hit["snippet"] for hit in best)
    assert [h["score"] for h in every] == sorted((h["score"] for h in every), reverse=True)
