"""Export and import at the speed of the data (#26): the export written straight from the
rows' tuples, byte for byte what a dict per row gave; the import reading the document
as it is written (services/data/reading.py) and merging it a batch at a time with the
same rules, results and errors, and a file and line for a bad row."""

from __future__ import annotations

import io
import json
import os
from datetime import date
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stuffctl import store
from stuffctl.errors import InvalidInput
from stuffctl.services import demo
from stuffctl.services.data import bundle, document, pipeline, reading
from tests.conftest import sql_one, sql_write
from tests.services.test_exchange import export_text, import_text, use_home  # noqa: F401


def old_document(db: Any, *, kind: str = "export",
                 selection: dict[str, set[int]] | None = None,
                 overrides: dict[str, dict[str, Any]] | None = None) -> str:
    """The export as it was written before #26: every row a dict of decoded values (its
    foreign keys looked up in a map of id to uid), encoded by its own ``json.dumps``."""
    uids: dict[str, dict[int, str]] = {}

    def uid(table: str, ident: int) -> str | None:
        if table not in uids:
            uids[table] = dict(db.execute(f"SELECT id, uid FROM {table}"))
        return uids[table].get(ident)

    out = [json.dumps(document.header(kind), ensure_ascii=False)[:-1] + ',\n "tables": {']
    for n, shape in enumerate(document.shapes()):
        names = ", ".join(f'"{c}"' for c in shape.columns)
        query = f"SELECT {names} FROM {shape.name}"
        params: tuple[Any, ...] = ()
        if selection is not None:
            column = "id" if shape.has_uid else shape.owner or shape.key[0]
            query += f' WHERE {db.backend.in_list(chr(34) + column + chr(34))}'
            params = (json.dumps(sorted(selection.get(shape.name, set()))),)
        rows = []
        for found in db.execute(query + (" ORDER BY id" if shape.has_uid else ""), params):
            row = {}
            for column, kind_, value in zip(shape.columns, shape.kinds, found, strict=True):
                if value is not None and kind_ == "uid":
                    value = uid(shape.fks[column], value)
                elif value is not None and kind_ in document.DECODE:
                    value = document.DECODE[kind_](value)
                row[column] = value
            rows.append(row)
        if not shape.has_uid:
            rows.sort(key=lambda r, key=shape.key: tuple(str(r[k]) for k in key))
        out.append(("\n" if n == 0 else ",\n") + f"  {json.dumps(shape.name)}: [")
        fixed = (overrides or {}).get(shape.name, {})
        for i, row in enumerate(rows):
            row = {**row, **fixed} if fixed else row
            out.append(("\n" if i == 0 else ",\n") + "   " + json.dumps(row, ensure_ascii=False))
        out.append("]" if not rows else "\n  ]")
    out.append("\n }\n}\n")
    return "".join(out)


ODD = 'Zoë "Z" \\ back\nslash\ttab\x01\x1f ctl \u2028 😀 </script>'


@pytest.fixture
def home_with_everything(use_home, tmp_path):  # noqa: F811
    """The demo home, with text of every kind of character, floats, stamps with and
    without a fraction, tags and fields."""
    use_home(tmp_path / "a")
    with store.transaction(write=True) as db:
        demo.build(db=db, seed=3, today=date(2026, 11, 23))
        from stuffctl.services import asset
        from stuffctl.services.remind import schedules

        asset.edit_asset(db=db, asset_id=1, changes=asset.AssetChanges(
            set_fields={"odd": ODD, "colour": "red"}, add_tags=["tag with space", "ü"]))
        schedules.add_reading(db=db, asset_id=1, value=0.1 + 0.2, unit="km",
                              on=date(2026, 1, 2))
        schedules.add_reading(db=db, asset_id=1, value=1e11, unit="h", on=date(2026, 1, 3))
    sql_write("UPDATE person SET name = ?, notes = ? WHERE id = 1", (ODD, ODD))
    sql_write("UPDATE asset SET created_at = '2026-01-01 00:00:00.000000', "
              "updated_at = '2026-01-01 00:00:00.120000' WHERE id = 1")
    return tmp_path / "a"


