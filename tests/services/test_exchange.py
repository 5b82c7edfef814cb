"""Export and import: lossless round trips, merge rules, and bad files changing nothing."""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stuffctl import store
from stuffctl.errors import InvalidInput
from stuffctl.services import demo
from stuffctl.services.data import bundle, document, exchange, merge, share
from stuffctl.services.data.exchange import storage_value
from stuffctl.store import schema, sql


@pytest.fixture
def use_home(home, backend, request, monkeypatch):
    """Switch to another home, ``use_home(path)``: on PostgreSQL each home has its own
    server database (the test's own for the test's home), as each has its own file."""
    databases = request.getfixturevalue("postgres_databases") if backend == "postgres" \
        else None
    urls = {home: os.environ.get("STUFFCTL_DB")}
    made = []

    def switch(path: Path) -> None:
        store.dispose_all()
        monkeypatch.setenv("STUFFCTL_HOME", str(path))
        if databases is not None:
            if path not in urls:
                made.append(databases.fresh())
                urls[path] = made[-1].url
            monkeypatch.setenv("STUFFCTL_DB", urls[path])

    yield switch
    store.dispose_all()
    for database in made:
        database.drop()


def export_text() -> str:
    with store.transaction() as s:
        return "".join(document.document(s))


def import_text(text: str, dry_run: bool = False) -> dict:
    with store.transaction(write=True) as s:
        return merge.import_document(db=s, doc=merge.parse(text, "f.json"),
                                     source="f.json", dry_run=dry_run)


@pytest.fixture
def demo_export(use_home, tmp_path):
    use_home(tmp_path / "a")
    with store.transaction(write=True) as s:
        demo.build(db=s, seed=3, today=date(2026, 11, 23))
    return export_text()


def test_demo_home_round_trips_to_an_identical_document(use_home, demo_export, tmp_path):
    use_home(tmp_path / "b")
    result = import_text(demo_export)
    # the catalogue, a borrowed drill and the holiday flat's dishwasher
    assert result["tables"]["asset"]["added"] == len(demo.CATALOGUE) + 2
    assert export_text() == demo_export
    again = import_text(demo_export)
    assert all(set(c) <= {"unchanged"} or not any(v for k, v in c.items() if k != "unchanged")
               for c in again["tables"].values())


def test_the_document_names_format_and_schema_and_has_no_local_ids(demo_export):
    doc = json.loads(demo_export)
    assert (doc["format"], doc["format_version"], doc["kind"]) == ("stuffctl-export", 1, "export")
    assert "id" not in doc["tables"]["asset"][0]
    loan = doc["tables"]["loan"][0]
    uids = {a["uid"] for a in doc["tables"]["asset"]}
    assert loan["asset_id"] in uids


def test_newer_updated_at_wins_and_older_is_a_conflict(use_home, demo_export, tmp_path):
    use_home(tmp_path / "b")
    import_text(demo_export)
    doc = json.loads(demo_export)
    doc["tables"]["asset"][0]["name"] = "Renamed"
    doc["tables"]["asset"][0]["updated_at"] = "2099-01-01T00:00:00Z"
    doc["tables"]["asset"][1]["name"] = "Stale"
    doc["tables"]["asset"][1]["updated_at"] = "2000-01-01T00:00:00Z"
    dry = import_text(json.dumps(doc), dry_run=True)
    assert dry["tables"]["asset"]["updated"] == 1 and dry["dry_run"]
    result = import_text(json.dumps(doc))
    assert result["tables"]["asset"]["updated"] == 1
    assert result["conflicts"] == [{"table": "asset", "uid": doc["tables"]["asset"][1]["uid"],
                                    "kept": "local",
                                    "reason": "the copy here is as new or newer"}]
    names = [a["name"] for a in json.loads(export_text())["tables"]["asset"][:2]]
    assert names[0] == "Renamed" and names[1] != "Stale"


