"""Reading bank exports: signs, duplicates, rules validation, round trips."""

from __future__ import annotations

import string
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stuffctl.errors import InvalidInput
from stuffctl.money import Money
from stuffctl.render import csv_value, spreadsheet_cell
from stuffctl.services.tx import import_csv, records
from stuffctl.services.tx.rules import (
    BUILTIN,
    EXPORT_COLUMNS,
    apply_categories,
    export_row,
    load_rules,
    parse_rules,
    plan_categories,
)


def rules(**kw):
    return parse_rules({"fields": ["date", "amount", "payee"], **kw}, name="test")


def parse(text: str, spec=None, encoding: str = "utf-8"):
    spec = spec or rules()
    return import_csv.parse_csv(text.encode(encoding), spec, name="f.csv",
                                default_currency="EUR")


def amounts(parsed) -> list[int]:
    return [r["amount_minor"] for r in parsed.rows]


def test_parentheses_minus_signs_and_thousands_separators():
    parsed = parse('2026-01-01,(12.50),A\n2026-01-02,"1,234.56",B\n2026-01-03,-3,C\n')
    assert amounts(parsed) == [-1250, 123456, -300]


def test_a_direction_column_gives_the_sign():
    spec = parse_rules({"fields": ["date", "amount", "af_bij"], "decimal_mark": ",",
                        "separator": ";",
                        "direction": {"field": "af_bij", "out": "Af", "in": "Bij"}}, name="x")
    assert amounts(parse("2026-01-01;12,50;Af\n2026-01-02;3,00;Bij\n", spec)) == [-1250, 300]
    with pytest.raises(InvalidInput, match=r"f.csv:1: column af_bij: expected 'Bij' or 'Af'"):
        parse("2026-01-01;12,50;Debit\n", spec)


def test_identical_rows_in_one_file_both_stay_and_an_overlapping_export_adds_the_rest():
    from stuffctl import store

    first = "2026-01-01,-5,Coffee\n2026-01-01,-5,Coffee\n2026-01-02,-7,Lunch\n"
    overlap = "2026-01-02,-7,Lunch\n2026-01-03,-9,Dinner\n2026-01-01,-5,Coffee\n"
    with store.transaction(write=True) as conn:
        added = import_csv.import_rows(db=conn, parsed=parse(first))
    assert (added["added"], added["duplicates"]) == (3, 0)
    with store.transaction(write=True) as conn:
        more = import_csv.import_rows(db=conn, parsed=parse(overlap))
    assert (more["added"], more["duplicates"]) == (1, 2)
    with store.transaction() as db:
        flt = records.TxnFilter(payee="Coffee")
        assert records.totals(db=db, flt=flt)[0]["count"] == 2


def test_a_failed_import_writes_nothing_and_the_connection_rolls_back():
    from stuffctl import store

    with pytest.raises(RuntimeError), store.transaction(write=True) as conn:
        import_csv.import_rows(db=conn, parsed=parse("2026-01-01,-5,Coffee\n"))
        raise RuntimeError("half-way")
    with store.transaction() as conn:
        assert conn.execute("SELECT count(*) FROM txn").fetchone() == (0,)
        if conn.backend.name == "sqlite":  # a server's search index is over txn itself
            assert conn.execute("SELECT count(*) FROM fts_txn").fetchone() == (0,)


def test_a_utf16_export_with_a_tab_separator_is_read():
    spec = rules(separator="\\t", encoding="utf-16")
    assert amounts(parse("2026-01-01\t-1.00\tCafé\n", spec, "utf-16")) == [-100]