def test_the_export_is_byte_for_byte_what_a_dict_per_row_gave(home_with_everything):
    with store.transaction() as db:
        assert "".join(document.document(db)) == old_document(db)
        chosen = {"asset": {1, 2}, "asset_tag": {1, 2}, "asset_field": {1}, "person": {1}}
        fixed = {"asset": {"notes": None, "origin": "shared"}, "person": {"name": ODD[::-1]}}
        assert "".join(document.document(db, kind="share", selection=chosen,
                                         overrides=fixed)) == old_document(
            db, kind="share", selection=chosen, overrides=fixed)


@pytest.mark.sqlite_only("a value not of its column's kind is kept by SQLite's dynamic "
                         "typing; a server refuses it")
def test_a_value_not_of_its_columns_kind_is_written_as_a_dict_per_row_wrote_it(
        home_with_everything):
    sql_write("UPDATE txn SET amount_minor = 'twelve' WHERE id = 1")
    sql_write("UPDATE txn SET amount_minor = 12.5 WHERE id = 2")
    with store.transaction() as db:
        assert "".join(document.document(db)) == old_document(db)


@pytest.mark.parametrize("helper", [False, True], ids=["in this process", "by a helper"])
def test_a_document_read_as_it_is_written_merges_as_one_read_whole(
        home_with_everything, use_home, tmp_path, monkeypatch, helper):  # noqa: F811
    if helper:  # the large home's way: read and checked by a second process
        monkeypatch.setattr(pipeline, "HELPER_BYTES", 0)
    exported = export_text()
    (tmp_path / "all.json").write_text(exported, encoding="utf-8")
    use_home(tmp_path / "streamed")
    with store.transaction(write=True) as db:
        streamed = bundle.import_file(db=db, path=tmp_path / "all.json")
    assert export_text() == exported
    use_home(tmp_path / "whole")
    whole = import_text(exported)
    assert export_text() == exported
    assert {k: v for k, v in streamed.items() if k in whole} == {**whole, "file": str(
        tmp_path / "all.json")}
    use_home(tmp_path / "streamed")  # and again: nothing changes
    with store.transaction(write=True) as db:
        again = bundle.import_file(db=db, path=tmp_path / "all.json")
    assert all(set(n) <= {"unchanged"} or not any(v for k, v in n.items() if k != "unchanged")
               for n in again["tables"].values())


def test_a_bad_row_read_by_the_helper_is_named_as_here(home_with_everything, use_home,  # noqa: F811
                                                       tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "HELPER_BYTES", 0)
    exported = export_text()
    bad = exported.split("\n")
    at = _lines_of_rows(exported, "asset")[2]
    row = json.loads(bad[at - 1].strip().rstrip(","))
    bad[at - 1] = "   " + json.dumps({**row, "status": "bogus"}) + ","
    (tmp_path / "bad.json").write_text("\n".join(bad))
    use_home(tmp_path / "b")
    with pytest.raises(InvalidInput, match=rf"bad\.json:{at}: asset row 3: status: "), \
            store.transaction(write=True) as db:
        bundle.import_file(db=db, path=tmp_path / "bad.json")


def test_the_read_ahead_waits_for_the_merge_when_it_holds_enough(
        home_with_everything, use_home, tmp_path, monkeypatch):  # noqa: F811
    """With room for one message only, the reading thread waits for the merge to take
    each before it reads the next, and the document merges all the same."""
    monkeypatch.setattr(pipeline, "HELPER_BYTES", 0)
    monkeypatch.setattr(pipeline, "AHEAD", 1)
    exported = export_text()
    (tmp_path / "all.json").write_text(exported, encoding="utf-8")
    use_home(tmp_path / "tight")
    with store.transaction(write=True) as db:
        result = bundle.import_file(db=db, path=tmp_path / "all.json")
    assert result["tables"]["asset"]["added"] == sql_one("SELECT count(*) FROM asset") > 0
    assert export_text() == exported