@pytest.mark.parametrize(("change", "message"), [
    (lambda t: t[: len(t) // 2], "not valid JSON"),
    (lambda t: t.replace('"format_version": 1', '"format_version": 7'), "format version 7"),
    (lambda t: t.replace(f'"schema_version": "{schema.head_revision()}"',
                         '"schema_version": "9999"'),
     "newer than this stuffctl"),
    (lambda t: t.replace('"tables": {', '"tables": {"nosuch": [], ', 1), "unknown table"),
])
def test_malformed_documents_are_refused_and_change_nothing(use_home, demo_export, tmp_path,
                                                            change, message):
    use_home(tmp_path / "b")
    with pytest.raises(InvalidInput, match=message):
        import_text(change(demo_export))
    assert json.loads(export_text())["tables"]["asset"] == []


def test_truncated_json_names_line_and_column(demo_export):
    with pytest.raises(InvalidInput, match=r"f.json:\d+:\d+: not valid JSON"):
        merge.parse(demo_export[:200], "f.json")


def test_a_file_is_read_as_utf8_or_by_its_byte_order_and_bad_bytes_are_refused(
        use_home, demo_export, tmp_path):
    use_home(tmp_path / "b")
    wide = tmp_path / "wide.json"
    wide.write_bytes(demo_export.encode("utf-16"))
    with store.transaction(write=True) as s:
        added = bundle.import_file(db=s, path=wide)
    assert added["tables"]["asset"]["added"] > 0
    broken = tmp_path / "broken.json"
    broken.write_bytes(demo_export.encode()[:100] + b"\xff\xfe\xfd" + demo_export.encode()[100:])
    with pytest.raises(InvalidInput, match=r"broken\.json: not UTF-8 text"), \
            store.transaction(write=True) as s:
        bundle.import_file(db=s, path=broken)



@pytest.mark.parametrize("text", ['{"a": "caf\u00e9"}', '{"a": "\ud800"}'])
def test_text_is_decoded_as_json_loads_decodes_bytes(text):
    """Strict UTF-8 first (fast), then what json.loads also takes: a surrogate
    written out as UTF-8 bytes."""
    data = text.encode("utf-8", "surrogatepass")
    assert json.loads(merge.decode(data, "f.json")) == json.loads(data)


def test_a_uid_of_another_kind_here_is_refused(use_home, demo_export, tmp_path):
    use_home(tmp_path / "b")
    import_text(demo_export)
    doc = json.loads(demo_export)
    person_uid = doc["tables"]["person"][0]["uid"]
    doc = {**doc, "tables": {"asset": [{**doc["tables"]["asset"][0], "uid": person_uid,
                                        "updated_at": "2099-01-01T00:00:00Z"}]}}
    with pytest.raises(InvalidInput, match="is a asset in the file but a person here"):
        import_text(json.dumps(doc))


def test_a_reference_to_nowhere_is_refused(use_home, demo_export, tmp_path):
    use_home(tmp_path / "b")
    doc = json.loads(demo_export)
    doc["tables"] = {"loan": doc["tables"]["loan"]}
    with pytest.raises(InvalidInput, match="neither in the file nor here"):
        import_text(json.dumps(doc))


def test_the_reference_error_names_the_first_row_that_refers_to_nowhere(use_home, demo_export,
                                                                         tmp_path):
    use_home(tmp_path / "b")
    doc = json.loads(demo_export)
    txns = doc["tables"]["txn"]
    n = next(i for i, t in enumerate(txns) if t["asset_id"] is None)
    txns[n]["asset_id"] = "00000000-0000-4000-8000-000000000000"
    with pytest.raises(InvalidInput, match=rf"txn row {n + 1}: asset_id refers to asset "
                       "00000000-0000-4000-8000-000000000000, which is neither"):
        import_text(json.dumps(doc))
    assert json.loads(export_text())["tables"].get("txn", []) == []  # nothing was written


def test_a_link_row_of_an_owner_not_in_the_file_is_added_once(demo_export):
    doc = json.loads(demo_export)
    uid = doc["tables"]["asset"][0]["uid"]
    doc["tables"] = {"asset_tag": [{"asset_id": uid, "tag": "from-a-friend"}]}
    first = import_text(json.dumps(doc))
    assert first["tables"]["asset_tag"] == {"added": 1, "removed": 0}
    again = import_text(json.dumps(doc))
    assert again["tables"] == {}  # nothing added or changed the second time
    tags = [r for r in json.loads(export_text())["tables"]["asset_tag"]
            if r["tag"] == "from-a-friend"]
    assert tags == [{"asset_id": uid, "tag": "from-a-friend"}]


@pytest.mark.parametrize("other", ["asset", "txn"], ids=["same table", "another table"])
def test_a_uid_twice_in_the_file_is_refused(use_home, demo_export, tmp_path, other):
    use_home(tmp_path / "b")
    doc = json.loads(demo_export)
    twin = dict(doc["tables"][other][-1], uid=doc["tables"]["asset"][0]["uid"])
    doc["tables"][other].append(twin)
    first, second = ("asset", other)
    with pytest.raises(InvalidInput, match=f"appears twice \\({first} and {second}\\)"):
        import_text(json.dumps(doc))


def test_share_bundle_holds_the_asset_and_what_it_needs(demo_export, tmp_path):
    with store.transaction() as db:
        ladder = [a for a in json.loads(demo_export)["tables"]["asset"]
                  if a["name"] == "Ladder"]
        assert ladder
        (ident,) = db.execute("SELECT id FROM asset WHERE name = ?", ("Ladder",)).fetchall()[0]
        chosen = share.roots(db=db, projects=[], assets=[ident], tags=[])
        sel = share.closure(db=db, chosen=chosen)
        out = tmp_path / "ladder.json"
        bundle.write_file(db=db, out=out, kind="share", selection=sel)
    doc = json.loads(out.read_text())
    assert [a["name"] for a in doc["tables"]["asset"]] == ["Ladder"]
    assert [p["name"] for p in doc["tables"]["person"]] == ["Sam"]
    assert len(doc["tables"]["loan"]) == 1


def test_zip_members_outside_the_data_directory_are_refused(tmp_path):
    import zipfile

    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("export.json", "{}")
        zf.writestr("../../etc/evil", "x")
    with pytest.raises(InvalidInput, match="unexpected member"):
        bundle.read_file(bad)


def test_every_model_table_but_the_local_caches_is_exported(demo_export):
    from stuffctl import models
    from stuffctl.services.data.document import LOCAL_ONLY

    assert {"meta", "notification", "change", "notice", "outbox", "undo_step", "undo_row",
            "undo_now"} == LOCAL_ONLY
    assert set(json.loads(demo_export)["tables"]) == set(models.metadata().tables) - LOCAL_ONLY


def test_imported_rows_are_found_by_search(use_home, demo_export, tmp_path):
    use_home(tmp_path / "b")
    import_text(demo_export)
    with store.transaction() as db:
        names = [n for (n,) in db.execute("SELECT name FROM asset ORDER BY id")]
        assert names[0] in {h["title"] for h in db.backend.search(
            db, names[0].split()[0], limit=50)}


@pytest.mark.sqlite_only("the FTS5 tables and their triggers are SQLite's; a server's "
                         "search is a GIN index the server keeps")
def test_imported_rows_are_in_the_search_index_and_the_index_is_sound(use_home, demo_export,
                                                                       tmp_path):
    from stuffctl.store import search

    use_home(tmp_path / "b")
    import_text(demo_export)
    with store.transaction() as db:
        names = [n for (n,) in db.execute("SELECT name FROM asset ORDER BY id")]
        hits = {h["title"] for h in search.search(db.connection, names[0].split()[0])}
        assert names[0] in hits
        assert names[0] in {h["title"] for h in db.backend.search(
            db, names[0].split()[0], limit=50)}
        for (table,) in db.execute(
                "SELECT name FROM sqlite_master WHERE name LIKE 'fts\\_%' ESCAPE '\\' "
                "AND sql LIKE 'CREATE VIRTUAL%'").fetchall():
            db.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")
        # the bulk path took the search index's and the undo journal's insert triggers
        # away for the import, and put every one back
        from stuffctl.store import undo
        from stuffctl.store.tables import TABLES

        triggers = db.one("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND "
                          "name NOT LIKE 'undo\\_%' ESCAPE '\\'")
        assert triggers == 3 * len(search.installed(db.connection))
        journal = db.one("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND "
                         "name LIKE 'undo\\_%' ESCAPE '\\'")
        assert journal == 3 * len(undo.journaled(TABLES))


# -- the bulk path: file values to the one stored form (``sql.stored``) ------------------

def _codec(table: str, name: str) -> exchange.Codec:
    shape = next(s for s in document.shapes() if s.name == table)
    return next(c for c in exchange.codecs(shape) if c.name == name)


def _kind(table: str, name: str) -> str:
    shape = next(s for s in document.shapes() if s.name == table)
    return shape.kinds[shape.columns.index(name)]


def _stored(value):
    """What every other write (``sql.insert``) stores for ``value`` (a Python value):
    ``tests/services/test_sql_writes.py`` pins that form down."""
    return sql.stored(value)


_moments = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 12, 31))


