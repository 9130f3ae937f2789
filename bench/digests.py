"""Time the weekly digests end to end on a generated organisation: every
community's digest built, every member's e-mail composed and handed to a
local SMTP sink (bench/smtp_sink.py, a process of its own), then a rerun
that has nothing to send.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/practica_scale_bench \\
        .venv/bin/python -m bench.digests [--start 2026-11-23] [--workers 2]
        [--history-factor 10] [--buffers]

It WRITES digests and deliveries (use a bench copy, not a shared database).
With --workers 1 (the default) tasks run eagerly in this process, as
without a broker. With --workers N the fan-out runs here and the jobs it
enqueues (builds, then send batches, in that order) run in N processes, as
a Celery worker with N processes would take them from its queue. Each run
prints its wall time, the CPU time of the processes doing the work (this
one or the N workers) and their SQL queries; with --buffers, also the
shared buffers PostgreSQL read for the database during the run (hits and
reads, from pg_stat_database: what load does not bend).

--history-factor N first gives the organisation N times its history, the
same week: every item, reply, helpful mark, tag and adoption is copied N-1
times, each copy moved back by the whole history's span (so every copy
lies before the week, and the week itself is unchanged), then the tables
are analysed. Do it on a copy of its own; it refuses a database already
multiplied. Compare a run there with a run on a copy without it.
"""

import argparse
import multiprocessing
import os
import time


def _setup(port):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.pop("REDIS_URL", None)  # eager tasks, in this process
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")  # a worker's session
    settings.EMAIL_BACKEND = "notifications.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""


class _Counted:
    """CPU seconds and SQL queries of this process while it is active."""

    def __enter__(self):
        from django.db import connection

        self.queries = 0
        self._cpu = time.process_time()
        self._hook = connection.execute_wrapper(self._count)
        self._hook.__enter__()
        return self

    def _count(self, execute, sql, params, many, context):
        self.queries += 1
        return execute(sql, params, many, context)

    def __exit__(self, *exc):
        self._hook.__exit__(*exc)
        self.cpu = time.process_time() - self._cpu


def _worker_init(port):
    _setup(port)
    # As a Celery worker's process does (config/celery_app.py);
    # GC_THRESHOLD=0 leaves it out.
    from config.gc_tuning import tune_from_environment

    tune_from_environment()


def _worker_run(job):
    from members.jobs import _task

    task_name, kwargs = job
    with _Counted() as counted:
        _task(task_name).apply(kwargs=kwargs)
    return counted.cpu, counted.queries


def _run(kwargs, pool):
    """digests_run; with a pool, the jobs it enqueues run there."""
    from digests.tasks import digests_run
    from members import jobs

    if pool is None:
        with _Counted() as counted:
            digests_run(**kwargs)
        return counted.cpu, counted.queries, 0
    enqueued = []
    job_send = jobs.job_send
    jobs.job_send = lambda job: enqueued.append((job.task_name, job.kwargs)) or True
    try:
        with _Counted() as counted:
            digests_run(**kwargs)
    finally:
        jobs.job_send = job_send
    cpu, queries = counted.cpu, counted.queries
    for job_cpu, job_queries in pool.imap(_worker_run, enqueued, chunksize=1):
        cpu += job_cpu
        queries += job_queries
    return cpu, queries, len(enqueued)


HISTORY_MODELS = (
    ("knowledge", "Item"),
    ("knowledge", "Reply"),
    ("knowledge", "HelpfulMark"),
    ("knowledge", "ReplyHelpfulMark"),
    ("knowledge", "ItemTag"),
    ("knowledge", "Adoption"),
)


HISTORY_MARK = "bench.digests history"


def _copy_sql(model, copy: int, offsets: dict, quote) -> str:
    """INSERT ... SELECT of copy number `copy` of the original rows of
    `model`: ids (and references to copied tables) moved up by `copy`
    times the table's offset, times moved back by `copy` spans (%s)."""
    from django.db import models

    columns, values = [], []
    for field in model._meta.concrete_fields:
        column = quote(field.column)
        columns.append(column)
        if field.primary_key:
            values.append(f"{column} + {copy * offsets[model]}")
        elif field.is_relation and field.related_model in offsets:
            values.append(f"{column} + {copy * offsets[field.related_model]}")
        elif isinstance(field, models.DateTimeField):
            values.append(f"{column} - {copy} * %(span)s::interval")
        elif isinstance(field, models.UUIDField):
            values.append(f"CASE WHEN {column} IS NOT NULL THEN gen_random_uuid() END")
        else:
            values.append(column)
    table = quote(model._meta.db_table)
    pk = quote(model._meta.pk.column)
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608
        f"SELECT {', '.join(values)} FROM {table} WHERE {pk} < {offsets[model]}"
    )