@pytest.mark.sqlite_only("how the helper's end is noticed does not depend on the database")
def test_a_helper_that_dies_fails_the_import_naming_why_and_writes_nothing(
        home_with_everything, use_home, tmp_path, monkeypatch):  # noqa: F811
    """The helper process is started as ``sys.executable -m …``: a program in its place
    that says why on stderr and exits without a message is what a crashed reader is."""
    import sys

    from stuffctl.errors import OperationFailed

    monkeypatch.setattr(pipeline, "HELPER_BYTES", 0)
    (tmp_path / "all.json").write_text(export_text(), encoding="utf-8")
    crashing = tmp_path / "crashing-python"
    crashing.write_text("#!/bin/sh\necho 'MemoryError: the reader ran out' >&2\nexit 3\n")
    crashing.chmod(0o755)
    use_home(tmp_path / "c")
    python = sys.executable
    monkeypatch.setattr(sys, "executable", str(crashing))
    with pytest.raises(OperationFailed, match="reading the document failed: MemoryError: "
                                              "the reader ran out"), \
            store.transaction(write=True) as db:
        bundle.import_file(db=db, path=tmp_path / "all.json")
    monkeypatch.setattr(sys, "executable", python)
    assert os.environ["STUFFCTL_HOME"] == str(tmp_path / "c")
    assert sql_one("SELECT count(*) FROM asset") == 0


LAYOUTS = {
    "one line": lambda doc: json.dumps(doc).encode(),
    "indented": lambda doc: json.dumps(doc, indent=2, ensure_ascii=False).encode(),
    "CRLF and tabs": lambda doc: json.dumps(doc, indent="\t").replace("\n", "\r\n").encode(),
    "UTF-8 with a BOM": lambda doc: b"\xef\xbb\xbf" + json.dumps(doc).encode(),
    "UTF-16": lambda doc: json.dumps(doc, indent=1).encode("utf-16"),
    "the header after the tables": lambda doc: json.dumps(
        {"tables": doc["tables"], **{k: v for k, v in doc.items() if k != "tables"}}).encode(),
    "tables in another order": lambda doc: json.dumps(
        {**doc, "tables": dict(reversed(doc["tables"].items()))}).encode(),
    "a key twice (the last counts)": lambda doc: json.dumps(doc)[:-1].encode()
    + b', "kind": "x", "tables": ' + json.dumps(doc["tables"]).encode() + b"}",
}


@pytest.mark.sqlite_only("how a file is read is the same for both; its rows are merged by "
                         "the same code (the test above runs on both)")
@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_any_layout_json_allows_is_imported_alike(home_with_everything, use_home,  # noqa: F811
                                                   tmp_path, layout):
    exported = export_text()
    path = tmp_path / "doc.json"
    path.write_bytes(LAYOUTS[layout](json.loads(exported)))
    use_home(tmp_path / "b")
    with store.transaction(write=True) as db:
        bundle.import_file(db=db, path=path)
    assert export_text() == exported


def _lines_of_rows(text: str, table: str) -> list[int]:
    start = text.index(f'  "{table}": [')
    first = text[:start].count("\n") + 2
    count = len(json.loads(text)["tables"][table])
    return list(range(first, first + count))


def test_a_bad_row_is_named_by_file_line_and_row_and_nothing_is_written(
        home_with_everything, use_home, tmp_path):  # noqa: F811
    exported = export_text()
    lines = _lines_of_rows(exported, "txn")
    bad = exported.split("\n")
    row = json.loads(bad[lines[4] - 1].strip().rstrip(","))
    bad[lines[4] - 1] = "   " + json.dumps({**row, "occurred_on": "2026-02-30"}) + ","
    path = tmp_path / "bad.json"
    path.write_text("\n".join(bad))
    use_home(tmp_path / "b")
    with pytest.raises(InvalidInput, match=rf"bad\.json:{lines[4]}: txn row 5: occurred_on: "), \
            store.transaction(write=True) as db:
        bundle.import_file(db=db, path=path)
    assert json.loads(export_text())["tables"]["txn"] == []
    assert len(lines) > 5


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.9])
def test_a_document_cut_short_is_invalid_json_with_its_line_and_column(
        home_with_everything, use_home, tmp_path, cut):  # noqa: F811
    exported = export_text()
    text = exported[:int(len(exported) * cut)]
    path = tmp_path / "cut.json"
    path.write_text(text)
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    use_home(tmp_path / "b")
    where = rf"cut\.json:{expected.value.lineno}:\d+: not valid JSON: "
    with pytest.raises(InvalidInput, match=where), store.transaction(write=True) as db:
        bundle.import_file(db=db, path=path)
    assert json.loads(export_text())["tables"]["asset"] == []


