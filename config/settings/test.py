"""Tests: fast hashing, in-memory e-mail; the database and Redis follow the
environment exactly as in base (SQLite and eager Celery by default,
PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set, as in CI)."""

import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from .base import *  # noqa: F403
from .base import CACHES, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="test-secret-key-not-for-production")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Tests run tasks in-process unless a test starts a real worker itself.
CELERY_TASK_ALWAYS_EAGER = True
ACCOUNT_RATE_LIMITS = False
# Uploads go to a throw-away folder, never the checkout's media/.
MEDIA_ROOT = Path(tempfile.gettempdir()) / "practica-test-media"
STORAGES = {
    **STORAGES,
    "attachments": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT / "attachments", "base_url": None},
    },
}
# The embedding model loads (once per process) only in the tests that turn
# this on; every other test matches on text alone.
SIMILARITY_EMBEDDINGS = False

# pytest-xdist's workers share CI's one Redis. Each worker's cache gets a
# database of its own, so that one worker emptying its cache before a test
# (tests/conftest.py) cannot empty another's in the middle of a test.
_WORKER = env.str("PYTEST_XDIST_WORKER", default="")
if _WORKER.startswith("gw") and "LOCATION" in CACHES["default"]:
    _url = urlsplit(CACHES["default"]["LOCATION"])
    _database = (int(_url.path.strip("/") or 0) + 1 + int(_WORKER[2:])) % 16
    CACHES["default"]["LOCATION"] = _url._replace(path=f"/{_database}").geturl()
