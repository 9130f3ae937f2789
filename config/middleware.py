"""Project-wide request guards."""

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