@settings(max_examples=300, deadline=None)
@given(moment=_moments)
def test_a_utc_timestamp_is_stored_as_every_other_write_stores_it(moment):
    aware = moment.replace(tzinfo=UTC)
    codec = _codec("txn", "created_at")
    canonical = codec.check(exchange.encode(aware))
    assert canonical == exchange.encode(aware)
    assert codec.store(canonical) == _stored(aware) == sql.moment(moment)
    # Another offset or spelled-out zero microseconds: the same instant, canonical.
    shifted = aware.astimezone(timezone(timedelta(hours=5, minutes=30)))
    assert codec.check(shifted.isoformat()) == canonical
    if not aware.microsecond:
        assert codec.check(aware.strftime("%Y-%m-%dT%H:%M:%S.000000Z")) == canonical


def test_timestamps_are_converted_once_each_and_bad_ones_refused_every_time():
    codec = _codec("txn", "created_at")
    text = "2026-03-04T05:06:07+01:00"
    first = codec.check(text)
    assert first == "2026-03-04T04:06:07Z" and codec.check(text) == first
    assert codec.store(first) == codec.store(first) == "2026-03-04 04:06:07.000000"
    for _ in range(2):  # a refusal is not remembered as an answer
        with pytest.raises(exchange.BadValue):
            codec.check("2026-02-30T10:00:00Z")
    with pytest.raises(exchange.BadValue):
        codec.check(["not", "text"])  # unhashable: checked, never remembered


