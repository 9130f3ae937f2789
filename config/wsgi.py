import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
# A request's queries give up after 15 s (503, Retry-After) unless the
# environment says otherwise; commands and Celery jobs run without the limit.
os.environ.setdefault("DB_STATEMENT_TIMEOUT_MS", "15000")
application = get_wsgi_application()

from config.gc_tuning import tune_from_environment  # noqa: E402 (apps loaded)

tune_from_environment()