def add_history(factor: int) -> None:
    """Make the organisation's history `factor` times as long (see the
    module's docstring)."""
    from django.apps import apps
    from django.db import connection, transaction

    quote = connection.ops.quote_name
    models = [apps.get_model(app, name) for app, name in HISTORY_MODELS]
    item = models[0]
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
        # Rows consistent by construction, as bench.generate inserts them.
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            f"SELECT max(created_at) - min(created_at) + interval '1 day' "  # noqa: S608
            f"FROM {quote(item._meta.db_table)}"
        )
        (span,) = cursor.fetchone()
        cursor.execute(
            "SELECT obj_description(%s::regclass, 'pg_class')", [item._meta.db_table]
        )
        if (cursor.fetchone()[0] or "").startswith(HISTORY_MARK):
            raise SystemExit("This database's history was multiplied already.")
        offsets = {}
        for model in models:
            cursor.execute(
                f"SELECT coalesce(max({quote(model._meta.pk.column)}), 0) "  # noqa: S608
                f"FROM {quote(model._meta.db_table)}"
            )
            offsets[model] = cursor.fetchone()[0] + 1
        for copy in range(1, factor):
            for model in models:
                cursor.execute(_copy_sql(model, copy, offsets, quote), {"span": span})
            took = time.perf_counter() - started
            print(f"  history copy {copy}/{factor - 1} ({took:.0f} s)")
        cursor.execute(
            f"COMMENT ON TABLE {quote(item._meta.db_table)} IS "
            f"'{HISTORY_MARK} x{int(factor)}'"
        )
        for model in models:
            table = quote(model._meta.db_table)
            newest = f"(SELECT max({quote(model._meta.pk.column)}) FROM {table})"  # noqa: S608
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, %s), {newest})",  # noqa: S608
                [model._meta.db_table, model._meta.pk.column],
            )
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
        for model in models:
            cursor.execute(f"VACUUM (ANALYZE) {quote(model._meta.db_table)}")
    counts = ", ".join(f"{m.__name__} {m.objects.count()}" for m in models)
    print(f"history x{factor} in {time.perf_counter() - started:.0f} s: {counts}")


def _buffers() -> int:
    """Shared buffers hit or read in this database so far, once every
    session's statistics are flushed (an idle backend flushes within 10 s)."""
    from django.db import connection

    time.sleep(11)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT blks_hit + blks_read FROM pg_stat_database "
            "WHERE datname = current_database()"
        )
        return cursor.fetchone()[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--start", help="Monday of the week (default: last week)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--history-factor",
        type=int,
        default=1,
        help="first make the history N times as long (on a copy of its own)",
    )
    parser.add_argument(
        "--buffers",
        action="store_true",
        help="also count the shared buffers PostgreSQL read (waits 11 s a run)",
    )
    args = parser.parse_args()
    from bench.smtp_sink import SmtpSink

    with SmtpSink() as sink:
        _setup(sink.port)
        from digests.models import DigestDelivery

        if args.history_factor > 1:
            add_history(args.history_factor)

        pool = None
        if args.workers > 1:
            from django.db import connections

            connections.close_all()  # not shared with the forked workers
            pool = multiprocessing.get_context("fork").Pool(
                args.workers, initializer=_worker_init, initargs=(sink.port,)
            )
        kwargs = {"period": "weekly", "start": args.start}
        for label in ("first run", "rerun, nothing to send"):
            before = sink.messages, sink.connections
            buffers = _buffers() if args.buffers else 0
            load = os.getloadavg()[0]
            started = time.perf_counter()
            cpu, queries, jobs = _run(kwargs, pool)
            took = time.perf_counter() - started
            if args.buffers:
                print(f"{label}: {_buffers() - buffers} shared buffers hit or read")
            print(
                f"{label}: {took:.1f} s ({cpu:.1f} s CPU in the worker processes, "
                f"{queries} queries, {jobs if pool else 'eager'} jobs), "
                f"{sink.messages - before[0]} e-mails over "
                f"{sink.connections - before[1]} SMTP connections, "
                f"load {load:.1f} -> {os.getloadavg()[0]:.1f}"
            )
        if pool is not None:
            pool.close()
            pool.join()
        print("deliveries sent:", DigestDelivery.objects.filter(status="sent").count())


if __name__ == "__main__":
    main()
