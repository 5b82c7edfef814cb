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


def test_a_flush_follows_foreign_keys_to_tables_no_one_imported(tmp_path):
    # Asset.owner_id points at person; nothing here imports models.person.
    code = (
        "from stuffctl import store\n"
        "from stuffctl.models import Asset\n"
        "with store.session(write=True) as s:\n"
        "    s.add(Asset(name='Drill'))\n"
        "with store.session() as s:\n"
        "    print(s.connection().exec_driver_sql('SELECT name FROM asset').scalar())\n"
    )
    env = {**os.environ, "STUFFCTL_HOME": str(tmp_path)}
    env.pop("STUFFCTL_DB", None)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert (done.returncode, done.stdout, done.stderr) == (0, "Drill\n", "")


def test_a_bulk_orm_insert_follows_foreign_keys_to_tables_no_one_imported(tmp_path):
    # Txn.project_id points at project; nothing here imports models.project.
    code = (
        "from datetime import date\n"
        "from sqlalchemy import insert\n"
        "from stuffctl import store\n"
        "from stuffctl.models import Txn, utcnow\n"
        "with store.session(write=True) as s:\n"
        "    s.execute(insert(Txn), [{'uid': 'u1', 'occurred_on': date(2026, 1, 1),\n"
        "              'amount_minor': -5, 'currency': 'EUR', 'created_at': utcnow(),\n"
        "              'updated_at': utcnow()}])\n"
        "with store.session() as s:\n"
        "    print(s.connection().exec_driver_sql('SELECT uid FROM txn').scalar())\n"
    )
    env = {**os.environ, "STUFFCTL_HOME": str(tmp_path)}
    env.pop("STUFFCTL_DB", None)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert (done.returncode, done.stdout, done.stderr) == (0, "u1\n", "")