@settings(max_examples=200, deadline=None)
@given(moment=_moments)
def test_local_times_dates_and_flags_are_stored_as_every_other_write_stores_them(moment):
    naive = [(s.name, c) for s in document.shapes()
             for c, kind in zip(s.columns, s.kinds, strict=True) if kind == "local"]
    assert ("occurrence", "due") in naive
    for table, column in naive:
        codec = _codec(table, column)
        assert codec.store(codec.check(moment.isoformat())) == _stored(moment), column
    day = _codec("txn", "occurred_on")
    assert _kind("txn", "occurred_on") == "date"
    assert storage_value(day, day.check(moment.date().isoformat())) == _stored(moment.date())
    clock = _codec("reminder", "due_time")
    assert _kind("reminder", "due_time") == "time"
    assert clock.store(clock.check(moment.time().isoformat())) == _stored(moment.time())
    flag = _codec("reminder", "from_done")
    assert _kind("reminder", "from_done") == "bool"
    assert flag.store(flag.check(moment.day % 2 == 0)) == _stored(moment.day % 2 == 0)


@pytest.mark.parametrize(("table", "column", "value", "message"), [
    ("txn", "created_at", "2026-02-30T10:00:00Z", "timestamp"),
    ("txn", "created_at", "2026-02-01T10:00:00", "no UTC offset"),
    ("txn", "created_at", 20260201, "expected text"),
    ("txn", "occurred_on", "2026-13-01", "ISO date"),
    ("txn", "amount_minor", "12", "expected int"),
    ("txn", "amount_minor", True, "expected int"),
    ("txn", "payee", 7, "expected str"),
    ("reminder", "from_done", 1, "expected bool"),
])
def test_a_bad_value_names_table_row_and_column_and_nothing_is_written(
        use_home, demo_export, tmp_path, table, column, value, message):
    use_home(tmp_path / "b")
    doc = json.loads(demo_export)
    doc["tables"][table][1][column] = value
    with pytest.raises(InvalidInput, match=rf"f.json: {table} row 2: {column}: .*{message}"):
        import_text(json.dumps(doc))
    assert json.loads(export_text())["tables"][table] == []


