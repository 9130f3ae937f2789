"""Slack's endpoints. Each request is checked against Slack's signature
first: a missing, wrong or stale one (older than five minutes) gets 401 and
nothing else, whatever the body holds; a malformed signed body gets 400."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.http.request import RawPostDataException
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from integrations import slack
from integrations.signing import slack_request_verify


def _verified(request) -> bool:
    try:
        body = request.body
    except RawPostDataException:
        # A multipart upload, already parsed by a middleware: never Slack's.
        return False
    return slack_request_verify(
        secret=settings.SLACK_SIGNING_SECRET,
        timestamp=request.headers.get("X-Slack-Request-Timestamp", ""),
        signature=request.headers.get("X-Slack-Signature", ""),
        body=body,
        now=timezone.now().timestamp(),
    )


def _refused() -> JsonResponse:
    return JsonResponse({"error": "invalid_signature"}, status=401)


@csrf_exempt  # Slack signs its requests instead
@require_POST
def command(request):
    if not _verified(request):
        return _refused()
    team_id = request.POST.get("team_id", "")
    slack_user_id = request.POST.get("user_id", "")
    if not team_id or not slack_user_id:
        return JsonResponse({"error": "missing team_id or user_id"}, status=400)
    answer = slack.command_answer(
        team_id=team_id,
        slack_user_id=slack_user_id,
        text=request.POST.get("text", ""),
    )
    return JsonResponse(answer)


@csrf_exempt  # Slack signs its requests instead
@require_POST
def events(request):
    if not _verified(request):
        return _refused()
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": "not JSON"}, status=400)
    if not isinstance(payload, dict):
        return JsonResponse({"error": "not an event"}, status=400)
    kind = payload.get("type")
    if kind == "url_verification":
        challenge = payload.get("challenge")
        if not isinstance(challenge, str):
            return JsonResponse({"error": "no challenge"}, status=400)
        return JsonResponse({"challenge": challenge})
    event = payload.get("event")
    if (
        kind == "event_callback"
        and isinstance(event, dict)
        and event.get("type") == "link_shared"
    ):
        slack.link_shared(event)
    # Anything else is acknowledged, so Slack does not send it again.
    return HttpResponse(status=200)


@login_required
@require_http_methods(["GET", "POST"])
def connect(request, token):
    if request.method == "POST":
        try:
            slack.check_identity_link(acting_user=request.user, token=token)
        except ValidationError as exc:
            problem = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("Slack is connected: /practica now searches and asks as you."),
            )
            return redirect("home")
    else:
        try:
            team_id, slack_user_id = slack.connect_token_read(token)
        except ValidationError as exc:
            problem = " ".join(exc.messages)
        else:
            return render(
                request,
                "integrations/slack_connect.html",
                {"team": team_id, "slack_user": slack_user_id},
            )
    return render(
        request, "integrations/slack_connect.html", {"problem": problem}, status=400
    )