@pytest.mark.parametrize(("doc", "message"), [
    ({"fields": ["amount"]}, 'no "date" column'),
    ({"fields": ["date", "amount", "amount_in"]}, 'either an "amount" column or both'),
    ({"fields": ["date", "amount"], "separator": ";;"}, "separator: expected one character"),
    ({"fields": ["date", "amount"], "encoding": "ebcdic"}, "encoding: expected one of"),
    ({"fields": ["date", "amount"], "skip_if": {"memo": "x"}}, "skip_if: 'memo' is not in"),
    ({"fields": ["date", "amount"], "categorize": [{"match": "(", "category": "x"}]},
     r"categorize\[1\].match: bad regular expression"),
    ({"fields": ["date", "amount"], "skip": -1}, "skip: cannot be negative"),
    ({"fields": ["date", "amount"], "currency": "euro"}, "currency: not a currency"),
])
def test_rules_mistakes_name_their_key(doc, message):
    with pytest.raises(InvalidInput, match=message):
        parse_rules(doc, name="x")


def test_a_saved_rules_file_is_found_by_name(home):
    (home / "rules").mkdir(parents=True)
    (home / "rules" / "mybank.toml").write_text('fields = ["date", "amount"]\nskip = 1\n')
    assert load_rules("mybank").skip == 1


texts = st.text(alphabet=string.ascii_letters + " ,;\"'é-", max_size=12).map(str.strip)
txn_rows = st.lists(st.fixed_dictionaries({
    "on": st.dates(date(2000, 1, 1), date(2099, 12, 31)).map(date.isoformat),
    "amount": st.integers(-10**9, 10**9).map(lambda n: {
        "amount": Money(n, "EUR").decimal_str(), "currency": "EUR"}),
    "payee": texts.map(lambda t: t or None), "category": st.just(None),
    "account": st.sampled_from([None, "bank:a"]), "memo": texts.map(lambda t: t or None),
}), min_size=1, max_size=20)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(txn_rows)
def test_export_csv_reads_back_as_the_same_rows(rows):
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for n, row in enumerate(rows):
        # as tx export writes it: a cell a spreadsheet would run gets a quote (render)
        full = {**row, "id": n + 1, "uid": None, "tags": [], "asset_id": None,
                "project_id": None, "subscription_id": None}
        cells = export_row(full)
        values = [csv_value(cells[k]) for k in EXPORT_COLUMNS]
        writer.writerow([spreadsheet_cell(v) if isinstance(v, str) else v for v in values])
    parsed = parse(out.getvalue(), load_rules(BUILTIN))
    back = [{"on": r["occurred_on"].isoformat(),
             "amount": Money(r["amount_minor"], "EUR").decimal_str(),
             "payee": r["payee"], "account": r["account"], "memo": r["memo"]}
            for r in parsed.rows]
    assert back == [{"on": r["on"], "amount": r["amount"]["amount"], "payee": r["payee"],
                     "account": r["account"], "memo": r["memo"]} for r in rows]


def test_bulk_uids_are_distinct_increasing_version_7_uuids():
    import uuid

    from stuffctl.clock import new_uids

    uids = new_uids(20_000)  # past the 12 bits of rand_a
    assert len(set(uids)) == 20_000
    assert uids == sorted(uids)
    assert all(uuid.UUID(u).version == 7 and uuid.UUID(u).variant == uuid.RFC_4122
               and str(uuid.UUID(u)) == u for u in uids)
    later = new_uids(1)[0]
    assert later[:13] >= uids[-1][:13]  # the millisecond leads


def test_imported_rows_and_rows_added_later_are_found_by_search():
    from stuffctl import store

    parsed = parse("2026-01-01,-1,Bakery Bolle\n2026-01-02,-2,Cheese Corner\n")
    with store.transaction(write=True) as raw:
        import_csv.import_rows(db=raw, parsed=parsed)
    with store.transaction(write=True) as db:
        records.add_txn(db=db, changes=records.TxnChanges(values={
            "occurred_on": date(2026, 1, 3), "amount": Money(-300, "EUR"),
            "payee": "Deli Dora"}))
        found = {hit["title"] for word in ("bolle", "cheese", "dora")
                 for hit in db.backend.search(db, word, limit=50)}
        assert found == {"Bakery Bolle", "Cheese Corner", "Deli Dora"}


@pytest.mark.sqlite_only("the search's triggers (off for a bulk import) are SQLite's; a "
                         "server's search is a GIN index over txn itself")
