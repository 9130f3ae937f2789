"""Production settings as bench.run serves them: production's security,
manifest static files, no DEBUG, plus the floor view (bench/urls.py) and a
query-count header. Secrets and hosts default to loopback values so the
bench can start gunicorn on 127.0.0.1 without a .env."""

import os
import secrets

os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
# Production refuses to start without a shared cache; this is the bench's own
# Redis database on this machine (set REDIS_URL to use another).
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/6")

from config.settings.production import *  # noqa: E402, F403
from config.settings.production import BASE_DIR, MIDDLEWARE  # noqa: E402

ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
# Its own collected (manifest) static files, apart from `make run`'s.
STATIC_ROOT = BASE_DIR / ".bench-static"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
