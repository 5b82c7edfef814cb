"""A throw-away PostgreSQL server for the tests: a real one, started once per session.

``initdb`` makes a cluster in a temporary folder (as the ``postgres`` user when the tests
run as root, which PostgreSQL refuses), ``pg_ctl`` starts it on a free port of
127.0.0.1 with trust authentication, and it is stopped and removed when the session
ends. Debian installs the programs outside ``PATH`` (``/usr/lib/postgresql/N/bin``);
they are looked for there too.

Where there are no PostgreSQL programs the tests that need a server skip, saying why;
under ``STUFFCTL_REQUIRE_POSTGRES=1`` (set by ``.ci/run``, which installs them) they fail
instead, so CI can never pass by not testing PostgreSQL.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REQUIRED = os.environ.get("STUFFCTL_REQUIRE_POSTGRES") == "1"


def programs() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``, or None."""
    found = shutil.which("initdb")
    if found:
        return Path(os.path.realpath(found)).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(candidates[-1]).parent if candidates else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Server:
    """A running server: connect as ``postgres`` to ``url`` (no password: trust)."""

    port: int
    folder: Path

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def database(self, name: str) -> str:
        """A new, empty database on this server; its URL."""
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"


def _as_server_user(argv: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return argv
    runuser = shutil.which("runuser")
    if runuser is None:
        raise RuntimeError("running as root, and runuser is missing to start PostgreSQL "
                           "as the postgres user")
    return [runuser, "-u", "postgres", "--", *argv]


def start() -> Server:
    """Start a server in a new folder; RuntimeError saying why it could not."""
    bin_dir = programs()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL is not installed (Debian: apt-get install postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="stuffctl-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data, port = folder / "data", free_port()
    subprocess.run(_as_server_user([str(bin_dir / "initdb"), "-D", str(data), "-A", "trust",
                                    "-U", "postgres", "--no-sync", "-E", "UTF8"]),
                   check=True, capture_output=True, text=True, timeout=120)
    options = (f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
               "-c full_page_writes=off -c synchronous_commit=off")
    subprocess.run(_as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options,
                                    "-l", str(folder / "log"), "-w", "start"]),
                   check=True, capture_output=True, text=True, timeout=120)
    return Server(port, folder)


def stop(server: Server) -> None:
    bin_dir = programs()
    assert bin_dir is not None
    subprocess.run(_as_server_user([str(bin_dir / "pg_ctl"), "-D", str(server.folder / "data"),
                                    "-m", "immediate", "stop"]), capture_output=True,
                   timeout=120)
    shutil.rmtree(server.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Server]:
    """The session's PostgreSQL server (skips, or fails under CI, where there is none)."""
    try:
        server = start()
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        detail = getattr(exc, "stderr", None) or exc
        if REQUIRED:
            pytest.fail(f"could not start PostgreSQL: {detail}")
        pytest.skip(f"no PostgreSQL server to test against: {detail}")
    try:
        yield server
    finally:
        stop(server)


@dataclass
class Database:
    """One test's server database (``url``), dropped after the test."""

    server: Databases
    name: str

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.server.server.port}/{self.name}"

    def drop(self) -> None:
        self.server.admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@dataclass
class Databases:
    """Fresh databases at the head revision, copied from a template made once."""

    server: Server
    admin: Any  # an autocommit connection to the server's ``postgres`` database
    counter: int = 0

    def fresh(self) -> Database:
        self.counter += 1
        name = f"t_{os.getpid()}_{self.counter}"
        self.admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}" '
                           "STRATEGY FILE_COPY")
        return Database(self, name)


TEMPLATE = "stuffctl_head"


@pytest.fixture(scope="session")
def postgres_databases(postgres_server: Server) -> Iterator[Databases]:
    """Where each PostgreSQL test's database comes from (``Databases.fresh``)."""
    import psycopg

    from stuffctl.store import postgres

    url = postgres_server.database(TEMPLATE)
    postgres.create_schema(url)
    with psycopg.connect(postgres_server.url, autocommit=True) as admin:
        yield Databases(postgres_server, admin)
