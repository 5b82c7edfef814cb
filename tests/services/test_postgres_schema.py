"""The PostgreSQL schema comes from the same declaration as SQLite's (#21, first step),
on a real server (tests/pg_server.py)."""

from __future__ import annotations

import pytest

from stuffctl import paths
from stuffctl.errors import OperationFailed
from stuffctl.store import postgres, schema
from stuffctl.store.tables import TABLES
from tests.pg_server import Server


def columns(url: str) -> dict[str, list[str]]:
    import psycopg

    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT table_name, column_name FROM information_schema.columns "
                            "WHERE table_schema = 'public' ORDER BY table_name, "
                            "ordinal_position").fetchall()
    found: dict[str, list[str]] = {}
    for table, column in rows:
        found.setdefault(table, []).append(column)
    return found


def test_a_blank_server_database_gets_the_models_schema_at_the_head_revision(
        postgres_server: Server) -> None:
    url = postgres_server.database("schema_from_models")

    assert postgres_revision(url) is None
    assert postgres_schema(url) == schema.head_revision()

    found = columns(url)
    assert found.pop("alembic_version") == ["version_num"]
    assert found == {name: list(table.columns) for name, table in TABLES.items()}
    assert postgres_revision(url) == schema.head_revision()


def test_a_server_database_that_holds_tables_is_refused_and_left_alone(
        postgres_server: Server) -> None:
    url = postgres_server.database("schema_twice")
    postgres_schema(url)
    before = columns(url)

    with pytest.raises(OperationFailed, match="already holds tables"):
        postgres_schema(url)

    assert columns(url) == before


def test_a_url_is_shown_without_its_password() -> None:
    assert postgres.redacted("postgresql://sam:s3cret@nas:5432/stuff") == \
        "postgresql://sam@nas:5432/stuff"
    assert postgres.redacted("postgresql://nas/stuff?password=s3cret&sslmode=require") == \
        "postgresql://nas/stuff?sslmode=require"
    assert paths.is_url("postgresql://nas/stuff") and paths.is_url("postgres://nas/s")
    assert not paths.is_url("/home/sam/stuffctl.db")


def postgres_schema(url: str) -> str:
    return postgres.create_schema(url)


def postgres_revision(url: str) -> str | None:
    import psycopg

    with psycopg.connect(url) as conn:
        found = conn.execute("SELECT to_regclass('alembic_version')").fetchone()
        if found is None or found[0] is None:
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return None if row is None else str(row[0])
