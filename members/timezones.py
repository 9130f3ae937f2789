"""Each member's time zone and language: every time on a page, and in an
e-mail, is shown in the reader's zone with the zone named ("5 Dec 2026,
09:14 CET"). The zone comes from the browser at sign-up
(static/js/timezone.js fills hidden fields) and is editable on the profile."""

import zoneinfo
from contextlib import contextmanager
from functools import cache

from django.conf import settings
from django.conf.global_settings import LANGUAGES as ALL_LANGUAGES
from django.utils import timezone, translation


@cache
def time_zone_names() -> frozenset[str]:
    return frozenset(
        name for name in zoneinfo.available_timezones() if "/" in name or name == "UTC"
    )


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(time_zone_names())]


def valid_time_zone(name: str) -> str:
    """`name` if it is a zoneinfo name we offer, else "" (the default)."""
    name = (name or "").strip()
    return name if name in time_zone_names() else ""


def language_choices() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in ALL_LANGUAGES if "-" not in code]


def valid_language(code: str) -> str:
    """A browser's "de-DE" -> "de"; unknown -> ""."""
    code = (code or "").strip().lower().split("-")[0][:7]
    return code if code in dict(language_choices()) else ""


def zone_of(member) -> zoneinfo.ZoneInfo:
    name = valid_time_zone(getattr(member, "time_zone", "")) or settings.TIME_ZONE
    return zoneinfo.ZoneInfo(name)


def available_language(member) -> str | None:
    """The member's language if Practica is translated into it, else None
    (pages stay in the default language until a translation exists)."""
    code = getattr(member, "language", "")
    return code if code and code in dict(settings.LANGUAGES) else None


def served_language(code: str) -> str:
    """The language to write to a member whose language is `code`: theirs
    when Practica is translated into it, else the organisation's."""
    return code if code and code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


@contextmanager
def member_zone(member):
    """Render something for `member` (an e-mail, a notification) in their
    zone and language; with no language of theirs, the organisation's, never
    the language of whoever happened to trigger it."""
    language = served_language(getattr(member, "language", ""))
    with timezone.override(zone_of(member)), translation.override(language):
        yield


class MemberTimeZoneMiddleware:
    """Activate the signed-in member's zone (and language, when available)
    for the request; visitors see the organisation's default zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(zone_of(user))
            language = available_language(user)
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
