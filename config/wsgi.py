import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
# A request's queries give up after 15 s (503, Retry-After) unless the
# environment says otherwise; commands and Celery jobs run without the limit.
os.environ.setdefault("DB_STATEMENT_TIMEOUT_MS", "15000")
application = get_wsgi_application()

from config.gc_tuning import tune_for_serving  # noqa: E402 (needs the apps loaded)

tune_for_serving(threshold=int(os.environ.get("WEB_GC_THRESHOLD", "50000")))