def test_imported_rows_are_searchable_and_later_rows_are_indexed_by_the_trigger_again():
    from stuffctl import store
    from stuffctl.store import search

    parsed = parse("2026-01-01,-1,Bakery Bolle\n2026-01-02,-2,Cheese Corner\n")
    with store.transaction(write=True) as raw:
        import_csv.import_rows(db=raw, parsed=parsed)
    with store.transaction(write=True) as db:
        records.add_txn(db=db, changes=records.TxnChanges(values={
            "occurred_on": date(2026, 1, 3), "amount": Money(-300, "EUR"),
            "payee": "Deli Dora"}))
        found = {hit["title"] for word in ("bolle", "cheese", "dora")
                 for hit in search.search(db.connection, word)}
        assert found == {"Bakery Bolle", "Cheese Corner", "Deli Dora"}
        triggers = db.one("SELECT count(*) FROM sqlite_master WHERE name = 'fts_txn_ai'")
        assert triggers == 1


def test_categorize_fills_only_uncategorised_rows_and_stamps_them():
    from stuffctl import store

    spec = rules(categorize=[{"match": "bakery", "category": "food"}])
    with store.transaction(write=True) as conn:
        import_csv.import_rows(db=conn, parsed=parse(
            "2026-01-01,-1,Bakery Bolle\n2026-01-02,-2,Garage\n"))
        conn.execute("UPDATE txn SET category = 'car' WHERE payee = 'Garage'")
        conn.execute("INSERT INTO txn (uid, created_at, updated_at, occurred_on, amount_minor,"
                     " currency, payee, category) VALUES ('x', '2026-01-01 00:00:00.000000',"
                     " '2026-01-01 00:00:00.000000', '2026-01-03', -3, 'EUR', 'Bakery', 'x')")
    with store.transaction() as conn:
        plan = plan_categories(db=conn, rules=spec)
    with store.transaction(write=True) as conn:
        apply_categories(db=conn, plan=plan)
        rows = conn.execute("SELECT payee, category, updated_at > created_at FROM txn "
                            "ORDER BY id").fetchall()
    dry, done = plan.summary(dry_run=True), plan.summary(dry_run=False)
    assert dry == {**done, "dry_run": True}
    assert done["uncategorized"] == 1 and done["by_category"] == {"food": 1}
    assert rows == [("Bakery Bolle", "food", 1), ("Garage", "car", 0), ("Bakery", "x", 0)]


cells = st.lists(st.one_of(
    st.sampled_from(["2026-01-31", " 2026-02-01 ", "31/01/2026", "2026-13-01", "", "x"]),
    st.from_regex(r"\A ?\(?-?[0-9]{1,4}([.,][0-9]{0,3})?\)? ?\Z"),
    st.text(alphabet=string.ascii_letters + " ,.-€", max_size=8)), min_size=0, max_size=6)


@settings(max_examples=300, deadline=None)
@given(cells, st.sampled_from([".", ","]), st.booleans())
def test_the_fast_row_reader_agrees_with_the_general_one_or_leaves_the_row_to_it(
        row, mark, with_rules):
    spec = parse_rules({"fields": ["date", "amount", "payee", "", "memo", "category"],
                        "decimal_mark": mark, "account": "bank:a",
                        "categorize": [{"match": "^a", "category": "cat-a", "payee": "A!"}]
                        if with_rules else []}, name="t")
    fast = import_csv._fast_reader(spec, "EUR")
    assert fast is not None
    got = fast(row)
    try:
        expected = import_csv._row(import_csv._cells(row, spec), spec, "EUR")
    except import_csv._RowError:
        assert got is None
        return
    assert got is None or got == expected


def test_rules_the_fast_reader_does_not_know_take_the_general_path():
    for doc in ({"fields": ["date", "amount_in", "amount_out"]},
                {"fields": ["date", "amount", "currency"]},
                {"fields": ["date", "amount", "d"],
                 "direction": {"field": "d", "in": "+", "out": "-"}}):
        assert import_csv._fast_reader(parse_rules(doc, name="x"), "EUR") is None
