"""Files a person names are read bounded (#19 items 5, 6, 12, 15): only regular files,
never past STUFFCTL_MAX_IMPORT_BYTES or a zip ratio of STUFFCTL_MAX_ZIP_RATIO, only the
attachments the document names, and every unreadable input one line with exit 2."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import subprocess
import zipfile
from pathlib import Path

import pytest

from stuffctl import paths
from tests.reliability.conftest import child_env, run_stuffctl, stuffctl_argv

# Every command that reads a file a person names, with a file it reads when the file is good.
READERS = [("tx", "import"), ("import",), ("import", "homebox"), ("import", "taskwarrior"),
           ("bench", "compare")]


def one_error(result, *parts: str) -> None:
    """Exit 2 and exactly one line on stderr holding every one of ``parts``."""
    code = (result.returncode if isinstance(result, subprocess.CompletedProcess)
            else result.exit_code)
    assert code == 2, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    for part in parts:
        assert part in result.stderr, result.stderr


def _small_address_space() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def run_bounded(*args: str) -> subprocess.CompletedProcess[str]:
    """stuffctl in a child with 1 GiB of address space and 30 s: a reader of /dev/zero
    dies of MemoryError, one blocked on a FIFO times out (both fail the test)."""
    return subprocess.run(stuffctl_argv(*args), capture_output=True, text=True, timeout=30,
                          env=child_env(), stdin=subprocess.DEVNULL,
                          preexec_fn=_small_address_space)


@pytest.mark.parametrize("words", READERS, ids=" ".join)
def test_a_device_is_refused_at_once_not_read_until_memory_runs_out(words):
    result = run_bounded(*words, "/dev/zero")
    one_error(result, "/dev/zero: not a regular file")


@pytest.mark.parametrize("words", READERS, ids=" ".join)
def test_a_fifo_is_refused_at_once_instead_of_waiting_for_a_writer(words, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = run_bounded(*words, str(fifo))
    one_error(result, f"{fifo}: not a regular file")


@pytest.mark.parametrize("kind", ["device", "fifo"])
def test_a_rules_file_that_is_not_a_regular_file_is_refused_at_once(kind, tmp_path):
    rules = Path("/dev/zero")
    if kind == "fifo":
        rules = tmp_path / "rules.toml"
        os.mkfifo(rules)
    data = tmp_path / "bank.csv"
    data.write_text("date,amount,payee\n2026-01-02,1.00,x\n")
    result = run_bounded("tx", "import", "--rules", str(rules), str(data))
    one_error(result, f"--rules: {rules}: not a regular file")


@pytest.mark.parametrize("words", READERS, ids=" ".join)
def test_a_file_over_the_import_limit_is_refused_naming_the_override(
        cli, words, tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 200)
    monkeypatch.setenv("STUFFCTL_MAX_IMPORT_BYTES", "100")
    result = cli(*words, str(big))
    one_error(result, f"{big}: larger than the import limit of 100 bytes",
              "STUFFCTL_MAX_IMPORT_BYTES")


def test_standard_input_over_the_import_limit_is_refused(cli, monkeypatch):
    monkeypatch.setenv("STUFFCTL_MAX_IMPORT_BYTES", "1000")
    result = cli("tx", "import", "-", input="2026-01-02,1.00,EUR,x,,,\n" * 100)
    one_error(result, "<stdin>: larger than the import limit of 1,000 bytes")
    monkeypatch.setenv("STUFFCTL_MAX_IMPORT_BYTES", "100000")
    cli.ok("tx", "import", "-", input="date,amount,currency,payee,category,account,memo\n"
           "2026-01-02,1.00,EUR,x,,,\n")
    assert len(cli.json("tx", "list")) == 1


@pytest.mark.parametrize("value", ["lots", "0", "-5"])
def test_a_bad_limit_in_the_environment_is_bad_input_naming_it(cli, value, tmp_path,
                                                               monkeypatch):
    csv = tmp_path / "bank.csv"
    csv.write_text("date,amount\n2026-01-02,1.00\n")
    monkeypatch.setenv("STUFFCTL_MAX_IMPORT_BYTES", value)
    one_error(cli("tx", "import", str(csv)), "STUFFCTL_MAX_IMPORT_BYTES")


# ---- zips -------------------------------------------------------------------------------

def export_doc(cli) -> bytes:
    cli.ok("tx", "add", "12.50", "Bakery", "--on", "2026-01-02")
    return cli.ok("export").stdout.encode()


@pytest.fixture
def other_home(home, backend, request, monkeypatch, tmp_path):
    """``other_home()``: switch to another, empty home (on PostgreSQL, with its own server
    database, as it has its own file on SQLite); its path."""
    from stuffctl import store

    made = []

    def switch() -> Path:
        store.dispose_all()
        monkeypatch.setenv("STUFFCTL_HOME", str(tmp_path / "other"))
        if backend == "postgres":
            made.append(request.getfixturevalue("postgres_databases").fresh())
            monkeypatch.setenv("STUFFCTL_DB", made[-1].url)
        return tmp_path / "other"

    yield switch
    store.dispose_all()
    for database in made:
        database.drop()


def write_zip(path: Path, members: list[tuple[str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return path


def stored_files() -> list[Path]:
    root = paths.attachments_dir()
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_zip_bomb_is_refused_unless_the_ratio_limit_is_raised(other_home, cli, tmp_path,
                                                                monkeypatch):
    doc = export_doc(cli)
    padded = doc[:-2] + b" " * (4 << 20) + doc[-2:]  # 4 MiB of spaces: still the document
    bomb = write_zip(tmp_path / "bomb.zip", [("export.json", padded)])
    other_home()
    one_error(cli("import", str(bomb)), f"{bomb}: export.json: compressed more than 100:1",
              "STUFFCTL_MAX_ZIP_RATIO")
    assert cli.json("tx", "list") == []
    monkeypatch.setenv("STUFFCTL_MAX_ZIP_RATIO", "100000")
    assert cli.json("import", str(bomb))["tables"]["txn"]["added"] == 1


def test_a_document_in_a_zip_over_the_import_limit_is_refused(other_home, cli, tmp_path,
                                                              monkeypatch):
    doc = export_doc(cli)
    archive = write_zip(tmp_path / "all.zip", [("export.json", doc + b" " * 20_000)])
    assert archive.stat().st_size < 10_000
    other_home()
    monkeypatch.setenv("STUFFCTL_MAX_IMPORT_BYTES", "10000")
    one_error(cli("import", str(archive)), f"{archive}: export.json: larger than the import "
              "limit of 10,000 bytes")


def _central_entry(data: bytearray, name: bytes) -> int:
    """Offset of ``name``'s central directory header in the archive's bytes."""
    at = data.index(b"PK\x01\x02")
    while data[at + 46:at + 46 + len(name)] != name:
        at = data.index(b"PK\x01\x02", at + 4)
    return at


def test_a_zip_whose_compressed_size_lies_is_refused_as_damaged(other_home, cli, tmp_path):
    doc = export_doc(cli)
    data = bytearray(write_zip(tmp_path / "bomb.zip",
                               [("export.json", doc[:-2] + b" " * (4 << 20) + doc[-2:])]
                               ).read_bytes())
    entry = _central_entry(data, b"export.json")
    data[entry + 20:entry + 24] = (4 << 20).to_bytes(4, "little")  # "barely compressed"
    lying = tmp_path / "lying.zip"
    lying.write_bytes(bytes(data))
    other_home()
    one_error(cli("import", str(lying)), f"{lying}: export.json: damaged archive")
    assert cli.json("tx", "list") == []


def test_only_the_attachments_the_document_names_are_stored(other_home, cli, tmp_path):
    receipt = tmp_path / "receipt.pdf"
    receipt.write_bytes(b"%PDF receipt")
    cli.ok("asset", "add", "Fridge")
    cli.ok("asset", "attach", "1", str(receipt))
    archive = tmp_path / "all.zip"
    cli.ok("export", "--out", str(archive), "--with-files")
    with zipfile.ZipFile(archive, "a") as zf:  # 300 files no row names
        for i in range(300):
            body = f"orphan {i}".encode()
            zf.writestr(f"attachments/{hashlib.sha256(body).hexdigest()}", body)
    other_home()
    result = cli.json("import", str(archive))
    assert (result["files_added"], result["missing_files"]) == (1, [])
    assert [p.name for p in stored_files()] == [hashlib.sha256(b"%PDF receipt").hexdigest()]
    assert cli("db", "check").exit_code == 0


def test_an_attachment_holding_more_than_its_declared_size_stores_nothing(
        other_home, cli, tmp_path):
    receipt = tmp_path / "receipt.pdf"
    receipt.write_bytes(b"%PDF " + b"r" * 5000)
    cli.ok("asset", "add", "Fridge")
    cli.ok("asset", "attach", "1", str(receipt))
    archive = tmp_path / "all.zip"
    cli.ok("export", "--out", str(archive), "--with-files")
    data = bytearray(archive.read_bytes())
    entry = _central_entry(data, b"attachments/")
    data[entry + 24:entry + 28] = (100).to_bytes(4, "little")
    archive.write_bytes(bytes(data))
    other_home()
    one_error(cli("import", str(archive)), f"{archive}: attachments/", "damaged archive")
    assert stored_files() == [] and cli.json("asset", "list") == []


def test_a_zip_with_two_documents_is_refused_as_ambiguous(other_home, cli, tmp_path):
    doc = export_doc(cli)
    archive = tmp_path / "two.zip"
    with pytest.warns(UserWarning, match="Duplicate name"):
        write_zip(archive, [("export.json", doc), ("export.json", doc.replace(b"Bakery",
                                                                               b"Butcher"))])
    other_home()
    one_error(cli("import", str(archive)), f"{archive}: the archive holds export.json twice")
    assert cli.json("tx", "list") == []


def test_a_truncated_zip_is_called_a_damaged_zip_not_text(other_home, cli, tmp_path):
    doc = export_doc(cli)
    whole = write_zip(tmp_path / "whole.zip", [("export.json", doc)]).read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole[:len(whole) // 2])
    other_home()
    one_error(cli("import", str(cut)), f"{cut}: not a valid zip archive (truncated?)")


# ---- tx import: line endings, skip, JSON ------------------------------------------------

RULES = 'fields = ["date", "amount", "payee"]\nskip = {skip}\n'


def test_a_csv_with_cr_only_line_endings_is_read_line_by_line(cli, tmp_path):
    rules = tmp_path / "bank.toml"
    rules.write_text(RULES.format(skip=1))
    csv = tmp_path / "mac.csv"
    csv.write_bytes(b"date,amount,payee\r2026-01-02,-3.50,Bakery\r2026-01-03,-4.00,Cafe\r")
    result = cli.json("tx", "import", str(csv), "--rules", str(rules))
    assert (result["added"], result["rows"]) == (2, 2)
    assert [t["payee"] for t in cli.json("tx", "list")] == ["Bakery", "Cafe"]


def test_a_skip_past_the_end_of_the_file_ends_at_once(tmp_path):
    rules = tmp_path / "bank.toml"
    rules.write_text(RULES.format(skip=9223372036854775807))
    csv = tmp_path / "bank.csv"
    csv.write_text("date,amount,payee\n2026-01-02,-3.50,Bakery\n")
    result = run_stuffctl("tx", "import", str(csv), "--rules", str(rules), timeout=30)
    one_error(result, "bank.csv: no rows to import")


def tx_json(**changes: object) -> list[dict[str, object]]:
    good = {"on": "2026-01-02", "amount": {"amount": "-3.50", "currency": "EUR"},
            "payee": "Bakery", "category": None, "account": None, "memo": None}
    return [good, {**good, **changes}]


def test_a_lowercase_currency_in_tx_json_is_read_as_the_code(cli, tmp_path):
    path = tmp_path / "tx.json"
    path.write_text(json.dumps(tx_json(amount={"amount": "2.00", "currency": "eur"})))
    assert cli.json("tx", "import", str(path))["added"] == 2
    assert [t["amount"] for t in cli.json("tx", "list")] == [
        {"amount": "-3.50", "currency": "EUR"}, {"amount": "2.00", "currency": "EUR"}]
    assert cli("tx", "list").exit_code == 0


@pytest.mark.parametrize(("text", "message"), [
    (json.dumps(tx_json(amount={"amount": "1e400", "currency": "EUR"})),
     "record 2: amount: not an amount: '1e400'"),
    (json.dumps(tx_json(amount={"amount": "-3.50", "currency": "EUR"}))
     .replace('"-3.50"', "1e400", 1), "record 1: amount: expected text, not a number"),
    (json.dumps(tx_json(payee={"name": "Bakery"})), "record 2: payee: expected text, not an "
     "object"),
    (json.dumps(tx_json(memo=["a"])), "record 2: memo: expected text, not an array"),
    (json.dumps(tx_json(amount="3.50")), "record 2: amount: expected {"),
    (json.dumps(tx_json(on=None)), "record 2: on: missing"),
    (json.dumps(tx_json(amount={"amount": "1", "currency": "euro"})),
     "record 2: currency: not a currency"),
    (json.dumps([1]), "record 1: expected an object (a transaction), not a number"),
    ("[" * 100_000 + "]" * 100_000, "not valid JSON: nested too deeply"),
    ("[" + "9" * 5000 + "]", "not valid JSON: a number has more than"),
], ids=["amount-1e400", "amount-number", "payee-object", "memo-array", "amount-text",
        "no-date", "bad-currency", "not-an-object", "deep", "5000-digits"])
def test_bad_tx_json_is_one_line_naming_the_file_and_record_and_writes_nothing(
        cli, tmp_path, text, message):
    path = tmp_path / "tx.json"
    path.write_text(text)
    result = cli("tx", "import", str(path))
    one_error(result, f"tx.json: {message}")
    assert cli.json("tx", "list") == []