@pytest.mark.sqlite_only("dropping a table's indexes for a large insert is SQLite's; a "
                         "server keeps its indexes (store/bulk.py)")
def test_a_large_insert_builds_the_indexes_afterwards_and_keeps_them(
        use_home, demo_export, tmp_path, monkeypatch):
    from stuffctl.store import bulk

    def indexes():
        with store.transaction() as db:
            return db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                              "ORDER BY name").fetchall()

    use_home(tmp_path / "b")
    before = indexes()
    dropped = []
    real = bulk.execute

    def spy(conn, sql, params=()):
        if sql.startswith("DROP INDEX"):
            dropped.append(sql)
        return real(conn, sql, params)

    monkeypatch.setattr(bulk, "WORTH_IT", 10)
    monkeypatch.setattr(bulk, "execute", spy)
    import_text(demo_export)
    assert dropped, "the demo's transactions are a large insert at this threshold"
    assert indexes() == before
    assert export_text() == demo_export
    with store.transaction() as db:
        assert db.one("PRAGMA integrity_check") == "ok"
        assert db.backend.integrity_problems(db) == []


def test_the_collector_is_back_on_after_an_import_even_a_failed_one(use_home, demo_export,
                                                                     tmp_path):
    import gc

    use_home(tmp_path / "b")
    bad = tmp_path / "bad.json"
    bad.write_text(demo_export.replace('"format_version": 1', '"format_version": 7'))
    with pytest.raises(InvalidInput), store.transaction(write=True) as s:
        bundle.import_file(db=s, path=bad)
    assert gc.isenabled()
    good = tmp_path / "good.json"
    good.write_text(demo_export)
    with store.transaction(write=True) as s:
        bundle.import_file(db=s, path=good)
    assert gc.isenabled()


def test_the_document_shapes_are_what_the_models_describe():
    """`export` reads the tables from the generated store/tables.py, not the models."""
    shapes = [{"name": s.name, "has_uid": s.has_uid, "columns": list(s.columns),
               "kinds": list(s.kinds), "fks": s.fks, "required": list(s.required),
               "cascades": list(s.cascades), "owner": s.owner, "key": list(s.key)}
              for s in document.shapes()]
    assert shapes == _describe()


def _describe() -> list[dict[str, Any]]:
    """The document's shapes as the models' SQLAlchemy metadata says them (the run-time
    code reads them from store/tables.py instead)."""
    from stuffctl import models
    from stuffctl.services.data.document import LOCAL_ONLY
    from stuffctl.store.generate import kind_of

    found = []
    for table in models.metadata().sorted_tables:
        if table.name in LOCAL_ONLY:
            continue
        has_uid = "uid" in table.c
        fks = {c.name: fk.column.table for c in table.c for fk in c.foreign_keys}
        columns = [c.name for c in table.c if not (has_uid and c.name == "id")]
        owner = None if has_uid else next(
            (c for c in columns if c in fks and "uid" in fks[c].c), None)
        found.append({
            "name": table.name, "has_uid": has_uid, "columns": columns,
            "kinds": ["uid" if c in fks else kind_of(table.c[c]) for c in columns],
            "fks": {c: t.name for c, t in fks.items()},
            "required": [c for c in columns if not table.c[c].nullable],
            "cascades": [c for c in fks if any(fk.ondelete == "CASCADE"
                                                for fk in table.c[c].foreign_keys)],
            "owner": owner,
            "key": ["uid"] if has_uid else [c.name for c in table.primary_key.columns]})
    return found