def test_a_dry_run_writes_nothing_and_takes_no_ids(home_with_everything, use_home,  # noqa: F811
                                                   tmp_path, cli):
    (tmp_path / "all.json").write_text(export_text())
    use_home(tmp_path / "b")
    cli.ok("asset", "add", "Spade")
    result = cli.json("import", "--dry-run", str(tmp_path / "all.json"))
    assert result["dry_run"] and result["tables"]["asset"]["added"] > 1
    assert sql_one("SELECT count(*) FROM asset") == 1
    assert cli.json("asset", "add", "Rake")["id"] == 2


def test_an_owner_alike_but_for_its_tags_is_updated_when_newer_else_kept(
        home_with_everything, use_home, tmp_path):  # noqa: F811
    exported = export_text()
    use_home(tmp_path / "b")
    import_text(exported)
    doc = json.loads(exported)
    first, second = doc["tables"]["asset"][0]["uid"], doc["tables"]["asset"][1]["uid"]
    doc["tables"]["asset"][0]["updated_at"] = "2099-01-01T00:00:00Z"
    doc["tables"]["asset_tag"] = [t for t in doc["tables"]["asset_tag"]
                                  if t["asset_id"] not in (first, second)] + [
        {"asset_id": first, "tag": "newer"}, {"asset_id": second, "tag": "older"}]
    doc["tables"]["asset_tag"].sort(key=lambda r: (r["asset_id"], r["tag"]))
    path = tmp_path / "tags.json"
    path.write_text(json.dumps(doc, indent=1))
    with store.transaction(write=True) as db:
        result = bundle.import_file(db=db, path=path)
    assert result["tables"]["asset"]["updated"] == 1
    assert result["conflicts"] == [{"table": "asset", "uid": second, "kept": "local",
                                    "reason": "the copy here is as new or newer"}]
    tags = {(r["asset_id"], r["tag"]) for r in json.loads(export_text())["tables"]["asset_tag"]}
    assert (first, "newer") in tags and (second, "older") not in tags
    assert not any(a == first and t != "newer" for a, t in tags)


def test_a_parent_further_on_in_the_file_is_found(use_home, tmp_path, cli):  # noqa: F811
    use_home(tmp_path / "a")
    cli.ok("asset", "add", "Car")
    cli.ok("asset", "add", "Tyre", "--parent", "1")
    doc = json.loads(export_text())
    doc["tables"]["asset"].reverse()  # the tyre before the car it is in
    path = tmp_path / "car.json"
    path.write_text(document.ENCODER.encode(doc).replace('}, {"uid"', '},\n{"uid"'))
    use_home(tmp_path / "b")
    with store.transaction(write=True) as db:
        bundle.import_file(db=db, path=path)
    assert sql_one("SELECT p.name FROM asset c JOIN asset p ON p.id = c.parent_id") == "Car"


@pytest.mark.parametrize("where", ["asset", "txn"])
def test_a_uid_given_twice_is_refused_across_batches_and_tables(
        home_with_everything, use_home, tmp_path, monkeypatch, where):  # noqa: F811
    monkeypatch.setattr(reading, "WINDOW", 600)  # batches of a row or two
    doc = json.loads(export_text())
    twin = dict(doc["tables"][where][-1], uid=doc["tables"]["asset"][0]["uid"])
    doc["tables"][where].append(twin)
    text = document.ENCODER.encode(doc)
    path = tmp_path / "twice.json"
    path.write_text(text.replace('}, {"uid"', '},\n{"uid"'))  # a row a line, as exported
    use_home(tmp_path / "b")
    with pytest.raises(InvalidInput, match=f"appears twice \\(asset and {where}\\)"), \
            store.transaction(write=True) as db:
        bundle.import_file(db=db, path=path)


