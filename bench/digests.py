"""Time the weekly digests end to end on a generated organisation: every
community's digest built, every member's e-mail composed and handed to a
local SMTP sink (bench/smtp_sink.py), then a rerun that has nothing to send.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/practica_scale_bench \\
        .venv/bin/python -m bench.digests [--start 2026-11-23]

It WRITES digests and deliveries (use a bench copy, not a shared database).
Tasks run in this process (eager, as without a broker), one core.
"""

import argparse
import os
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--start", help="Monday of the week (default: last week)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.pop("REDIS_URL", None)  # eager tasks, in this process
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from bench.smtp_sink import SmtpSink
    from digests.models import DigestDelivery
    from digests.tasks import digests_run

    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")  # a worker's session
    with SmtpSink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        kwargs = {"period": "weekly", "start": args.start}
        for label in ("first run", "rerun, nothing to send"):
            before = sink.messages, sink.connections
            started = time.perf_counter()
            digests_run(**kwargs)
            took = time.perf_counter() - started
            print(
                f"{label}: {took:.1f} s, {sink.messages - before[0]} e-mails over "
                f"{sink.connections - before[1]} SMTP connections"
            )
        print("deliveries sent:", DigestDelivery.objects.filter(status="sent").count())


if __name__ == "__main__":
    main()
