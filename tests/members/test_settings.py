"""Settings per environment, each read in a fresh interpreter so the
environment variables decide, exactly as they would on a server."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
transport = settings.CELERY_BROKER_TRANSPORT_OPTIONS
print(json.dumps({
    "engine": db["ENGINE"],
    "host": db["HOST"],
    "name": db["NAME"],
    "conn_max_age": db.get("CONN_MAX_AGE"),
    "health_checks": db.get("CONN_HEALTH_CHECKS"),
    "options": db.get("OPTIONS", {}),
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": settings.CELERY_BROKER_URL,
    "cache": settings.CACHES["default"]["BACKEND"],
    "acks_late": settings.CELERY_TASK_ACKS_LATE,
    "reject_on_lost": settings.CELERY_TASK_REJECT_ON_WORKER_LOST,
    "visibility_timeout": transport["visibility_timeout"],
    "time_limit": settings.CELERY_TASK_TIME_LIMIT,
    "verification": settings.ACCOUNT_EMAIL_VERIFICATION,
    "staticfiles": settings.STORAGES["staticfiles"]["BACKEND"],
    "debug": settings.DEBUG,
}))
"""


UNSET = {
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "ACCOUNT_EMAIL_VERIFICATION",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def _env(**overrides) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in UNSET}
    # Empty, not absent: a developer's .env must not leak into the probe
    # (read_env never overwrites a variable that is already set).
    env.update(DATABASE_URL="", REDIS_URL="")
    env.update(overrides)
    return env


def _probe(**env) -> dict:
    result = subprocess.run(  # noqa: S603 - our own probe, our own interpreter
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_database_url_or_redis_url_uses_embedded_postgres_and_eager_celery():
    found = _probe(DJANGO_SETTINGS_MODULE="config.settings.local")
    assert found["engine"] == "django.db.backends.postgresql"
    # The embedded server's socket under the checkout, never a TCP port.
    assert found["host"].startswith("/")
    assert found["name"] == "practica"
    assert found["eager"] is True
    assert found["broker"] == "memory://"
    assert found["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert found["debug"] is True


def test_with_database_url_and_redis_url_uses_postgres_and_redis():
    found = _probe(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL="postgres://postgres@db.example:5432/practica",
        REDIS_URL="redis://cache.example:6379/3",
    )
    assert found["engine"] == "django.db.backends.postgresql"
    assert found["conn_max_age"] > 0
    assert found["health_checks"] is True
    assert found["options"]["connect_timeout"] > 0
    assert found["eager"] is False
    assert found["broker"] == "redis://cache.example:6379/3"
    assert found["cache"] == "config.cache.FailOpenRedisCache"


def test_celery_is_configured_for_reliable_delivery():
    found = _probe(DJANGO_SETTINGS_MODULE="config.settings.local")
    assert found["acks_late"] is True
    assert found["reject_on_lost"] is True
    # A task that is still running must not be redelivered to another worker.
    assert found["visibility_timeout"] > found["time_limit"]


def test_local_verification_is_optional_so_the_demo_flows():
    found = _probe(DJANGO_SETTINGS_MODULE="config.settings.local")
    assert found["verification"] == "optional"


def test_production_requires_verification_and_serves_hashed_static_files():
    found = _probe(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="practica.example.com",
        REDIS_URL="redis://cache.example:6379/0",
    )
    assert found["debug"] is False
    assert found["verification"] == "mandatory"
    assert found["staticfiles"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_production_settings_pass_check_deploy():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_env(
            DJANGO_SETTINGS_MODULE="config.settings.production",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="practica.example.com",
            REDIS_URL="redis://cache.example:6379/0",
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=_env(
            DJANGO_SETTINGS_MODULE="config.settings.production",
            ALLOWED_HOSTS="practica.example.com",
            REDIS_URL="redis://cache.example:6379/0",
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_a_database_url_that_is_not_postgresql_is_refused():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=_env(
            DJANGO_SETTINGS_MODULE="config.settings.local",
            DATABASE_URL="sqlite:///db.sqlite3",
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "PostgreSQL only" in result.stderr


def test_production_refuses_to_start_without_a_shared_cache():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=_env(
            DJANGO_SETTINGS_MODULE="config.settings.production",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="practica.example.com",
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr


def test_only_the_web_server_bounds_statements():
    probe = (
        "import json, sys; {imp}from django.conf import settings; import django; "
        "django.setup(); print(settings.DATABASES['default']['OPTIONS']['options'])"
    )
    found = {}
    for name, imp in (("web", "import config.wsgi; "), ("command", "")):
        result = subprocess.run(  # noqa: S603 - our own probe
            [sys.executable, "-c", probe.format(imp=imp)],
            cwd=ROOT,
            env=_env(DJANGO_SETTINGS_MODULE="config.settings.local"),
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        found[name] = result.stdout.strip().splitlines()[-1]
    assert "statement_timeout=15000" in found["web"]
    assert "statement_timeout=0" in found["command"]
