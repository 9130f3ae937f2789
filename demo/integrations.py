"""Webhooks in the demo: two example hooks, switched off (the demo sends
nothing out of the machine), so staff and Maria, steward of Shift Handover
Practice, find the pages filled in. Idempotent: existing hooks are kept."""

from communities.models import Community
from integrations.models import Event, Webhook
from integrations.webhooks import webhook_create, webhook_update
from members.models import User

HOOKS = [
    (
        "Intranet news (example)",
        "https://intranet.example.com/hooks/practica",
        None,
        [Event.ITEM_CREATED, Event.ADOPTION_RECORDED],
        "admin@practica.local",
    ),
    (
        "Shift handover channel (example)",
        "https://chat.example.com/hooks/shift-handover",
        "shift-handover-practice",
        [Event.ITEM_CREATED, Event.ANSWER_ACCEPTED],
        "maria.lopez@practica.local",
    ),
]


def seed(stdout):
    made = 0
    for name, url, slug, events, email in HOOKS:
        if Webhook.objects.filter(name=name).exists():
            continue
        author = User.objects.get(email=email)
        community = Community.objects.get(slug=slug) if slug else None
        hook = webhook_create(
            acting_user=author, community=community, name=name, url=url, events=events
        )
        webhook_update(
            hook=hook,
            acting_user=author,
            name=name,
            url=url,
            events=events,
            is_active=False,
        )
        made += 1
    stdout.write(f"Webhooks: {made} example hooks (switched off).")
