"""Demo mentions: in a few communities a steward points a recent question to
a colleague who knows the topic (@username), and one steward asks the
community's stewards (@stewards), written through knowledge.services, so
the mention links, Mention rows and notifications are what real use makes.
Idempotent: a reply with the same text on the same item is not written twice."""

from communities.models import Community, Membership
from knowledge.models import Item, ItemKind, Reply
from knowledge.services import reply_create

MENTIONING = 4


def seed(stdout):
    chosen = written = 0
    for community in Community.objects.filter(archived_at__isnull=True).order_by("pk"):
        if chosen >= MENTIONING:
            break
        outcome = _point_to_a_colleague(community, group=chosen == 0)
        chosen += outcome is not None
        written += bool(outcome)
    stdout.write(f"Mentions: {written} replies with mentions seeded.")


def _point_to_a_colleague(community, *, group: bool) -> bool | None:
    """True when it wrote the reply, False when it was there already, None
    when this community has nobody to point to."""
    members = (
        Membership.objects.filter(community=community, status=Membership.Status.ACTIVE)
        .select_related("user")
        .order_by("pk")
    )
    steward = next((m.user for m in members if m.is_steward), None)
    question = (
        Item.objects.filter(
            community=community, kind=ItemKind.QUESTION, hidden_at__isnull=True
        )
        .exclude(author=steward)
        .order_by("-created_at", "-pk")
        .first()
    )
    if steward is None or question is None:
        return None
    colleague = next(
        (m.user for m in members if m.user_id not in (steward.pk, question.author_id)),
        None,
    )
    if colleague is None:
        return None
    # About the item, as every demo reply is: its tags, or its title.
    topic = " and ".join(tag.replace("-", " ") for tag in question.tag_list)
    body = (
        f"@{colleague.username} knows {topic or question.title} well: worth a "
        "short call before you decide."
    )
    if group:
        body += " @stewards, shall we add it to the starter kit?"
    if Reply.objects.filter(item=question, author=steward, body=body).exists():
        return False
    reply_create(item=question, author=steward, body=body)
    return True