def test_the_document_holds_every_stored_row_read_back_by_its_kind(demo_export):
    """Each stored row, read back with Python's own parsers by the kind its column
    holds (``store/tables.py``) and written by ``exchange.encode``, is the row
    ``services.data.document`` writes, in every table (the demo home, plus a row for
    each table it leaves empty)."""
    from decimal import Decimal

    from stuffctl.services import asset, category, person, sub
    from stuffctl.services.bench import goals
    from stuffctl.services.remind import schedules
    from stuffctl.services.task import records as task_records
    from stuffctl.services.tx import records as tx_records
    from stuffctl.store.tables import TABLES

    with store.transaction(write=True) as db:
        goals.set_goal(db=db, metric="spend:groceries", op="<=", target=Decimal(400))
        category.set_kind(db=db, name="side jobs", kind="income")
        asset.edit_asset(db=db, asset_id=1, changes=asset.AssetChanges(
            set_fields={"colour": "red"}))
        asset.add_attachment(db=db, asset_id=1, filename="r.pdf", sha256="a" * 64, size=3)
        schedules.add_reading(db=db, asset_id=1, value=12.5, unit="km", on=date(2026, 1, 2))
        task_records.edit_task(db=db, task_id=1,
                               changes=task_records.TaskChanges(add_tags=["now"]))
        tx_records.edit_txn(db=db, txn_id=1,
                            changes=tx_records.TxnChanges(add_tags=["checked"]))
        sub.post_due(db=db, today=date.today() + timedelta(days=400))
        person.set_notify(db, 1, add=["json://127.0.0.1:9/hook"], remove=[],
                          profile=["digest", "quiet=22:00-07:00"])
    written = json.loads(export_text())["tables"]
    read = {  # a stored value as the Python value it is, by its column's kind
        "datetime": lambda v: datetime.fromisoformat(v).replace(tzinfo=UTC),
        "local": datetime.fromisoformat,
        "date": date.fromisoformat,
        "time": lambda v: datetime.strptime(v, "%H:%M:%S.%f").time(),
        "bool": lambda v: {0: False, 1: True}[v],
        "float": float,
        "int": int,
        "str": str,
    }
    with store.transaction() as db:
        uid_of = {name: dict(db.execute(f"SELECT id, uid FROM {name}"))
                  for name, table in TABLES.items() if "uid" in table.columns}
        for shape in document.shapes():
            table = TABLES[shape.name]

            def encode_row(row, table=table, shape=shape):
                return {name: None if row[name] is None
                        else uid_of[table.foreign_keys[name]][row[name]]
                        if name in table.foreign_keys
                        else exchange.encode(read[table.kind(name)](row[name]))
                        for name in shape.columns}

            rows = [encode_row(row) for row in db.rows(
                f"SELECT * FROM {shape.name}" + (" ORDER BY id" if shape.has_uid else ""))]
            if not shape.has_uid:
                rows.sort(key=lambda r, key=shape.key: tuple(str(r[k]) for k in key))
            assert rows, f"no {shape.name} rows to compare"
            assert written[shape.name] == rows, shape.name


@settings(max_examples=300, deadline=None)
@given(moment=_moments)
def test_stored_values_are_written_to_the_document_as_encode_writes_them(moment):
    aware = moment.replace(tzinfo=UTC)
    cases = [("txn", "created_at", aware, "datetime"), ("occurrence", "due", moment, "local"),
             ("reminder", "due_time", moment.time(), "time"),
             ("txn", "occurred_on", moment.date(), "date"),
             ("reminder", "from_done", moment.day % 2 == 0, "bool"),
             ("event", "meter", moment.microsecond / 7, "float")]
    for table, column, value, kind in cases:
        assert _kind(table, column) == kind, (table, column)
        assert document.DECODE[kind](_stored(value)) == exchange.encode(value), (table, column)


def test_a_budget_or_category_of_the_same_name_is_the_same_row(use_home, cli, tmp_path):
    """Budgets and category kinds are one per name: a file's row named as one here (with
    another uid) is that row, and the newer copy wins, never a database error."""
    use_home(tmp_path / "a")
    cli.ok("category", "set", "Eating", "--kind", "expense")
    cli.ok("budget", "set", "groceries", "100")
    exported = cli.ok("export").stdout
    use_home(tmp_path / "b")
    cli.ok("category", "set", "eating", "--kind", "income")
    cli.ok("budget", "set", "groceries", "200")
    result = import_text(exported)
    assert {c["table"] for c in result["conflicts"]} == {"budget", "category"}
    assert [(c["name"], c["kind"]) for c in cli.json("category", "list")] == [
        ("eating", "income")]
    assert [b["amount"]["amount"] for b in cli.json("budget", "list")] == ["200.00"]