@patch.object(reading, "READ", 1 << 16)
@patch.object(reading, "WINDOW", 1 << 14)
def test_the_reader_holds_a_window_of_the_text_not_the_document():
    rows = [{"uid": f"u{n}", "note": "x" * (n % 300)} for n in range(20_000)]
    text = ('{"format": "stuffctl-export", "format_version": 1, "schema_version": "0001",\n'
            ' "tables": {\n  "txn": [\n' + ",\n".join(
                "   " + json.dumps(r) for r in rows) + '\n  ]\n }\n}\n')
    reader = reading.Reader(io.BytesIO(text.encode()), "big.json")
    header = reader.header()
    largest, got = 0, []
    for name, batches in reader.tables(header):
        for batch in batches:
            largest = max(largest, len(reader.buf))
            got.extend(batch.rows)
            assert list(batch.lines) == list(range(3 + batch.first, 3 + batch.first
                                                   + len(batch.rows)))
        assert name == "txn"
    assert got == rows
    assert len(text) > 5 * (reading.READ + reading.WINDOW) > largest / 2


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
_value = st.recursive(st.none() | st.booleans() | st.integers() | _text
                      | st.floats(allow_nan=False, allow_infinity=False),
                      lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(_text, inner, max_size=3), max_leaves=6)
_row = st.dictionaries(_text, _value, max_size=4)
_doc = st.dictionaries(st.sampled_from(["asset", "txn", "event", "x"]),
                       st.lists(_row, max_size=6), max_size=3)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables=_doc, indent=st.sampled_from([None, 1, "\t", "rows"]), read=st.integers(1, 64),
       window=st.integers(2, 200))
def test_the_reader_gives_the_rows_json_loads_gives(tables, indent, read, window):
    with patch.object(reading, "READ", read), patch.object(reading, "WINDOW", window):
        _reads_as_json_loads(tables, indent)  # refills and cuts in every place


def _reads_as_json_loads(tables: dict[str, list[Any]], indent: Any) -> None:
    doc = {"format": "stuffctl-export", "format_version": 1, "schema_version": "0001",
           "tables": tables}
    if indent == "rows":  # as export writes it: a row per line
        text = ('{"format": "stuffctl-export", "format_version": 1, "schema_version": "0001",'
                '\n "tables": {' + ",".join(
                    f"\n  {json.dumps(name)}: [" + ",".join(
                        "\n   " + json.dumps(r, ensure_ascii=False) for r in rows)
                    + ("\n  ]" if rows else "]") for name, rows in tables.items())
                + "\n }\n}\n")
    else:
        text = json.dumps(doc, indent=indent, ensure_ascii=False)
    assert json.loads(text) == doc
    header, found = reading.read(io.BytesIO(text.encode()), "f.json")
    assert header == {k: v for k, v in doc.items() if k != "tables"}
    got = {name: [r for batch in batches for r in batch.rows] for name, batches in found}
    assert got == tables
    assert list(got) == list(tables)


@settings(max_examples=150, deadline=None)
@given(tables=_doc, cut=st.floats(0.05, 0.999), read=st.integers(1, 64))
def test_invalid_json_is_named_where_json_loads_names_it(tables, cut, read):
    with patch.object(reading, "READ", read):
        _named_as_json_loads(tables, cut)


def _named_as_json_loads(tables: dict[str, list[Any]], cut: float) -> None:
    doc = {"format": "stuffctl-export", "format_version": 1, "schema_version": "0001",
           "tables": tables}
    text = json.dumps(doc, indent=1)
    text = text[:int(len(text) * cut)]
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        expected = f"f.json:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}"
    else:
        return
    try:
        _header, found = reading.read(io.BytesIO(text.encode()), "f.json")
        for _name, batches in found:
            for _batch in batches:
                pass
    except reading.NotStreamable:
        return  # cut before the tables: read whole, by json.loads itself
    except InvalidInput as exc:
        assert exc.message == expected
    else:
        raise AssertionError("a document cut short was read")


def test_a_zip_export_is_written_as_it_is_made_and_imported_as_it_is_read(
        home_with_everything, use_home, tmp_path, cli):  # noqa: F811
    receipt = tmp_path / "receipt.pdf"
    receipt.write_bytes(b"%PDF-1.4 receipt")
    cli.ok("asset", "attach", "1", str(receipt))
    out = tmp_path / "all.zip"
    cli.ok("export", "--out", str(out), "--with-files")
    exported = export_text()
    use_home(tmp_path / "b")
    result = cli.json("import", str(out))
    assert result["files_added"] == 1 and result["missing_files"] == []
    assert export_text() == exported
