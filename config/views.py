"""Project-level pages: the home page (which gathers from every app), health
checks and error pages."""

import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from members import sections

logger = logging.getLogger(__name__)


def home(request):
    """A visitor's welcome, or a member's panels: each app registers its own
    with members.sections (page "home") from its AppConfig.ready()."""
    if not request.user.is_authenticated:
        return render(request, "home_visitor.html")
    panels = sections.sections_for("home", request)
    return render(request, "home.html", {"panels": panels})


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means "down"
        logger.exception("Health check: database down")
        return False
    return True


def _redis_ok() -> bool:
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
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


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No context processors that touch the database: it may be what failed.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("errors/500.html").render())
