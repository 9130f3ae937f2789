"""Time the weekly digests end to end on a generated organisation: every
community's digest built, every member's e-mail composed and handed to a
local SMTP sink (bench/smtp_sink.py, a process of its own), then a rerun
that has nothing to send.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/practica_scale_bench \\
        .venv/bin/python -m bench.digests [--start 2026-11-23] [--workers 2]

It WRITES digests and deliveries (use a bench copy, not a shared database).
With --workers 1 (the default) tasks run eagerly in this process, as
without a broker. With --workers N the fan-out runs here and the jobs it
enqueues (builds, then send batches, in that order) run in N processes, as
a Celery worker with N processes would take them from its queue. Each run
prints its wall time, the CPU time of the processes doing the work (this
one or the N workers) and their SQL queries.
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
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--start", help="Monday of the week (default: last week)")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    from bench.smtp_sink import SmtpSink

    with SmtpSink() as sink:
        _setup(sink.port)
        from digests.models import DigestDelivery

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
            load = os.getloadavg()[0]
            started = time.perf_counter()
            cpu, queries, jobs = _run(kwargs, pool)
            took = time.perf_counter() - started
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
