"""Project-wide request guards."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

NUL = "\x00"


def _has_nul(data) -> bool:
    return any(
        NUL in key or any(NUL in value for value in values)
        for key, values in data.lists()
    )


class RejectNulCharactersMiddleware:
    """PostgreSQL cannot store or compare text holding a NUL character, and
    no person types one: such a request is malformed, so it gets a 400 page
    that says why, before any view passes the text to a query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path or _has_nul(request.GET):
            return self.bad_request(request)
        if request.method == "POST" and _has_nul(request.POST):
            return self.bad_request(request)
        return self.get_response(request)

    @staticmethod
    def bad_request(request):
        reason = "It contained a null character, which no text can hold."
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": reason}, status=400)
        return render(
            request,
            "errors/400.html",
            {"reason": reason},
            status=400,
        )


class ReadYourWritesMiddleware:
    """Lets a request read from a replica (config.db_router) unless its
    sender wrote something in the last READ_YOUR_WRITES_SECONDS: any unsafe
    request (POST, PUT, PATCH, DELETE) reads and writes the primary and
    leaves a signed cookie that pins the next requests to it for that long,
    so nobody misses their own change while the replicas catch up. Without
    replicas it does nothing."""

    COOKIE = "practica_wrote"
    SALT = "config.middleware.ReadYourWritesMiddleware"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from config.db_router import read_scope, replica_aliases

        if not replica_aliases():
            return self.get_response(request)
        unsafe = request.method not in ("GET", "HEAD", "OPTIONS", "TRACE")
        seconds = settings.READ_YOUR_WRITES_SECONDS
        wrote = request.get_signed_cookie(
            self.COOKIE, default=None, salt=self.SALT, max_age=seconds
        )
        with read_scope(replica_reads=not unsafe and wrote is None):
            response = self.get_response(request)
        if unsafe and seconds > 0:
            response.set_signed_cookie(
                self.COOKIE,
                "1",
                salt=self.SALT,
                max_age=seconds,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
