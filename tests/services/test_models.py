"""The lazy models package: every table class is reachable and registered by load_all."""

from __future__ import annotations

import inspect
import json
import os
import pkgutil
import subprocess
import sys

import stuffctl.models
from stuffctl import models


def _table_classes(module_name: str) -> set[str]:
    module = __import__(f"stuffctl.models.{module_name}", fromlist=["_"])
    return {name for name, obj in inspect.getmembers(module, inspect.isclass)
            if obj.__module__ == module.__name__ and getattr(obj, "__table__", None) is not None}


def test_every_model_module_and_table_class_is_listed():
    modules = {m.name for m in pkgutil.iter_modules(stuffctl.models.__path__)} - {"base"}
    assert set(models.MODULES) == modules
    for module, names in models.MODULES.items():
        assert set(names) == _table_classes(module), module


def test_a_model_is_reachable_from_the_package_and_is_the_same_class():
    from stuffctl.models.tx import Txn

    assert models.Txn is Txn
    assert stuffctl.models.__getattr__("Asset").__tablename__ == "asset"


def test_a_fresh_process_imports_only_the_modules_it_names_and_load_all_registers_all():
    code = (
        "import json, sys\n"
        "from stuffctl.models import Txn\n"
        "first = sorted(m for m in sys.modules if m.startswith('stuffctl.models.'))\n"
        "from stuffctl import models\n"
        "tables = sorted(models.metadata().tables)\n"
        "print(json.dumps([first, tables]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    first, tables = json.loads(done.stdout)
    assert first == ["stuffctl.models.base", "stuffctl.models.tx"]
    expected = {t for names in models.MODULES.values() for t in names}
    assert len(tables) == len(expected)
    assert {"txn", "asset", "goal", "meta", "task_dep"} <= set(tables)


def test_a_write_to_tables_with_foreign_keys_imports_no_model_and_no_sqlalchemy(tmp_path):
    # The models only declare the schema: asset.owner_id points at person and
    # txn.project_id at project, and writing either needs neither model.
    code = (
        "import sys\n"
        "from stuffctl import store\n"
        "from stuffctl.store import sql\n"
        "with store.transaction(write=True) as db:\n"
        "    sql.insert(db, 'asset', {'name': 'Drill', 'status': 'active'})\n"
        "    sql.insert_many(db, 'txn', ['occurred_on', 'amount_minor', 'currency'],\n"
        "                    [('2026-01-01', -5, 'EUR')])\n"
        "with store.transaction() as db:\n"
        "    print(db.one('SELECT name FROM asset'), db.one('SELECT amount_minor FROM txn'))\n"
        "print(sorted(m for m in sys.modules\n"
        "             if m.split('.')[0] in ('sqlalchemy', 'sqlmodel', 'alembic')\n"
        "             or m.startswith('stuffctl.models')))\n"
    )
    env = {**os.environ, "STUFFCTL_HOME": str(tmp_path)}
    env.pop("STUFFCTL_DB", None)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert (done.returncode, done.stdout, done.stderr) == (0, "Drill -5\n[]\n", "")
