"""Reads from PostgreSQL streaming replicas, writes to the primary.

With DATABASE_REPLICA_URLS set, settings add one database alias per replica
(`replica_1`, `replica_2`, ...) and this router sends a web request's reads
to one of them. Everything else stays on the primary (`default`):

- every write, and every read inside a transaction (a read that decides a
  write must see the primary's rows, and `select_for_update` needs it);
- every read outside a web request (Celery jobs, commands, the shell): a job
  reads the row whose commit enqueued it, which a replica may not have yet;
- the requests of anyone who wrote in the last READ_YOUR_WRITES_SECONDS
  (ReadYourWritesMiddleware pins them with a signed cookie), so a member
  sees their own change at once;
- a replica whose replay is more than REPLICA_MAX_LAG_SECONDS behind, or
  that cannot be reached, is skipped (checked at most every
  REPLICA_LAG_CHECK_SECONDS per process); with none left, the primary.

Unset, there are no replica aliases and the router sends everything to
`default`, exactly as without it.
"""

import contextlib
import logging
import random
import time
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

PRIMARY = "default"

# How far a replica's replay is behind: 0 when it has replayed everything it
# received (an idle primary sends nothing, so the last replayed transaction's
# age would say nothing), else the age of the last transaction it replayed.
LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(
        EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()),
        1e9
    )
END
"""


@dataclass
class ReadScope:
    """Where this context's reads may go; `alias` remembers the replica
    chosen for it, so one request reads one consistent copy."""

    replica_reads: bool
    alias: str | None = None
    chosen: bool = field(default=False)


_scope: ContextVar[ReadScope | None] = ContextVar("practica_read_scope", default=None)

# alias -> (checked at, usable), per process.
_health: dict[str, tuple[float, bool]] = {}


def replica_aliases() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", ()))


@contextlib.contextmanager
def read_scope(*, replica_reads: bool):
    """Reads in this block may go to a replica (or may not). The middleware
    opens one per request; a job that only reads may open one too."""
    token = _scope.set(ReadScope(replica_reads=replica_reads))
    try:
        yield
    finally:
        _scope.reset(token)


def replica_lag_seconds(alias: str) -> float:
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute(LAG_SQL)
            return float(cursor.fetchone()[0])
    except DatabaseError:
        connection.close()  # not reused: the next check connects afresh
        raise


def replica_usable(alias: str) -> bool:
    now = time.monotonic()
    checked = _health.get(alias)
    if checked and now - checked[0] < settings.REPLICA_LAG_CHECK_SECONDS:
        return checked[1]
    try:
        lag = replica_lag_seconds(alias)
        usable = lag <= settings.REPLICA_MAX_LAG_SECONDS
        if not usable:
            logger.warning("replica %s %.1f s behind: reading the primary", alias, lag)
    except DatabaseError as error:
        usable = False
        logger.warning("replica %s unreachable (%s): reading the primary", alias, error)
    _health[alias] = (now, usable)
    return usable


def forget_replica_health() -> None:
    _health.clear()


def _choose_replica() -> str | None:
    aliases = replica_aliases()
    random.shuffle(aliases)
    return next((alias for alias in aliases if replica_usable(alias)), None)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        scope = _scope.get()
        if scope is None or not scope.replica_reads or not replica_aliases():
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        if not scope.chosen:
            scope.alias, scope.chosen = _choose_replica(), True
        return scope.alias or PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # Replicas are copies of the primary: any two rows may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # Replicas receive the schema from the primary's WAL.
        return db == PRIMARY
