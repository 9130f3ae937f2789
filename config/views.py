"""Project-level pages: the home page (which gathers from every app), health
checks and error pages."""

import logging
import sys
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from members import sections

logger = logging.getLogger(__name__)

# Each check of /healthz gives up after this long: a load balancer must get
# an answer, not a hung request.
HEALTH_TIMEOUT_SECONDS = 0.8


def home(request):
    """A visitor's welcome, or a member's panels: each app registers its own
    with members.sections (page "home") from its AppConfig.ready()."""
    if not request.user.is_authenticated:
        return render(request, "home_visitor.html")
    panels = sections.sections_for("home", request)
    return render(
        request,
        "home.html",
        {"panels": panels, "first_visit": request.user.onboarded_at is None},
    )


def _database_check() -> None:
    """SELECT 1 on a fresh connection of its own, never the request's (a
    persistent connection to a hung server would hang the check with it)."""
    params = connection.get_connection_params()
    params["connect_timeout"] = HEALTH_TIMEOUT_SECONDS * 2  # ends the thread
    params["options"] = f"-c statement_timeout={int(HEALTH_TIMEOUT_SECONDS * 1000)}"
    with connection.Database.connect(**params) as conn:
        conn.execute("SELECT 1").fetchone()


def _database_ok() -> bool:
    """Answers within HEALTH_TIMEOUT_SECONDS even when the database hangs:
    the check runs in a thread that is left to finish on its own."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="healthz")
    future = pool.submit(_database_check)
    pool.shutdown(wait=False)
    try:
        future.result(timeout=HEALTH_TIMEOUT_SECONDS)
    except FutureTimeout:
        logger.error("Health check: database did not answer in time")
        return False
    except Exception:  # noqa: BLE001 - any failure means "down"
        logger.exception("Health check: database down")
        return False
    return True


def _redis_ok() -> bool:
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL,
            socket_connect_timeout=HEALTH_TIMEOUT_SECONDS,
            socket_timeout=HEALTH_TIMEOUT_SECONDS,
        )
        return bool(client.ping())
    except Exception:  # noqa: BLE001
        logger.exception("Health check: Redis down")
        return False


@never_cache
@require_GET
def healthz(request):
    checks = {"database": "ok" if _database_ok() else "down"}
    if settings.REDIS_URL:
        checks["redis"] = "ok" if _redis_ok() else "down"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "down", "checks": checks},
        status=200 if healthy else 503,
    )


# Practica's pages need a login, so crawlers see only the login page; they
# are not told to keep away from the pages themselves (Lighthouse counts a
# blocked page as not indexable), only from the machine endpoints.
ROBOTS_TXT = """User-agent: *
Disallow: /admin/
Disallow: /api/
Disallow: /o/
Disallow: /scim/
"""


@require_GET
def robots_txt(request):
    return HttpResponse(ROBOTS_TXT, content_type="text/plain; charset=utf-8")


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    if request.path.startswith("/api/"):
        # An address the API does not have answers like one it does.
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "errors/404.html", status=404)


# The database cannot be reached or gave up on a query: not a bug of ours, so
# say "try again shortly" (503 with Retry-After) instead of "something broke".
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def server_error(request):
    # No context processors that touch the database: it may be what failed.
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_UNAVAILABLE):
        response = HttpResponse(
            loader.get_template("errors/503.html").render(), status=503
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.get_template("errors/500.html").render())
